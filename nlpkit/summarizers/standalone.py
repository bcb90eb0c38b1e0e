"""Sentences that stand on their own in a brief.

A brief is read without the article around it, so some sentences do not belong in one:
a quotation cut off before it closes, a photo caption or credit (or another line behind a label
and a colon: a speaker's line in a transcript, a team list), a "Read more" line, a signpost to what
follows ("Here are the main points."), a list number alone ("2."), a publisher's
notice ("Editor's note: ...", "The opinions expressed in this commentary are solely those of the
writer."), the headline again, a line with no full stop (a subheading, a linked story's headline). Others
cannot open a brief: a sentence that starts with a connective ("But", "However") or with a
pronoun whose person or thing is named nowhere before it.

`join_quotes` first extends a sentence that opens a quotation to the sentence that closes it
(with its attribution), so a quotation is whole or not there; `Fitness` then says of each
sentence whether it may be chosen, and whether it may come first.

Example:
    >>> from nlpkit.text.prepare import prepare
    >>> doc = join_quotes(prepare('"Passengers spend money in shops. They visit museums," she said. Fares rose.'))
    >>> [s.text for s in doc.sentences]
    ['"Passengers spend money in shops. They visit museums," she said.', 'Fares rose.']
"""

from __future__ import annotations

import re
from collections.abc import Container

from nlpkit.text.segment import CJK_CLOSERS, CJK_STOPS, SPACED_STOPS
from nlpkit.types import Document, Sentence

#: How many sentences a quotation may run over before it is left unjoined (and so kept out).
MAX_QUOTE_SENTENCES = 4

_STRAIGHT = '"'
_OPEN, _CLOSE = "\u201c", "\u201d"
#: German and Polish open a quotation with „ (German closes it with “, the English opener); French,
#: Spanish and Russian quote «so», German also »so«.
_LOW_OPEN = "\u201e"
_GUILLEMETS = "\u00ab\u00bb"
_QUOTE = re.compile(f"[{_STRAIGHT}{_OPEN}{_LOW_OPEN}{_GUILLEMETS}]")

#: Words that tie a sentence to the one before it: it cannot open a brief.
CONNECTIVES = frozenset(
    "but however and yet so also still instead nevertheless nonetheless moreover furthermore besides or nor "
    "then thus therefore hence meanwhile otherwise likewise similarly consequently accordingly indeed".split()
)
#: Pronouns (and demonstratives) whose antecedent must be in an earlier bullet.
PRONOUNS = frozenset("he she they it his her their its him them this these those that such".split())
#: A person's pronoun needs a name (a capitalised word not first in its sentence) in an earlier bullet.
PERSONAL = frozenset("he she his her him".split())

