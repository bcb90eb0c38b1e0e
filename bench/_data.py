"""Locating and reading the reference data in ../shared/data (or $NLPKIT_DATA)."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from nlpkit import config
from nlpkit.metrics import classification_metrics


def data_dir(arg: str | None = None) -> Path:
    path = Path(arg) if arg else config.DATA_DIR
    if not path.is_dir():
        sys.exit(f"reference data not found at {path}: pass --data or set NLPKIT_DATA")
    return path


def jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def timed_run(
    fit: Callable[[list[Any], list[str]], Callable[[list[Any]], list[str]]],
    Xtr: list[Any],
    ytr: list[str],
    Xte: list[Any],
    yte: list[str],
) -> dict[str, Any]:
    """Train `fit` on the training part, predict the test part: nlpkit's metrics (with the FNC-1
    score for FNC labels), training seconds and predictions per second."""
    t0 = time.perf_counter()
    predict = fit(Xtr, ytr)
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = predict(Xte)
    rate = len(Xte) / (time.perf_counter() - t0)
    m = classification_metrics(yte, pred, labels=sorted(set(ytr) | set(yte)))
    return {**m, "train_s": train_s, "pred_per_s": rate}


def cnndm_pairs_split(data: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """cnndm_train/pairs.jsonl as (training part, held-out part): 10 % held out, the same in every bench."""
    import random

    rows = list(jsonl(data / "cnndm_train" / "pairs.jsonl"))
    random.Random(0).shuffle(rows)
    n_held = len(rows) // 10
    return rows[n_held:], rows[:n_held]


def recase(text: str) -> str:
    """A capital after each sentence end (and at the start): lower-cased text (cnndm_train/pairs_more.jsonl)
    then segments like news."""
    return re.sub(r'(^|[.!?]["\')\u201d]?\s+)([a-z])', lambda m: m.group(1) + m.group(2).upper(), text)


def is_mail(row: dict[str, Any]) -> bool:
    """A Daily Mail pair of cnndm_train/pairs.jsonl (73 of them, in the dataset's text form): of the pairs'
    sources only EileenFeng's train sample has any, and its CNN stories open with "(CNN)"."""
    return str(row["source"]).startswith("EileenFeng/") and "(CNN)" not in row["text"][:300]


def outlet(row: dict[str, Any]) -> str:
    """A CNN/DailyMail pair's outlet, "cnn" or "mail": `is_mail` for cnndm_train/pairs.jsonl; in pairs_more.jsonl
    (source "train" or "validation") a CNN story opens with a lower-cased "(cnn)" dateline."""
    if row["source"] in ("train", "validation"):
        return "cnn" if "(cnn)" in row["text"][:300] else "mail"
    return "mail" if is_mail(row) else "cnn"


def outlet_tests(data: Path) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Each outlet's cased pairs that a scorer trained without that outlet is scored on, by `outlet`, with their
    name: CNN's in the held-out tenth of cnndm_train/pairs.jsonl, and the 73 Daily Mail pairs."""
    _, held = cnndm_pairs_split(data)
    mail = [r for r in jsonl(data / "cnndm_train" / "pairs.jsonl") if outlet(r) == "mail"]
    return {
        "cnn": ("held-out CNN pairs", [r for r in held if outlet(r) == "cnn"]),
        "mail": ("Daily Mail pairs", mail),
    }


class PreviousAuto:
    """`auto` as it was before the stand-alone rules: the same scores, plain selection (no quote joining,
    no captions or openers kept out) -- the brief benches show it beside the default."""

    name = "previous auto"

    def summarize(self, doc: Any, length: Any) -> Any:
        from nlpkit.summarizers.base import Diversity, select
        from nlpkit.summarizers.extractive import AutoSummarizer
        from nlpkit.summarizers.vectors import first_sentences

        doc = first_sentences(doc)
        auto = AutoSummarizer()
        score, v = auto.scores(doc)
        diversity = Diversity(v.sim, max_overlap=auto.max_overlap, penalty=auto.penalty)
        return select(doc, score, length, method=self.name, diversity=diversity, standalone=False)


def cross_validated(
    items: Sequence[Any],
    recipes: dict[str, Any],
    fold_rouge: Callable[[str, Any, list[Any], list[Any], int], dict[str, float]],
    *,
    folds: int = 3,
    per_fold: int = 600,
) -> dict[str, tuple[float, float]]:
    """Each recipe's ROUGE-1 and ROUGE-2, averaged over `folds` folds of `items` (shuffled, seed 1), printed a
    line a recipe: `fold_rouge(name, recipe, rest, held, fold)` fits on the other folds' items and scores its
    briefs of `held`, the first `per_fold` items of the fold (`rouge`'s dict)."""
    import random

    order = list(range(len(items)))
    random.Random(1).shuffle(order)
    parts = [order[i::folds] for i in range(folds)]
    out = {}
    for name, recipe in recipes.items():
        r1 = r2 = 0.0
        for f in range(folds):
            held = [items[i] for i in parts[f][:per_fold]]
            rest = [items[i] for g in range(folds) if g != f for i in parts[g]]
            m = fold_rouge(name, recipe, rest, held, f)
            r1, r2 = r1 + m["rouge1"] / folds, r2 + m["rouge2"] / folds
        print(f"  {name:<36} R-1 {100 * r1:6.2f}  R-2 {100 * r2:6.2f}", flush=True)
        out[name] = (r1, r2)
    return out
