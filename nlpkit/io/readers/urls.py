"""Web pages and news feeds: a URL (or a saved feed file) to the articles it holds.

A URL that answers with an HTML page is one article (its id is the URL as given; its metadata
has the page's own URL after redirects); one that answers with an RSS/Atom feed is the articles
its items link to, in feed order, each with the feed's metadata for it. Anything that cannot be
fetched or read is one failure naming the URL and the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlpkit.errors import InputError
from nlpkit.io.decoding import MAX_MEMBER_BYTES, decode
from nlpkit.io.feeds import FeedItem, feed_items
from nlpkit.io.html import decode_page
from nlpkit.io.paths import shown
from nlpkit.io.readers.base import Fields, Record, make_article
from nlpkit.io.readers.pages import page_article
from nlpkit.io.web import Fetcher, Page
from nlpkit.types import Failure


def page_record(page: Page, id_: str, meta: dict[str, Any]) -> Record:
    """The article of a fetched page (HTML or plain text), or a failure saying why it is none."""
    source = id_
    meta = {**meta, "url": meta.get("url") or page.final_url}
    kind = page.kind
    if kind == "feed":
        return Failure(
            source=source, id=id_, error=f"{source}: a news feed, not an article; give it as an input to read its items"
        )
    if kind not in ("html", "text"):
        return Failure(
            source=source,
            id=id_,
            error=f"{source}: not an article page (content type {page.content_type or 'unknown'})",
        )
    try:
        text, warning = decode_page(page.body, source, page.charset) if kind == "html" else decode(page.body, source)
    except InputError as e:
        return Failure(source=source, id=id_, error=str(e))
    if warning:
        meta.setdefault("warnings", []).append(warning)
    if kind == "text":
        return make_article(id_, str(meta.get("title", "")), text, source, meta)
    record = page_article(text, id_, source, meta, url=page.final_url)
    if isinstance(record, Failure) or record.title or not meta.get("title"):
        return record
    return make_article(id_, str(meta["title"]), record.text, source, record.meta)  # the feed's headline


def fetch_record(fetcher: Fetcher, url: str, meta: dict[str, Any] | None = None) -> Record:
    """The article at `url` (one page), or a failure."""
    try:
        page = fetcher.fetch(url)
    except InputError as e:
        return Failure(source=url, id=url, error=str(e))
    return page_record(page, url, dict(meta or {}))


def read_url(url: str, fields: Fields, fetcher: Fetcher) -> Iterator[Record]:
    """The articles of one URL: the page itself, or each item of the feed it answers with."""
    try:
        page = fetcher.fetch(url)
    except InputError as e:
        yield Failure(source=url, id=url, error=str(e))
        return
    if page.kind != "feed":
        yield page_record(page, url, {})
        return
    try:
        items = feed_items(page.body, url, base=page.final_url)
    except InputError as e:
        yield Failure(source=url, id=url, error=str(e))
        return
    for item in items:
        yield fetch_record(fetcher, item.url, item.meta)


def feed_file_items(path: Path) -> list[FeedItem]:
    """The items of a saved RSS/Atom file; `InputError` when it is not one."""
    with path.open("rb") as f:
        data = f.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{shown(path)}: larger than the {MAX_MEMBER_BYTES:,} byte limit for one file")
    return feed_items(data, shown(path))


def read_feed_file(path: Path, fields: Fields, fetcher: Fetcher) -> Iterator[Record]:
    """The articles a saved feed file links to, fetched one by one."""
    try:
        items = feed_file_items(path)
    except (InputError, OSError) as e:
        source = shown(path)
        yield Failure(source=source, id=source, error=str(e) if isinstance(e, InputError) else f"{source}: {e}")
        return
    for item in items:
        yield fetch_record(fetcher, item.url, item.meta)
