"""Should a trained sentence scorer be the default brief? Recipe chosen by cross-validation, then the gate.

Data (../shared/data or --data):
  cnndm_train/pairs.jsonl       1,595 cased CNN/DM pairs: 90% for training, 10% held out (seed 0), never trained on
  cnndm_train/pairs_more.jsonl  27,652 lower-cased pairs (re-capitalised after sentence ends so they segment);
                                a recipe that uses them leaves out the features that read letter case
  cnndm_writer                  109 articles with writer briefs (dev): 3 sentences, and 1 sentence vs Lead-1
  bbc_summary                   BBC articles with extractive references (--bbc N of them)

Recipes: boosted trees over the sentence features (on the cased pairs only, or on all pairs
case-blind; every tree a recipe names is fitted, with no early stopping), the 500-tree scorer
blended with `auto` (its scores added, with a weight, to auto's: whether the trees add what auto
lacks), and `auto` itself. They are compared by 3-fold cross-validation over the training articles
(ROUGE-1 + ROUGE-2 of 3-sentence briefs on each fold's held-out articles); the chosen one is refit
on all of them and checked against the gate of the default: >= Lead-3 + 1.0 ROUGE-1 and + 0.5
ROUGE-2 on cnndm_writer and on the held-out pairs, and not below Lead-1 at one sentence. Last, the
recipe is trained without one outlet at a time and scored on that outlet's cased pairs beside `auto`
(the held-out CNN pairs; the 73 Daily Mail pairs): what a user whose news comes from elsewhere sees.

Usage: python bench/brief_scorer.py [--data DIR] [--more N] [--bbc N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _data import cnndm_pairs_split, cross_validated, data_dir, jsonl, outlet, outlet_tests, recase

from nlpkit.catalog import get_summarizer
from nlpkit.metrics import rouge, rouge_each, rouge_gains, sentence_lines
from nlpkit.predictors import TreeEnsemble
from nlpkit.summarizers.base import Diversity, select
from nlpkit.summarizers.extractive import AutoSummarizer
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import join_quotes
from nlpkit.summarizers.supervised import SentenceScorer, case_blind, features_of, oracle_labels
from nlpkit.summarizers.vectors import first_sentences, scaled_to_max
from nlpkit.text.prepare import prepare

TREES = {"more": True, "max_iter": 500, "learning_rate": 0.1}
#: "blend": `auto`'s scores plus this weight times the trees' (scaled so that both best sentences score alike);
#: a weight of 0 is `auto` itself, which then competes in the cross-validation like any recipe.
RECIPES: dict[str, dict[str, Any]] = {
    "cased pairs only, 200 trees": {"more": False, "max_iter": 200, "learning_rate": 0.05},
    "all pairs, case-blind, 200 trees": {"more": True, "max_iter": 200, "learning_rate": 0.05},
    "all pairs, case-blind, 500 trees": TREES,
    **{f"auto + {w} x the 500 trees": {**TREES, "blend": w} for w in (0.25, 0.5, 1.0, 2.0)},
    "auto alone (nothing trained)": {**TREES, "blend": 0.0},
}


class Article:
    def __init__(self, text: str, refs: list[str], title: str = "", lower: bool = False, outlet: str = "") -> None:
        self.outlet = outlet  # "cnn" or "mail" for a CNN/DailyMail pair
        self.doc = join_quotes(first_sentences(prepare(recase(text) if lower else text, title=title or None)))
        self.refs = refs
        self.lower = lower
        feats, v = features_of(self.doc, None)
        self.feats, self.sim = feats, v.sim
        self.labels = np.zeros(len(feats))
        if refs and len(feats):
            self.labels[oracle_labels(self.doc, refs[0])] = 1
        auto = AutoSummarizer()
        self.auto = {k: auto.scores(self.doc, one_sentence=k == 1)[0] for k in (1, 3)} if len(feats) else {}


class Blend:
    """A fitted scorer, alone or added to `auto`'s scores with a weight."""

    def __init__(self, scorer: SentenceScorer, weight: float | None = None) -> None:
        self.scorer, self.weight = scorer, weight

    def scores(self, a: Article, k: int) -> np.ndarray:
        trees = self.scorer.score(case_blind(a.feats) if self.scorer.case_blind else a.feats)
        if self.weight is None or not len(trees):
            return trees
        auto = a.auto[k]
        return auto + self.weight * float(auto.max()) * scaled_to_max(trees)


