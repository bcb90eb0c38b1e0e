"""The `embedding` backend: a pretrained sentence encoder with a linear head on top.

Texts are encoded once by a Hugging Face encoder (mean pooling over tokens, L2-normalised,
as sentence-transformers does for all-MiniLM-L6-v2), and a logistic regression is fitted on
the vectors. For stance, target u and text v are combined as [u, v, |u - v|, u * v] and joined
with the tfidf pair features. The encoder is saved with `save_pretrained` (safetensors) in the
model folder's `encoder/`, the head with skops; the encoder never goes through skops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from nlpkit.classify.base import Estimator, Pair, PredictFromProba
from nlpkit.neural import EncoderMixin, SentenceEncoder


class EmbeddingClassifier(EncoderMixin, PredictFromProba, ClassifierMixin, BaseEstimator):
    """Sentence-encoder vectors with a logistic-regression head (topic)."""

    def __init__(
        self,
        *,
        base_model: str = "",
        max_length: int = 256,
        batch_size: int = 32,
        C: float = 10.0,
        class_weight: str | None = None,
        device: str = "auto",
        random_state: int = 0,
    ) -> None:
        self.base_model = base_model
        self.max_length = max_length
        self.batch_size = batch_size
        self.C = C
        self.class_weight = class_weight
        self.device = device
        self.random_state = random_state

    def fit(self, X: Sequence[str], y: Sequence[str]) -> EmbeddingClassifier:
        from sklearn.linear_model import LogisticRegression

        E = self._fit_encoder().encode(list(X))
        self.head_ = LogisticRegression(C=self.C, max_iter=2000, class_weight=self.class_weight).fit(
            E, np.asarray(y, dtype=object)
        )
        self.classes_ = self.head_.classes_
        return self

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        return np.asarray(self.head_.predict_proba(self._encoder().encode(list(X))))


class EmbeddingStanceClassifier(EncoderMixin, PredictFromProba, ClassifierMixin, BaseEstimator):
    """[u, v, |u - v|, u * v] of target and text vectors, plus the tfidf pair features, with a linear head."""

    def __init__(
        self,
        *,
        base_model: str = "",
        max_length: int = 256,
        batch_size: int = 32,
        C: float = 1.0,
        class_weight: str | None = "balanced",
        svd_components: int = 50,
        device: str = "auto",
        random_state: int = 0,
    ) -> None:
        self.base_model = base_model
        self.max_length = max_length
        self.batch_size = batch_size
        self.C = C
        self.class_weight = class_weight
        self.svd_components = svd_components
        self.device = device
        self.random_state = random_state

    def _features(self, X: Sequence[Pair], encoder: SentenceEncoder) -> np.ndarray:
        u = encoder.encode([t for t, _ in X])
        v = encoder.encode([b for _, b in X])
        return np.hstack([u, v, np.abs(u - v), u * v, self.pair_.transform(list(X))])

    def fit(self, X: Sequence[Pair], y: Sequence[str]) -> EmbeddingStanceClassifier:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        from nlpkit.classify.stance_features import PairFeatures

        encoder = self._fit_encoder()
        self.pair_ = PairFeatures(svd_components=self.svd_components, random_state=self.random_state).fit(list(X))
        F = self._features(list(X), encoder)
        self.scaler_ = StandardScaler().fit(F)
        self.head_ = LogisticRegression(C=self.C, max_iter=3000, class_weight=self.class_weight).fit(
            self.scaler_.transform(F), np.asarray(y, dtype=object)
        )
        self.classes_ = self.head_.classes_
        return self

    def predict_proba(self, X: Sequence[Pair]) -> np.ndarray:
        F = self._features(list(X), self._encoder())
        return np.asarray(self.head_.predict_proba(self.scaler_.transform(F)))


def make_embedding(task: str, **params: Any) -> Estimator:
    cls = EmbeddingStanceClassifier if task == "stance" else EmbeddingClassifier
    return cls(**params)
