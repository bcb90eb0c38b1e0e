"""Before/after for the word handling every statistical part shares (nlpkit.text.tokens).

Compares, in one run and on the same articles, nlpkit's word handling as it is (Snowball's English
stemmer through PyStemmer) with the hand-written suffix stripper it replaced, and nlpkit's stop
words with scikit-learn's list (ENGLISH_STOP_WORDS): ROUGE of `auto` briefs on cnndm_writer
(3 sentences) and bbc_summary (3 sentences, first --limit articles), and briefs per second.

Usage: python bench/tokens.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import data_dir, jsonl

import nlpkit.text.tokens as tokens
from nlpkit.catalog import get_summarizer
from nlpkit.metrics import rouge, sentence_lines
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare

#: The suffix stripper nlpkit used before Snowball, kept here to measure against.
OLD_SUFFIXES = (
    "ational", "ization", "fulness", "ousness", "iveness", "ations", "ation", "ments", "ment",
    "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s",
)  # fmt: skip


def old_stem(word: str) -> str:
    if len(word) <= 4:
        return word
    for suf in OLD_SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


def use(stemmer: object, stop_words: frozenset[str]) -> None:
    tokens.stem = stemmer  # type: ignore[assignment]
    tokens.STOP_WORDS = stop_words  # type: ignore[misc]
    tokens._CONTENT.clear()
    tokens._PIECES.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--limit", type=int, default=1000, help="bbc_summary articles (default 1000)")
    args = parser.parse_args()
    data = data_dir(args.data)
    groups: dict[str, list] = {}
    for r in jsonl(data / "cnndm_writer" / "writer_summaries.jsonl"):
        groups.setdefault(r["article_id"], [r["text"], "", []])[2].append(r["summary"])
    bbc = [(r["text"], r["title"], [r["summary"]]) for r in jsonl(data / "bbc_summary" / "bbc_summary.jsonl")]
    sets = {"cnndm_writer": list(groups.values()), "bbc_summary": bbc[: args.limit]}
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    variants = {
        "Snowball stemmer, nlpkit stop words (now)": (tokens.stem, tokens.STOP_WORDS),
        "old suffix stripper, nlpkit stop words": (old_stem, tokens.STOP_WORDS),
        "Snowball stemmer, scikit-learn stop words": (tokens.stem, frozenset(ENGLISH_STOP_WORDS)),
    }
    print("auto briefs, 3 sentences; ROUGE F1 x100 (rouge-score, stemming); briefs/s include preparation")
    print(f"{'set':<14} {'word handling':<44} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7} {'briefs/s':>9}")
    for set_name, items in sets.items():
        refs = [[sentence_lines(r) for r in rs] for _, _, rs in items]
        for name, (stemmer, stop_words) in variants.items():
            use(stemmer, stop_words)
            summarizer = get_summarizer("auto")
            t0 = time.perf_counter()
            preds = [
                "\n".join(
                    s.text for s in summarizer.summarize(prepare(t, title=h or None), LengthSpec(sentences=3)).sentences
                )
                for t, h, _ in items
            ]
            rate = len(items) / (time.perf_counter() - t0)
            m = rouge(preds, refs)
            print(
                f"{set_name:<14} {name:<44} {100 * m['rouge1']:6.2f} {100 * m['rouge2']:6.2f} "
                f"{100 * m['rougeLsum']:7.2f} {rate:9.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
