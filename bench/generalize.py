"""nlpkit's defaults beside simple baselines on every topic, stance and brief set of ../shared/data.

For each set, every system is trained on the same training split and scored on the same
held-out split (the official ones where they exist), in one run:

  topic   bbc (no official split: duplicates removed, stratified 80/20, seed 0),
          reuters21578_r10, 20newsgroups, huffpost_headlines_fewshot (headline only)
  stance  fnc1 (training part only: held out by body as the challenge did, and by headline and
          body — nlpkit train's default split), arc (official split, whose test headlines also
          occur in train, and by headline and body), emergent, pstance, ibm_claim_stance,
          vast (no training split: trained on its dev split, scored on test)
  brief   bench/summarize.py's sets: cnndm_writer (multi-reference) and the held-out cnndm_train pairs at
          3 and 1 sentences, bbc_summary at 3 sentences and at the reference's length, bbc_lede at 1 sentence

Systems: `nlpkit train`'s default (the tfidf backend as a user gets it: text prepared as at
prediction time, model selection inside), TF-IDF + LinearSVC and TF-IDF + logistic regression
with scikit-learn's defaults (stance: on "target text" concatenated, and one model per target),
fastText (bigrams, 25 epochs, lr 1.0); briefs: nlpkit's methods and the previous `auto` beside Lead-3 / Lead-1 and
sumy's LexRank, with the defect share of each.
Scores: accuracy and macro-F1 (the FNC-1 score for FNC labels), train seconds, predictions/s.

Usage: python bench/generalize.py [--data DIR] [--only topic|stance|brief] [--sets a,b] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _data import data_dir, jsonl, timed_run

from nlpkit.classifiers.base import make_estimator
from nlpkit.labelled import LabelledData, prepare_examples
from nlpkit.splits import Keep, holdout

Example = tuple[str | tuple[str, str], str]  # input, label
Split = tuple[list[Any], list[str], list[Any], list[str]]  # train X, y, test X, y
Fit = Callable[[list[Any], list[str]], Callable[[list[Any]], list[str]]]
_TMP = tempfile.TemporaryDirectory(prefix="nlpkit-bench-")


# -- systems -----------------------------------------------------------------------------------


def nlpkit_default(task: str) -> Fit:
    """What `nlpkit train TASK DATA` fits: prepared text, the tfidf backend's defaults, its saved predictor."""

    def data_of(X: list[Any], y: list[str]) -> LabelledData:
        if task == "stance":
            return LabelledData(texts=[b for _, b in X], labels=list(y), targets=[t for t, _ in X], source="bench")
        return LabelledData(texts=list(X), labels=list(y), source="bench")

    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        train = prepare_examples(data_of(X, y), task)
        predictor = make_estimator("tfidf", task).fit(train.inputs(), train.labels).predictor()
        classes = [str(c) for c in predictor.classes_]

        def predict(Z: list[Any]) -> list[str]:
            dummy = [classes[0]] * len(Z)
            test = prepare_examples(data_of(Z, dummy), task, keep_all=True)
            return [classes[i] for i in predictor.predict_proba(test.inputs()).argmax(axis=1)]

        return predict

    return fit


def _flat(x: Any) -> str:
    return f"{x[0]} {x[1]}" if isinstance(x, tuple) else str(x)


def sklearn_linear(model: str) -> Fit:
    """TF-IDF (scikit-learn defaults) and LinearSVC or LogisticRegression (defaults), target and text joined."""

    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        vec = TfidfVectorizer()
        clf = (LinearSVC() if model == "svc" else LogisticRegression(max_iter=1000)).fit(
            vec.fit_transform([_flat(x) for x in X]), y
        )
        return lambda Z: list(clf.predict(vec.transform([_flat(z) for z in Z])))

    return fit


def per_target(model: str) -> Fit:
    """One TF-IDF + linear model per target; a target unseen in training gets a model of all targets."""

    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        by: dict[str, list[int]] = defaultdict(list)
        for i, (t, _) in enumerate(X):
            by[t].append(i)
        joint = sklearn_linear(model)(X, y)
        models = {}
        for t, idx in by.items():
            labels = {y[i] for i in idx}
            if len(idx) >= 20 and len(labels) > 1:
                models[t] = sklearn_linear(model)([X[i][1] for i in idx], [y[i] for i in idx])

        def predict(Z: list[Any]) -> list[str]:
            out = joint(Z)
            for t, m in models.items():
                idx = [i for i, z in enumerate(Z) if z[0] == t]
                if idx:
                    for i, p in zip(idx, m([Z[i][1] for i in idx]), strict=True):
                        out[i] = p
            return out

        return predict

    return fit


