"""The per-article work of `nlpkit score`: prepare each article, run the models, build its row.

`Scorer` loads the models once (per process, per Ray actor) and turns a batch of records
into rows (see `nlpkit.records`), timing each stage.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlpkit import __version__
from nlpkit.catalog import get_summarizer, load_model
from nlpkit.classify.base import check_model
from nlpkit.errors import NlpkitError, UsageError
from nlpkit.io.paths import canonical_input
from nlpkit.io.readers import Fields, Record
from nlpkit.io.units import Unit
from nlpkit.io.web import WebOptions
from nlpkit.jobs import Batch, OutputJob, ScoreSummary, encode_batch
from nlpkit.persistence import peek_meta
from nlpkit.records import (
    FLOAT_COLUMNS,
    article_row,
    brief_cells,
    failure_row,
    score_columns,
    stance_cells,
    topic_cells,
)
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare, stance_target, topic_text
from nlpkit.types import Article, Document, Failure

TASKS = ("topic", "stance", "brief")
#: Why an article's stance is empty when it has no target (not an error: topic and brief still count).
NO_TARGET = "no target: give --target, a target field, or articles with a headline"


@dataclass(frozen=True)
class ScoreOptions:
    """What to compute for each article, and with which models."""

    tasks: tuple[str, ...] = TASKS
    topic_model: str = "topic"
    stance_model: str = "stance"
    summary_method: str = "auto"
    summary_model: str | None = None
    length: str = "3"
    target: str | None = None
    clean: bool = True
    device: str | None = None

    def __post_init__(self) -> None:
        unknown = [t for t in self.tasks if t not in TASKS]
        if unknown or not self.tasks:
            raise UsageError(f"unknown task {', '.join(unknown) or '(none)'}; choose from {', '.join(TASKS)}")
        LengthSpec.parse(self.length)  # a bad length is one clear error before any work

    def columns(self) -> list[str]:
        return score_columns(self.tasks, generated_briefs="brief" in self.tasks and self.generated_briefs())

    def generated_briefs(self) -> bool:
        """Whether the brief is generated (abstractive), so rows also carry the guard's findings."""
        return (
            self.summary_method == "abstractive" or (peek_meta(self.summary_method) or {}).get("backend") == "seq2seq"
        )

    def column_types(self) -> dict[str, str]:
        return dict.fromkeys(FLOAT_COLUMNS, "float")

    def identity(self) -> dict[str, Any]:
        """The options that decide the output rows (where the models run does not)."""
        return {k: v for k, v in asdict(self).items() if k != "device"}


class Scorer:
    """Loads the models once and turns batches of records into output rows."""

    def __init__(self, options: ScoreOptions) -> None:
        self.options = options
        topic, stance, device = options.topic_model, options.stance_model, options.device
        self.topic = check_model(load_model(topic, device=device)) if "topic" in options.tasks else None
        self.stance = check_model(load_model(stance, device=device)) if "stance" in options.tasks else None
        if self.topic is not None and self.topic.task != "topic":
            raise UsageError(f"--topic-model {options.topic_model}: a {self.topic.task} model, not a topic model")
        if self.stance is not None and self.stance.task != "stance":
            raise UsageError(f"--stance-model {options.stance_model}: a {self.stance.task} model, not a stance model")
        self.summarizer = None
        self.generated_briefs = "brief" in options.tasks and options.generated_briefs()
        if "brief" in options.tasks:
            extra = {"model": options.summary_model} if options.summary_model else {}
            self.summarizer = get_summarizer(options.summary_method, **extra)
        self.length = LengthSpec.parse(options.length)
        used = f"{options.summary_method}:{options.summary_model}" if options.summary_model else options.summary_method
        self.brief_method = f"{used}@nlpkit-{__version__}"
        self.columns = options.columns()

    def models(self) -> dict[str, str]:
        """The `name@version` of each model used: a resumed job must use the very same ones."""
        out = {}
        if self.topic is not None:
            out["topic"] = self.topic.ident
        if self.stance is not None:
            out["stance"] = self.stance.ident
        if self.summarizer is not None:
            out["brief"] = str(getattr(self.summarizer, "ident", self.brief_method))
        return out

    def score(self, records: Sequence[Record], seconds: dict[str, float] | None = None) -> list[dict[str, Any]]:
        """One row per record, in order; `seconds` (if given) gets the time spent per stage."""
        clock = _Clock(seconds if seconds is not None else {})
        rows, ok = self._prepare(records)
        clock.lap("prepare")
        if self.topic is not None and ok:
            preds = self.topic.predict_scores([topic_text(doc) for _, _, doc in ok])
            for (row, _, _), p in zip(ok, preds, strict=True):
                row.update(topic_cells(p, self.topic.ident))
            clock.lap("topic")
        if self.stance is not None and ok:
            self._stance(ok)
            clock.lap("stance")
        if self.summarizer is not None:
            for row, _, doc in ok:
                summary = self.summarizer.summarize(doc, self.length)
                row.update(brief_cells(summary, self.brief_method, generated=self.generated_briefs))
            clock.lap("brief")
        return rows

    def _prepare(self, records: Sequence[Record]) -> tuple[list[dict[str, Any]], list[tuple[dict, Article, Document]]]:
        rows: list[dict[str, Any]] = []
        ok: list[tuple[dict[str, Any], Article, Document]] = []
        for rec in records:
            if isinstance(rec, Failure):
                rows.append(failure_row(rec))
                continue
            row = article_row(rec, rec.title)
            rows.append(row)
            try:
                doc = prepare(rec.text, title=rec.title or None, clean=self.options.clean)
                if not doc.sentences:
                    raise NlpkitError(f"{rec.source}: no sentences left after cleaning")
            except NlpkitError as e:
                row["error"] = str(e)
                continue
            row["title"] = doc.title or None
            ok.append((row, rec, doc))
        return rows, ok

    def _stance(self, ok: list[tuple[dict[str, Any], Article, Document]]) -> None:
        assert self.stance is not None
        pairs, has = [], []
        for row, article, doc in ok:
            claim = stance_target(doc, self.options.target or article.meta.get("target"))
            if claim:
                pairs.append((claim, doc.text))
                has.append(row)
            else:
                row["stance_skipped"] = NO_TARGET
        for row, pair, p in zip(has, pairs, self.stance.predict_scores(pairs) if pairs else [], strict=True):
            row.update(stance_cells(p, pair[0], self.stance.ident))


