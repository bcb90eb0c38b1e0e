"""Which files an input names: paths, folders (links that leave them reported), globs, formats.

Folders are walked in sorted order, passing over hidden files and folders (`.git`) and the
`Page_files` folder a browser saves beside `Page.html`; a link that leads outside the folder given,
a link loop or a broken link becomes a `Failure` (`--follow-links` allows links out); pipes,
devices and sockets are refused by `not_a_regular_file` before anything reads them.
"""

from __future__ import annotations

import glob
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from nlpkit.errors import InputError, describe
from nlpkit.types import Failure

#: Compressions undone on any format (a `.tar.gz`, `.tar.bz2` or `.tar.xz` is a tar that tarfile undoes).
COMPRESSIONS = (".gz", ".bz2", ".xz")
#: The format of a document nlpkit does not read but that may hold an article (a PDF, an old Word file): its reader
#: is one failure that says what to do with it (`unread_document`), and an archive passes such a member by unread.
UNREAD = "unread"
#: Formats whose every file is one article (a JSON file may hold a list of them), compressed or not; an `UNREAD`
#: document is one failure.
ONE_ARTICLE_FORMATS = frozenset(
    f + c for f in ("txt", "md", "html", "mhtml", "eml", "docx", UNREAD) for c in ("", *COMPRESSIONS)
)
#: How standard input (`-`) can be read: `auto` tells JSONL, JSON, HTML and an e-mail from one text article
#: (`nlpkit.io.readers.sniff_stdin`); `lines` is an article per line.
STDIN_FORMATS = ("auto", "txt", "lines", "md", "html", "eml", "jsonl", "json", "csv", "tsv")

_EXTENSIONS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    # a page saved with its server's extension (`wget https://site/news/index.php`)
    **dict.fromkeys((".shtml", ".shtm", ".php", ".phtml", ".asp", ".aspx", ".jsp", ".jspx", ".cfm"), "html"),
    ".mhtml": "mhtml",
    ".mht": "mhtml",
    ".eml": "eml",
    ".docx": "docx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".zip": "zip",
    ".tar": "tar",
    ".tgz": "tar",
    ".tbz2": "tar",
    ".txz": "tar",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}


#: Documents nlpkit does not read (format `UNREAD`), and what to do instead.
_UNREAD = {
    ".doc": "a Word 97-2003 document, which nlpkit does not read; save it as .docx (or as text) in Word",
    ".pdf": "nlpkit does not read PDF; convert it to text first (pdftotext FILE.pdf, from poppler-utils)",
    ".rtf": "nlpkit does not read RTF; save it as .docx or as text",
    ".odt": "nlpkit does not read OpenDocument text; save it as .docx or as text",
}


def unread_document(name: str) -> str | None:
    """What to do with a document nlpkit does not read (a PDF, an old Word file ...), by its name (compressed or
    not); else None.

    Example:
        >>> unread_document("2024/report.PDF")
        'nlpkit does not read PDF; convert it to text first (pdftotext FILE.pdf, from poppler-utils)'
    """
    return _UNREAD.get(os.path.splitext(split_format(name.lower())[0])[1])


def shown(path: str | Path) -> str:
    """A path as text that can always be written (UTF-8): bytes of a name that is not UTF-8 are escaped.

    Example:
        >>> shown(os.fsdecode(b"news/caf\\xe9.txt"))
        'news/caf\\\\xe9.txt'
    """
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def detect_format(path: str) -> str:
    """The reader for a path, by extension, with its compression (`COMPRESSIONS`) after it; `.tar.gz` is tar.

    Example:
        >>> detect_format("news/2024.jsonl.gz"), detect_format("pages.warc.gz"), detect_format("dump.tar.xz")
        ('jsonl.gz', 'warc.gz', 'tar')
    """
    name, compression = split_format(path.lower())
    ext = os.path.splitext(name)[1]
    fmt = _EXTENSIONS.get(ext) or (UNREAD if ext in _UNREAD else None)
    if fmt is None:
        known = ", ".join(sorted(_EXTENSIONS))
        also = ", ".join(COMPRESSIONS)
        if not ext:
            stem = os.path.basename(path)
            raise InputError(
                f"{path}: no file extension to tell its type by; name it {stem}.txt, {stem}.html (a saved page) or "
                f"another type nlpkit reads ({known})"
            )
        raise InputError(f"{path}: unknown file type {ext!r}; nlpkit reads {known} (and {also} of them)")
    return fmt if fmt == "tar" else fmt + compression


