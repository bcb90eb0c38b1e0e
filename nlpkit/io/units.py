"""Work units: the inputs of a batch job cut into pieces a worker can read and parse by itself.

The process that plans the job only lists files, reads JSONL lines as bytes and lists zip
members; parsing (JSON, HTML, decoding) happens where the unit is scored, so it runs in
parallel. Formats that cannot be cut cheaply (CSV, Parquet, tar, WARC, stdin) are parsed by
the planner and travel as records. Whatever the unit, its records are exactly those
`read_articles` gives for the same inputs, in the same order.
"""

from __future__ import annotations

import io
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, Protocol

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import READ_ERRORS
from nlpkit.io.feeds import FeedItem
from nlpkit.io.paths import (
    ONE_ARTICLE_FORMATS,
    detect_format,
    expand_inputs,
    format_of,
    is_url,
    not_a_regular_file,
    shown,
    split_format,
)
from nlpkit.io.readers import (
    Fields,
    Record,
    check_jsonl_head,
    jsonl_lines,
    jsonl_record,
    open_input,
    read_path,
    read_stdin,
    stream_failure,
    zip_entries,
    zip_member_records,
)
from nlpkit.io.readers.urls import content_page, feed_file_items, listed_items, page_record
from nlpkit.io.web import Fetcher, Page
from nlpkit.types import Failure


class Unit(Protocol):
    def records(self, fields: Fields) -> list[Record]: ...

    def count(self) -> int | None:
        """How many records the unit holds, when that is known without parsing it."""
        ...


@dataclass(frozen=True)
class Lines:
    """JSONL lines read by the planner (`None` for a line over the size cap), parsed by a worker."""

    source: str
    numbers: tuple[int, ...]
    lines: tuple[bytes | None, ...]

    def records(self, fields: Fields) -> list[Record]:
        return [
            jsonl_record(raw, f"{self.source}:{n}", fields) for n, raw in zip(self.numbers, self.lines, strict=True)
        ]

    def count(self) -> int:
        return len(self.lines)


@dataclass(frozen=True)
class LineRange:
    """Lines `first`... of a plain JSONL file, as the byte range [start, end), read and parsed by a worker."""

    path: str
    start: int
    end: int
    first: int

    def _lines(self) -> Iterator[tuple[int, bytes | None]]:
        with open(self.path, "rb") as f:
            f.seek(self.start)
            for n, raw in jsonl_lines(_Slice(f, self.end - self.start)):
                yield self.first + n - 1, raw

    def records(self, fields: Fields) -> list[Record]:
        return [jsonl_record(raw, f"{shown(self.path)}:{n}", fields) for n, raw in self._lines()]

    def count(self) -> int:
        return sum(1 for _ in self._lines())


class _Slice(io.RawIOBase):
    """The next `size` bytes of a file, as a stream of their own."""

    def __init__(self, f: IO[bytes], size: int) -> None:
        self._f = f
        self._left = size

    def readable(self) -> bool:
        return True

    def readline(self, limit: int | None = -1) -> bytes:
        if self._left <= 0:
            return b""
        cap = self._left if limit is None or limit < 0 else min(limit, self._left)
        line = self._f.readline(cap)
        self._left -= len(line)
        return line


@dataclass(frozen=True)
class Files:
    """Whole files (text, HTML, JSON, compressed or not) read and parsed by a worker."""

    paths: tuple[str, ...]

    def records(self, fields: Fields) -> list[Record]:
        return [rec for p in self.paths for rec in read_path(Path(p), fields)]

    def count(self) -> int | None:
        fmts = [detect_format(p) for p in self.paths]
        return len(fmts) if all(f in ONE_ARTICLE_FORMATS for f in fmts) else None


@dataclass(frozen=True)
class Members:
    """Members of a zip archive (by index), read and parsed by a worker."""

    archive: str
    indexes: tuple[int, ...]

    def records(self, fields: Fields) -> list[Record]:
        out: list[Record] = []
        try:
            with zipfile.ZipFile(self.archive) as zf:
                infos = zf.infolist()
                for i in self.indexes:
                    info = infos[i]
                    where = f"{shown(self.archive)}!{info.filename}"
                    out += zip_member_records(zf, info, where, detect_format(info.filename), fields)
        except (zipfile.BadZipFile, *READ_ERRORS) as e:
            name = shown(self.archive)
            out.append(Failure(source=name, id=name, error=f"{name}: {describe(e)}"))
        return out

    def count(self) -> int | None:
        return None


@dataclass(frozen=True)
class WebItem:
    """A URL to read as one article, with what is already known of it (from a feed), and once fetched
    its page (or why it could not be fetched)."""

    url: str
    meta: tuple[tuple[str, Any], ...] = ()
    page: Page | None = None
    error: str | None = None


