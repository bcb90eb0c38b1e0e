"""Summarizers: extractive methods registered by name, plus trained and abstractive ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlpkit.registry import Registry

#: Summarization methods by name (kept here, free of numpy, so the CLI lists them at start-up).
SummarizerFactory = Callable[..., Any]
SUMMARIZERS: Registry[SummarizerFactory] = Registry("summarization method")
SUMMARIZERS.add_lazy("auto", "nlpkit.summarizers.default:DefaultSummarizer")
for _name, _cls in {
    "lead": "LeadSummarizer",
    "textrank": "TextRankSummarizer",
    "lexrank": "LexRankSummarizer",
    "centroid": "CentroidSummarizer",
}.items():
    SUMMARIZERS.add_lazy(_name, f"nlpkit.summarizers.extractive:{_cls}")
SUMMARIZERS.add_lazy("abstractive", "nlpkit.summarizers.abstractive:AbstractiveSummarizer")
