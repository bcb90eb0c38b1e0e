"""Batch scoring: the reader -> clean -> models -> records -> writer pipeline, streamed.

`score_archive` reads articles lazily, scores them in batches (in this process, in worker
processes that each load the models once, or on a Ray cluster) and appends rows as they
come, so memory stays flat however large the archive. Every row carries the id, the
predictions and the name@version of the model behind each; a record that cannot be read or
scored becomes a row with `error` set (and a line in the errors file) while the rest goes
on. Rows are appended batch by batch, so an interrupted job resumes after its last complete
row, without duplicates or gaps.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlpkit.errors import NlpkitError, OutputError, UsageError
from nlpkit.io.readers import Fields, Record
from nlpkit.types import Article, Failure

TASKS = ("topic", "stance", "brief")
ENGINES = ("local", "ray")


def article_inputs(article: Article, task: str, *, target: str | None = None, clean: bool = True) -> Any:
    """What a classifier of `task` takes for one article: its text, or a (target, text) pair.

    The stance target is `target` if given, else the article's target field, else its headline.
    """
    from nlpkit.summarize.base import prepare

    doc = prepare(article.text, title=article.title or None, clean=clean)
    return _inputs_of(article, doc, task, target)


def _inputs_of(article: Article, doc: Any, task: str, target: str | None) -> Any:
    if task == "stance":
        claim = target or article.meta.get("target") or doc.title
        if not claim:
            raise UsageError("no stance target: give --target, a target field, or articles with a headline")
        return (str(claim), doc.text)
    return f"{doc.title}\n\n{doc.text}" if doc.title else doc.text


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

    def columns(self) -> list[str]:
        cols = ["id", "source", "title"]
        if "topic" in self.tasks:
            cols += ["topic", "topic_score", "topic_model"]
        if "stance" in self.tasks:
            cols += ["stance", "stance_score", "stance_target", "stance_model"]
        if "brief" in self.tasks:
            cols += ["brief", "brief_method"]
            if self.generated_briefs():
                cols.append("brief_unsupported")
        return [*cols, "error"]

    def generated_briefs(self) -> bool:
        """Whether the brief is generated (abstractive), so rows also carry the guard's findings."""
        from nlpkit.persistence import peek_meta

        return (
            self.summary_method == "abstractive" or (peek_meta(self.summary_method) or {}).get("backend") == "seq2seq"
        )

    def column_types(self) -> dict[str, str]:
        return {"topic_score": "float", "stance_score": "float"}


class Scorer:
    """Loads the models once and turns batches of records into output rows."""

    def __init__(self, options: ScoreOptions) -> None:
        from nlpkit import __version__
        from nlpkit.classify.base import check_model
        from nlpkit.persistence import load_model
        from nlpkit.summarize.base import get_summarizer
        from nlpkit.summarize.length import LengthSpec

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

    def score(self, records: Sequence[Record]) -> list[dict[str, Any]]:
        from nlpkit.summarize.base import prepare

        rows: list[dict[str, Any]] = []
        ok: list[tuple[dict[str, Any], Article, Any]] = []
        for rec in records:
            if isinstance(rec, Failure):
                rows.append({"id": rec.id, "source": rec.source, "title": None, "error": rec.error})
                continue
            row: dict[str, Any] = {"id": rec.id, "source": rec.source, "title": rec.title or None, "error": None}
            rows.append(row)
            try:
                doc = prepare(rec.text, title=rec.title or None, clean=self.options.clean)
                if not doc.sentences:
                    raise NlpkitError(f"{rec.source}: no sentences left after cleaning")
                row["title"] = doc.title or None
                ok.append((row, rec, doc))
            except NlpkitError as e:
                row["error"] = str(e)
        if self.topic is not None and ok:
            preds = self.topic.predict_scores([_inputs_of(a, d, "topic", None) for _, a, d in ok])
            for (row, _, _), p in zip(ok, preds, strict=True):
                row.update(topic=p.label, topic_score=round(p.score, 6), topic_model=self.topic.ident)
        if self.stance is not None and ok:
            pairs, has = [], []
            for row, a, d in ok:
                try:
                    pairs.append(_inputs_of(a, d, "stance", self.options.target))
                    has.append(row)
                except UsageError as e:
                    row["error"] = f"{a.source}: {e}"
            for row, pair, p in zip(has, pairs, self.stance.predict_scores(pairs) if pairs else [], strict=True):
                row.update(
                    stance=p.label,
                    stance_score=round(p.score, 6),
                    stance_target=pair[0],
                    stance_model=self.stance.ident,
                )
        if self.summarizer is not None:
            for row, _, d in ok:
                summary = self.summarizer.summarize(d, self.length)
                row["brief"] = summary.text
                row["brief_method"] = self.brief_method
                if self.generated_briefs:  # the guard's findings: "kind: text" per unsupported span
                    row["brief_unsupported"] = "; ".join(f"{u.kind}: {u.text}" for u in summary.unsupported)
        return rows


