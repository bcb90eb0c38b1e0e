"""Words for the statistical parts: one tokenizer, one stop-word list, one light stemmer.

Summarizers (sentence similarity), stance features (overlap, cue words) and the trained
sentence scorer all see words the same way: lowercased runs of letters and digits (an inner
apostrophe kept), stop words and bare numbers dropped, suffixes lightly stripped.
"""

from __future__ import annotations

import functools
import re

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say mr mrs ms one two new
    also would could may might must s t don didn doesn isn wasn weren won wouldn couldn shouldn it's
    i'm he's she's that's there's""".split()
)
_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)


def tokens(text: str) -> list[str]:
    """Lowercased words, in order.

    Example:
        >>> tokens("Prices ROSE by 2% in Britain's markets")
        ['prices', 'rose', 'by', '2', 'in', "britain's", 'markets']
    """
    return WORD.findall(text.lower())


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match "prices"/"price" and "rising"/"rise"."""
    if len(word) <= 4:
        return word
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


@functools.lru_cache(maxsize=200_000)
def content_stem(word: str) -> str | None:
    """The stem of a lowercased word, or None for a stop word or a bare number (cached)."""
    if word in STOP_WORDS or word.isdigit():
        return None
    return stem(word)


def content_of(words: list[str]) -> list[str]:
    """The stems of the content words among lowercased `words`."""
    out = []
    for w in words:
        s = content_stem(w)
        if s is not None:
            out.append(s)
    return out


def content_words(text: str) -> list[str]:
    """Lowercased, stemmed words without stop words or bare numbers.

    Example:
        >>> content_words("The prices were rising in 2024")
        ['pric', 'ris']
    """
    return content_of(WORD.findall(text.lower()))
