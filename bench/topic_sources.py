"""Topic models on news from an outlet they never saw: leave one source out, for every source.

The bundled topic model's recipe (`models/topic-data`: six sources, their labels mapped to
nlpkit's) is trained on the training parts of all sources but one and tested on the test part of
the one left out (BBC has no split: all of it), for each source in turn. Beside it, in the same
run on the same data: TF-IDF + LinearSVC (scikit-learn defaults) and fastText (bigrams, 25
epochs, lr 1.0). Scores: accuracy and macro-F1 over the labels the held-out source has; for
nlpkit, the expected calibration error (ECE) of its probabilities and how its abstention
(`--min-score`) trades answers for accuracy.

A four-class check mirrors the public world/sports/business/sci-tech news sets: TagMyNews (held
out) restricted to world, sport, business and sci_tech, nlpkit's politics counted as world and
science as sci/tech.

    python bench/topic_sources.py [--data DIR] [--sources a,b] [--cap N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "topic-data"))

from _data import data_dir
from generalize import fasttext_system, sklearn_linear
from union import CAP, RECIPE, SOURCES, source_rows, union

from nlpkit.classifiers.base import make_estimator
from nlpkit.labelled import LabelledData, prepare_examples
from nlpkit.metrics import classification_metrics, expected_calibration_error

Rows = list[dict[str, Any]]
#: Backend parameters of the recipe under test: the bundled recipe's, changed by `--param KEY=VALUE`.
PARAMS: dict[str, Any] = {k: json.loads(v) if v.isdigit() else v for k, v in RECIPE.items()}


def titled(r: dict[str, Any]) -> str:
    return f"{r['title']}\n\n{r['text']}" if r.get("title") else str(r["text"])


def nlpkit_recipe(train: Rows) -> tuple[Callable[[Rows], tuple[list[str], np.ndarray]], dict[str, Any]]:
    """The bundled model's recipe: texts prepared as at prediction time, sources as groups, the saved predictor."""
    data = prepare_examples(
        LabelledData(
            texts=[r["text"] for r in train],
            titles=[r["title"] for r in train],
            labels=[r["label"] for r in train],
            groups=[r["source"] for r in train],
            source="bench",
        ),
        "topic",
    )
    est = make_estimator("tfidf", "topic", **PARAMS).fit(data.inputs(), data.labels, groups=data.groups)
    predictor = est.predictor()
    classes = [str(c) for c in predictor.classes_]

    def predict(rows: Rows) -> tuple[list[str], np.ndarray]:
        test = prepare_examples(
            LabelledData(
                texts=[r["text"] for r in rows],
                titles=[r["title"] for r in rows],
                labels=[classes[0]] * len(rows),
                source="bench",
            ),
            "topic",
            keep_all=True,
        )
        proba = predictor.predict_proba(test.inputs())
        return [classes[i] for i in proba.argmax(axis=1)], proba

    return predict, est.selection_


def scores(gold: list[str], pred: list[str]) -> tuple[float, float]:
    """Accuracy, and macro-F1 over the labels the held-out source has (another label predicted is a miss)."""
    m = classification_metrics(gold, pred, labels=sorted(set(gold)))
    return m["accuracy"], m["macro_f1"]


def abstention(gold: list[str], pred: list[str], proba: np.ndarray) -> str:
    conf = proba.max(axis=1)
    out = []
    for t in (0.4, 0.5, 0.6):
        kept = conf >= t
        acc = float(np.mean([g == p for g, p, k in zip(gold, pred, kept, strict=True) if k])) if kept.any() else 0.0
        out.append(f"p>={t}: {kept.mean():.0%} answered, acc {acc:.3f}")
    return "; ".join(out)


FOUR = {
    "world": "world",
    "politics": "world",
    "sport": "sport",
    "business": "business",
    "technology": "sci/tech",
    "science": "sci/tech",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--sources", help="comma-separated sources to hold out (default: all)")
    parser.add_argument("--cap", type=int, default=CAP)
    parser.add_argument("--param", action="append", default=[], help="recipe parameter KEY=VALUE (JSON value)")
    a = parser.parse_args()
    for item in a.param:
        key, _, value = item.partition("=")
        PARAMS[key] = json.loads(value)
    data = data_dir(a.data)
    held_out = a.sources.split(",") if a.sources else list(SOURCES)
    systems: dict[str, Callable[[list[str], list[str]], Callable[[list[str]], list[str]]]] = {
        "tfidf + LinearSVC": sklearn_linear("svc")
    }
    ft = fasttext_system()
    if ft is not None:
        systems["fastText"] = ft
    print("leave one source out: train on the other sources' training parts, test on the held-out source")
    print(f"{'held-out source (n test)':38} {'system':20} {'acc':>6} {'macroF1':>8} {'ECE':>6} {'train s':>8}")
    totals: dict[str, list[tuple[float, float]]] = {}
    for source in held_out:
        train = union(data, "train", without=(source,), cap=a.cap)
        test = source_rows(data, source, "test")
        gold = [r["label"] for r in test]
        name = f"{source} ({len(test)})"
        t0 = time.perf_counter()
        predict, selection = nlpkit_recipe(train)
        train_s = time.perf_counter() - t0
        pred, proba = predict(test)
        acc, f1 = scores(gold, pred)
        ece = expected_calibration_error([g == p for g, p in zip(gold, pred, strict=True)], proba.max(axis=1))
        totals.setdefault("nlpkit recipe", []).append((acc, f1))
        print(
            f"{name:38} {'nlpkit recipe':20} {acc:6.3f} {f1:8.3f} {ece:6.3f} {train_s:8.1f}   chose {selection.get('chosen')}"
        )
        print(f"{'':38} {'':20} abstention: {abstention(gold, pred, proba)}")
        for sys_name, fit in systems.items():
            t0 = time.perf_counter()
            model = fit([titled(r) for r in train], [r["label"] for r in train])
            train_s = time.perf_counter() - t0
            acc, f1 = scores(gold, model([titled(r) for r in test]))
            totals.setdefault(sys_name, []).append((acc, f1))
            print(f"{'':38} {sys_name:20} {acc:6.3f} {f1:8.3f} {'':>6} {train_s:8.1f}")
        if source == "tagmynews":
            four = [i for i, r in enumerate(test) if r["label"] in ("world", "sport", "business", "technology")]
            g4 = [FOUR[gold[i]] for i in four]
            p4 = [FOUR.get(pred[i], "other") for i in four]
            acc4 = float(np.mean([x == y for x, y in zip(g4, p4, strict=True)]))
            print(
                f"{'  four classes (world/sport/business/sci-tech)':38} {'nlpkit recipe':20} {acc4:6.3f}   ({len(four)} items)"
            )
    print()
    for sys_name, rows in totals.items():
        print(
            f"mean over held-out sources  {sys_name:20} acc {np.mean([r[0] for r in rows]):.3f}  macroF1 {np.mean([r[1] for r in rows]):.3f}"
        )


if __name__ == "__main__":
    main()
