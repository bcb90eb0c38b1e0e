"""Claim checking: does a stance model catch a claim the article contradicts?

Claims are made from articles no model here trained on (the 20 % of cnndm_train's articles that
`models/stance-data/claims.py` keeps out, and a quarter of bbc_summary's): each article's own
highlights or summary sentences (`supported`, should be agree), the same claims negated, with an
opposite word, a number the article never states, two of its numbers or two names swapped (should
be disagree), and
another article's claims (`unrelated`). For each model: recall per kind, disagree F1 and macro-F1
over agree / disagree / unrelated (a prediction of `discuss` counts as a miss), and time.

    python bench/claims.py [--models stance,build/stance-previous] [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "stance-data"))

from _data import data_dir
from claims import claim_rows

import nlpkit
from nlpkit.metrics import classification_metrics
from nlpkit.text.prepare import prepare

EXPECTED = {"supported": "agree", "unrelated": "unrelated"}
KINDS = ("supported", "negated", "opposite", "number", "reordered", "swapped", "unrelated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--models", default="stance", help="comma-separated bundled names or model folders")
    parser.add_argument("--limit", type=int, default=None, help="use the first N claims")
    a = parser.parse_args()
    rows = claim_rows(data_dir(a.data), "bench")[: a.limit]
    docs: dict[str, str] = {}
    pairs = []
    for r in rows:
        body = docs.get(r["text"])
        if body is None:
            body = docs[r["text"]] = prepare(r["text"]).text  # as classify and score read an article
        pairs.append((r["target"], body))
    gold = [EXPECTED.get(r["kind"], "disagree") for r in rows]
    counts = defaultdict(int)
    for r in rows:
        counts[r["kind"]] += 1
    print(f"{len(rows)} claims against {len(docs)} held-out articles: " + ", ".join(f"{k} {counts[k]}" for k in KINDS))
    header = f"{'model':32} " + " ".join(f"{k:>9}" for k in KINDS) + f" {'disagF1':>8} {'macroF1':>8} {'pairs/s':>8}"
    print(header)
    for name in a.models.split(","):
        model = nlpkit.load_model(name)
        t0 = time.perf_counter()
        pred = model.predict(pairs)
        rate = len(pairs) / (time.perf_counter() - t0)
        recall = {}
        for kind in KINDS:
            idx = [i for i, r in enumerate(rows) if r["kind"] == kind]
            recall[kind] = sum(pred[i] == gold[i] for i in idx) / max(1, len(idx))
        m = classification_metrics(gold, pred, labels=["agree", "disagree", "unrelated"])
        print(
            f"{name[-32:]:32} "
            + " ".join(f"{recall[k]:9.3f}" for k in KINDS)
            + f" {m['per_class']['disagree']['f1']:8.3f} {m['macro_f1']:8.3f} {rate:8.0f}"
        )
    print(
        "recall per kind: supported -> agree, negated/opposite/number/reordered/swapped -> disagree, unrelated -> unrelated"
    )


if __name__ == "__main__":
    main()
