"""Rule-based sentence segmentation for news text, with character offsets.

No data is downloaded: abbreviations, initials, decimals and money, quotes that close
after the full stop, ellipses, bullet lines and headlines without a full stop are handled
by the rules below. Measured against pysbd and syntok on `tests/data/segment_gold.txt`
(see `tests/text/test_segment.py` and `bench/segment.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from nlpkit.registry import Registry
from nlpkit.types import Document, Sentence

Segmenter = Callable[[str], Document]
SEGMENTERS: Registry[Segmenter] = Registry("segmenter")

# Titles and other abbreviations that are (almost) never the end of a sentence.
_NEVER_END = frozenset(
    """mr mrs ms messrs dr prof gen col lt sgt capt cpl pte maj brig adm cmdr cdr sen rep gov pres supt
    det insp rev hon st fr jr sr mt ft ave blvd rd dept univ approx fig figs vs v no nos vol vols pp
    p ch art sec cf esp est e.g i.e viz al ref tel ext ed eds gov't jan feb mar apr jun jul aug sep
    sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    bzw vgl ggf evtl inkl zzgl sog nr mio mrd tsd sra srta dra sigg dott avv aprox núm pág geb gest jh hrsg
    dhr mevr drs""".split()
)
# After an ordinal's full stop (German writes "am 3. Oktober", "der 1. FC", "im 20. Jahrhundert"), the words
# that go on the sentence: a number of two digits at most before one of them is not the end of a sentence.
_AFTER_ORDINAL = frozenset(
    """januar jänner februar feber märz april mai juni juli august september oktober november dezember
    jahrhundert jahrtausend fc bundesliga liga mal platz weltkrieg spieltag runde stock klasse""".split()
)
# Abbreviations that often end a sentence: split only if the next word starts sentences.
# (Other languages' abbreviations that are also English words or names -- "Los EE. UU." and the mobile firm EE,
# "ca. 500" and Los Angeles, CA, "Ing. Rossi" and the bank ING -- are among them.)
_MAY_END = frozenset("""inc ltd corp co plc llc bros etc jr sr usw ee ca ing abs std hr sig str env bd""".split())
_MONTHS = frozenset("""jan feb mar apr jun jul aug sep sept oct nov dec""".split())
# Words that very often start a sentence; used to settle ambiguous full stops.
_BULLET_STARTS = frozenset("-*•·▪–—(0123456789abcdefghijklmnopqrstuvwxyz")
_STARTERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those there but and so
    yet or if when while after before as in on at for from with by to of since although though
    however meanwhile then now some many most all both one two three what who why how where mr mrs
    ms dr police officials authorities last earlier later according until despite during under over""".split()
)

#: Sentence stops of other scripts that put a space after them: Hindi's danda and double danda, Arabic's
#: question mark, Urdu's full stop, Armenian's and Ethiopic's full stops.
SPACED_STOPS = "।॥؟۔։።"
#: Chinese and Japanese sentence stops, with no space after them, and the closing quotes and brackets that
#: may follow one.
CJK_STOPS = "。！？"
CJK_CLOSERS = "」』”’）)"

