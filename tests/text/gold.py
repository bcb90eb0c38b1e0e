"""Reading the sentence-boundary gold file (`tests/data/segment_gold.txt`), for tests and bench/segment.py."""

from __future__ import annotations

from pathlib import Path


def read_boundary_gold(path: str | Path) -> list[tuple[str, list[int]]]:
    """Read a sentence-boundary gold file (see `tests/data/segment_gold.txt` for the format).

    Returns one `(text, sentence_starts)` pair per document; starts exclude offset 0.
    """
    docs: list[list[str]] = [[]]
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            continue
        if line.startswith("====="):
            docs.append([])
            continue
        docs[-1].append(line)
    out = []
    for lines in docs:
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            continue
        text_parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for line in lines:
            if line.strip():
                if pos:
                    starts.append(pos)
                for i, piece in enumerate(line.split(" || ")):
                    if i:
                        text_parts.append(" ")
                        pos += 1
                        starts.append(pos)
                    text_parts.append(piece)
                    pos += len(piece)
            text_parts.append("\n")
            pos += 1
        out.append(("".join(text_parts).rstrip("\n"), starts))
    return out
