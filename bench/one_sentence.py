"""How much a one-sentence brief should lean on centrality: `auto`'s `one_sentence_centrality`, chosen here.

Sets (none is a test split; the last three are the ones bench/summarize.py reports, so its one-sentence
figures are development figures, not held-out ones):
  400 CNN/DailyMail training pairs (bench/_data.py's training part, highlights as references)
  500 BBC articles cut as XSum was (bbc_summary rows after the ones bbc_lede uses)
  cnndm_writer, the held-out training pairs, bbc_lede
The rule, across all of them at once: of the weights that raise ROUGE-1 over the longer briefs' weight on every
set, the one with the largest mean gain. A weight that helps BBC ledes by losing on CNN/DailyMail is not taken.

The default one-sentence brief adds the bundled one-sentence scorer's trees to these scores
(bench/one_sentence_scorer.py chooses that); this bench weighs auto's own part.

Usage: python bench/one_sentence.py [--data DIR] [--weights 0.7,1.0,1.4,2.0]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import cnndm_pairs_split, data_dir, jsonl
from summarize import LEDE_ROWS, Item, evaluate, ledes, load, nlpkit_system

from nlpkit.summarizers.extractive import AutoSummarizer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--weights", default="0.7,1.0,1.4,2.0")
    args = parser.parse_args()
    data = data_dir(args.data)
    weights = [float(w) for w in args.weights.split(",")]
    train, _ = cnndm_pairs_split(data)
    bbc_rows = list(jsonl(data / "bbc_summary" / "bbc_summary.jsonl"))
    sets: dict[str, list[Item]] = {
        "cnndm_train (400)": [(r["text"], "", [r["summary"]], 1) for r in random.Random(0).sample(train, 400)],
        "bbc ledes, tuning rows (500)": ledes(bbc_rows[LEDE_ROWS:])[:500],
    }
    sets |= {k: v for k, v in load(data, None).items() if k in ("cnndm_writer", "cnndm_train_heldout", "bbc_lede")}
    print("ROUGE-1 / ROUGE-2 F1 x100 at 1 sentence; 'auto w' = auto with one_sentence_centrality w")
    gains: dict[float, list[float]] = {w: [] for w in weights}
    for name, items in sets.items():
        base, _, _ = evaluate(nlpkit_system("lead"), items, 1)
        print(f"\n{name}: {len(items)} articles\n  Lead-1      {100 * base['rouge1']:6.2f} {100 * base['rouge2']:6.2f}")
        usual = None
        for w in weights:
            scores, _, _ = evaluate(nlpkit_system("auto", one_sentence_centrality=w), items, 1)
            usual = usual or scores
            gains[w].append(scores["rouge1"] - usual["rouge1"])
            print(f"  auto {w:<6g} {100 * scores['rouge1']:6.2f} {100 * scores['rouge2']:6.2f}", flush=True)
    fit = [w for w in weights[1:] if min(gains[w]) > 0] or weights[:1]
    best = max(fit, key=lambda w: sum(gains[w]))
    print(
        f"\nchosen: {best:g} (ROUGE-1 gain over {weights[0]:g} per set: "
        f"{', '.join(f'{100 * g:+.2f}' for g in gains[best])}); the default is {AutoSummarizer().one_sentence_centrality:g}"
    )


if __name__ == "__main__":
    main()
