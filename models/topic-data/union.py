"""The bundled topic model's training data: five news sources, their labels mapped to nlpkit's.

`labels.csv` (beside this file) maps every source label to an nlpkit label, or drops it with the
reason. This script reads each source's training part from the reference data (../shared/data, or
$NLPKIT_DATA), applies the mapping, caps each (source, label) at `CAP` examples so no one source
owns a label, and writes one JSONL file (`id`, `title`, `text`, `label`, `source`).

    python models/topic-data/union.py OUT.jsonl [--data DIR] [--split train|test] [--without SOURCE]

Sources and what is read: `bbc` (2004-05 full articles; no official split: all of it, duplicates
removed by `nlpkit train`), `bbc_rss_2022` (headline + RSS summary, by BBC section family),
`tagmynews` (2011 feed items, lower-cased), `huffpost_headlines_fewshot` (headlines only,
lower-cased and tokenised; label ids read as the categories in frequency order), and
`reuters21578_r10` (1987 business newswire).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: Most examples one source gives one label (Reuters alone has 5,870 business stories).
CAP = 1500
#: The bundled model's `nlpkit train` settings beyond the defaults (`--param`): word and word-bigram
#: features only (character n-grams gained little across sources for several times the size), terms
#: seen at least twice.
RECIPE = {"features": "words,words+bigrams", "min_df": "2"}
SOURCES = ("bbc", "bbc_rss_2022", "tagmynews", "huffpost_headlines_fewshot", "reuters21578_r10", "20newsgroups")


def mapping() -> dict[tuple[str, str], str]:
    """(source, source label) -> nlpkit label ("" for dropped)."""
    with (HERE / "labels.csv").open(encoding="utf-8", newline="") as f:
        return {(r["source"], r["source_label"]): r["label"] for r in csv.DictReader(f)}


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def source_rows(data: Path, source: str, split: str) -> list[dict[str, Any]]:
    """One source's examples with nlpkit labels (dropped labels left out), in file order."""
    labels = mapping()
    if source == "bbc":
        rows = list(_rows(data / "bbc" / "bbc.jsonl"))  # no official split: the whole corpus either way
    else:
        rows = list(_rows(data / source / f"{split}.jsonl"))
    out = []
    for r in rows:
        raw = str(r["section_family"] if source == "bbc_rss_2022" else r["label"])
        if (source, raw) not in labels:
            raise SystemExit(f"{source}: label {raw!r} is not in labels.csv; map it or drop it there")
        label = labels[(source, raw)]
        if label:
            out.append({"id": f"{source}:{r['id']}", "title": r.get("title") or "", "text": r["text"], "label": label, "source": source})
    return out


def union(data: Path, split: str = "train", without: tuple[str, ...] = (), cap: int = CAP, seed: int = 0) -> list[dict[str, Any]]:
    """The mapped examples of every source but `without`, each (source, label) capped at `cap` (a seeded sample)."""
    rng = random.Random(seed)
    out = []
    for source in SOURCES:
        if source in without:
            continue
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in source_rows(data, source, split):
            groups[r["label"]].append(r)
        for label in sorted(groups):
            rows = groups[label]
            out += rows if len(rows) <= cap else sorted(rng.sample(rows, cap), key=lambda r: r["id"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?")
    parser.add_argument("--recipe", action="store_true", help="print the recipe's --param options and exit")
    parser.add_argument("--data", default=os.environ.get("NLPKIT_DATA", str(HERE.parents[2] / "shared" / "data")))
    parser.add_argument("--split", default="train", choices=("train", "test"))
    parser.add_argument("--without", action="append", default=[], choices=SOURCES)
    parser.add_argument("--cap", type=int, default=CAP)
    a = parser.parse_args()
    if a.recipe:
        print(" ".join(f"--param {k}={v}" for k, v in RECIPE.items()))
        return
    if not a.out:
        parser.error("give the output file")
    rows = union(Path(a.data), a.split, tuple(a.without), a.cap)
    with open(a.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["label"]] += 1
    print(f"{len(rows)} examples -> {a.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
