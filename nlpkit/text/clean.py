"""Cleaning: pure, named `str -> str` steps that strip what scraped news pages carry.

Each step is registered in `CLEANERS` under a stable name; `clean()` runs the default
chain, minus any step named in `skip`. No I/O and no model loading happen here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from nlpkit.registry import Registry
from nlpkit.text.segment import SPACED_STOPS

Cleaner = Callable[[str], str]
CLEANERS: Registry[Cleaner] = Registry("cleaner")

# Zero-width characters, soft hyphens, control characters (but tab and line ends) and lone
# surrogates: invisible, or garbage that no reader of the brief should get.
_CONTROLS = [*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F, *range(0xD800, 0xE000)]
_INVISIBLE: dict[int, str | None] = dict.fromkeys([*map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), *_CONTROLS])
_INVISIBLE[0x0C] = "\n"  # a form feed ends a line
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# A blank other than a plain space or a line break.
_UNUSUAL_BLANK = re.compile(r"[^\S \n]")
# The same characters in ASCII text: looked for one at a time, which is faster than a pattern's scan.
_ASCII_CONTROLS = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
_ASCII_UNUSUAL_BLANKS = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"


def _has_any(text: str, chars: str) -> bool:
    """Whether any of `chars` is in `text` (one fast substring search each)."""
    return any(ch in text for ch in chars)


@CLEANERS.register("unicode")
def normalize_unicode(text: str) -> str:
    """NFC-normalise, unify line endings, drop zero-width characters, soft hyphens and control characters.

    Example:
        >>> normalize_unicode("cafe\\u0301\\r\\nnext")
        'café\\nnext'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    invisible = _has_any(text, _ASCII_CONTROLS) if text.isascii() else _HAS_INVISIBLE.search(text)
    return text.translate(_INVISIBLE) if invisible else text


@CLEANERS.register("whitespace")
def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, trim lines and keep at most one blank line between paragraphs.

    Example:
        >>> normalize_whitespace("  a   b \\n\\n\\n\\nc ")
        'a b\\n\\nc'
    """
    unusual = _has_any(text, _ASCII_UNUSUAL_BLANKS) if text.isascii() else _UNUSUAL_BLANK.search(text) is not None
    if not (unusual or "  " in text or " \n" in text or "\n " in text or "\n\n\n" in text):
        return text.strip()  # the common case: nothing inside needs changing
    out: list[str] = []
    blank = False
    for line in text.split("\n"):
        if "  " in line or line[:1] == " " or line[-1:] == " " or (unusual and _UNUSUAL_BLANK.search(line)):
            line = " ".join(line.split())
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


# The CNN/DailyMail dataset's text form: the story's lines joined by spaces, each line that did not end as a
# sentence does given " ." first. So " ." marks a line end: a byline, a time stamp, a caption, or a line
# broken inside a sentence ("scientists and . their lab tools"). An ellipsis (". . .") is not one.
_LINE_STOP = re.compile(r" \.(?=\s|$)(?! \.)")  # after a word (checked apart: a lookbehind here scans 9x slower)
_NOT_BEFORE_STOP = frozenset(" \t\n.!?")
#: The least share of a text's characters that its longest line holds when the text is in the dataset's form.
_STORY_SHARE = 0.8
# Where the last sentence before a line of its own ended: a word of two lowercase letters or more and a stop
# ("p.m.", "P. Henson" and "1." are not ends), a capital, digit or quote after it.
_LAST_SENTENCE_END = re.compile(r".*[a-z]{2}[.!?][\"'\u201d\u2019)]?\s+(?=[A-Z0-9\"'\u201c\u2018])", re.DOTALL)
# Words after which a line cannot have ended a sentence: the line was broken inside one.
_GOES_ON = frozenset(
    """a an the and or but nor by of in at to from for with into onto as than his its their our my your is was
    were are be been has have had will would can could between""".split()
)


@CLEANERS.register("line_stops")
def restore_line_stops(text: str) -> str:
    """Give back the lines of a text in the CNN/DailyMail dataset's form (lines joined, " ." ending each
    line that lacked a full stop): a line broken inside a sentence is joined to the next, and a line of
    its own (a byline, a time stamp, a caption) is put back on a line, where the other steps judge it.
    In other text a " ." after a word is a slip, and loses its blank.

    Example:
        >>> restore_line_stops("By . Jo Lee . Updated: . 3 June 2014 . | . Toys and . their labs.")
        'By Jo Lee\\n\\nUpdated: 3 June 2014\\n\\nToys and their labs.'
    """
    if " ." not in text:
        return text
    # the form is one line holding the story (after a headline line, perhaps): a text of paragraphs is not
    # in it, and a " ." inside one of its paragraphs is a slip, which loses its blank
    lines = text.split("\n")
    at = max(range(len(lines)), key=lambda i: len(lines[i]))
    if len(lines[at]) < _STORY_SHARE * (len(text) - len(lines) + 1):
        return _close_slips(text)
    restored = _restore_line(lines[at])
    if restored is lines[at]:
        return text
    lines[at] = restored
    return "\n".join(lines)


def _marks(text: str) -> list[re.Match[str]]:
    """The " ." after a word: line ends in the dataset's form, slips elsewhere."""
    return [m for m in _LINE_STOP.finditer(text) if m.start() and text[m.start() - 1] not in _NOT_BEFORE_STOP]


