"""Bytes to text, safely: encodings sniffed, binary refused, decompression bounded.

Everything read whole (a file, an archive member, a line) is capped at `MAX_MEMBER_BYTES`, and
every gzip, bzip2 or xz stream is checked against `MAX_RATIO` as it inflates, so a small hostile file cannot
take the memory. Control characters and lone surrogates never reach the text.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from typing import IO, Any

from nlpkit.errors import InputError

#: Largest piece read whole: a file, an archive member, a JSONL line or a CSV field (bytes).
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: Largest compression ratio accepted once more than a megabyte has come out of a stream.
MAX_RATIO = 200


#: The first two bytes of gzip data (a gzipped sitemap served as a file, not as a transfer encoding).
GZIP_MAGIC = b"\x1f\x8b"
#: Errors while reading compressed or damaged data (zlib's own error is not an OSError).
READ_ERRORS = (OSError, EOFError, zlib.error)

#: Control characters (all but tab and line ends) and lone UTF-16 surrogates (from JSON escapes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")


def member_size_problem(where: str, size: int, compressed: int | None, *, limit: int = MAX_MEMBER_BYTES) -> str | None:
    """Why a compressed member (of an archive, of a Word document) is not inflated: `size` bytes out over `limit`,
    or more than a megabyte at over `MAX_RATIO` times its `compressed` size (a bomb); else None.

    Example:
        >>> member_size_problem("a.zip!big.txt", 20_000_000, 10_000)
        'a.zip!big.txt: inflates more than 200:1 (a decompression bomb); not read'
    """
    if size > limit:
        return f"{where}: member is {size:,} bytes uncompressed, over the {limit:,} byte limit"
    if compressed and size > 1_000_000 and size > MAX_RATIO * compressed:
        return f"{where}: inflates more than {MAX_RATIO}:1 (a decompression bomb); not read"
    return None


def decode(data: bytes, source: str) -> tuple[str, str | None]:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (with or without BOM), else Windows-1252.

    Binary data is refused; stray control characters (NUL and the like) are dropped.
    Returns `(text, warning)`; the warning says when the text was not valid UTF-8.
    """
    codec = sniff_encoding(data[:8192], source)
    if codec != "utf-8-sig":
        return strip_controls(data.decode(codec, errors="replace")), None
    try:
        return strip_controls(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as e:
        bad_at = e.start
    try:
        text = data.decode("cp1252")
        return strip_controls(text), f"{source}: not valid UTF-8 (byte {bad_at}); read as Windows-1252"
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        return strip_controls(text), f"{source}: not valid UTF-8 (byte {bad_at}); bad bytes replaced"


#: Bytes that are not control characters (tab, line ends and form feed count as text).
_TEXT_BYTES = bytes(b for b in range(256) if (b >= 32 and b != 127) or b in b"\t\n\r\x0b\x0c")


def sniff_encoding(head: bytes, source: str) -> str:
    """The codec of text starting with `head` (`utf-8-sig`, or UTF-16), or InputError for binary data.

    Binary: NUL bytes (outside UTF-16) with more than 2% control bytes, or more than 30% control bytes.
    A stray NUL in text, or text full of terminal escapes, is still text.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is not None:
            return utf16
    controls = len(head.translate(None, _TEXT_BYTES))
    if controls > 0.3 * len(head) or (b"\x00" in head and controls > 0.02 * len(head)):
        raise InputError(
            f"{source}: looks like a binary file, not text ({controls:,} control bytes in the first {len(head):,})"
        )
    return "utf-8-sig"


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Error handler: bytes that are not UTF-8 read as Windows-1252, as `decode` reads a whole file."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("nlpkit-cp1252", _as_cp1252)


def text_stream(raw: IO[bytes], codec: str) -> io.TextIOWrapper:
    """A text stream over `raw` in `sniff_encoding`'s codec, line ends kept for the csv module.

    UTF-8 with stray Windows-1252 bytes (a spreadsheet's export on Windows) reads as `decode` reads it:

    >>> text_stream(io.BytesIO("id,text\\n1,Café in Zürich\\n".encode("cp1252")), "utf-8-sig").read()
    'id,text\\n1,Café in Zürich\\n'
    """
    errors = "nlpkit-cp1252" if codec == "utf-8-sig" else "replace"
    return io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")


#: Delimiters a CSV file may use (spreadsheets set to a European locale write `;`); the first wins a tie.
CSV_DELIMITERS = (",", ";", "\t", "|")


def csv_delimiter(head: str) -> str:
    """The delimiter of a CSV file whose text starts with `head`: the one that cuts its header into most cells.

    >>> csv_delimiter("id;title;text\\n1;Shares, bonds;Text")
    ';'
    >>> csv_delimiter('id,"title;headline",text')
    ','
    >>> csv_delimiter("text")
    ','
    """
    line = head.splitlines()[0] if head else ""
    cells = {d: len(next(csv.reader([line], delimiter=d), [])) for d in CSV_DELIMITERS}
    return max(CSV_DELIMITERS, key=lambda d: (cells[d], -CSV_DELIMITERS.index(d)))


def peek(stream: IO[bytes], size: int = 8192) -> bytes:
    """The first bytes of a stream, left unread."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        return bytes(peek(size)[:size])
    head = stream.read(size)
    stream.seek(0)
    return head


def _utf16_without_bom(head: bytes) -> str | None:
    """`utf-16-le`/`-be` when NUL bytes sit on one side of most byte pairs of readable text, else None."""
    even, odd = head[0:-1:2], head[1::2]
    if len(odd) < 8:
        return None
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        codec = "utf-16-le"
    elif even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        codec = "utf-16-be"
    else:
        return None
    sample = head[: len(head) // 2 * 2].decode(codec, errors="replace")
    readable = sum(ch.isprintable() or ch.isspace() for ch in sample)
    return codec if readable >= 0.95 * len(sample) else None


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def bounded_read(stream: IO[bytes], where: str) -> bytes:
    """A stream read whole, refused past `MAX_MEMBER_BYTES`."""
    data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(f"{where}: larger than the {MAX_MEMBER_BYTES:,} byte limit for one file or member")
    return data


class GuardedDecompressor(io.RawIOBase):
    """A gzip, bzip2 or xz stream that refuses to inflate past `MAX_RATIO` times what it has read (a bomb)."""

    def __init__(self, raw: IO[bytes], where: str, compression: str = ".gz") -> None:
        self._raw = raw
        self._kind = _KINDS[compression]
        self._damage: tuple[type[Exception], ...] = ()
        self._file: Any
        if compression == ".gz":
            self._file = gzip.GzipFile(fileobj=raw, mode="rb")
        elif compression == ".bz2":
            import bz2

            self._file = bz2.BZ2File(raw, mode="rb")
        else:
            import lzma

            self._file = lzma.LZMAFile(raw, mode="rb")  # noqa: SIM115 -- closed by `close`
            self._damage = (lzma.LZMAError,)
        self._where = where
        self._start = raw.tell() if raw.seekable() else 0
        self._out = 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """Close the decompressor and the stream under it (the file the caller opened)."""
        if not self.closed:
            self._file.close()
            self._raw.close()
        super().close()

    def readinto(self, buffer: Any) -> int:
        # read1: at most one read of the compressed stream, so the data before damage is returned first
        try:
            data = self._file.read1(len(buffer))
        except self._damage as e:  # xz's own error is not an OSError
            raise OSError(f"damaged {self._kind} data ({e})") from e
        n = len(data)
        buffer[:n] = data
        self._out += n
        if self._out > 1_000_000:
            consumed = max(1, (self._raw.tell() if self._raw.seekable() else 0) - self._start)
            if self._out / consumed > MAX_RATIO:
                raise InputError(
                    f"{self._where}: {self._kind} data inflates more than {MAX_RATIO}:1 (a decompression bomb); "
                    "rest skipped"
                )
        return n


#: The compressions `decompress` undoes (`nlpkit.io.paths.COMPRESSIONS`), by name.
_KINDS = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}


def decompress(raw: IO[bytes], where: str, compression: str = ".gz") -> IO[bytes]:
    """A buffered, bomb-guarded reader of the gzip, bzip2 or xz (`.gz`, `.bz2`, `.xz`) data in `raw`."""
    return io.BufferedReader(GuardedDecompressor(raw, where, compression), buffer_size=1 << 16)
