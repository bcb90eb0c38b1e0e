"""Writers: score records to JSONL, CSV or Parquet, appended safely so a job can resume.

JSONL and CSV are appended one batch at a time (one write, flushed and fsynced), so a
killed job leaves at most a partial last line, which resuming cuts off. Parquet cannot be
appended to, so rows are spooled to a hidden JSONL file beside the output and converted in
bounded chunks when the job finishes; the Parquet file then appears atomically.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from nlpkit.errors import OutputError
from nlpkit.io.files import open_append

FORMATS = ("jsonl", "csv", "parquet")


def output_format(path: str | Path) -> str:
    name = str(path).lower()
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name == "-":
        raise OutputError(
            "--out -: score writes a file, so that an interrupted job can resume (.jsonl, .csv or .parquet); "
            "for rows on standard output use nlpkit classify or nlpkit summarize with --format json"
        )
    raise OutputError(f"{path}: unknown output type; use .jsonl, .csv or .parquet")


def spool_path(out: Path) -> Path:
    """Where rows go while the job runs: the output itself, or a hidden JSONL spool for Parquet."""
    return out.with_name(f".{out.name}.partial.jsonl") if output_format(out) == "parquet" else out


def _clean_cell(v: Any) -> Any:
    if isinstance(v, str):
        return v.replace("\r", " ").replace("\n", " ")
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return v


def encode_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> bytes:
    """Rows as JSONL lines or CSV lines (no header) of the given columns, UTF-8.

    Example:
        >>> encode_rows([{"id": "a", "topic": "sport"}], ["id", "topic"], "jsonl")
        b'{"id": "a", "topic": "sport"}\\n'
    """
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        w.writerows({k: _clean_cell(r.get(k)) for k in columns} for r in rows)
    else:
        for r in rows:
            buf.write(json.dumps({k: r.get(k) for k in columns}, ensure_ascii=False) + "\n")
    return buf.getvalue().encode("utf-8")


def encode_header(columns: Sequence[str]) -> bytes:
    return (",".join(columns) + "\n").encode("utf-8")


class RowWriter:
    """Append rows in batches; `resume()` first to find how many complete rows are there."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.fmt = "csv" if output_format(path) == "csv" else "jsonl"  # Parquet spools as JSONL
        self.columns = list(columns)

    def resume(self) -> int:
        """Cut a partial last line off and return the number of complete rows already written."""
        if not self.path.exists():
            return 0
        with self.path.open("rb+") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            pos = size
            while pos > 0:
                step = min(65536, pos)
                f.seek(pos - step)
                chunk = f.read(step)
                nl = chunk.rfind(b"\n")
                if nl >= 0:
                    pos = pos - step + nl + 1
                    break
                pos -= step
            if pos != size:
                f.truncate(pos)
        n = 0
        with self.path.open("rb") as f:
            for _ in f:
                n += 1
        return max(0, n - 1) if self.fmt == "csv" else n

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        """Append rows (one write, flushed and fsynced)."""
        self.write_bytes(encode_rows(rows, self.columns, self.fmt))

    def write_bytes(self, data: bytes) -> None:
        """Append rows already encoded by `encode_rows` (the CSV header goes first into an empty file)."""
        if not data:
            return
        if self.fmt == "csv" and (not self.path.exists() or self.path.stat().st_size == 0):
            data = encode_header(self.columns) + data
        try:
            with open_append(self.path) as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:  # a full disk: name the file (a partial last line is cut off on --resume)
            e.filename = e.filename or str(self.path)
            raise

    def keep_rows_before(self, row: int) -> list[dict[str, Any]]:
        """Cut off the rows whose `row` column is `row` or more (written for output rows a resume drops);
        return the rows kept."""
        self.resume()  # a partial last line first
        kept: list[dict[str, Any]] = []
        if not self.path.exists():
            return kept
        cut = None
        with self.path.open("rb") as f:
            offset = 0
            for i, line in enumerate(f):
                if self.fmt == "csv" and i == 0:
                    offset += len(line)
                    continue
                parsed = self._row(line)
                if int(parsed.get("row") or 0) >= row:
                    cut = offset
                    break
                kept.append(parsed)
                offset += len(line)
        if cut is not None:
            with self.path.open("rb+") as f:
                f.truncate(cut)
        return kept

    def _row(self, line: bytes) -> dict[str, Any]:
        text = line.decode("utf-8")
        if self.fmt == "csv":
            return dict(zip(self.columns, next(csv.reader([text])), strict=False))
        value = json.loads(text)
        return value if isinstance(value, dict) else {}

    def read_rows(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", newline="") as f:
            if self.fmt == "csv":
                yield from csv.DictReader(f)
            else:
                for line in f:
                    if line.strip():
                        yield json.loads(line)


def finish_parquet(
    spool: Path, out: Path, columns: Sequence[str], schema_types: dict[str, str], chunk: int = 10_000
) -> None:
    """Convert the JSONL spool to Parquet in bounded chunks, then move it into place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "float": pa.float64(), "int": pa.int64()}
    schema = pa.schema([(c, types[schema_types.get(c, "string")]) for c in columns])
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)  # a fresh name: no link
    os.close(fd)
    tmp = Path(name)
    with pq.ParquetWriter(tmp, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in RowWriter(spool, columns).read_rows():
            batch.append(row)
            if len(batch) >= chunk:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    tmp.replace(out)
    spool.unlink()
