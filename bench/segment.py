"""Sentence-boundary precision/recall of nlpkit's segmenter against PyPI splitters.

Usage: python bench/segment.py [--gold tests/data/segment_gold.txt]
Peers are skipped (and said so) when not installed: pip install pysbd syntok blingfire
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from nlpkit.metrics import boundary_scores
from nlpkit.text.segment import rule_segment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.text.gold import read_boundary_gold

Spans = Sequence[tuple[int, int]]


def _locate(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        i = text.find(p, pos)
        if i < 0:
            continue
        spans.append((i, i + len(p)))
        pos = i + len(p)
    return spans


def _peers() -> dict[str, Callable[[str], Spans]]:
    peers: dict[str, Callable[[str], Spans]] = {}
    try:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False, char_span=True)
        peers["pysbd"] = lambda t: [(s.start, s.end) for s in seg.segment(t)]
    except ImportError:
        print("pysbd not installed: skipped")
    try:
        from syntok import segmenter

        def syntok_split(t: str) -> Spans:
            spans = []
            for para in segmenter.analyze(t):
                for sent in para:
                    toks = list(sent)
                    a = toks[0].offset
                    b = toks[-1].offset + len(toks[-1].value)
                    spans.append((a, b))
            return spans

        peers["syntok"] = syntok_split
    except ImportError:
        print("syntok not installed: skipped")
    try:
        import blingfire

        def bf(t: str) -> Spans:
            # blingfire works line by line in practice; feed paragraphs/lines separately
            spans: list[tuple[int, int]] = []
            for m in re.finditer(r"[^\n]+", t):
                pieces = blingfire.text_to_sentences(m.group()).split("\n")
                spans += [(a + m.start(), b + m.start()) for a, b in _locate(m.group(), pieces)]
            return spans

        peers["blingfire"] = bf
    except ImportError:
        print("blingfire not installed: skipped")
    return peers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", default=str(Path(__file__).parents[1] / "tests/data/segment_gold.txt"))
    args = parser.parse_args()
    gold = read_boundary_gold(args.gold)
    n = sum(len(s) for _, s in gold)
    print(f"gold: {args.gold} ({len(gold)} documents, {n} boundaries)")
    systems: dict[str, Callable[[str], Spans]] = {
        "nlpkit rules": lambda t: [(s.start, s.end) for s in rule_segment(t).sentences]
    }
    systems.update(_peers())
    print(f"{'splitter':<14} {'precision':>9} {'recall':>7} {'F1':>6} {'docs/s':>8}")
    for name, fn in systems.items():
        t0 = time.perf_counter()
        for _ in range(5):
            scores = boundary_scores(fn, gold)
        rate = 5 * len(gold) / (time.perf_counter() - t0)
        print(f"{name:<14} {scores['precision']:9.3f} {scores['recall']:7.3f} {scores['f1']:6.3f} {rate:8.0f}")


if __name__ == "__main__":
    main()
