"""Archives: zip and tar members read one by one (never extracted), and WARC web archives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import MAX_MEMBER_BYTES, READ_ERRORS, bounded_read, member_size_problem
from nlpkit.io.paths import UNREAD, format_of, split_format, unread_document
from nlpkit.io.readers.base import READERS, Fields, Record, read_bytes
from nlpkit.io.readers.pages import page_article
from nlpkit.io.warc import iter_warc_responses
from nlpkit.types import Failure

if TYPE_CHECKING:  # the readers import them when an archive is read, not for every text file
    import zipfile


def member_problem(where: str, name: str, fmt: str, size: int, compressed: int | None) -> str | None:
    """Why an archive member is not read (unsafe path, nested archive, a document nlpkit does not read, too large),
    or None."""
    if not _safe_name(name):
        return f"{where}: unsafe member path; skipped"
    if split_format(fmt)[0] == UNREAD:  # said before it is inflated: reading it would only end in this failure
        return f"{where}: {unread_document(name)}"
    if fmt in ("zip", "tar"):
        return f"{where}: an archive inside an archive is not read; extract it first"
    return member_size_problem(where, size, compressed, limit=MAX_MEMBER_BYTES)


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return not (name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]))


def zip_entries(zf: zipfile.ZipFile, source: str) -> Iterator[tuple[int, zipfile.ZipInfo, str, str]]:
    """(index, info, where, format) of each member nlpkit reads, in archive order."""
    for i, info in enumerate(zf.infolist()):
        fmt = format_of(info.filename)
        if not info.is_dir() and fmt is not None:
            yield i, info, f"{source}!{info.filename}", fmt


def zip_member_records(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, fmt: str, fields: Fields
) -> Iterator[Record]:
    """The records of one zip member, or one failure saying why it was not read."""
    import zipfile

    problem = member_problem(where, info.filename, fmt, info.file_size, info.compress_size)
    if problem:
        yield Failure(source=where, id=where, error=problem)
        return
    try:
        with zf.open(info) as member:
            data = bounded_read(member, where)
    except (zipfile.BadZipFile, InputError, RuntimeError, NotImplementedError, *READ_ERRORS) as e:
        yield Failure(source=where, id=where, error=f"{where}: corrupt archive member ({describe(e)})")
        return
    yield from read_bytes(data, where, fmt, fields)


def _read_zip(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    import zipfile

    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, *READ_ERRORS) as e:
        yield Failure(source=source, id=source, error=f"{source}: not a readable zip archive ({describe(e)})")
        return
    with zf:
        for _, info, where, fmt in zip_entries(zf, source):
            yield from zip_member_records(zf, info, where, fmt, fields)


#: Largest member a compressed tar is inflated through to reach the members after it: a tar streams, so
#: skipping a member means inflating it: a member of 4 GiB of zeros (18 MB of gzip) took 12 s to pass.
MAX_SKIP_BYTES = 16 * MAX_MEMBER_BYTES


def _read_tar(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    import tarfile

    try:
        tf = tarfile.open(fileobj=stream, mode="r|*")  # noqa: SIM115 -- closed by the `with tf` below
    except (tarfile.TarError, *READ_ERRORS) as e:
        yield Failure(source=source, id=source, error=f"{source}: not a readable tar archive ({describe(e)})")
        return
    try:
        with tf:
            compressed = getattr(tf.fileobj, "comptype", "tar") != "tar"
            for info in tf:
                if compressed and info.size > MAX_SKIP_BYTES:
                    error = (
                        f"{source}!{info.name}: a member of {info.size:,} bytes in a compressed archive; the members "
                        "after it are not read (passing it means inflating it all); extract the archive first"
                    )
                    yield Failure(source=source, id=source, error=error)
                    return
                fmt = format_of(info.name)
                if not info.isfile() or fmt is None:
                    continue
                where = f"{source}!{info.name}"
                problem = member_problem(where, info.name, fmt, info.size, None)
                member = None if problem else tf.extractfile(info)
                if member is None:
                    if problem:
                        yield Failure(source=where, id=where, error=problem)
                    continue
                yield from read_bytes(bounded_read(member, where), where, fmt, fields)
    except (tarfile.TarError, InputError, *READ_ERRORS) as e:
        yield Failure(
            source=source, id=source, error=f"{source}: corrupt tar archive ({describe(e)}); later members skipped"
        )


def _read_warc(stream: IO[bytes], source: str, fields: Fields) -> Iterator[Record]:
    from nlpkit.io.html import decode_page

    try:
        for i, (url, date, payload) in enumerate(iter_warc_responses(stream), start=1):
            where = f"{source}#{i}"
            meta: dict[str, Any] = {"url": url, "published": date}
            try:
                html, warning = decode_page(payload, where)
            except InputError as e:
                yield Failure(source=where, id=url or where, error=str(e))
                continue
            if warning:
                meta["warnings"] = [warning]
            yield page_article(html, url or where, where, meta, url=url or None)
    except (ValueError, InputError, *READ_ERRORS) as e:
        yield Failure(
            source=source, id=source, error=f"{source}: corrupt WARC file ({describe(e)}); later records skipped"
        )


for _name, _reader in {"zip": _read_zip, "tar": _read_tar, "warc": _read_warc}.items():
    READERS.add(_name, _reader)
