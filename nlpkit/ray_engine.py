"""`nlpkit score --engine ray`: the same job on a Ray cluster, through Ray Data.

Files are read with Ray Data's binary-file source (local paths, shared file systems or object
storage such as s3://), parsed by nlpkit's own readers inside Ray tasks so that ids match
the local engine exactly, scored by an actor pool in which every actor loads the models
once, and written with Ray Data's own sinks: the output is a folder of JSONL, CSV or
Parquet part files.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from nlpkit.errors import OutputError, UsageError
from nlpkit.io.readers import Fields
from nlpkit.scoring import ScoreOptions, ScoreSummary
from nlpkit.types import Article, Failure


def _parse_file(row: dict[str, Any], fields: dict[str, Any]) -> list[dict[str, Any]]:
    from nlpkit.io.readers import format_of, read_bytes

    source = str(row["path"])
    fmt = format_of(source)
    out: list[dict[str, Any]] = []
    if fmt is None:
        return [
            {
                "id": source,
                "source": source,
                "error": f"{source}: unknown file type",
                "title": "",
                "text": "",
                "meta": "{}",
            }
        ]
    for rec in read_bytes(bytes(row["bytes"]), source, fmt, Fields(**fields)):
        if isinstance(rec, Failure):
            out.append({"id": rec.id, "source": rec.source, "error": rec.error, "title": "", "text": "", "meta": "{}"})
        else:
            meta = json.dumps(rec.meta, ensure_ascii=False, default=str)
            out.append(
                {"id": rec.id, "source": rec.source, "error": None, "title": rec.title, "text": rec.text, "meta": meta}
            )
    return out


class _RayScorer:
    """Ray Data actor: loads the models once, scores batches of parsed records."""

    def __init__(self, options: dict[str, Any]) -> None:
        from nlpkit.scoring import Scorer

        opts = dict(options)
        opts["tasks"] = tuple(opts["tasks"])
        self.options = ScoreOptions(**opts)
        self.scorer = Scorer(self.options)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        records: list[Article | Failure] = []
        for r in batch.to_pylist():
            if r["error"]:
                records.append(Failure(source=r["source"], id=r["id"], error=r["error"]))
            else:
                records.append(
                    Article(
                        id=r["id"], title=r["title"], text=r["text"], source=r["source"], meta=json.loads(r["meta"])
                    )
                )
        return pa.Table.from_pylist(self.scorer.score(records), schema=_schema(self.options))


def _schema(options: ScoreOptions) -> Any:
    import pyarrow as pa

    types = options.column_types()
    return pa.schema([(c, pa.float64() if types.get(c) == "float" else pa.string()) for c in options.columns()])


def score_on_ray(
    inputs: list[str],
    out: Path,
    *,
    options: ScoreOptions,
    fields: Fields,
    batch_size: int,
    force: bool,
    errors: str | Path | None,
    address: str | None,
    workers: int,
) -> ScoreSummary:
    """Run the scoring job with Ray Data; `out` becomes a folder of part files."""
    import time

    try:
        import ray
    except ImportError:
        raise UsageError("the Ray engine needs Ray: pip install 'nlpkit[ray]'") from None
    from nlpkit.io.readers import expand_inputs
    from nlpkit.io.writers import output_format
    from nlpkit.scoring import Scorer

    fmt = output_format(out)
    if out.exists():
        if not force:
            raise OutputError(f"{out}: already exists; use --force to overwrite it")
        if out.is_dir():
            import shutil

            shutil.rmtree(out)
        else:
            out.unlink()
    paths: list[str] = []
    failures: list[Failure] = []
    for item in expand_inputs(inputs):
        if isinstance(item, Failure):
            failures.append(item)
        elif item == "-":
            raise UsageError("the Ray engine reads files, not stdin; use the local engine for -")
        else:
            paths.append(str(item))
    Scorer(options)  # a bad model name is one clear error here, not one per actor
    t0 = time.perf_counter()
    if not ray.is_initialized():
        # A local Ray gets one CPU more than the scoring actors, so reading never waits for them.
        ray.init(
            address=address,
            num_cpus=None if address else workers + 1,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    fields_d = asdict(fields)
    parsed = None
    if paths:
        files = ray.data.read_binary_files(paths, include_paths=True)
        parsed = files.flat_map(_parse_file, fn_kwargs={"fields": fields_d}, num_cpus=0.5)  # type: ignore[arg-type]
    if failures:
        extra = ray.data.from_items(
            [
                {"id": f.id, "source": f.source, "error": f.error, "title": "", "text": "", "meta": "{}"}
                for f in failures
            ]
        )
        parsed = extra if parsed is None else parsed.union(extra)
    if parsed is None:
        raise UsageError("no input files to score")
    scored = parsed.map_batches(
        _RayScorer,
        fn_constructor_kwargs={"options": asdict(options)},
        batch_size=batch_size,
        batch_format="pyarrow",
        concurrency=workers,
    )
    target = str(out)
    if fmt == "parquet":
        scored.write_parquet(target)
    elif fmt == "csv":
        scored.write_csv(target)
    else:
        scored.write_json(target)
    summary = ScoreSummary(out=target, engine="ray", workers=workers, errors_file=str(errors) if errors else None)
    error_lines = []
    for row in read_ray_output(out):
        summary.tally(row)
        if row.get("error"):
            error_lines.append(
                json.dumps({"source": row["source"], "id": row["id"], "error": row["error"]}, ensure_ascii=False)
            )
    if errors:
        Path(errors).write_text("".join(line + "\n" for line in error_lines), encoding="utf-8")
    summary.seconds = time.perf_counter() - t0
    return summary


def read_ray_output(out: Path) -> Any:
    """Rows of a Ray output folder (any of the three formats), streamed file by file."""
    import csv

    for f in sorted(p for p in Path(out).rglob("*") if p.is_file() and not p.name.startswith((".", "_"))):
        name = f.name.lower()
        if name.endswith(".parquet"):
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(f).iter_batches():
                yield from batch.to_pylist()
        elif name.endswith(".csv"):
            with f.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    yield {k: (v if v != "" else None) for k, v in r.items()}
        elif name.endswith((".json", ".jsonl")):
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield json.loads(line)


__all__ = ["read_ray_output", "score_on_ray"]
