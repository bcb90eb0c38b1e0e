"""`nlpkit classify`: label each article with a topic or stance model."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from nlpkit.cli import handle_errors
from nlpkit.cli._options import Device, IdField, TextField, TitleField


@handle_errors
def classify_command(
    paths: Annotated[
        list[str], typer.Argument(help="Article files, folders, JSONL/CSV/Parquet tables, or - for stdin.")
    ],
    model: Annotated[
        str, typer.Option("--model", "-m", help="A bundled model (topic, stance) or a model folder.")
    ] = "topic",
    target: Annotated[
        str | None, typer.Option("--target", help="Stance: one claim or headline checked against every article.")
    ] = None,
    target_field: Annotated[
        str | None,
        typer.Option("--target-field", help="Stance: field with each article's target (default: its title)."),
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", help="Show the K most likely labels.")] = 1,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    batch_size: Annotated[int, typer.Option("--batch-size", help="Articles per model call.")] = 64,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Classify the raw text.")] = False,
    device: Device = None,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    id_field: IdField = "id",
) -> None:
    """Label each article with a topic or stance model: label and probability, one result per article, in order."""
    from nlpkit.classify.base import check_model
    from nlpkit.errors import UsageError
    from nlpkit.io.readers import Fields, read_articles
    from nlpkit.persistence import load_model
    from nlpkit.scoring import article_inputs
    from nlpkit.types import Failure

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: use text or json")
    if top_k < 1:
        raise UsageError("--top-k must be at least 1")
    clf = check_model(load_model(model, device=device))
    records = read_articles(paths, fields=Fields(text=text_field, title=title_field, id=id_field, target=target_field))
    failed = 0
    batch: list = []

    def flush() -> None:
        nonlocal failed
        if not batch:
            return
        inputs, ok = [], []
        for art in batch:
            try:
                inputs.append(article_inputs(art, clf.task, target=target, clean=not no_clean))
                ok.append(art)
            except UsageError as e:
                failed += 1
                print(f"nlpkit: error: {art.source}: {e}", file=sys.stderr)
        for art, pred in zip(ok, clf.predict_scores(inputs) if inputs else [], strict=True):
            ranked = sorted(pred.scores.items(), key=lambda kv: -kv[1])[:top_k]
            if fmt == "json":
                row = {
                    "id": art.id,
                    "source": art.source,
                    "label": pred.label,
                    "score": pred.score,
                    "top": [{"label": lab, "score": p} for lab, p in ranked],
                    "model": clf.name,
                    "task": clf.task,
                }
                print(json.dumps(row, ensure_ascii=False))
            else:
                labels = ", ".join(f"{lab} {p:.3f}" for lab, p in ranked)
                print(f"{art.id}\t{labels}")
        sys.stdout.flush()
        batch.clear()

    for rec in records:
        if isinstance(rec, Failure):
            flush()
            failed += 1
            print(f"nlpkit: error: {rec.error}", file=sys.stderr)
            continue
        batch.append(rec)
        if len(batch) >= batch_size:
            flush()
    flush()
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("classify")(classify_command)
