"""`nlpkit evaluate`: score a summarizer (ROUGE, beside the lead baseline) or a classifier on labelled data."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from nlpkit.cli import PlainUsage, handle_errors
from nlpkit.cli._options import Bodies, BodyIdField, Device, Force, TextField, TitleField
from nlpkit.errors import UsageError


@handle_errors
def evaluate_command(
    model: Annotated[
        str,
        typer.Argument(
            metavar="MODEL",
            help="A summarization method or summarizer folder, or a classifier (bundled name or folder).",
        ),
    ],
    data: Annotated[
        str,
        typer.Argument(
            metavar="DATA",
            help="Labelled data: JSONL/CSV/Parquet or fastText's __label__ lines (articles with a reference summary or a label).",
        ),
    ],
    summary_field: Annotated[
        str, typer.Option("--summary-field", help="Field with the reference summary.")
    ] = "summary",
    group_field: Annotated[
        str | None,
        typer.Option("--group-field", help="Rows with the same value are one article with several references."),
    ] = None,
    length: Annotated[str, typer.Option("--length", "-l", help="Summary length for the method under test.")] = "3",
    label_field: Annotated[
        str, typer.Option("--label-field", help="Field with the gold label (classifiers).")
    ] = "label",
    target_field: Annotated[
        str | None,
        typer.Option("--target-field", help="Field with the stance target (default: target, Headline, headline, ...)."),
    ] = None,
    bodies: Bodies = None,
    body_id_field: BodyIdField = "Body ID",
    report: Annotated[
        str | None, typer.Option("--report", help="Write metrics.json, report.md (and plots) to this folder.")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Classifiers: accuracy and macro-F1 for each value of this field too (a site, a source, a stance "
            "target): where the model holds up and where it does not.",
        ),
    ] = None,
    label_map: Annotated[
        list[str] | None,
        typer.Option(
            "--label-map",
            help="Classifiers: rename the data's labels to the model's: FROM=TO (FROM a label or a glob such as "
            "'sport/*'; TO empty leaves them out), or a JSON object or CSV of label,model_label (repeatable; "
            "the first rule that matches wins).",
        ),
    ] = None,
    skip_unknown_labels: Annotated[
        bool,
        typer.Option(
            "--skip-unknown-labels", help="Classifiers: leave out (and count) examples whose label the model lacks."
        ),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    text_field: TextField = "text",
    title_field: TitleField = "title",
    force: Force = False,
    device: Device = None,
) -> None:
    """Evaluate a summarizer with ROUGE (the lead at its length and Lead-3 beside it, and its gain over the lead with
    a standard error) or a classifier with accuracy, F1 and more."""
    from nlpkit.summarizers import SUMMARIZERS

    if model in SUMMARIZERS or _is_summarizer_folder(model):
        from nlpkit.evaluation import evaluate_summarizer
        from nlpkit.labelled import LabelFields

        if by is not None:
            raise UsageError(
                "--by is for classifiers; to compare a summarizer across sources, evaluate each source's file"
            )
        if label_map or skip_unknown_labels:
            raise UsageError("--label-map and --skip-unknown-labels are for classifiers")

        m = evaluate_summarizer(
            model,
            data,
            fields=LabelFields(text=text_field, title=title_field, label=summary_field, group=group_field),
            length=length,
            report=report,
            force=force,
        )
        if fmt == "json":
            print(json.dumps(m))
            return
        from nlpkit.reports import gain_line, lead_name, rouge_table, summary_rows

        print(f"{m['n']} articles from {data}")
        print(rouge_table(summary_rows(m)))
        print(gain_line(m["gain"], model, lead_name(m)))
        if report:
            print(f"report written to {report}")
        return
    from nlpkit.evaluation import evaluate_classifier
    from nlpkit.labelled import LabelFields
    from nlpkit.reports import format_classification_report

    result = evaluate_classifier(
        model,
        data,
        fields=LabelFields(
            text=text_field,
            label=label_field,
            target=target_field,
            title=title_field,
            bodies=bodies,
            body_id=body_id_field,
        ),
        report=report,
        force=force,
        device=device,
        by=by,
        label_map=label_map,
        skip_unknown_labels=skip_unknown_labels,
    )
    print(json.dumps(result) if fmt == "json" else format_classification_report(result))


def _is_summarizer_folder(path: str) -> bool:
    from nlpkit.persistence import peek_meta

    return (peek_meta(path) or {}).get("task") == "summarizer"


def register(app: typer.Typer) -> None:
    app.command("evaluate", cls=PlainUsage)(evaluate_command)
