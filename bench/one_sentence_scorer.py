"""Should one-sentence briefs come from a trained scorer? The recipe by cross-validation, then the dev sets.

Data (../shared/data or --data): the bundled one-sentence scorer's training pairs (models/one-sentence-data:
the training part of cnndm_train/pairs.jsonl, cased, and cnndm_train/pairs_more.jsonl, lower-cased and read
case-blind; the articles the benches score are left out).

Recipes, each boosted trees (200, learning rate 0.05) over the sentence features:
  oracle          learn whether a sentence is in the greedy oracle (the several-sentence scorer's target)
  overlap         learn each sentence's own unigram + bigram overlap F1 with the highlights
  overlap + auto  the same, reading `auto`'s scores beside the other features
  auto + w x overlap  the default's one-sentence brief: auto's score plus w times the overlap trees'
and auto's own one-sentence pick (nothing trained). Each is scored by 3-fold cross-validation over the
training articles (ROUGE-1 + ROUGE-2 of one-sentence briefs on 600 held-out articles a fold), then refit on
all of them and scored beside Lead-1 and auto's own pick on bench/summarize.py's sets at one sentence:
cnndm_writer, the held-out pairs, the Daily Mail pairs and bbc_lede (none of their articles is trained on).

The rule, as bench/one_sentence.py's: of the recipes that score ROUGE-1 at least as high as auto's own pick
on every one of those sets, the one with the best cross-validation; none, and auto's own pick stays.
The chosen recipe is then trained without one outlet at a time (CNN, the Daily Mail) and scored on that
outlet's cased pairs: the held-out CNN pairs, the 73 Daily Mail pairs.

Usage: python bench/one_sentence_scorer.py [--data DIR] [--more N] [--per-fold 600]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "one-sentence-data"))

from _data import cross_validated, data_dir, outlet_tests
from summarize import evaluate, evaluate_each, load, nlpkit_system, unscored_auto, versus
from union import RECIPE, training_rows

from nlpkit.persistence import ModelMeta
from nlpkit.predictors import TreeEnsemble
from nlpkit.summarizers.default import ONE_SENTENCE_BLEND
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import join_quotes
from nlpkit.summarizers.supervised import (
    FEATURES,
    SentenceScorer,
    SupervisedSummarizer,
    case_blind,
    features_of,
    oracle_labels,
    overlap_scores,
)
from nlpkit.summarizers.vectors import first_sentences
from nlpkit.text.prepare import prepare

OVERLAP = {"target": "overlap", "auto_features": False}
#: "blend": the default's one-sentence brief (`nlpkit.summarizers.default`): auto's score plus this weight
#: times the overlap trees' (scaled to the article's range).
RECIPES: dict[str, dict[str, Any]] = {
    "oracle": {"target": "oracle", "auto_features": False},
    "overlap": OVERLAP,
    "overlap + auto": {"target": "overlap", "auto_features": True},
    **{f"auto + {w} x overlap": {**OVERLAP, "blend": w} for w in (0.5, 1.0, 2.0)},
    "auto's own pick (nothing trained)": {},
}
ONE = LengthSpec(sentences=1)


class Pair:
    """A training article: its features (auto's scores last) and both targets, computed once."""

    def __init__(self, text: str, summary: str, outlet: str) -> None:
        self.outlet = outlet
        self.doc = prepare(text)
        joined = join_quotes(first_sentences(self.doc))
        feats, _ = features_of(joined, None, auto=True)
        self.feats = case_blind(feats)
        self.overlap = overlap_scores(joined, summary, len(feats))
        self.oracle = np.zeros(len(feats))
        if len(feats):
            self.oracle[oracle_labels(joined, summary)] = 1
        self.summary = summary


_FITTED: dict[tuple[Any, ...], SentenceScorer] = {}


def fit(pairs: list[Pair], recipe: dict[str, Any], key: Any) -> Any:
    """The recipe's summarizer on `pairs` (trees fitted once per training set and target)."""
    from nlpkit.summarizers.default import DefaultSummarizer
    from nlpkit.summarizers.extractive import AutoSummarizer

    if not recipe:
        return AutoSummarizer()
    trees_key = (key, recipe["target"], recipe["auto_features"])
    if trees_key not in _FITTED:
        _FITTED[trees_key] = fit_trees(pairs, recipe)
    if "blend" in recipe:
        return DefaultSummarizer(scorer=_FITTED[trees_key], one_sentence_blend=recipe["blend"])
    return SupervisedSummarizer(_FITTED[trees_key], ModelMeta(task="summarizer", backend="extractive", name="trees"))


def fit_trees(pairs: list[Pair], recipe: dict[str, Any]) -> SentenceScorer:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    columns = slice(None) if recipe["auto_features"] else slice(len(FEATURES))
    X = np.vstack([p.feats[:, columns] for p in pairs if len(p.feats)])
    overlap = recipe["target"] == "overlap"
    y = np.concatenate([p.overlap if overlap else p.oracle for p in pairs if len(p.feats)])
    cls = HistGradientBoostingRegressor if overlap else HistGradientBoostingClassifier
    trees = cls(max_iter=200, learning_rate=0.05, early_stopping=True, random_state=0).fit(
        X, y if overlap else y.astype(int)
    )
    settings = {k: recipe[k] for k in ("target", "auto_features")}
    return SentenceScorer(TreeEnsemble.from_sklearn(trees), case_blind=True, **settings)


def brief(summarizer: Any, pair: Pair) -> str:
    return "\n".join(s.text for s in summarizer.summarize(pair.doc, ONE).sentences)


def cross_validate(pairs: list[Pair], per_fold: int, folds: int = 3) -> dict[str, float]:
    """Each recipe's ROUGE-1 + ROUGE-2 of one-sentence briefs on the held-out part of each fold."""
    from nlpkit.metrics import rouge, sentence_lines

    print(f"\n{folds}-fold cross-validation, one-sentence briefs ({per_fold} scored a fold; ROUGE F1 x100)")

    def fold_rouge(name: str, recipe: Any, rest: list[Pair], held: list[Pair], fold: int) -> dict[str, float]:
        summarizer = fit(rest, recipe, fold)
        return rouge([brief(summarizer, p) for p in held], [[sentence_lines(p.summary)] for p in held])

    cv = cross_validated(pairs, RECIPES, fold_rouge, folds=folds, per_fold=per_fold)
    return {name: r1 + r2 for name, (r1, r2) in cv.items()}


def outlet_held_out(pairs: list[Pair], data: Path, name: str, recipe: dict[str, Any]) -> None:
    """The chosen recipe trained without one outlet's articles, at one sentence on that outlet's cased pairs, beside
    the same recipe trained on all and auto's own pick: what a user whose news comes from elsewhere sees."""
    print(f"\n{name}, trained without one outlet, on that outlet's cased pairs at one sentence")
    print("(ROUGE-1 F1 x100; beside it ROUGE-1 minus Lead-1's per article, mean ± standard error)")
    for key, (what, rows) in outlet_tests(data).items():
        items = [(r["text"], "", [r["summary"]], 1) for r in rows]
        rest = [p for p in pairs if p.outlet != key]
        lead = evaluate_each(nlpkit_system("lead"), items, 1)[3]
        systems = {
            f"trained on {len(rest):,} of the other outlet's": nlpkit_system(fit(rest, recipe, f"without {key}")),
            f"trained on all {len(pairs):,}": nlpkit_system(fit(pairs, recipe, "all")),
            "auto's own pick": unscored_auto(),
        }
        for system_name, system in systems.items():
            scores, _, _, each = evaluate_each(system, items, 1)
            where = f"{what} ({len(items)}),"
            print(f"  {where:<26} {system_name:<40} {100 * scores['rouge1']:6.2f} {versus(each, lead):>13}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--more", type=int, help="use only the first N lower-cased pairs")
    parser.add_argument("--per-fold", type=int, default=600, help="held-out articles scored per fold")
    args = parser.parse_args()
    data = data_dir(args.data)
    t0 = time.perf_counter()
    rows, left_out = training_rows(data)
    lower = [r for r in rows if r["lower"]][: args.more]
    rows = [r for r in rows if not r["lower"]] + lower
    pairs = [Pair(r["text"], r["summary"], r["outlet"]) for r in rows]
    print(
        f"{len(pairs)} training articles ({len(lower)} lower-cased; {left_out} the benches score left out), "
        f"features in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    cv = cross_validate(pairs, args.per_fold)
    own = "auto's own pick (nothing trained)"
    systems = {"lead-1": nlpkit_system("lead"), own: unscored_auto()}
    systems |= {name: nlpkit_system(fit(pairs, recipe, "all")) for name, recipe in RECIPES.items() if recipe}
    systems["default auto (models/one-sentence)"] = nlpkit_system("auto")
    print("\neach recipe refit on all training articles, at one sentence (ROUGE F1 x100; defects: bench/briefs.py)")
    print(f"{'set':<22} {'system':<36} {'R-1':>6} {'R-2':>6} {'defects':>8}")
    short: dict[str, list[str]] = {name: [] for name in RECIPES if RECIPES[name]}  # sets where it is below auto's
    for set_name, items in load(data, None).items():
        if set_name == "bbc_summary":
            continue
        r1 = {}
        for name, system in systems.items():
            m, _, flawed = evaluate(system, items, 1)
            r1[name] = m["rouge1"]
            print(f"{set_name:<22} {name:<36} {100 * m['rouge1']:6.2f} {100 * m['rouge2']:6.2f} {100 * flawed:7.1f}%")
        for name in short:
            if r1[name] < r1[own]:
                short[name].append(f"{set_name} {100 * (r1[name] - r1[own]):+.2f}")
    fit_all = [name for name, below in short.items() if not below]
    for name, below in short.items():
        print(
            f"  {name}: {'at least level with auto everywhere' if not below else 'below auto on ' + ', '.join(below)}"
        )
    chosen = max(fit_all, key=cv.__getitem__) if fit_all else own
    print(
        f"chosen: {chosen}; the default: the trees of models/one-sentence ({RECIPE}) with weight {ONE_SENTENCE_BLEND}"
    )
    if chosen != own:
        outlet_held_out(pairs, data, chosen, RECIPES[chosen])


if __name__ == "__main__":
    main()
