"""The `embedding` backend: a pretrained sentence encoder with a linear head on top.

Texts are encoded once by a Hugging Face encoder (mean pooling over tokens, L2-normalised,
as sentence-transformers does for all-MiniLM-L6-v2), and a logistic regression is fitted on
the vectors. For stance, target u and text v are combined as [u, v, |u - v|, u * v] and joined
with the tfidf pair features. The encoder is saved with `save_pretrained` (safetensors) in the
model folder's `encoder/`, the head with skops; the encoder never goes through skops.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.classify.base import Estimator, Pair, PredictFromProba
from nlpkit.errors import ModelError
from nlpkit.neural import load_device, load_pretrained, resolve_device, save_pretrained

ENCODER_DIR = "encoder"


class SentenceEncoder:
    """Mean-pooled, L2-normalised sentence vectors from a Hugging Face encoder (folder or Hub id)."""

    def __init__(
        self, name_or_path: str | Path, *, max_length: int = 256, batch_size: int = 32, device: str = "auto"
    ) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = load_pretrained(AutoTokenizer.from_pretrained, name_or_path, "an encoder")
        self.model = load_pretrained(AutoModel.from_pretrained, name_or_path, "an encoder")
        self.device = resolve_device(device)
        self.model.to(self.device).eval()
        self.max_length = max_length
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        uniq = list(dict.fromkeys(texts))  # pairs repeat texts (one body, many headlines)
        out = []
        with torch.inference_mode():
            for i in range(0, len(uniq), self.batch_size):
                batch = self.tokenizer(
                    uniq[i : i + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.device)
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, dim=-1).float().cpu().numpy())
        vectors = np.vstack(out) if out else np.zeros((0, self.model.config.hidden_size), dtype=np.float32)
        row = {t: i for i, t in enumerate(uniq)}
        return vectors[[row[t] for t in texts]]

    def save(self, folder: Path) -> list[str]:
        return save_pretrained(self.model, self.tokenizer, folder, folder.parent)


class EncoderMixin:
    """Keeps the encoder out of the skops state; the model folder stores it as safetensors."""

    base_model: str
    max_length: int
    batch_size: int
    device: str
    encoder_: SentenceEncoder | None

    def _load_encoder(self, path: str | Path | None = None, device: str | None = None) -> SentenceEncoder:
        return SentenceEncoder(
            path or self.base_model,
            max_length=self.max_length,
            batch_size=self.batch_size,
            device=device or self.device,
        )

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())  # type: ignore[misc]
        state.pop("encoder_", None)
        return state

    def save_tensors(self, folder: Path) -> list[str]:
        if getattr(self, "encoder_", None) is None:
            raise ModelError("the embedding model has no encoder to save; fit it first")
        assert self.encoder_ is not None
        return self.encoder_.save(folder / ENCODER_DIR)

    def attach_tensors(self, folder: Path, device: str | None = None) -> None:
        self.encoder_ = self._load_encoder(folder / ENCODER_DIR, load_device(device, self.device))

    def _fit_encoder(self) -> SentenceEncoder:
        if not self.base_model:
            raise ModelError("the embedding backend needs --base-model (an encoder folder or Hub id)")
        self.encoder_ = self._load_encoder()
        return self.encoder_

    def _encoder(self) -> SentenceEncoder:
        check_is_fitted(self)
        if getattr(self, "encoder_", None) is None:
            raise ModelError("the encoder is not loaded; load the model with nlpkit.load_model")
        assert self.encoder_ is not None
        return self.encoder_


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
