"""Sparse rows (CSR triples), strings as arrays, softmax: what every numpy-only predictor shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlpkit.arrays import ArrayReader
from nlpkit.errors import ModelError

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Csr:
    """Rows of a sparse matrix: `indices`/`data` of row i are in `indptr[i]:indptr[i+1]`."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, matrix: np.ndarray) -> np.ndarray:
        """`self @ matrix` for a dense `matrix` of shape (width, k)."""
        out = np.zeros((self.rows, matrix.shape[1]))
        if len(self.indices) == 0:
            return out
        contrib = matrix[self.indices] * self.data[:, None]
        starts = self.indptr[:-1]
        full = np.diff(self.indptr) > 0
        # rows are contiguous, so summing from each non-empty row's start to the next one's is exact
        out[full] = np.add.reduceat(contrib, starts[full], axis=0)
        return out

    def multiply_rows(self, other: Csr) -> np.ndarray:
        """Row-wise dot products of two matrices with the same rows and width (cosines of unit rows)."""
        out = np.zeros(self.rows)
        for i in range(self.rows):
            a, b = slice(self.indptr[i], self.indptr[i + 1]), slice(other.indptr[i], other.indptr[i + 1])
            ia, ib = self.indices[a], other.indices[b]
            if len(ia) and len(ib):
                common, xa, xb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
                if len(common):
                    out[i] = float(self.data[a][xa] @ other.data[b][xb])
        return out

    def take(self, rows: Sequence[int] | np.ndarray) -> Csr:
        """The given rows, in that order."""
        idx = np.asarray(rows, dtype=np.int64)
        lengths = np.diff(self.indptr)[idx]
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        picks = [np.arange(self.indptr[i], self.indptr[i + 1]) for i in idx]
        flat = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
        return Csr(indptr, self.indices[flat], self.data[flat], self.width)

    @classmethod
    def hstack(cls, parts: Sequence[Csr]) -> Csr:
        """Side-by-side blocks (same rows), their columns shifted by the widths before them."""
        if len(parts) == 1:
            return parts[0]
        n = parts[0].rows
        rows_idx, rows_val = [], []
        for i in range(n):
            offset = 0
            for p in parts:
                a, b = p.indptr[i], p.indptr[i + 1]
                rows_idx.append(p.indices[a:b] + offset)
                rows_val.append(p.data[a:b])
                offset += p.width
        lengths = [len(x) for x in rows_idx]
        counts = np.add.reduceat(lengths, np.arange(0, len(lengths), len(parts))) if lengths else np.zeros(0)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        indices = np.concatenate(rows_idx) if rows_idx else np.zeros(0, dtype=np.int64)
        data = np.concatenate(rows_val) if rows_val else np.zeros(0)
        return cls(indptr, indices.astype(np.int64), data, sum(p.width for p in parts))


def text_array(items: Sequence[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array (NUL-separated), the way safetensors can hold them."""
    return np.frombuffer("\x00".join(items).encode("utf-8"), dtype=np.uint8)


def array_text(arrays: ArrayReader, name: str) -> list[str]:
    """The strings of a `text_array`."""
    try:
        return arrays.get(name, 1, "u").tobytes().decode("utf-8").split("\x00")
    except UnicodeDecodeError as e:
        raise ModelError(f"{arrays.where}: {name!r} is not UTF-8 text") from e


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