_LINK_LINE = re.compile(
    r"^\W*(read more|click here|scroll down|watch the video|watch video|see more|see also|related:|"
    r"follow us|follow @|sign up|subscribe|share this|advertisement|for more|more:|"
    r"sorry,? we are not (?:currently )?accepting comments|comments (?:are|have been) closed)",
    re.IGNORECASE,
)
#: A publisher's notice, not the story: an editor's note, a disclaimer, a syndication line, a footer prompt.
_NOTICE = re.compile(
    r"^\W*(?:editor'?s'? note\b|(?:the )?(?:opinions?|views?) expressed (?:in this \w+ |here |above )?(?:are|is) "
    r"(?:solely |entirely |only )?(?:those|that|the author|the writer)|the content is produced solely by|"
    r"cnn is showcasing the work of|e-?mail to a friend\b|read this:|more from [\w' -]{1,40}\W*$|"
    # credits and rights: "Reporting by ...; Editing by ...", "All rights reserved.", "Copyright 2007 Reuters."
    r"(?:additional )?(?:reporting|writing|editing) by\b|all rights reserved\b|(?:copyright\b|©)\W*(?:\d{4}|©))",
    re.IGNORECASE,
)
#: A sentence that points at what follows ("Here are the main points.", "Here's what we know so far."), or a
#: live page's greeting: it tells a reader of the brief nothing.
_SIGNPOST = re.compile(
    r"^\W*(?:here(?:'s|’s| is| are) (?:what|how|why|who|where|when|everything|some|a few|(?:the )?\d+|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten)\b|a (?:(?:closer|quick) )?(?:look|list|guide|rundown|recap|"
    r"roundup|breakdown|selection|sample|timeline)\b|the (?:main|key|latest|full|best|top|list|rest|details|"
    r"highlights)\b)|here(?:'s|’s| is| are)\b.*:$|these are the (?:main|key|latest)\b|"
    r"welcome to (?:our|the) (?:live|rolling|continuing)\b)",
    re.IGNORECASE,
)
#: A letter of any script: a sentence without one ("2.", ".", "5:17).") is a list number or a stray stop.
_LETTER = re.compile(r"[^\W\d_]")
#: A contributor's credit: "CNN's Dan Rivers contributed to this report." (`_credited`).
_CONTRIBUTED = re.compile(r"\bcontributed (?:reporting\b|(?:to )?this (?:report|story|article)\b)", re.IGNORECASE)
_AGENCIES = r"(getty images|afp|ap photo|ap|reuters|pa wire|pa|epa|shutterstock|alamy|rex features|bbc)"
_CREDIT = re.compile(
    r"\b(photo|picture|image|credit|caption)s?\s*(credit)?\s*:|"  # "Photo: ...", "Picture credit: ..."
    r"[/|(]\s*" + _AGENCIES + r"[^\w]*$|"  # "... / Reuters", "(Getty Images)"
    r"^\W*" + _AGENCIES + r"\W*$|"  # the agency alone
    r"^\s*\(?(photo|picture|image)s?\b",
    re.IGNORECASE,
)
#: "Sweet life: The Duchess of Cornwall." -- a short label, a colon, and a short caption after it.
_CAPTION = re.compile(r"^[\"'\u2018\u201c]?[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,3}:\s+\S")
#: "Child care: A US-based attorney for Heather Mack, 19, has filed ..." -- a label of one to four words and a
#: sentence after it, of any length: the Daily Mail's long captions, a question's or a speaker's line in a
#: transcript, a team list.
_LABEL = re.compile(r"^([A-Z][\w'\u2019-]*(?:\s+[\w'\u2019&-]+){0,3}):\s+[\"'\u2018\u201c]?[A-Z]")
#: First words of a label that make it prose ("The answer: ...", "There is one exception: ...") or a person
#: speaking ("Mr Letwin told MPs: ..."), not a caption's label.
_PROSE_OPENERS = frozenset(
    "the a an this that these those there here it he she his her they their we our you your i my "
    "but and or so yet if when as one all some what why how who which with mr mrs ms dr prof sir lord".split()
)
#: A verb of saying in the label: the words after the colon are a quotation's ("She added: 'We ...'").
_SPEECH = re.compile(
    r"(?:say|says|said|saying|add|adds|added|adding|continue[sd]?|told|tells|tweet(?:s|ed)?|wr[io]te|writes|writing|"
    r"explain(?:s|ed|ing)?|state[sd]|insist(?:s|ed)?|repl(?:y|ies|ied)|ask(?:s|ed)?|announced|concluded|commented|"
    r"post(?:s|ed)|declared|reveal(?:s|ed)|admit(?:s|ted)|warn(?:s|ed)|claim(?:s|ed)|joked|recall(?:s|ed)|"
    r"note[sd]?|reads?|quipped|urged|pleaded|exclaimed|respond(?:s|ed)|reported|reports|agree[sd]|confirmed|"
    r"argue[sd]|describe[sd]|reflected|shouted)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
#: How a sentence ends: a stop, or a closing quote or bracket (after one, or after a quoted sentence).
#: (German closes a quotation with “ or «: „so“, »so«.)
_STOPS = (
    *(".", "!", "?", "\u2026", '"', "'", "\u201d", "\u2019", "\u201c", "\u00bb", "\u00ab", ")", "]"),
    *SPACED_STOPS,
    *CJK_STOPS,
    *CJK_CLOSERS,
)


def _ends_as_sentence(text: str) -> bool:
    """With a stop or a closing quote or bracket. (The " ." that the CNN/DailyMail dataset put after a line
    with no stop is gone by now: cleaning's `line_stops` takes it off.)"""
    return text.rstrip().endswith(_STOPS)


#: Single quotes double as apostrophes, so only a quotation that opens the sentence is followed: a quote
#: mark that ends a word or follows a stop, comma or closing quote closes it (",' she said", "'Sweet' was").
_SINGLE_OPENERS = "'\u2018"
_SINGLE_CLOSE = re.compile(r"['\u2019](?=[\s,.;:!?)]|$)")  # after a non-blank (checked apart: faster scan)


def _single_open(text: str) -> int:
    """1 when `text` opens with a single-quoted quotation that it does not close."""
    if text[:1] not in _SINGLE_OPENERS or not text[1:2].isalpha():
        return 0
    return int(not any(not text[m.start() - 1].isspace() for m in _SINGLE_CLOSE.finditer(text, 2)))


def _quote_balance(text: str) -> int:
    """Open quotations at the end of `text`: curly quotes counted as pairs, straight ones by parity, and a
    single-quoted quotation that opens the text and is not closed."""
    single = _single_open(text) if text[:1] in _SINGLE_OPENERS else 0  # (most sentences: no call)
    if _STRAIGHT not in text and _OPEN not in text and (text.isascii() or not _QUOTE.search(text)):
        # most sentences: nothing more to count (the other quotation marks are not ASCII)
        return single
    opened, low = text.count(_OPEN), text.count(_LOW_OPEN)
    curly = low + opened - text.count(_CLOSE) - 2 * min(low, opened)  # „...“ is a pair, as “...” is
    guillemets = abs(text.count("\u00ab") - text.count("\u00bb"))  # either way round
    straight = text.count(_STRAIGHT) % 2
    return max(curly, 0) + guillemets + straight + single


def join_quotes(doc: Document) -> Document:
    """`doc` with each sentence that opens a quotation joined to the ones up to where it closes
    (at most `MAX_QUOTE_SENTENCES`), so a quotation and its attribution are one sentence. A joined
    sentence keeps the index of its first part (indices then skip the parts joined to it)."""
    sentences = doc.sentences
    if _QUOTE.search(doc.text):
        open_at = [_quote_balance(s.text) for s in sentences]
    elif any(s.text[:1] in _SINGLE_OPENERS for s in sentences):  # only single quotes can be open
        open_at = [_single_open(s.text) for s in sentences]
    else:
        return doc
    if not any(open_at):
        return doc
    out: list[Sentence] = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        i += 1
        if open_at[i - 1]:
            for j in range(i, min(len(sentences), i - 1 + MAX_QUOTE_SENTENCES)):
                joined = doc.text[s.start : sentences[j].end]
                if sentences[j].paragraph == s.paragraph and not _quote_balance(joined):
                    s = Sentence(joined, s.start, sentences[j].end, s.index, s.paragraph)
                    i = j + 1
                    break
        out.append(s)
    return Document(text=doc.text, sentences=tuple(out), title=doc.title)


def defect(text: str, title: str | frozenset[str] = "", names: Container[str] = frozenset()) -> str | None:
    """What keeps a sentence out of a brief (`unbalanced quote`, `caption`, `link line`, `signpost`, `no words`,
    `notice`, `headline`), or None.

    `title` is the headline, or its `word_set` (which a caller checking many sentences makes once). `names`
    holds the lower-cased words the article capitalises inside its sentences (`NamesIn`): a label that opens
    with one of them is a person or a team ("Branson: I think ..."), not a caption's.

    Example:
        >>> defect("Sweet life: The Duchess of Cornwall."), defect('"Passengers spend money in shops.')
        ('caption', 'unbalanced quote')
        >>> defect("Child care: A US-based attorney for Heather Mack has filed for half a million dollars.")
        'caption'
        >>> defect("Mr Letwin told MPs: The tide is going out on the chancellor's credibility.") is None
        True
        >>> defect("Read more: how the vote went"), defect("The council voted to ban cruise ships.")
        ('link line', None)
        >>> defect("Here are the main points of the budget."), defect("2.")
        ('signpost', 'no words')
        >>> defect("The opinions expressed in this commentary are solely those of the writer.")
        'notice'
    """
    if _quote_balance(text):
        return "unbalanced quote"
    if _LINK_LINE.match(text):
        return "link line"
    first = text[:1]
    if (first in "HhTtWw" or not first.isalnum()) and _SIGNPOST.match(text):  # (the letter first: faster)
        return "signpost"
    if not first.isalpha() and not _LETTER.search(text):
        return "no words"
    if _NOTICE.match(text) or _credited(text):
        return "notice"
    words = len(text.split())
    if words <= 25 and _CREDIT.search(text):  # the count first: most sentences are longer than any credit
        return "caption"
    if words <= 12 and _CAPTION.match(text) and not _QUOTE.search(text):
        return "caption"
    if _labelled(text, names):
        return "caption"
    heading = word_set(title) if isinstance(title, str) else title
    if heading and _near(word_set(text), heading):
        return "headline"
    return None


def _credited(text: str) -> bool:
    """A contributor's credit: the names (at most 120 characters) and "contributed to this report"."""
    if "ontribut" not in text:  # most sentences: one scan
        return False
    m = _CONTRIBUTED.search(text)
    return m is not None and m.start() <= 120


def _labelled(text: str, names: Container[str]) -> bool:
    """A sentence behind a caption's label: one to four words, none a verb of saying, not a name or title
    (Title Case after the first word, unless all capitals), not a date, not the opening of a prose sentence."""
    m = _LABEL.match(text)
    if m is None:
        return False
    label = m.group(1)
    words = label.split()
    first = re.split("['\u2019]", words[0].lower())[0]
    if first in _PROSE_OPENERS or any(c.isdigit() for c in label) or any(_SPEECH.fullmatch(w) for w in words):
        return False
    if label.isupper():  # "VERDICT: ...", "UPDATE: ..."
        return True
    if first in names:  # "Marsico described the video: ...", "Branson: ..."
        return False
    return not (len(words) > 1 and all(w[:1].isupper() for w in words[1:]))  # "Star Trek: Enterprise ..."


_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][\w'\u2019-]+")


class NamesIn(Container[str]):
    """The lower-cased words `text` capitalises after a lower-case word (names of people, places, teams), found
    on the first lookup: most articles never have a labelled sentence to ask about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = frozenset(m.group(0).lower() for m in _NAME.finditer(self.text))
        return word in self._words


def word_set(text: str) -> frozenset[str]:
    """The lower-cased words of `text`, as `defect` compares a sentence with the headline."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def _near(a: frozenset[str], b: frozenset[str]) -> bool:
    """At least 80 % of the words of the two sets are shared (Jaccard)."""
    return bool(a and b) and len(a & b) / len(a | b) >= 0.8


def opener(text: str) -> str:
    """The sentence's first word, lower-cased, past any opening quote or bracket, without a clitic.

    Example:
        >>> opener('"It\u2019s wrong," he said.'), opener("(CNN) Officials said")
        ('it', 'cnn')
    """
    m = _WORD.search(text)
    return re.split("['\u2019]", m.group(0).lower())[0] if m else ""  # "It's" -> "it"


def names_in(text: str) -> bool:
    """True when a capitalised word other than the first one appears (a person or place named)."""
    words = _WORD.findall(text)
    return any(w[0].isupper() for w in words[1:])


class Fitness:
    """Of each sentence of a document: why it cannot be in a brief (or None), and whether it needs an
    earlier bullet before it (it opens with a connective or a pronoun). Worked out for a sentence
    when a summarizer first asks (most are never candidates)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._defects: dict[int, str | None] = {}
        self._title = word_set(doc.title)
        self._names = NamesIn(doc.text)
        self._stops: bool | None = None

    @classmethod
    def of(cls, doc: Document) -> Fitness:
        return cls(doc)

    def defect(self, i: int) -> str | None:
        """As `defect`, and `heading` for a line with no full stop (a subheading, a linked story's headline) in
        an article whose sentences mostly have one."""
        if i not in self._defects:
            text = self.doc.sentences[i].text
            found = defect(text, self._title, self._names)
            if found is None and not _ends_as_sentence(text) and self._punctuated():
                found = "heading"
            self._defects[i] = found
        return self._defects[i]

    def _punctuated(self) -> bool:
        """Whether most of the article's sentences end with a stop (a list or a transcript may not)."""
        if self._stops is None:
            ends = [_ends_as_sentence(s.text) for s in self.doc.sentences]
            self._stops = 2 * sum(ends) >= len(ends)
        return self._stops

    def needs_before(self, i: int) -> str | None:
        """`connective` or `pronoun` when sentence `i` opens with one, else None."""
        first = opener(self.doc.sentences[i].text)
        return "connective" if first in CONNECTIVES else "pronoun" if first in PRONOUNS else None

    def may_follow(self, i: int, chosen: list[int]) -> bool:
        """Whether sentence `i` can sit in a brief whose other bullets are `chosen`: a connective or pronoun
        opener needs an earlier bullet, and "he"/"she" one that names someone."""
        if self.needs_before(i) is None:
            return True
        before = [j for j in chosen if j < i]
        if not before:
            return False
        sentences = self.doc.sentences
        if opener(sentences[i].text) in PERSONAL:
            return any(names_in(sentences[j].text) for j in before)
        return True
