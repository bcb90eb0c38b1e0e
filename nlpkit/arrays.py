"""Named arrays in one safetensors file, and the JSON spec beside them: numbers only, checked on the way in.

A model's arrays are read back through an `ArrayReader`, which hands out an array only with
the rank and kind of number the caller expects, so a tampered file gives a clear error
instead of a wrong prediction. Before anything is read, the file's header is checked against
the file's size and `MAX_ARRAY_BYTES`, so a small file that declares huge arrays is refused
without taking the memory. A model's JSON spec is read through a `SpecReader`, which hands out
each setting only with the type and range the caller expects.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit.errors import ModelError, describe

#: Array types a model file may hold; anything else is refused.
ARRAY_DTYPES = frozenset({"float64", "float32", "int64", "int32", "uint32", "uint8"})
#: Most bytes of arrays one model file may declare (the bundled models hold a few MB).
MAX_ARRAY_BYTES = 512 * 1024 * 1024
#: Longest safetensors header read.
MAX_HEADER_BYTES = 16 * 1024 * 1024
_SIZES = {"F64": 8, "F32": 4, "I64": 8, "I32": 4, "U32": 4, "U8": 1}
#: Types safetensors knows that nlpkit's arrays never use (named as numpy names them).
_OTHER_TYPES = {
    "F16": "float16",
    "BF16": "bfloat16",
    "I16": "int16",
    "I8": "int8",
    "U16": "uint16",
    "U64": "uint64",
    "BOOL": "bool",
    "F8_E4M3": "float8",
    "F8_E5M2": "float8",
}


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Named arrays into one safetensors file."""
    from safetensors.numpy import save_file

    bad = {k: str(v.dtype) for k, v in arrays.items() if str(v.dtype) not in ARRAY_DTYPES}
    if bad:
        raise ModelError(f"cannot save arrays of types {bad}")
    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(path))


def check_header(path: Path) -> None:
    """Refuse a safetensors file whose header is not what nlpkit writes: unknown types, shapes that do not
    match their byte ranges, ranges past the end of the file, or more than `MAX_ARRAY_BYTES` in all."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
            (length,) = struct.unpack("<Q", head) if len(head) == 8 else (None,)
            if length is None or length > min(MAX_HEADER_BYTES, size - 8):
                raise ValueError("the header length does not fit the file")
            header = json.loads(f.read(length))
    except (OSError, ValueError, RecursionError, struct.error) as e:
        raise ModelError(f"{path}: not a readable safetensors file ({describe(e)}); refusing to load it") from e
    if size - 8 - length > MAX_ARRAY_BYTES:
        raise ModelError(f"{path}: {size:,} bytes of arrays, more than the {MAX_ARRAY_BYTES:,} nlpkit models hold")
    if not isinstance(header, dict):
        raise ModelError(f"{path}: not a readable safetensors file (header is not an object); refusing to load it")
    total = 0
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = entry.get("dtype") if isinstance(entry, dict) else None
        if dtype in _OTHER_TYPES:
            raise ModelError(
                f"{path}: array {str(name)[:80]!r} has type {_OTHER_TYPES[dtype]}, which nlpkit models never hold"
            )
        nbytes = _declared_bytes(entry)
        start, end = entry["data_offsets"] if nbytes is not None else (0, -1)
        if nbytes is None or end - start != nbytes or not 0 <= start <= end <= size - 8 - length:
            raise ModelError(
                f"{path}: not a readable safetensors file (array {str(name)[:80]!r}: its type, shape and size "
                "do not agree with the file); refusing to load it"
            )
        total += nbytes
    if total > MAX_ARRAY_BYTES:
        raise ModelError(f"{path}: declares {total:,} bytes of arrays, more than the {MAX_ARRAY_BYTES:,} allowed")


def _declared_bytes(entry: Any) -> int | None:
    """The bytes a header entry's type and shape need, or None for an entry that is not well formed."""
    if not isinstance(entry, dict) or entry.get("dtype") not in _SIZES:
        return None
    shape, offsets = entry.get("shape"), entry.get("data_offsets")
    ints = (list, tuple)
    if not isinstance(shape, ints) or not isinstance(offsets, ints) or len(offsets) != 2 or len(shape) > 8:
        return None
    if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in [*shape, *offsets]):
        return None
    return math.prod(shape) * _SIZES[entry["dtype"]]


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a safetensors file; a file that is not one, or holds other types, is refused."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    check_header(path)
    try:
        arrays = load_file(str(path))
    except (SafetensorError, OSError, ValueError, TypeError, KeyError) as e:
        raise ModelError(f"{path}: not a readable safetensors file ({describe(e)}); refusing to load it") from e
    for name, a in arrays.items():
        if str(a.dtype) not in ARRAY_DTYPES:
            raise ModelError(f"{path}: array {name!r} has type {a.dtype}, which nlpkit models never hold")
    return arrays


