"""Readers: turn paths, folders, globs, archives and stdin into a stream of articles.

Every reader yields `Article` or, for a record it cannot read, `Failure`, so one bad line
or member never stops the rest. Nothing is loaded whole: JSONL/CSV are read line by line,
Parquet by row group, archives member by member. Whatever is read whole (a file, a member,
a line) is capped at `MAX_MEMBER_BYTES`, and every compressed stream is checked against
`MAX_RATIO`, so a small hostile file cannot take the memory.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import re
import stat
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from nlpkit import config
from nlpkit.errors import InputError, describe
from nlpkit.io.warc import iter_warc_responses
from nlpkit.registry import Registry
from nlpkit.types import Article, Failure

Record = Article | Failure


@dataclass(frozen=True)
class Fields:
    """Which record fields hold the text, title, id and (for stance) the target."""

    text: str = "text"
    title: str = "title"
    id: str = "id"
    target: str | None = None


Reader = Callable[[IO[bytes], str, Fields], Iterator[Record]]
READERS: Registry[Reader] = Registry("input format")

#: Largest piece read whole: a file, an archive member, a JSONL line or a CSV field (bytes).
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: Largest compression ratio accepted once more than a megabyte has come out of a stream.
MAX_RATIO = 200
#: Errors while reading compressed or damaged data (zlib's own error is not an OSError).
READ_ERRORS = (OSError, EOFError, zlib.error)

#: Control characters (all but tab and line ends) and lone UTF-16 surrogates (from JSON escapes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def decode(data: bytes, source: str) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with or without BOM), else Windows-1252.

    Binary data is refused; stray control characters (NUL and the like) are dropped.
    Returns `(text, warning)`; the warning says when the text was not valid UTF-8.
    """
    codec = sniff_encoding(data[:8192], source)
    if codec != "utf-8-sig":
        return _strip_controls(data.decode(codec, errors="replace")), None
    try:
        return _strip_controls(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as e:
        bad_at = e.start
    try:
        text = data.decode("cp1252")
        return _strip_controls(text), f"{source}: not valid UTF-8 (byte {bad_at}); read as Windows-1252"
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        return _strip_controls(text), f"{source}: not valid UTF-8 (byte {bad_at}); bad bytes replaced"


#: Bytes that are not control characters (tab, line ends and form feed count as text).
_TEXT_BYTES = bytes(b for b in range(256) if (b >= 32 and b != 127) or b in b"\t\n\r\x0b\x0c")


def sniff_encoding(head: bytes, source: str) -> str:
    """The codec of text starting with `head` (`utf-8-sig`, or UTF-16), or InputError for binary data.

    Binary: NUL bytes (outside UTF-16) with more than 2% control bytes, or more than 30% control bytes.
    A stray NUL in text, or text full of terminal escapes, is still text.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is not None:
            return utf16
    controls = len(head.translate(None, _TEXT_BYTES))
    if controls > 0.3 * len(head) or (b"\x00" in head and controls > 0.02 * len(head)):
        raise InputError(
            f"{source}: looks like a binary file, not text ({controls:,} control bytes in the first {len(head):,})"
        )
    return "utf-8-sig"


def _peek(stream: IO[bytes], size: int = 8192) -> bytes:
    """The first bytes of a stream, left unread."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(size)[:size])
    head = stream.read(size)
    stream.seek(0)
    return head


def _utf16_without_bom(head: bytes) -> str | None:
    """`utf-16-le`/`-be` when NUL bytes sit on one side of most byte pairs of readable text, else None."""
    even, odd = head[0:-1:2], head[1::2]
    if len(odd) < 8:
        return None
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        codec = "utf-16-le"
    elif even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        codec = "utf-16-be"
    else:
        return None
    sample = head[: len(head) // 2 * 2].decode(codec, errors="replace")
    readable = sum(ch.isprintable() or ch.isspace() for ch in sample)
    return codec if readable >= 0.95 * len(sample) else None


def _strip_controls(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def _limit(text: str, source: str, meta: dict[str, Any]) -> str:
    if len(text) > config.MAX_ARTICLE_CHARS:
        meta.setdefault("warnings", []).append(
            f"{source}: {len(text):,} characters; only the first {config.MAX_ARTICLE_CHARS:,} are used "
            "(set NLPKIT_MAX_ARTICLE_CHARS to change)"
        )
        return text[: config.MAX_ARTICLE_CHARS]
    return text


def _article(id_: str, title: str, text: str, source: str, meta: dict[str, Any]) -> Record:
    text = _limit(text, source, meta)
    if not text.strip():
        return Failure(source=source, id=id_, error=f"{source}: empty article (no text)")
    return Article(id=id_, title=_strip_controls(title), text=text, source=source, meta=meta)


def _whole(stream: IO[bytes], source: str) -> tuple[str, str | None]:
    """A stream read whole (up to the cap) and decoded."""
    return decode(bounded_read(stream, source), source)


def _read_text(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        text, warning = _whole(stream, source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    meta: dict[str, Any] = {"warnings": [warning]} if warning else {}
    yield _article(source, "", text, source, meta)


def html_to_article(html: str, id_: str, source: str, meta: dict[str, Any]) -> Record:
    """Reduce an HTML page to its main text (trafilatura) and title; plain text when trafilatura finds none."""
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    except (RecursionError, ValueError):  # pathologically nested markup
        doc = None
    body = (getattr(doc, "text", None) or "").strip()
    title = (getattr(doc, "title", None) or "").strip()
    if not body:
        title, body = _plain_html_text(html)
        if body:
            meta.setdefault("warnings", []).append(f"{source}: no main text found; read the page's whole text")
    if not body:
        return Failure(source=source, id=id_, error=f"{source}: no article text found in the HTML page")
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    for key in ("date", "url", "author", "sitename"):
        value = getattr(doc, key, None)
        if value and key not in meta:
            meta[key] = value
    return _article(id_, title, "\n\n".join(lines), source, meta)


_SKIP_BLOCKS = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAGS = re.compile(r"</?(?:p|div|br|h[1-6]|li|tr|article|section|blockquote|header|footer)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _plain_html_text(html: str) -> tuple[str, str]:
    """(title, text) of a page by stripping its tags: the fallback for markup trafilatura cannot read."""
    import html as html_lib

    m = _TITLE.search(html)
    title = " ".join(html_lib.unescape(m.group(1)).split()) if m else ""
    text = _TAG.sub(" ", _BLOCK_TAGS.sub("\n", _SKIP_BLOCKS.sub(" ", html)))
    lines = [" ".join(html_lib.unescape(line).split()) for line in text.split("\n")]
    return title, "\n".join(line for line in lines if line)


def _read_html(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        html, warning = _whole(stream, source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    yield html_to_article(html, source, source, {"warnings": [warning]} if warning else {})


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _strip_controls(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def record_to_article(row: dict[str, Any], source: str, default_id: str, fields: Fields) -> Record:
    """One JSON/CSV/Parquet row to an article, or a failure that names the missing field."""
    id_ = _text_value(row.get(fields.id)) or default_id
    if fields.text not in row:
        have = ", ".join(map(str, list(row)[:12])) or "none"
        return Failure(
            source=source, id=id_, error=f"{source}: no {fields.text!r} field (fields: {have}); use --text-field"
        )
    text = row[fields.text]
    if not isinstance(text, str):
        return Failure(
            source=source, id=id_, error=f"{source}: field {fields.text!r} is {type(text).__name__}, not text"
        )
    title = _text_value(row.get(fields.title)) or ""
    meta = {
        str(k): _strip_controls(v) if isinstance(v, str) else v
        for k, v in row.items()
        if k not in (fields.text, fields.title, fields.id) and _is_scalar(v)
    }
    if fields.target is not None:
        target = _text_value(row.get(fields.target))
        if target is None:
            return Failure(source=source, id=id_, error=f"{source}: no {fields.target!r} field for the stance target")
        meta["target"] = target
    return _article(id_, title, _strip_controls(text), source, meta)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def jsonl_record(raw: bytes | None, where: str, fields: Fields) -> Record:
    """One JSONL line to an article or a failure (`raw` None: a line over the size cap)."""
    if raw is None:
        return Failure(source=where, id=where, error=f"{where}: line longer than {MAX_MEMBER_BYTES:,} bytes; skipped")
    try:
        line, _ = decode(raw, where)
        row = json.loads(line)
    except (InputError, ValueError, RecursionError) as e:
        return Failure(source=where, id=where, error=f"{where}: not a JSON object ({describe(e)})")
    if not isinstance(row, dict):
        return Failure(source=where, id=where, error=f"{where}: a JSON {type(row).__name__}, not an object")
    return record_to_article(row, where, where, fields)


def jsonl_lines(stream: IO[bytes] | io.RawIOBase) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of each non-blank line; bytes are None for a line over the size cap."""
    lineno = 0
    while True:
        raw = stream.readline(MAX_MEMBER_BYTES + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > MAX_MEMBER_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a chunk at a time
                raw = stream.readline(1 << 20)
            yield lineno, None
        elif raw.strip():
            yield lineno, raw


def check_jsonl_head(stream: IO[bytes], source: str) -> None:
    """InputError for a JSONL stream that is binary or UTF-16 (its lines cannot be split on bytes)."""
    if sniff_encoding(_peek(stream), source) != "utf-8-sig":
        raise InputError(f"{source}: JSONL in UTF-16; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8 ...)")


def _read_jsonl(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    check_jsonl_head(stream, source)
    for lineno, raw in jsonl_lines(stream):
        yield jsonl_record(raw, f"{source}:{lineno}", fields)


def _read_json(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        text, _ = _whole(stream, source)
        data = json.loads(text)
    except (InputError, ValueError, RecursionError) as e:
        yield Failure(source=source, id=source, error=f"{source}: not valid JSON ({describe(e)})")
        return
    rows = data if isinstance(data, list) else [data]
    for i, row in enumerate(rows):
        where = source if len(rows) == 1 else f"{source}:{i + 1}"
        if isinstance(row, dict):
            yield record_to_article(row, where, where, fields)
        else:
            yield Failure(source=where, id=where, error=f"{where}: a JSON {type(row).__name__}, not an object")


def _read_csv(stream: IO[bytes], source: str, fields: Fields, delimiter: str = ",") -> Iterator[Record]:
    csv.field_size_limit(MAX_MEMBER_BYTES)
    codec = sniff_encoding(_peek(stream), source)
    wrapper = io.TextIOWrapper(stream, encoding=codec, errors="replace", newline="")
    reader = csv.reader(wrapper, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:  # the parser starts afresh on the next line
            where = f"{source}:{start}"
            yield Failure(source=where, id=where, error=f"{where}: malformed CSV ({describe(e)})")
            continue
        if header is None:
            header = [_strip_controls(c) for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        where = f"{source}:{start}"
        if len(cells) != len(header):
            error = f"{where}: {len(cells)} cells where the header has {len(header)}"
            yield Failure(source=where, id=where, error=error)
            continue
        yield record_to_article(dict(zip(header, cells, strict=True)), where, where, fields)


def _read_tsv(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    return _read_csv(stream, source, fields, delimiter="\t")


def _read_parquet(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(stream)
    except Exception as e:  # pyarrow raises several types for a file that is not Parquet
        yield Failure(source=source, id=source, error=f"{source}: not a Parquet file ({describe(e)})")
        return
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=1024):
            for rec in batch.to_pylist():
                row += 1
                where = f"{source}:{row}"
                yield record_to_article(rec, where, where, fields)
    except Exception as e:  # a damaged row group: what came before is kept
        yield Failure(
            source=source, id=source, error=f"{source}: damaged after row {row} ({describe(e)}); rest skipped"
        )


def format_of(name: str) -> str | None:
    """`detect_format`, or None for a file nlpkit does not read."""
    try:
        return detect_format(name)
    except InputError:
        return None


def member_problem(where: str, name: str, fmt: str, size: int, compressed: int | None) -> str | None:
    """Why an archive member is not read (unsafe path, nested archive, too large), or None."""
    if not _safe_name(name):
        return f"{where}: unsafe member path; skipped"
    if fmt in ("zip", "tar"):
        return f"{where}: an archive inside an archive is not read; extract it first"
    if size > MAX_MEMBER_BYTES:
        return f"{where}: member is {size:,} bytes uncompressed, over the {MAX_MEMBER_BYTES:,} byte limit"
    if compressed is not None and compressed > 0 and size / compressed > MAX_RATIO and size > 1_000_000:
        return f"{where}: compression ratio {size / compressed:.0f}:1 looks like a zip bomb; skipped"
    return None


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return not (name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]))


def zip_entries(zf: zipfile.ZipFile, source: str) -> Iterator[tuple[int, zipfile.ZipInfo, str, str]]:
    """(index, info, where, format) of each member nlpkit reads, in archive order."""
    for i, info in enumerate(zf.infolist()):
        fmt = format_of(info.filename)
        if not info.is_dir() and fmt is not None:
            yield i, info, f"{source}!{info.filename}", fmt


def zip_member_records(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, fmt: str, fields: Fields
) -> Iterator[Record]:
    """The records of one zip member, or one failure saying why it was not read."""
    problem = member_problem(where, info.filename, fmt, info.file_size, info.compress_size)
    if problem:
        yield Failure(source=where, id=where, error=problem)
        return
    try:
        with zf.open(info) as member:
            data = bounded_read(member, where)
    except (zipfile.BadZipFile, InputError, RuntimeError, NotImplementedError, *READ_ERRORS) as e:
        yield Failure(source=where, id=where, error=f"{where}: corrupt archive member ({describe(e)})")
        return
    yield from read_bytes(data, where, fmt, fields)


def _read_zip(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, *READ_ERRORS) as e:
        yield Failure(source=source, id=source, error=f"{source}: not a readable zip archive ({describe(e)})")
        return
    with zf:
        for _, info, where, fmt in zip_entries(zf, source):
            yield from zip_member_records(zf, info, where, fmt, fields)


def bounded_read(stream: IO[bytes], where: str) -> bytes:
    """A stream read whole, refused past `MAX_MEMBER_BYTES`."""
    data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{where}: larger than the {MAX_MEMBER_BYTES:,} byte limit for one file or member")
    return data


class GuardedGzip(io.RawIOBase):
    """A gzip stream that refuses to inflate past `MAX_RATIO` times what it has read (a bomb)."""

    def __init__(self, raw: IO[bytes], where: str) -> None:
        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._where = where
        self._start = raw.tell() if raw.seekable() else 0
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # read1: at most one read of the compressed stream, so the data before damage is returned first
        data = self._gz.read1(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._out += n
        if self._out > 1_000_000:
            consumed = max(1, (self._raw.tell() if self._raw.seekable() else 0) - self._start)
            if self._out / consumed > MAX_RATIO:
                raise InputError(
                    f"{self._where}: gzip data inflates more than {MAX_RATIO}:1 (a decompression bomb); rest skipped"
                )
        return n


def gunzip(raw: IO[bytes], where: str) -> IO[bytes]:
    """A buffered, bomb-guarded gzip reader over `raw`."""
    return io.BufferedReader(GuardedGzip(raw, where), buffer_size=1 << 16)


def read_bytes(data: bytes, where: str, fmt: str, fields: Fields) -> Iterator[Record]:
    """Records of one file or archive member held in memory (gzip undone first)."""
    stream: IO[bytes] = io.BytesIO(data)
    if fmt.endswith(".gz") or where.endswith(".gz"):
        stream = gunzip(stream, where)
    yield from read_stream(stream, where, fmt, fields)


def read_stream(stream: IO[bytes], source: str, fmt: str, fields: Fields) -> Iterator[Record]:
    """The records of one stream in format `fmt`.

    Damage part-way (a cut or corrupt gzip, a read error) keeps every record before it and adds
    one failure; a stream with no records at all is one failure.
    """
    found = 0
    try:
        for rec in READERS.get(fmt.removesuffix(".gz"))(stream, source, fields):
            found += 1
            yield rec
    except (InputError, *READ_ERRORS) as e:
        found += 1
        problem = str(e) if isinstance(e, InputError) else f"could not be read to the end ({describe(e)})"
        yield Failure(source=source, id=source, error=problem if problem.startswith(source) else f"{source}: {problem}")
    if not found:
        yield Failure(source=source, id=source, error=f"{source}: no articles in it")


def _read_tar(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        tf = tarfile.open(fileobj=stream, mode="r|*")  # noqa: SIM115 -- closed by the `with tf` below
    except (tarfile.TarError, *READ_ERRORS) as e:
        yield Failure(source=source, id=source, error=f"{source}: not a readable tar archive ({describe(e)})")
        return
    try:
        with tf:
            for info in tf:
                fmt = format_of(info.name)
                if not info.isfile() or fmt is None:
                    continue
                where = f"{source}!{info.name}"
                problem = member_problem(where, info.name, fmt, info.size, None)
                member = None if problem else tf.extractfile(info)
                if member is None:
                    if problem:
                        yield Failure(source=where, id=where, error=problem)
                    continue
                yield from read_bytes(bounded_read(member, where), where, fmt, fields)
    except (tarfile.TarError, InputError, *READ_ERRORS) as e:
        yield Failure(
            source=source, id=source, error=f"{source}: corrupt tar archive ({describe(e)}); later members skipped"
        )


def _read_warc(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        for i, (url, date, payload) in enumerate(iter_warc_responses(stream), start=1):
            where = f"{source}#{i}"
            meta: dict[str, Any] = {"url": url, "date": date}
            try:
                html, warning = decode(payload, where)
            except InputError as e:
                yield Failure(source=where, id=url or where, error=str(e))
                continue
            if warning:
                meta["warnings"] = [warning]
            yield html_to_article(html, url or where, where, meta)
    except (ValueError, InputError, *READ_ERRORS) as e:
        yield Failure(
            source=source, id=source, error=f"{source}: corrupt WARC file ({describe(e)}); later records skipped"
        )


for _name, _reader in {
    "txt": _read_text,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _read_csv,
    "tsv": _read_tsv,
    "parquet": _read_parquet,
    "zip": _read_zip,
    "tar": _read_tar,
    "warc": _read_warc,
}.items():
    READERS.add(_name, _reader)

_EXTENSIONS = {
    ".txt": "txt",
    ".md": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
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
    ".warc": "warc",
}


def detect_format(path: str) -> str:
    """The reader for a path, by extension (`.gz` allowed on text formats; `.tar.gz` is tar).

    Example:
        >>> detect_format("news/2024.jsonl.gz"), detect_format("pages.warc.gz")
        ('jsonl.gz', 'warc.gz')
    """
    name = path.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    ext = os.path.splitext(name)[1]
    fmt = _EXTENSIONS.get(ext)
    if fmt is None:
        known = ", ".join(sorted(_EXTENSIONS))
        raise InputError(
            f"{path}: unknown file type {ext or '(no extension)'!r}; nlpkit reads {known} (and .gz of them)"
        )
    if gz and fmt == "tar":
        return "tar"
    return f"{fmt}.gz" if gz else fmt


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file (a pipe, a device, missing, no permission), or None."""
    try:
        mode = path.stat().st_mode
    except PermissionError:
        return f"{path}: permission denied"
    except OSError as e:
        return f"{path}: cannot be read ({describe(e)})"
    if stat.S_ISDIR(mode):
        return f"{path}: is a folder"
    if not stat.S_ISREG(mode):
        return f"{path}: not a regular file (a pipe, device or socket); give a file, or - for standard input"
    return None


def open_input(path: Path, fmt: str) -> IO[bytes]:
    """A file opened for reading, gzip undone (bomb-guarded) for `.gz` text formats."""
    raw = open(path, "rb")  # noqa: SIM115 -- the caller closes the returned stream
    # detect_format gives "tar" for .tar.gz (tarfile undoes gzip itself), so ".gz" here is ours to undo
    return gunzip(raw, str(path)) if fmt.endswith(".gz") else raw


def read_path(path: Path, fields: Fields, fmt: str | None = None) -> Iterator[Record]:
    """The records of one file, failures included."""
    source = str(path)
    try:
        fmt = fmt or detect_format(source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    problem = not_a_regular_file(path)
    if problem:
        yield Failure(source=source, id=source, error=problem)
        return
    try:
        with open_input(path, fmt) as stream:
            yield from read_stream(stream, source, fmt, fields)
    except PermissionError:
        yield Failure(source=source, id=source, error=f"{source}: permission denied")
    except OSError as e:
        yield Failure(source=source, id=source, error=f"{source}: cannot be read ({describe(e)})")


def _folder_files(root: Path, follow_links: bool, exclude: frozenset[Path]) -> Iterator[Path | Failure]:
    """Readable files under `root`, sorted by path; links that leave the folder are reported, not followed."""
    base = root.resolve()
    seen: set[Path] = set()
    found: list[Path | Failure] = []
    for folder, dirs, files in os.walk(root, followlinks=follow_links):
        here = Path(folder)
        if here.resolve() in seen:  # a link loop
            dirs[:] = []
            continue
        seen.add(here.resolve())
        linked_dirs = [d for d in dirs if (here / d).is_symlink()] if not follow_links else []
        for name in [*files, *linked_dirs]:
            p = here / name
            if name.startswith(".") or (name in files and format_of(name) is None):
                continue
            target = _resolve(p)
            if target is None:
                found.append(Failure(source=str(p), id=str(p), error=f"{p}: a link loop or broken link; skipped"))
            elif p.is_symlink() and not follow_links and not _inside(target, base):
                error = f"{p}: a link to {target}, outside {root}; skipped (--follow-links reads it)"
                found.append(Failure(source=str(p), id=str(p), error=error))
            elif name in files and target not in exclude:
                found.append(p)
    found.sort(key=lambda x: x if isinstance(x, Path) else Path(x.source))
    if not any(isinstance(x, Path) for x in found):
        found.append(Failure(source=str(root), id=str(root), error=f"{root}: folder has no readable files"))
    yield from found


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
        if item == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            yield from _folder_files(path, follow_links, skip)
        elif path.exists() or path.is_symlink():
            yield path
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Failure(source=item, id=item, error=f"{item}: no files match this pattern")
            for m in matches:
                if Path(m).is_file() and Path(m).resolve() not in skip:
                    yield Path(m)
        else:
            yield Failure(source=item, id=item, error=f"{item}: no such file or folder")


def read_articles(
    inputs: str | Iterable[str],
    *,
    fields: Fields | None = None,
    stdin_format: str = "txt",
    follow_links: bool = False,
) -> Iterator[Record]:
    """Stream articles (and failures) from files, folders, globs, archives and `-` (stdin).

    Example:
        >>> from pathlib import Path; import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "a.jsonl"
        >>> _ = p.write_text('{"id": "1", "text": "Oil rose."}\\nnot json\\n')
        >>> [type(r).__name__ for r in read_articles(str(p))]
        ['Article', 'Failure']
    """
    fields = fields or Fields()
    if isinstance(inputs, str):
        inputs = [inputs]
    for item in expand_inputs(inputs, follow_links=follow_links):
        if isinstance(item, Failure):
            yield item
        elif item == "-":
            yield from read_stdin(fields, stdin_format)
        else:
            assert isinstance(item, Path)
            yield from read_path(item, fields)


def read_stdin(fields: Fields, fmt: str = "txt") -> Iterator[Record]:
    """The records on standard input (one article by default)."""
    for rec in read_stream(sys.stdin.buffer, "<stdin>", fmt, fields):
        yield replace(rec, id="stdin") if isinstance(rec, Article) and rec.id == "<stdin>" else rec
