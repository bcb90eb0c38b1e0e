"""The `tfidf` backend's saved predictors: numpy only, rebuilt from `model.safetensors`.

Each predictor type is registered under a stable name (`LEAN_TYPES`) and written as a spec
(plain JSON: its type and settings) plus named arrays. Loading looks the type up in the
registry, so a model folder can only ever select one of these classes, never name code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader, read_arrays, write_arrays
from nlpkit.classify.base import ClassifierModel, PredictFromProba, checked_labels
from nlpkit.classify.pairs import PairFeaturizer
from nlpkit.errors import ModelError, describe
from nlpkit.persistence import ARRAYS_FILE, META_FILE, ModelMeta, listed
from nlpkit.predictors import Arrays, Csr, LinearHead, TfidfTransform, TreeEnsemble
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


@LEAN_TYPES.register("text-linear")
class TextLinear(_Lean):
    """TF-IDF blocks (word, character n-grams) side by side, then a linear head: topic models."""

    type_name = "text-linear"

    def __init__(self, labels: Sequence[str], vectorizers: Sequence[TfidfTransform], head: LinearHead) -> None:
        super().__init__(labels)
        self.vectorizers = list(vectorizers)
        self.head = head
        width = sum(v.width for v in self.vectorizers)
        if head.width != width or head.weights.shape[0] != len(self.classes_):
            raise ModelError(
                f"linear head of shape {head.weights.shape} for {len(self.classes_)} labels and {width} features"
            )

    def features(self, texts: Sequence[str]) -> Csr:
        return Csr.hstack([v.transform(texts) for v in self.vectorizers])

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        return self.head.predict_proba(sparse=self.features([str(x) for x in X]))

    def spec(self) -> dict[str, Any]:
        return {"vectorizers": [v.config() for v in self.vectorizers], "head": self.head.config()}

    def arrays(self) -> Arrays:
        return {**_prefixed("head", self.head.arrays()), **_vectorizer_arrays(self.vectorizers)}

    @classmethod
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> TextLinear:
        head = LinearHead.from_parts(spec.sub("head"), arrays.scope("head"))
        return cls(spec.strings("labels", MAX_LABELS), _read_vectorizers(spec, arrays), head)


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


def load_lean(folder: Path, meta: ModelMeta, device: str | None = None) -> ClassifierModel:
    """A `tfidf` model folder as a `ClassifierModel` (already checked against its checksums)."""
    spec = SpecReader(meta.spec, str(folder / META_FILE))
    kind = spec.raw("type")
    if not isinstance(kind, str) or kind not in LEAN_TYPES:
        raise ModelError(f"{folder}: unknown predictor type {kind!r}; known: {', '.join(LEAN_TYPES.names())}")
    cls = LEAN_TYPES.get(kind)
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
    return ClassifierModel(predictor, meta, path=str(folder))
