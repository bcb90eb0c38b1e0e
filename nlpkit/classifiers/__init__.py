"""Classifiers: topic (text -> label) and stance ((target, text) -> label), by backend."""

from __future__ import annotations

from typing import Any

from nlpkit.registry import Registry

TASKS = ("topic", "stance")

#: Classifier backends by name; each is a factory `make(task, **params) -> estimator`.
#: Kept here, free of numpy and scikit-learn, so the CLI can list them at start-up.
BACKENDS: Registry[Any] = Registry("classifier backend")
BACKENDS.add_lazy("tfidf", "nlpkit.classifiers.tfidf:make_tfidf")
BACKENDS.add_lazy("embedding", "nlpkit.classifiers.embedding:make_embedding")
BACKENDS.add_lazy("transformer", "nlpkit.classifiers.transformer:make_transformer")

#: Libraries beyond the plain install that each backend needs (their extra is named when one is missing).
NEEDS = {"embedding": ("torch", "transformers"), "transformer": ("torch", "transformers")}

#: The public estimators (scikit-learn's contract), imported on first use so this package stays light.
ESTIMATORS = {
    "TfidfClassifier": "nlpkit.classifiers.tfidf",
    "TfidfStanceClassifier": "nlpkit.classifiers.tfidf_stance",
    "EmbeddingClassifier": "nlpkit.classifiers.embedding",
    "EmbeddingStanceClassifier": "nlpkit.classifiers.embedding",
    "TransformerClassifier": "nlpkit.classifiers.transformer",
}


def __getattr__(name: str) -> Any:
    module = ESTIMATORS.get(name)
    if module is None:
        raise AttributeError(f"module 'nlpkit.classifiers' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
