"""Evaluation: classification metrics, ROUGE and sentence-boundary scores.

Functions return plain dicts (fractions in [0, 1]); plots are drawn only on request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any


def read_boundary_gold(path: str | Path) -> list[tuple[str, list[int]]]:
    """Read a sentence-boundary gold file (see `tests/data/segment_gold.txt` for the format).

    Returns one `(text, sentence_starts)` pair per document; starts exclude offset 0.
    """
    docs: list[list[str]] = [[]]
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            continue
        if line.startswith("====="):
            docs.append([])
            continue
        docs[-1].append(line)
    out = []
    for lines in docs:
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            continue
        text_parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for line in lines:
            if line.strip():
                if pos:
                    starts.append(pos)
                for i, piece in enumerate(line.split(" || ")):
                    if i:
                        text_parts.append(" ")
                        pos += 1
                        starts.append(pos)
                    text_parts.append(piece)
                    pos += len(piece)
            text_parts.append("\n")
            pos += 1
        out.append(("".join(text_parts).rstrip("\n"), starts))
    return out


def boundary_scores(
    splitter: Callable[[str], Sequence[tuple[int, int]]], gold: Iterable[tuple[str, list[int]]]
) -> dict[str, float]:
    """Precision, recall and F1 of the sentence starts a splitter finds, against gold starts.

    `splitter` maps a text to `(start, end)` spans; offset 0 is never counted.
    """
    tp = fp = fn = 0
    for text, starts in gold:
        predicted = {a for a, _ in splitter(text) if a > 0}
        wanted = set(starts)
        tp += len(predicted & wanted)
        fp += len(predicted - wanted)
        fn += len(wanted - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "boundaries": tp + fn}


def rouge(
    predictions: Sequence[str],
    references: Sequence[str | Sequence[str]],
    *,
    keys: Sequence[str] = ("rouge1", "rouge2", "rougeLsum"),
) -> dict[str, float]:
    """Mean ROUGE F1 (the `rouge-score` package, Porter stemming on).

    Sentences should be separated by newlines for ROUGE-Lsum. With several references for
    one prediction, the best-matching reference counts (`score_multi`).

    Example:
        >>> round(rouge(["the cat sat"], ["the cat sat down"])["rouge1"], 3)
        0.857
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(keys), use_stemmer=True)
    totals = dict.fromkeys(keys, 0.0)
    for pred, ref in zip(predictions, references, strict=True):
        refs = [ref] if isinstance(ref, str) else list(ref)
        result = scorer.score_multi(refs, pred) if len(refs) > 1 else scorer.score(refs[0], pred)
        for k in keys:
            totals[k] += result[k].fmeasure
    n = max(1, len(predictions))
    return {k: v / n for k, v in totals.items()}


