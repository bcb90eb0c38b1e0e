"""Reading the web: pages, feeds and every way a site goes wrong, against a server on 127.0.0.1 only."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlpkit.io.readers import Fields, read_articles
from nlpkit.io.web import Fetcher, FetchError, WebOptions
from nlpkit.types import Article, Failure
from tests.adversarial.harness import check, run
from tests.io.site import ROOT, TOPICS, Handler, serve


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve() as base:
        yield base


def _one(url: str, **options: object) -> Article | Failure:
    (record,) = read_articles(url, fetcher=Fetcher(WebOptions(**options)))  # type: ignore[arg-type]
    return record


def test_article_page_with_its_metadata(site: str) -> None:
    a = _one(f"{site}/article.html")
    assert isinstance(a, Article) and a.id == f"{site}/article.html"
    assert a.title == "Wind farm to power 300,000 homes approved"
    assert a.meta["author"].startswith("Tom Harris") and a.meta["published"] == "2024-01-01"
    assert a.meta["url"] == f"{site}/article.html" and a.meta["language"] == "en"
    assert "cookies" not in a.text and "Most read" not in a.text


def test_an_rss_feed_is_its_items(site: str) -> None:
    records = list(read_articles(f"{site}/feed.xml", fetcher=Fetcher()))
    assert [r.id for r in records] == [f"{site}/items/{i}.html" for i in range(20)]
    first = records[0]
    assert isinstance(first, Article) and first.meta["site"] == "Loopback Gazette"
    assert first.meta["published"] == "2024-05-02T10:00:00Z" and first.meta["author"]  # ISO 8601, as pages give
    assert first.title == "Striker scores twice as City win the cup final"


def test_a_feed_item_that_carries_its_article_is_read_without_fetching_it(site: str, tmp_path: Path) -> None:
    """Their links answer 404: the two full items are read from the feed; the teaser's page is fetched."""
    records = list(read_articles(f"{site}/full.xml", fetcher=Fetcher()))
    ids = [f"{site}/missing/0", f"{site}/missing/1", f"{site}/items/2.html", f"{site}/items/3.html"]
    assert [r.id for r in records] == ids
    assert all(isinstance(r, Article) for r in records), records
    full, teaser, cut_short = records[0], records[2], records[3]
    assert "The report 3 gives the details." in cut_short.text and "Continue reading" not in cut_short.text
    assert full.title == TOPICS[0][0] and "Paragraph 11 of the story" in full.text and "alert" not in full.text
    assert full.meta["url"] == f"{site}/missing/0" and full.meta["site"] == "Loopback Full"
    assert "The report 2 gives the details." in teaser.text  # its page, not the teaser
    saved = tmp_path / "full.rss"  # saved, and read with no network at all: the full items need none
    saved.write_bytes(Fetcher().fetch(f"{site}/full.xml").body.replace(site.encode(), b"http://127.0.0.1:9"))
    offline = list(read_articles(str(saved), fetcher=Fetcher()))
    assert [type(r) for r in offline] == [Article, Article, Failure, Failure]
    r = run(["score", f"{site}/full.xml", "--out", "s.jsonl", "-q", "--host-delay", "0"], cwd=tmp_path)
    check(r, code=0)
    rows = r.rows(tmp_path / "s.jsonl")
    assert [row["id"] for row in rows] == [rec.id for rec in records] and all(row["brief"] for row in rows)


def test_an_atom_feed_and_a_saved_feed_file(site: str, tmp_path: Path) -> None:
    assert [r.id for r in read_articles(f"{site}/atom.xml")] == [f"{site}/items/{i}.html" for i in range(3)]
    saved = tmp_path / "feed.rss"
    saved.write_bytes(Fetcher().fetch(f"{site}/feed.xml").body)
    assert len(list(read_articles(str(saved)))) == 20


def test_a_saved_feed_with_relative_links_reads_them_against_its_site(site: str, tmp_path: Path) -> None:
    # Many feeds link their items as "/news/1": a saved one said "the feed lists no article links".
    body = " ".join(["The council voted on Monday to ban large cruise ships from the historic harbour."] * 10)
    items = (
        "<item><title>Council bans ships</title><link>/missing/9</link>"
        f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item>"
        "<item><title>Item</title><link>items/1.html</link></item>"
        "<item><title>No link</title><description>A teaser, and nothing to read.</description></item>"
    )
    rss = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Local</title><link>{site}/</link>{items}</channel></rss>"
    )
    saved = tmp_path / "local.rss"
    saved.write_text(rss)
    records = list(read_articles(str(saved), fetcher=Fetcher()))
    assert [type(r) for r in records] == [Article, Article, Failure], records
    assert records[0].id == f"{site}/missing/9" and records[0].title == "Council bans ships"
    assert records[1].id == f"{site}/items/1.html" and records[1].text
    assert records[2].error == f"{saved}: 1 item has no link to an article, nor the article itself; not read"
    saved.write_text(rss.replace(f"<link>{site}/</link>", ""))  # no site to read the links against
    (failed,) = read_articles(str(saved), fetcher=Fetcher())
    assert isinstance(failed, Failure) and "2 relative links and no address to read them against" in failed.error


