"""Linear heads: class probabilities from sparse and dense feature blocks, numpy only."""

from __future__ import annotations

from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader
from nlpkit.errors import ModelError
from nlpkit.predictors.sparse import Arrays, Csr, softmax


class LinearHead:
    """Class probabilities `softmax(scale * (X @ W.T + b))` over sparse and dense feature blocks.

    A binary linear model's single score s is stored as the two rows (0, s), so one formula
    covers logistic regression, a linear SVM with temperature scaling and complement naive Bayes.
    """

    def __init__(self, weights: np.ndarray, bias: np.ndarray, scale: float = 1.0) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)  # classes x features
        self.weights_t = np.ascontiguousarray(self.weights.T)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.scale = float(scale)
        if self.bias.shape != (self.weights.shape[0],):
            raise ModelError(f"linear head: {self.weights.shape[0]} classes but {self.bias.shape} biases")

    @property
    def width(self) -> int:
        return int(self.weights.shape[1])

    def scores(self, sparse: Csr | None = None, dense: np.ndarray | None = None) -> np.ndarray:
        """X @ W.T + b with X = [sparse, dense]."""
        parts = []
        offset = 0
        if sparse is not None:
            parts.append(sparse.dot(self.weights_t[: sparse.width]))
            offset = sparse.width
        if dense is not None:
            parts.append(np.asarray(dense, dtype=np.float64) @ self.weights_t[offset : offset + dense.shape[1]])
            offset += dense.shape[1]
        if offset != self.width:
            raise ModelError(f"linear head expects {self.width} features, got {offset}")
        return np.sum(parts, axis=0) + self.bias

    def predict_proba(self, sparse: Csr | None = None, dense: np.ndarray | None = None) -> np.ndarray:
        return softmax(self.scale * self.scores(sparse, dense))

    def config(self) -> dict[str, Any]:
        return {"scale": self.scale}

    def arrays(self) -> Arrays:
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> LinearHead:
        return cls(arrays.get("weights", 2, "f"), arrays.get("bias", 1, "f"), spec.number("scale", 1.0, limit=1e6))

    @classmethod
    def from_sklearn(cls, model: Any, scale: float = 1.0) -> LinearHead:
        """A fitted LinearSVC, LogisticRegression or ComplementNB (softmax of its decision scores)."""
        if hasattr(model, "feature_log_prob_"):  # naive Bayes: joint log likelihood, no bias
            weights = np.asarray(model.feature_log_prob_, dtype=np.float64)
            bias = np.zeros(len(weights))
            if len(weights) == 1:
                bias = np.asarray(model.class_log_prior_, dtype=np.float64)
            return cls(weights, bias, scale)
        coef = np.asarray(model.coef_, dtype=np.float64)
        intercept = np.broadcast_to(np.asarray(model.intercept_, dtype=np.float64), (coef.shape[0],))
        if coef.shape[0] == 1:  # binary: one score s for the second class, i.e. rows (0, s)
            return cls(np.vstack([np.zeros_like(coef), coef]), np.array([0.0, float(intercept[0])]), scale)
        return cls(coef, intercept.copy(), scale)
