"""Metrics: classification (accuracy, F1, calibration, the FNC-1 score), ROUGE, sentence boundaries.

Every function returns plain numbers or dicts of fractions in [0, 1].
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from nlpkit.text.segment import segment

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
    labs = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    index = {lab: i for i, lab in enumerate(labs)}
    g = np.array([index.get(x, -1) for x in gold], dtype=np.int64)
    q = np.array([index.get(x, -1) for x in pred], dtype=np.int64)
    k = len(labs)
    both = (g >= 0) & (q >= 0)
    cm = np.bincount(g[both] * k + q[both], minlength=k * k).reshape(k, k)
    tp = np.diag(cm).astype(float)
    support = np.bincount(g[g >= 0], minlength=k)
    predicted = np.bincount(q[q >= 0], minlength=k)
    p = np.divide(tp, predicted, out=np.zeros(k), where=predicted > 0)
    r = np.divide(tp, support, out=np.zeros(k), where=support > 0)
    f = np.divide(2 * p * r, p + r, out=np.zeros(k), where=(p + r) > 0)
    out: dict[str, Any] = {
        "n": len(gold),
        "labels": labs,
        "accuracy": float(np.mean([a == b for a, b in zip(gold, pred, strict=True)])) if len(gold) else 0.0,
        # over the labels that occur (in gold or predicted), as scikit-learn does without `labels`: a label
        # the data does not have and the model never predicts is not counted as an F1 of 0
        "macro_f1": float(np.mean(f[(support + predicted) > 0])) if ((support + predicted) > 0).any() else 0.0,
        "per_class": {
            lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])}
            for i, lab in enumerate(labs)
        },
        "confusion_matrix": cm.tolist(),
    }
    if proba is not None:
        proba = np.asarray(proba)
        conf = proba.max(axis=1)
        out["ece"] = expected_calibration_error([a == b for a, b in zip(gold, pred, strict=True)], conf)
        out["mean_top_score"] = float(conf.mean()) if len(conf) else 0.0
    if set(labs) == set(FNC_LABELS):
        out["fnc_score"] = fnc_score(gold, pred)
    return out


def macro_f1_present(metrics: dict[str, Any]) -> float:
    """The macro-F1 of `classification_metrics` over the labels the gold data has (a part of a data set: a fold, a
    site), not those it lacks that the model predicted: a site without sport news has no sport F1 to average.

    Example:
        >>> macro_f1_present(classification_metrics(["a", "a"], ["a", "b"]))
        0.6666666666666666
    """
    f1s = [c["f1"] for c in metrics["per_class"].values() if c["support"] > 0]
    return sum(f1s) / max(1, len(f1s))


def metrics_by_group(
    groups: Sequence[str], gold: Sequence[str], pred: Sequence[str], *, labels: Sequence[str]
) -> list[dict[str, Any]]:
    """Accuracy and macro-F1 (and the FNC-1 score for its labels) of each group of examples (a site, a source, a
    stance target), the largest group first: where a model holds up and where it does not. A group's macro-F1 is
    over the labels it has (`macro_f1_present`), as a cross-validation fold's is.

    Example:
        >>> rows = metrics_by_group(["bbc", "bbc", "ap"], ["a", "b", "a"], ["a", "b", "b"], labels=["a", "b"])
        >>> [(r["value"], r["n"], r["accuracy"]) for r in rows]
        [('bbc', 2, 1.0), ('ap', 1, 0.0)]
    """
    members: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(str(g), []).append(i)
    out = []
    for value, idx in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        m = classification_metrics([gold[i] for i in idx], [pred[i] for i in idx], labels=labels)
        row = {"value": value, "n": m["n"], "accuracy": m["accuracy"], "macro_f1": macro_f1_present(m)}
        if "fnc_score" in m:
            row["fnc_score"] = m["fnc_score"]
        out.append(row)
    return out


def mean_metrics(folds: list[dict[str, Any]]) -> dict[str, Any]:
    """The mean (and standard deviation) of per-fold metrics; supports and confusion matrices summed."""
    out: dict[str, Any] = {}
    for key in ("accuracy", "macro_f1", "fnc_score", "ece"):
        vals = [f[key] for f in folds if key in f]
        if vals:
            out[key] = float(np.mean(vals))
            out[f"{key}_std"] = float(np.std(vals))
    labels = folds[0]["labels"]
    out["labels"] = labels
    out["n"] = int(sum(f["n"] for f in folds))
    out["per_class"] = {
        lab: {
            m: float(np.mean([f["per_class"][lab][m] for f in folds if lab in f["per_class"]]))
            for m in ("precision", "recall", "f1")
        }
        | {"support": int(sum(f["per_class"].get(lab, {}).get("support", 0) for f in folds))}
        for lab in labels
    }
    out["confusion_matrix"] = np.sum([f["confusion_matrix"] for f in folds], axis=0).tolist()
    out["folds"] = len(folds)
    return out


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
    return rouge_means(rouge_each(predictions, references, keys=keys))


def rouge_each(
    predictions: Sequence[str],
    references: Sequence[str | Sequence[str]],
    *,
    keys: Sequence[str] = ("rouge1", "rouge2", "rougeLsum"),
) -> dict[str, list[float]]:
    """`rouge`'s F1 of each prediction, in order: what a paired comparison of two systems needs."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(keys), use_stemmer=True)
    out: dict[str, list[float]] = {k: [] for k in keys}
    for pred, ref in zip(predictions, references, strict=True):
        refs = [ref] if isinstance(ref, str) else list(ref)
        result = scorer.score_multi(refs, pred) if len(refs) > 1 else scorer.score(refs[0], pred)
        for k in keys:
            out[k].append(result[k].fmeasure)
    return out


