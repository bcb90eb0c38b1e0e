"""What every classifier shares: the backend registry, the task names and `ClassifierModel`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, overload

import numpy as np

from nlpkit.classify import BACKENDS, TASKS
from nlpkit.errors import ModelError, UsageError
from nlpkit.types import Prediction

Pair = tuple[str, str]


class Estimator(Protocol):
    """scikit-learn's contract: string labels in `classes_`, columns of `predict_proba` in that order."""

    classes_: np.ndarray

    def fit(self, X: Any, y: Any) -> Any: ...

    def predict_proba(self, X: Any) -> np.ndarray: ...


class PredictFromProba:
    """`predict` as the label of the highest `predict_proba` column, shared by every backend."""

    classes_: np.ndarray

    def predict_proba(self, X: Any) -> np.ndarray:
        raise NotImplementedError

    def predict(self, X: Any) -> np.ndarray:
        return np.asarray(self.classes_[self.predict_proba(X).argmax(axis=1)])


class BackendFactory(Protocol):
    def __call__(self, task: str, **params: Any) -> Estimator: ...


def make_estimator(backend: str, task: str, **params: Any) -> Estimator:
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    factory: BackendFactory = BACKENDS.get(backend)
    return factory(task, **params)


class ClassifierModel:
    """A trained classifier with its metadata, as saved in (and loaded from) a model folder.

    `predict` takes texts (topic) or `(target, text)` pairs (stance); one input in gives one
    result out. Labels are the strings the model was trained with.

    Example:
        >>> import nlpkit
        >>> model = nlpkit.load_model("topic")
        >>> model.predict("The striker scored twice as the club won the cup final.")
        'sport'
    """

    def __init__(self, estimator: Estimator, meta: dict[str, Any], path: str = "") -> None:
        self.estimator = estimator
        self.meta = meta
        self.path = path

    @property
    def task(self) -> str:
        return str(self.meta["task"])

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.estimator.classes_]

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "model"))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", ""))

    @property
    def ident(self) -> str:
        """`name@version`, the version being the first 12 hex digits of the weights' SHA-256."""
        return f"{self.name}@{weights_digest(self.meta.get('files') or {})[:12]}"

    def _inputs(self, X: Any) -> tuple[list[Any], bool]:
        single = isinstance(X, str) or (isinstance(X, tuple) and len(X) == 2 and all(isinstance(x, str) for x in X))
        items = [X] if single else list(X)
        if self.task == "stance":
            for item in items:
                if not (isinstance(item, tuple | list) and len(item) == 2):
                    raise UsageError(
                        "a stance model needs (target, text) pairs: give a target (--target or a target field)"
                    )
            items = [(str(t), str(b)) for t, b in items]
        else:
            items = [str(x) for x in items]
        return items, single

    def predict_proba(self, X: Sequence[str] | Sequence[Pair], *, batch_size: int = 256) -> np.ndarray:
        items, _ = self._inputs(X)
        if not items:
            return np.zeros((0, len(self.labels)))
        parts = [self.estimator.predict_proba(items[i : i + batch_size]) for i in range(0, len(items), batch_size)]
        return np.vstack(parts)

    @overload
    def predict(self, X: str | Pair, *, batch_size: int = ...) -> str: ...  # type: ignore[overload-overlap]

    @overload
    def predict(self, X: Sequence[str] | Sequence[Pair], *, batch_size: int = ...) -> list[str]: ...

    def predict(self, X: Any, *, batch_size: int = 256) -> str | list[str]:
        items, single = self._inputs(X)
        proba = self.predict_proba(items, batch_size=batch_size)
        labels = [self.labels[i] for i in proba.argmax(axis=1)]
        return labels[0] if single else labels

    def predict_scores(self, X: Any, *, batch_size: int = 256) -> list[Prediction]:
        """Label, its probability and every label's probability, for each input."""
        items, _ = self._inputs(X)
        proba = self.predict_proba(items, batch_size=batch_size)
        labels = self.labels
        out = []
        for row in proba:
            i = int(row.argmax())
            out.append(
                Prediction(
                    label=labels[i],
                    score=float(row[i]),
                    scores={lab: float(p) for lab, p in zip(labels, row, strict=True)},
                )
            )
        return out

    def predict_one(self, text: str, target: str | None = None) -> Prediction:
        if self.task == "stance":
            if not target:
                raise UsageError(f"{self.name} is a stance model: it needs a target (a headline or claim)")
            return self.predict_scores([(target, text)])[0]
        return self.predict_scores([text])[0]

    def save_weights(self, folder: Any) -> list[str]:
        """Files besides the skops weights (neural tensors, as safetensors); [] for tfidf models."""
        save = getattr(self.estimator, "save_tensors", None)
        return list(save(folder)) if save is not None else []

    def __repr__(self) -> str:
        return f"ClassifierModel(task={self.task!r}, backend={self.meta.get('backend')!r}, labels={self.labels})"


def weights_digest(files: dict[str, str]) -> str:
    """One SHA-256 for a model's weights: the skops file's own, or a digest over every weight file."""
    weights = {k: v for k, v in files.items() if k != "README.md"}
    if not weights:
        return "unsaved"
    if list(weights) == ["model.skops"]:
        return weights["model.skops"]
    import hashlib

    joined = "\n".join(f"{k} {v}" for k, v in sorted(weights.items()))
    return hashlib.sha256(joined.encode()).hexdigest()


def check_model(model: Any) -> ClassifierModel:
    if not isinstance(model, ClassifierModel):
        raise ModelError(f"{getattr(model, 'path', model)}: not a classifier model")
    return model
