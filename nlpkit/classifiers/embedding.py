"""The `embedding` backend: a pretrained sentence encoder with a linear head on top.

Texts are encoded once by a Hugging Face encoder (mean pooling over tokens, L2-normalised,
as sentence-transformers does for all-MiniLM-L6-v2), and a logistic regression is fitted on
the vectors. For stance, target u and text v are combined as [u, v, |u - v|, u * v] and joined
with the tfidf pair features. The saved model keeps the encoder (`save_pretrained`, as
safetensors, in `encoder/`) and the head as plain arrays, the feature scaling folded in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.arrays import ArrayReader, SpecReader, read_arrays, write_arrays
from nlpkit.classifiers.base import (
    Estimator,
    Pair,
    PredictFromProba,
    StanceModel,
    TopicModel,
    checked_labels,
    classifier_model,
)
from nlpkit.classifiers.pairs import PairFeaturizer
from nlpkit.classifiers.stance_features import PairFeatures
from nlpkit.errors import ModelError
from nlpkit.neural import ENCODER_DIR, EncoderMixin, SentenceEncoder, load_device
from nlpkit.persistence import ARRAYS_FILE, META_FILE, ModelMeta, listed
from nlpkit.predictors import LinearHead


class EncoderLinear(PredictFromProba):
    """The saved embedding model: encoder vectors (and, for pairs, pair features) into a linear head."""

    def __init__(
        self,
        labels: Sequence[str],
        encoder: SentenceEncoder,
        head: LinearHead,
        pair: PairFeaturizer | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.classes_ = np.asarray(list(labels), dtype=object)
        self.encoder = encoder
        self.head = head
        self.pair = pair
        self.settings = settings or {}

    def features(self, X: Sequence[Any]) -> np.ndarray:
        if self.pair is None:
            return self.encoder.encode([str(x) for x in X])
        return pair_vectors(self.encoder, self.pair, list(X))

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        return self.head.predict_proba(dense=self.features(X))

    def save(self, folder: Path) -> tuple[dict[str, Any], list[str]]:
        files = self.encoder.save(folder / ENCODER_DIR)
        arrays = {f"head.{k}": v for k, v in self.head.arrays().items()}
        if self.pair is not None:
            arrays.update({f"pair.{k}": v for k, v in self.pair.arrays().items()})
        write_arrays(folder / ARRAYS_FILE, arrays)
        spec = {
            "type": "encoder-linear",
            "labels": [str(c) for c in self.classes_],
            "head": self.head.config(),
            "pair": self.pair.config() if self.pair is not None else None,
            "encoder": self.settings,
        }
        return spec, [*files, ARRAYS_FILE]


def pair_vectors(encoder: SentenceEncoder, pair: PairFeaturizer, X: list[Pair]) -> np.ndarray:
    u = encoder.encode([str(t) for t, _ in X])
    v = encoder.encode([str(b) for _, b in X])
    return np.hstack([u, v, np.abs(u - v), u * v, pair.transform(X)])


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


def load_embedding(folder: Path, meta: ModelMeta, device: str | None = None) -> TopicModel | StanceModel:
    """An `embedding` model folder (already checked against its checksums) as a `ClassifierModel`."""
    spec = SpecReader(meta.spec, str(folder / META_FILE))
    if spec.raw("type") != "encoder-linear":
        raise ModelError(f"{folder}: not an embedding model's description (type {spec.raw('type')!r})")
    reader = ArrayReader(read_arrays(listed(folder, meta, ARRAYS_FILE)), str(folder / ARRAYS_FILE))
    enc = spec.sub("encoder")
    max_length, batch_size = enc.integer("max_length", 8, 100_000, 256), enc.integer("batch_size", 1, 100_000, 32)
    saved_device = enc.choice("device", ("auto", "cpu", "cuda"), "auto")
    settings = {"max_length": max_length, "batch_size": batch_size, "device": saved_device}
    head = LinearHead.from_parts(spec.sub("head"), reader.scope("head"))
    pair = PairFeaturizer.from_parts(spec.sub("pair"), reader.scope("pair")) if spec.raw("pair") else None
    encoder = SentenceEncoder(
        folder / ENCODER_DIR,
        max_length=max_length,
        batch_size=batch_size,
        device=load_device(device, saved_device),
    )
    labels = spec.strings("labels", 10_000) if spec.has("labels") else list(meta.labels)
    if (pair is not None) != (meta.task == "stance"):
        raise ModelError(f"{folder}: the description says {meta.task!r}, which does not fit its pair features")
    predictor = EncoderLinear(labels, encoder, head, pair, settings)
    checked_labels(predictor, meta, folder)
    return classifier_model(predictor, meta, path=str(folder))


def make_embedding(task: str, **params: Any) -> Estimator:
    cls = EmbeddingStanceClassifier if task == "stance" else EmbeddingClassifier
    return cls(**params)
