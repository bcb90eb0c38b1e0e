"""Labelled tables for training and evaluation: CSV, TSV, JSON, JSONL, Parquet, or a Hugging Face dataset."""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path
from typing import Any

from nlpkit.errors import DataError


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
        return _hf_rows(str(path), split, local=True)
    if not path.exists():
        if "/" in str(source) and not str(source).startswith((".", "/")) and path.suffix == "":
            return _hf_rows(str(source), split, local=False)
        raise DataError(f"{source}: no such file or folder")
    name = path.name.lower().removesuffix(".gz")
    opener: Any = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        if name.endswith((".csv", ".tsv")):
            csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
            with opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as f:
                rows = [dict(r) for r in csv.DictReader(f, delimiter="\t" if name.endswith(".tsv") else ",")]
        elif name.endswith((".jsonl", ".ndjson")):
            rows = []
            with opener(path, "rt", encoding="utf-8", errors="replace") as f:
                for i, line in enumerate(f, start=1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise DataError(f"{path}:{i}: not a JSON object ({e.msg}); fix or remove the line") from None
                    if not isinstance(row, dict):
                        raise DataError(f"{path}:{i}: a JSON {type(row).__name__}, not an object")
                    rows.append(row)
        elif name.endswith(".json"):
            with opener(path, "rt", encoding="utf-8", errors="replace") as f:
                data = json.load(f)
            rows = data if isinstance(data, list) else data.get("data", [data]) if isinstance(data, dict) else []
        elif name.endswith((".parquet", ".pq")):
            import pyarrow.parquet as pq

            rows = pq.read_table(path).to_pylist()
        else:
            raise DataError(f"{path}: unknown table format; use CSV, TSV, JSON, JSONL, Parquet or a dataset folder")
    except (OSError, UnicodeError, ValueError) as e:
        if isinstance(e, DataError):
            raise
        raise DataError(f"{path}: could not be read as a table ({e})") from e
    if not rows:
        raise DataError(f"{path}: no rows")
    return rows


def _hf_rows(name: str, split: str | None, *, local: bool) -> list[dict[str, Any]]:
    try:
        import datasets
    except ImportError:
        raise DataError(
            f"{name}: reading Hugging Face datasets needs the datasets extra: pip install 'nlpkit[datasets]'"
        ) from None
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
