"""A small news site on 127.0.0.1 for the web tests: articles, a feed, and every way a site goes wrong.

Only the loopback address is ever used. Each path is one fixture:

    /article.html          the sample article (data/article.html)
    /feed.xml              an RSS feed of 20 items, /items/0.html ... /items/19.html
    /atom.xml              an Atom feed of 3 items
    /full.xml              an RSS feed whose first two items carry their whole article (links to /missing/0, 1:
                           never to be fetched), whose third carries a teaser (/items/2.html, fetched) and whose
                           fourth a long text that says it stops short (/items/3.html, fetched)
    /sitemap.xml           a Google News sitemap of items 0-2 (title, date, language, publication)
    /sitemap-old.xml.gz    a gzipped sitemap of items 3-4 (served as application/x-gzip)
    /sitemap_index.xml     a sitemap index: the two sitemaps above and /missing
    /redirect/3            a chain of three redirects to /article.html
    /loop/a, /loop/b       a redirect loop
    /slow                  headers, then nothing for a long time
    /big                   a 50 MB body
    /bomb                  a gzip bomb (Content-Encoding: gzip)
    /gzipped.html          the sample article, gzip-encoded
    /missing               404
    /gone                  410
    /busy                  429 with Retry-After: 1 the first time, then the article
    /private/page.html     disallowed by robots.txt
    /report.pdf            a PDF (not an article)
    /latin1.html           Latin-1, declared only in a <meta> tag
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (ROOT / "data" / "article.html").read_bytes()
TOPICS = [
    (
        "Striker scores twice as City win the cup final",
        "The striker scored twice as the club won the cup final in front of 80,000 fans.",
    ),
    (
        "Parliament rejects the budget bill",
        "The government lost the vote on its budget bill after a long debate in parliament.",
    ),
    (
        "Shares fall after profit warning",
        "Shares in the retailer fell sharply after it warned that profits would be lower this year.",
    ),
    (
        "New phone unveiled at tech show",
        "The company unveiled its new phone with a faster chip and a better camera at the show.",
    ),
]
LATIN1 = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'><title>Caf\xe9 owners "
    "protest</title></head><body><article><h1>Caf\xe9 owners protest</h1><p>Caf\xe9 owners in the old town "
    "protested on Monday against the new rents, which rose by 20% this year.</p><p>The mayor said the rents were "
    "set by the market and that the town could do little.</p></article></body></html>"
).encode("latin-1")


def item_page(i: int) -> bytes:
    title, text = TOPICS[i % len(TOPICS)]
    body = f"<p>{text} The report {i} gives the details.</p><p>Officials said more news would follow next week.</p>"
    return (
        f"<html lang='en'><head><title>{title}</title><meta name='author' content='Reporter {i}'></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def rss(n: int = 20) -> bytes:
    items = "".join(
        f"<item><title>{TOPICS[i % 4][0]}</title><link>{{base}}/items/{i}.html</link>"
        f"<pubDate>Thu, 02 May 2024 {10 + i % 10}:00:00 GMT</pubDate><author>desk@example.org (News desk)</author></item>"
        for i in range(n)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback Gazette</title>{items}</channel></rss>'.encode()


def full_rss() -> bytes:
    """Two items with their whole article in `content:encoded` (over 100 words), then one with a teaser and one
    with a long text that ends "Continue reading"."""
    article = "".join(f"<p>{TOPICS[0][1]} Paragraph {k} of the story adds its own details.</p>" for k in range(12))
    items = "".join(
        f"<item><title>{TOPICS[i][0]}</title><link>{{base}}/missing/{i}</link><pubDate>Thu, 02 May 2024 10:00:00 GMT"
        f"</pubDate><content:encoded><![CDATA[{article}<script>alert(1)</script>]]></content:encoded></item>"
        for i in range(2)
    )
    items += (
        f"<item><title>{TOPICS[2][0]}</title><link>{{base}}/items/2.html</link>"
        "<content:encoded><![CDATA[<p>A teaser: read the story on the site.</p>]]></content:encoded></item>"
        f"<item><title>{TOPICS[3][0]}</title><link>{{base}}/items/3.html</link>"
        f"<content:encoded><![CDATA[{article}<p><a href='/items/3.html'>Continue reading &#8230;</a></p>]]>"
        "</content:encoded></item>"
    )
    content = "http://purl.org/rss/1.0/modules/content/"
    channel = f"<channel><title>Loopback Full</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0" xmlns:content="{content}">{channel}</rss>'.encode()


def atom() -> bytes:
    entries = "".join(
        f'<entry><title>{TOPICS[i][0]}</title><link href="{{base}}/items/{i}.html"/><updated>2024-05-0{i + 1}T10:00:00Z</updated>'
        f"<id>urn:item:{i}</id></entry>"
        for i in range(3)
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Loopback Atom</title>{entries}</feed>'.encode()


def sitemap(items: range, news: bool) -> bytes:
    urls = "".join(
        f"<url><loc>{{base}}/items/{i}.html</loc><lastmod>2024-05-02</lastmod>"
        + (
            f"<news:news><news:publication><news:name>Loopback News</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>2024-05-0{i + 1}</news:publication_date>"
            f"<news:title>{TOPICS[i % 4][0]}</news:title></news:news>"
            if news
            else ""
        )
        + f"<image:image><image:loc>{{base}}/images/{i}.jpg</image:loc></image:image></url>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
        f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{urls}</urlset>'
    ).encode()


def sitemap_index() -> bytes:
    maps = "".join(
        f"<sitemap><loc>{{base}}{p}</loc></sitemap>" for p in ("/sitemap.xml", "/missing", "/sitemap-old.xml.gz")
    )
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'.encode()


class Handler(BaseHTTPRequestHandler):
    busy_seen: set[str] = set()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: C901 -- one branch per fixture
        path = self.path
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/article.html":
            self._send(200, ARTICLE)
        elif path.startswith("/items/"):
            self._send(200, item_page(int(path.split("/")[-1].split(".")[0])))
        elif path == "/feed.xml":
            self._send(200, rss().replace(b"{base}", base.encode()), "application/rss+xml")
        elif path == "/full.xml":
            self._send(200, full_rss().replace(b"{base}", base.encode()), "application/rss+xml")
        elif path == "/atom.xml":
            self._send(200, atom().replace(b"{base}", base.encode()), "application/atom+xml")
        elif path == "/sitemap.xml":
            self._send(200, sitemap(range(3), news=True).replace(b"{base}", base.encode()), "application/xml")
        elif path == "/sitemap-old.xml.gz":
            self._send(
                200,
                gzip.compress(sitemap(range(3, 5), news=False).replace(b"{base}", base.encode())),
                "application/x-gzip",
            )
        elif path == "/sitemap_index.xml":
            self._send(200, sitemap_index().replace(b"{base}", base.encode()), "text/xml")
        elif path.startswith("/redirect/"):
            n = int(path.rsplit("/", 1)[1])
            self._redirect("/article.html" if n <= 1 else f"/redirect/{n - 1}")
        elif path.startswith("/loop/"):
            self._redirect("/loop/b" if path.endswith("a") else "/loop/a")
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body><p>Half a")
            self.wfile.flush()
            time.sleep(30)
        elif path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"word " * 20_000 + b"</p>\n"
            for _ in range(50 * 1024 * 1024 // len(chunk)):
                try:
                    self.wfile.write(chunk)
                except OSError:
                    return
        elif path == "/bomb":
            self._send(200, gzip.compress(bytes(300 * 1024 * 1024), compresslevel=9), Content_Encoding="gzip")
        elif path == "/gzipped.html":
            self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/missing":
            self._send(404, b"<html><body>Not here</body></html>")
        elif path == "/gone":
            self._send(410, b"<html><body>Gone</body></html>")
        elif path == "/busy":
            key = self.headers.get("X-Test", "") + path
            if key not in Handler.busy_seen:
                Handler.busy_seen.add(key)
                self._send(429, b"slow down", "text/plain", Retry_After="1")
            else:
                self._send(200, ARTICLE)
        elif path.startswith("/private/"):
            self._send(200, ARTICLE)
        elif path == "/report.pdf":
            self._send(200, b"%PDF-1.4 not an article", "application/pdf")
        elif path == "/latin1.html":
            self._send(200, LATIN1, "text/html")
        else:
            self._send(404, b"no such page")


@contextmanager
def serve() -> Iterator[str]:
    """Run the site on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