def test_a_news_sitemap_is_its_links_with_their_news_metadata(site: str) -> None:
    records = list(read_articles(f"{site}/sitemap.xml", fetcher=Fetcher()))
    assert [r.id for r in records] == [f"{site}/items/{i}.html" for i in range(3)]  # not the images' links
    first = records[0]
    assert isinstance(first, Article) and first.title == "Striker scores twice as City win the cup final"
    assert (first.meta["site"], first.meta["published"], first.meta["language"]) == (
        "Loopback News",
        "2024-05-01",
        "en",
    )


def test_a_sitemap_index_reads_each_sitemap_and_reports_the_one_it_cannot(site: str, tmp_path: Path) -> None:
    records = list(read_articles(f"{site}/sitemap_index.xml", fetcher=Fetcher()))
    assert [r.id for r in records] == [*(f"{site}/items/{i}.html" for i in range(3)), f"{site}/missing"] + [
        f"{site}/items/{i}.html" for i in (3, 4)
    ]
    (failure,) = [r for r in records if isinstance(r, Failure)]
    assert "HTTP 404" in failure.error
    saved = tmp_path / "sitemap.xml.gz"
    saved.write_bytes(Fetcher().fetch(f"{site}/sitemap-old.xml.gz").body)  # a saved, gzipped sitemap
    assert [r.id for r in read_articles(str(saved), fetcher=Fetcher())] == [f"{site}/items/{i}.html" for i in (3, 4)]
    r = run(["score", f"{site}/sitemap_index.xml", "--out", "s.jsonl", "-q", "--host-delay", "0"], cwd=tmp_path)
    check(r, code=1)
    rows = r.rows(tmp_path / "s.jsonl")
    assert [row["id"] for row in rows] == [rec.id for rec in records]
    assert sum(row["error"] is None for row in rows) == 5 and rows[0]["site"] == "Loopback News"


def test_redirects_are_followed_and_recorded(site: str) -> None:
    a = _one(f"{site}/redirect/3")
    assert isinstance(a, Article) and a.id == f"{site}/redirect/3" and a.meta["url"] == f"{site}/article.html"


@pytest.mark.parametrize(
    ("path", "options", "error"),
    [
        ("/loop/a", {}, r"too many redirects"),
        ("/slow", {"read_timeout": 1.0}, r"stopped answering \(read timed out\)"),
        ("/big", {}, r"over the 20,971,520 byte limit"),
        ("/bomb", {}, r"decompression bomb|inflates past"),
        ("/missing", {}, r"HTTP 404 Not Found"),
        ("/gone", {}, r"HTTP 410 Gone"),
        ("/private/page.html", {}, r"robots\.txt disallows it for nlpkit; --ignore-robots"),
        ("/report.pdf", {}, r"not an article page \(content type application/pdf\); nlpkit does not read PDF: save"),
    ],
)
def test_each_failure_is_one_clear_record(site: str, path: str, options: dict[str, float], error: str) -> None:
    import re

    start = time.monotonic()
    r = _one(site + path, **options)
    assert isinstance(r, Failure) and r.id == site + path
    assert re.search(error, r.error) and r.error.startswith(site + path), r.error
    assert "\n" not in r.error
    assert time.monotonic() - start < 25, "a failure must not wait for the server's whole delay"


def test_robots_can_be_ignored_on_request(site: str) -> None:
    assert isinstance(_one(f"{site}/private/page.html", robots=False), Article)


def test_429_is_retried_after_the_wait_it_asks_for(site: str) -> None:
    Handler.busy_seen.clear()
    start = time.monotonic()
    assert isinstance(_one(f"{site}/busy"), Article)
    assert time.monotonic() - start >= 0.9, "Retry-After: 1 was not honoured"


def test_gzip_and_a_charset_declared_only_in_meta(site: str) -> None:
    assert isinstance(_one(f"{site}/gzipped.html"), Article)
    a = _one(f"{site}/latin1.html")
    assert isinstance(a, Article) and a.title == "Café owners protest" and "Café owners in the old town" in a.text
    assert not a.meta.get("warnings")


def test_the_cache_fetches_nothing_twice(site: str, tmp_path: Path) -> None:
    first = Fetcher(WebOptions(cache=str(tmp_path / "cache")))
    assert len(list(read_articles(f"{site}/feed.xml", fetcher=first))) == 20
    again = Fetcher(WebOptions(cache=str(tmp_path / "cache")))
    assert len(list(read_articles(f"{site}/feed.xml", fetcher=again))) == 20
    assert first.fetched == 21 and again.fetched == 0


def test_an_unreachable_host_fails_at_once() -> None:
    start = time.monotonic()
    fetcher = Fetcher()
    with pytest.raises(FetchError, match="does not resolve"):
        fetcher.fetch("http://nlpkit-test.invalid/article.html")
    assert time.monotonic() - start < 20
    assert fetcher.fetched == 0, "a host that never answered is counted as a page fetched"