def _close_slips(text: str) -> str:
    """`text` without the blank of each " ." after a word ("(2.45m) . His" -> "(2.45m). His")."""
    pieces: list[str] = []
    last = 0
    for m in _marks(text):
        pieces.append(text[last : m.start()])
        last = m.start() + 1
    pieces.append(text[last:])
    return "".join(pieces)


def _restore_line(text: str) -> str:
    """`restore_line_stops` of one line of the dataset's form (the line itself when it has no marks)."""
    marks = _marks(text)
    if not marks:
        return text
    pieces: list[str] = []
    last = 0
    for m in marks:
        before = text[last : m.start()]
        pieces.append(before)
        after = text[m.end() : m.end() + 2]
        word = before.rsplit(None, 1)[-1] if before.strip() else ""
        # a label ("PUBLISHED:") or a colon before a quotation is followed by what it introduces
        colon = word.endswith(":") and (before.strip() == word or after[1:2] in "\"'\u201c\u2018")
        if after[1:2].islower() or word.lower() in _GOES_ON or colon:
            last = m.end()  # the line went on: the blank after the mark joins them
            continue
        # a line of its own: it began after the last sentence that ended before it
        start = _LAST_SENTENCE_END.match(before)
        if start:
            pieces[-1] = f"{before[: start.end()].rstrip()}\n\n{before[start.end() :]}"
        pieces.append("\n\n")
        last = m.end() + 1 if after[:1] == " " else m.end()
    pieces.append(text[last:])
    paragraphs = "".join(pieces).split("\n\n")
    return "\n\n".join(p for p in paragraphs if any(c.isalnum() for c in p))  # a bare "|" line goes