def split_format(fmt: str) -> tuple[str, str]:
    """`detect_format`'s name (or a lowercased file name) as (format, compression or "").

    Example:
        >>> split_format("jsonl.bz2"), split_format("csv")
        (('jsonl', '.bz2'), ('csv', ''))
    """
    compression = next((c for c in COMPRESSIONS if fmt.endswith(c)), "")
    return fmt.removesuffix(compression), compression


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file (a pipe, a device, missing, no permission), or None."""
    try:
        mode = path.stat().st_mode
    except PermissionError:
        return f"{shown(path)}: permission denied"
    except OSError as e:
        return f"{shown(path)}: cannot be read ({describe(e)})"
    if stat.S_ISDIR(mode):
        return f"{shown(path)}: is a folder"
    if not stat.S_ISREG(mode):
        return f"{shown(path)}: not a regular file (a pipe, device or socket); give a file, or - for standard input"
    return None


def _folder_files(root: Path, follow_links: bool, exclude: frozenset[Path]) -> Iterator[Path | Failure]:
    """Readable files under `root`, sorted by path; links that leave the folder are reported, not followed."""
    base = root.resolve()
    seen: set[Path] = set()
    found: list[Path | Failure] = []
    other: Counter[str] = Counter()  # the extensions of files not read
    for folder, dirs, files in os.walk(root, followlinks=follow_links):
        here = Path(folder)
        if here.resolve() in seen:  # a link loop
            dirs[:] = []
            continue
        seen.add(here.resolve())
        dirs[:] = [d for d in dirs if not d.startswith(".") and not _page_assets(d, files)]
        linked_dirs = [d for d in dirs if (here / d).is_symlink()] if not follow_links else []
        for name in [*files, *linked_dirs]:
            p = here / name
            if name.startswith("."):
                continue
            if name in files and format_of(name) is None:
                other[os.path.splitext(name)[1].lower() or "(no extension)"] += 1
                continue
            target = _resolve(p)
            if target is None:
                name = shown(p)
                found.append(Failure(source=name, id=name, error=f"{name}: a link loop or broken link; skipped"))
            elif p.is_symlink() and not follow_links and not _inside(target, base):
                error = (
                    f"{shown(p)}: a link to {shown(target)}, outside {shown(root)}; skipped (--follow-links reads it)"
                )
                found.append(Failure(source=shown(p), id=shown(p), error=error))
            elif name in files and target not in exclude:
                found.append(p)
    found.sort(key=lambda x: x if isinstance(x, Path) else Path(x.source))
    if not any(isinstance(x, Path) for x in found):
        name = shown(root)
        others = ", ".join(f"{n} {ext}" for ext, n in other.most_common(5))
        error = f"{name}: folder has no files nlpkit reads" + (f" (it has {others})" if others else "")
        found.append(Failure(source=name, id=name, error=error))
    yield from found


def _page_assets(folder: str, files: list[str]) -> bool:
    """Whether `folder` holds the scripts, styles and ad frames of a page a browser saved beside it (`Page_files`
    next to `Page.html`): none of them is an article."""
    stem = folder.removesuffix("_files")
    return stem != folder and any(stem + ext in files for ext in (".html", ".htm", ".xhtml"))


def _resolve(path: Path) -> Path | None:
    """Where a path leads, links followed; None for a link loop or a link to nothing."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None
    return target


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def expand_inputs(
    inputs: Iterable[str], *, follow_links: bool = False, exclude: Iterable[Path] = ()
) -> Iterator[str | Path | Failure]:
    """Paths, folders (recursive, sorted), globs and `-` in the order given.

    Files in `exclude` (resolved paths, e.g. the job's own outputs) are never listed from a folder.
    """
    skip = frozenset(p.resolve() for p in exclude)
    for item in inputs:
        if item == "-" or is_url(item):
            yield item  # stdin, or a web page or feed (fetched by the reader)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _folder_files(path, follow_links, skip)
        elif path.exists() or path.is_symlink():
            yield path
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Failure(source=shown(item), id=shown(item), error=f"{shown(item)}: no files match this pattern")
            for m in matches:
                if Path(m).is_file() and Path(m).resolve() not in skip:
                    yield Path(m)
        else:
            error = f"{shown(item)}: no such file or folder{scheme_hint(str(item))}"
            yield Failure(source=shown(item), id=shown(item), error=error)


_HOST_THEN_PATH = r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?/"  # compiled when an error needs it


def scheme_hint(text: str) -> str:
    """`; for the web page, write https://...` for a web address given without its scheme, else "".

    Example:
        >>> scheme_hint("www.example.org/news/1"), scheme_hint("news/2024.jsonl")
        ('; for the web page, write https://www.example.org/news/1', '')
    """
    looks_like_one = re.match(_HOST_THEN_PATH, text, re.IGNORECASE) is not None and " " not in text
    return f"; for the web page, write https://{text}" if looks_like_one else ""


def format_of(name: str) -> str | None:
    """`detect_format`, or None for a file nlpkit does not read."""
    try:
        return detect_format(name)
    except InputError:
        return None


def is_url(item: str) -> bool:
    """Whether an input names a web page or feed (`http://` or `https://`).

    Example:
        >>> is_url("https://example.org/news/1"), is_url("news/1.html")
        (True, False)
    """
    return item[:8].lower().startswith(("http://", "https://"))


def canonical_input(item: str) -> str:
    """An input as one spelling: a path made absolute with links resolved (`in.jsonl` and
    `/data/in.jsonl` are one input); `-`, URLs and patterns that match nothing are kept as given."""
    if item == "-" or "://" in item:
        return item
    path = Path(item)
    if path.exists():
        return str(path.resolve())
    return os.path.abspath(item) if glob.has_magic(item) else item
