"""`nlpkit score`: topic, stance and brief for every article of an archive, one row each."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from nlpkit.cli import PlainUsage, handle_errors
from nlpkit.cli._options import Device, FollowLinks, Force, IdField, Paths, TextField, TitleField
from nlpkit.errors import Interrupted, UsageError


@handle_errors
def score_command(
    inputs: Paths,
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
    engine: Annotated[str, typer.Option("--engine", help="local (worker processes) or ray (Ray Data).")] = "local",
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Ray cluster to join (default: start a local Ray).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Summary at the end: text or json.")] = "text",
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Score the raw text.")] = False,
    device: Device = None,
    follow_links: FollowLinks = False,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    id_field: IdField = "id",
    force: Force = False,
) -> None:
    """Score archives: one row per article with topic, stance and brief; streaming, parallel, resumable.

    The exit code is 0 when every record was scored, 1 when any failed (they are in --errors).
    """
    from nlpkit.io.readers import Fields
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
    )
    fields = Fields(text=text_field, title=title_field, id=id_field, target=target_field)
    bar = None
    show = not quiet and sys.stderr.isatty() and engine == "local"
    if show:
        from tqdm import tqdm

        bar = tqdm(total=count_articles(inputs), unit=" articles", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def progress(n: int) -> None:
        if bar is not None:
            bar.update(n - bar.n)

    try:
        summary = score_archive(
            inputs,
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
        )
    except KeyboardInterrupt:
        raise Interrupted(
            f"interrupted; the rows written so far are kept: rerun with --resume to continue {out}"
        ) from None
    finally:
        if bar is not None:
            bar.close()
    if fmt == "json":
        print(json.dumps(summary.to_dict()))
    else:
        resumed = f" (resumed after {summary.resumed_after})" if summary.resumed_after else ""
        rate = f"{summary.rate:.0f}" if summary.rate >= 10 else f"{summary.rate:.2g}"
        print(
            f"{summary.read} articles read{resumed}, {summary.scored} scored, {summary.failed} failed "
            f"in {summary.seconds:.1f} s ({rate} articles/s, {summary.engine}, {summary.workers} workers)"
        )
        if summary.topics:
            print("topics:  " + ", ".join(f"{k} {v}" for k, v in sorted(summary.topics.items(), key=lambda kv: -kv[1])))
        if summary.stances:
            print(
                "stances: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.stances.items(), key=lambda kv: -kv[1]))
            )
        if summary.stance_skipped:
            print(f"stance:  left empty for {summary.stance_skipped} articles with no target (see stance_skipped)")
        print(
            f"output: {summary.out}"
            + (f"; failures: {summary.errors_file}" if summary.failed and summary.errors_file else "")
        )
    if summary.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("score", cls=PlainUsage)(score_command)