#: The largest magnitude a number in a model may have, in its arrays or its settings (`SpecReader.number`):
#: no trained model comes near it, and sums of larger values can overflow to NaN.
VALUE_LIMIT = 1e12


class ArrayReader:
    """Named arrays of one model file, handed out only with the rank and kind a model expects."""

    def __init__(self, arrays: dict[str, np.ndarray], where: str) -> None:
        self.arrays = arrays
        self.where = where

    def get(self, name: str, ndim: int, kinds: str = "fiu") -> np.ndarray:
        a = self.arrays.get(name)
        if a is None:
            raise ModelError(f"{self.where}: no array {name!r}; the model file is incomplete")
        if a.ndim != ndim:
            raise ModelError(f"{self.where}: array {name!r} has shape {a.shape}, expected {ndim} dimension(s)")
        if a.dtype.kind not in kinds:
            raise ModelError(f"{self.where}: array {name!r} has type {a.dtype}, expected {kinds!r} kinds")
        if a.dtype.kind == "f" and a.size:
            largest = np.abs(a).max()
            if not np.isfinite(largest):
                raise ModelError(f"{self.where}: array {name!r} holds NaN or infinite values")
            if largest > VALUE_LIMIT:
                raise ModelError(
                    f"{self.where}: array {name!r} holds {largest:.3g}; no nlpkit model has a value beyond "
                    f"{VALUE_LIMIT:g}, and sums of such values overflow to NaN"
                )
        return a

    def scope(self, prefix: str) -> ArrayReader:
        """The arrays under `prefix.`, by their short names."""
        p = prefix + "."
        return ArrayReader({k[len(p) :]: v for k, v in self.arrays.items() if k.startswith(p)}, self.where)


class SpecReader:
    """A model's JSON spec, handed out setting by setting with the type and range each must have.

    Example:
        >>> spec = SpecReader({"ngram": [1, 2], "scale": 2.5}, "model")
        >>> spec.pair("ngram", 1, 10), spec.number("scale")
        ((1, 2), 2.5)
    """

    def __init__(self, data: Any, where: str, path: str = "spec") -> None:
        if not isinstance(data, dict):
            raise ModelError(f"{where}: {path} is {_kind(data)}, not an object")
        self.data = data
        self.where = where
        self.path = path

    def _fail(self, key: str, what: str) -> ModelError:
        return ModelError(f"{self.where}: {self.path}.{key} must be {what}")

    def raw(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def has(self, key: str) -> bool:
        return key in self.data

    def sub(self, key: str) -> SpecReader:
        return SpecReader(self.data.get(key), self.where, f"{self.path}.{key}")

    def subs(self, key: str, most: int = 10_000) -> list[SpecReader]:
        items = self.data.get(key)
        if not isinstance(items, list) or len(items) > most:
            raise self._fail(key, f"a list of at most {most:,} objects")
        return [SpecReader(x, self.where, f"{self.path}.{key}[{i}]") for i, x in enumerate(items)]

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        value = self.data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self._fail(key, f"a whole number from {low:,} to {high:,}")
        return value

    def number(self, key: str, default: float | None = None, *, limit: float = VALUE_LIMIT) -> float:
        value = self.data.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise self._fail(key, "a finite number")
        if abs(value) > limit:
            raise self._fail(key, f"a number of at most {limit:g}")
        return float(value)

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def choice(self, key: str, choices: Sequence[str], default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            raise self._fail(key, f"one of {', '.join(choices)}")
        return str(value)

    def strings(self, key: str, most: int = 1_000_000) -> list[str]:
        value = self.data.get(key)
        if not isinstance(value, list) or len(value) > most or not all(isinstance(x, str) for x in value):
            raise self._fail(key, f"a list of at most {most:,} strings")
        return list(value)

    def pair(self, key: str, low: int, high: int) -> tuple[int, int]:
        value = self.data.get(key)
        if not (isinstance(value, list | tuple) and len(value) == 2):
            raise self._fail(key, f"two whole numbers from {low} to {high}, in order")
        a, b = value
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (a, b)) or not low <= a <= b <= high:
            raise self._fail(key, f"two whole numbers from {low} to {high}, in order")
        return int(a), int(b)


def _kind(value: Any) -> str:
    return "missing" if value is None else f"a JSON {type(value).__name__}"
