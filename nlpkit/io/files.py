"""Writing files so that a link planted in an output folder can never redirect a write.

Whole files are written to a fresh temporary name (created exclusively, so nothing already there
is opened) and renamed into place: a link at the final name is replaced, not followed. Files that
grow (a job's output, its errors file) are opened with `O_NOFOLLOW`, so a link there is an error,
not a write into whatever it points at. Small files nlpkit reads back (a job manifest) are read the
same way, never through a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write `data` to `path` whole: a fresh temporary file beside it, synced, then renamed over `path`.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
        >>> _ = write_atomic(p, "{}")
        >>> p.read_text()
        '{}'
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def create_new(path: str | Path) -> None:
    """Create `path` as a new empty file; an existing file or link there is an error (`FileExistsError`)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666))


def open_append(path: str | Path) -> BinaryIO:
    """`path` opened for appending (created if missing), never through a link (`OSError` ELOOP for one)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o666)
    return os.fdopen(fd, "ab")


def read_small(path: str | Path, limit: int) -> bytes:
    """A regular file's bytes, read without following a link; `ValueError` past `limit` bytes or for a non-file."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise ValueError("not a regular file")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit:,} bytes")
    return data


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths are one file (links followed; hard links count); False when either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
