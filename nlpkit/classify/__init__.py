"""Classifiers: topic (text -> label) and stance ((target, text) -> label), by backend."""

from __future__ import annotations

from typing import Any

from nlpkit.registry import Registry

TASKS = ("topic", "stance")

#: Classifier backends by name; each is a factory `make(task, **params) -> estimator`.
#: Kept here, free of numpy and scikit-learn, so the CLI can list them at start-up.
BACKENDS: Registry[Any] = Registry("classifier backend")
BACKENDS.add_lazy("tfidf", "nlpkit.classify.tfidf:make_tfidf")
BACKENDS.add_lazy("embedding", "nlpkit.classify.embedding:make_embedding")
BACKENDS.add_lazy("transformer", "nlpkit.classify.transformer:make_transformer")
