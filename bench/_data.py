"""Locating and reading the reference data in ../shared/data (or $NLPKIT_DATA)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nlpkit import config
from nlpkit.metrics import classification_metrics


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


def timed_run(
    fit: Callable[[list[Any], list[str]], Callable[[list[Any]], list[str]]],
    Xtr: list[Any],
    ytr: list[str],
    Xte: list[Any],
    yte: list[str],
) -> dict[str, Any]:
    """Train `fit` on the training part, predict the test part: nlpkit's metrics (with the FNC-1
    score for FNC labels), training seconds and predictions per second."""
    t0 = time.perf_counter()
    predict = fit(Xtr, ytr)
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = predict(Xte)
    rate = len(Xte) / (time.perf_counter() - t0)
    m = classification_metrics(yte, pred, labels=sorted(set(ytr) | set(yte)))
    return {**m, "train_s": train_s, "pred_per_s": rate}