_FITTED: dict[tuple[Any, ...], SentenceScorer] = {}


def fitted(arts: list[Article], recipe: dict[str, Any], key: Any) -> Blend:
    """The recipe's scorer on `arts` (trees fitted once per training set and tree settings)."""
    trees = (key, recipe["more"], recipe["max_iter"], recipe["learning_rate"])
    if trees not in _FITTED:
        _FITTED[trees] = fit(arts, recipe)
    return Blend(_FITTED[trees], recipe.get("blend"))


def fit(arts: list[Article], recipe: dict[str, Any]) -> SentenceScorer:
    from sklearn.ensemble import HistGradientBoostingClassifier

    use = [a for a in arts if recipe["more"] or not a.lower]
    X = np.vstack([case_blind(a.feats) if recipe["more"] else a.feats for a in use])
    y = np.concatenate([a.labels for a in use])
    model = HistGradientBoostingClassifier(
        max_iter=recipe["max_iter"], learning_rate=recipe["learning_rate"], early_stopping=False, random_state=0
    ).fit(X, y)
    return SentenceScorer(TreeEnsemble.from_sklearn(model), case_blind=recipe["more"])


def brief(scorer: Blend, a: Article, k: int) -> str:
    scores = scorer.scores(a, k)
    s = select(a.doc, scores, LengthSpec(sentences=k), method="trained", diversity=Diversity(a.sim, 0.5, 0.3))
    return "\n".join(x.text for x in s.sentences)


def scores_of(preds: list[str], arts: list[Article]) -> dict[str, float]:
    return rouge(preds, [[sentence_lines(r) for r in a.refs] for a in arts])


def baseline(method: str, arts: list[Article], k: int) -> str:
    summarizer = get_summarizer(method)
    return ["\n".join(s.text for s in summarizer.summarize(a.doc, LengthSpec(sentences=k)).sentences) for a in arts]  # type: ignore[return-value]


