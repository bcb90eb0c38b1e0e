"""Web pages and news feeds: a URL (or a saved feed file) to the articles it holds.

A URL that answers with an HTML page is one article (its id is the URL as given; its metadata
has the page's own URL after redirects); one that answers with an RSS/Atom feed or a sitemap is
the articles its items link to, in order, each with the feed's metadata for it (a sitemap index:
the articles of each sitemap it lists). Anything that cannot be fetched or read is one failure
naming the URL and the reason.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import READ_ERRORS, bounded_read, decode
from nlpkit.io.feeds import FeedItem, Listing, feed_items
from nlpkit.io.html import decode_page
from nlpkit.io.paths import shown
from nlpkit.io.readers.base import Fields, Record, make_article, open_input
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
        pdf = (
            "; nlpkit does not read PDF: save it and convert it to text (pdftotext)"
            if "pdf" in page.content_type
            else ""
        )
        return Failure(
            source=source,
            id=id_,
            error=f"{source}: not an article page (content type {page.content_type or 'unknown'}){pdf}",
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


def content_page(item: FeedItem) -> Page | None:
    """The article a feed item carries (`FeedItem.content`) as the page it links to would be read; None when the
    item carries none, and its page is to be fetched."""
    if not item.content:
        return None
    title = html.escape(str(item.meta.get("title", "")))
    body = f"<html><head><title>{title}</title></head><body><article>{item.content}</article></body></html>"
    ctype = "text/html; charset=utf-8"
    return Page(item.url, item.url, 200, ctype, "utf-8", body.encode("utf-8", "replace"))


def item_record(fetcher: Fetcher, item: FeedItem) -> Record:
    """The article a feed or sitemap item links to: the one it carries, or its page fetched."""
    page = content_page(item)
    return fetch_record(fetcher, item.url, item.meta) if page is None else page_record(page, item.url, dict(item.meta))


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
    for item in listed_items(page.body, url, fetcher, base=page.final_url):
        yield item if isinstance(item, Failure) else item_record(fetcher, item)


def listed_items(
    data: bytes, source: str, fetcher: Fetcher, *, base: str | None = None
) -> Iterator[FeedItem | Failure]:
    """The article links of a feed or sitemap, in order; a sitemap index's sitemaps are fetched and read in turn.

    A feed that cannot be read is one failure; so is each sitemap of an index that cannot be
    fetched or read (the others are still read). An index inside an index is not followed.
    """
    try:
        listing = feed_items(data, source, base=base)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    for item in listing.items:
        if not item.sitemap:
            yield item
            continue
        try:
            page = fetcher.fetch(item.url)
            children = feed_items(page.body, item.url, base=page.final_url)
        except InputError as e:
            yield Failure(source=item.url, id=item.url, error=str(e))
            continue
        for child in children.items:
            if child.sitemap:
                error = f"{child.url}: a sitemap index listed by a sitemap index ({item.url}); not followed"
                yield Failure(source=child.url, id=child.url, error=error)
            else:
                yield child
        yield from _left_out(item.url, children)
    yield from _left_out(source, listing)


def _left_out(source: str, listing: Listing) -> Iterator[Failure]:
    """One failure for the items of a feed or sitemap past the cap, which are not read, and one for its items with
    neither a link nor their article."""
    if listing.unlinked:
        items = "1 item has" if listing.unlinked == 1 else f"{listing.unlinked:,} items have"
        error = f"{source}: {items} no link to an article, nor the article itself; not read"
        yield Failure(source=source, id=source, error=error)
    if listing.left_out:
        error = (
            f"{source}: {listing.left_out:,} more items than the {len(listing.items):,} read (the most nlpkit reads "
            "from one feed or sitemap); split it"
        )
        yield Failure(source=source, id=source, error=error)


def feed_file_items(path: Path, fmt: str, fetcher: Fetcher) -> Iterator[FeedItem | Failure]:
    """`listed_items` of a saved feed or sitemap file (`fmt`: `feed`, or compressed, `feed.gz` ...)."""
    source = shown(path)
    try:
        with open_input(path, fmt) as f:
            data = bounded_read(f, source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    except READ_ERRORS as e:
        yield Failure(source=source, id=source, error=f"{source}: {describe(e)}")
        return
    yield from listed_items(data, source, fetcher)


def read_feed_file(path: Path, fmt: str, fields: Fields, fetcher: Fetcher) -> Iterator[Record]:
    """The articles a saved feed or sitemap file links to, fetched one by one."""
    for item in feed_file_items(path, fmt, fetcher):
        yield item if isinstance(item, Failure) else item_record(fetcher, item)
