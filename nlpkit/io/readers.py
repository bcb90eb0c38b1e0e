"""Readers: turn paths, folders, globs, archives and stdin into a stream of articles.

Every reader yields `Article` or, for a record it cannot read, `Failure`, so one bad line
or member never stops the rest. Nothing is loaded whole: JSONL/CSV are read line by line,
Parquet by row group, archives member by member with size and ratio limits.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from nlpkit import config
from nlpkit.errors import InputError
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

#: Largest archive member read (bytes, uncompressed) and largest compression ratio accepted.
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def decode(data: bytes, source: str) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252; binary data is refused.

    Returns `(text, warning)`; the warning says when the text was not valid UTF-8.
    """
    head = data[:8192]
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise InputError(f"{source}: looks like a binary file, not text (it contains NUL bytes)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        bad_at = e.start
    try:
        text = data.decode("cp1252")
        return text, f"{source}: not valid UTF-8 (byte {bad_at}); read as Windows-1252"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), f"{source}: not valid UTF-8 (byte {bad_at}); bad bytes replaced"


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
    return Article(id=id_, title=title, text=text, source=source, meta=meta)


def _read_text(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        text, warning = decode(stream.read(), source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    meta: dict[str, Any] = {"warnings": [warning]} if warning else {}
    yield _article(source, "", text, source, meta)


def html_to_article(html: str, id_: str, source: str, meta: dict[str, Any]) -> Record:
    """Reduce an HTML page to its main text (trafilatura) and title."""
    import trafilatura

    doc: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    body = (getattr(doc, "text", None) or "").strip()
    if not body:
        return Failure(source=source, id=id_, error=f"{source}: no article text found in the HTML page")
    title = (getattr(doc, "title", None) or "").strip()
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    for key in ("date", "url", "author", "sitename"):
        value = getattr(doc, key, None)
        if value and key not in meta:
            meta[key] = value
    return _article(id_, title, "\n\n".join(lines), source, meta)


def _read_html(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        html, warning = decode(stream.read(), source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    yield html_to_article(html, source, source, {"warnings": [warning]} if warning else {})


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
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
    meta = {k: v for k, v in row.items() if k not in (fields.text, fields.title, fields.id) and _is_scalar(v)}
    if fields.target is not None:
        target = _text_value(row.get(fields.target))
        if target is None:
            return Failure(source=source, id=id_, error=f"{source}: no {fields.target!r} field for the stance target")
        meta["target"] = target
    return _article(id_, title, text, source, meta)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def _read_jsonl(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    for lineno, raw in enumerate(stream, start=1):
        where = f"{source}:{lineno}"
        if not raw.strip():
            continue
        try:
            line, _ = decode(raw, where)
            row = json.loads(line)
        except (InputError, json.JSONDecodeError) as e:
            yield Failure(source=where, id=where, error=f"{where}: not a JSON object ({e})")
            continue
        if not isinstance(row, dict):
            yield Failure(source=where, id=where, error=f"{where}: a JSON {type(row).__name__}, not an object")
            continue
        yield record_to_article(row, where, where, fields)


def _read_json(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        text, _ = decode(stream.read(), source)
        data = json.loads(text)
    except (InputError, json.JSONDecodeError) as e:
        yield Failure(source=source, id=source, error=f"{source}: not valid JSON ({e})")
        return
    rows = data if isinstance(data, list) else [data]
    for i, row in enumerate(rows):
        where = source if len(rows) == 1 else f"{source}:{i + 1}"
        if isinstance(row, dict):
            yield record_to_article(row, where, where, fields)
        else:
            yield Failure(source=where, id=where, error=f"{where}: a JSON {type(row).__name__}, not an object")


def _read_csv(stream: IO[bytes], source: str, fields: Fields, delimiter: str = ",") -> Iterator[Record]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    wrapper = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(wrapper, delimiter=delimiter)
    try:
        for i, row in enumerate(reader, start=1):
            where = f"{source}:{i + 1}"  # line 1 is the header
            yield record_to_article({k: v for k, v in row.items() if k is not None}, where, where, fields)
    except csv.Error as e:
        yield Failure(source=source, id=source, error=f"{source}: malformed CSV near line {reader.line_num} ({e})")


def _read_tsv(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    return _read_csv(stream, source, fields, delimiter="\t")


def _read_parquet(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(stream)
    except Exception as e:  # pyarrow raises several types for a file that is not Parquet
        yield Failure(source=source, id=source, error=f"{source}: not a Parquet file ({e})")
        return
    row = 0
    for batch in pf.iter_batches(batch_size=1024):
        for rec in batch.to_pylist():
            row += 1
            where = f"{source}:{row}"
            yield record_to_article(rec, where, where, fields)


def format_of(name: str) -> str | None:
    """`detect_format`, or None for a file nlpkit does not read."""
    try:
        return detect_format(name)
    except InputError:
        return None


def _check_member(source: str, size: int, compressed: int | None) -> str | None:
    if size > MAX_MEMBER_BYTES:
        return f"{source}: member is {size:,} bytes uncompressed, over the {MAX_MEMBER_BYTES:,} byte limit"
    if compressed is not None and compressed > 0 and size / compressed > MAX_RATIO and size > 1_000_000:
        return f"{source}: compression ratio {size / compressed:.0f}:1 looks like a zip bomb; skipped"
    return None


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return not (name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]))


def _read_zip(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as e:
        yield Failure(source=source, id=source, error=f"{source}: not a readable zip archive ({e})")
        return
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            where = f"{source}!{info.filename}"
            fmt = format_of(info.filename)
            if fmt is None or fmt in ("zip", "tar"):
                continue
            if not _safe_name(info.filename):
                yield Failure(source=where, id=where, error=f"{where}: unsafe member path; skipped")
                continue
            problem = _check_member(where, info.file_size, info.compress_size)
            if problem:
                yield Failure(source=where, id=where, error=problem)
                continue
            try:
                with zf.open(info) as member:
                    data = _bounded_read(member, where)
            except (zipfile.BadZipFile, OSError, EOFError, InputError, RuntimeError) as e:
                yield Failure(source=where, id=where, error=f"{where}: corrupt archive member ({e})")
                continue
            yield from read_bytes(data, where, fmt, fields)


def _bounded_read(stream: IO[bytes], where: str) -> bytes:
    data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{where}: member is larger than the {MAX_MEMBER_BYTES:,} byte limit")
    return data


def read_bytes(data: bytes, where: str, fmt: str, fields: Fields) -> Iterator[Record]:
    """Records of one file or archive member held in memory (gzip undone first)."""
    if fmt.endswith(".gz") or where.endswith(".gz"):
        try:
            data = _bounded_read(gzip.GzipFile(fileobj=io.BytesIO(data)), where)  # type: ignore[arg-type]
        except (OSError, EOFError) as e:
            yield Failure(source=where, id=where, error=f"{where}: corrupt gzip data ({e})")
            return
    yield from READERS.get(fmt.removesuffix(".gz"))(io.BytesIO(data), where, fields)


def _read_tar(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        tf = tarfile.open(fileobj=stream, mode="r|*")  # noqa: SIM115 -- closed by the `with tf` below
    except (tarfile.TarError, OSError, EOFError) as e:
        yield Failure(source=source, id=source, error=f"{source}: not a readable tar archive ({e})")
        return
    try:
        with tf:
            for info in tf:
                if not info.isfile():
                    continue
                where = f"{source}!{info.name}"
                fmt = format_of(info.name)
                if fmt is None or fmt in ("zip", "tar"):
                    continue
                if not _safe_name(info.name):
                    yield Failure(source=where, id=where, error=f"{where}: unsafe member path; skipped")
                    continue
                problem = _check_member(where, info.size, None)
                if problem:
                    yield Failure(source=where, id=where, error=problem)
                    continue
                member = tf.extractfile(info)
                if member is None:
                    continue
                yield from read_bytes(_bounded_read(member, where), where, fmt, fields)
    except (tarfile.TarError, OSError, EOFError, zipfile.BadZipFile) as e:
        yield Failure(source=source, id=source, error=f"{source}: corrupt tar archive ({e}); later members skipped")


def _read_warc(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    from nlpkit.io.warc import iter_warc_responses

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
    except (ValueError, OSError, EOFError) as e:
        yield Failure(source=source, id=source, error=f"{source}: corrupt WARC file ({e}); later records skipped")


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


def _read_path(path: Path, fields: Fields, fmt: str | None) -> Iterator[Record]:
    source = str(path)
    try:
        fmt = fmt or detect_format(source)
    except InputError as e:
        yield Failure(source=source, id=source, error=str(e))
        return
    base = fmt.removesuffix(".gz")
    try:
        with open(path, "rb") as raw:
            # detect_format gives "tar" for .tar.gz (tarfile undoes gzip itself), so ".gz" here is ours to undo
            stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if fmt.endswith(".gz") else raw  # type: ignore[assignment]
            try:
                yield from READERS.get(base)(stream, source, fields)
            except (OSError, EOFError) as e:
                yield Failure(source=source, id=source, error=f"{source}: could not be read to the end ({e})")
    except PermissionError:
        yield Failure(source=source, id=source, error=f"{source}: permission denied")
    except IsADirectoryError:
        yield Failure(source=source, id=source, error=f"{source}: is a folder")


def expand_inputs(inputs: Iterable[str]) -> Iterator[str | Path | Failure]:
    """Paths, folders (recursive, sorted), globs and `-` in the order given."""
    for item in inputs:
        if item == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            found = False
            for p in sorted(path.rglob("*")):
                if p.is_file() and not p.name.startswith(".") and format_of(p.name) is not None:
                    found = True
                    yield p
            if not found:
                yield Failure(source=item, id=item, error=f"{item}: folder has no readable files")
        elif path.exists():
            yield path
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Failure(source=item, id=item, error=f"{item}: no files match this pattern")
            for m in matches:
                if Path(m).is_file():
                    yield Path(m)
        else:
            yield Failure(source=item, id=item, error=f"{item}: no such file or folder")


def read_articles(
    inputs: str | Iterable[str],
    *,
    fields: Fields | None = None,
    stdin_format: str = "txt",
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
    for item in expand_inputs(inputs):
        if isinstance(item, Failure):
            yield item
        elif item == "-":
            yield from (_retag(r) for r in READERS.get(stdin_format)(sys.stdin.buffer, "<stdin>", fields))
        else:
            assert isinstance(item, Path)
            yield from _read_path(item, fields, None)


def _retag(record: Record) -> Record:
    if isinstance(record, Article) and record.id == "<stdin>":
        return replace(record, id="stdin")
    return record
