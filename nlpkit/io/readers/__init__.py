"""Readers: turn paths, folders, globs, archives and stdin into a stream of articles.

Every reader yields `Article` or, for a record it cannot read, `Failure`, so one bad line
or member never stops the rest. Nothing is loaded whole: JSONL/CSV are read line by line,
Parquet by row group, archives member by member. Bytes become text in `io.decoding` (caps,
encodings, bombs); which files an input names is `io.paths`'s business.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nlpkit.errors import InputError, UsageError, describe
from nlpkit.io.decoding import csv_delimiter
from nlpkit.io.paths import STDIN_FORMATS, detect_format, expand_inputs, not_a_regular_file, shown, split_format
from nlpkit.io.readers.archives import member_problem, zip_entries, zip_member_records
from nlpkit.io.readers.base import (
    READERS,
    Fields,
    Record,
    make_article,
    open_input,
    read_bytes,
    read_stream,
    stream_failure,
)
from nlpkit.io.readers.pages import page_article
from nlpkit.io.readers.rows import check_jsonl_head, jsonl_lines, jsonl_record, record_to_article
from nlpkit.types import Article, Failure

if TYPE_CHECKING:  # the web is imported when an input names a URL or a feed
    from nlpkit.io.web import Fetcher

__all__ = [
    "READERS",
    "Article",
    "Failure",
    "Fields",
    "Record",
    "check_jsonl_head",
    "jsonl_lines",
    "jsonl_record",
    "make_article",
    "member_problem",
    "open_input",
    "page_article",
    "read_articles",
    "read_bytes",
    "read_path",
    "read_stdin",
    "read_stream",
    "record_to_article",
    "sniff_stdin",
    "stream_failure",
    "zip_entries",
    "zip_member_records",
]


def _fetcher(web: Fetcher | Callable[[], Fetcher] | None) -> Fetcher:
    """The fetcher given, or made now by the function given (so reading local files never imports the web)."""
    from nlpkit.io.web import Fetcher

    if web is None:
        return Fetcher()
    return web if isinstance(web, Fetcher) else web()


def read_path(
    path: Path, fields: Fields, fmt: str | None = None, fetcher: Fetcher | Callable[[], Fetcher] | None = None
) -> Iterator[Record]:
    """The records of one file, failures included (a saved feed's items are fetched with `fetcher`)."""
    source = shown(path)
    try:
        fmt = fmt or detect_format(source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    problem = not_a_regular_file(path)
    if problem:
        yield Failure(source=source, id=source, error=problem)
        return
    if split_format(fmt)[0] == "feed":
        from nlpkit.io.readers.urls import read_feed_file

        yield from read_feed_file(path, fmt, fields, _fetcher(fetcher))
        return
    try:
        with open_input(path, fmt) as stream:
            yield from read_stream(stream, source, fmt, fields)
    except PermissionError:
        yield Failure(source=source, id=source, error=f"{source}: permission denied")
    except OSError as e:
        yield Failure(source=source, id=source, error=f"{source}: cannot be read ({describe(e)})")


def read_articles(
    inputs: str | Iterable[str],
    *,
    fields: Fields | None = None,
    stdin_format: str = "auto",
    follow_links: bool = False,
    fetcher: Fetcher | Callable[[], Fetcher] | None = None,
) -> Iterator[Record]:
    """Stream articles (and failures) from files, folders, globs, archives, URLs, news feeds and `-` (stdin).

    URLs and feeds are fetched with `fetcher` (default: robots.txt obeyed, no cache; see `nlpkit.io.web`), or
    with the one a function given as `fetcher` makes when the first URL or feed comes. `-` is read as
    `stdin_format` (`read_stdin`; `auto` by default: JSONL, JSON or HTML when it starts like one).

    Example:
        >>> from pathlib import Path; import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "a.jsonl"
        >>> _ = p.write_text('{"id": "1", "text": "Oil rose."}\\nnot json\\n')
        >>> [type(r).__name__ for r in read_articles(str(p))]
        ['Article', 'Failure']
    """
    fields = fields or Fields()
    if isinstance(inputs, str):
        inputs = [inputs]
    for item in expand_inputs(inputs, follow_links=follow_links):
        if isinstance(item, Failure):
            yield item
        elif item == "-":
            yield from read_stdin(fields, stdin_format)
        elif isinstance(item, str):  # a web page or feed
            from nlpkit.io.readers.urls import read_url

            fetcher = _fetcher(fetcher)  # made once, for every page after this one too
            yield from read_url(item, fields, fetcher)
        else:
            yield from read_path(item, fields, fetcher=fetcher)


_HEADER_CELL = re.compile(r"[A-Za-z_][\w .-]{0,39}")


def _table_header(line: bytes, text_field: str) -> str | None:
    """`tsv` or `csv` when `line` is a table's header: names cut by its delimiter (`csv_delimiter`, as every CSV
    nlpkit reads), one of them `text_field`."""
    head = line.decode("utf-8", "replace")
    sep = csv_delimiter(head)
    cells = [c.strip() for c in next(csv.reader([head], delimiter=sep), [])]
    if len(cells) >= 2 and text_field in cells and all(_HEADER_CELL.fullmatch(c) for c in cells):
        return "tsv" if sep == "\t" else "csv"
    return None


def sniff_stdin(first_line: bytes, text_field: str = "text") -> str:
    """What `auto` reads standard input as, from its first line: JSONL when it opens a JSON object with its first
    key, JSON when an object or an array opens alone on it (`jq .`'s way) or an array of objects opens, HTML with
    a doctype or `<html>`, an e-mail with a header that only mail has (a mail filter piping one in), CSV or TSV
    when it is a table's header naming `text_field` (`id,title,text`), else one text article.

    Example:
        >>> [sniff_stdin(b) for b in (b'{"id": "1", "text": "Oil rose."}', b"{", b'[{"text": "Oil rose."}]')]
        ['jsonl', 'json', 'json']
        >>> [sniff_stdin(b) for b in (b"[Updated] Oil rose.", b"<!DOCTYPE html>", b"{Oil} rose.")]
        ['txt', 'html', 'txt']
        >>> [sniff_stdin(b) for b in (b"Return-Path: <brief@example.org>", b"From: our correspondent in Rome")]
        ['eml', 'txt']
        >>> [sniff_stdin(b) for b in (b"id,title,text", b"id\\ttext", b'"id";"text"', b"Oil, gas and text prices")]
        ['csv', 'tsv', 'csv', 'txt']
    """
    line = first_line.removeprefix(b"\xef\xbb\xbf").strip()
    if re.match(rb'\{\s*"', line):
        return "jsonl"
    if re.fullmatch(rb"[{\[]|\[\s*\{.*", line):
        return "json"
    if re.match(rb"<(?:!doctype\s+html|html\b)", line, re.IGNORECASE):
        return "html"
    if re.match(rb"(?:Return-Path|Received|Delivered-To|X-Original-To|Message-ID|MIME-Version):", line, re.I):
        return "eml"
    return _table_header(line, text_field) or "txt"


class _Prefixed(io.RawIOBase):
    """A stream that gives `head` and then the rest of `rest`: standard input after its first line was read."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        read = getattr(self._rest, "read1", self._rest.read)
        data = read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_stdin(fields: Fields, fmt: str = "auto") -> Iterator[Record]:
    """The records on standard input: as `fmt` (one of `STDIN_FORMATS`; `auto`: by `sniff_stdin` on its first
    line, which is waited for whole however slowly it comes)."""
    if fmt not in STDIN_FORMATS:
        raise UsageError(f"standard input as {fmt!r}: use one of {', '.join(STDIN_FORMATS)}")
    if sys.stdin is None:  # started with standard input closed (`<&-`)
        yield Failure(source="<stdin>", id="stdin", error="<stdin>: standard input is closed; pipe the articles in")
        return
    stream: IO[bytes] = sys.stdin.buffer
    if fmt == "auto":
        first = stream.readline(1 << 16)
        fmt = sniff_stdin(first, fields.text)
        stream = io.BufferedReader(_Prefixed(first, stream))
    for rec in read_stream(stream, "<stdin>", fmt, fields):
        yield replace(rec, id="stdin") if isinstance(rec, Article) and rec.id == "<stdin>" else rec
