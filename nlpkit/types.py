"""Frozen records that flow through the pipeline: articles in, predictions and briefs out."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news article as read from any source.

    Attributes:
        id: Stable identifier (the id field when present, else source path + line/member).
        title: Headline, or "" when none is known.
        text: Body text (cleaned or raw, depending on the reader options).
        source: Where it came from (path, path:line, archive!member, "<stdin>").
        meta: Anything else the reader kept (URL, date, target, label, ...).
    """

    id: str
    title: str
    text: str
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """A record that could not be read or scored; batch jobs write it to the errors file."""

    source: str
    id: str
    error: str


@dataclass(frozen=True)
class Skipped:
    """An article a model was not applied to, and why (written in a language the model does not read).
    Not a failure: the article was read; a guess would only have been wrong."""

    article: Article
    reason: str


@dataclass(frozen=True)
class Sentence:
    """A sentence with character offsets into the text it was segmented from."""

    text: str
    start: int
    end: int
    index: int
    paragraph: int = 0


@dataclass(frozen=True)
class Document:
    """A segmented text: the text itself and its sentences in order."""

    text: str
    sentences: tuple[Sentence, ...]
    title: str = ""


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence chosen by a summarizer, with the score that chose it."""

    text: str
    start: int
    end: int
    index: int
    score: float


@dataclass(frozen=True)
class UnsupportedSpan:
    """A span of a generated summary sentence that the article does not support."""

    text: str
    kind: str  # "number", "quote" or "name"
    sentence: int  # index of the summary sentence
    start: int  # character offsets in that sentence
    end: int


@dataclass(frozen=True)
class Summary:
    """The output of a summarizer: its sentences in order.

    Extractive sentences are copied from the article (offsets into it, faithful by
    construction). Generated (abstractive) sentences have offsets -1 unless the model copied
    them verbatim; `unsupported` lists the spans the faithfulness guard could not find in
    the article, and `dropped` counts sentences removed for them in strict mode.
    """

    sentences: tuple[ScoredSentence, ...]
    method: str
    length: str
    abstractive: bool = False
    unsupported: tuple[UnsupportedSpan, ...] = ()
    dropped: int = 0
    title: str = ""
    #: Where the headline sits in the text given to `nlpkit.summarize` (-1 when it was given apart or not found).
    title_start: int = -1
    title_end: int = -1

    @property
    def faithful(self) -> bool:
        """True when every sentence comes from the article or passed the guard."""
        return not self.unsupported

    @property
    def text(self) -> str:
        """The sentences as one paragraph (`joined`)."""
        return joined(s.text for s in self.sentences)


def joined(sentences: Iterable[str]) -> str:
    """Sentences as one paragraph: a space between two, none after one that ends in a full-width character
    (Chinese and Japanese sentences end in `。`, `！`, `？` or a closing `」`, and take no space after them).

    Example:
        >>> joined(["Rates held.", "Markets rose."]), joined(["新线开通。", "乘客很多。"])
        ('Rates held. Markets rose.', '新线开通。乘客很多。')
    """
    out = ""
    for s in sentences:
        out += s if not out or unicodedata.east_asian_width(out[-1]) in ("W", "F") else " " + s
    return out


@dataclass(frozen=True)
class Evidence:
    """The sentence of an article that bears most on a claim, with its character offsets in the article."""

    text: str
    start: int
    end: int
    score: float  # share of the claim's content words the sentence has


@dataclass(frozen=True)
class Prediction:
    """A label with its probability, and every label's probability; for stance, the evidence sentence."""

    label: str
    score: float
    scores: dict[str, float]
    evidence: Evidence | None = None
    target: str | None = None  # stance: the claim checked, and where it came from (given, field, headline)
    target_source: str | None = None


@dataclass(frozen=True)
class Brief:
    """What `nlpkit summarize` shows for one article."""

    id: str
    title: str
    summary: Summary
    source: str = ""
    topic: Prediction | None = None
    meta: dict[str, str | None] = field(default_factory=dict)  # url, author, published, site, language
    topic_skipped: str | None = None  # why no topic was given (the article's language)
