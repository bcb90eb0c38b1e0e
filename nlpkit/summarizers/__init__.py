"""Summarizers: extractive methods registered by name, plus trained and abstractive ones."""

from __future__ import annotations

from nlpkit.persistence import MODEL_KINDS

# How a saved summarizer of each backend is loaded (see nlpkit.persistence).
MODEL_KINDS.add_lazy("extractive", "nlpkit.summarizers.supervised:load_supervised")
MODEL_KINDS.add_lazy("seq2seq", "nlpkit.summarizers.abstractive:load_seq2seq")
