"""The bundled stance model's training data: FNC-1's headline/body pairs and claims made from news articles.

FNC-1's training part gives headlines that agree with, disagree with, discuss or are unrelated to
an article body; `claims.py` adds claims made from 80 % of cnndm_train's highlights and FNC-1's
bodies' lead sentences, each also negated, given an opposite word, a wrong number or swapped
names (disagree), and another article's claims (unrelated). Each row's `group` is its article, so
`nlpkit train --group-field group` keeps an article's pairs on one side of every split.

    python models/stance-data/union.py OUT.jsonl [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

from claims import claim_rows

HERE = Path(__file__).resolve().parent


def fnc_rows(data: Path) -> list[dict[str, str]]:
    with (data / "fnc1" / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with (data / "fnc1" / "train_stances.csv").open(encoding="utf-8", newline="") as f:
        return [
            {"target": r["Headline"], "text": bodies[r["Body ID"]], "label": r["Stance"], "group": f"fnc1:{r['Body ID']}", "source": "fnc1"}
            for r in csv.DictReader(f)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--data", default=os.environ.get("NLPKIT_DATA", str(HERE.parents[2] / "shared" / "data")))
    a = parser.parse_args()
    data = Path(a.data)
    rows = fnc_rows(data)
    for r in claim_rows(data, "train"):
        group = r["id"].rsplit(":", 2)[0]  # the article: its claims stay on one side of a split
        rows.append({"target": r["target"], "text": r["text"], "label": r["label"], "group": group, "source": r["source"]})
    with open(a.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["label"]] = counts.get(r["label"], 0) + 1
    print(f"{len(rows)} pairs -> {a.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