@dataclass(frozen=True)
class WebPages:
    """Article URLs: fetched by the main process (`prefetch`, polite per host), parsed by a worker."""

    items: tuple[WebItem, ...]

    def records(self, fields: Fields) -> list[Record]:
        out: list[Record] = []
        for item in self.items:
            if item.error is not None or item.page is None:
                error = item.error or f"{item.url}: not fetched"
                out.append(Failure(source=item.url, id=item.url, error=error))
            else:
                out.append(page_record(item.page, item.url, dict(item.meta)))
        return out

    def count(self) -> int:
        return len(self.items)

    def split(self, n: int) -> tuple[str, WebPages]:
        """The id of record `n` and a unit of the records after it, without fetching anything."""
        return self.items[n - 1].url, WebPages(self.items[n:])

    def unfetched(self) -> bool:
        return any(item.page is None and item.error is None for item in self.items)


def prefetch(units: Iterable[Unit], fetcher: Fetcher, ahead: int = 2) -> Iterator[Unit]:
    """The units with their web pages fetched: up to `ahead` units' pages fetched at once on
    `fetcher.options.threads` threads (the fetcher keeps each host's limits), yielded in order."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=max(1, fetcher.options.threads), thread_name_prefix="nlpkit-fetch")
    pending: deque[tuple[Unit, list[Any] | None]] = deque()

    def resolve(unit: Unit, futures: list[Any] | None) -> Unit:
        if futures is None:
            return unit
        assert isinstance(unit, WebPages)
        return WebPages(
            tuple(f.result() if f is not None else item for item, f in zip(unit.items, futures, strict=True))
        )

    try:
        for unit in units:
            futures = None
            if isinstance(unit, WebPages) and unit.unfetched():
                futures = [
                    pool.submit(_fetched, fetcher, item) if item.page is None and item.error is None else None
                    for item in unit.items
                ]
            pending.append((unit, futures))
            while len(pending) > ahead:
                yield resolve(*pending.popleft())
        while pending:
            yield resolve(*pending.popleft())
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _fetched(fetcher: Fetcher, item: WebItem) -> WebItem:
    try:
        return replace(item, page=fetcher.fetch(item.url))
    except InputError as e:
        return replace(item, error=str(e))


@dataclass(frozen=True)
class Parsed:
    """Records the planner parsed itself (CSV, TSV, Parquet, tar, WARC, stdin, failures)."""

    items: tuple[Record, ...]

    def records(self, fields: Fields) -> list[Record]:
        return list(self.items)

    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class WebInputs:
    """Where a job's web pages come from: the fetcher, and a URL list read one article per line."""

    fetcher: Fetcher
    urls: tuple[str, ...] = ()


def plan_units(
    inputs: Iterable[str],
    fields: Fields,
    *,
    size: int = 256,
    follow_links: bool = False,
    exclude: Iterable[Path] = (),
    web: WebInputs | None = None,
    stdin_format: str = "auto",
) -> Iterator[Unit]:
    """Units of about `size` records each, in input order (a `web.urls` list after the other inputs); `-` is
    standard input, read as `stdin_format` (`nlpkit.io.readers.read_stdin`).

    Example:
        >>> units = list(plan_units(["data/articles.jsonl", "data/article.txt"], Fields(), size=2))
        >>> [type(u).__name__ for u in units], [len(u.records(Fields())) for u in units]
        (['LineRange', 'LineRange', 'LineRange', 'Files'], [2, 2, 1, 1])
    """
    files: list[str] = []
    web = web or WebInputs(Fetcher())
    for item in expand_inputs(inputs, follow_links=follow_links, exclude=exclude):
        fmt = _format(item)
        if fmt is not None and (fmt in ONE_ARTICLE_FORMATS or split_format(fmt)[0] == "json"):
            files.append(str(item))
            if len(files) >= size:
                yield Files(tuple(files))
                files = []
            continue
        if files:
            yield Files(tuple(files))
            files = []
        yield from _units_of(item, fmt, fields, size, web.fetcher, stdin_format)
    if files:
        yield Files(tuple(files))
    if web.urls:  # one article page per line, fetched when its unit's turn comes
        yield from _web_units((WebItem(url) for url in web.urls), size)


def _units_of(
    item: str | Path | Failure, fmt: str | None, fields: Fields, size: int, fetcher: Fetcher, stdin_format: str
) -> Iterator[Unit]:
    """The units of one input that is not a whole-file format."""
    kind = split_format(fmt)[0] if fmt is not None else None
    if isinstance(item, str) and is_url(item):  # a page or a feed, fetched now to tell which
        yield from _web_units(_url_items(item, fetcher), size)
    elif fmt is not None and kind == "feed":
        yield from _web_units(_web_items(feed_file_items(Path(str(item)), fmt, fetcher)), size)
    elif fmt == "jsonl":
        yield from _line_ranges(Path(str(item)), size)
    elif fmt is not None and kind == "jsonl":  # compressed: read through, line by line
        yield from _line_units(Path(str(item)), fmt, size)
    elif fmt == "zip":
        yield from _member_units(Path(str(item)), size)
    else:
        yield from _parsed_units(item, fields, size, stdin_format)


