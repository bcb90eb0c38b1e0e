"""What the TF-IDF classifiers share: the feature sets and vectorizers they choose among, how a
cross-validated candidate is scored and the best one picked, score alignment, temperature."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from nlpkit.metrics import classification_metrics
from nlpkit.predictors import softmax


def stack(blocks: list[Any]) -> Any:
    """Sparse blocks side by side (CSR)."""
    from scipy.sparse import hstack

    return hstack(blocks).tocsr() if len(blocks) > 1 else blocks[0].tocsr()


def align(scores: np.ndarray, have: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Score columns of a model that saw only some labels, placed in the columns of all labels (-inf elsewhere)."""
    if len(have) == len(want):
        return scores
    out = np.full((len(scores), len(want)), -np.inf)
    where = {c: i for i, c in enumerate(want)}
    for j, c in enumerate(have):
        out[:, where[c]] = scores[:, j]
    return out


def fit_temperature(scores: np.ndarray, y: Sequence[str], classes: Sequence[str]) -> float:
    """The scale T minimising the log-loss of softmax(T * scores) on held-out scores (1 with none)."""
    if len(y) == 0:
        return 1.0
    from scipy.optimize import minimize_scalar

    index = {c: i for i, c in enumerate(classes)}
    gold = np.array([index[v] for v in y])
    z = two_column_scores(np.asarray(scores, dtype=np.float64))

    def nll(log_t: float) -> float:
        p = softmax(np.exp(log_t) * z)
        return float(-np.log(np.clip(p[np.arange(len(gold)), gold], 1e-12, 1.0)).mean())

    return float(np.exp(minimize_scalar(nll, bounds=(-4.0, 4.0), method="bounded").x))


#: Text features the topic backend chooses among, cheapest first: the settings of each TF-IDF block.
FEATURE_SETS: dict[str, tuple[dict[str, Any], ...]] = {
    "words": ({"ngram_range": (1, 1), "min_df": 1},),
    "words+bigrams": ({"ngram_range": (1, 2), "min_df": 2, "max_df": 0.9, "max_features": 200_000},),
    "words+bigrams+chars": (
        {"ngram_range": (1, 2), "min_df": 2, "max_df": 0.9, "max_features": 200_000},
        {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "max_features": 300_000},
    ),
}
#: Character n-grams are tried only for texts shorter than this (median characters): they help
#: headlines and tweets, and cost too much time on longer items (on Reuters newswire, median 419
#: characters, they gained 0.002 accuracy at a twentieth of the prediction speed).
SHORT_TEXTS = 300


def short_texts(texts: Sequence[str]) -> bool:
    """Whether texts are short enough (median characters) for character n-grams to be worth trying."""
    return float(np.median([len(t) for t in texts])) < SHORT_TEXTS if texts else True


def tfidf_vectorizers(name: str, n: int, min_df: int | None = None) -> list[Any]:
    """Unfitted scikit-learn vectorizers for feature set `name` of `FEATURE_SETS`, for `n` texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = []
    for settings in FEATURE_SETS[name]:
        kw = {"sublinear_tf": True, "strip_accents": "unicode", **settings}
        if min_df is not None:
            kw["min_df"] = min_df
        if n <= 50:  # a handful of examples: keep every term
            kw.update(min_df=1, max_df=1.0)
        out.append(TfidfVectorizer(**kw))
    return out


def cv_result(name: str, scores: np.ndarray, y: np.ndarray, classes: np.ndarray, seconds: float) -> dict[str, Any]:
    """A candidate's cross-validation result: macro-F1 and accuracy of its out-of-fold scores' argmax
    (rows left NaN, which no fold held out, are not counted)."""
    rows = np.flatnonzero(~np.isnan(scores).any(axis=1))
    if not rows.size:  # folds that keep every headline and body apart may leave nothing to score
        return {"name": name, "skipped": "no fold could be scored (too few distinct texts)", "seconds": seconds}
    pred = classes[scores[rows].argmax(axis=1)]
    m = classification_metrics(list(y[rows]), list(pred), labels=list(classes))
    return {"name": name, "score": m["macro_f1"], "accuracy": m["accuracy"], "seconds": seconds}


def say_tried(
    verbose: int, results: Sequence[dict[str, Any]], done: int, total: int, what: str, seconds: float
) -> None:
    """One progress line on stderr (when `verbose`) for a step of the cross-validated choice that took
    `seconds`: the best candidate of `results` with its scores, and how many of the `total` `what` are done."""
    if not verbose or not results:
        return
    r = results[best_result(results)]
    scored = f"macro-F1 {r['score']:.3f}, accuracy {r['accuracy']:.3f}" if "score" in r else r["skipped"]
    print(
        f"nlpkit: choosing settings: {done} of {total} {what} cross-validated ({seconds:.0f} s); {r['name']}: {scored}",
        file=sys.stderr,
        flush=True,
    )


def best_result(results: Sequence[dict[str, Any]]) -> int:
    """The index of the best scored result: macro-F1, then accuracy, then the cheaper (earlier) candidate;
    the first with none scored."""
    scored = [i for i, r in enumerate(results) if "score" in r]
    if not scored:
        return 0
    return max(scored, key=lambda i: (results[i]["score"], results[i]["accuracy"], -i))


def two_column_scores(scores: np.ndarray) -> np.ndarray:
    """Decision scores as one column per class (a binary model's single score s becomes (0, s))."""
    return np.column_stack([np.zeros_like(scores), scores]) if scores.ndim == 1 else scores
