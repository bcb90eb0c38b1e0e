"""`nlpkit score`: topic, stance and brief for every article of an archive, one row each."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer

from nlpkit.cli import PlainUsage, handle_errors
from nlpkit.cli._options import (
    Cache,
    Device,
    FollowLinks,
    Force,
    IdField,
    IgnoreRobots,
    Paths,
    StdinFormat,
    TextField,
    Timeout,
    TitleField,
    Urls,
    article_inputs,
    web_options,
)
from nlpkit.errors import Interrupted, UsageError, printable


@handle_errors
def score_command(
    out: Annotated[str, typer.Option("--out", "-o", help="Output file: .jsonl, .csv or .parquet.")],
    tasks: Annotated[
        str, typer.Option("--tasks", help="Comma-separated: topic, stance, brief.")
    ] = "topic,stance,brief",
    topic_model: Annotated[
        str, typer.Option("--topic-model", help="Bundled topic model name, or a model folder path (./my-model).")
    ] = "topic",
    stance_model: Annotated[
        str, typer.Option("--stance-model", help="Bundled stance model name, or a model folder path (./my-model).")
    ] = "stance",
    summary_method: Annotated[
        str, typer.Option("--summary-method", help="Summarization method for the brief.")
    ] = "auto",
    summary_model: Annotated[
        str | None, typer.Option("--summary-model", help="With --summary-method abstractive: the seq2seq model.")
    ] = None,
    length: Annotated[str, typer.Option("--length", "-l", help="Brief length: 3, 20% or 60w.")] = "3",
    target: Annotated[
        str | None,
        typer.Option("--target", help="Stance: one claim checked against every article (default: its headline)."),
    ] = None,
    claims: Annotated[
        str | None,
        typer.Option(
            "--claims",
            help="A file of claims (one per line, JSONL with id and claim, or a CSV or TSV with those columns): "
            "each article's stance toward every claim it bears on, one row per article and claim, in --claims-out.",
        ),
    ] = None,
    claims_out: Annotated[
        str | None, typer.Option("--claims-out", help="Where the claim rows go (default: OUT.claims.jsonl).")
    ] = None,
    target_field: Annotated[
        str | None, typer.Option("--target-field", help="Stance: field with each article's target.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", help="Worker processes (default: number of cores).")
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per batch.")] = 256,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted job after its last complete row.")
    ] = False,
    errors: Annotated[
        str | None, typer.Option("--errors", help="JSONL file for records that failed (source, id, error).")
    ] = None,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            help="When the job is done, write the archive at a glance to this folder: report.md, summary.json and "
            "plots of topics, topics by day published and claims.",
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (worker processes) or ray (Ray Data).")] = "local",
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Ray cluster to join (default: start a local Ray).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Summary at the end: text or json.")] = "text",
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Score the raw text.")] = False,
    device: Device = None,
    follow_links: FollowLinks = False,
    urls: Urls = None,
    cache: Cache = None,
    ignore_robots: IgnoreRobots = False,
    timeout: Timeout = 30.0,
    host_delay: Annotated[
        float, typer.Option("--host-delay", help="Web pages: seconds between two requests to one site.")
    ] = 0.5,
    host_connections: Annotated[
        int, typer.Option("--host-connections", help="Web pages: requests to one site at a time.")
    ] = 2,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    id_field: IdField = "id",
    stdin_format: StdinFormat = "auto",
    force: Force = False,
    inputs: Paths = None,
) -> None:
    """Score archives: one row per article with topic, stance and brief; streaming, parallel, resumable.

    The exit code is 0 when every record was scored, 1 when any failed (they are in --errors).
    """
    from nlpkit.io.lists import claim_list
    from nlpkit.io.readers import Fields
    from nlpkit.jobs import ScoreSummary
    from nlpkit.scorer import ScoreOptions
    from nlpkit.scoring import ENGINES, count_articles, score_archive

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: use text or json")
    ENGINES.get(engine)  # an unknown engine is a usage error before anything else
    options = ScoreOptions(
        tasks=tuple(t.strip() for t in tasks.split(",") if t.strip()),
        topic_model=topic_model,
        stance_model=stance_model,
        summary_method=summary_method,
        summary_model=summary_model,
        length=length,
        target=target,
        clean=not no_clean,
        device=device,
        claims=tuple(claim_list(claims)) if claims else (),
    )
    fields = Fields(text=text_field, title=title_field, id=id_field, target=target_field)
    given, listed = article_inputs(inputs, urls)
    if host_delay < 0 or not 1 <= host_connections <= 64:
        raise UsageError("--host-delay must be 0 or more seconds, and --host-connections from 1 to 64")
    bar = None
    show = not quiet and sys.stderr.isatty() and engine == "local"
    if show:
        from tqdm import tqdm

        total = count_articles(given, listed)
        bar = tqdm(total=total, unit=" articles", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def progress(done: ScoreSummary) -> None:
        if bar is not None:
            bar.update(done.read - bar.n)
            if done.fetched or listed:
                bar.set_postfix_str(f"fetched {done.fetched}, failed {done.failed}", refresh=False)

    try:
        summary = score_archive(
            given,
            out,
            options=options,
            fields=fields,
            workers=workers,
            batch_size=batch_size,
            resume=resume,
            force=force,
            errors=errors,
            engine=engine,
            ray_address=ray_address,
            follow_links=follow_links,
            progress=progress,
            urls=urls,
            web=web_options(cache, ignore_robots, timeout, per_host=host_connections, delay=host_delay),
            claims_out=claims_out,
            stdin_format=stdin_format,
            report=report,
        )
    except KeyboardInterrupt:
        raise Interrupted(
            f"interrupted; the rows written so far are kept: rerun with --resume to continue {out}"
        ) from None
    finally:
        if bar is not None:
            bar.close()
    print(json.dumps(summary.to_dict()) if fmt == "json" else summary_text(summary))
    if summary.failed:
        raise typer.Exit(1)


def tally_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{printable(k)} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def summary_text(summary: Any) -> str:
    """The end-of-job summary as a few lines of text."""

    tally = tally_text

    resumed = f" (resumed after {summary.resumed_after})" if summary.resumed_after else ""
    rate = f"{summary.rate:.0f}" if summary.rate >= 10 else f"{summary.rate:.2g}"
    fetched = f", {summary.fetched} pages fetched" if summary.fetched else ""
    workers = f"{summary.workers} worker" + ("s" if summary.workers != 1 else "")
    lines = [
        f"{summary.read} articles read{resumed}, {summary.scored} scored, {summary.failed} failed{fetched} "
        f"in {summary.seconds:.1f} s ({rate} articles/s, {summary.engine}, {workers})"
    ]
    if summary.topics:
        lines.append("topics:  " + tally(summary.topics))
    if summary.stances:
        lines.append("stances: " + tally(summary.stances))
    for kind, n in sorted(summary.skipped.items(), key=lambda kv: (not kv[0].startswith("topic"), kv[0])):
        task, why = kind.split(": ", 1)
        why = "in another language than the model's" if why == "another language" else f"with {why}"
        articles = "article" if n == 1 else "articles"
        lines.append(f"{task + ':':<8} left empty for {n} {articles} {why} (see {task}_skipped)")
    if summary.claims_file:
        bearing, given = len(summary.claims), summary.claims_given
        if bearing:
            lines.append(f"claims:  {bearing} of the {given} bear on some article; stance per claim:")
        else:
            lines.append(f"claims:  none of the {given} bears on any article (shares enough of its words with one)")
        busiest = sorted(summary.claims.items(), key=lambda kv: -sum(kv[1].values()))[:10]
        for cid, tally in busiest:
            lines.append(f"  {printable(cid)}: " + tally_text(tally))
    if summary.first_error:
        where = "" if summary.errors_file else " (every failed row has its reason in the error column)"
        lines.append(f"failed:  {summary.failed}; the first: {printable(summary.first_error)}{where}")
    failures = f"; failures: {summary.errors_file}" if summary.failed and summary.errors_file else ""
    claims = f"; claims: {summary.claims_file}" if summary.claims_file else ""
    report = f"; report: {os.path.join(summary.report, 'report.md')}" if summary.report else ""
    lines.append(f"output: {summary.out}{claims}{failures}{report}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("score", cls=PlainUsage)(score_command)
