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
from nlpkit.classifiers.base import check_model
from nlpkit.classifiers.claims import ClaimIndex
from nlpkit.errors import NlpkitError, UsageError
from nlpkit.io.paths import canonical_input
from nlpkit.io.readers import Fields, Record
from nlpkit.io.units import Unit
from nlpkit.io.web import WebOptions
from nlpkit.jobs import Batch, OutputJob, ScoreSummary, encode_batch
from nlpkit.persistence import peek_meta
from nlpkit.records import (
    CLAIM_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    article_row,
    brief_cells,
    claim_cells,
    failure_row,
    score_columns,
    stance_cells,
    topic_cells,
)
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.align import source_span
from nlpkit.text.prepare import NO_TARGET, prepare, resolve_target, topic_text
from nlpkit.types import Article, Document, Failure

TASKS = ("topic", "stance", "brief")


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
    claims: tuple[tuple[str, str], ...] = ()  # (id, claim): each article's stance toward the claims it bears on

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
        return {**dict.fromkeys(FLOAT_COLUMNS, "float"), **dict.fromkeys(INT_COLUMNS, "int")}

    def identity(self) -> dict[str, Any]:
        """The options that decide the output rows (where the models run does not)."""
        return {k: v for k, v in asdict(self).items() if k != "device"}


class Scorer:
    """Loads the models once and turns batches of records into output rows."""

    def __init__(self, options: ScoreOptions) -> None:
        self.options = options
        topic, stance, device = options.topic_model, options.stance_model, options.device
        self.topic = check_model(load_model(topic, device=device)) if "topic" in options.tasks else None
        wants_stance = "stance" in options.tasks or bool(options.claims)
        self.stance = check_model(load_model(stance, device=device)) if wants_stance else None
        self.claim_index = ClaimIndex(options.claims) if options.claims else None
        self.claim_rows: list[dict[str, Any]] = []  # of the last `score` call, `row` counting from its first record
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
            self._topic(ok)
            clock.lap("topic")
        if self.stance is not None and ok and "stance" in self.options.tasks:
            self._stance(ok)
            clock.lap("stance")
        self.claim_rows = []
        if self.claim_index is not None and ok:
            self.claim_rows = self._claims(rows, ok)
            clock.lap("claims")
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

    def _topic(self, ok: list[tuple[dict[str, Any], Article, Document]]) -> None:
        """Topic cells of each row; an article in a language the model does not read gets none, and why."""
        assert self.topic is not None
        readable = []
        for row, _, doc in ok:
            why = self.topic.cannot_read(doc.text)
            if why is None:
                readable.append((row, doc))
            else:
                row["topic_skipped"] = why
        preds = self.topic.predict_scores([topic_text(doc) for _, doc in readable]) if readable else []
        for (row, _), p in zip(readable, preds, strict=True):
            row.update(topic_cells(p, self.topic.ident))

    def _claims(
        self, rows: list[dict[str, Any]], ok: list[tuple[dict[str, Any], Article, Document]]
    ) -> list[dict[str, Any]]:
        """One row per (article, claim it bears on): the stance toward the claim and the evidence sentence."""
        assert self.stance is not None and self.claim_index is not None
        position = {id(row): i for i, row in enumerate(rows)}
        claims = dict(self.options.claims)
        pairs, meta = [], []
        for row, article, doc in ok:
            if self.stance.cannot_read(doc.text) is not None:
                continue
            for cid, share in self.claim_index.related(f"{doc.title}\n\n{doc.text}"):
                pairs.append((claims[cid], doc.text))
                meta.append((position[id(row)], article, doc, cid, share))
        out = []
        for (i, article, doc, cid, share), p in zip(
            meta, self.stance.predict_scores(pairs) if pairs else [], strict=True
        ):
            cells = claim_cells(p, cid, share, self.stance.ident)
            cells.update(row=i, id=article.id)
            if p.evidence is not None:
                cells["evidence_start"], cells["evidence_end"] = source_span(
                    article.text, doc.text, p.evidence.start, p.evidence.end
                )
            out.append(cells)
        return out

    def _stance(self, ok: list[tuple[dict[str, Any], Article, Document]]) -> None:
        assert self.stance is not None
        pairs, has = [], []
        for row, article, doc in ok:
            claim, source = resolve_target(doc, self.options.target, article.meta.get("target"))
            why = self.stance.cannot_read(doc.text) if claim else NO_TARGET
            if claim and why is None:
                pairs.append((claim, doc.text))
                has.append((row, source, article, doc))
            else:
                row["stance_skipped"] = why
        for (row, source, article, doc), p in zip(has, self.stance.predict_scores(pairs) if pairs else [], strict=True):
            row.update(stance_cells(p, p.target or "", self.stance.ident))
            row["stance_target_source"] = source
            if p.evidence is not None:
                span = source_span(article.text, doc.text, p.evidence.start, p.evidence.end)
                row.update(stance_evidence=p.evidence.text, stance_evidence_start=span[0], stance_evidence_end=span[1])


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
    claims_out: Path | None = None  # the claim rows of `options.claims`
    stdin_format: str = "auto"  # how `-` is read (`nlpkit.io.paths.STDIN_FORMATS`)

    def files(self) -> list[str]:
        """The input paths (and the URL list), which nothing the job writes may be."""
        return [*self.inputs, *([self.urls_file] if self.urls_file else [])]

    def identity(self, models: dict[str, str] | None = None) -> dict[str, Any]:
        """What decides the rows of the output: a resumed job must match it (inputs however they are
        spelled, options, fields, and the exact version of every model)."""
        listed = hashlib.sha256("\n".join(self.urls).encode("utf-8", "replace")).hexdigest()[:16]
        stdin = {"stdin_format": self.stdin_format} if "-" in self.inputs else {}
        return {
            **stdin,
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
        side = (self.claims_out, CLAIM_COLUMNS) if self.claims_out is not None else None
        return OutputJob(
            self.out,
            job=self.identity(models),
            columns={c: types.get(c, "string") for c in self.options.columns()},
            errors=self.errors,
            summary=ScoreSummary(
                out=str(self.out),
                engine=engine,
                workers=self.workers,
                claims_file=str(self.claims_out or "") or None,
                claims_given=len(self.options.claims),
            ),
            side=side,
        )


class UnitScorer:
    """Reads, scores and encodes one unit of work: what a worker process or a Ray actor runs."""

    def __init__(self, options: ScoreOptions, fields: Fields, fmt: str, *, scorer: Scorer | None = None) -> None:
        self.scorer = scorer if scorer is not None else Scorer(options)
        self.fields = fields
        self.fmt = "csv" if fmt == "csv" else "jsonl"  # Parquet is spooled as JSONL
        self.columns = self.scorer.columns

    def __call__(self, unit: Unit) -> Batch:
        seconds: dict[str, float] = {}
        t0 = time.perf_counter()
        records = unit.records(self.fields)
        seconds["read"] = time.perf_counter() - t0
        rows = self.scorer.score(records, seconds)
        return encode_batch(rows, self.columns, self.fmt, seconds, side=self.scorer.claim_rows)


class _Clock:
    """Adds the time since the last lap to a named stage."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.t = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.t
        self.t = now