# Headers after which the rest of the page is reader comments.
_COMMENTS = re.compile(
    r"^(?:comments?|\d[\d,]*\s+comments?|leave a (?:comment|reply)|post a comment|add (?:a|your) comment|"
    r"join the (?:discussion|conversation)|show comments|view comments|reader comments|"
    r"\d+\s+thoughts? on .*|\d+\s+responses? to .*|what do you think\??)\s*:?$",
    re.IGNORECASE,
)
# Headers of lists of other stories; the short lines listed under them go too.
_LIST_HEADER = re.compile(
    r"^(?:popular posts(?: from this blog)?|related (?:articles?|stories|posts|content|coverage|news|links|topics)|"
    r"more (?:on this story|from [\w .]+|stories|news)|you may (?:also|like|be interested)[\w ]*|"
    r"you might (?:also )?like|recommended(?: for you| stories| articles)?|most (?:read|popular|viewed|shared)|"
    r"trending(?: now| stories)?|top stories|further reading|see also|also in [\w ]+|"
    r"read (?:more|next|also)|latest (?:news|stories)|around the web|sponsored(?: content| stories)?|"
    r"in other news|editor'?s picks)\s*:?$",
    re.IGNORECASE,
)
# A "Read more: <headline>" line pointing elsewhere.
_READ_MORE_LINE = re.compile(r"^(?:read (?:more|also|next)|see also|related|more)\s*[:»>|-]\s*\S.*$", re.IGNORECASE)
_SHARE = re.compile(
    r"^(?:share(?: this)?(?: article| story| page| post)?(?: on| via| with)?(?: \w+)?|tweet(?: this)?|"
    r"share on (?:facebook|twitter|x|linkedin|whatsapp|reddit|email)|(?:facebook|twitter|linkedin|whatsapp|"
    r"pinterest|reddit|email|e-mail|print|copy link|share|tweet|messenger)(?:\s*[|/·•,]\s*\w+)*|"
    r"click (?:here )?to (?:share|print|email|tweet).*|follow us on .*|follow @.*|scroll down for .*|like us on facebook.*|"
    r"(?:copy|copied) (?:link|url).*|save (?:this )?(?:article|story)|\d+\s+shares?)\s*$",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"^(?:.*\b(?:sign up|subscribe)\b.*\b(?:newsletter|inbox|updates|alerts|daily|weekly|email)\b.*|"
    r".*\bnewsletter\b.*\b(?:sign up|subscribe|inbox|delivered)\b.*|"
    r".*\b(?:we|this (?:site|website)|our (?:site|website)) uses? cookies\b.*|.*\bcookie (?:policy|settings|notice)\b.*|"
    r"(?:accept|reject|manage) (?:all )?cookies.*|by continuing to (?:use|browse) .*|"
    r"advertisement|advert|sponsored|skip (?:to )?(?:content|advert(?:isement)?)|"
    r"(?:thanks|thank you) for (?:signing up|subscribing).*|enter your email.*|"
    r"please enable javascript.*|this (?:video|content) is not available.*|"
    r"media playback is (?:not supported|unsupported) on (?:this|your) device)$",
    re.IGNORECASE,
)
_NOTICE_CUES = (
    "sign up",
    "subscri",
    "newsletter",
    "cookie",
    "advert",
    "sponsor",
    "skip",
    "thank",
    "email",
    "javascript",
    "not available",
    "playback",
    "continuing",
)
_CREDIT = re.compile(
    r"^(?:\(?(?:photo|photograph|picture|pic|image|images|video|illustration|graphic|credit|source|"
    r"image copyright|image source|image caption|media caption|copyright)\s*(?:by|credit)?\s*[:©]\s*.*|"
    r"\(?(?:photo|picture|image)s? (?:by|courtesy of) .*|.*/(?:getty images|afp|reuters|ap|pa|epa|shutterstock)\)?|"
    r"(?:getty images|afp via getty images|reuters|pa media|shutterstock|alamy)\.?|©.*)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:[Bb][Yy]\s+[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|and|&|for|in|de|van|von|al|bin))*(?:\s*[,|–—-]\s*.*)?|"
    r"(?i:posted (?:by|on) .*|written by .*|(?:published|updated|last updated|first published)\s*:?\s*.*\d.*|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day,? \d{1,2} \w+ \d{4}.*|\d{1,2} (?:hours?|minutes?|days?) ago|"
    r"\d+ min(?:ute)?s? read|reading time:? .*))$",
)
_CREDIT_CUES = (
    "photo",
    "picture",
    "pic",
    "image",
    "illustration",
    "graphic",
    "video",
    "credit",
    "source",
    "copyright",
    "caption",
    "©",
    "getty",
    "afp",
    "reuters",
    "/",
    "shutterstock",
    "alamy",
)
# An inline credit in brackets; the blanks before it go too (see `_drop_inline_credits`).
_INLINE_CREDIT = re.compile(
    r"\((?:photo|picture|image|pictured|credit)[^()]{0,80}\)|\([^()]{0,60}/(?:getty images|afp|reuters|ap|pa)\)",
    re.IGNORECASE,
)


