"""`nlpkit train`: fit a topic, stance or summarizer model on labelled data and save it."""

from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Annotated, Any

import typer

from nlpkit.cli import PlainUsage, handle_errors
from nlpkit.cli._options import Bodies, BodyIdField, Device, Force, TextField
from nlpkit.errors import UsageError


class Task(str, Enum):
    topic = "topic"
    stance = "stance"
    summarizer = "summarizer"


def _parse_params(items: list[str]) -> dict[str, Any]:

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param {item!r}: use KEY=VALUE (e.g. --param C=0.5)")
        try:
            out[key.strip()] = json.loads(value)
        except ValueError:
            out[key.strip()] = value
    return out


def _backend_help() -> str:
    from nlpkit.classifiers import BACKENDS

    return f"Classifier backend ({', '.join(BACKENDS.names())}; default tfidf), or summarizer backend (extractive, seq2seq)."


@handle_errors
def train_command(
    task: Annotated[Task, typer.Argument(metavar="TASK", help="What to train: topic, stance or summarizer.")],
    data: Annotated[
        str,
        typer.Argument(
            metavar="DATA",
            help="CSV/TSV/JSON/JSONL/Parquet file, fastText's __label__ lines (.txt), a folder with a subfolder of "
            "articles per label (bbc/sport/001.txt), a saved dataset folder, or a Hub dataset name.",
        ),
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="Model folder to write.")],
    backend: Annotated[str | None, typer.Option("--backend", "-b", help=_backend_help())] = None,
    base_model: Annotated[
        str | None,
        typer.Option(
            "--base-model",
            help="Embedding/transformer backends, seq2seq summarizer: model folder (or Hub id, with a network).",
        ),
    ] = None,
    device: Device = None,
    label_field: Annotated[str, typer.Option("--label-field", help="Column with the label.")] = "label",
    summary_field: Annotated[
        str, typer.Option("--summary-field", help="Summarizer: column with the reference summary.")
    ] = "summary",
    target_field: Annotated[
        str | None, typer.Option("--target-field", help="Stance: column with the target/headline/claim.")
    ] = None,
    group_field: Annotated[
        str | None, typer.Option("--group-field", help="Keep rows sharing this value on one side of the dev split.")
    ] = None,
    dev: Annotated[str | None, typer.Option("--dev", help="A separate labelled dev file.")] = None,
    dev_split: Annotated[
        float, typer.Option("--dev-split", help="Share held out for evaluation when no --dev/--cv.")
    ] = 0.1,
    cv: Annotated[
        int | None, typer.Option("--cv", help="Evaluate by K-fold cross-validation, then refit on all data.")
    ] = None,
    bodies: Bodies = None,
    body_id_field: BodyIdField = "Body ID",
    split: Annotated[str | None, typer.Option("--split", help="Split of a Hugging Face dataset.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Backend parameter KEY=VALUE (repeatable).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for splits and models.")] = 0,
    text_field: TextField = "text",
    title_field: Annotated[
        str | None, typer.Option("--title-field", help="Column with a separate headline (default: title, if present).")
    ] = None,
    label_definitions: Annotated[
        str | None, typer.Option("--label-definitions", help="CSV of label,definition for the model card.")
    ] = None,
    split_by: Annotated[
        str,
        typer.Option(
            "--split-by",
            help="Stance: keep apart in the dev split and folds whole targets (target), texts (text) or both "
            "(pair); auto: text for a closed set of targets, pair otherwise.",
        ),
    ] = "auto",
    card_notes: Annotated[
        str | None, typer.Option("--card-notes", help="Markdown file appended to the model card (e.g. Limitations).")
    ] = None,
    force: Force = False,
) -> None:
    """Train a topic or stance classifier (or an extractive summarizer), evaluate it on held-out data, save it."""
    from nlpkit.labelled import LabelFields
    from nlpkit.reports import format_classification_report, gain_line, rouge_table
    from nlpkit.training import cli_command

    params = _parse_params(param or [])
    if base_model is not None:
        params["base_model"] = base_model
    if device is not None:
        params["device"] = device
    backend = backend or ("extractive" if task is Task.summarizer else "tfidf")
    if backend in ("transformer", "seq2seq") or (backend == "tfidf" and task is not Task.summarizer):
        # progress on stderr: a bar and one line per epoch, or one line per candidate cross-validated
        params.setdefault("verbose", 1)

    def log(msg: str) -> None:
        print(f"nlpkit: {msg}", file=sys.stderr, flush=True)

    if task is Task.summarizer:
        from nlpkit.training import train_summarizer

        res = train_summarizer(
            data,
            out=out,
            fields=LabelFields(text=text_field, title=title_field),
            summary_field=summary_field,
            backend=backend,
            dev_split=dev_split,
            seed=seed,
            force=force,
            params=params,
            command=cli_command(),
            card_notes=card_notes,
            log=log,
        )
        m = res.metrics
        print(f"evaluated on {m['evaluated_on']} ({m['n']} articles); trained in {res.seconds:.1f} s")
        rows = [("model", {**m, "length": "3"}), ("lead-3", {**m["lead3"], "length": "3"})]
        gains = [gain_line(m["gain"], "model", "lead-3")]
        if "one_sentence" in m:  # a sentence scorer's one-sentence briefs too
            one = m["one_sentence"]
            rows += [("model", {**one["model"], "length": "1"}), ("lead-1", {**one["lead1"], "length": "1"})]
            gains.append(gain_line(one["gain"], "model", "lead-1"))
        print(rouge_table(rows))
        print("\n".join(gains))
        print(f"model written to {res.path}; use it with: nlpkit summarize ARTICLE --method {res.path}")
        return
    from nlpkit.training import train

    result = train(
        task.value,
        data,
        out=out,
        backend=backend,
        fields=LabelFields(
            text=text_field,
            label=label_field,
            target=target_field,
            title=title_field,
            group=group_field,
            bodies=bodies,
            body_id=body_id_field,
        ),
        dev=dev,
        dev_split=dev_split,
        cv=cv,
        seed=seed,
        force=force,
        split=split,
        params=params,
        command=cli_command(),
        log=log,
        label_definitions=label_definitions,
        card_notes=card_notes,
        split_by=split_by,
    )
    m = dict(result.metrics)
    m.setdefault("data", m.get("evaluated_on"))
    m["model"] = str(result.path)
    print(format_classification_report(m))  # its first line says what it was evaluated on
    print(f"trained in {result.seconds:.1f} s; model written to {result.path}")


def register(app: typer.Typer) -> None:
    app.command("train", cls=PlainUsage)(train_command)
