"""Evaluation: a summarizer (ROUGE beside Lead-3) or a classifier (accuracy, F1, calibration) on labelled data."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

from nlpkit.catalog import get_summarizer, load_model
from nlpkit.classifiers.base import check_model
from nlpkit.errors import DataError, UsageError
from nlpkit.io.files import write_atomic
from nlpkit.io.readers import Fields, read_articles
from nlpkit.labelled import Data, LabelFields, load_labelled, prepare_examples
from nlpkit.metrics import brief_rouge, classification_metrics, metrics_by_group, rouge_gains, sentence_lines
from nlpkit.persistence import peek_meta
from nlpkit.reports import (
    classification_markdown,
    lead_name,
    plot_by_group,
    plot_calibration,
    plot_confusion_matrix,
    plot_rouge_gain,
    prepare_report_dir,
    summary_markdown,
    write_json,
)
from nlpkit.summarizers import SUMMARIZERS
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare
from nlpkit.types import Article, Failure


def evaluate_summarizer(
    method: str,
    data: str | Path,
    *,
    fields: LabelFields | None = None,
    length: str = "3",
    report: str | Path | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """ROUGE-1/2/Lsum F1 of a summarizer on (article, reference) pairs, with the lead baseline beside it.

    `fields` names the article's text and title and, as its label, the reference summary
    (default `summary`). Rows sharing `fields.group` (e.g. an article id) are one article with
    several references; the best-matching reference counts. Returns fractions in [0, 1]: the method's
    scores, `lead` (the article's first sentences at the same length), `lead3` (Lead-3, the usual
    baseline) and `gain`: the method's ROUGE-1 and ROUGE-2 minus `lead`'s, averaged over the articles,
    each with its standard error (`mean`, `se`) -- a gain within about two standard errors of zero is
    not one that a new sample of articles would be sure to show. With `report`, a folder gets `metrics.json`,
    `report.md` and `rouge_gain.png` (a histogram of the ROUGE-1 gain over the lead, article by article).

    Example:
        >>> import json, tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
        >>> row = {"text": "Oil rose 2%. Traders cited fears. Shares fell.", "summary": "Oil rose 2%."}
        >>> _ = p.write_text(json.dumps(row) + "\\n")
        >>> m = evaluate_summarizer("lead", p, length="1")
        >>> m["rouge1"], m["lead"]["length"], m["lead3"]["n"], m["gain"]["rouge1"]["mean"]
        (1.0, '1', 1, 0.0)
    """
    fields = fields or LabelFields(label="summary", title="title")
    summary_field, group_field = fields.label, fields.group
    articles: dict[str, tuple[Article, list[str]]] = {}
    failures = 0
    for rec in read_articles(str(data), fields=Fields(text=fields.text, title=fields.title or "title")):
        if isinstance(rec, Failure):
            failures += 1
            continue
        ref = rec.meta.get(summary_field)
        if not isinstance(ref, str) or not ref.strip():
            have = ", ".join(rec.meta) or "none"
            raise DataError(f"{rec.source}: no {summary_field!r} field (other fields: {have}); use --summary-field")
        key = str(rec.meta.get(group_field, rec.id)) if group_field else rec.source
        articles.setdefault(key, (rec, []))[1].append(ref)
    if not articles:
        raise DataError(f"{data}: no articles with a reference summary found ({failures} unreadable rows)")
    docs = [prepare(a.text, title=a.title or None) for a, _ in articles.values()]
    refs = [[sentence_lines(r) for r in rs] for _, rs in articles.values()]
    spec = LengthSpec.parse(length)

    def scored(name: str, k: LengthSpec) -> tuple[dict[str, Any], dict[str, list[float]]]:
        means, each = brief_rouge(get_summarizer(name), docs, refs, k)
        return {**means, "n": len(docs), "length": str(k)}, each

    results, ours = scored(method, spec)
    results["method"] = method
    results["lead"], lead = scored("lead", spec)
    three = LengthSpec(sentences=3)
    results["lead3"] = results["lead"] if str(spec) == str(three) else scored("lead", three)[0]
    results["gain"] = rouge_gains(ours, lead)
    results["skipped_rows"] = failures
    results["data"] = str(data)
    if report is not None:
        out = prepare_report_dir(report, force=force, inputs=[data])
        write_json(out / "metrics.json", results)
        write_atomic(out / "report.md", summary_markdown(results))
        gains = [a - b for a, b in zip(ours["rouge1"], lead["rouge1"], strict=True)]
        plot_rouge_gain(gains, method, lead_name(results), out / "rouge_gain.png")
    return results


def evaluate(model: Any, data: Data, **options: Any) -> dict[str, Any]:
    """Evaluate a classifier or a summarizer on labelled data (`evaluate_classifier`, `evaluate_summarizer`).

    `model` is a folder, a bundled name, a loaded model or (summarizers) a method name; `data` a path or,
    for a classifier, rows in memory (a list, a DataFrame, a `datasets.Dataset`).
    """
    if isinstance(model, str | Path) and _is_summarizer(model):
        if not isinstance(data, str | Path):
            raise UsageError("a summarizer is evaluated on a file of (text, summary) rows; give its path")
        return evaluate_summarizer(str(model), data, **options)
    return evaluate_classifier(model, data, **options)


def _is_summarizer(model: str | Path) -> bool:
    if str(model) in SUMMARIZERS:
        return True
    path = Path(model)
    meta = peek_meta(path) if path.is_dir() else None  # a bad folder: evaluate_classifier says what is wrong
    return meta is not None and meta.get("task") == "summarizer"


#: Share of a data set's checked examples found in the model's training data above which `evaluate` warns.
SEEN_WARNING = 0.5


def evaluate_classifier(
    model: Any,
    data: Data,
    *,
    fields: LabelFields | None = None,
    report: str | Path | None = None,
    force: bool = False,
    device: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Evaluate a classifier (folder, bundled name or loaded model) on labelled data.

    Returns fractions in [0, 1]: `accuracy`, `macro_f1`, `per_class`, `confusion_matrix`,
    `labels`, `n`, `ece`, and `fnc_score` for the four FNC-1 labels; with `by` (a field: a site,
    a source, a stance target), `by` holds the field and each of its values' `n`, `accuracy` and
    `macro_f1`, the largest first (`metrics_by_group`). With `report`, also writes `metrics.json`,
    `report.md`, `confusion_matrix.png` and `calibration.png` (and `by_group.png`).
    """
    if by is not None:
        if fields is not None and fields.group is not None:
            raise UsageError(f"evaluate by one field: by={by!r} and fields.group={fields.group!r} name two")
        fields = replace(fields or LabelFields(), group=by)
    clf = check_model(load_model(model, device=device) if isinstance(model, str | Path) else model)
    given = [x for x in (data, fields.bodies if fields is not None else None) if isinstance(x, str | Path)]
    out_dir = prepare_report_dir(report, force=force, inputs=given) if report is not None else None
    # the examples as the model reads them at prediction time, as in training
    data_set = prepare_examples(load_labelled(data, task=clf.task, fields=fields, dedupe=False), clf.task)
    unknown = sorted(set(data_set.labels) - set(clf.labels))
    if unknown:
        raise DataError(
            f"{data}: labels the model does not know: {', '.join(unknown)} (model labels: {', '.join(clf.labels)})"
        )
    proba = clf.predict_proba(data_set.inputs())
    pred = [clf.labels[i] for i in proba.argmax(axis=1)]
    metrics = classification_metrics(data_set.labels, pred, proba=proba, labels=clf.labels)
    if by is not None:
        groups = metrics_by_group(data_set.groups or [], data_set.labels, pred, labels=clf.labels)
        metrics["by"] = {"field": by, "groups": groups}
    metrics["model"] = clf.path or clf.name
    metrics["data"] = data_set.source
    metrics["notes"] = data_set.notes
    checked, seen = data_set.seen_share(clf.meta.data.get("seen"))
    note = ""
    if checked and seen / checked >= SEEN_WARNING:
        note = f"{seen / checked:.0%} of these examples were trained on: not a test score"
        warning = (
            f"{seen / checked:.0%} of the checked examples ({seen} of {checked}) are in the model's training data:"
            " these figures are not a test score"
        )
        metrics["warnings"] = [warning]
        warnings.warn(warning, stacklevel=2)
    if out_dir is not None:
        write_json(out_dir / "metrics.json", metrics)
        plot_confusion_matrix(metrics, out_dir / "confusion_matrix.png", note=note)
        correct = [g == p for g, p in zip(data_set.labels, pred, strict=True)]
        plot_calibration(correct, proba.max(axis=1), out_dir / "calibration.png", note=note)
        if by is not None:
            plot_by_group(metrics, out_dir / "by_group.png", note=note)
        write_atomic(out_dir / "report.md", classification_markdown(metrics))
    return metrics
