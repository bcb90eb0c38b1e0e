"""Classifiers: topic (text -> label) and stance ((target, text) -> label), by backend."""

from __future__ import annotations

from typing import Any

from nlpkit.persistence import MODEL_KINDS
from nlpkit.registry import Registry

TASKS = ("topic", "stance")

#: Classifier backends by name; each is a factory `make(task, **params) -> estimator`.
#: Kept here, free of numpy and scikit-learn, so the CLI can list them at start-up.
BACKENDS: Registry[Any] = Registry("classifier backend")
BACKENDS.add_lazy("tfidf", "nlpkit.classify.tfidf:make_tfidf")
BACKENDS.add_lazy("embedding", "nlpkit.classify.embedding:make_embedding")
BACKENDS.add_lazy("transformer", "nlpkit.classify.transformer:make_transformer")

#: Libraries beyond the plain install that each backend needs (their extra is named when one is missing).
NEEDS = {"embedding": ("torch", "transformers"), "transformer": ("torch", "transformers")}

# How a saved classifier of each backend is loaded (see nlpkit.persistence).
MODEL_KINDS.add_lazy("tfidf", "nlpkit.classify.lean:load_lean")
MODEL_KINDS.add_lazy("embedding", "nlpkit.classify.embedding:load_embedding")
MODEL_KINDS.add_lazy("transformer", "nlpkit.classify.transformer:load_transformer")
