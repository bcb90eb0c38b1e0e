"""Plain text, Markdown and HTML files, pages saved as one file (MHTML), e-mails (a newsletter's `.eml`) and Word
documents: one article each (Markdown without its markup, HTML reduced to its main text and metadata)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import bounded_read, sniff_encoding
from nlpkit.io.paths import UNREAD, unread_document
from nlpkit.io.readers.base import READERS, Fields, Record, make_article, read_whole
from nlpkit.types import Failure

#: A text file that is only web addresses, one a line (and `#` comments): the list `--urls` reads, not an article.
_URL_LIST = re.compile(r"\s*(?:(?:https?://\S+|#[^\n]*)\s*\n\s*)*https?://\S+\s*", re.IGNORECASE)


def _one_article(read: Callable[..., Record]) -> Callable[..., Iterator[Record]]:
    """A reader of a file that is one article: `read(stream, source, **options)` returns it (or a `Failure`), and
    an `InputError` it raises is the file's one failure."""

    @functools.wraps(read)
    def reader(stream: IO[bytes], source: str, fields: Fields, **options: Any) -> Iterator[Record]:
        try:
            record = read(stream, source, **options)
        except InputError as e:
            record = Failure(source=source, id=source, error=str(e))
        yield record

    return reader


@_one_article
def _read_text(stream: IO[bytes], source: str, *, markdown: bool = False) -> Record:
    """The file as one article: as written, or (`markdown`) without its markup and with its headline."""
    text, warning = read_whole(stream, source)
    if not markdown and _URL_LIST.fullmatch(text):
        raise InputError(
            f"{source}: a list of web addresses, not an article; to read the pages they name, give it as "
            f"--urls {source} (in Python, its lines to nlpkit.read_articles)"
        )
    title = ""
    if markdown:
        from nlpkit.io.markdown import markdown_article  # with its parser, when a Markdown file is read

        headline, body = markdown_article(text)
        if body.strip():  # else nothing outside raw HTML, code or images: the file as plain text, not empty
            title, text = headline, body
    meta: dict[str, Any] = {"warnings": [warning]} if warning else {}
    return make_article(source, title, text, source, meta)


def page_article(html: str, id_: str, source: str, meta: dict[str, Any], url: str | None = None) -> Record:
    """An HTML page as an article (main text, title, metadata), or a failure saying why not."""
    from nlpkit.io.html import extract_page  # with its parser, when a page is read (not for plain text)

    try:
        title, text = extract_page(html, source, meta, url=url)
    except InputError as e:
        return Failure(source=source, id=id_, error=str(e))
    return make_article(id_, title, text, source, meta)


@_one_article
def _read_html(stream: IO[bytes], source: str) -> Record:
    from nlpkit.io.html import decode_page

    html, warning = decode_page(bounded_read(stream, source), source)
    return page_article(html, source, source, {"warnings": [warning]} if warning else {})


#: Most parts of a saved page or e-mail that are parsed: a saved page has one part per image, style sheet or
#: frame, and the parser takes about 0.1 ms a part (300,000 empty parts, 2 MB, took 40 s).
MAX_MIME_PARTS = 20_000


@_one_article
def _read_mime(stream: IO[bytes], source: str, *, mail: bool = False) -> Record:
    """A page a browser saved as one file (MHTML: `.mhtml`, `.mht`) or an e-mail (`mail`: `.eml`, a newsletter).

    Its HTML part is read as a page (its plain-text part when it has none). A saved page keeps the
    address it was saved from as its `url`; an e-mail gives its subject as the headline when the HTML
    has none, its sender as `author` and its date as `published`.
    """
    import email
    import email.policy
    from email.message import EmailMessage

    from nlpkit.io.html import decode_page

    data = bounded_read(stream, source)
    sniff_encoding(data[:8192], source)  # binary data is refused here, as for any text file
    parts = data.count(b"\n--")  # each part opens with a boundary line; the parser takes 0.1 ms and 0.4 KB a part
    if parts > MAX_MIME_PARTS:
        raise InputError(f"{source}: a MIME message of about {parts:,} parts, over the {MAX_MIME_PARTS:,} nlpkit reads")
    try:
        message = cast(EmailMessage, email.message_from_bytes(data, policy=email.policy.default))
        part = message.get_body(preferencelist=("html", "plain"))
        payload = part.get_payload(decode=True) if part is not None else None
    except (ValueError, LookupError, RecursionError, AttributeError) as e:  # what a broken MIME message raises
        raise InputError(f"{source}: not a readable MIME message ({describe(e)})") from e
    if part is None or not isinstance(payload, bytes):
        kind = "e-mail" if mail else "saved page (MHTML)"
        raise InputError(f"{source}: a {kind} with no HTML or text part")
    subject = " ".join(str(message.get("Subject", "")).split())
    url = str(message.get("Snapshot-Content-Location") or part.get("Content-Location") or "") or None
    meta: dict[str, Any] = {"url": url} if url else {}
    if mail:
        meta |= {k: str(message[h]) for k, h in (("author", "From"), ("published", "Date")) if message.get(h)}
    text, warning = decode_page(payload, source, part.get_content_charset())
    if warning:
        meta["warnings"] = [warning]
    if part.get_content_subtype() != "html":
        return make_article(source, subject, text, source, meta)
    record = page_article(text, source, source, meta, url=url)
    if isinstance(record, Failure) or record.title or not subject:
        return record
    return make_article(source, subject, record.text, source, record.meta)


@_one_article
def _read_docx(stream: IO[bytes], source: str) -> Record:
    """A Word document (`.docx`) as one article: its body's paragraphs, a Title or Heading 1 first its headline."""
    from nlpkit.io.docx import docx_article

    title, text = docx_article(bounded_read(stream, source), source)
    return make_article(source, title, text, source, {})


@_one_article
def _read_unread(stream: IO[bytes], source: str) -> Record:
    """A document nlpkit does not read (`nlpkit.io.paths.UNREAD`: a PDF, an old Word file): one failure that says
    what to do with it, wherever it was found (an input, a folder), its bytes left unread."""
    raise InputError(f"{source}: {unread_document(source)}")


READERS.add("txt", _read_text)
READERS.add("md", functools.partial(_read_text, markdown=True))
READERS.add("html", _read_html)
READERS.add("mhtml", _read_mime)
READERS.add("eml", functools.partial(_read_mime, mail=True))
READERS.add("docx", _read_docx)
READERS.add(UNREAD, _read_unread)
