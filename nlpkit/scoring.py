"""Batch scoring: the reader -> prepare -> models -> records -> writer pipeline, streamed.

`score_archive` plans the inputs as units of work, has an engine (`ENGINES`: `local` worker
processes, or `ray`) read and score them, and writes one row per article, in input order,
through an `OutputJob` (resumable, with an errors file), so memory stays flat however large
the archive. A record that cannot be read or scored becomes a row with `error` set while
the rest goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from nlpkit.errors import UsageError
from nlpkit.io.lists import url_list
from nlpkit.io.paths import ONE_ARTICLE_FORMATS, expand_inputs, format_of
from nlpkit.io.readers import Fields
from nlpkit.io.web import WebOptions
from nlpkit.io.writers import output_format
from nlpkit.jobs import ScoreSummary
from nlpkit.registry import Registry
from nlpkit.scorer import ScoreOptions, ScoreRequest

Engine = Callable[[ScoreRequest], ScoreSummary]

#: How a scoring job runs; every engine takes a `ScoreRequest` and returns a `ScoreSummary`.
ENGINES: Registry[Engine] = Registry("engine")
ENGINES.add_lazy("local", "nlpkit.engines.local:score_local")
ENGINES.add_lazy("ray", "nlpkit.engines.ray:score_ray")


def count_articles(inputs: Sequence[str], urls: Sequence[str] = ()) -> int | None:
    """The number of articles, when it is cheap to know (plain files, JSONL, Parquet, a URL list); else None."""
    total = len(urls)
    for item in expand_inputs(inputs):
        if not isinstance(item, Path):
            return None
        fmt = format_of(item.name)
        if fmt in ONE_ARTICLE_FORMATS:
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


def claims_path(out: str | Path, given: str | Path | None) -> Path:
    """Where claim rows go: `given`, or `out` with `.claims.jsonl` for its extension.

    Example:
        >>> claims_path("runs/scores.parquet", None).as_posix()
        'runs/scores.claims.jsonl'
    """
    if given is not None:
        path = Path(given)
        if output_format(path) == "parquet":
            raise UsageError(f"{path}: claim rows are written as JSONL or CSV; give a .jsonl or .csv file")
        return path
    out = Path(out)
    return out.with_name(f"{out.name.split('.')[0]}.claims.jsonl")


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
    follow_links: bool = False,
    progress: Callable[[ScoreSummary], None] | None = None,
    urls: str | Path | None = None,
    web: WebOptions | None = None,
    claims_out: str | Path | None = None,
    stdin_format: str = "auto",
    report: str | Path | None = None,
) -> ScoreSummary:
    """Score every article of files, folders, globs and archives into one output file.

    Args:
        inputs: Paths, folders, globs or `-`.
        out: `.jsonl`, `.csv` or `.parquet`.
        options: Tasks and models (default: topic, stance and brief with the bundled models).
        workers: Worker processes or Ray actors (default: the number of cores).
        resume: Continue an interrupted job after its last complete row.
        force: Overwrite an existing output (an input is never overwritten).
        errors: A JSONL file that gets `source`, `id` and `error` of each failed record.
        engine: `local` or `ray` (`ray_address` joins a cluster).
        follow_links: Read files that links in an input folder point to outside it.
        progress: Called with the job's `ScoreSummary` so far after each batch (`read`, `failed`, `fetched`).
        urls: A file of URLs, one article page per line (scored after `inputs`).
        web: How pages and feeds are fetched (timeouts, robots.txt, `cache`, per-host limits).
        claims_out: Where the claim rows go when `options.claims` is given (default: beside `out`,
            `NAME.claims.jsonl`): one row per article and claim it bears on, with the stance and evidence.
        stdin_format: How `-` is read: one of `nlpkit.io.paths.STDIN_FORMATS`; `auto` tells JSONL, JSON and
            HTML from one text article by the first line (`nlpkit.io.readers.sniff_stdin`).
        report: A folder for the archive at a glance once the job is done (`nlpkit.score_report`): `report.md`,
            `summary.json` and plots of its topics, topics by day published and claims. Checked before the job
            starts (an existing report needs `force`).

    Example:
        >>> import json, nlpkit, tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "scores.jsonl"
        >>> s = nlpkit.score_archive("data/articles.jsonl", out, workers=1)
        >>> (s.read, s.failed), sorted(json.loads(open(out).readline()))[:3]
        ((5, 0), ['author', 'brief', 'brief_method'])
    """
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    options = options or ScoreOptions()
    side = claims_path(out, claims_out) if options.claims else None
    request = ScoreRequest(
        inputs=(inputs,) if isinstance(inputs, str) else tuple(inputs),
        out=Path(out),
        options=options,
        fields=fields or Fields(),
        workers=max(1, workers if workers is not None else (os.cpu_count() or 1)),
        batch_size=batch_size,
        resume=resume,
        force=force,
        errors=Path(errors) if errors else None,
        follow_links=follow_links,
        ray_address=ray_address,
        progress=progress,
        web=web or WebOptions(per_host=2, delay=0.5),
        urls_file=str(urls) if urls else None,
        urls=tuple(url_list(urls)) if urls else (),
        claims_out=side,
        stdin_format=stdin_format,
    )
    if report is None:
        return ENGINES.get(engine)(request)
    from nlpkit.reports import prepare_report_dir
    from nlpkit.score_report import write_score_report

    given = [p for p in request.inputs if p != "-"]
    folder = prepare_report_dir(report, force=force, inputs=[*given, request.out, *([side] if side else [])])
    summary = ENGINES.get(engine)(request)
    write_score_report(request.out, folder, claims_out=side)
    summary.report = str(folder)
    return summary
