"""Models over a pretrained encoder as their folders keep them, for prediction: no scikit-learn.

The `embedding` and `transformer` backends fit with scikit-learn (`nlpkit.classifiers.embedding`,
`nlpkit.classifiers.transformer`); what they save is read back here, so a process that only predicts
imports torch and transformers but not scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader, read_arrays, write_arrays
from nlpkit.classifiers.base import Pair, PredictFromProba, StanceModel, TopicModel, checked_labels, classifier_model
from nlpkit.classifiers.pairs import PairFeaturizer
from nlpkit.errors import ModelError, UsageError, describe
from nlpkit.neural import (
    ENCODER_DIR,
    SentenceEncoder,
    amp_dtype,
    autocast,
    load_device,
    load_pretrained,
    resolve_device,
    save_pretrained,
)
from nlpkit.params import check_params
from nlpkit.persistence import ARRAYS_FILE, META_FILE, ModelMeta, listed
from nlpkit.predictors import LinearHead

WEIGHTS_DIR = "transformer"
AGGREGATES = ("mean", "max", "first")
#: The settings a transformer model's description may hold: `TransformerClassifier`'s parameters.
TRANSFORMER_PARAMS = frozenset(
    """base_model max_length stride max_windows aggregate learning_rate epochs batch_size gradient_accumulation_steps
    weight_decay warmup_ratio class_weight early_stopping validation_fraction n_iter_no_change precision device
    random_state verbose""".split()
)
#: What prediction reads of them, with `TransformerClassifier`'s defaults.
WINDOW_DEFAULTS: dict[str, Any] = {
    "max_length": 256,
    "stride": None,
    "max_windows": 4,
    "aggregate": "mean",
    "batch_size": 16,
    "precision": "auto",
    "device": "auto",
}


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


class WindowedTransformer(PredictFromProba):
    """A fine-tuned Hugging Face sequence classifier over overlapping token windows, as its folder keeps it.

    Long texts are cut into windows of `max_length` tokens (`stride` shared by neighbours, at most
    `max_windows` per text) and a text's window logits combined by `aggregate`, as in training
    (`TransformerClassifier`, which reads and predicts through these same methods).
    """

    backend = "transformer"
    max_length: int
    stride: int | None
    max_windows: int
    aggregate: str
    batch_size: int
    precision: str
    device: str
    classes_: np.ndarray
    task_: str

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        self.params = dict(params or {})
        for name, default in WINDOW_DEFAULTS.items():
            setattr(self, name, self.params.get(name, default))

    def _stride(self) -> int:
        return self.max_length // 8 if self.stride is None else self.stride

    def _windows(self, X: Sequence[Any]) -> list[list[dict[str, list[int]]]]:
        """Token windows per input: a list (one entry per text) of encodings, at most `max_windows` each."""
        tok = self.tokenizer_
        # The window is also capped by what the model can read (its tokenizer's and its positions' limits).
        tok_max = getattr(tok, "model_max_length", None)
        caps = [self.max_length, tok_max if tok_max and tok_max < 1_000_000 else None]
        caps.append(getattr(self.model_.config, "max_position_embeddings", None))
        limit = min(c for c in caps if c)
        stride = min(self._stride(), limit // 4)
        windows = 1 if self.aggregate == "first" else self.max_windows
        # Enough characters for every window the model will read; the tail is never tokenized.
        chars = (windows * (limit - stride) + stride) * 12
        pairs = bool(X) and isinstance(X[0], tuple | list)
        if pairs:
            targets = [str(t) for t, _ in X]
            # A target takes at most a quarter of the window, so the text always has room.
            ids = tok(targets, add_special_tokens=False, truncation=True, max_length=limit // 4)["input_ids"]
            targets = [tok.decode(i) for i in ids]
            enc = tok(
                targets,
                [str(b)[:chars] for _, b in X],
                truncation="only_second",
                max_length=limit,
                stride=stride,
                return_overflowing_tokens=True,
            )
        else:
            enc = tok(
                [str(x)[:chars] for x in X],
                truncation=True,
                max_length=limit,
                stride=stride,
                return_overflowing_tokens=True,
            )
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        out: list[list[dict[str, list[int]]]] = [[] for _ in X]
        for w, owner in enumerate(enc["overflow_to_sample_mapping"]):
            if len(out[owner]) < windows:
                out[owner].append({k: enc[k][w] for k in keys})
        return out

    def _logits(self, docs: list[list[dict[str, list[int]]]]) -> Any:
        """Text logits: the windows of every text in `docs` through the model, then aggregated."""
        import torch

        flat = [w for doc in docs for w in doc]
        owner = torch.tensor([i for i, doc in enumerate(docs) for _ in doc], device=self.device_)
        batch = self.tokenizer_.pad(flat, return_tensors="pt").to(self.device_)
        with self._autocast():
            logits = self.model_(**batch).logits.float()
        if self.aggregate == "max":
            out = torch.full((len(docs), logits.shape[1]), -torch.inf, device=logits.device)
            return out.scatter_reduce(0, owner[:, None].expand_as(logits), logits, reduce="amax")
        summed = torch.zeros((len(docs), logits.shape[1]), device=logits.device).index_add(0, owner, logits)
        counts = torch.bincount(owner, minlength=len(docs)).clamp(min=1)
        return summed / counts[:, None]

    def _autocast(self) -> Any:
        return autocast(self.device_, self.amp_dtype_)

    def _load(self, path: str | Path, device: str, **kwargs: Any) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.tokenizer_ = load_pretrained(AutoTokenizer.from_pretrained, path, "a tokenizer")
        self.model_ = load_pretrained(
            lambda p, **kw: AutoModelForSequenceClassification.from_pretrained(p, **kw, **kwargs),
            path,
            "a transformer model",
        )
        if not getattr(self.tokenizer_, "is_fast", False):
            raise ModelError(f"{path}: the transformer backend needs a fast tokenizer (tokenizer.json)")
        self.device_ = resolve_device(device)
        self.model_.to(self.device_)
        self.amp_dtype_ = amp_dtype(self.precision, self.device_)

    def _predict_logits(self, docs: list[list[dict[str, list[int]]]]) -> Any:
        import torch

        self.model_.eval()
        parts = []
        with torch.inference_mode():
            for i in range(0, len(docs), self.batch_size):
                parts.append(self._logits(docs[i : i + self.batch_size]))
        return torch.cat(parts) if parts else torch.zeros((0, len(self.classes_)))

    def _model(self) -> Any:
        if getattr(self, "model_", None) is None:
            raise ModelError("the transformer weights are not loaded; load the model with nlpkit.load_model")
        return self.model_

    def predict_proba(self, X: Sequence[Any]) -> np.ndarray:
        import torch

        self._model()
        X = list(X)
        if not X:
            return np.zeros((0, len(self.classes_)))
        logits = self._predict_logits(self._windows(X))
        return np.asarray(torch.softmax(logits, dim=1).cpu().numpy(), dtype=np.float64)

    def save(self, folder: Path) -> tuple[dict[str, Any], list[str]]:
        files = save_pretrained(self._model(), self.tokenizer_, folder / WEIGHTS_DIR, folder)
        return {"type": "transformer", "labels": [str(c) for c in self.classes_], "params": self.settings()}, files

    def settings(self) -> dict[str, Any]:
        """The settings the model description keeps (those it was read with)."""
        return dict(self.params)


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


def load_transformer(folder: Path, meta: ModelMeta, device: str | None = None) -> TopicModel | StanceModel:
    """A `transformer` model folder (already checked against its checksums) as a `ClassifierModel`."""
    spec = SpecReader(meta.spec, str(folder / META_FILE))
    params = spec.sub("params").data
    try:
        check_params(params, f"{folder / META_FILE}")
        unknown = sorted(set(params) - TRANSFORMER_PARAMS)
        if unknown:
            raise UsageError(f"unknown setting {unknown[0]!r}")
        est = WindowedTransformer(params)
    except UsageError as e:
        raise ModelError(f"{folder}: unusable transformer settings in the model description ({describe(e)})") from e
    labels = spec.strings("labels", 10_000) if spec.has("labels") else list(meta.labels)
    est.classes_ = np.asarray(labels, dtype=object)
    est.task_ = meta.task
    est._load(folder / WEIGHTS_DIR, load_device(device, est.device))
    est.model_.eval()
    checked_labels(est, meta, folder)
    return classifier_model(est, meta, path=str(folder))
