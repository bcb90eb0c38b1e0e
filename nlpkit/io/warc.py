"""WARC responses as (url, date, html bytes), through warcio (lazily imported)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

#: Largest HTML payload read from one WARC record.
MAX_PAYLOAD_BYTES = 20 * 1024 * 1024


def iter_warc_responses(stream: IO[bytes]) -> Iterator[tuple[str, str, bytes]]:
    """Yield the HTML responses of a WARC file (plain or gzip per record)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    seen = 0
    try:
        for record in ArchiveIterator(stream):
            if not record.rec_headers.get_header("WARC-Type"):
                raise ValueError("not a WARC record (no WARC-Type header)")  # warcio reads any text leniently
            seen += 1
            if record.rec_type != "response":
                continue
            ctype = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = record.rec_headers.get_header("WARC-Date") or ""
            payload = record.content_stream().read(MAX_PAYLOAD_BYTES + 1)
            if len(payload) <= MAX_PAYLOAD_BYTES and getattr(record.raw_stream, "limit", 0) > 0:
                raise ValueError(f"record {seen} is cut short ({record.raw_stream.limit:,} bytes missing)")
            yield url, date, payload[:MAX_PAYLOAD_BYTES]
    except ArchiveLoadFailed as e:
        raise ValueError(str(e)) from e
    if seen == 0:
        raise ValueError("no WARC records found")
