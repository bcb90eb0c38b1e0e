"""Reading the sentence-boundary gold file (`tests/data/segment_gold.txt`), for tests and bench/segment.py."""

from __future__ import annotations

from pathlib import Path


def read_boundary_gold(path: str | Path) -> list[tuple[str, list[int]]]:
    """Read a sentence-boundary gold file (see `tests/data/segment_gold.txt` for the format).

    Returns one `(text, sentence_starts)` pair per document; starts exclude offset 0.
    """
    lines = [line for line in Path(path).read_text(encoding="utf-8").split("\n") if not line.startswith("#")]
    docs = "\n".join(lines).split("=====")
    return [_document(block.strip("\n").split("\n")) for block in docs if block.strip()]


def _document(lines: list[str]) -> tuple[str, list[int]]:
    """One document's text and the offsets where its sentences start (every non-blank line, every " || ")."""
    text = ""
    starts: list[int] = []
    for line in lines:
        if line.strip() and text:
            starts.append(len(text))
        for i, piece in enumerate(line.split(" || ")):
            if i:
                text += " "
                starts.append(len(text))
            text += piece
        text += "\n"
    return text.rstrip("\n"), starts
