"""What every classifier shares: the estimator contract, `ClassifierModel` and making estimators.

Training fits an *estimator* (scikit-learn's contract: `fit`, `predict_proba`, string labels in
`classes_`). What a model folder keeps, and what predicts, is a *predictor*: for the `tfidf`
backend the numpy-only one the estimator exports (`nlpkit.classifiers.lean`), for the neural
backends the estimator itself with its weights saved as safetensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, overload

import numpy as np

from nlpkit.classifiers import BACKENDS, NEEDS, TASKS
from nlpkit.classifiers.claims import article_facts, evidence
from nlpkit.errors import ModelError, UsageError, require
from nlpkit.params import check_params
from nlpkit.persistence import ModelMeta, model_ident, save_model
from nlpkit.text.language import OTHER_LANGUAGE, is_other_language
from nlpkit.types import Evidence, Prediction

Pair = tuple[str, str]


class Predictor(Protocol):
    """What a saved classifier predicts with: labels in `classes_`, `predict_proba` columns in that order."""

    classes_: np.ndarray

    def predict_proba(self, X: Any) -> np.ndarray: ...

    def save(self, folder: Path) -> tuple[dict[str, Any], list[str]]:
        """Write the weights into `folder`; return the spec `nlpkit.json` keeps and the files written."""
        ...


class Estimator(Protocol):
    """scikit-learn's contract, plus `predictor()`: the object that predicts once it is saved."""

    classes_: np.ndarray

    def fit(self, X: Any, y: Any, **fit_params: Any) -> Any: ...

    def predict_proba(self, X: Any) -> np.ndarray: ...

    def predictor(self) -> Predictor: ...


class PredictFromProba:
    """`predict` as the label of the highest `predict_proba` column, shared by every backend."""

    classes_: np.ndarray

    def predict_proba(self, X: Any) -> np.ndarray:
        raise NotImplementedError

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)  # first: an unfitted estimator raises scikit-learn's NotFittedError
        return np.asarray(self.classes_[proba.argmax(axis=1)])


class BackendFactory(Protocol):
    def __call__(self, task: str, **params: Any) -> Estimator: ...


def make_estimator(backend: str, task: str, **params: Any) -> Estimator:
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    require(f"the {backend} backend", *NEEDS.get(backend, ()))
    check_params(params, f"backend {backend!r}")  # the values given, before the backend's module loads scikit-learn
    factory: BackendFactory = BACKENDS.get(backend)
    try:
        estimator = factory(task, **params)
    except TypeError as e:
        raise UsageError(f"backend {backend!r}: {e}; see the README for its parameters") from None
    get_params = getattr(estimator, "get_params", None)
    check_params(get_params() if get_params is not None else params, f"backend {backend!r}")
    return estimator


