"""RSS and Atom feeds (through feedparser) and sitemaps to the articles they list.

A feed (a URL that answers with one, or a saved `.rss`/`.atom`/`.xml` file) becomes its items'
links, in feed order, each with what the feed says of it (title, authors, published date, the feed's
site name), which an article page's own metadata then completes; an item that carries its whole
article is read from the feed, not fetched. A sitemap (`<urlset>`, with Google News' title, date,
language and publication where it has them) is read the same way; a sitemap index lists sitemaps
(`FeedItem.sitemap`), which the reader fetches and reads in turn. Gzipped sitemaps
(`sitemap.xml.gz`) are inflated under the bomb guard.
"""

from __future__ import annotations

import html
import io
import re
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urljoin

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import GZIP_MAGIC, READ_ERRORS, bounded_read, decompress, strip_controls
from nlpkit.io.paths import is_url
from nlpkit.io.xmlsafe import local_name, refuse_declarations

#: Most items read from one feed.
MAX_ITEMS = 10_000
#: Most links read from one sitemap: the sitemaps protocol's own limit.
MAX_SITEMAP_URLS = 50_000
#: Fewest words in a feed item's own content for it to be read as the article (a shorter one is a teaser, and
#: the page is fetched, as it is for one that says it stops short). A feed's description is never read as the
#: article: it is the teaser's place.
MIN_CONTENT_WORDS = 100
_TAG = re.compile(r"<[^>]*>")
#: How a feed says its content stops short of the article ("... Continue reading", "[…]", "Read more"): then the
#: page is fetched, however long the content.
_CUT_SHORT = re.compile(r"(?i)(continue reading|read more|read the (?:full|rest)|keep reading|\[(?:…|\.\.\.)\])\W*$")


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: its link and the metadata the feed gives."""

    url: str
    meta: dict[str, Any] = field(default_factory=dict)
    #: A sitemap that a sitemap index lists (to fetch and read), not an article.
    sitemap: bool = False
    #: The article itself as HTML, when the feed carries it (`content:encoded`, Atom `<content>`): read, not fetched.
    content: str = ""


class Listing(NamedTuple):
    """What a feed or sitemap lists: its items, how many more it has past the cap, and how many items have
    neither a link nor their article (neither is read)."""

    items: list[FeedItem]
    left_out: int = 0
    unlinked: int = 0


#: Root tags of the documents that list articles: RSS, Atom and RDF feeds; sitemaps and sitemap indexes.
FEED_TAGS = (b"<rss", b"<feed", b"<rdf:rdf")
SITEMAP_TAGS = (b"<urlset", b"<sitemapindex")


def is_sitemap(head: bytes) -> bool:
    """Whether an XML document starting with `head` is a sitemap or a sitemap index."""
    head = head[:4096]
    return any(tag in head for tag in SITEMAP_TAGS)


def feed_items(data: bytes, source: str, *, base: str | None = None) -> Listing:
    """The linked items of an RSS/Atom feed or a sitemap, in order; `InputError` when it is neither or lists none.

    An item that carries its whole article (`content:encoded`, Atom `<content>`: `MIN_CONTENT_WORDS` or more, not
    ending in "Continue reading" or "[…]") has it as `content`, so that it is read without fetching its page.

    Example:
        >>> rss = b'''<rss version="2.0"><channel><title>Gazette</title>
        ... <item><title>Rates held</title><link>https://example.org/rates</link>
        ... <pubDate>Thu, 02 May 2024 11:00:00 +0100</pubDate></item></channel></rss>'''
        >>> [(i.url, i.meta["title"], i.meta["site"], i.meta["published"]) for i in feed_items(rss, "feed.xml").items]
        [('https://example.org/rates', 'Rates held', 'Gazette', '2024-05-02T10:00:00Z')]
    """
    if data.startswith(GZIP_MAGIC):
        try:
            data = bounded_read(decompress(io.BytesIO(data), source), source)
        except READ_ERRORS as e:
            raise InputError(f"{source}: damaged gzip data ({describe(e)})") from e
    if is_sitemap(data):
        return sitemap_items(data, source)
    import feedparser

    try:
        parsed = feedparser.parse(data, response_headers={"content-location": base} if base else None)
    except Exception as e:  # feedparser is lenient; anything it still raises is a broken feed
        raise InputError(f"{source}: not a readable RSS or Atom feed ({describe(e)})") from e
    entries = list(parsed.get("entries") or [])
    if not entries and not parsed.get("version"):
        raise InputError(f"{source}: not an RSS or Atom feed, nor a sitemap")
    site = _text(parsed.get("feed", {}).get("title"))
    # A relative item link ("/news/1") is read against the feed's own address, or a saved feed's site link.
    home = next((u for u in (base, _text(parsed.get("feed", {}).get("link"))) if u and is_url(u)), "")
    items: list[FeedItem] = []
    relative = unlinked = 0
    for entry in entries[:MAX_ITEMS]:  # the rest are `left_out`
        link = _text(entry.get("link"))
        if link and not is_url(link):
            relative += 1
            link = urljoin(home, link) if home else ""
        if not is_url(link):
            unlinked += 1
            continue
        meta = {
            "title": _text(entry.get("title")),
            "author": _text(entry.get("author")),
            "published": _published(entry),
            "site": site,
            "feed": base or source,
        }
        items.append(FeedItem(link, {k: v for k, v in meta.items() if v}, content=_article_content(entry)))
    if not items:
        why = f" ({relative} relative links and no address to read them against)" if relative and not home else ""
        raise InputError(f"{source}: the feed lists no article links{why}")
    return Listing(items, max(0, len(entries) - MAX_ITEMS), unlinked)


def _published(entry: Any) -> str:
    """When an entry was published (or updated): ISO 8601 in UTC where feedparser read the date, as written else."""
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
        if entry.get(key):
            return _text(entry.get(key))
    return ""


def _article_content(entry: Any) -> str:
    """The longest HTML or text content an entry carries (feedparser has sanitised it), when it is long enough to
    be the article; else ""."""
    parts = []
    for part in entry.get("content") or ():
        value = part.get("value") if isinstance(part, dict) else None
        if isinstance(value, str):
            plain = "html" not in str(part.get("type") or "html")
            parts.append("".join(f"<p>{html.escape(p)}</p>" for p in value.split("\n\n")) if plain else value)
    best = max(parts, key=len, default="")
    text = html.unescape(_TAG.sub(" ", best))
    if len(text.split()) < MIN_CONTENT_WORDS or _CUT_SHORT.search(text[-200:]):
        return ""
    return best


def sitemap_items(data: bytes, source: str) -> Listing:
    """The links of a sitemap (`<urlset>`), or the sitemaps of a sitemap index, in order.

    Google News' `<news:news>` gives an item its title, published date, language and site.

    Example:
        >>> xml = b'''<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        ...   xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://example.org/a</loc>
        ...   <news:news><news:publication><news:name>Gazette</news:name><news:language>en</news:language>
        ...   </news:publication><news:publication_date>2024-05-02</news:publication_date>
        ...   <news:title>Rates held</news:title></news:news></url></urlset>'''
        >>> [(i.url, i.meta) for i in sitemap_items(xml, "sitemap.xml").items]
        [('https://example.org/a', {'title': 'Rates held', 'published': '2024-05-02', 'site': 'Gazette', \
'language': 'en', 'feed': 'sitemap.xml'})]
    """
    from xml.etree.ElementTree import ParseError, iterparse

    refuse_declarations(data, f"{source}: a sitemap")
    items: list[FeedItem] = []
    left_out = 0
    try:
        for _, element in iterparse(io.BytesIO(data)):
            kind = local_name(element.tag)
            if kind not in ("url", "sitemap"):
                continue
            if len(items) >= MAX_SITEMAP_URLS:
                left_out += 1
                element.clear()
                continue
            fields = {local_name(child.tag): child for child in element}
            news = {local_name(e.tag): _text(e.text) for e in fields["news"].iter()} if "news" in fields else {}
            url = _text(fields["loc"].text) if "loc" in fields else ""
            element.clear()
            if not is_url(url):
                continue
            meta = {
                "title": news.get("title"),
                "published": news.get("publication_date"),
                "site": news.get("name"),
                "language": news.get("language"),
                "feed": source,
            }
            items.append(FeedItem(url, {k: v for k, v in meta.items() if v}, sitemap=kind == "sitemap"))
    except ParseError as e:
        raise InputError(f"{source}: not a readable sitemap ({describe(e)})") from e
    if not items:
        raise InputError(f"{source}: the sitemap lists no links")
    return Listing(items, left_out)


def _text(value: Any) -> str:
    return " ".join(strip_controls(value).split())[:1000] if isinstance(value, str) else ""
