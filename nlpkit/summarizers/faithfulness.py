"""The faithfulness guard: spans of a generated summary that the article does not support.

Three kinds are checked, each the way a sub-editor would check a brief against its source:
numbers (`2,000` matches `2000`; `two` matches `2`), quoted phrases (must appear in the
article, ignoring case, spacing and punctuation at the ends), and capitalised names (every
word of the name must occur in the article). A flagged span is a reason to look, not proof
of an error: paraphrase can trip it, and a fact can be wrong without tripping it.
"""

from __future__ import annotations

import re

from nlpkit.text.facts import NUMBER_WORDS
from nlpkit.types import UnsupportedSpan

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[,.]\d+)*(?:\s?%|\s?per\s?cent)?(?!\w)")
_QUOTE = re.compile(r"[\"“”]([^\"“”]{2,300})[\"“”]")
_NAME = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:of|de|van|von|al|bin|la|le|du|da|the)?\s*[A-Z][\w’'\-]*)*")
_WORD = re.compile(r"[\w’'\-]+")
#: Capitalised words that are not names: sentence openers, titles, days and months are still
#: checked when they are part of a longer name.
_NOT_NAMES = frozenset(
    "a an the this that these those it its he she they we i you his her their our in on at of for by with "
    "from to as but and or if when while after before since during mr mrs ms dr sir lord prof".split()
)


def _numbers(text: str) -> set[str]:
    found = {_norm_number(m.group()) for m in _NUMBER.finditer(text)}
    found |= {NUMBER_WORDS[w] for w in _WORD.findall(text.lower()) if w in NUMBER_WORDS}
    return found


def _norm_number(raw: str) -> str:
    core = re.sub(r"\s?(%|per\s?cent)$", "", raw)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", core):
        core = core.replace(",", "")
    return core.rstrip(".").removesuffix(".0")


def _squash(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def unsupported_spans(sentences: list[str], article: str) -> list[UnsupportedSpan]:
    """Numbers, quotes and names in `sentences` that `article` does not contain."""
    numbers = _numbers(article)
    squashed = _squash(article)
    words = set(squashed.split())
    out: list[UnsupportedSpan] = []
    for i, sent in enumerate(sentences):
        for m in _NUMBER.finditer(sent):
            if _norm_number(m.group()) not in numbers:
                out.append(UnsupportedSpan(m.group(), "number", i, m.start(), m.end()))
        for m in _QUOTE.finditer(sent):
            if _squash(m.group(1)) not in squashed:
                out.append(UnsupportedSpan(m.group(), "quote", i, m.start(), m.end()))
        for m in _NAME.finditer(sent):
            name = m.group()
            tokens = [t.lower().replace("’", "'").removesuffix("'s") for t in _WORD.findall(name)]
            tokens = [t for t in tokens if t not in _NOT_NAMES]
            opener = m.start() == len(sent) - len(sent.lstrip()) and len(tokens) <= 1
            if tokens and not opener and any(t not in words for t in tokens):
                out.append(UnsupportedSpan(name, "name", i, m.start(), m.end()))
    return out
