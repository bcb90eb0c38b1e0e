"""Tables of articles: JSON, JSONL, CSV, TSV and Parquet, one record per row, a failure per bad row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO, Any

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import (
    MAX_MEMBER_BYTES,
    csv_delimiter,
    decode,
    peek,
    sniff_encoding,
    strip_controls,
    text_stream,
)
from nlpkit.io.readers.base import MAX_COLUMNS, READERS, Fields, Record, make_article, read_whole
from nlpkit.types import Failure


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


#: Keys of the list of records in a JSON object that holds several lists of objects.
_RECORD_LISTS = ("data", "articles", "items", "results", "records", "rows", "documents")


def records_in_json(data: Any, text_field: str | None = None) -> list[Any]:
    """The records of a JSON document: a list's items, or the list of objects an object holds, or the object.

    A news API's answer (`{"status": "ok", "articles": [...]}`) or a dataset dump (`{"data": [...]}`) is
    its list; an object that has the text field, or holds no list of objects, is one record.

    Example:
        >>> records_in_json({"status": "ok", "totalResults": 2, "articles": [{"title": "A"}, {"title": "B"}]})
        [{'title': 'A'}, {'title': 'B'}]
        >>> records_in_json({"text": "One article.", "authors": [{"name": "Ann"}]}, text_field="text")
        [{'text': 'One article.', 'authors': [{'name': 'Ann'}]}]
    """
    if isinstance(data, list):
        return data
    if not isinstance(data, dict) or (text_field is not None and text_field in data):
        return [data]
    lists = {k: v for k, v in data.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)}
    if len(lists) == 1:
        return next(iter(lists.values()))
    return next((lists[k] for k in _RECORD_LISTS if k in lists), [data])


def likely_text_field(row: dict[str, Any]) -> str | None:
    """The field whose value is a row's longest text, when that is five words or more (to suggest --text-field).

    Example:
        >>> likely_text_field({"title": "Rates held", "body": "The bank held its rates on Thursday.", "n": 3})
        'body'
    """
    texts = [(len(v), str(k)) for k, v in row.items() if isinstance(v, str) and len(v.split()) >= 5]
    return max(texts)[1] if texts else None


def article_text(value: Any) -> str | None:
    """A text field's article: a string, or a list of strings (paragraphs, as some datasets keep them) joined by
    blank lines; None for anything else.

    Example:
        >>> article_text(["Rates were held.", "Markets rose."]), article_text(3)
        ('Rates were held.\\n\\nMarkets rose.', None)
    """
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return None


def flattened(row: dict[str, Any]) -> dict[str, Any]:
    """A row with the fields of its nested objects added one level down as `outer.inner`, so that a field option
    can name one (`--text-field content.body`) and the metadata columns find a news API's `source.name`.

    Example:
        >>> flattened({"id": 1, "source": {"name": "Gazette"}, "content": {"body": "Rates held."}})
        {'id': 1, 'source': {'name': 'Gazette'}, 'content': {'body': 'Rates held.'}, 'source.name': 'Gazette', \
'content.body': 'Rates held.'}
    """
    nested = {
        f"{k}.{k2}": v2
        for k, v in row.items()
        if isinstance(v, dict) and len(v) <= 50
        for k2, v2 in v.items()
        if f"{k}.{k2}" not in row
    }
    return {**row, **nested} if nested else row


def record_to_article(row: dict[str, Any], source: str, default_id: str, fields: Fields) -> Record:
    """One JSON/CSV/Parquet row to an article, or a failure that names the missing field."""
    row = flattened(row)
    id_ = _text_value(row.get(fields.id)) or default_id
    if fields.text not in row:
        have = ", ".join(map(str, list(row)[:12])) or "none"
        flag = " ".join(filter(None, ["--text-field", likely_text_field(row)]))
        return Failure(source=source, id=id_, error=f"{source}: no {fields.text!r} field (fields: {have}); use {flag}")
    text = article_text(row[fields.text])
    if text is None:
        kind = type(row[fields.text]).__name__
        return Failure(source=source, id=id_, error=f"{source}: field {fields.text!r} is {kind}, not text")
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
    return make_article(id_, title, strip_controls(text), source, meta)


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def jsonl_record(raw: bytes | None, where: str, fields: Fields) -> Record:
    """One JSONL line to an article or a failure (`raw` None: a line over the size cap)."""
    if raw is None:
        return _too_long(where)
    try:
        line, _ = decode(raw, where)
        row = json.loads(line)
    except (InputError, ValueError, RecursionError) as e:
        return Failure(source=where, id=where, error=f"{where}: not a JSON object ({describe(e)})")
    if not isinstance(row, dict):
        return Failure(source=where, id=where, error=f"{where}: a JSON {type(row).__name__}, not an object")
    return record_to_article(row, where, where, fields)


def _too_long(where: str) -> Failure:
    return Failure(source=where, id=where, error=f"{where}: line longer than {MAX_MEMBER_BYTES:,} bytes; skipped")


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


def check_jsonl_head(stream: IO[bytes], source: str, what: str = "JSONL") -> None:
    """InputError for a JSONL (or other line-by-line) stream that is binary or UTF-16 (its lines cannot be split
    on bytes)."""
    if sniff_encoding(peek(stream), source) != "utf-8-sig":
        raise InputError(f"{source}: {what} in UTF-16; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8 ...)")


def _read_jsonl(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    check_jsonl_head(stream, source)
    for lineno, raw in jsonl_lines(stream):
        yield jsonl_record(raw, f"{source}:{lineno}", fields)


def _read_lines(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    """One article per non-blank line (a list of headlines, fastText's input to predict): its id the line's place."""
    check_jsonl_head(stream, source, "text lines")
    for lineno, raw in jsonl_lines(stream):
        where = f"{source}:{lineno}"
        if raw is None:
            yield _too_long(where)
            continue
        text, warning = decode(raw, where)
        yield make_article(where, "", strip_controls(text.strip()), where, {"warnings": [warning]} if warning else {})


def _read_json(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    try:
        text, _ = read_whole(stream, source)
        data = json.loads(text)
    except (InputError, ValueError, RecursionError) as e:
        yield Failure(source=source, id=source, error=f"{source}: not valid JSON ({describe(e)})")
        return
    rows = records_in_json(data, fields.text)
    for i, row in enumerate(rows):
        where = source if len(rows) == 1 else f"{source}:{i + 1}"
        if isinstance(row, dict):
            yield record_to_article(row, where, where, fields)
        else:
            yield Failure(source=where, id=where, error=f"{where}: a JSON {type(row).__name__}, not an object")


def _read_csv(stream: IO[bytes], source: str, fields: Fields, delimiter: str | None = None) -> Iterator[Record]:
    """Rows of a CSV file; its delimiter, unless given, is the one its header line uses (`csv_delimiter`)."""
    csv.field_size_limit(MAX_MEMBER_BYTES)
    head = peek(stream)
    codec = sniff_encoding(head, source)
    if delimiter is None:
        delimiter = csv_delimiter(head.decode(codec, errors="replace"))
    wrapper = text_stream(stream, codec)
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


for _name, _reader in {
    "jsonl": _read_jsonl,
    "json": _read_json,
    "csv": _read_csv,
    "tsv": _read_tsv,
    "parquet": _read_parquet,
    "lines": _read_lines,
}.items():
    READERS.add(_name, _reader)