_WORKER: Scorer | None = None


def _init_worker(options: ScoreOptions) -> None:
    global _WORKER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Scorer(options)


def _score_in_worker(batch: list[Record]) -> list[dict[str, Any]]:
    assert _WORKER is not None
    return _WORKER.score(batch)


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for r in records:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def score_batches(
    batches: Iterable[list[Record]], options: ScoreOptions, *, workers: int = 1
) -> Iterator[list[dict[str, Any]]]:
    """Score batches in input order: in this process, or in `workers` processes with bounded queues."""
    if workers <= 1:
        from threadpoolctl import threadpool_limits

        scorer = Scorer(options)
        # One OpenMP thread: the boosted trees' per-call threading costs more than it gains on small batches.
        with threadpool_limits(limits=1, user_api="openmp"):
            for b in batches:
                yield scorer.score(b)
        return
    import multiprocessing

    Scorer(options)  # load once here first, so a bad model is one clear error, not one per worker
    # Not fork: forking a process whose libraries run threads (BLAS, torch) can deadlock the child.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(options,), mp_context=ctx
    ) as pool:
        pending: deque[Future[list[dict[str, Any]]]] = deque()
        try:
            for b in batches:
                pending.append(pool.submit(_score_in_worker, b))
                if len(pending) >= 2 * workers:  # bounded: never read far ahead of the workers
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            for f in pending:
                f.cancel()
            raise


@dataclass
class ScoreSummary:
    """What a scoring job did: counts, label totals, time."""

    out: str
    read: int = 0
    scored: int = 0
    failed: int = 0
    resumed_after: int = 0
    topics: dict[str, int] = field(default_factory=dict)
    stances: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    engine: str = "local"
    workers: int = 1
    errors_file: str | None = None

    @property
    def rate(self) -> float:
        return (self.read - self.resumed_after) / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rate": round(self.rate, 1)}

    def tally(self, row: dict[str, Any]) -> None:
        self.read += 1
        if row.get("error"):
            self.failed += 1
            return
        self.scored += 1
        if row.get("topic"):
            self.topics[row["topic"]] = self.topics.get(row["topic"], 0) + 1
        if row.get("stance"):
            self.stances[row["stance"]] = self.stances.get(row["stance"], 0) + 1


def _job_options(options: ScoreOptions) -> dict[str, Any]:
    """The options that decide the output rows (where the models run does not)."""
    return {k: v for k, v in asdict(options).items() if k != "device"}


def _manifest_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.manifest.json")


def count_articles(inputs: Sequence[str]) -> int | None:
    """The number of articles, when it is cheap to know (plain files, JSONL, Parquet); else None."""
    from nlpkit.io.readers import expand_inputs, format_of

    total = 0
    for item in expand_inputs(inputs):
        if not isinstance(item, Path):
            return None
        fmt = format_of(item.name)
        if fmt in ("txt", "html", "json"):
            total += 1
        elif fmt == "jsonl":
            with item.open("rb") as f:
                total += sum(1 for line in f if line.strip())
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(item).metadata.num_rows
        else:
            return None
    return total


