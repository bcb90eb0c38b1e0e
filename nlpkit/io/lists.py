"""The small files a user gives an option: the pages of `--urls`, the claims of `--claims`, the rules of
`--label-map`. Each is one item per line (blank lines and `#` comments skipped, decoded with the
Windows-1252 fallback a spreadsheet's export needs, capped in size), or a CSV or TSV table whose header
names its columns.
"""

from __future__ import annotations

from pathlib import Path

from nlpkit.errors import InputError
from nlpkit.io.decoding import csv_delimiter, decode
from nlpkit.io.paths import not_a_regular_file, shown

#: Longest URL list read (a file of 10,000 URLs is about 1 MB).
MAX_URL_LIST_BYTES = 64 * 1024 * 1024


def url_list(path: str | Path) -> list[str]:
    """The URLs of a file, one per line (blank lines and `#` comments skipped), in order; of a CSV or TSV table,
    its `url` (or `link`) column.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "urls.txt"
        >>> _ = p.write_text("# today\\nhttps://example.org/a\\n\\n  https://example.org/b  \\n")
        >>> url_list(p)
        ['https://example.org/a', 'https://example.org/b']
    """
    lines = _list_lines(path, "--urls")
    if _is_table(path):
        lines = [url for _, url in _table_column(lines, shown(Path(path)), ("url", "link"))]
    return _once(lines, shown(Path(path)))


def _once(urls: list[str], where: str) -> list[str]:
    """The URLs in order, each page once (a `#fragment` names a place on a page, not another page); a
    warning says how many repeats were dropped."""
    import warnings

    seen: set[str] = set()
    out = []
    for url in urls:
        page = url.split("#", 1)[0]
        if page not in seen:
            seen.add(page)
            out.append(url)
    if len(out) < len(urls):
        repeats = len(urls) - len(out)
        warnings.warn(f"{where}: {repeats} repeated URL{'s' if repeats > 1 else ''} read once", stacklevel=3)
    return out


def _list_lines(path: str | Path, option: str) -> list[str]:
    """The lines of a list file given to `option`, stripped, blank lines and `#` comments skipped."""
    source = Path(path)
    problem = not_a_regular_file(source)
    if problem:
        raise InputError(problem if source.exists() else f"{shown(source)}: no such file ({option})")
    with source.open("rb") as f:
        data = f.read(MAX_URL_LIST_BYTES + 1)
    if len(data) > MAX_URL_LIST_BYTES:
        raise InputError(f"{shown(source)}: a list over {MAX_URL_LIST_BYTES:,} bytes ({option}); split it")
    lines = [line.strip() for line in decode(data, shown(source))[0].splitlines()]  # Excel's Windows-1252 too
    items = [line for line in lines if line and not line.startswith("#")]
    if not items:
        raise InputError(f"{shown(source)}: nothing in it (one item per line)")
    return items


def _is_table(path: str | Path) -> bool:
    return str(path).lower().endswith((".csv", ".tsv"))


def claim_list(path: str | Path) -> list[tuple[str, str]]:
    """(id, claim) pairs of a claims file: one claim per line (ids `c1`, `c2`, ...), JSONL with `id` and
    `claim` (or `text`) per line, or a CSV or TSV table with those columns (a spreadsheet's export).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "claims.txt"
        >>> _ = p.write_text("Council bans cruise ships\\n\\n# comment\\nCentral bank cuts rates\\n")
        >>> claim_list(p)
        [('c1', 'Council bans cruise ships'), ('c2', 'Central bank cuts rates')]
    """
    import json

    lines = _list_lines(path, "--claims")
    if _is_table(path):
        out = [
            (cid or f"c{n}", claim)
            for n, (cid, claim) in enumerate(_table_column(lines, shown(Path(path)), ("claim", "text")), start=1)
        ]
    elif not str(path).lower().endswith((".jsonl", ".ndjson")):
        return [(f"c{i}", line) for i, line in enumerate(lines, start=1)]
    else:
        out = []
        for n, line in enumerate(lines, start=1):
            try:
                row = json.loads(line)
                claim = row.get("claim", row.get("text")) if isinstance(row, dict) else None
            except ValueError:
                claim, row = None, None
            if not isinstance(claim, str) or not claim.strip():
                raise InputError(f'{shown(Path(path))}:{n}: not a JSON object with a "claim" (or "text") string')
            out.append((str(row.get("id", f"c{n}")) if isinstance(row, dict) else f"c{n}", claim.strip()))
    if len({cid for cid, _ in out}) != len(out):
        raise InputError(f"{shown(Path(path))}: two claims share an id; give each its own")
    return out


def table_rows(path: str | Path, option: str) -> list[dict[str, str]]:
    """The rows of a small CSV or TSV file given to `option` (a label map), by lower-cased header: read as list
    files are (decoded, capped, `#` lines skipped), with the delimiter its header uses."""
    import csv

    lines = _list_lines(path, option)
    rows = csv.reader(lines, delimiter=csv_delimiter(lines[0]))
    header = [cell.strip().lower() for cell in next(rows)]
    return [dict(zip(header, (cell.strip() for cell in row), strict=False)) for row in rows]


def _table_column(lines: list[str], source: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(id, value) of each row of a CSV or TSV table's lines: the first of the columns `names` it has, and its
    `id` column ("" where it has none), with the delimiter its header uses."""
    import csv

    rows = csv.reader(lines, delimiter=csv_delimiter(lines[0]))
    header = [cell.strip().lower() for cell in next(rows)]
    column = next((header.index(c) for c in names if c in header), None)
    if column is None:
        wanted = f"'{names[0]}'" + "".join(f" (or '{n}')" for n in names[1:])
        raise InputError(f"{source}: no {wanted} column (columns: {', '.join(header)})")
    ids = header.index("id") if "id" in header else None
    out = []
    for n, row in enumerate(rows, start=1):
        value = row[column].strip() if column < len(row) else ""
        if not value:
            raise InputError(f"{source}: row {n}: the {header[column]} cell is empty")
        out.append((row[ids].strip() if ids is not None and ids < len(row) else "", value))
    if not out:
        raise InputError(f"{source}: a header and no rows")
    return out