def fasttext_system() -> Fit | None:
    try:
        import fasttext
    except ImportError:
        return None

    def clean(x: Any) -> str:
        return re.sub(r"\s+", " ", _flat(x).lower()).strip()

    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        path = Path(_TMP.name) / f"train-{time.monotonic_ns()}.txt"
        with path.open("w", encoding="utf-8") as f:
            for text, label in zip(X, y, strict=True):
                f.write(f"__label__{label.replace(' ', '_')} {clean(text)}\n")
        model = fasttext.train_supervised(str(path), verbose=0, thread=2, seed=0, wordNgrams=2, epoch=25, lr=1.0)
        back = {label.replace(" ", "_"): label for label in set(y)}
        # fastText's own predict() breaks on NumPy 2 (np.array(copy=False)); its C++ binding does not.
        return lambda Z: [
            back[model.f.predict(clean(z) + "\n", 1, 0.0, "strict")[0][1].removeprefix("__label__")] for z in Z
        ]

    return fit


def systems(task: str) -> dict[str, Fit]:
    out: dict[str, Fit] = {"nlpkit default (tfidf)": nlpkit_default(task)}
    out["tfidf + LinearSVC" + (" (target+text)" if task == "stance" else "")] = sklearn_linear("svc")
    out["tfidf + LogReg" + (" (target+text)" if task == "stance" else "")] = sklearn_linear("lr")
    if task == "stance":
        out["tfidf + LogReg per target"] = per_target("lr")
    ft = fasttext_system()
    if ft is not None:
        out["fastText bigram/25ep"] = ft
    return out


# -- data --------------------------------------------------------------------------------------


def _dedupe(examples: Iterable[Example]) -> list[Example]:
    seen: dict[Any, Example] = {}
    for x, y in examples:
        seen.setdefault(x, (x, y))
    return list(seen.values())


def _titled(r: dict[str, Any]) -> str:
    return f"{r['title']}\n\n{r['text']}" if r.get("title") else r["text"]


def _split(rows: list[Example], share: float = 0.2, seed: int = 0, pairs: bool = False) -> Split:
    labels = [y for _, y in rows]
    if pairs:
        keep = Keep(targets=[x[0] for x, _ in rows], texts=[x[1] for x, _ in rows])  # type: ignore[index]
        how = holdout(labels, share, seed, keep)
    else:
        how = holdout(labels, share, seed)
    tr, te = how.first()
    return [rows[i][0] for i in tr], [rows[i][1] for i in tr], [rows[i][0] for i in te], [rows[i][1] for i in te]


def _official(train: list[Example], test: list[Example]) -> Split:
    return [x for x, _ in train], [y for _, y in train], [x for x, _ in test], [y for _, y in test]


def topic_sets(data: Path) -> dict[str, Split]:
    bbc = _dedupe((_titled(r), r["label"]) for r in jsonl(data / "bbc" / "bbc.jsonl"))
    out = {"bbc (80/20, seed 0)": _split(bbc)}
    for name, folder in (
        ("reuters21578_r10", "reuters21578_r10"),
        ("20newsgroups", "20newsgroups"),
        ("huffpost headlines", "huffpost_headlines_fewshot"),
    ):
        out[name] = _official(
            [(_titled(r), r["label"]) for r in jsonl(data / folder / "train.jsonl")],
            [(_titled(r), r["label"]) for r in jsonl(data / folder / "test.jsonl")],
        )
    return out


