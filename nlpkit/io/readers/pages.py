"""Plain text, Markdown and HTML files: one article each (Markdown without its markup, HTML reduced to its main
text and metadata)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import IO, Any

from nlpkit.errors import InputError
from nlpkit.io.decoding import bounded_read
from nlpkit.io.readers.base import READERS, Fields, Record, make_article, read_whole
from nlpkit.types import Failure


def _read_text(stream: IO[bytes], source: str, fields: Fields, *, markdown: bool = False) -> Iterator[Record]:
    """The file as one article: as written, or (`markdown`) without its markup and with its headline."""
    try:
        text, warning = read_whole(stream, source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    title = ""
    if markdown:
        from nlpkit.io.markdown import markdown_article  # with its parser, when a Markdown file is read

        headline, body = markdown_article(text)
        if body.strip():  # else nothing outside raw HTML, code or images: the file as plain text, not empty
            title, text = headline, body
    meta: dict[str, Any] = {"warnings": [warning]} if warning else {}
    yield make_article(source, title, text, source, meta)


def page_article(html: str, id_: str, source: str, meta: dict[str, Any], url: str | None = None) -> Record:
    """An HTML page as an article (main text, title, metadata), or a failure saying why not."""
    from nlpkit.io.html import extract_page  # with its parser, when a page is read (not for plain text)

    try:
        title, text = extract_page(html, source, meta, url=url)
    except InputError as e:
        return Failure(source=source, id=id_, error=str(e))
    return make_article(id_, title, text, source, meta)


def _read_html(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    from nlpkit.io.html import decode_page

    try:
        html, warning = decode_page(bounded_read(stream, source), source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    yield page_article(html, source, source, {"warnings": [warning]} if warning else {})


READERS.add("txt", _read_text)
READERS.add("md", functools.partial(_read_text, markdown=True))
READERS.add("html", _read_html)
