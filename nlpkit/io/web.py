"""Fetching web pages politely and safely: timeouts, capped bodies, retries, robots.txt, a cache.

`Fetcher.fetch(url)` returns a `Page` (the body with its transfer encoding undone) or raises
`FetchError`, whose message says what went wrong in one line (no network, timeout, HTTP status,
too many redirects, a body over the cap, a decompression bomb, robots.txt). The HTTP client is
urllib3 (trafilatura's own): connect and read timeouts plus a deadline for the whole body, at most
`max_redirects` redirects, retries with exponential backoff on 429 and 5xx that honour
`Retry-After` (up to `max_wait` seconds), the body streamed and refused past `max_bytes`, gzip
and deflate inflated with the same bomb caps as files, a User-Agent that names nlpkit.

robots.txt is read once per site and obeyed unless `robots=False`; requests to one host are at
most `per_host` at a time and `delay` seconds apart; with `cache` set, every page fetched is kept
on disk (written atomically) so a repeated or resumed job fetches nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from nlpkit import __version__
from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import GZIP_MAGIC, MAX_MEMBER_BYTES, MAX_RATIO
from nlpkit.io.feeds import FEED_TAGS, SITEMAP_TAGS
from nlpkit.io.files import write_atomic
from nlpkit.io.paths import scheme_hint

USER_AGENT = f"nlpkit/{__version__} (news article reader; obeys robots.txt)"
#: The product token robots.txt rules are matched against.
ROBOTS_AGENT = "nlpkit"


class FetchError(InputError):
    """A URL that could not be fetched as an article page; the message names the URL and why."""


@dataclass(frozen=True)
class WebOptions:
    """How pages are fetched (the defaults suit news sites; `score` uses the same for every URL)."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0  # for the whole body
    max_redirects: int = 5
    max_bytes: int = 20 * 1024 * 1024  # as sent (compressed); inflated, MAX_MEMBER_BYTES
    retries: int = 3
    max_wait: float = 60.0  # longest Retry-After honoured
    robots: bool = True
    cache: str | None = None
    per_host: int = 2
    delay: float = 0.0  # seconds between two requests to one host
    threads: int = 8  # concurrent fetches in a scoring job


