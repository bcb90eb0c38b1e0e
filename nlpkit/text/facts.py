"""The checkable facts of a sentence: numbers, negation, opposite words, names and who did what.

A claim contradicts an article in a few recurring ways, each a sub-editor's check: it negates
what the article says ("will not" for "will"), uses the opposite verb (rejects / approves,
falls / rises), gives a number or date the article does not state, or swaps who did what. These
functions find those pieces in plain text; `nlpkit.classifiers.claims` compares a claim with the
article sentence that matches it best, and the faithfulness guard of generated briefs checks
numbers the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlpkit.text.tokens import lowered, word_pattern

#: A number, with what follows it glued on left to `numbers` (`1.2bn`) or dropped (a unit: `8km`, `5ft`, `1990s`).
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[,.]\d+)*(?:\s?%|\s?per\s?cent)?(?=[^\W\d_]{1,3}\b|[^\w]|$)")
#: Number words and what they stand for ("twelve" -> "12"), shared with the abstractive faithfulness guard.
NUMBER_WORDS = {
    word: str(i)
    for i, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS.update(thirty="30", forty="40", fifty="50", sixty="60", seventy="70", eighty="80", ninety="90")
NUMBER_WORDS.update(hundred="100", thousand="1000", dozen="12", half="0.5")
_SCALE = {"million": "m", "millions": "m", "billion": "bn", "billions": "bn", "bn": "bn", "m": "m", "trillion": "tn"}
_WORDS = re.compile(r"[\w’'\-]+")

#: Words that negate what follows (after `lowered`: typographic apostrophes made plain).
NEGATIONS = frozenset(
    """not no never nothing none nobody neither nor cannot without n't isn't wasn't aren't weren't don't doesn't
    didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't""".split()
)
#: Pairs of words (stems) that say opposite things about the same event.
_OPPOSITES = [
    ("approv", "reject"),
    ("accept", "reject"),
    ("pass", "reject"),
    ("adopt", "reject"),
    ("endors", "reject"),
    ("rais", "cut"),
    ("increas", "decreas"),
    ("increas", "cut"),
    ("ris", "fall"),
    ("rose", "fell"),
    ("gain", "los"),
    ("gain", "loss"),
    ("win", "los"),
    ("won", "lost"),
    ("beat", "lost"),
    ("up", "down"),
    ("higher", "lower"),
    ("more", "fewer"),
    ("more", "less"),
    ("ban", "allow"),
    ("ban", "lift"),
    ("ban", "permit"),
    ("open", "clos"),
    ("start", "end"),
    ("begin", "end"),
    ("confirm", "deny"),
    ("admit", "deny"),
    ("support", "oppos"),
    ("back", "oppos"),
    ("guilty", "innocent"),
    ("convict", "acquit"),
    ("liv", "die"),
    ("liv", "di"),
    ("alive", "dead"),
    ("surviv", "die"),
    ("surviv", "di"),
    ("hir", "fir"),
    ("join", "leav"),
    ("join", "quit"),
    ("enter", "leav"),
    ("arriv", "depart"),
    ("buy", "sell"),
    ("bought", "sold"),
    ("strong", "weak"),
    ("strengthen", "weaken"),
    ("expand", "shrink"),
    ("grow", "shrink"),
    ("grew", "shrank"),
    ("boost", "cut"),
    ("add", "remov"),
    ("pass", "fail"),
    ("succeed", "fail"),
    ("success", "failur"),
    ("tru", "fals"),
    ("legal", "illegal"),
    ("agre", "refus"),
    ("agre", "disagre"),
    ("resign", "stay"),
    ("releas", "arrest"),
    ("freed", "arrest"),
    ("increas", "drop"),
    ("ris", "drop"),
    ("surg", "plung"),
    ("soar", "slump"),
    ("hik", "cut"),
    ("before", "after"),
    ("first", "last"),
    ("maximum", "minimum"),
    ("majority", "minority"),
    ("peac", "war"),
]
OPPOSITE: dict[str, frozenset[str]] = {}
for _a, _b in _OPPOSITES:
    OPPOSITE[_a] = OPPOSITE.get(_a, frozenset()) | {_b}
    OPPOSITE[_b] = OPPOSITE.get(_b, frozenset()) | {_a}
#: Capitalised words that are not names.
_NOT_NAMES = frozenset(
    "a an the this that these those it its he she they we i you his her their our in on at of for by with from to "
    "as but and or if when while after before since during according mr mrs ms dr sir lord prof monday tuesday wednesday "
    "thursday friday saturday sunday january february march april may june july august september october "
    "november december".split()
)
_NAME = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:of|de|van|von|al|bin|la|le|du|da)?\s*[A-Z][\w’'\-]*)*")
_DATES = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b",
    re.IGNORECASE,
)


def _norm_number(raw: str) -> str:
    core = re.sub(r"\s?(%|per\s?cent)$", "", raw)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", core):
        core = core.replace(",", "")
    return core.rstrip(".").removesuffix(".0")


def number_order(text: str) -> list[str]:
    """The numbers written in digits, normalised as `numbers` does, in the order the text gives them.

    Example:
        >>> number_order("The ban passed by 41 votes to 19, two years after 2,000 people marched.")
        ['41', '19', '2000']
    """
    return [_norm_number(m.group()) + _scale_after(text, m.end()) for m in _NUMBER.finditer(text)]


