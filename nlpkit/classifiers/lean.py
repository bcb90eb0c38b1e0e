"""The `tfidf` backend's saved predictors: numpy only, rebuilt from `model.safetensors`.

Each predictor type is registered under a stable name (`LEAN_TYPES`) and written as a spec
(plain JSON: its type and settings) plus named arrays. Loading looks the type up in the
registry, so a model folder can only ever select one of these classes, never name code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader, read_arrays, write_arrays
from nlpkit.classifiers.base import PredictFromProba, StanceModel, TopicModel, checked_labels, classifier_model
from nlpkit.classifiers.pairs import PairFeaturizer
from nlpkit.errors import ModelError, describe
from nlpkit.persistence import ARRAYS_FILE, META_FILE, ModelMeta, listed
from nlpkit.predictors import Arrays, Csr, LinearHead, TfidfTransform, TreeEnsemble, softmax
from nlpkit.predictors.tfidf import MAX_TERMS
from nlpkit.registry import Registry

LEAN_TYPES: Registry[Any] = Registry("saved predictor type")
#: Most labels a stored classifier may have.
MAX_LABELS = 10_000


def _prefixed(prefix: str, arrays: Arrays) -> Arrays:
    return {f"{prefix}.{k}": v for k, v in arrays.items()}


class _Lean(PredictFromProba):
    """Labels, spec and arrays: what every lean predictor shares."""

    type_name = ""
    task = "topic"  # what the predictor reads: texts (topic) or (target, text) pairs (stance)

    def __init__(self, labels: Sequence[str]) -> None:
        self.classes_ = np.asarray(list(labels), dtype=object)

    def spec(self) -> dict[str, Any]:
        raise NotImplementedError

    def arrays(self) -> Arrays:
        raise NotImplementedError

    def save(self, folder: Path) -> tuple[dict[str, Any], list[str]]:
        write_arrays(folder / ARRAYS_FILE, self.arrays())
        return {"type": self.type_name, "labels": [str(c) for c in self.classes_], **self.spec()}, [ARRAYS_FILE]


@dataclass(frozen=True)
class ShortTexts:
    """A second linear head (naive Bayes log-likelihoods, centred per text) added with `weight` to the scores
    of texts of fewer than `tokens` whitespace-separated words."""

    head: LinearHead
    tokens: int
    weight: float

    def add_to(self, scores: np.ndarray, sparse: Csr, texts: Sequence[str]) -> np.ndarray:
        short = np.fromiter((len(t.split()) < self.tokens for t in texts), dtype=bool, count=len(texts))
        if not short.any():
            return scores
        bayes = self.head.scores(sparse=sparse)
        return scores + self.weight * short[:, None] * (bayes - bayes.mean(axis=1, keepdims=True))


@LEAN_TYPES.register("text-linear")
class TextLinear(_Lean):
    """TF-IDF blocks (word, character n-grams) side by side, then a linear head (and, for short texts, a second
    one mixed in): topic models."""

    type_name = "text-linear"

    def __init__(
        self,
        labels: Sequence[str],
        vectorizers: Sequence[TfidfTransform],
        head: LinearHead,
        short: ShortTexts | None = None,
    ) -> None:
        super().__init__(labels)
        self.vectorizers = list(vectorizers)
        self.head = head
        self.short = short
        width = sum(v.width for v in self.vectorizers)
        for h in (head, *([short.head] if short else [])):
            if h.width != width or h.weights.shape[0] != len(self.classes_):
                raise ModelError(
                    f"linear head of shape {h.weights.shape} for {len(self.classes_)} labels and {width} features"
                )

    def features(self, texts: Sequence[str]) -> Csr:
        return Csr.hstack([v.transform(texts) for v in self.vectorizers])

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        texts = [str(x) for x in X]
        if self.short is None:
            return self.head.predict_proba(sparse=self.features(texts))
        sparse = self.features(texts)
        return softmax(self.head.scale * self.short.add_to(self.head.scores(sparse=sparse), sparse, texts))

    def spec(self) -> dict[str, Any]:
        out: dict[str, Any] = {"vectorizers": [v.config() for v in self.vectorizers], "head": self.head.config()}
        if self.short is not None:
            out["short"] = {"tokens": self.short.tokens, "weight": self.short.weight, "head": self.short.head.config()}
        return out

    def arrays(self) -> Arrays:
        out = {**_prefixed("head", self.head.arrays()), **_vectorizer_arrays(self.vectorizers)}
        if self.short is not None:
            out.update(_prefixed("short", self.short.head.arrays()))
        return out

    @classmethod
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> TextLinear:
        head = LinearHead.from_parts(spec.sub("head"), arrays.scope("head"))
        short = None
        if spec.has("short"):
            sub = spec.sub("short")
            short = ShortTexts(
                LinearHead.from_parts(sub.sub("head"), arrays.scope("short")),
                sub.integer("tokens", 1, 100_000),
                sub.number("weight", limit=1000),
            )
        return cls(spec.strings("labels", MAX_LABELS), _read_vectorizers(spec, arrays), head, short)


def _vectorizer_arrays(vectorizers: Sequence[TfidfTransform]) -> Arrays:
    out: Arrays = {}
    for i, v in enumerate(vectorizers):
        out.update(_prefixed(f"vectorizer{i}", v.arrays()))
    return out


def _read_vectorizers(spec: SpecReader, arrays: ArrayReader) -> list[TfidfTransform]:
    return [
        TfidfTransform.from_parts(cfg, arrays.scope(f"vectorizer{i}"))
        for i, cfg in enumerate(spec.subs("vectorizers", 8))
    ]


@LEAN_TYPES.register("pair-text-linear")
class PairTextLinear(_Lean):
    """Stance from the text alone, by a linear head per target: the target picks its head (the first, trained
    on every target, serves targets not seen in training). One head is a text model for all targets."""

    type_name = "pair-text-linear"
    task = "stance"

    def __init__(
        self, labels: Sequence[str], vectorizers: Sequence[TfidfTransform], heads: list[LinearHead], targets: list[str]
    ) -> None:
        super().__init__(labels)
        self.text = TextLinear(labels, vectorizers, heads[0])
        self.heads = heads
        self.targets = {t: i + 1 for i, t in enumerate(targets)}
        if len(heads) != len(targets) + 1:
            raise ModelError(f"{len(heads)} heads for {len(targets)} targets (one more head serves the rest)")
        for h in heads[1:]:
            if h.weights.shape != heads[0].weights.shape:
                raise ModelError("the per-target heads differ in shape")

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        pairs = list(X)
        features = self.text.features([str(b) for _, b in pairs])
        which = np.array([self.targets.get(str(t), 0) for t, _ in pairs], dtype=np.int64)
        out = np.zeros((len(pairs), len(self.classes_)))
        for h in np.unique(which):
            rows = np.flatnonzero(which == h)
            out[rows] = self.heads[h].predict_proba(sparse=features.take(rows))
        return out

    def spec(self) -> dict[str, Any]:
        return {
            "vectorizers": [v.config() for v in self.text.vectorizers],
            "heads": [h.config() for h in self.heads],
            "targets": list(self.targets),
        }

    def arrays(self) -> Arrays:
        out = _vectorizer_arrays(self.text.vectorizers)
        for i, h in enumerate(self.heads):
            out.update(_prefixed(f"head{i}", h.arrays()))
        return out

    @classmethod
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> PairTextLinear:
        heads = [
            LinearHead.from_parts(cfg, arrays.scope(f"head{i}")) for i, cfg in enumerate(spec.subs("heads", 10_001))
        ]
        if not heads:
            raise ModelError(f"{arrays.where}: a per-target model with no heads")
        labels = spec.strings("labels", MAX_LABELS)
        return cls(labels, _read_vectorizers(spec, arrays), heads, spec.strings("targets", 10_000))


@LEAN_TYPES.register("pair-trees")
class PairTrees(_Lean):
    """Pair features (relatedness, overlap, cue words, SVD views) and boosted trees: stance models."""

    type_name = "pair-trees"
    task = "stance"

    def __init__(self, labels: Sequence[str], features: PairFeaturizer, trees: TreeEnsemble) -> None:
        super().__init__(labels)
        self.features = features
        self.trees = trees
        columns = len(trees.baseline)
        if columns not in (1, len(self.classes_)) or (columns == 1 and len(self.classes_) != 2):
            raise ModelError(f"{columns} tree score columns for {len(self.classes_)} labels")

    def predict_proba(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        return self.trees.predict_proba(self.features.transform(list(X)))

    def spec(self) -> dict[str, Any]:
        return {"features": self.features.config(), "trees": self.trees.config()}

    def arrays(self) -> Arrays:
        return {**_prefixed("features", self.features.arrays()), **_prefixed("trees", self.trees.arrays())}

    @classmethod
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> PairTrees:
        features = PairFeaturizer.from_parts(spec.sub("features"), arrays.scope("features"))
        trees = TreeEnsemble.from_parts(spec.sub("trees"), arrays.scope("trees"))
        trees.check_features(features.width, arrays.where)
        return cls(spec.strings("labels", MAX_LABELS), features, trees)


def _check_vocabularies(spec: SpecReader, depth: int = 0) -> None:
    """Every vocabulary size (`terms`) in the description, at any depth, within `MAX_TERMS`."""
    if depth > 4:
        return
    if spec.has("vectorizers"):
        for cfg in spec.subs("vectorizers", 8):
            cfg.integer("terms", 0, MAX_TERMS)
    if isinstance(spec.raw("vectorizer"), dict):
        spec.sub("vectorizer").integer("terms", 0, MAX_TERMS)
    for key in ("features", "text"):
        if isinstance(spec.raw(key), dict):
            _check_vocabularies(spec.sub(key), depth + 1)


def load_lean(folder: Path, meta: ModelMeta, device: str | None = None) -> TopicModel | StanceModel:
    """A `tfidf` model folder as a `ClassifierModel` (already checked against its checksums)."""
    spec = SpecReader(meta.spec, str(folder / META_FILE))
    kind = spec.raw("type")
    if not isinstance(kind, str) or kind not in LEAN_TYPES:
        raise ModelError(f"{folder}: unknown predictor type {kind!r}; known: {', '.join(LEAN_TYPES.names())}")
    cls = LEAN_TYPES.get(kind)
    _check_vocabularies(spec)  # before the arrays are read: a vocabulary too large is refused at no cost
    reader = ArrayReader(read_arrays(listed(folder, meta, ARRAYS_FILE)), str(folder / ARRAYS_FILE))
    try:
        predictor = cls.from_parts(spec, reader)
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as e:
        raise ModelError(f"{folder}: the model description and its arrays do not fit together ({describe(e)})") from e
    if predictor.task != meta.task:
        raise ModelError(
            f"{folder}: a {kind!r} predictor does {predictor.task}, but the description says {meta.task!r}"
        )
    checked_labels(predictor, meta, folder)
    return classifier_model(predictor, meta, path=str(folder))
