"""Named arrays in one safetensors file: numbers only, checked against what a model expects.

A model's arrays are read back through an `ArrayReader`, which hands out an array only with
the rank and kind of number the caller expects, so a tampered file gives a clear error
instead of a wrong prediction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nlpkit.errors import ModelError, describe

#: Array types a model file may hold; anything else is refused.
ARRAY_DTYPES = frozenset({"float64", "float32", "int64", "int32", "uint32", "uint8"})


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Named arrays into one safetensors file."""
    from safetensors.numpy import save_file

    bad = {k: str(v.dtype) for k, v in arrays.items() if str(v.dtype) not in ARRAY_DTYPES}
    if bad:
        raise ModelError(f"cannot save arrays of types {bad}")
    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(path))


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a safetensors file; a file that is not one, or holds other types, is refused."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    try:
        arrays = load_file(str(path))
    except (SafetensorError, OSError, ValueError, TypeError, KeyError) as e:
        raise ModelError(f"{path}: not a readable safetensors file ({describe(e)}); refusing to load it") from e
    for name, a in arrays.items():
        if str(a.dtype) not in ARRAY_DTYPES:
            raise ModelError(f"{path}: array {name!r} has type {a.dtype}, which nlpkit models never hold")
    return arrays


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
        if a.dtype.kind == "f" and not np.isfinite(a).all():
            raise ModelError(f"{self.where}: array {name!r} holds NaN or infinite values")
        return a

    def scope(self, prefix: str) -> ArrayReader:
        """The arrays under `prefix.`, by their short names."""
        p = prefix + "."
        return ArrayReader({k[len(p) :]: v for k, v in self.arrays.items() if k.startswith(p)}, self.where)
