"""Readers: turn paths, folders, globs, archives and stdin into a stream of articles.

Every reader yields `Article` or, for a record it cannot read, `Failure`, so one bad line
or member never stops the rest. Nothing is loaded whole: JSONL/CSV are read line by line,
Parquet by row group, archives member by member. Bytes become text in `io.decoding` (caps,
encodings, bombs); which files an input names is `io.paths`'s business.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from nlpkit import config
from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import (
    MAX_MEMBER_BYTES,
    MAX_RATIO,
    READ_ERRORS,
    bounded_read,
    decode,
    gunzip,
    peek,
    sniff_encoding,
    strip_controls,
)
from nlpkit.io.paths import detect_format, expand_inputs, format_of, not_a_regular_file, shown
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


#: Most columns a CSV file may have (each row becomes a record of that many fields).
MAX_COLUMNS = 10_000

Reader = Callable[[IO[bytes], str, Fields], Iterator[Record]]
READERS: Registry[Reader] = Registry("input format")


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
    return Article(id=id_, title=strip_controls(title), text=text, source=source, meta=meta)


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
        return strip_controls(value)
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
        str(k): strip_controls(v) if isinstance(v, str) else v
        for k, v in row.items()
        if k not in (fields.text, fields.title, fields.id) and _is_scalar(v)
    }
    if fields.target is not None:
        target = _text_value(row.get(fields.target))
        if target is None:
            return Failure(source=source, id=id_, error=f"{source}: no {fields.target!r} field for the stance target")
        meta["target"] = target
    return _article(id_, title, strip_controls(text), source, meta)


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
    if sniff_encoding(peek(stream), source) != "utf-8-sig":
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
    codec = sniff_encoding(peek(stream), source)
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
            if len(cells) > MAX_COLUMNS:
                yield Failure(
                    source=source,
                    id=source,
                    error=f"{source}:1: a header of {len(cells):,} columns; nlpkit reads at most {MAX_COLUMNS:,}",
                )
                return
            header = [strip_controls(c) for c in cells]
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
        yield stream_failure(source, e)
    if not found:
        yield stream_failure(source, None)


def stream_failure(source: str, error: BaseException | None) -> Failure:
    """The failure of a whole stream: damage part-way (`error`), or no articles at all (None)."""
    if error is None:
        problem = "no articles in it"
    elif isinstance(error, InputError):
        problem = str(error)
    else:
        problem = f"could not be read to the end ({describe(error)})"
    return Failure(source=source, id=source, error=problem if problem.startswith(source) else f"{source}: {problem}")


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


def open_input(path: Path, fmt: str) -> IO[bytes]:
    """A file opened for reading, gzip undone (bomb-guarded) for `.gz` text formats."""
    raw = open(path, "rb")  # noqa: SIM115 -- the caller closes the returned stream
    # detect_format gives "tar" for .tar.gz (tarfile undoes gzip itself), so ".gz" here is ours to undo
    return gunzip(raw, str(path)) if fmt.endswith(".gz") else raw


def read_path(path: Path, fields: Fields, fmt: str | None = None) -> Iterator[Record]:
    """The records of one file, failures included."""
    source = shown(path)
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