def rouge_means(each: dict[str, list[float]]) -> dict[str, float]:
    """The mean of each key's scores in `rouge_each`'s dict (0 where there are none)."""
    return {k: sum(v) / max(1, len(v)) for k, v in each.items()}


def mean_se(values: Sequence[float]) -> tuple[float, float]:
    """The mean of `values` and its standard error (0 for a single value).

    Example:
        >>> [round(x, 4) for x in mean_se([0.1, 0.0, 0.2])]
        [0.1, 0.0577]
    """
    if not len(values):
        raise ValueError("mean_se needs at least one value")
    mean = sum(values) / len(values)
    var = sum((x - mean) ** 2 for x in values) / (len(values) - 1) if len(values) > 1 else 0.0
    return mean, (var / len(values)) ** 0.5


def paired_gain(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """The mean of `a - b` over paired items (two systems on the same articles) and its standard error.

    Example:
        >>> [round(x, 4) for x in paired_gain([0.5, 0.7, 0.6], [0.4, 0.7, 0.4])]
        [0.1, 0.0577]
    """
    if len(a) != len(b) or not a:
        raise ValueError("paired_gain needs two equally long, non-empty lists")
    return mean_se([x - y for x, y in zip(a, b, strict=True)])


def rouge_gains(
    ours: dict[str, list[float]], lead: dict[str, list[float]], keys: Sequence[str] = ("rouge1", "rouge2")
) -> dict[str, dict[str, float]]:
    """`paired_gain` of two systems' `rouge_each` scores, per key, as {"mean": ..., "se": ...}."""
    return {k: dict(zip(("mean", "se"), paired_gain(ours[k], lead[k]), strict=True)) for k in keys}


def brief_rouge(
    summarizer: Any, docs: Sequence[Any], references: Sequence[Sequence[str]], length: Any
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """`rouge` and `rouge_each` of a summarizer's briefs of `length` (a `LengthSpec`) of prepared documents,
    one line a sentence, against their references (as `sentence_lines` gives them)."""
    preds = ["\n".join(s.text for s in summarizer.summarize(d, length).sentences) for d in docs]
    each = rouge_each(preds, references)
    return rouge_means(each), each


def sentence_lines(text: str) -> str:
    """A reference or summary with one sentence per line, as ROUGE-Lsum wants it."""
    return "\n".join(s.text for s in segment(text).sentences)


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
