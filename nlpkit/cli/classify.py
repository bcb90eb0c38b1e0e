"""`nlpkit classify`: label each article with a topic or stance model."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

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
from nlpkit.errors import UsageError, printable
from nlpkit.records import label_record, top_labels
from nlpkit.types import Failure, Prediction, Skipped


@handle_errors
def classify_command(
    paths: Paths,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="A bundled model by name (topic, stance), or a model folder by path (./my-model: a bare bundled name always means the bundled model).",
        ),
    ] = "topic",
    target: Annotated[
        str | None, typer.Option("--target", help="Stance: one claim or headline checked against every article.")
    ] = None,
    target_field: Annotated[
        str | None,
        typer.Option("--target-field", help="Stance: field with each article's target (default: its title)."),
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", help="Show the K most likely labels.")] = 1,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score", help="Say 'uncertain (...)' when the top label's probability is below this (0 to 1)."
        ),
    ] = 0.0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per model call.")] = 64,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Classify the raw text.")] = False,
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
    """Label each article with a topic or stance model: label and probability, one result per article, in order."""
    from nlpkit.api import classify_articles
    from nlpkit.catalog import load_model
    from nlpkit.classifiers.base import check_model
    from nlpkit.io.readers import Fields, read_articles

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: use text or json")
    if top_k < 1 or batch_size < 1:
        raise UsageError("--top-k and --batch-size must be at least 1")
    given, listed = article_inputs(paths, urls)
    clf = check_model(load_model(model, device=device))
    fields = Fields(text=text_field, title=title_field, id=id_field, target=target_field)
    fetcher = fetcher_maker(cache, ignore_robots, timeout)
    records = read_articles(
        [*given, *listed], fields=fields, stdin_format=stdin_format, follow_links=follow_links, fetcher=fetcher
    )
    if not 0 <= min_score <= 1:
        raise UsageError("--min-score must be between 0 and 1")
    failed = 0
    for item in classify_articles(records, clf, target=target, clean=not no_clean, batch_size=batch_size):
        if isinstance(item, Failure):
            failed += 1
            report(item.error)
            continue
        if isinstance(item, Skipped):
            warn(item.reason)
            article, pred, skipped = item.article, None, item.reason
        else:
            (article, pred), skipped = item, None
        if fmt == "json":
            row = label_record(article, pred, model=clf.name, task=clf.task, top_k=top_k, min_score=min_score)
            print(json.dumps(row if skipped is None else {**row, "skipped": skipped}, ensure_ascii=False))
        else:
            shown = label_text(pred, top_k, min_score) if skipped is None else f"none ({_reason(skipped, article)})"
            print(f"{printable(article.id)}\t{shown}")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def label_text(pred: Prediction | None, top_k: int, min_score: float = 0.0) -> str:
    """A prediction as text: `sport 0.912`, `sport 0.61, world 0.20` (top-k), `uncertain (world 0.41, politics 0.38)`
    below `min_score`, `none` for an article the model does not read."""
    if pred is None:
        return "none"
    top = top_labels(pred, max(top_k, 2 if pred.score < min_score else 1))
    shown = ", ".join(f"{printable(lab)} {p:.3f}" for lab, p in top)
    shown = f"uncertain ({shown})" if pred.score < min_score else shown
    if pred.target is not None:  # stance: what was checked, from where, and the sentence that bears on it
        shown += f"\ttarget ({pred.target_source}): {printable(pred.target)}"
        if pred.evidence is not None:
            shown += f"\tevidence: {printable(' '.join(pred.evidence.text.split()))}"
    return shown


def _reason(skipped: str, article: Any) -> str:
    """A skip's reason without the article's name in front (the row already starts with it)."""
    return printable(skipped.removeprefix(f"{article.source}: "))


def register(app: typer.Typer) -> None:
    app.command("classify", cls=PlainUsage)(classify_command)
