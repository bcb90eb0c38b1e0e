"""Locating and reading the reference data in ../shared/data (or $NLPKIT_DATA)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlpkit import config


def data_dir(arg: str | None = None) -> Path:
    path = Path(arg) if arg else config.DATA_DIR
    if not path.is_dir():
        sys.exit(f"reference data not found at {path}: pass --data or set NLPKIT_DATA")
    return path


def jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