def _scale_after(text: str, end: int) -> str:
    """`m` or `bn` where "million" or "bn" follows a number ending at `end`, else empty."""
    after = text[end : end + 12].lower().lstrip()
    return next((v for k, v in _SCALE.items() if after.startswith(k) and not after[len(k) : len(k) + 1].isalpha()), "")


def numbers(text: str) -> set[str]:
    """The numbers a text states, normalised (`2,000` is `2000`; `two` is `2`; `£1.2bn` is `1.2bn`; a unit
    glued on is dropped: `8km` is `8`, as `8 km` is).

    Example:
        >>> sorted(numbers("Two men paid £1.2bn, up 3% from 2,000 in 2019."))
        ['1.2bn', '2', '2000', '2019', '3']
        >>> sorted(numbers("A terminal 8km away, a 40mph limit, built in the 1990s, not the G7's A380."))
        ['1990', '40', '8']
    """
    return set(number_order(text)) | number_words(text)


def number_words(text: str) -> set[str]:
    """The numbers a text spells out (`two` is `2`), the part of `numbers` that `number_order` leaves out."""
    return {NUMBER_WORDS[w] for w in _WORDS.findall(text.lower()) if w in NUMBER_WORDS}


def words(text: str) -> list[str]:
    """Lowercased words, apostrophes kept (`don't`), in order."""
    low = lowered(text)
    return word_pattern(low).findall(low)


def negated(tokens: list[str]) -> bool:
    """Whether the words say "not" (including `n't` forms and `no`, `never`, `without`)."""
    return any(w in NEGATIONS or w.endswith("n't") for w in tokens)


_ROOT_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def _root(word: str) -> str:
    """A word's root for matching opposites: "approve", "approves" and "approved" meet at "approv", "bans" and
    "banned" at "ban", "denied" and "denies" at "deny"."""
    w = word.lower()
    for suffix, repl in _ROOT_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")):
            w = w[: -len(suffix)] + repl
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsf":
        w = w[:-1]
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


def opposites(claim: list[str], other: list[str]) -> int:
    """How many words of `claim` have their opposite in `other` while `other` lacks the word itself.

    Example:
        >>> opposites(words("Council rejects cruise ship ban"), words("The council voted to approve the ban."))
        1
    """
    mine = {_root(w) for w in claim}
    theirs = {_root(w) for w in other}
    return sum(1 for w in mine if w in OPPOSITE and w not in theirs and OPPOSITE[w] & theirs)


_OPENERS = frozenset(
    "yesterday today tomorrow tonight now then later earlier meanwhile however but and also after before when "
    "while last this that these those there here some many most police officials".split()
)


def names(text: str, *, opener: bool = False) -> list[str]:
    """Capitalised names in order, lowercased. The text's first word is taken as a name only with `opener`
    (a claim's "Arsenal beat Chelsea"), never when it is a common sentence opener ("Yesterday").

    Example:
        >>> names("Yesterday Chelsea beat Arsenal 2-1 in London.")
        ['chelsea', 'arsenal', 'london']
    """
    out = []
    start = len(text) - len(text.lstrip())
    for m in _NAME.finditer(text):
        parts = [t.lower().replace("’", "'").removesuffix("'s") for t in _WORDS.findall(m.group())]
        first = m.start() == start
        if first and parts and parts[0] in _OPENERS:
            parts, first = parts[1:], False  # "Yesterday Chelsea ...": Chelsea is a name
        parts = [p for p in parts if p not in _NOT_NAMES]
        if not parts or (first and len(parts) == 1 and not opener):
            continue
        out.append(" ".join(parts))
    return out


def dates(text: str) -> set[str]:
    """Weekday and month names a text gives, lowercased."""
    return {m.group().lower() for m in _DATES.finditer(text)}


def reordered(claim: str, sentence: str) -> bool:
    """Whether two numbers that both texts give come in the opposite order ("19 votes to 41" against
    "41 votes to 19", a score of 1-2 against 2-1).

    Example:
        >>> reordered("The ban passed by 19 votes to 41.", "The ban, passed by 41 votes to 19, starts in May.")
        True
        >>> reordered("The ban passed by 41 votes to 19.", "It passed by 41 votes to 19 in 2024.")
        False
    """
    return in_other_order(number_order(claim), number_order(sentence))


def in_other_order(mine: Sequence[str], theirs: Sequence[str]) -> bool:
    """Whether the first two items of `mine` that `theirs` also has come in the opposite order there (what
    `reordered` and `swapped` ask of numbers and names)."""
    shared = [n for n in dict.fromkeys(mine) if n in theirs]
    return len(shared) >= 2 and theirs.index(shared[0]) > theirs.index(shared[1])


def swapped(claim: str, sentence: str) -> bool:
    """Whether two names that both texts give come in the opposite order ("X beat Y" against "Y beat X").

    Example:
        >>> swapped("Arsenal beat Chelsea in the final.", "Chelsea beat Arsenal 2-1 in the final.")
        True
    """
    return in_other_order(names(claim, opener=True), names(sentence, opener=True))