# A run of terminal punctuation (the class, not an alternation, so the engine scans for it fast),
# closing quotes or brackets, whitespace, then an opener and a word character.
_TERMINAL = re.compile(
    rf"""(?P<end>[.!?…{SPACED_STOPS}]+)           # the terminal punctuation (... included)
        (?P<close>[\"'”’“‘»«›‹)\]]*)            # closing quotes or brackets (German closes „so“ and »so«)
        (?P<space>\s+)                          # whitespace
        (?=(?P<next>[\"'“‘„‚«»‹›(\[¿¡]*[\w$£€¥]))  # an opener: quote/bracket (or Spanish ¿ ¡) then a word char
    """,
    re.VERBOSE,
)
# Chinese and Japanese end a sentence with full-width punctuation and no space after it; a quotation
# closed and followed at once by more of the sentence (“……。”市长说。「……。」と述べた) goes on.
# (A pattern string, compiled by `re`'s own cache on first use: English text never needs it.)
_CJK_TERMINAL = (
    rf"(?P<end>[{CJK_STOPS}]+(?:[{CJK_CLOSERS}]+(?=[“‘「『（(]|\s)|(?![{CJK_CLOSERS}])))(?P<space>\s*)(?=\S)"
)
# Thai puts no stop after a sentence, only a space (spaces inside a sentence come before and after numbers
# and foreign words): a space between two Thai letters ends a sentence, as PyThaiNLP's whitespace splitter has it.
THAI_LETTERS = "\u0e01-\u0e5b"
_THAI = re.compile(f"[{THAI_LETTERS}]")
_THAI_BREAK = re.compile(f"(?<=[{THAI_LETTERS}])(?P<end>)(?P<space>[ \t\u00a0]+)(?=[{THAI_LETTERS}])")
#: A list item's marker at the start of a line (a bullet, a dash, `1.`, `2)`, `(a)`) and the space after it:
#: the line is a sentence of its own, and a brief shows it without the marker.
LIST_MARKER = re.compile(r"^\s*(?:[-*•·▪–—]|\d{1,3}[.)]|\(?[a-z][.)])\s+")
_NEXT_WORD = re.compile(r"[\"'“‘„‚«»‹›(\[¿¡]*([\w'’-]+)")
_ACRONYM = re.compile(r"(?:[a-zA-Z]\.)+[a-zA-Z]")
_WORD_CHARS = frozenset("_.'’-")


def marker_end(sentence: str) -> int:
    """Where a sentence starts after a list item's marker (`LIST_MARKER`), or 0: a German ordinal opening a line
    ("1. FC Köln gewann", "3. Oktober") is not a marker.

    Example:
        >>> marker_end("2) A hotline will reopen."), marker_end("1. FC Köln gewann."), marker_end("Shares fell.")
        (3, 0, 0)
    """
    m = LIST_MARKER.match(sentence)
    if m is None:
        return 0
    if sentence.lstrip()[:1].isdigit() and _next_word(sentence, m.end()).lower() in _AFTER_ORDINAL:
        return 0
    return m.end()


def _word_before(text: str, end: int) -> str:
    """The run of word characters, dots, apostrophes and hyphens ending at `end` (at most 40 back)."""
    i = end
    stop = max(0, end - 40)
    while i > stop and (text[i - 1].isalnum() or text[i - 1] in _WORD_CHARS):
        i -= 1
    return text[i:end]


def _next_word(text: str, at: int) -> str:
    m = _NEXT_WORD.match(text, at)
    return m.group(1) if m else ""


def _letter_pair(text: str, stop: int, after: int) -> bool:
    """Whether the one letter before the full stop at `stop` is half of a two-letter abbreviation written with
    a space (German's z. B., d. h., u. a.): another letter and its stop right after it, or right before it."""
    nxt = text[after : after + 3]
    if len(nxt) >= 2 and nxt[0].isalpha() and nxt[1] == "." and not nxt[2:].isalpha():
        return True
    before = text[max(0, stop - 5) : stop - 1]
    return len(before) >= 3 and before[-3].isalpha() and before[-2:] == ". " and not before[:-3][-1:].isalpha()


def _is_boundary(text: str, m: re.Match[str], caseless: bool = False) -> bool:
    first = m.group("next")[-1]
    if first.islower() and not caseless:
        return False  # "?" she asked / ... and so on
    if m.group("end") != ".":
        return True  # ! ? ... or mixed: a lowercase follower was the only reason not to split
    if m.group("close").strip(")]"):
        return True  # full stop inside a closing quote
    word = _word_before(text, m.start())
    if len(word) == 1 and (word.isupper() or _letter_pair(text, m.start(), m.end())):
        return False  # an initial (J. K. Rowling, George W. Bush) or a letter of an abbreviation (z. B., d. h.)
    if word.isdigit() and len(word) <= 2 and _next_word(text, m.end()).lower() in _AFTER_ORDINAL:
        return False
    bare = word.lower().strip("'’-")
    if "." not in bare and bare not in _NEVER_END and bare not in _MAY_END:
        return True  # the common case: a plain word ends the sentence
    last = bare.rsplit(".", 1)[-1]
    if "." in word and _ACRONYM.fullmatch(word):
        # An acronym with dots (U.S., a.m.): a boundary only before a typical sentence start.
        if caseless:
            return False  # "in the u.s. on friday": with no capitals a starter word tells nothing
        nxt = _next_word(text, m.end())
        return (nxt.lower() in _STARTERS and nxt.lower() not in {"a", "i"}) or nxt == "I"
    if bare in _MONTHS or last in _MONTHS:
        return not first.isdigit()
    if bare in _NEVER_END or last in _NEVER_END:
        return False
    if bare in _MAY_END:
        return _next_word(text, m.end()).lower() in _STARTERS
    return True


