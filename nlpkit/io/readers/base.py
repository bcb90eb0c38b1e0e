"""What every reader shares: the record fields, the registry of formats, one stream read by its format.

A reader turns a byte stream into `Article`s and, for what it cannot read, `Failure`s; it is
registered in `READERS` under its format's name (`nlpkit.io.paths` names formats by extension).
`read_stream` runs the reader for a format and turns damage part-way into one failure after the
records that came before it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nlpkit import config
from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import READ_ERRORS, bounded_read, decode, decompress, strip_controls
from nlpkit.io.paths import split_format
from nlpkit.registry import Registry
from nlpkit.types import Article, Failure

Record = Article | Failure


@dataclass(frozen=True)
class Fields:
    """Which record fields hold the text, title, id and (for stance) the target."""

    text: str = "text"
    title: str = "title"
    id: str = "id"
    target: str | None = None


#: Most columns a CSV file may have (each row becomes a record of that many fields).
MAX_COLUMNS = 10_000


Reader = Callable[[IO[bytes], str, Fields], Iterator[Record]]


READERS: Registry[Reader] = Registry("input format")


def limit_text(text: str, source: str, meta: dict[str, Any]) -> str:
    if len(text) > config.MAX_ARTICLE_CHARS:
        meta.setdefault("warnings", []).append(
            f"{source}: {len(text):,} characters; only the first {config.MAX_ARTICLE_CHARS:,} are used "
            "(set NLPKIT_MAX_ARTICLE_CHARS to change)"
        )
        return text[: config.MAX_ARTICLE_CHARS]
    return text


def make_article(id_: str, title: str, text: str, source: str, meta: dict[str, Any]) -> Record:
    text = limit_text(text, source, meta)
    if not text.strip():
        return Failure(source=source, id=id_, error=f"{source}: empty article (no text)")
    return Article(id=id_, title=strip_controls(title), text=text, source=source, meta=meta)


def open_input(path: Path, fmt: str) -> IO[bytes]:
    """A file opened for reading, its compression (`.gz`, `.bz2`, `.xz`) undone, bomb-guarded.

    `detect_format` gives "tar" for `.tar.gz` and the like (tarfile undoes those itself).
    """
    raw = open(path, "rb")  # noqa: SIM115 -- the caller closes the returned stream
    compression = split_format(fmt)[1]
    return decompress(raw, str(path), compression) if compression else raw


def read_whole(stream: IO[bytes], source: str) -> tuple[str, str | None]:
    """A stream read whole (up to the cap) and decoded."""
    return decode(bounded_read(stream, source), source)


def read_bytes(data: bytes, where: str, fmt: str, fields: Fields) -> Iterator[Record]:
    """Records of one file or archive member held in memory (its compression undone first)."""
    stream: IO[bytes] = io.BytesIO(data)
    compression = split_format(fmt)[1]
    if compression:
        stream = decompress(stream, where, compression)
    yield from read_stream(stream, where, fmt, fields)


def read_stream(stream: IO[bytes], source: str, fmt: str, fields: Fields) -> Iterator[Record]:
    """The records of one stream in format `fmt`.

    Damage part-way (a cut or corrupt gzip, bzip2 or xz stream, a read error) keeps every record before it and adds
    one failure; a stream with no records at all is one failure.
    """
    found = 0
    try:
        for rec in READERS.get(split_format(fmt)[0])(stream, source, fields):
            found += 1
            yield rec
    except (InputError, *READ_ERRORS) as e:
        found += 1
        yield stream_failure(source, e)
    if not found:
        yield stream_failure(source, None)


def stream_failure(source: str, error: BaseException | None) -> Failure:
    """The failure of a whole stream: damage part-way (`error`), or no articles at all (None)."""
    if error is None:
        problem = "no articles in it"
    elif isinstance(error, InputError):
        problem = str(error)
    else:
        problem = f"could not be read to the end ({describe(error)})"
    return Failure(source=source, id=source, error=problem if problem.startswith(source) else f"{source}: {problem}")
