"""HTML pages to articles: the main text and the page's metadata, through trafilatura.

trafilatura's public `extract(..., output_format="json", with_metadata=True)` gives the main
text with the title, authors, date, site name and the page's own URL; a page whose main text it
cannot find falls back to its plain-text rendering of the whole page (`html2txt`), with a
warning. A page's bytes are decoded by the charset its HTTP headers or its own `<meta>` tag
declare, else sniffed (`nlpkit.io.decoding`).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from nlpkit.errors import InputError
from nlpkit.io.decoding import decode, strip_controls

#: Metadata keys an article may carry, in the order records show them.
META_FIELDS = ("url", "author", "published", "site", "language")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANG = re.compile(r"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)


def charset_of(data: bytes, declared: str | None = None) -> str | None:
    """The charset a page declares: in its HTTP header (`declared`), else in a `<meta>` tag near its start."""
    found = [m.decode("ascii", "ignore") for m in _META_CHARSET.findall(data[:8192])]
    for name in (declared, *found):
        if name and _codec_exists(name.strip()):
            return name.strip().lower()
    return None


def _codec_exists(name: str) -> bool:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def decode_page(data: bytes, source: str, declared: str | None = None) -> tuple[str, str | None]:
    """A page's text, by its declared charset (header, then `<meta>`), else sniffed; `(text, warning)`."""
    charset = charset_of(data, declared)
    if charset and charset.replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return strip_controls(data.decode(charset)), None
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration was wrong: sniff instead
    return decode(data, source)


def extract_page(html: str, source: str, meta: dict[str, Any], *, url: str | None = None) -> tuple[str, str]:
    """An HTML page's (title, main text), its metadata added to `meta`; the whole page's text when no main
    text is found (with a warning in `meta`); `InputError` when the page holds no text at all.

    Example:
        >>> page = "<html><head><title>Rates held</title></head><body><article><h1>Rates held</h1>"
        >>> page += "<p>The central bank kept its main interest rate at 5% on Thursday, as expected.</p>"
        >>> page += "<p>Markets had priced in no change for this meeting.</p></article></body></html>"
        >>> title, text = extract_page(page, "x", {})
        >>> title, text.split(".")[0]
        ('Rates held', 'The central bank kept its main interest rate at 5% on Thursday, as expected')
    """
    import trafilatura

    found: dict[str, Any] = {}
    try:
        out = trafilatura.extract(
            html, url=url, output_format="json", with_metadata=True, include_comments=False, include_tables=False
        )
        found = json.loads(out) if out else {}
    except (RecursionError, ValueError, TypeError):  # pathologically nested or broken markup
        found = {}
    body = str(found.get("text") or "").strip()
    title = " ".join(str(found.get("title") or "").split())
    if not body:
        body = _whole_page_text(html)
        if body:
            meta.setdefault("warnings", []).append(f"{source}: no main text found; read the page's whole text")
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    text = strip_controls("\n\n".join(lines))
    if not text.strip():
        raise InputError(f"{source}: no article text found in the HTML page")
    _page_meta(found, html, meta, url)
    return strip_controls(title), text


def _whole_page_text(html: str) -> str:
    """The whole page's text: trafilatura's own rendering, or, for markup too deep for lxml (which stops
    at 256 levels), the standard library's streaming HTML parser."""
    import trafilatura

    try:
        text = str(trafilatura.html2txt(html) or "").strip()
    except (RecursionError, ValueError, TypeError):
        text = ""
    if text:
        return text
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it read
        pass
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextCollector(HTMLParser):
    """Text of a page at any depth: script and style skipped, block elements on lines of their own."""

    BLOCKS = frozenset("p div br h1 h2 h3 h4 h5 h6 li tr article section blockquote header footer title".split())
    HIDDEN = frozenset("script style noscript template svg".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _page_meta(found: dict[str, Any], html: str, meta: dict[str, Any], url: str | None) -> None:
    """The page's metadata into `meta`, keeping what the caller knew first (a feed entry's date, say)."""
    values = {
        "url": found.get("source") or url,
        "author": found.get("author"),
        "published": found.get("date"),
        "site": found.get("source-hostname") or found.get("hostname"),
        "language": found.get("language") or _declared_language(html),
    }
    for key, value in values.items():
        if isinstance(value, str) and value.strip() and not meta.get(key):
            meta[key] = " ".join(strip_controls(value).split())[:500]


def _declared_language(html: str) -> str | None:
    m = _LANG.search(html[:4096])
    return m.group(1).lower() if m else None