# -- the commands, as a user types them ----------------------------------------------------------------


def test_summarize_a_url_gives_the_saved_files_brief(site: str, tmp_path: Path) -> None:
    web = run(["summarize", f"{site}/article.html"], cwd=tmp_path)
    local = run(["summarize", str(ROOT / "data" / "article.html")], cwd=tmp_path)
    check(web, code=0)
    assert web.stdout == local.stdout
    js = run(["summarize", f"{site}/article.html", "-f", "json"], cwd=tmp_path)
    row = json.loads(js.stdout)
    assert row["author"].startswith("Tom Harris") and row["published"] == "2024-01-01" and row["url"]


def test_score_a_feed_scores_every_item(site: str, tmp_path: Path) -> None:
    r = run(["score", f"{site}/feed.xml", "--out", "s.jsonl", "-q", "-w", "2", "--host-delay", "0"], cwd=tmp_path)
    check(r, code=0)
    rows = r.rows(tmp_path / "s.jsonl")
    assert len(rows) == 20 and all(row["error"] is None and row["topic"] for row in rows)
    assert rows[0]["site"] == "Loopback Gazette" and rows[0]["published"]
    assert r.rss_mb < 300


def test_every_bad_page_is_an_error_row_and_nothing_hangs(site: str, tmp_path: Path) -> None:
    paths = ["/article.html", "/loop/a", "/big", "/bomb", "/missing", "/gone", "/private/page.html", "/report.pdf"]
    paths += ["/latin1.html", "/redirect/2", "/slow"]
    (tmp_path / "urls.txt").write_text("".join(site + p + "\n" for p in paths))
    args = ["score", "--urls", "urls.txt", "--out", "s.jsonl", "--errors", "e.jsonl", "-q", "-w", "1", "--timeout", "2"]
    args += ["--host-delay", "0"]
    r = run(args, cwd=tmp_path, timeout=120)
    check(r, code=1)
    rows = r.rows(tmp_path / "s.jsonl")
    assert [row["id"] for row in rows] == [site + p for p in paths]
    ok = {row["id"] for row in rows if row["error"] is None}
    assert ok == {site + "/article.html", site + "/latin1.html", site + "/redirect/2"}
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) == len(paths) - 3
    assert r.rss_mb < 300, f"{r.rss_mb:.0f} MB"


def test_resume_fetches_nothing_already_scored(site: str, tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text("".join(f"{site}/items/{i}.html\n" for i in range(20)))
    args = [
        "score",
        "--urls",
        "urls.txt",
        "--out",
        "s.jsonl",
        "-q",
        "-w",
        "1",
        "--batch-size",
        "4",
        "--host-delay",
        "0",
    ]
    check(run(args, cwd=tmp_path), code=0)
    lines = (tmp_path / "s.jsonl").read_text().splitlines()
    (tmp_path / "s.jsonl").write_text("\n".join(lines[:10]) + "\n")  # as if killed after row 10
    manifest = tmp_path / ".s.jsonl.manifest.json"
    state = json.loads(manifest.read_text())
    state.update(status="running", rows=10, last_id=json.loads(lines[9])["id"])
    manifest.write_text(json.dumps(state))
    r = run([*args, "--resume", "--format", "json"], cwd=tmp_path)
    check(r, code=0)
    assert json.loads(r.stdout)["fetched"] == 10, "pages already scored were fetched again"
    assert (tmp_path / "s.jsonl").read_text().splitlines() == lines


def test_requests_to_one_host_keep_their_distance(site: str) -> None:
    fetcher = Fetcher(WebOptions(per_host=2, delay=0.3))
    start = time.monotonic()
    from nlpkit.io.units import WebItem, WebPages, prefetch

    (unit,) = prefetch([WebPages(tuple(WebItem(f"{site}/items/{i}.html") for i in range(5)))], fetcher)
    assert all(isinstance(r, Article) for r in unit.records(Fields()))
    assert time.monotonic() - start >= 4 * 0.3, "five requests to one host came closer than the delay"


def test_offline_url_is_one_line_in_seconds(tmp_path: Path) -> None:
    r = run(["summarize", "https://nlpkit-test.invalid/news/1"], cwd=tmp_path, timeout=60)
    check(r, code=1, error=r"nlpkit-test\.invalid/news/1: the host name does not resolve", errors=1)
    assert r.seconds < 30


def test_fields_are_not_needed_for_urls(site: str) -> None:
    (record,) = read_articles(f"{site}/article.html", fields=Fields(text="body"), fetcher=Fetcher())
    assert isinstance(record, Article)


def test_a_command_makes_one_fetcher_when_first_needed() -> None:
    """summarize and classify check --timeout at once, and make one fetcher for every page, only when one is read."""
    from nlpkit.cli._options import fetcher_maker
    from nlpkit.errors import UsageError

    make = fetcher_maker(None, False, 10)
    assert isinstance(make(), Fetcher) and make() is make()
    with pytest.raises(UsageError, match="--timeout"):
        fetcher_maker(None, False, 0)