def load(data: Path, more: int | None, bbc: int) -> dict[str, list[Article]]:
    t0 = time.perf_counter()
    train_rows, held_rows = cnndm_pairs_split(data)
    held = [Article(r["text"], [r["summary"]], outlet=outlet(r)) for r in held_rows]
    train = [Article(r["text"], [r["summary"]], outlet=outlet(r)) for r in train_rows]
    lower = list(jsonl(data / "cnndm_train" / "pairs_more.jsonl"))[:more]
    train += [Article(r["text"], [r["summary"]], lower=True, outlet=outlet(r)) for r in lower]
    groups: dict[str, list[Any]] = {}
    for r in jsonl(data / "cnndm_writer" / "writer_summaries.jsonl"):
        groups.setdefault(r["article_id"], [r["text"], []])[1].append(r["summary"])
    writer = [Article(t, refs) for t, refs in groups.values()]
    bbc_rows = list(jsonl(data / "bbc_summary" / "bbc_summary.jsonl"))[:bbc]
    bbc_arts = [Article(r["text"], [r["summary"]], title=r["title"]) for r in bbc_rows]
    print(
        f"read {len(train)} training articles ({len(lower)} lower-cased), {len(held)} held out, "
        f"{len(writer)} cnndm_writer, {len(bbc_arts)} bbc_summary in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    return {"train": train, "held": held, "writer": writer, "bbc": bbc_arts}


def outlet_held_out(data: Path, train: list[Article], recipe: dict[str, Any]) -> None:
    """The recipe trained without one outlet's articles, scored on that outlet's cased pairs beside `auto`: the
    gain over Lead-3 that news from an outlet it never read would see."""
    print("\nthe chosen recipe trained without one outlet, on that outlet's cased pairs (ROUGE-1 and ROUGE-2 minus")
    print("Lead-3's per article, x100, mean ± standard error)")
    for name, (what, rows) in outlet_tests(data).items():
        arts = [Article(r["text"], [r["summary"]]) for r in rows]
        rest = [a for a in train if a.outlet != name]
        scorer = Blend(fit(rest, recipe), recipe.get("blend"))
        refs = [[sentence_lines(r) for r in a.refs] for a in arts]
        lead = rouge_each(baseline("lead", arts, 3), refs)
        for system, preds in (("trained", [brief(scorer, a, 3) for a in arts]), ("auto", baseline("auto", arts, 3))):
            g = rouge_gains(rouge_each(preds, refs), lead)
            print(
                f"  {what} ({len(arts)}), trained on {len(rest):,} of the other outlet's: {system:<8} "
                + "  ".join(
                    f"{k} {100 * g[m]['mean']:+.2f} ± {100 * g[m]['se']:.2f}"
                    for k, m in (("R-1", "rouge1"), ("R-2", "rouge2"))
                ),
                flush=True,
            )


def cross_validate(train: list[Article], folds: int = 3, per_fold: int = 600) -> str:
    print(f"\nrecipe by {folds}-fold cross-validation over the training articles ({per_fold} scored per fold)")

    def fold_rouge(name: str, recipe: Any, rest: list[Article], held: list[Article], fold: int) -> dict[str, float]:
        scorer = fitted(rest, recipe, fold)
        return scores_of([brief(scorer, a, 3) for a in held], held)

    cv = cross_validated(train, RECIPES, fold_rouge, folds=folds, per_fold=per_fold)
    best = max(cv, key=lambda name: sum(cv[name]))
    print(f"chosen: {best}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--more", type=int, help="use only the first N lower-cased pairs")
    parser.add_argument("--bbc", type=int, default=1000, help="bbc_summary articles to score (default 1000)")
    args = parser.parse_args()
    data = data_dir(args.data)
    sets = load(data, args.more, args.bbc)
    chosen = cross_validate(sets["train"])
    scorer = fitted(sets["train"], RECIPES[chosen], "all")
    print("\nthe chosen recipe refit on all training articles, beside the baselines (ROUGE F1 x100)")
    print(f"{'set':<30} {'system':<14} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7}")
    gains = {}
    for set_name, arts, k in [
        ("held-out pairs, 3 sentences", sets["held"], 3),
        ("cnndm_writer, 3 sentences", sets["writer"], 3),
        ("cnndm_writer, 1 sentence", sets["writer"], 1),
        ("bbc_summary, 3 sentences", sets["bbc"], 3),
    ]:
        rows = {"trained": scores_of([brief(scorer, a, k) for a in arts], arts)}
        rows[f"lead-{k}"] = scores_of(baseline("lead", arts, k), arts)
        rows["auto"] = scores_of(baseline("auto", arts, k), arts)
        for name, m in rows.items():
            print(
                f"{set_name:<30} {name:<14} {100 * m['rouge1']:6.2f} {100 * m['rouge2']:6.2f} "
                f"{100 * m['rougeLsum']:7.2f}",
                flush=True,
            )
        lead = rows[f"lead-{k}"]
        gains[set_name] = (
            100 * (rows["trained"]["rouge1"] - lead["rouge1"]),
            100 * (rows["trained"]["rouge2"] - lead["rouge2"]),
        )
    print("\ngate (trained minus lead):")
    passed = True
    for set_name, (g1, g2) in gains.items():
        need = (0.0, -100.0) if "1 sentence" in set_name else (1.0, 0.5) if "bbc" not in set_name else None
        ok = need is None or (g1 >= need[0] and g2 >= need[1])
        passed &= ok
        rule = (
            "not gated"
            if need is None
            else f"needs R-1 >= {need[0]:+.1f}" + (f", R-2 >= {need[1]:+.1f}" if need[1] > -100 else "")
        )
        print(f"  {set_name:<30} R-1 {g1:+6.2f}  R-2 {g2:+6.2f}  ({rule}) {'pass' if ok else 'FAIL'}")
    if RECIPES[chosen].get("blend") == 0.0:
        print("\nverdict: keep auto as the default (nothing trained beat it in the cross-validation)")
        return
    outlet_held_out(data, sets["train"], RECIPES[chosen])
    print(f"\nverdict: {'ship as the default' if passed else 'keep auto as the default'}")


if __name__ == "__main__":
    main()
