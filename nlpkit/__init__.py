"""nlpkit: brief, classify and score news articles, offline.

The public API is flat and loaded lazily, so `import nlpkit` stays fast:

    >>> import nlpkit
    >>> text = "Oil prices rise\\n\\nOil prices rose by 2% on Monday after the Gulf talks failed. Traders cited fears."
    >>> nlpkit.summarize(text, length=1).text
    'Oil prices rose by 2% on Monday after the Gulf talks failed.'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

_EXPORTS = {
    "Article": "nlpkit.types",
    "Brief": "nlpkit.types",
    "Document": "nlpkit.types",
    "Failure": "nlpkit.types",
    "Prediction": "nlpkit.types",
    "Sentence": "nlpkit.types",
    "Summary": "nlpkit.types",
    "NlpkitError": "nlpkit.errors",
    "LengthSpec": "nlpkit.summarizers.length",
    "summarize": "nlpkit.api",
    "prepare": "nlpkit.text.prepare",
    "SUMMARIZERS": "nlpkit.summarizers",
    "brief_article": "nlpkit.api",
    "brief_articles": "nlpkit.api",
    "clean": "nlpkit.text.clean",
    "segment": "nlpkit.text.segment",
    "read_articles": "nlpkit.io.readers",
    "Fields": "nlpkit.io.readers",
    "rouge": "nlpkit.metrics",
    "evaluate_summarizer": "nlpkit.evaluate",
    "evaluate_classifier": "nlpkit.evaluate",
    "load_model": "nlpkit.catalog",
    "save_model": "nlpkit.persistence",
    "train": "nlpkit.training",
    "train_summarizer": "nlpkit.training",
    "score_archive": "nlpkit.scoring",
    "AbstractiveSummarizer": "nlpkit.summarizers.abstractive",
    "unsupported_spans": "nlpkit.summarizers.faithfulness",
    "UnsupportedSpan": "nlpkit.types",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from nlpkit.api import brief_article, brief_articles, summarize
    from nlpkit.catalog import load_model
    from nlpkit.errors import NlpkitError
    from nlpkit.evaluate import evaluate_classifier, evaluate_summarizer
    from nlpkit.io.readers import Fields, read_articles
    from nlpkit.metrics import rouge
    from nlpkit.persistence import save_model
    from nlpkit.scoring import score_archive
    from nlpkit.summarizers import SUMMARIZERS
    from nlpkit.summarizers.abstractive import AbstractiveSummarizer
    from nlpkit.summarizers.faithfulness import unsupported_spans
    from nlpkit.summarizers.length import LengthSpec
    from nlpkit.text.clean import clean
    from nlpkit.text.prepare import prepare
    from nlpkit.text.segment import segment
    from nlpkit.training import train, train_summarizer
    from nlpkit.types import Article, Brief, Document, Failure, Prediction, Sentence, Summary, UnsupportedSpan


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nlpkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