def stance_sets(data: Path) -> dict[str, Split]:
    with (data / "fnc1" / "train_bodies.csv").open(encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with (data / "fnc1" / "train_stances.csv").open(encoding="utf-8") as f:
        fnc = [((r["Headline"], bodies[r["Body ID"]]), r["Stance"]) for r in csv.DictReader(f)]
    fnc = _dedupe(fnc)
    from sklearn.model_selection import GroupShuffleSplit

    by_body = GroupShuffleSplit(1, test_size=0.2, random_state=0)
    tr, te = next(by_body.split(np.zeros(len(fnc)), groups=[x[1] for x, _ in fnc]))
    out = {
        "fnc1 (by body, 80/20)": _official([fnc[i] for i in tr], [fnc[i] for i in te]),
        "fnc1 (by headline+body)": _split(fnc, pairs=True),
    }
    arc_train = [((r["headline"], r["body"]), r["label"]) for r in jsonl(data / "arc" / "train.jsonl")]
    arc_test = [((r["headline"], r["body"]), r["label"]) for r in jsonl(data / "arc" / "test.jsonl")]
    out["arc (official)"] = _official(arc_train, arc_test)
    out["arc (by headline+body)"] = _split(_dedupe(arc_train + arc_test), pairs=True)

    def pairs(folder: str, split: str) -> list[Example]:
        return [((r["target"], r["text"]), r["label"]) for r in jsonl(data / folder / f"{split}.jsonl")]

    out["emergent"] = _official(pairs("emergent", "train"), pairs("emergent", "test"))
    out["pstance"] = _official(pairs("pstance", "train"), pairs("pstance", "test"))
    out["ibm claim stance"] = _official(pairs("ibm_claim_stance", "train"), pairs("ibm_claim_stance", "test"))
    out["vast (dev -> test)"] = _official(pairs("vast", "dev"), pairs("vast", "test"))
    return out


# -- running -----------------------------------------------------------------------------------


def run(fit: Fit, split: Split) -> dict[str, Any]:
    return timed_run(fit, *split)


def classify_table(task: str, sets: dict[str, Split], only: list[str] | None) -> None:
    print(f"\n{task.upper()}")
    print(f"{'set':<26} {'system':<32} {'acc':>6} {'macroF1':>8} {'FNC':>6} {'train s':>8} {'pred/s':>8}  per-class F1")
    for name, split in sets.items():
        if only and not any(o in name for o in only):
            continue
        print(f"{name:<26} train {len(split[0])}, test {len(split[2])}", flush=True)
        for sys_name, fit in systems(task).items():
            r = run(fit, split)
            fnc = f"{r['fnc_score']:6.3f}" if "fnc_score" in r else f"{'':>6}"
            per = " ".join(f"{k[:8]} {v['f1']:.2f}" for k, v in r["per_class"].items()) if len(r["labels"]) <= 4 else ""
            print(
                f"{'':<26} {sys_name:<32} {r['accuracy']:6.3f} {r['macro_f1']:8.3f} {fnc} "
                f"{r['train_s']:8.1f} {r['pred_per_s']:8.0f}  {per}",
                flush=True,
            )


def brief_table(data: Path, limit: int | None) -> None:
    """The default brief beside the baselines, on bench/summarize.py's sets, systems and checks."""
    from summarize import (
        CNNDM_LENGTHS,
        LENGTHS,
        TRAINING_PAIRS,
        VERSUS,
        evaluate_each,
        load,
        nlpkit_system,
        sumy_system,
        training_pairs,
        unscored_auto,
        versus,
    )

    systems = {m: nlpkit_system(m) for m in ("auto", "lead", "textrank", "lexrank", "centroid", "previous auto")}
    systems["auto no scorer"] = unscored_auto()  # auto's own one-sentence pick, without the bundled scorer
    lexrank = sumy_system("lexrank")
    if lexrank is not None:
        systems["sumy lexrank"] = lexrank
    print("\nBRIEF (ROUGE F1 x100, rouge-score with stemming; best reference per article;")
    print("defects: briefs with an unbalanced quote, a caption, a link line, a publisher's notice, a connective")
    print("or pronoun opener, the headline again, a line with no full stop, a time stamp or byline -- bench/briefs.py;")
    print("art/s: articles prepared and briefed a second, the lead's run before each set's rows also filling the word")
    print("caches;")
    print(f"{VERSUS}: ROUGE-1 minus the lead's at the same length, per article, mean ± its standard error)")
    print(f"{'set':<40} {'system':<22} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7} {'art/s':>7} {'defects':>8} {VERSUS:>13}")
    sets = {**load(data, limit), TRAINING_PAIRS: training_pairs(data, limit)}
    for set_name, items in sets.items():
        for label, k in LENGTHS.get(set_name, CNNDM_LENGTHS):
            lead = evaluate_each(systems["lead"], items, k)[3]
            for method, system in systems.items():
                if method == "auto no scorer" and k != 1:
                    continue  # the same as auto but at one sentence
                scores, rate, flawed, each = evaluate_each(system, items, k)
                shown = f"lead-{k}" if method == "lead" and k else method
                print(
                    f"{set_name + ', ' + label:<40} {shown:<22} {100 * scores['rouge1']:6.2f} "
                    f"{100 * scores['rouge2']:6.2f} {100 * scores['rougeLsum']:7.2f} {rate:7.0f} {100 * flawed:7.1f}% "
                    f"{versus(each, lead):>13}",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--only", choices=["topic", "stance", "brief"])
    parser.add_argument("--sets", help="comma-separated parts of set names to run (e.g. bbc,pstance)")
    parser.add_argument("--limit", type=int, help="briefs: at most N articles per set")
    args = parser.parse_args()
    data = data_dir(args.data)
    only = [s.strip() for s in args.sets.split(",")] if args.sets else None
    if args.only in (None, "topic"):
        classify_table("topic", topic_sets(data), only)
    if args.only in (None, "stance"):
        classify_table("stance", stance_sets(data), only)
    if args.only in (None, "brief"):
        brief_table(data, args.limit)
    print(json.dumps({"note": "official splits where they exist; no system saw its test split"}))


if __name__ == "__main__":
    main()
