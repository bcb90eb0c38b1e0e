"""Offsets in cleaned text mapped back to the text a caller gave.

Cleaning drops lines (bylines, share prompts), collapses blanks, composes accents, removes
invisible characters and the " ." of the CNN/DailyMail dataset's form, so an offset into the
cleaned text is not an offset into the original.
Both texts are reduced to the same key — visible characters only, accents decomposed and their
marks dropped — and each span of the cleaned text is found, in order, in the original's key (whole,
or by its two ends when cleaning took something out of its middle); its first and last characters
give the span in the original.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from collections.abc import Sequence

import numpy as np

_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _key(text: str) -> tuple[str, list[int]]:
    """The text's visible characters (accents decomposed, marks dropped) and, for each, its offset in `text`.
    A full stop after a blank is left out: the " ." that cleaning takes out of the CNN/DailyMail dataset's
    form ("Lego . will launch" -> "Lego will launch") must not stop a sentence from being found.

    Worked out on code points in arrays (an article in well under a millisecond): printable ASCII but the
    blank is kept as it is, and only the other characters are looked at one by one.
    """
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    blank = ((cp >= 0x09) & (cp <= 0x0D)) | ((cp >= 0x1C) & (cp <= 0x20))  # what str.isspace calls blank in ASCII
    count = ((cp > 0x20) & (cp < 0x7F)).astype(np.intp)  # characters of the key each one gives
    pieces: dict[int, str] = {}
    for i in np.flatnonzero(cp >= 0x7F).tolist():
        ch = text[i]
        if ch.isspace():
            blank[i] = True
        elif ch not in _INVISIBLE and ch.isprintable():
            piece = "".join(
                p for p in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(p) and not p.isspace()
            )
            if piece:
                pieces[i] = piece
                count[i] = len(piece)
    if len(cp) > 1:
        count[1:][(cp[1:] == ord(".")) & blank[:-1]] = 0
    where = np.repeat(np.arange(len(cp)), count)
    chars = cp[where]
    for at, piece in zip(np.searchsorted(where, list(pieces)).tolist(), pieces.values(), strict=True):
        chars[at : at + len(piece)] = [ord(c) for c in piece]
    return chars.tobytes().decode("utf-32-le"), where.tolist()


def align_spans(original: str, cleaned: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """Each (start, end) of `cleaned` as (start, end) in `original` (None where it cannot be found).

    Spans are looked for in order, each after the one before it, as cleaning keeps the order of the text.

    Example:
        >>> raw = "By Jane Doe\\n\\nOil  prices rose.\\nShare this\\nTraders   cited fears."
        >>> clean = "Oil prices rose.\\nTraders cited fears."
        >>> [raw[a:b] for a, b in align_spans(raw, clean, [(0, 16), (17, 37)])]
        ['Oil  prices rose.', 'Traders   cited fears.']
    """
    if original == cleaned:
        return [(a, b) for a, b in spans]
    okey, owhere = _key(original)
    ckey, cwhere = _key(cleaned)
    out: list[tuple[int, int] | None] = []
    pos = 0
    for start, end in spans:
        first = bisect_left(cwhere, start)  # the span's first visible character
        last = bisect_left(cwhere, end) - 1  # and its last
        if first >= len(cwhere) or last < first:
            out.append(None)
            continue
        found = okey.find(ckey[first : last + 1], pos)
        if found >= 0:
            stop = found + (last - first)
        else:  # cleaning took something out of the middle (an inline credit): match the two ends
            head = ckey[first : min(last + 1, first + 24)]
            found = okey.find(head, pos)
            stop = _last_found(okey, ckey, first, last, found + len(head)) if found >= 0 else -1
            if stop < 0:
                out.append(None)
                continue
        pos = stop + 1
        out.append((owhere[found], owhere[stop] + 1))
    return out


def _last_found(okey: str, ckey: str, first: int, last: int, after: int) -> int:
    """Where the span's end is in the original's key: its last 24 characters, or, when something was taken
    out right before its end ("Fares (Picture: PA)."), a few characters fewer; -1 when not found."""
    for drop in range(6):
        end = last + 1 - drop
        tail = ckey[max(first, end - 24) : end]
        if len(tail) < 6:
            break
        at = okey.find(tail, after)
        if at >= 0:
            return at + len(tail) - 1
    return -1


def source_span(original: str, cleaned: str, start: int, end: int) -> tuple[int, int]:
    """One span of `cleaned` as a span of `original`; (-1, -1) when it cannot be found there."""
    (found,) = align_spans(original, cleaned, [(start, end)])
    return found if found is not None else (-1, -1)
