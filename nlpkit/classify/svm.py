"""What the TF-IDF classifiers share: the feature sets they choose among, score alignment, temperature."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

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
    """The scale T minimising the log-loss of softmax(T * scores) on held-out scores."""
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


def two_column_scores(scores: np.ndarray) -> np.ndarray:
    """Decision scores as one column per class (a binary model's single score s becomes (0, s))."""
    return np.column_stack([np.zeros_like(scores), scores]) if scores.ndim == 1 else scores