def _split_line(line: str, offset: int, caseless: bool = False) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    bullet = LIST_MARKER.match(line) if line[:1] in _BULLET_STARTS or line[:1].isspace() else None
    ends: Iterable[re.Match[str]] = _TERMINAL.finditer(line, bullet.end() if bullet else 0)
    if "。" in line or "！" in line or "？" in line:  # CJK_STOPS; `in` does not scan a line of Latin-1 text
        ends = sorted([*ends, *re.finditer(_CJK_TERMINAL, line)], key=lambda m: m.start())
    if not line.isascii() and _THAI.search(line):
        ends = sorted([*ends, *_THAI_BREAK.finditer(line)], key=lambda m: m.start())
    for m in ends:
        if m.re is _TERMINAL and not _is_boundary(line, m, caseless):
            continue
        spans.append((start, m.start("space")))
        start = m.end()
    spans.append((start, len(line)))
    out = []
    for a, b in spans:
        seg = line[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            out.append((offset + a + lead, offset + a + trail))
    return out


def _joins_next(line: str, nxt: str) -> bool:
    """Whether a single line break continues the same sentence (hard-wrapped text)."""
    if not nxt or LIST_MARKER.match(nxt) or LIST_MARKER.match(line):
        return False
    stripped = line.rstrip()
    if not stripped or stripped[-1] in '.!?…:"”’»)':
        return False
    return nxt.lstrip()[:1].islower() or stripped[-1] in ",;-–—(" or len(stripped) >= 60


def rule_segment(text: str) -> Document:
    """Split news text into sentences with character offsets.

    Paragraphs are separated by blank lines; a single line break ends a sentence unless
    the text is visibly hard-wrapped. Headlines and bullet lines stand alone.

    Example:
        >>> doc = rule_segment("Mr. Smith paid $1.13bn. The U.S. agreed.")
        >>> [s.text for s in doc.sentences]
        ['Mr. Smith paid $1.13bn.', 'The U.S. agreed.']
    """
    sentences: list[Sentence] = []
    # Text lower-cased throughout (some dataset copies are) has no capital to open a sentence: there a stop
    # before a lower-case word ends one too, abbreviations and initials aside.
    caseless = text[:3000].islower()
    paragraph = 0
    pos = 0
    lines = text.split("\n")
    pending: tuple[int, str] | None = None  # a hard-wrapped line waiting for its continuation
    blank_run = False
    for i, raw in enumerate(lines):
        line_start = pos
        pos += len(raw) + 1
        if not raw or raw.isspace():
            if sentences:
                blank_run = True
            continue
        if blank_run:
            paragraph += 1
            blank_run = False
        if pending is not None:
            p_start, p_text = pending
            combined_start, combined = p_start, p_text + "\n" + raw
        else:
            combined_start, combined = line_start, raw
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _joins_next(raw, nxt):
            pending = (combined_start, combined)
            continue
        pending = None
        for a, b in _split_line(combined, combined_start, caseless):
            sentences.append(Sentence(text[a:b], a, b, len(sentences), paragraph))  # (keywords cost 0.4 us a sentence)
    return Document(text=text, sentences=tuple(sentences))


SEGMENTERS.add("rules", rule_segment)


def segment(text: str, *, method: str = "rules") -> Document:
    """Segment `text` with a registered segmenter (default: the built-in rules)."""
    return SEGMENTERS.get(method)(text)
