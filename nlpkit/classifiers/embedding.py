"""The `embedding` backend: a pretrained sentence encoder with a linear head on top.

Texts are encoded once by a Hugging Face encoder (mean pooling over tokens, L2-normalised,
as sentence-transformers does for all-MiniLM-L6-v2), and a logistic regression is fitted on
the vectors. For stance, target u and text v are combined as [u, v, |u - v|, u * v] and joined
with the tfidf pair features. The saved model keeps the encoder (`save_pretrained`, as
safetensors, in `encoder/`) and the head as plain arrays, the feature scaling folded in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.classifiers.base import Estimator, Pair, PredictFromProba
from nlpkit.classifiers.encoded import EncoderLinear, pair_vectors
from nlpkit.classifiers.stance_features import PairFeatures
from nlpkit.neural import EncoderMixin
from nlpkit.predictors import LinearHead


def folded_head(head: Any, scaler: Any = None) -> LinearHead:
    """A logistic regression (after an optional StandardScaler) as one linear head on raw features."""
    linear = LinearHead.from_sklearn(head)
    if scaler is None:
        return linear
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    weights = linear.weights / scale
    return LinearHead(weights, linear.bias - weights @ scaler.mean_, linear.scale)


class EmbeddingClassifier(EncoderMixin, PredictFromProba, ClassifierMixin, BaseEstimator):
    """Sentence-encoder vectors with a logistic-regression head (topic)."""

    #: The backend and task a model saved from this estimator has (`nlpkit.save_model`).
    backend = "embedding"
    task = "topic"

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
        check_is_fitted(self, "head_")
        return np.asarray(self.head_.predict_proba(self._encoder().encode(list(X))))

    def predictor(self) -> EncoderLinear:
        return EncoderLinear(
            list(self.classes_), self._encoder(), folded_head(self.head_), settings=self.encoder_settings()
        )


class EmbeddingStanceClassifier(EncoderMixin, PredictFromProba, ClassifierMixin, BaseEstimator):
    """[u, v, |u - v|, u * v] of target and text vectors, plus the tfidf pair features, with a linear head."""

    #: The backend and task a model saved from this estimator has (`nlpkit.save_model`).
    backend = "embedding"
    task = "stance"

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

    def fit(self, X: Sequence[Pair], y: Sequence[str]) -> EmbeddingStanceClassifier:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        encoder = self._fit_encoder()
        self.pair_ = PairFeatures(svd_components=self.svd_components, random_state=self.random_state).fit(list(X))
        F = pair_vectors(encoder, self.pair_.featurizer_, list(X))
        self.scaler_ = StandardScaler().fit(F)
        self.head_ = LogisticRegression(C=self.C, max_iter=3000, class_weight=self.class_weight).fit(
            self.scaler_.transform(F), np.asarray(y, dtype=object)
        )
        self.classes_ = self.head_.classes_
        return self

    def predict_proba(self, X: Sequence[Pair]) -> np.ndarray:
        check_is_fitted(self, "head_")
        F = pair_vectors(self._encoder(), self.pair_.featurizer_, list(X))
        return np.asarray(self.head_.predict_proba(self.scaler_.transform(F)))

    def predictor(self) -> EncoderLinear:
        head = folded_head(self.head_, self.scaler_)
        return EncoderLinear(
            list(self.classes_), self._encoder(), head, self.pair_.featurizer_, self.encoder_settings()
        )


def make_embedding(task: str, **params: Any) -> Estimator:
    cls = EmbeddingStanceClassifier if task == "stance" else EmbeddingClassifier
    return cls(**params)