@dataclass(frozen=True)
class Page:
    """What a URL answered: the body (transfer encoding undone), its type and charset, where it ended."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    from_cache: bool = False

    @property
    def kind(self) -> str:
        """`html`, `feed` (a sitemap too), `text` or `other`, by content type and, for XML and unknown types, the body."""
        ctype = self.content_type
        head = self.body[:4096].lstrip().lower()
        if (
            "rss" in ctype
            or "atom" in ctype
            or (("xml" in ctype or not ctype) and any(tag in head for tag in (*FEED_TAGS, *SITEMAP_TAGS)))
            or (self.body.startswith(GZIP_MAGIC) and urlsplit(self.final_url).path.lower().endswith(".xml.gz"))
        ):
            return "feed"
        if "html" in ctype or (not ctype and (b"<html" in head or b"<!doctype html" in head)):
            return "html"
        if ctype.startswith("text/plain"):
            return "text"
        return "other"


def _split_type(value: str) -> tuple[str, str | None]:
    """`text/html; charset=ISO-8859-1` -> ("text/html", "iso-8859-1")."""
    parts = [p.strip() for p in value.split(";")]
    charset = next(
        (p.split("=", 1)[1].strip("\"' ").lower() for p in parts[1:] if p.lower().startswith("charset=")), None
    )
    return parts[0].lower(), charset or None


class _Gate:
    """At most `limit` requests to one host at a time, each at least `delay` seconds after the previous one."""

    def __init__(self, limit: int, delay: float) -> None:
        self.slots = threading.Semaphore(max(1, limit))
        self.delay = delay
        self.lock = threading.Lock()
        self.next = 0.0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.slots:
            with self.lock:
                now = time.monotonic()
                wait = self.next - now
                self.next = max(now, self.next) + self.delay
            if wait > 0:
                time.sleep(wait)
            yield


class Fetcher:
    """Fetches pages with `WebOptions`; safe to share between threads.

    Example:
        >>> Fetcher().fetch("ftp://example.org/a")
        Traceback (most recent call last):
        ...
        nlpkit.io.web.FetchError: ftp://example.org/a: not an http(s) URL
        >>> Fetcher().fetch("example.org/a")
        Traceback (most recent call last):
        ...
        nlpkit.io.web.FetchError: example.org/a: not an http(s) URL; for the web page, write https://example.org/a
    """

    def __init__(self, options: WebOptions | None = None) -> None:
        self.options = options or WebOptions()
        self._pool: Any = None
        self._lock = threading.Lock()
        self._gates: dict[str, _Gate] = {}
        self._robots: dict[str, Any] = {}
        self.fetched = 0  # pages fetched from the network (not from the cache)
        self.seconds = 0.0  # spent fetching, summed over requests

    # -- the public call ---------------------------------------------------------------------

    def fetch(self, url: str) -> Page:
        """The page at `url`, from the cache when it has it; `FetchError` with the reason otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: not an http(s) URL{'' if parts.scheme else scheme_hint(url)}")
        cached = self._from_cache(url)
        if cached is not None:
            return cached
        if self.options.robots:
            self._check_robots(url)
        page = self._request(url)
        if page.status >= 400:
            raise FetchError(f"{url}: HTTP {page.status}{_reason(page.status)}")
        self._to_cache(page)
        return page

    # -- requests ----------------------------------------------------------------------------

    def _request(self, url: str, *, page: bool = True) -> Page:
        host = (urlsplit(url).hostname or "").lower()
        with self._gate(host)():
            start = time.perf_counter()  # the request itself, not the wait for the host's turn
            answered = False  # a host that never answered gave no page: it is not counted as fetched
            try:
                got = self._get(url)
                answered = True
                return got
            finally:
                with self._lock:
                    self.seconds += time.perf_counter() - start
                    self.fetched += page and answered

    def _gate(self, host: str) -> _Gate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _Gate(self.options.per_host, self.options.delay)
            return gate

    def _manager(self) -> Any:
        with self._lock:
            if self._pool is None:
                import urllib3

                self._pool = urllib3.PoolManager(
                    num_pools=64, maxsize=max(1, self.options.per_host), headers={"User-Agent": USER_AGENT}
                )
            return self._pool

    def _get(self, url: str) -> Page:
        import urllib3
        from urllib3.exceptions import HTTPError

        o = self.options
        retry = _retry_class()(
            total=None,
            connect=1,
            read=1,
            redirect=o.max_redirects,
            status=o.retries,
            other=0,
            status_forcelist=(429, 500, 502, 503, 504),
            backoff_factor=0.5,
            backoff_max=10.0,
            respect_retry_after_header=True,
            raise_on_redirect=True,
            raise_on_status=False,
        )
        retry.max_wait = o.max_wait
        headers = {"Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.5"}
        headers["Accept-Encoding"] = "gzip, deflate"
        try:
            response = self._manager().request(
                "GET",
                url,
                headers=headers,
                retries=retry,
                timeout=urllib3.Timeout(connect=o.connect_timeout, read=o.read_timeout),
                preload_content=False,
                decode_content=False,
            )
        except HTTPError as e:
            raise FetchError(f"{url}: {_network_reason(e)}") from None
        try:
            body = self._body(url, response)
        finally:
            response.release_conn()
        ctype, charset = _split_type(response.headers.get("Content-Type", ""))
        final = urljoin(url, str(response.geturl() or url))  # urllib3 may give only the path
        return Page(
            url=url, final_url=str(final), status=response.status, content_type=ctype, charset=charset, body=body
        )

    def _body(self, url: str, response: Any) -> bytes:
        """The body, streamed and capped; gzip/deflate inflated under the bomb caps."""
        from urllib3.exceptions import HTTPError

        o = self.options
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > o.max_bytes:
            raise FetchError(f"{url}: the page is {int(length):,} bytes, over the {o.max_bytes:,} byte limit")
        encoding = response.headers.get("Content-Encoding", "").strip().lower()
        inflate = _Inflater(url, encoding)
        raw = 0
        deadline = time.monotonic() + o.deadline
        try:
            for chunk in response.stream(1 << 16, decode_content=False):
                raw += len(chunk)
                if raw > o.max_bytes:
                    raise FetchError(f"{url}: the page is over the {o.max_bytes:,} byte limit; not read further")
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: the page took over {o.deadline:.0f} s to arrive; not read further")
                inflate.feed(chunk)
        except HTTPError as e:
            raise FetchError(f"{url}: {_network_reason(e)}") from None
        return inflate.done()

    # -- robots.txt --------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        site = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._lock:
            known = site in self._robots
        if not known:
            rules = self._read_robots(site)
            with self._lock:
                self._robots.setdefault(site, rules)
        rules = self._robots[site]
        if isinstance(rules, str):
            raise FetchError(f"{url}: {rules}; --ignore-robots fetches it anyway")
        if rules is not None and not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(f"{url}: the site's robots.txt disallows it for nlpkit; --ignore-robots fetches it anyway")

    def _read_robots(self, site: str) -> Any:
        """The site's rules (None: all allowed), or why nothing may be fetched (RFC 9309: a server error
        on robots.txt means complete disallow)."""
        from urllib.robotparser import RobotFileParser

        url = f"{site}/robots.txt"
        try:
            page = self._from_cache(url) or self._request(url, page=False)
        except FetchError:
            return None  # unreachable: the page's own fetch reports it
        if page.status >= 500:
            return f"the site's robots.txt answered HTTP {page.status}, which means nothing may be fetched"
        if page.status >= 400 or not page.body.strip():
            return None
        self._to_cache(page)
        rules = RobotFileParser(url)
        rules.parse(page.body[:500_000].decode("utf-8", "replace").splitlines())
        return rules

    # -- cache -------------------------------------------------------------------------------

    def _cache_path(self, url: str) -> Path | None:
        if not self.options.cache:
            return None
        key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
        return Path(self.options.cache) / key[:2] / key

    def _from_cache(self, url: str) -> Page | None:
        base = self._cache_path(url)
        if base is None:
            return None
        try:
            head = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
            body = base.with_suffix(".body").read_bytes()
            if hashlib.sha256(body).hexdigest() != head["sha256"] or head["url"] != url:
                return None  # damaged or not ours: fetch again
            return Page(
                url=url,
                final_url=str(head["final_url"]),
                status=int(head["status"]),
                content_type=str(head["content_type"]),
                charset=head.get("charset"),
                body=body,
                from_cache=True,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _to_cache(self, page: Page) -> None:
        base = self._cache_path(page.url)
        if base is None or page.status != 200 or page.from_cache:
            return
        head = {
            "url": page.url,
            "final_url": page.final_url,
            "status": page.status,
            "content_type": page.content_type,
            "charset": page.charset,
            "sha256": hashlib.sha256(page.body).hexdigest(),
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        base.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(base.with_suffix(".body"), page.body)  # the body first: a head always has its body
        write_atomic(base.with_suffix(".json"), json.dumps(head))


class _Inflater:
    """Undo gzip or deflate as chunks arrive, refusing more than `MAX_MEMBER_BYTES` or `MAX_RATIO`:1."""

    def __init__(self, url: str, encoding: str) -> None:
        self.url = url
        self.parts: list[bytes] = []
        self.size = 0
        self.raw = 0
        if encoding in ("gzip", "x-gzip"):
            self.z: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.z = zlib.decompressobj()
        elif encoding in ("", "identity"):
            self.z = None
        else:
            raise FetchError(f"{url}: content encoding {encoding!r} is not one nlpkit reads")

    def feed(self, chunk: bytes) -> None:
        self.raw += len(chunk)
        if self.z is None:
            self._add(chunk)
            return
        data = chunk
        while data:  # at most a megabyte out per step, so a bomb is caught before it takes the memory
            try:
                out = self.z.decompress(data, 1 << 20)
            except zlib.error as e:
                raise FetchError(f"{self.url}: the compressed page is damaged ({describe(e)})") from None
            data = self.z.unconsumed_tail
            self._add(out)
            if self.size > 1_000_000 and self.size > MAX_RATIO * self.raw:
                raise FetchError(
                    f"{self.url}: the page inflates more than {MAX_RATIO}:1 (a decompression bomb); not read"
                )
            if not out:
                break

    def _add(self, out: bytes) -> None:
        self.size += len(out)
        if self.size > MAX_MEMBER_BYTES:
            raise FetchError(f"{self.url}: the page inflates past the {MAX_MEMBER_BYTES:,} byte limit; not read")
        self.parts.append(out)

    def done(self) -> bytes:
        return b"".join(self.parts)


def _retry_class() -> Any:
    """urllib3's Retry, with Retry-After honoured only up to `max_wait` seconds."""
    from urllib3.util.retry import Retry

    class CappedRetry(Retry):
        max_wait = 60.0

        def get_retry_after(self, response: Any) -> float | None:
            seconds = super().get_retry_after(response)
            return None if seconds is None else min(seconds, self.max_wait)

        def new(self, **kw: Any) -> Any:
            fresh = super().new(**kw)
            fresh.max_wait = self.max_wait
            return fresh

    return CappedRetry


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests (still, after retries)",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _reason(status: int) -> str:
    return f" {_REASONS[status]}" if status in _REASONS else ""


def _network_reason(error: Exception) -> str:
    """What went wrong, in words a user acts on."""
    from urllib3.exceptions import (
        ConnectTimeoutError,
        LocationParseError,
        MaxRetryError,
        NameResolutionError,
        NewConnectionError,
        ReadTimeoutError,
        ResponseError,
        SSLError,
    )

    cause: Exception = error.reason if isinstance(error, MaxRetryError) and error.reason is not None else error
    if isinstance(cause, NameResolutionError):
        return "the host name does not resolve (no network, or a wrong address)"
    if isinstance(cause, ConnectTimeoutError):
        return "timed out connecting (no network, or the server is down)"
    if isinstance(cause, NewConnectionError):
        return "cannot connect (no network, or the server is down)"
    if isinstance(cause, ReadTimeoutError):
        return "the server stopped answering (read timed out)"
    if isinstance(cause, SSLError):
        return f"TLS failed ({describe(cause)})"
    if isinstance(cause, ResponseError) and "redirect" in str(cause).lower():
        return "too many redirects (a redirect loop?)"
    if isinstance(cause, LocationParseError):
        return "not a valid URL"
    return describe(cause)