#: Page furniture sits on short lines; longer lines are prose and are never dropped.
_MAX_FURNITURE = 300
_FIRST_WORD = re.compile(r"[^\W_]*")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The first word (lowercased letters and digits; "#" for a number) of every line a pattern can match.
_STARTS = {
    "comments": {"comment", "comments", "#", "leave", "post", "add", "join", "show", "view", "reader", "what"},
    "related": {
        *("popular", "related", "more", "you", "recommended", "most", "trending", "top", "further", "see", "also"),
        *("read", "latest", "around", "sponsored", "in", "editor", "editors"),
    },
    "share": {
        *("share", "tweet", "facebook", "twitter", "linkedin", "whatsapp", "pinterest", "reddit", "email", "e"),
        *("print", "copy", "copied", "messenger", "click", "follow", "like", "save", "scroll", "#"),
    },
    "credits": {
        *("photo", "photos", "photograph", "picture", "pictures", "pic", "image", "images", "video", "illustration"),
        *(
            "graphic",
            "credit",
            "source",
            "media",
            "copyright",
            "getty",
            "afp",
            "reuters",
            "pa",
            "shutterstock",
            "alamy",
        ),
    },
    "bylines": {"by", "posted", "written", "published", "updated", "last", "first", "reading", "#", *_WEEKDAYS},
}
_AGENCIES = ("getty images", "afp", "reuters", "/ap", "/pa", "epa", "shutterstock")


