"""Every hostile input of `hostile.INPUTS` through `summarize`, `score` and (a sample) `classify`, as real processes."""

from __future__ import annotations

import json
import re

import pytest

from tests.adversarial.conftest import Box
from tests.adversarial.harness import check, run
from tests.adversarial.hostile import INPUTS, Input

#: Inputs also run through `classify` (it shares the readers with summarize; these cover each kind).
CLASSIFY = [
    "binary_png",
    "nul_bytes_after_8k",
    "utf16_without_bom",
    "wide_vocabulary",
    "jsonl_deep_nesting",
    "jsonl_wrong_types",
    "csv_ragged_rows",
    "gzip_bomb_jsonl",
    "gzip_corrupt_second_member",
    "zip_one_corrupt_member",
    "zip_nested",
    "tar_links_and_devices",
    "html_deeply_nested",
    "named_pipe",
    "folder_with_link_out",
]


def _build(box: Box, name: str) -> Input:
    given = INPUTS[name](box.inp)
    box.freeze()
    return given


def _no_secret(given: Input, *texts: str) -> None:
    if given.secret:
        for text in texts:
            assert given.secret not in text, "a file outside the input leaked into the output"


def _count(given: Input, good: int, bad: int) -> None:
    if given.good >= 0:
        assert good == given.good, f"{good} good records, expected {given.good}"
    else:
        assert good >= 1, "the records before the damage must be kept"
    if given.bad >= 0:
        assert bad == given.bad, f"{bad} failed records, expected {given.bad}"


def _code(given: Input) -> int:
    return 0 if given.bad == 0 else 1


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_summarize(box: Box, name: str) -> None:
    given = _build(box, name)
    r = run(["summarize", *given.paths, "-f", "json"], cwd=box.inp)
    briefs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    check(r, code=_code(given) if given.bad >= 0 else r.code)
    _count(given, len(briefs), len(r.errors))
    for line in r.errors:
        assert given.error is None or re.search(given.error, line), f"error names no file/line/member: {line}"
    for b in briefs:
        assert "\x00" not in b["summary"] and all(s["text"] for s in b["sentences"])
    _no_secret(given, r.stdout, r.stderr)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_score(box: Box, name: str) -> None:
    given = _build(box, name)
    out = box.out / "scored.jsonl"
    r = run(["score", *given.paths, "--out", str(out), "-w", "1", "--quiet"], cwd=box.inp, timeout=120)
    check(r, code=_code(given) if given.bad >= 0 else r.code, errors=None)
    rows = r.rows(out)
    failed = [row for row in rows if row["error"]]
    _count(given, len(rows) - len(failed), len(failed))
    for row in failed:
        assert given.error is None or re.search(given.error, row["error"]), f"error names no file/member: {row}"
        assert row["topic"] is None and row["brief"] is None
    for row in rows:
        if not row["error"]:  # random words read as another language get no topic, and say why
            assert (row["topic"] or row["topic_skipped"]) and row["brief"], row
    _no_secret(given, r.stdout, out.read_text())
    written = sorted(p.name for p in box.out.iterdir() if not p.name.startswith(".scored.jsonl.manifest"))
    assert written == ["scored.jsonl"], f"score wrote something else: {written}"


@pytest.mark.parametrize("name", CLASSIFY)
def test_classify(box: Box, name: str) -> None:
    given = _build(box, name)
    r = run(["classify", *given.paths, "-f", "json"], cwd=box.inp)
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    check(r, code=_code(given) if given.bad >= 0 else r.code)
    _count(given, len(rows), len(r.errors))
    assert all(row["label"] or row.get("skipped") for row in rows)
    _no_secret(given, r.stdout, r.stderr)
