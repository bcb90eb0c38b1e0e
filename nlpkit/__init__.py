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
    "classify": "nlpkit.api",
    "classify_articles": "nlpkit.api",
    "evaluate": "nlpkit.evaluation",
    "TopicModel": "nlpkit.classifiers.base",
    "StanceModel": "nlpkit.classifiers.base",
    "SummarizerModel": "nlpkit.catalog",
    "LabelFields": "nlpkit.labelled",
    "TfidfClassifier": "nlpkit.classifiers.tfidf",
    "TfidfStanceClassifier": "nlpkit.classifiers.tfidf_stance",
    "EmbeddingClassifier": "nlpkit.classifiers.embedding",
    "EmbeddingStanceClassifier": "nlpkit.classifiers.embedding",
    "TransformerClassifier": "nlpkit.classifiers.transformer",
    "prepare": "nlpkit.text.prepare",
    "SUMMARIZERS": "nlpkit.summarizers",
    "brief_article": "nlpkit.api",
    "brief_articles": "nlpkit.api",
    "clean": "nlpkit.text.clean",
    "segment": "nlpkit.text.segment",
    "read_articles": "nlpkit.io.readers",
    "Fields": "nlpkit.io.readers",
    "rouge": "nlpkit.metrics",
    "evaluate_summarizer": "nlpkit.evaluation",
    "evaluate_classifier": "nlpkit.evaluation",
    "load_model": "nlpkit.catalog",
    "save_model": "nlpkit.catalog",
    "train": "nlpkit.training",
    "train_summarizer": "nlpkit.training",
    "score_archive": "nlpkit.scoring",
    "AbstractiveSummarizer": "nlpkit.summarizers.abstractive",
    "unsupported_spans": "nlpkit.summarizers.faithfulness",
    "UnsupportedSpan": "nlpkit.types",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from nlpkit.api import brief_article, brief_articles, classify, classify_articles, summarize
    from nlpkit.catalog import SummarizerModel, load_model, save_model
    from nlpkit.classifiers.base import StanceModel, TopicModel
    from nlpkit.classifiers.embedding import EmbeddingClassifier, EmbeddingStanceClassifier
    from nlpkit.classifiers.tfidf import TfidfClassifier
    from nlpkit.classifiers.tfidf_stance import TfidfStanceClassifier
    from nlpkit.classifiers.transformer import TransformerClassifier
    from nlpkit.errors import NlpkitError
    from nlpkit.evaluation import evaluate, evaluate_classifier, evaluate_summarizer
    from nlpkit.io.readers import Fields, read_articles
    from nlpkit.labelled import LabelFields
    from nlpkit.metrics import rouge
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