def _write_json(path: Path, data: object) -> None:
    import json

    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def prepare_report_dir(report: str | Path, *, force: bool) -> Path:
    """Create a report folder; refuse to overwrite an existing report without `force`."""
    from nlpkit.errors import OutputError

    out = Path(report)
    if (out / "metrics.json").exists() and not force:
        raise OutputError(f"{out}: a report is already there; use --force to overwrite it")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def evaluate_summarizer(
    method: str,
    data: str | Path,
    *,
    summary_field: str = "summary",
    text_field: str = "text",
    title_field: str = "title",
    group_field: str | None = None,
    length: str = "3",
    report: str | Path | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """ROUGE-1/2/Lsum F1 of a summarizer on (article, reference) pairs, with Lead-3 beside it.

    Rows sharing `group_field` (e.g. an article id) are one article with several references;
    the best-matching reference counts. Returns fractions in [0, 1].

    Example:
        >>> import json, tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
        >>> row = {"text": "Oil rose 2%. Traders cited fears. Shares fell.", "summary": "Oil rose 2%."}
        >>> _ = p.write_text(json.dumps(row) + "\\n")
        >>> m = evaluate_summarizer("lead", p, length="1")
        >>> m["rouge1"], m["lead3"]["n"]
        (1.0, 1)
    """
    from nlpkit.errors import DataError
    from nlpkit.io.readers import Fields, read_articles
    from nlpkit.summarize.base import get_summarizer, prepare
    from nlpkit.summarize.length import LengthSpec
    from nlpkit.types import Article, Failure

    fields = Fields(text=text_field, title=title_field)
    articles: dict[str, tuple[Article, list[str]]] = {}
    failures = 0
    for rec in read_articles(str(data), fields=fields):
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
    docs = [(prepare(a.text, title=a.title or None), refs) for a, refs in articles.values()]
    refs = [[_sentence_lines(r) for r in rs] for _, rs in docs]
    spec = LengthSpec.parse(length)
    results: dict[str, Any] = {}
    for name, m in ((method, method), ("lead3", "lead")):
        summarizer = get_summarizer(m)
        k = spec if name == method else LengthSpec(sentences=3)
        preds = ["\n".join(s.text for s in summarizer.summarize(d, k).sentences) for d, _ in docs]
        scores: dict[str, Any] = {**rouge(preds, refs), "n": len(docs), "length": str(k)}
        if name == method:
            results.update(scores)
            results["method"] = method
        else:
            results["lead3"] = scores
    results["skipped_rows"] = failures
    results["data"] = str(data)
    if report is not None:
        out = prepare_report_dir(report, force=force)
        _write_json(out / "metrics.json", results)
        (out / "report.md").write_text(_summary_report(results), encoding="utf-8")
    return results


def _sentence_lines(text: str) -> str:
    from nlpkit.text.segment import segment

    return "\n".join(s.text for s in segment(text).sentences)


def _summary_report(m: dict[str, Any]) -> str:
    lead = m["lead3"]
    assert isinstance(lead, dict)
    rows = [
        "| system | length | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, r in ((str(m["method"]), m), ("lead-3", lead)):
        rows.append(
            f"| {name} | {r['length']} | {100 * float(r['rouge1']):.2f} | {100 * float(r['rouge2']):.2f} "
            f"| {100 * float(r['rougeLsum']):.2f} |"
        )
    return (
        f"# Summarization report\n\nData: `{m['data']}` ({m['n']} articles; {m['skipped_rows']} rows skipped).\n"
        "ROUGE F1 (rouge-score, Porter stemming), best reference per article.\n\n" + "\n".join(rows) + "\n"
    )


FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """The official FNC-1 score, as a fraction of a perfect prediction's score.

    Example:
        >>> fnc_score(["agree", "unrelated"], ["discuss", "unrelated"])
        0.4
    """
    related = {"agree", "disagree", "discuss"}
    got = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        best += 0.25 + (0.75 if g != "unrelated" else 0.0)
        if g == p:
            got += 0.25 + (0.5 if g != "unrelated" else 0.0)
        if g in related and p in related:
            got += 0.25
    return got / best if best else 0.0


def expected_calibration_error(correct: Any, confidence: Any, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    import numpy as np

    c = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(c, edges[1:-1]), 0, bins - 1)
    ece = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            ece += m.mean() * abs(ok[m].mean() - c[m].mean())
    return float(ece)


def classification_metrics(
    gold: Sequence[str], pred: Sequence[str], *, proba: Any = None, labels: Sequence[str] | None = None
) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1/support, confusion matrix; ECE with probabilities; FNC score for FNC labels.

    Example:
        >>> m = classification_metrics(["a", "b", "b"], ["a", "b", "a"])
        >>> round(m["accuracy"], 3), m["confusion_matrix"]
        (0.667, [[1, 0], [1, 1]])
    """
    import numpy as np
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labs = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labs, zero_division=0)
    out: dict[str, Any] = {
        "n": len(gold),
        "labels": labs,
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(np.mean(f)),
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, lab in enumerate(labs)
        },
        "confusion_matrix": confusion_matrix(gold, pred, labels=labs).tolist(),
    }
    if proba is not None:
        proba = np.asarray(proba)
        conf = proba.max(axis=1)
        out["ece"] = expected_calibration_error([g == q for g, q in zip(gold, pred, strict=True)], conf)
    if set(labs) == set(FNC_LABELS):
        out["fnc_score"] = fnc_score(gold, pred)
    return out


def plot_confusion_matrix(metrics: dict[str, Any], path: str | Path) -> Path:
    """Save the confusion matrix as a PNG (rows: gold, columns: predicted; shaded by row share)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = metrics["labels"]
    cm = np.asarray(metrics["confusion_matrix"])
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    size = max(4.0, 0.7 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", color="white" if share[i, j] > 0.5 else "black")
    ax.set_title(f"accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


def plot_calibration(correct: Any, confidence: Any, path: str | Path, bins: int = 10) -> Path:
    """Save a reliability curve (accuracy against confidence of the top label) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    c = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(c, edges[1:-1]), 0, bins - 1)
    xs, ys, ns = [], [], []
    for b in range(bins):
        m = which == b
        if m.any():
            xs.append(c[m].mean())
            ys.append(ok[m].mean())
            ns.append(int(m.sum()))
    fig, (ax, hx) = plt.subplots(2, 1, figsize=(5, 6), height_ratios=[3, 1], sharex=True)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.plot(xs, ys, "o-", label="model")
    ax.set_ylabel("accuracy")
    ax.set_title(f"reliability (ECE {expected_calibration_error(ok.astype(bool), c, bins):.3f})")
    ax.legend(loc="upper left")
    hx.bar(xs, ns, width=0.08)
    hx.set_xlabel("confidence of the predicted label")
    hx.set_ylabel("examples")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return Path(path)


def evaluate_classifier(
    model: Any,
    data: str | Path,
    *,
    text_field: str = "text",
    label_field: str = "label",
    target_field: str | None = None,
    bodies: str | Path | None = None,
    body_id_field: str = "Body ID",
    report: str | Path | None = None,
    force: bool = False,
    device: str | None = None,
) -> dict[str, Any]:
    """Evaluate a classifier (folder, bundled name or loaded model) on labelled data.

    Returns fractions in [0, 1]: `accuracy`, `macro_f1`, `per_class`, `confusion_matrix`,
    `labels`, `n`, `ece`, and `fnc_score` for the four FNC-1 labels. With `report`, also
    writes `metrics.json`, `report.md`, `confusion_matrix.png` and `calibration.png`.
    """
    from nlpkit.classify.base import check_model
    from nlpkit.errors import DataError
    from nlpkit.persistence import load_model
    from nlpkit.training import load_labelled

    clf = check_model(load_model(model, device=device) if isinstance(model, str | Path) else model)
    out_dir = prepare_report_dir(report, force=force) if report is not None else None
    if clf.task == "stance" and target_field == "target":
        target_field = None  # let load_labelled find the target column (target, Headline, title, ...)
    data_set = load_labelled(
        data,
        task=clf.task,
        text_field=text_field,
        label_field=label_field,
        target_field=target_field,
        bodies=bodies,
        body_id_field=body_id_field,
        dedupe=False,
    )
    unknown = sorted(set(data_set.labels) - set(clf.labels))
    if unknown:
        raise DataError(
            f"{data}: labels the model does not know: {', '.join(unknown)} (model labels: {', '.join(clf.labels)})"
        )
    proba = clf.predict_proba(data_set.inputs())
    pred = [clf.labels[i] for i in proba.argmax(axis=1)]
    metrics = classification_metrics(data_set.labels, pred, proba=proba, labels=clf.labels)
    metrics["model"] = clf.path or clf.name
    metrics["data"] = str(data)
    metrics["notes"] = data_set.notes
    if out_dir is not None:
        _write_json(out_dir / "metrics.json", metrics)
        plot_confusion_matrix(metrics, out_dir / "confusion_matrix.png")
        correct = [g == p for g, p in zip(data_set.labels, pred, strict=True)]
        plot_calibration(correct, proba.max(axis=1), out_dir / "calibration.png")
        (out_dir / "report.md").write_text(_classification_markdown(metrics), encoding="utf-8")
    return metrics


def format_classification_report(m: dict[str, Any]) -> str:
    """The metrics as aligned text: headline figures, per-class table, confusion matrix."""
    lines = [f"{m['n']} examples from {m.get('data', '?')} — model {m.get('model', '?')}"]
    lines.append(
        f"accuracy {m['accuracy']:.4f}   macro-F1 {m['macro_f1']:.4f}"
        + (f"   ECE {m['ece']:.4f}" if "ece" in m else "")
    )
    if "fnc_score" in m:
        lines.append(f"FNC-1 score {m['fnc_score']:.4f}")
    width = max(len(lab) for lab in m["labels"]) + 2
    lines.append("")
    lines.append(f"{'label':<{width}} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
    for lab, r in m["per_class"].items():
        lines.append(f"{lab:<{width}} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} {r['support']:8d}")
    lines.append("")
    lines.append("confusion matrix (rows: gold, columns: predicted)")
    lines.append(" " * width + " ".join(f"{lab[:8]:>8}" for lab in m["labels"]))
    for lab, row in zip(m["labels"], m["confusion_matrix"], strict=True):
        lines.append(f"{lab:<{width}}" + " ".join(f"{v:8d}" for v in row))
    for note in m.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _classification_markdown(m: dict[str, Any]) -> str:
    text = format_classification_report(m)
    return (
        "# Classification report\n\n```\n" + text + "\n```\n\n"
        "![confusion matrix](confusion_matrix.png)\n\n![calibration](calibration.png)\n"
    )
