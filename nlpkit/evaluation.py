"""Evaluation: a summarizer (ROUGE beside Lead-3) or a classifier (accuracy, F1, calibration) on labelled data."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from nlpkit.catalog import get_summarizer, load_model
from nlpkit.classifiers.base import check_model
from nlpkit.errors import DataError, UsageError, describe
from nlpkit.io.files import write_atomic
from nlpkit.io.lists import table_rows
from nlpkit.io.readers import Fields, read_articles
from nlpkit.labelled import Data, LabelFields, LabelledData, load_labelled, prepare_examples
from nlpkit.metrics import (
    brief_rouge,
    classification_metrics,
    macro_f1_present,
    metrics_by_group,
    rouge_gains,
    sentence_lines,
)
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

#: A label map: `{data label or glob: model label}` (`""` leaves the examples out), or a file of them (a
#: JSON object, or a CSV/TSV with the columns `label,model_label`), or a list of files and `FROM=TO` strings.
LabelMap = Mapping[str, str] | str | Path | Sequence[str]
MAP_COLUMNS = ("label", "model_label")


def read_label_map(spec: LabelMap) -> list[tuple[str, str]]:
    """A label map's rules as (pattern, model label) pairs, in the order given (the first that matches wins).

    Example:
        >>> read_label_map(["news/uk-politics=politics", "sport/*=sport", "news/in-pictures="])
        [('news/uk-politics', 'politics'), ('sport/*', 'sport'), ('news/in-pictures', '')]
    """
    if isinstance(spec, Mapping):
        return [(str(k), str(v)) for k, v in spec.items()]
    rules: list[tuple[str, str]] = []
    for item in [spec] if isinstance(spec, str | Path) else spec:
        path = Path(item)
        if path.is_file():
            rules += _label_map_file(path)
        elif isinstance(item, str) and "=" in item:
            source, _, target = item.partition("=")
            rules.append((source.strip(), target.strip()))
        else:
            raise UsageError(f"label map {str(item)!r}: no such file; give FROM=TO or a file of label,model_label")
    if not rules or any(not source for source, _ in rules):
        raise UsageError(f"label map {spec!r}: give FROM=TO pairs (FROM a data label or a glob such as 'sport/*')")
    return rules


def _label_map_file(path: Path) -> list[tuple[str, str]]:
    """The rules of a JSON object, or of a CSV or TSV table with the columns `MAP_COLUMNS`."""
    import json

    wanted = f"a JSON object or a CSV of {','.join(MAP_COLUMNS)}"
    if path.suffix.lower() != ".json":
        rows = table_rows(path, "--label-map")
        if not rows or any(c not in rows[0] for c in MAP_COLUMNS):
            raise DataError(f"{path}: not a label map: give {wanted} (a header row naming both columns)")
        return [(r.get(MAP_COLUMNS[0], ""), r.get(MAP_COLUMNS[1], "")) for r in rows]
    try:
        found = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError, ValueError) as e:
        raise DataError(f"{path}: cannot be read as {wanted} ({describe(e)})") from e
    if not isinstance(found, dict):
        raise DataError(f"{path}: not a label map: give {wanted}")
    return [(str(k), "" if v is None else str(v)) for k, v in found.items()]


def relabel(
    data: LabelledData, model_labels: Sequence[str], rules: Sequence[tuple[str, str]], *, skip_unknown: bool = False
) -> LabelledData:
    """The examples with their labels in the model's words: each label renamed by the first rule whose
    pattern (a label or a glob) matches it; examples mapped to `""` left out, and those whose label the
    model lacks left out (`skip_unknown`) or refused. What was changed is added to the notes."""
    from collections import Counter
    from fnmatch import fnmatchcase

    known = set(model_labels)
    bad = sorted({to for _, to in rules if to and to not in known})
    if bad:
        raise UsageError(
            f"label map: {', '.join(bad)} {'is not a label' if len(bad) == 1 else 'are not labels'} of the model; "
            f"its labels: {', '.join(model_labels)}"
        )
    renamed = {}
    for label in sorted(set(data.labels)):
        renamed[label] = next((to for pattern, to in rules if fnmatchcase(label, pattern)), label)
    labels = [renamed[lab] for lab in data.labels]
    notes = []
    moved = sum(1 for old, new in zip(data.labels, labels, strict=True) if new and old != new)
    if rules:
        notes.append(f"the label map renamed the labels of {_examples(moved)}")
        unused = [p for p, _ in rules if not any(fnmatchcase(lab, p) for lab in renamed)]
        if unused:
            notes.append(f"label map rules that matched no label: {', '.join(unused)}")
    dropped = Counter(old for old, new in zip(data.labels, labels, strict=True) if not new)
    if dropped:
        notes.append(f"{_examples(dropped.total())} left out by the label map: {_tally(dropped)}")
    unknown = Counter(old for old, new in zip(data.labels, labels, strict=True) if new and new not in known)
    if unknown and not skip_unknown:
        raise DataError(
            f"{data.source}: {_examples(unknown.total())} with labels the model does not know: {_tally(unknown)}; "
            f"the model's labels: {', '.join(model_labels)}. Map them with --label-map FROM=TO (or a CSV of "
            f"{','.join(MAP_COLUMNS)}), or leave them out with --skip-unknown-labels"
        )
    if unknown:
        notes.append(f"{_examples(unknown.total())} left out, with labels the model does not know: {_tally(unknown)}")
    keep = [i for i, lab in enumerate(labels) if lab in known]
    if not keep:
        raise DataError(f"{data.source}: no example left to evaluate once labels the model does not know are left out")
    out = data.subset(keep)
    out.labels = [labels[i] for i in keep]
    out.notes = [*data.notes, *notes]
    return out


def _examples(n: int) -> str:
    return f"{n} example" if n == 1 else f"{n} examples"


def _tally(counts: Any, shown: int = 8) -> str:
    """The most common labels with their counts (`news/uk 173, sport/tennis 46, ... and 80 more labels`)."""
    top = ", ".join(f"{lab} {n}" for lab, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:shown])
    return top + (f", and {len(counts) - shown} more labels" if len(counts) > shown else "")


def evaluate_classifier(
    model: Any,
    data: Data,
    *,
    fields: LabelFields | None = None,
    report: str | Path | None = None,
    force: bool = False,
    device: str | None = None,
    by: str | None = None,
    label_map: LabelMap | None = None,
    skip_unknown_labels: bool = False,
) -> dict[str, Any]:
    """Evaluate a classifier (folder, bundled name or loaded model) on labelled data.

    Data labelled in other words than the model's (another outlet's sections, say) is put in the model's
    words by `label_map` (`read_label_map`: `{"news/uk-politics": "politics", "sport/*": "sport"}`);
    examples whose label the model still lacks are refused, or left out with `skip_unknown_labels`. The
    notes say how many examples were renamed and left out.

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
    rules = read_label_map(label_map) if label_map is not None else []
    data_set = relabel(data_set, clf.labels, rules, skip_unknown=skip_unknown_labels)
    proba = clf.predict_proba(data_set.inputs())
    pred = [clf.labels[i] for i in proba.argmax(axis=1)]
    metrics = classification_metrics(data_set.labels, pred, proba=proba, labels=clf.labels)
    if len(set(data_set.labels)) < len(clf.labels):  # macro-F1 counts the labels the data lacks as 0
        metrics["macro_f1_present"] = macro_f1_present(metrics)
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
