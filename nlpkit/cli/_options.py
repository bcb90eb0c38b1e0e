"""Options shared by several commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:  # the web is imported when an input first needs it
    from nlpkit.io.web import Fetcher

TextField = Annotated[str, typer.Option("--text-field", help="Field with the article text (JSON/JSONL/CSV/Parquet).")]
TitleField = Annotated[str, typer.Option("--title-field", help="Field with the headline.")]
IdField = Annotated[str, typer.Option("--id-field", help="Field with the article id.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite outputs that already exist.")]
Bodies = Annotated[str | None, typer.Option("--bodies", help="Stance: table of article bodies to join (FNC-1 style).")]
BodyIdField = Annotated[str, typer.Option("--body-id-field", help="Join key between the data and --bodies.")]
Device = Annotated[str | None, typer.Option("--device", help="Neural models: auto (GPU when present), cpu or cuda.")]
Paths = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[PATHS]...",
        help="Article files (.txt .md .html .mhtml .eml .docx .json .jsonl .csv .parquet ..., also .gz .bz2 .xz), folders, "
        "archives, web pages, news feeds and sitemaps (http:// or https://; a feed or sitemap is read as the pages "
        "it lists), saved feeds and sitemaps (.rss .atom .xml), or - for stdin.",
        show_default=False,
    ),
]
Urls = Annotated[
    str | None,
    typer.Option("--urls", help="A file of URLs, one article page per line (or a CSV/TSV with a url column)."),
]
Cache = Annotated[
    str | None,
    typer.Option(
        "--cache", help="Keep fetched pages in this folder, so a repeated or resumed run fetches nothing twice."
    ),
]
Timeout = Annotated[
    float, typer.Option("--timeout", help="Web pages: seconds to wait for a server to connect or answer.")
]
IgnoreRobots = Annotated[
    bool, typer.Option("--ignore-robots", help="Fetch pages even where a site's robots.txt disallows nlpkit.")
]


def _stdin_format(value: str) -> str:
    from nlpkit.io.paths import STDIN_FORMATS  # when a command runs, not for --help

    if value not in STDIN_FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(STDIN_FORMATS)}")
    return value


StdinFormat = Annotated[
    str,
    typer.Option(
        "--stdin-format",
        callback=_stdin_format,
        help="How - (standard input) is read: auto (JSONL, JSON, HTML or an e-mail when it looks like one, else one "
        "text article), txt, lines (an article per line), md, html, eml (an e-mail), jsonl, json, csv or tsv.",
    ),
]
FollowLinks = Annotated[
    bool, typer.Option("--follow-links", help="Read files that links in an input folder point to outside it.")
]


def article_inputs(paths: list[str] | None, urls: str | None) -> tuple[list[str], list[str]]:
    """The PATHS given and the URLs of `--urls`; a usage error when there is neither."""
    from nlpkit.errors import UsageError
    from nlpkit.io.lists import url_list

    if not paths and not urls:
        raise UsageError("give articles to read: PATHS (files, folders, URLs, -) or --urls FILE")
    if "-" in (paths or []) and sys.stdin is not None and sys.stdin.isatty():  # typed, not piped: say how it ends
        print("nlpkit: reading standard input; type or paste, then Ctrl-D on a line of its own", file=sys.stderr)
    return list(paths or []), url_list(urls) if urls else []


def web_options(cache: str | None, ignore_robots: bool, timeout: float, **more: Any) -> Any:
    """How `--cache`, `--ignore-robots` and `--timeout` (and a command's own settings) fetch pages."""
    from nlpkit.io.web import WebOptions

    _check_timeout(timeout)
    return WebOptions(cache=cache, robots=not ignore_robots, connect_timeout=timeout, read_timeout=timeout, **more)


def fetcher_maker(cache: str | None, ignore_robots: bool, timeout: float) -> Callable[[], Fetcher]:
    """The options checked now; the fetcher made (and the web modules imported) when an input first needs it,
    and that one fetcher used for every page after it (one cache, one robots.txt record, one limit per host)."""
    _check_timeout(timeout)

    @functools.cache
    def make() -> Fetcher:
        from nlpkit.io.web import Fetcher

        return Fetcher(web_options(cache, ignore_robots, timeout))

    return make


def _check_timeout(timeout: float) -> None:
    from nlpkit.errors import UsageError

    if not 0 < timeout <= 3600:
        raise UsageError("--timeout must be between 0 and 3600 seconds")