@dataclass(frozen=True)
class ScoreRequest:
    """Everything a scoring engine needs to run one job."""

    inputs: tuple[str, ...]
    out: Path
    options: ScoreOptions = field(default_factory=ScoreOptions)
    fields: Fields = field(default_factory=Fields)
    workers: int = 1
    batch_size: int = 256
    resume: bool = False
    force: bool = False
    errors: Path | None = None
    follow_links: bool = False
    ray_address: str | None = None
    progress: Callable[[ScoreSummary], None] | None = None
    web: WebOptions = field(default_factory=WebOptions)
    urls_file: str | None = None  # a URL list: one article page per line
    urls: tuple[str, ...] = ()

    def files(self) -> list[str]:
        """The input paths (and the URL list), which nothing the job writes may be."""
        return [*self.inputs, *([self.urls_file] if self.urls_file else [])]

    def identity(self, models: dict[str, str] | None = None) -> dict[str, Any]:
        """What decides the rows of the output: a resumed job must match it (inputs however they are
        spelled, options, fields, and the exact version of every model)."""
        listed = hashlib.sha256("\n".join(self.urls).encode("utf-8", "replace")).hexdigest()[:16]
        return {
            "inputs": [canonical_input(i) for i in self.inputs],
            "urls": {"file": canonical_input(self.urls_file), "count": len(self.urls), "sha256": listed}
            if self.urls_file
            else None,
            "options": self.options.identity(),
            "fields": asdict(self.fields),
            "models": models or {},
        }

    def output_job(self, engine: str, models: dict[str, str] | None = None) -> OutputJob:
        types = self.options.column_types()
        return OutputJob(
            self.out,
            job=self.identity(models),
            columns={c: types.get(c, "string") for c in self.options.columns()},
            errors=self.errors,
            summary=ScoreSummary(out=str(self.out), engine=engine, workers=self.workers),
        )


class UnitScorer:
    """Reads, scores and encodes one unit of work: what a worker process or a Ray actor runs."""

    def __init__(self, options: ScoreOptions, fields: Fields, fmt: str) -> None:
        self.scorer = Scorer(options)
        self.fields = fields
        self.fmt = "csv" if fmt == "csv" else "jsonl"  # Parquet is spooled as JSONL
        self.columns = self.scorer.columns

    def __call__(self, unit: Unit) -> Batch:
        seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        records = unit.records(self.fields)
        seconds["read"] = time.perf_counter() - t0
        rows = self.scorer.score(records, seconds)
        return encode_batch(rows, self.columns, self.fmt, seconds)


class _Clock:
    """Adds the time since the last lap to a named stage."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.t
        self.t = now