class ClassifierModel:
    """A trained classifier with its description, as saved in (and loaded from) a model folder.

    `predict` takes texts (topic) or `(target, text)` pairs (stance); one input in gives one
    result out. Labels are the strings the model was trained with.

    Example:
        >>> import nlpkit
        >>> model = nlpkit.load_model("topic")
        >>> model.predict("The striker scored twice as the club won the cup final.")
        'sport'
    """

    def __init__(self, predictor: Predictor, meta: ModelMeta, path: str = "") -> None:
        self.predictor = predictor
        self.meta = meta
        self.path = path

    @property
    def task(self) -> str:
        return self.meta.task

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.predictor.classes_]

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def language(self) -> str | None:
        """The language the model was trained on (ISO 639-1), when its training data had one."""
        value = self.meta.data.get("language")
        return value if isinstance(value, str) and value else None

    def cannot_read(self, text: str) -> str | None:
        """Why the model should not label `text` (written in another language than it was trained on), or None.

        Example:
            >>> import nlpkit
            >>> nlpkit.load_model("topic").cannot_read("Der Stadtrat hat am Montag beschlossen, die Schiffe zu verbannen.")
            'written in de; the model reads en'
        """
        if self.language is None:
            return None
        other = is_other_language(text, self.language)
        return OTHER_LANGUAGE.format(found=other, reads=self.language) if other else None

    @property
    def ident(self) -> str:
        """`name@version`, the version being the first 12 hex digits of the weights' SHA-256."""
        return model_ident(self.meta)

    def _inputs(self, X: Any) -> tuple[list[Any], bool]:
        # a (target, text) tuple is one input only for a stance model; for a topic model it is two texts
        pair = self.task == "stance" and isinstance(X, tuple) and len(X) == 2 and all(isinstance(x, str) for x in X)
        single = isinstance(X, str) or pair
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
        parts = [self.predictor.predict_proba(items[i : i + batch_size]) for i in range(0, len(items), batch_size)]
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
        """Label, its probability and every label's probability, for each input; for a stance model also the
        article sentence that bears most on the claim (`evidence`, offsets into the text given)."""
        items, _ = self._inputs(X)
        proba = self.predict_proba(items, batch_size=batch_size)
        labels = self.labels
        found: list[Evidence | None] = [None] * len(items)
        if self.task == "stance":
            found = [evidence(t, article_facts(b)) for t, b in items]
        out = []
        for row, ev in zip(proba, found, strict=True):
            i = int(row.argmax())
            scores = dict(zip(labels, row.tolist(), strict=True))
            out.append(Prediction(label=labels[i], score=float(row[i]), scores=scores, evidence=ev))
        if self.task == "stance":
            out = [replace(p, target=t) for p, (t, _) in zip(out, items, strict=True)]
        return out

    def predict_one(self, text: str, target: str | None = None) -> Prediction:
        if self.task == "stance":
            if not target:
                raise UsageError(f"{self.name} is a stance model: it needs a target (a headline or claim)")
            return self.predict_scores([(target, text)])[0]
        return self.predict_scores([text])[0]

    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write this model as a checked model folder (refused if `path` exists, unless `force`)."""
        return save_model(self, path, force=force)

    def save_files(self, folder: Path) -> list[str]:
        spec, files = self.predictor.save(folder)
        self.meta = self.meta.replace(spec=spec)
        return files

    def __repr__(self) -> str:
        return f"{type(self).__name__}(task={self.task!r}, backend={self.meta.backend!r}, labels={self.labels})"


class TopicModel(ClassifierModel):
    """A topic classifier: text in, label out (`predict("...") -> "sport"`)."""

    # a topic model reads texts only (narrower than the base); a str is one text, though it is also a Sequence
    @overload  # type: ignore[override]
    def predict(self, X: str, *, batch_size: int = ...) -> str: ...  # type: ignore[overload-overlap]

    @overload
    def predict(self, X: Sequence[str], *, batch_size: int = ...) -> list[str]: ...

    def predict(self, X: Any, *, batch_size: int = 256) -> str | list[str]:
        return super().predict(X, batch_size=batch_size)


class StanceModel(ClassifierModel):
    """A stance classifier: `(target, text)` in, label out (`predict((claim, article)) -> "disagree"`)."""

    @overload  # type: ignore[override]  # narrower than the base: a stance model reads pairs only
    def predict(self, X: Pair, *, batch_size: int = ...) -> str: ...

    @overload
    def predict(self, X: Sequence[Pair], *, batch_size: int = ...) -> list[str]: ...

    def predict(self, X: Any, *, batch_size: int = 256) -> str | list[str]:
        return super().predict(X, batch_size=batch_size)


def recorded_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as a model's description keeps them (JSON lists for tuples); how much fitting printed
    (`verbose`) is not part of the model."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items() if k != "verbose"}


def fitted_model(estimator: Any, *, name: str | None = None) -> TopicModel | StanceModel:
    """A fitted nlpkit estimator (`TfidfClassifier`, ...) as the model `nlpkit.save_model` writes.

    Example:
        >>> from nlpkit.classifiers.tfidf import TfidfClassifier
        >>> texts = ["The striker scored a late goal.", "Shares fell as profits slumped."] * 4
        >>> est = TfidfClassifier(cv=2).fit(texts, ["sport", "business"] * 4)
        >>> fitted_model(est)
        TopicModel(task='topic', backend='tfidf', labels=['business', 'sport'])
    """
    backend = str(getattr(estimator, "backend", ""))
    if backend not in BACKENDS or not hasattr(estimator, "predictor"):
        raise UsageError(f"cannot save a {type(estimator).__name__}: give a loaded model or an nlpkit estimator")
    if getattr(estimator, "classes_", None) is None:
        raise UsageError(f"this {type(estimator).__name__} is not fitted yet: call fit first")
    task = getattr(estimator, "task_", None) or estimator.task
    params = recorded_params(estimator.get_params())
    meta = ModelMeta(
        task=task,
        backend=backend,
        name=name or f"{task}-{backend}",
        labels=tuple(str(c) for c in estimator.classes_),
        params=params,
        selection=getattr(estimator, "selection_", None) or {},
    )
    return classifier_model(estimator.predictor(), meta)


def classifier_model(predictor: Predictor, meta: ModelMeta, path: str = "") -> TopicModel | StanceModel:
    """The typed model for a predictor and its description (`TopicModel` or `StanceModel`, by task)."""
    cls = StanceModel if meta.task == "stance" else TopicModel
    return cls(predictor, meta, path)


def check_model(model: Any) -> ClassifierModel:
    if not isinstance(model, ClassifierModel):
        raise ModelError(f"{getattr(model, 'path', model)}: not a classifier model")
    return model


def checked_labels(predictor: Predictor, meta: ModelMeta, folder: Path) -> None:
    """A loaded predictor's labels must be those `nlpkit.json` lists."""
    labels = [str(c) for c in predictor.classes_]
    if labels != list(meta.labels):
        raise ModelError(f"{folder}: the weights give labels {labels}, the description {list(meta.labels)}")