def _url_items(url: str, fetcher: Fetcher) -> Iterator[WebItem | Failure]:
    """The items of an input URL: itself (with its page), or each item of the feed it answers with."""
    try:
        page = fetcher.fetch(url)
    except InputError as e:
        yield Failure(source=url, id=url, error=str(e))
        return
    if page.kind != "feed":
        yield WebItem(url, page=page)
        return
    yield from _web_items(listed_items(page.body, url, fetcher, base=page.final_url))


def _web_items(items: Iterable[FeedItem | Failure]) -> Iterator[WebItem | Failure]:
    """The pages a feed or sitemap lists, to fetch when their unit's turn comes (an item that carries its article
    has it as its page already)."""
    for i in items:
        yield i if isinstance(i, Failure) else WebItem(i.url, tuple(i.meta.items()), page=content_page(i))


def _web_units(items: Iterable[WebItem | Failure], size: int) -> Iterator[Unit]:
    batch: list[WebItem] = []
    for item in items:
        if isinstance(item, Failure):
            if batch:
                yield WebPages(tuple(batch))
                batch = []
            yield Parsed((item,))
            continue
        batch.append(item)
        if len(batch) >= size:
            yield WebPages(tuple(batch))
            batch = []
    if batch:
        yield WebPages(tuple(batch))


def _format(item: str | Path | Failure) -> str | None:
    """The format of a regular file that can be cut into units, or None (read it as a whole)."""
    if not isinstance(item, Path) or not_a_regular_file(item):
        return None
    return format_of(str(item))


def _line_units(path: Path, fmt: str, size: int) -> Iterator[Unit]:
    numbers: list[int] = []
    lines: list[bytes | None] = []
    found = False
    try:
        with open_input(path, fmt) as stream:
            check_jsonl_head(stream, shown(path))
            for n, raw in jsonl_lines(stream):
                found = True
                numbers.append(n)
                lines.append(raw)
                if len(lines) >= size:
                    yield Lines(shown(path), tuple(numbers), tuple(lines))
                    numbers, lines = [], []
    except (InputError, *READ_ERRORS) as e:  # a damaged stream or a bomb: the lines before it are kept
        if lines:
            yield Lines(shown(path), tuple(numbers), tuple(lines))
            numbers, lines = [], []
        found = True
        yield _failure(path, e)
    if lines:
        yield Lines(shown(path), tuple(numbers), tuple(lines))
    if not found:
        yield _failure(path, None)


def _failure(path: Path, error: BaseException | None) -> Parsed:
    """A unit of one failure, worded as `read_stream` words it."""
    return Parsed((stream_failure(shown(path), error),))


def _line_ranges(path: Path, size: int, block: int = 1 << 20) -> Iterator[Unit]:
    """Byte ranges of about `size` lines each (blank lines included), found without parsing anything."""
    start = pos = 0
    first = line = 1
    in_range = 0
    found = False
    try:
        with path.open("rb") as f:
            check_jsonl_head(f, shown(path))
            while chunk := f.read(block):
                found = found or bool(chunk.strip())
                at = 0
                while (nl := chunk.find(b"\n", at)) >= 0:
                    at = nl + 1
                    line += 1
                    in_range += 1
                    if in_range >= size:
                        yield LineRange(str(path), start, pos + at, first)
                        start, first, in_range = pos + at, line, 0
                pos += len(chunk)
    except (InputError, OSError) as e:
        yield _failure(path, e)
        return
    if pos > start and found:
        yield LineRange(str(path), start, pos, first)
    if not found:
        yield _failure(path, None)


def _member_units(path: Path, size: int) -> Iterator[Unit]:
    try:
        with zipfile.ZipFile(path) as zf:
            indexes = [i for i, *_ in zip_entries(zf, shown(path))]
    except (zipfile.BadZipFile, *READ_ERRORS) as e:
        error = f"{shown(path)}: not a readable zip archive ({describe(e)})"
        yield Parsed((Failure(source=shown(path), id=shown(path), error=error),))
        return
    if not indexes:
        yield _failure(path, None)
    for i in range(0, len(indexes), size):
        yield Members(str(path), tuple(indexes[i : i + size]))


def _parsed_units(item: str | Path | Failure, fields: Fields, size: int, stdin_format: str) -> Iterator[Unit]:
    if isinstance(item, Failure):
        yield Parsed((item,))
        return
    records = read_stdin(fields, stdin_format) if item == "-" else read_path(Path(item), fields)
    batch: list[Record] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield Parsed(tuple(batch))
            batch = []
    if batch:
        yield Parsed(tuple(batch))
