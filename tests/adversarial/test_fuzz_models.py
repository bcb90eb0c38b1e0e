"""Property test over model folders: hypothesis mutates a small model's `nlpkit.json` and safetensors file.

A mutated folder (checksums re-signed, as someone handing out a model would) must either load and
predict finite probabilities, or be refused with nlpkit's `ModelError`; never another exception, a
hang or runaway memory. Each example is timed and the process's peak memory watched.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import resource
import shutil
import struct
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlpkit
from nlpkit.errors import ModelError

DATA = Path(__file__).resolve().parents[2] / "data"
#: What one example may cost.
SECONDS, MEGABYTES = 5.0, 600
FUZZ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from([0, 1, -1, 2, 10**9, 10**12, "word", "char_wb", "text-linear", "pair-trees", [1, 10**12]]),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def small_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A topic model (text-linear) and a stance model (pair-trees), trained once on the sample data."""
    root = tmp_path_factory.mktemp("fuzz-models")
    nlpkit.train("topic", DATA / "topics.jsonl", out=root / "topic", dev_split=0.25)
    nlpkit.train(
        "stance",
        DATA / "stance.jsonl",
        out=root / "stance",
        dev_split=0.25,
        params={"model": "pair-trees", "svd_components": 3, "max_iter": 10},
    )
    return {"topic": root / "topic", "stance": root / "stance"}


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path inside a JSON value."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    data[path[0]] = _set(data[path[0]], path[1:], value)
    return data


def _resign(folder: Path) -> None:
    meta = json.loads((folder / "nlpkit.json").read_text())
    if isinstance(meta.get("files"), dict):
        for name in list(meta["files"]):
            f = folder / str(name)
            if f.is_file() and f.resolve().parent == folder.resolve():
                meta["files"][name] = hashlib.sha256(f.read_bytes()).hexdigest()
    (folder / "nlpkit.json").write_text(json.dumps(meta))


def _mutate_arrays(folder: Path, how: str, pick: int, value: float) -> None:
    from safetensors.numpy import load_file, save_file

    f = folder / "model.safetensors"
    if how == "header":  # a byte of the JSON header changed
        raw = bytearray(f.read_bytes())
        (length,) = struct.unpack("<Q", raw[:8])
        raw[8 + pick % max(1, length)] = int(value) % 256 if math.isfinite(value) and abs(value) < 1e6 else pick % 256
        f.write_bytes(bytes(raw))
        return
    arrays = load_file(str(f))
    name = sorted(arrays)[pick % len(arrays)]
    a = arrays[name].copy()
    if how == "value" and a.size:
        flat = a.reshape(-1)
        if a.dtype.kind == "f":
            flat[pick % a.size] = value
        else:
            info = np.iinfo(a.dtype)
            if not math.isfinite(value) or value >= info.max:
                flat[pick % a.size] = info.max
            else:
                flat[pick % a.size] = info.min if value <= info.min else int(value)
    elif how == "shrink":
        a = a[: max(0, len(a) - 1 - pick % 3)]
    elif how == "drop":
        del arrays[name]
        save_file(arrays, str(f))
        return
    arrays[name] = np.ascontiguousarray(a)
    save_file(arrays, str(f))


def _check_outcome(folder: Path, task: str) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    try:
        model = nlpkit.load_model(folder)
        inputs: Any = ["The striker scored twice.", "Shares fell after the warning."]
        if task == "stance":
            inputs = [("Council bans cruise ships", "The council voted to ban cruise ships.")] * 2
        proba = model.predict_proba(inputs)
        assert np.isfinite(proba).all() and np.allclose(proba.sum(axis=1), 1.0), proba
    except ModelError as e:
        message = str(e)
        assert "\n" not in message and len(message) < 2100, message
    took = time.perf_counter() - start
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    assert took < SECONDS, f"loading and predicting took {took:.1f} s"
    assert grew < MEGABYTES, f"peak memory grew by {grew:.0f} MB"


@pytest.mark.parametrize("task", ["topic", "stance"])
@FUZZ
@given(data=st.data())
def test_mutated_description(small_models: dict[str, Path], tmp_path: Path, task: str, data: st.DataObject) -> None:
    folder = tmp_path / f"m{time.perf_counter_ns()}"
    shutil.copytree(small_models[task], folder)
    meta = json.loads((folder / "nlpkit.json").read_text())
    mutated = copy.deepcopy(meta)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(mutated)))
        # a copy: a drawn value can be one of the strategy's own constants (the list `[1, 10**12]`), which a
        # later draw could change in place, and the next example would then draw from a changed strategy
        mutated = _set(mutated, path, copy.deepcopy(data.draw(JSON_VALUES))) if path else mutated
    (folder / "nlpkit.json").write_text(json.dumps(mutated))
    if data.draw(st.booleans()):
        _resign(folder)
    _check_outcome(folder, task)


@pytest.mark.parametrize("task", ["topic", "stance"])
@FUZZ
@given(
    how=st.sampled_from(["header", "value", "shrink", "drop"]),
    pick=st.integers(0, 10**6),
    value=st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([-1.0, 1e9, 1e300, 0.0]),
)
def test_mutated_arrays(
    small_models: dict[str, Path], tmp_path: Path, task: str, how: str, pick: int, value: float
) -> None:
    folder = tmp_path / f"m{time.perf_counter_ns()}"
    shutil.copytree(small_models[task], folder)
    _mutate_arrays(folder, how, pick, value)
    _resign(folder)
    _check_outcome(folder, task)
