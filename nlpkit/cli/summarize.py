"""`nlpkit summarize`: a short brief of each article."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from nlpkit.cli import PlainUsage, handle_errors, report, warn
from nlpkit.cli._options import (
    Cache,
    Device,
    FollowLinks,
    IdField,
    IgnoreRobots,
    Paths,
    StdinFormat,
    TextField,
    Timeout,
    TitleField,
    Urls,
    article_inputs,
    fetcher_maker,
)
from nlpkit.errors import printable
from nlpkit.records import brief_record
from nlpkit.types import Brief, Failure, joined

#: The probability below which `summarize --topic` says "uncertain" (bench/topic_sources.py: on news from
#: outlets the model never saw, about four in five answers above it are right).
TOPIC_MIN_SCORE = 0.5


class BriefFormat(str, Enum):
    brief = "brief"
    text = "text"
    markdown = "markdown"
    json = "json"


def _method_help() -> str:
    from nlpkit.summarizers import SUMMARIZERS

    return f"Summarization method ({', '.join(SUMMARIZERS.names())}) or a trained summarizer's folder."


@handle_errors
def summarize_command(
    paths: Paths,
    method: Annotated[str, typer.Option("--method", "-m", help=_method_help())] = "auto",
    length: Annotated[
        str, typer.Option("--length", "-l", help="Sentences (3), a share of them (20%), or words (60w).")
    ] = "3",
    fmt: Annotated[BriefFormat, typer.Option("--format", "-f", help="Output format.")] = BriefFormat.brief,
    topic: Annotated[
        bool, typer.Option("--topic", help="Add the topic (bundled topic model, or --topic-model).")
    ] = False,
    topic_model: Annotated[
        str,
        typer.Option(
            "--topic-model", help="Topic model used by --topic: a bundled name, or a folder path (./my-model)."
        ),
    ] = "topic",
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score", help="With --topic: say 'uncertain (...)' below this probability of the top label."
        ),
    ] = TOPIC_MIN_SCORE,
    no_clean: Annotated[
        bool, typer.Option("--no-clean", help="Do not strip comments, share prompts, bylines, ...")
    ] = False,
    model: Annotated[
        str | None,
        typer.Option("--model", help="Abstractive: seq2seq model folder, nlpkit seq2seq model, or Hub id."),
    ] = None,
    beams: Annotated[int | None, typer.Option("--beams", help="Abstractive: beam search width (4).")] = None,
    min_tokens: Annotated[
        int | None, typer.Option("--min-tokens", help="Abstractive: fewest tokens generated per chunk (10).")
    ] = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Abstractive: most tokens generated per chunk (128).")
    ] = None,
    no_repeat_ngram: Annotated[
        int | None, typer.Option("--no-repeat-ngram", help="Abstractive: never repeat an n-gram of this size (3).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Abstractive: drop sentences with numbers/quotes/names not in the article.")
    ] = False,
    device: Device = None,
    follow_links: FollowLinks = False,
    urls: Urls = None,
    cache: Cache = None,
    ignore_robots: IgnoreRobots = False,
    timeout: Timeout = 30.0,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    id_field: IdField = "id",
    stdin_format: StdinFormat = "auto",
) -> None:
    """Print a short brief of each article: its headline and the sentences that carry the story.

    Extractive methods copy sentences from the article. `--method abstractive --model M`
    generates the brief with a seq2seq model and flags unsupported numbers, quotes and names
    (in --format json; --strict drops those sentences).
    """
    from nlpkit.api import brief_articles
    from nlpkit.io.readers import Fields, read_articles
    from nlpkit.summarizers.length import LengthSpec

    spec = LengthSpec.parse(length)
    given = {
        "model": model,
        "num_beams": beams,
        "min_tokens": min_tokens,
        "max_tokens": max_tokens,
        "no_repeat_ngram_size": no_repeat_ngram,
        "strict": strict or None,
        "device": device,
    }
    options = {k: v for k, v in given.items() if v is not None}
    named, listed = article_inputs(paths, urls)
    records = read_articles(
        [*named, *listed],
        fields=Fields(text=text_field, title=title_field, id=id_field),
        stdin_format=stdin_format,
        follow_links=follow_links,
        fetcher=fetcher_maker(cache, ignore_robots, timeout),
    )
    failed = 0
    first = True
    for item in brief_articles(
        records,
        method=method,
        length=spec,
        clean=not no_clean,
        topic_model=topic_model if topic else None,
        options=options,
    ):
        if isinstance(item, Failure):
            failed += 1
            report(item.error)
            continue
        brief, warnings = item
        for w in warnings:
            warn(w)
        if brief.summary.unsupported and fmt is not BriefFormat.json:
            spans = ", ".join(f"{u.kind} {u.text!r}" for u in brief.summary.unsupported)
            warn(f"{brief.source or brief.id}: not found in the article: {spans} (--strict drops these sentences)")
        sys.stdout.write(render(brief, fmt, first=first, min_score=min_score))
        sys.stdout.flush()
        first = False
    if failed:
        raise typer.Exit(1)


def render(brief: Brief, fmt: BriefFormat, *, first: bool = True, min_score: float = 0.0) -> str:
    """One brief as text in the chosen format."""
    if fmt is BriefFormat.json:
        return json.dumps(brief_record(brief, min_score=min_score), ensure_ascii=False) + "\n"
    title = printable(" ".join((brief.title or Path(brief.source).name or brief.id).split()))
    sentences = [printable(" ".join(s.text.split())) for s in brief.summary.sentences]
    topic = _topic_text(brief, min_score)
    sep = "" if first else "\n"
    if fmt is BriefFormat.text:
        return sep + joined(sentences) + "\n"
    if fmt is BriefFormat.markdown:
        lines = [f"## {title}", ""]
        if topic:
            lines += [f"*Topic: {topic}*", ""]
        lines += [f"- {s}" for s in sentences]
        return sep + "\n".join(lines) + "\n"
    lines = [title]
    if topic:
        lines.append(f"Topic: {topic}")
    lines += [f"  • {s}" for s in sentences]
    return sep + "\n".join(lines) + "\n"


def _topic_text(brief: Brief, min_score: float) -> str | None:
    """`world (0.83)`, `uncertain (world 0.41, politics 0.38)`, or the reason there is none."""
    if brief.topic is None:
        return f"none ({brief.topic_skipped})" if brief.topic_skipped else None
    if brief.topic.score < min_score:
        top = sorted(brief.topic.scores.items(), key=lambda kv: -kv[1])[:2]
        return "uncertain (" + ", ".join(f"{printable(k)} {v:.2f}" for k, v in top) + ")"
    return f"{printable(brief.topic.label)} ({brief.topic.score:.2f})"


def register(app: typer.Typer) -> None:
    app.command("summarize", cls=PlainUsage)(summarize_command)