class _LineView:
    """The lines of a text with what every furniture check needs, computed once per text."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.short: dict[int, tuple[str, str]] = {}  # line -> (stripped, lowercased), for lines that can be furniture
        self.by_first: dict[str, list[int]] = {}
        self._lowered: str | None = None
        first_word = _FIRST_WORD.match
        for i, line in enumerate(self.lines):
            if not line or len(line) > _MAX_FURNITURE + 40:
                continue
            s = line.strip()
            if not s or len(s) > _MAX_FURNITURE:
                continue
            low = s.lower()
            self.short[i] = (s, low)
            word = first_word(low).group()  # type: ignore[union-attr]  # the pattern always matches
            self.by_first.setdefault("#" if word.isdigit() else word, []).append(i)

    @property
    def lowered(self) -> str:
        """The lines that can be furniture, lowercased, one per line (made on first use)."""
        if self._lowered is None:
            self._lowered = "\n".join([low for _, low in self.short.values()])
        return self._lowered

    def starting_with(self, words: set[str]) -> list[int]:
        return sorted(i for w in words for i in self.by_first.get(w, ()))

    def without(self, drop: set[int]) -> str:
        return "\n".join(line for i, line in enumerate(self.lines) if i not in drop)


_last: tuple[str, _LineView] | None = None


def _view(text: str) -> _LineView:
    """The `_LineView` of `text`; steps that change nothing hand the same string on, so it is built once."""
    global _last
    last = _last  # one read: another thread may replace it meanwhile
    if last is not None and last[0] is text:
        return last[1]
    view = _LineView(text)
    _last = (text, view)
    return view


def _is_list_item(line: str) -> bool:
    """A short headline-like line such as the ones listed under "Related articles"."""
    s = line.strip()
    return bool(s) and (
        (len(s) < 140 and not s.endswith((".", "!", "?", '."', ".”"))) or bool(_READ_MORE_LINE.match(s))
    )


@CLEANERS.register("comments")
def strip_comments(text: str) -> str:
    """Cut a reader-comments section and everything after it.

    Example:
        >>> strip_comments("Story.\\n\\n3 comments\\n\\nGreat read!")
        'Story.'
    """
    v = _view(text)
    for i in v.starting_with(_STARTS["comments"]):
        if i > 0 and _COMMENTS.match(v.short[i][0]):
            return "\n".join(v.lines[:i]).rstrip()
    return text


@CLEANERS.register("related")
def strip_related(text: str) -> str:
    """Drop "Related articles" / "Popular posts" / "Read more" blocks and the headlines listed under them.

    Example:
        >>> strip_related("Story.\\n\\nRelated articles\\nOther story one\\nOther story two")
        'Story.'
    """
    v = _view(text)
    drop: set[int] = set()
    for i in v.starting_with(_STARTS["related"]):
        if i in drop:
            continue
        s = v.short[i][0]
        if _LIST_HEADER.match(s):
            drop.add(i)
            j = i + 1
            while j < len(v.lines) and (not v.lines[j].strip() or _is_list_item(v.lines[j])):
                drop.add(j)
                j += 1
        elif len(s) < 200 and _READ_MORE_LINE.match(s):
            drop.add(i)
    return (v.without(drop) if drop else text).strip()


def _drop_lines(text: str, pattern: re.Pattern[str], candidates: list[int], view: _LineView) -> str:
    """Drop the candidate lines that `pattern` matches (stripped) whole."""
    drop = {i for i in candidates if pattern.match(view.short[i][0])}
    return view.without(drop) if drop else text


# A label such as "Video:" or "Source:" in front of a line, and where one sentence ends and the next begins.
_LABEL = re.compile(
    r"^\(?(?:photos?|photograph|pictures?|pic|images?|video|illustration|graphic|credit|source|"
    r"image copyright|image source|image caption|media caption|copyright)\s*(?:by|credit)?\s*[:©]\s*",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“'‘(A-Z0-9])")


def _is_prose(sentence: str) -> bool:
    """A real sentence: eight words or more, ending as a sentence does."""
    s = sentence.rstrip()
    return len(s.split()) >= 8 and s[-1:] in ".!?\"”'’)"


def _salvage(line: str, pattern: re.Pattern[str]) -> str | None:
    """The prose of a line that looks like furniture: its real sentences that are not furniture themselves,
    a "Video:"-style label taken off the first; None when nothing is left."""
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(line.strip()):
        body = sentence if kept else _LABEL.sub("", sentence, count=1)
        if _is_prose(body) and not pattern.match(body):
            kept.append(body)
    return " ".join(kept) or None


def _drop_furniture(text: str, pattern: re.Pattern[str], candidates: list[int], view: _LineView) -> str:
    """Drop the candidate lines `pattern` matches, but keep the sentences of prose in them (a paragraph
    that holds a real sentence is never removed whole)."""
    drop: set[int] = set()
    changed: dict[int, str] = {}
    for i in candidates:
        line = view.short[i][0]
        if not pattern.match(line):
            continue
        prose = _salvage(line, pattern)
        if prose is None:
            drop.add(i)
        else:
            changed[i] = prose
    if not drop and not changed:
        return text
    return "\n".join(changed.get(i, line) for i, line in enumerate(view.lines) if i not in drop)


@CLEANERS.register("share")
def strip_share_prompts(text: str) -> str:
    """Drop share prompts ("Share this article", "Facebook | Twitter | Email", "Follow us on ...").

    Example:
        >>> strip_share_prompts("Story.\\nShare on Facebook\\nMore story.")
        'Story.\\nMore story.'
    """
    v = _view(text)
    return _drop_lines(text, _SHARE, v.starting_with(_STARTS["share"]), v)


@CLEANERS.register("notices")
def strip_notices(text: str) -> str:
    """Drop newsletter sign-up, cookie and advertisement notices.

    Example:
        >>> strip_notices("Story.\\nWe use cookies to improve your experience.\\nMore.")
        'Story.\\nMore.'
    """
    v = _view(text)
    cues = [c for c in _NOTICE_CUES if c in v.lowered]  # the few cues present, then only the lines with them
    if not cues:
        return text
    candidates = [i for i, (_, low) in v.short.items() if any(c in low for c in cues)]
    return _drop_furniture(text, _NOTICE, candidates, v)


@CLEANERS.register("credits")
def strip_credits(text: str) -> str:
    """Drop photo credits and captions' credit lines, and inline "(Photo: ...)" credits.

    Example:
        >>> strip_credits("Photo: Jane Doe/Reuters\\nThe minister spoke (Picture: PA).")
        'The minister spoke.'
    """
    v = _view(text)
    candidates = set(v.starting_with(_STARTS["credits"]))
    for i, (s, low) in v.short.items():
        if s[:1] in "(©" or ("/" in s and any(a in low for a in _AGENCIES)):
            candidates.add(i)
    text = _drop_furniture(text, _CREDIT, sorted(candidates), v)
    return _drop_inline_credits(text) if "(" in text else text


def _drop_inline_credits(text: str) -> str:
    """Remove inline credits with the blanks before them (a pattern starting with the bracket scans fast)."""
    pieces: list[str] = []
    last = 0
    for m in _INLINE_CREDIT.finditer(text):
        start = m.start()
        while start > last and text[start - 1].isspace():
            start -= 1
        pieces.append(text[last:start])
        last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


@CLEANERS.register("bylines")
def strip_bylines(text: str) -> str:
    """Drop bylines and date stamps ("By Jane Doe, Political editor", "Published 3 hours ago").

    Only short lines are considered, so prose that starts with "By" is kept.

    Example:
        >>> strip_bylines("By Jane Doe, BBC News\\nPublished 2 hours ago\\nBy noon, rain fell.")
        'By noon, rain fell.'
    """
    v = _view(text)
    drop = set()
    for i in v.starting_with(_STARTS["bylines"]):
        s = v.short[i][0]
        if len(s) < 100 and not s.endswith((".", "!", "?")) and _BYLINE.match(s):
            drop.add(i)
    return v.without(drop) if drop else text


# A wire dateline opening the story: a place (and perhaps a date), the agency in brackets, a dash
# ("LONDON (Reuters) - ", "Hong Kong (CNN)Six people"), or an upper-case place and a dash ("WASHINGTON — ").
# An upper-case place and a colon opens the story in Indian and Pakistani papers ("NEW DELHI: The ...").
_DATELINE = re.compile(
    r"(?:[A-Z][\w.'’-]*(?:,? +[A-Z0-9][\w.'’-]*){0,5},? +)?"
    r"\((?P<agency>[A-Za-z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3})\)(?P<dash>\s*(?:--|[—–-])\s*)?"
    r"|[A-Z]{3,}(?:,? [A-Z][\w.'’-]*){0,4} (?:--|[—–]) (?=[A-Z\"“])"
    r"|(?P<colon>(?!(?:PUBLISHED|UPDATED|LAST UPDATED):)[A-Z]{3,}(?:[ -][A-Z]{2,}){0,2}: )(?=[A-Z\"“])"
)
# Agencies whose bracketed name opens a story without a dash ("Hong Kong (CNN) Six people were hurt").
_WIRES = frozenset(
    """cnn reuters ap afp upi bloomberg dpa xinhua pa ians pti ani apa sda kna epd efe ansa lusa tass yonhap kyodo
    bernama anp belga ntb pap ctk mti""".split()
)
_DATELINE_LINES = 3  # a dateline opens the story: only the first lines that are not blank are looked at


def _after_dateline(text: str, at: int) -> int:
    """Where the story starts after a dateline opening the line at `at` (`at` itself: it has none)."""
    m = _DATELINE.match(text, at)
    if m is None:
        return at
    end = m.end()
    agency = m.group("agency")
    if agency is not None and agency[0].islower() and agency.lower() not in _WIRES:
        return at  # "(dpa)" is a wire agency; "(spd)" a party
    if agency is not None and m.group("dash") is None:
        # "(CNN)Share": the agency glued to the story; "(CNN) Six": a wire agency, then the story
        blank = end
        while text[blank : blank + 1] == " ":
            blank += 1
        if blank > end and m.group("agency").lower() not in _WIRES:
            return at
        end = blank
    story = text[end : end + 200].split("\n", 1)[0]  # the start of the line's story
    opens = story[:1].isupper() or story[:1].isdigit() or story[:1] in ('"', "“")
    if m.group("colon") is not None:
        # "NEW DELHI: The government ... ." is a lede's dateline; "NHS: Waiting lists at record high" a headline's
        # label, which stays
        nl = text.find("\n", end)
        opens = opens and not looks_like_headline(text[end : nl if nl >= 0 else len(text)])
    return end if opens and len(story.split()) >= 4 else at


@CLEANERS.register("datelines")
def strip_datelines(text: str) -> str:
    """Take a wire dateline off the start of the story: a brief opens with the news, not "(CNN) --".

    Only the first lines are looked at, and only a dateline the story follows with a capital;
    "Apple (AAPL) shares rose" keeps its bracket.

    Example:
        >>> strip_datelines("LONDON (Reuters) - Oil prices rose on Monday after the talks.")
        'Oil prices rose on Monday after the talks.'
    """
    at, seen = 0, 0
    while seen < _DATELINE_LINES and at < len(text):
        while text[at : at + 1] in (" ", "\n"):
            at += 1
        end = _after_dateline(text, at)
        if end > at:
            return text[:at] + text[end:]
        seen += 1
        nl = text.find("\n", at)
        if nl < 0:
            break
        at = nl + 1
    return text


#: The steps `clean()` runs, in order. Whitespace runs last so dropped lines leave no gaps.
DEFAULT_STEPS = (
    *("unicode", "line_stops", "comments", "related", "share", "notices", "credits", "bylines", "datelines"),
    "whitespace",
)


def clean(text: str, *, steps: Iterable[str] = DEFAULT_STEPS, skip: Iterable[str] = ()) -> str:
    """Run the named cleaning steps in order, leaving out those in `skip`.

    Example:
        >>> clean("Story one.\\n\\nShare this article\\n\\nComments\\nFirst!")
        'Story one.'
    """
    skipped = set(skip)
    for name in skipped:
        CLEANERS.get(name)  # an unknown name is an error, not a silent no-op
    for name in steps:
        if name not in skipped:
            text = CLEANERS.get(name)(text)
    return text


_HEADLINE_END = re.compile(rf"[.;,:。；，：{SPACED_STOPS}]$")


def looks_like_headline(line: str) -> bool:
    """Whether a line reads like a headline: short, capitalised (or in a script without capitals), no full stop.

    Example:
        >>> looks_like_headline("Ad sales boost Time Warner profit")
        True
        >>> looks_like_headline("Quarterly profits at US media giant TimeWarner jumped 76%.")
        False
        >>> looks_like_headline("东京地铁新线开通"), looks_like_headline("东京都周一宣布，新线路开通。")
        (True, False)
    """
    s = line.strip()
    words = s.split()
    return (
        0 < len(words) <= 22
        and len(s) <= 160
        and (s[0].isupper() or s[0].isdigit() or s[0] in "\"'‘“「" or (s[0].isalpha() and s[0].lower() == s[0].upper()))
        and not _HEADLINE_END.search(s)
    )


def split_title(text: str) -> tuple[str, str]:
    """Take the first line as the title when it looks like a headline.

    Returns `(title, body)`; the title is "" when the first line is prose.

    Example:
        >>> split_title("Oil prices climb\\n\\nBrent rose 2%.")
        ('Oil prices climb', 'Brent rose 2%.')
    """
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    if rest.strip() and looks_like_headline(first):
        return first.strip(), rest.strip()
    return "", text.strip()