def score_archive(
    inputs: str | Sequence[str],
    out: str | Path,
    *,
    options: ScoreOptions | None = None,
    fields: Fields | None = None,
    workers: int | None = None,
    batch_size: int = 256,
    resume: bool = False,
    force: bool = False,
    errors: str | Path | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScoreSummary:
    """Score every article of files, folders, globs and archives into one output file.

    Args:
        inputs: Paths, folders, globs or `-`.
        out: `.jsonl`, `.csv` or `.parquet` (with the Ray engine: a folder of part files).
        options: Tasks and models (default: topic, stance and brief with the bundled models).
        workers: Worker processes (default: the number of cores).
        resume: Continue an interrupted job after its last complete row.
        force: Overwrite an existing output.
        errors: A JSONL file that gets `source`, `id` and `error` of each failed record.
        progress: Called with the number of records done after each batch.

    Example:
        >>> import nlpkit, tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "scores.jsonl"
        >>> s = nlpkit.score_archive("data/articles.jsonl", out, workers=1)
        >>> (s.read, s.failed), sorted(json.loads(open(out).readline()))[:3]
        ((5, 0), ['brief', 'brief_method', 'error'])
    """
    options = options or ScoreOptions()
    fields = fields or Fields()
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    if engine == "ray":
        if resume:
            raise UsageError("--resume works with the local engine; a Ray job writes its output folder anew")
        from nlpkit.ray_engine import score_on_ray

        return score_on_ray(
            inputs,
            Path(out),
            options=options,
            fields=fields,
            batch_size=batch_size,
            force=force,
            errors=errors,
            address=ray_address,
            workers=workers,
        )
    return _score_local(inputs, Path(out), options, fields, workers, batch_size, resume, force, errors, progress)


def _score_local(
    inputs: list[str],
    out: Path,
    options: ScoreOptions,
    fields: Fields,
    workers: int,
    batch_size: int,
    resume: bool,
    force: bool,
    errors: str | Path | None,
    progress: Callable[[int], None] | None,
) -> ScoreSummary:
    from nlpkit.io.readers import read_articles
    from nlpkit.io.writers import RowWriter, finish_parquet, output_format, spool_path

    fmt = output_format(out)
    spool, manifest_file = spool_path(out), _manifest_path(out)
    errors_path = Path(errors) if errors else None
    # Through JSON, so it compares equal to the manifest read back (tuples become lists).
    job = json.loads(
        json.dumps({"inputs": inputs, "options": _job_options(options), "fields": asdict(fields), "format": fmt})
    )
    if force:
        for p in {out, spool, manifest_file, *([errors_path] if errors_path else [])}:
            if p.is_file():
                p.unlink()
    else:
        saved = json.loads(manifest_file.read_text()) if manifest_file.exists() else None
        if resume:
            if saved is None and spool.exists():
                raise OutputError(f"{out}: exists but was not written by nlpkit score; use --force to overwrite it")
            if saved is not None and saved.get("status") == "complete" and out.exists():
                raise OutputError(f"{out}: this job already finished; use --force to run it again")
            if saved is not None and saved.get("job") != job:
                raise UsageError(
                    f"{out}: was started with other inputs or options; rerun with the same ones, or --force"
                )
        elif out.exists() or spool.exists():
            hint = (
                "use --resume to continue it or --force to start over"
                if saved and saved.get("status") != "complete"
                else "use --force to overwrite it"
            )
            raise OutputError(f"{out}: already exists; {hint}")
    out.parent.mkdir(parents=True, exist_ok=True)
    columns = options.columns()
    writer = RowWriter(spool, columns)
    done = writer.resume() if resume else 0
    summary = ScoreSummary(
        out=str(out), engine="local", workers=workers, errors_file=str(errors_path) if errors_path else None
    )
    summary.resumed_after = done
    error_rows: list[dict[str, Any]] = []
    last_id = None
    for row in writer.read_rows() if done else ():
        summary.tally(row)
        last_id = row.get("id")
        if row.get("error"):
            error_rows.append(row)
    if errors_path is not None:  # rebuilt from the output, so it matches it exactly after a resume
        errors_path.write_text(_error_lines(error_rows), encoding="utf-8")
    error_rows.clear()
    _write_manifest(manifest_file, job, "running", summary)

    t0 = time.perf_counter()
    records: Iterator[Record] = iter(read_articles(inputs, fields=fields))
    if done:
        skipped = None
        for _ in range(done):
            skipped = next(records, None)
            if skipped is None:
                raise UsageError(f"{out}: has {done} rows but the inputs now hold fewer articles; use --force")
        if skipped is not None and skipped.id != last_id:
            raise UsageError(
                f"{out}: row {done} is {last_id!r} but input record {done} is {skipped.id!r}; inputs changed, use --force"
            )
    errors_file = errors_path.open("a", encoding="utf-8") if errors_path else None
    try:
        for rows in score_batches(_batches(records, batch_size), options, workers=workers):
            writer.write(rows)
            failed = [r for r in rows if r.get("error")]
            if errors_file is not None and failed:
                errors_file.write(_error_lines(failed))
                errors_file.flush()
            for r in rows:
                summary.tally(r)
            if progress is not None:
                progress(summary.read)
    finally:
        if errors_file is not None:
            errors_file.close()
        summary.seconds = time.perf_counter() - t0
    if fmt == "parquet":
        finish_parquet(spool, out, columns, options.column_types())
    _write_manifest(manifest_file, job, "complete", summary)
    return summary


def _error_lines(rows: list[dict[str, Any]]) -> str:
    """JSONL lines of the errors file (source, id, error) for failed output rows."""
    return "".join(
        json.dumps({"source": r.get("source"), "id": r.get("id"), "error": r["error"]}, ensure_ascii=False) + "\n"
        for r in rows
    )


def _write_manifest(path: Path, job: dict[str, Any], status: str, summary: ScoreSummary) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"job": job, "status": status, "summary": summary.to_dict()}, indent=2), encoding="utf-8")
    tmp.replace(path)
