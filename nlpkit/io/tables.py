"""Labelled tables for training and evaluation: CSV, TSV, JSON, JSONL, Parquet, fastText's `__label__` lines, or
a Hugging Face dataset."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from nlpkit import config
from nlpkit.errors import DataError, InputError, describe, missing_extra
from nlpkit.io.decoding import (
    MAX_MEMBER_BYTES,
    READ_ERRORS,
    csv_delimiter,
    decompress,
    peek,
    sniff_encoding,
    text_stream,
)
from nlpkit.io.paths import format_of, not_a_regular_file, split_format
from nlpkit.io.readers.base import MAX_COLUMNS
from nlpkit.io.readers.rows import records_in_json
from nlpkit.types import Failure

#: fastText's label prefix: a word that starts with it is a label (`__label__sport The striker scored ...`).
FASTTEXT_LABEL = "__label__"
#: What `read_table` reads, for the error that refuses anything else.
FORMATS = (
    "CSV, TSV, JSON, JSONL, Parquet, fastText's __label__ lines (.txt), a folder with a subfolder of articles per "
    "label, or a dataset folder"
)
#: Files that mark a folder that `datasets` saved (`save_to_disk`: a Dataset's state, a DatasetDict's splits).
HF_FOLDER_FILES = ("state.json", "dataset_dict.json")


def read_table(source: str | Path, *, split: str | None = None) -> list[dict[str, Any]]:
    """All rows of a labelled file, a `save_to_disk` dataset folder, or a Hub dataset name.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
        >>> _ = p.write_text("text,label\\nA goal.,sport\\n")
        >>> read_table(p)
        [{'text': 'A goal.', 'label': 'sport'}]
    """
    path = Path(source)
    if path.is_dir():
        if any((path / name).is_file() for name in HF_FOLDER_FILES):
            return _hf_rows(str(path), split, local=True)
        return label_folder_rows(path)
    if not path.exists():
        if "/" in str(source) and not str(source).startswith((".", "/")) and path.suffix == "":
            return _hf_rows(str(source), split, local=False)
        raise DataError(f"{source}: no such file or folder")
    problem = not_a_regular_file(path)
    if problem:
        raise DataError(problem)
    fmt = format_of(path.name) or ""
    kind = split_format(fmt)[0]
    reader = _fasttext_rows if kind in ("txt", "") else _TABLES.get(kind)  # fastText's: .txt, .train, .valid
    if reader is None:
        raise DataError(f"{path}: unknown table format; use {FORMATS}")
    try:
        with _open_text(path, fmt) as f:
            rows = reader(f, path)
    except DataError:
        raise
    except (OSError, UnicodeError, ValueError, RecursionError, csv.Error, *READ_ERRORS) as e:
        raise DataError(f"{path}: could not be read as a table ({describe(e)})") from e
    if not rows:
        raise DataError(f"{path}: no rows")
    return rows


def _open_text(path: Path, fmt: str) -> IO[str]:
    raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 -- closed with the text wrapper
    kind, compression = split_format(fmt)
    if compression:
        raw = decompress(raw, str(path), compression)
    if kind == "parquet":
        return raw  # type: ignore[return-value]  # Parquet reads bytes
    try:
        encoding = sniff_encoding(peek(raw), str(path))
    except InputError as e:
        raw.close()
        raise DataError(str(e)) from None
    return text_stream(raw, encoding)


def _csv_rows(f: IO[str], path: Path, delimiter: str | None = None) -> list[dict[str, Any]]:
    """Rows of a CSV file; its delimiter, unless given, is the one its header line uses (`csv_delimiter`)."""
    csv.field_size_limit(MAX_MEMBER_BYTES)
    header = f.readline(MAX_MEMBER_BYTES)
    reader = csv.DictReader(itertools.chain([header], f), delimiter=delimiter or csv_delimiter(header))
    if len(reader.fieldnames or []) > MAX_COLUMNS:
        raise DataError(
            f"{path}:1: a header of {len(reader.fieldnames or []):,} columns; nlpkit reads at most {MAX_COLUMNS:,}"
        )
    rows = []
    for r in reader:
        if None in r:  # more cells than the header has columns
            raise DataError(
                f"{path}:{reader.line_num}: {len(r[None]) + len(reader.fieldnames or [])} cells for "
                f"{len(reader.fieldnames or [])} columns; fix the row or quote its commas"
            )
        rows.append(dict(r))
    return rows


def _jsonl_rows(f: IO[str], path: Path) -> list[dict[str, Any]]:
    rows = []
    for i, line in enumerate(iter(lambda: f.readline(MAX_MEMBER_BYTES + 1), ""), start=1):
        if len(line) > MAX_MEMBER_BYTES:
            raise DataError(f"{path}:{i}: a line longer than {MAX_MEMBER_BYTES:,} characters; split or remove it")
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (ValueError, RecursionError) as e:
            raise DataError(f"{path}:{i}: not a JSON object ({describe(e)}); fix or remove the line") from None
        if not isinstance(row, dict):
            raise DataError(f"{path}:{i}: a JSON {type(row).__name__}, not an object")
        rows.append(row)
    return rows


def _fasttext_rows(f: IO[str], path: Path) -> list[dict[str, Any]]:
    """fastText's format: a line per example, its label a word with the `__label__` prefix (as fastText reads it,
    anywhere in the line; the rest of the line is the text). A file whose first line has no label is refused
    as no table; a line with two labels too, since a topic model gives each text one label."""
    rows: list[dict[str, Any]] = []
    for i, line in enumerate(iter(lambda: f.readline(MAX_MEMBER_BYTES + 1), ""), start=1):
        if len(line) > MAX_MEMBER_BYTES:
            raise DataError(f"{path}:{i}: a line longer than {MAX_MEMBER_BYTES:,} characters; split or remove it")
        words = line.split()
        if not words:
            continue
        labels = list(dict.fromkeys(w[len(FASTTEXT_LABEL) :] for w in words if w.startswith(FASTTEXT_LABEL)))
        if not rows and not labels:
            raise DataError(f"{path}: unknown table format; use {FORMATS}")
        if len(labels) != 1:
            found = f"{len(labels)} labels ({', '.join(labels)})" if labels else "no __label__ word"
            raise DataError(f"{path}:{i}: {found}; nlpkit learns one label per text: give each line one")
        rows.append({"text": " ".join(w for w in words if not w.startswith(FASTTEXT_LABEL)), "label": labels[0]})
    return rows


def _json_rows(f: IO[str], path: Path) -> list[dict[str, Any]]:
    rows = records_in_json(json.load(f))
    bad = next((i for i, r in enumerate(rows, start=1) if not isinstance(r, dict)), None)
    if bad is not None:
        raise DataError(f"{path}: item {bad} is not a JSON object")
    return rows


def _parquet_rows(f: IO[Any], path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        columns = pq.ParquetFile(f).metadata.num_columns
        if columns > MAX_COLUMNS:
            raise DataError(f"{path}: {columns:,} columns; nlpkit reads at most {MAX_COLUMNS:,}")
        f.seek(0)
        return pq.read_table(f).to_pylist()
    except DataError:
        raise
    except Exception as e:  # pyarrow raises several types for a file that is not Parquet
        raise DataError(f"{path}: not a Parquet file ({describe(e)})") from e


#: Table readers by `io.paths.detect_format`'s name for a file (its compression undone first).
_TABLES: dict[str, Callable[[IO[Any], Path], list[dict[str, Any]]]] = {
    "csv": _csv_rows,
    "tsv": lambda f, path: _csv_rows(f, path, delimiter="\t"),
    "jsonl": _jsonl_rows,
    "json": _json_rows,
    "parquet": _parquet_rows,
}


def label_folder_rows(path: Path) -> list[dict[str, Any]]:
    """The examples of a folder with one subfolder per label (`bbc/sport/001.txt`: how the BBC and 20 Newsgroups
    sets come, and what scikit-learn's `load_files` reads): each article file under a subfolder, read as `classify`
    reads it (text, Markdown, HTML, Word ...), is an example of that subfolder's name. Files beside the subfolders
    (a README) are not examples; a file that cannot be read is an error naming it, as a bad line of a table is.

    Example:
        >>> import tempfile, pathlib
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for label, text in (("sport", "The striker scored."), ("business", "Shares fell.")):
        ...     (root / label).mkdir()
        ...     _ = (root / label / "001.txt").write_text(text)
        >>> [(r["label"], r["text"]) for r in label_folder_rows(root)]
        [('business', 'Shares fell.'), ('sport', 'The striker scored.')]
    """
    from nlpkit.io.readers import read_articles

    labels = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not labels:
        raise DataError(
            f"{path}: a folder with no subfolders; training reads a folder with one subfolder of articles per label "
            f"(or a dataset folder that datasets saved), else {FORMATS}"
        )
    rows: list[dict[str, Any]] = []
    for folder in labels:
        for record in read_articles(str(folder)):
            if isinstance(record, Failure):
                raise DataError(f"{record.error}; fix or remove it (label folder {folder.name!r})")
            rows.append({"id": record.id, "title": record.title, "text": record.text, "label": folder.name})
    return rows


def _hf_rows(name: str, split: str | None, *, local: bool) -> list[dict[str, Any]]:
    try:
        import datasets
    except ImportError:
        raise missing_extra(
            ModuleNotFoundError(name="datasets"), f"{name}: reading Hugging Face datasets"
        ) or DataError(name) from None
    reason = None if local else config.hub_unavailable()
    if reason:
        raise DataError(f"{name}: not a file or folder here, and {reason}; give a local file or saved dataset folder")
    try:
        ds: Any = datasets.load_from_disk(name) if local else datasets.load_dataset(name, split=split or "train")
    except FileNotFoundError as e:
        raise DataError(f"{name}: not a saved dataset folder or a known dataset ({e})") from e
    except Exception as e:  # datasets raises many types (network, format) for the same user mistake
        raise DataError(f"{name}: could not be loaded as a Hugging Face dataset ({type(e).__name__}: {e})") from e
    if isinstance(ds, datasets.DatasetDict):
        if split is None:
            split = "train" if "train" in ds else next(iter(ds))
        if split not in ds:
            raise DataError(f"{name}: no split {split!r}; splits: {', '.join(ds)}")
        ds = ds[split]
    return [dict(r) for r in ds]


def join_bodies(rows: list[dict[str, Any]], bodies: str | Path, *, key: str, text_field: str) -> list[dict[str, Any]]:
    """Attach each row's body text from a bodies table (FNC-1 style: headline rows + a body table)."""
    table = read_table(bodies)
    if key not in table[0]:
        raise DataError(f"{bodies}: no {key!r} column (columns: {', '.join(table[0])}); use --body-id-field")
    body_col = text_field if text_field in table[0] else next((c for c in table[0] if c != key), None)
    if body_col is None:
        raise DataError(f"{bodies}: no body text column besides {key!r}")
    lookup = {str(r[key]): r[body_col] for r in table}
    if rows and key not in rows[0]:
        raise DataError(f"no {key!r} column in the data to join on (columns: {', '.join(rows[0])})")
    out, missing = [], 0
    for r in rows:
        body = lookup.get(str(r.get(key)))
        if body is None:
            missing += 1
            continue
        out.append({**r, text_field: body})
    if missing == len(rows):
        raise DataError(f"{bodies}: no row's {key!r} matches a body; check --body-id-field")
    return out
