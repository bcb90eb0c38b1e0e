"""Words for the statistical parts: one tokenizer, one stop-word list, Snowball's stemmer.

Summarizers (sentence similarity), stance features (overlap, cue words) and the trained
sentence scorer all see words the same way: lowercased runs of letters and digits (an inner
apostrophe kept), stop words and bare numbers dropped, Snowball-stemmed (bench/tokens.py has the
figures against the suffix stripper it replaced and against scikit-learn's stop words).
"""

from __future__ import annotations

import functools
import re

import Stemmer

#: Chinese characters and Japanese kana: written without spaces, so each one counts as a word.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Combining marks that belong inside words and that `\w` leaves out: Indic vowel signs and viramas,
#: Arabic and Hebrew points, Thai, Tibetan, Myanmar and Khmer signs, Latin accents left decomposed.
MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u0e00-\u0e7f\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
)
#: Patterns for text that is not plain ASCII. Their large classes take milliseconds each to compile, which
#: English text, nearly all a default model sees, never needs: `_compiled` compiles one when first asked.
_PATTERNS = {
    "word": rf"[{CJK}]|[^\W_{CJK}]+(?:'[^\W_{CJK}]+)?",
    # a text with combining marks: a word runs on through them ("भारत", not "भ" and "रत")
    "marked word": rf"[{CJK}]|(?:[^\W_{CJK}]|[{MARKS}])+(?:'(?:[^\W_{CJK}]|[{MARKS}])+)?",
    "mark": f"[{MARKS}]",
    "cjk": f"[{CJK}]",
}
#: The same words in a text that is plain ASCII, where a narrower class scans several times faster.
ASCII_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)?")
#: The same words in text whose characters are all below U+0300 (Latin with accents: "café", "Zürich"),
#: which can hold neither CJK nor combining marks: a pattern that compiles in about 0.1 ms (the others: 1-5 ms).
LATIN_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")

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
# Frequent non-ASCII characters that are never part of a word: as blanks they leave the words as they
# were, and often leave a text plain ASCII, which the fast pattern can scan.
_NOT_WORDS = re.compile("[£€»«•·©®°¦–—‑…“”„‹›\xa0\u2009\u200a\u200b\u200e\u202f]")


def lowered(text: str) -> str:
    """Lowercase with typographic apostrophes made plain (so "don’t" is "don't"); the length is kept."""
    low = text.lower().replace("’", "'").replace("‘", "'")
    return low if low.isascii() else _NOT_WORDS.sub(" ", low)


@functools.cache
def _compiled(name: str) -> re.Pattern[str]:
    return re.compile(_PATTERNS[name])


def word_pattern(low: str) -> re.Pattern[str]:
    """The word pattern for a `lowered` text: the fast ASCII one when the text allows it, and one that keeps
    combining marks inside words only when the text has them."""
    if low.isascii():
        return ASCII_WORD
    if max(low) < "\u0300":
        return LATIN_WORD
    return _compiled("marked word") if _compiled("mark").search(low) else _compiled("word")


def tokens(text: str) -> list[str]:
    """Lowercased words, in order (a Chinese character or a kana is a word).

    Example:
        >>> tokens("Prices ROSE by 2% in Britain’s markets")
        ['prices', 'rose', 'by', '2', 'in', "britain's", 'markets']
        >>> tokens("東京で開業"), tokens("भारत में चुनाव")
        (['東', '京', 'で', '開', '業'], ['भारत', 'में', 'चुनाव'])
    """
    low = lowered(text)
    return word_pattern(low).findall(low)


def word_count(text: str) -> int:
    """Words as a length budget counts them: whitespace-separated, each Chinese character or kana one.

    Example:
        >>> word_count("Shares rose 2%."), word_count("東京で開業した。 Shares rose.")
        (3, 9)
    """
    n = len(text.split())
    if text.isascii() or max(text) < "\u3040":
        return n
    cjk = _compiled("cjk")
    found = len(cjk.findall(text))
    if found:  # a piece of CJK counts by its characters, other pieces as one word each
        n = found + sum(1 for piece in text.split() if not cjk.search(piece))
    return n


_SNOWBALL = Stemmer.Stemmer("english", 200_000)  # Snowball's English (Porter 2) stemmer, with its own cache


def stem(word: str) -> str:
    """Snowball's English stemmer (PyStemmer, the Snowball project's C implementation).

    Example:
        >>> [stem(w) for w in ("prices", "rising", "nationalization")]
        ['price', 'rise', 'nation']
    """
    return str(_SNOWBALL.stemWord(word))


def content_stem(word: str) -> str | None:
    """The stem of a lowercased word, or None for a stop word or a bare number."""
    if word in STOP_WORDS or word.isdigit():
        return None
    return stem(word)


#: Words seen so far and their content stems ("" when not a content word); emptied when it grows too big.
_CONTENT: dict[str, str] = {}
_CONTENT_MAX = 200_000


def content_of(words: list[str]) -> list[str]:
    """The stems of the content words among lowercased `words` (one dict lookup per word once seen)."""
    stems = list(map(_CONTENT.get, words))
    if None in stems:
        if len(_CONTENT) >= _CONTENT_MAX:
            _CONTENT.clear()
        for i, (w, s) in enumerate(zip(words, stems, strict=True)):
            if s is None:
                stems[i] = _CONTENT[w] = content_stem(w) or ""
    return [s for s in stems if s]


#: Whitespace-separated pieces of lowered text seen so far and the content stems in them.
_PIECES: dict[str, tuple[str, ...]] = {}


def content_of_lowered(low: str) -> list[str]:
    """`content_words` of a `lowered` text, a dict lookup per whitespace-separated piece once it is known.

    Words never span whitespace, so the stems of a piece ("said:", "(cnn)", "u.s.") are the
    same wherever it occurs; most pieces of news text recur from article to article.
    """
    pieces = _PIECES
    out: list[str] = []
    for piece in low.split():
        stems = pieces.get(piece)
        if stems is None:
            if len(pieces) >= _CONTENT_MAX:
                pieces.clear()
            stems = pieces[piece] = tuple(content_of(word_pattern(piece).findall(piece)))
        if stems:
            out.extend(stems)
    return out


def content_words(text: str) -> list[str]:
    """Lowercased, stemmed words without stop words or bare numbers.

    Example:
        >>> content_words("The prices were rising in 2024")
        ['price', 'rise']
    """
    return content_of_lowered(lowered(text))
