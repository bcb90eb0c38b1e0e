"""RSS and Atom feeds to the articles they list, through feedparser.

A feed (a URL that answers with one, or a saved `.rss`/`.atom`/`.xml` file) becomes its items'
links, in feed order, each with what the feed says of it (title, authors, published date, the
feed's site name), which an article page's own metadata then completes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import strip_controls

#: Most items read from one feed.
MAX_ITEMS = 10_000


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: its link and the metadata the feed gives."""

    url: str
    meta: dict[str, Any] = field(default_factory=dict)


def feed_items(data: bytes, source: str, *, base: str | None = None) -> list[FeedItem]:
    """The linked items of an RSS/Atom feed, in feed order; `InputError` when it is not a feed or lists none.

    Example:
        >>> rss = b'''<rss version="2.0"><channel><title>Gazette</title>
        ... <item><title>Rates held</title><link>https://example.org/rates</link>
        ... <pubDate>Thu, 02 May 2024 10:00:00 GMT</pubDate></item></channel></rss>'''
        >>> [(i.url, i.meta["title"], i.meta["site"]) for i in feed_items(rss, "feed.xml")]
        [('https://example.org/rates', 'Rates held', 'Gazette')]
    """
    import feedparser

    try:
        parsed = feedparser.parse(data, response_headers={"content-location": base} if base else None)
    except Exception as e:  # feedparser is lenient; anything it still raises is a broken feed
        raise InputError(f"{source}: not a readable RSS or Atom feed ({describe(e)})") from e
    entries = list(parsed.get("entries") or [])
    if not entries and not parsed.get("version"):
        raise InputError(f"{source}: not an RSS or Atom feed")
    site = _text(parsed.get("feed", {}).get("title"))
    items: list[FeedItem] = []
    for entry in entries[:MAX_ITEMS]:
        link = _text(entry.get("link"))
        if not link.lower().startswith(("http://", "https://")):
            continue
        meta = {
            "title": _text(entry.get("title")),
            "author": _text(entry.get("author")),
            "published": _text(entry.get("published") or entry.get("updated")),
            "site": site,
            "feed": base or source,
        }
        items.append(FeedItem(link, {k: v for k, v in meta.items() if v}))
    if not items:
        raise InputError(f"{source}: the feed lists no article links")
    return items


def _text(value: Any) -> str:
    return " ".join(strip_controls(value).split())[:1000] if isinstance(value, str) else ""
