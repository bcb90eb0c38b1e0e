"""`train`, `evaluate` and `score` given bad data and bad output paths, as real processes.

Each case: the exit code, one `nlpkit: error:` line naming the file (and row), no traceback, the
inputs unchanged (the `box` fixture checks), and nothing written where nothing may be written.
"""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.adversarial.conftest import Box
from tests.adversarial.harness import check, run
from tests.adversarial.hostile import BODY, bomb

SPORT = "The home team won the cup final after a late goal from their striker in front of a full stadium."
POLITICS = "The minister resigned after the parliament vote went against the government on the budget bill."


def _rows(n: int = 40) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        out.append({"text": f"{SPORT} Match report {i}.", "label": "sport"})
        out.append({"text": f"{POLITICS} Session {i}.", "label": "politics"})
    return out


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


#: name -> (builder of the data file in the input folder, extra arguments, exit code, error pattern)
TRAIN: dict[str, tuple[Callable[[Path], str], list[str], int, str]] = {
    "two_rows": (
        lambda d: str(_jsonl(d / "two.jsonl", _rows(1))),
        [],
        1,
        r"two\.jsonl: cannot hold out a dev split from 2 examples",
    ),
    "ragged_csv": (
        lambda d: (d / "ragged.csv").write_text("text,label\nthe cat sat,a,extra\nthe dog ran,b\n") and "ragged.csv",
        [],
        1,
        r"ragged\.csv:2: 3 cells",
    ),
    "cv_more_folds_than_rows": (lambda d: str(_jsonl(d / "d.jsonl", _rows())), ["--cv", "10000"], 2, r"--cv 10000"),
    "one_label": (
        lambda d: str(_jsonl(d / "d.jsonl", [{"text": r["text"], "label": "x"} for r in _rows()])),
        [],
        1,
        r"d\.jsonl: every example has the label 'x'",
    ),
    "no_label_column": (
        lambda d: str(_jsonl(d / "d.jsonl", [{"text": r["text"]} for r in _rows()])),
        [],
        1,
        r"d\.jsonl: no column 'label'",
    ),
    "empty_and_null_labels": (
        lambda d: str(
            _jsonl(d / "d.jsonl", [{"text": r["text"], "label": None if i % 2 else ""} for i, r in enumerate(_rows())])
        ),
        [],
        1,
        r"empty label",
    ),
    "all_texts_empty": (
        lambda d: str(_jsonl(d / "d.jsonl", [{"text": "", "label": r["label"]} for r in _rows()])),
        [],
        1,
        r"d\.jsonl: no usable rows",
    ),
    "gzip_bomb": (
        lambda d: (
            (d / "d.jsonl.gz").write_bytes(gzip.compress(b'{"text": "a", "label": "b"}\n' * 10) + bomb(300))
            and "d.jsonl.gz"
        ),
        [],
        1,
        r"d\.jsonl\.gz: .*decompression bomb",
    ),
    "hub_id_offline": (
        lambda d: "someone/no-such-dataset",
        [],
        1,
        r"someone/no-such-dataset: not a file or folder here, and the Hugging Face Hub",
    ),
    "binary_file": (
        lambda d: (d / "d.csv").write_bytes(os.urandom(4096) + b"\x00" * 100) and "d.csv",
        [],
        1,
        r"d\.csv: ",
    ),
}


@pytest.mark.parametrize("name", sorted(TRAIN))
def test_train_bad_data(box: Box, name: str) -> None:
    build, extra, code, error = TRAIN[name]
    data = build(box.inp)
    box.freeze()
    r = run(["train", "topic", data, "--out", str(box.out / "m"), *extra], cwd=box.inp, timeout=60)
    check(r, code=code, error=error, errors=1, progress=True)
    assert not (box.out / "m").exists()
    assert r.seconds < 30, "a hub id without a network must fail at once"


def test_train_stance_without_target_column(box: Box) -> None:
    _jsonl(box.inp / "d.jsonl", [{"text": r["text"], "label": "agree"} for r in _rows()])
    box.freeze()
    r = run(["train", "stance", "d.jsonl", "--out", str(box.out / "m")], cwd=box.inp)
    check(r, code=1, error=r"d\.jsonl: no column 'target'", errors=1, progress=True)


@pytest.mark.parametrize(
    ("where", "force", "error"),
    [
        ("input", True, r"d\.jsonl: is the input d\.jsonl"),
        ("under_a_file", False, r"is a file, not a folder"),
        ("other_folder", True, r"is a folder that is not an nlpkit model"),
        ("existing_model", False, r"already exists; use --force"),
    ],
)
def test_train_refuses_output_paths(box: Box, where: str, force: bool, error: str) -> None:
    """A model path is never an input, a path under a file, or a folder that is not a model — checked before training."""
    _jsonl(box.inp / "d.jsonl", _rows())
    (box.inp / "plain").write_text("x")
    (box.inp / "notes").mkdir()
    (box.inp / "notes" / "keep.txt").write_text("keep")
    (box.inp / "model").mkdir()
    (box.inp / "model" / "nlpkit.json").write_text("{}")
    out = {"input": "d.jsonl", "under_a_file": "plain/m", "other_folder": "notes", "existing_model": "model"}[where]
    box.freeze()
    r = run(["train", "topic", "d.jsonl", "--out", out, *(["--force"] if force else [])], cwd=box.inp)
    check(r, code=1, error=error, errors=1, progress=True)
    assert "training on" not in r.stderr, "the output path is checked before any training"


@pytest.fixture(scope="module")
def topic_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    _jsonl(folder / "d.jsonl", _rows())
    r = run(["train", "topic", "d.jsonl", "--out", "m"], cwd=folder, timeout=120)
    check(r, code=0, progress=True)
    return folder / "m"


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("unknown_labels", r"u\.jsonl: \d+ examples? with labels the model does not know: weather"),
        ("empty_data", r"e\.jsonl: no rows"),
        ("report_is_input", r"d\.jsonl: exists and is not a folder"),
        ("report_under_a_file", r"plain/r"),
    ],
)
def test_evaluate_bad_data_and_reports(box: Box, topic_model: Path, case: str, error: str) -> None:
    _jsonl(box.inp / "d.jsonl", _rows(5))
    _jsonl(box.inp / "u.jsonl", [{"text": SPORT, "label": "weather"}] * 4)
    (box.inp / "e.jsonl").write_text("")
    (box.inp / "plain").write_text("x")
    box.freeze()
    args = {
        "unknown_labels": ["u.jsonl"],
        "empty_data": ["e.jsonl"],
        "report_is_input": ["d.jsonl", "--report", "d.jsonl", "--force"],
        "report_under_a_file": ["d.jsonl", "--report", "plain/r"],
    }[case]
    r = run(["evaluate", str(topic_model), *args], cwd=box.inp)
    check(r, code=1, error=error, errors=1, progress=True)


# -- score's outputs ---------------------------------------------------------------------------


def _articles(box: Box, n: int = 20) -> None:
    _jsonl(box.inp / "in.jsonl", [{"id": f"a{i}", "title": f"Bridge {i} closed", "text": BODY} for i in range(n)])


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (["--out", "in.jsonl", "--force"], 2, r"in\.jsonl: is one of the inputs"),
        (["--out", "o.jsonl", "--errors", "in.jsonl"], 2, r"in\.jsonl: is one of the inputs"),
        (["--out", "hard.jsonl", "--force"], 2, r"hard\.jsonl: is one of the inputs"),
        (["--out", "link.jsonl", "--force"], 2, r"link\.jsonl: is one of the inputs"),
        (["--out", "plain/o.jsonl"], 1, r"plain/o\.jsonl: plain is a file, not a folder"),
        (["--out", "folder", "--force"], 1, r"folder: "),
        (["--out", "o.txt"], 1, r"o\.txt: unknown output type"),
        (["--out", "-"], 1, r"--out -: score writes a file, .* use nlpkit classify or nlpkit summarize"),
    ],
)
def test_score_refuses_output_paths(box: Box, args: list[str], code: int, error: str) -> None:
    """No output or errors path may resolve to an input (by path, hard link or symlink), with or without --force."""
    _articles(box)
    os.link(box.inp / "in.jsonl", box.inp / "hard.jsonl")
    (box.inp / "link.jsonl").symlink_to("in.jsonl")
    (box.inp / "plain").write_text("x")
    (box.inp / "folder").mkdir()
    (box.inp / "folder" / "keep.txt").write_text("keep")
    box.freeze()
    r = run(["score", "in.jsonl", *args, "-w", "1"], cwd=box.inp)
    check(r, code=code, error=error, errors=1)


def test_score_articles_without_headlines_are_not_errors(box: Box) -> None:
    """A zip of plain-text articles (no headline line): topic and brief for every one, stance left empty with a reason."""
    with zipfile.ZipFile(box.inp / "news.zip", "w") as z:
        for i in range(25):
            z.writestr(f"a{i}.txt", f"{BODY} Item {i}.")
    box.freeze()
    out = box.out / "s.jsonl"
    r = run(["score", "news.zip", "--out", str(out), "-w", "1"], cwd=box.inp)
    check(r, code=0, errors=0)
    rows = r.rows(out)
    assert len(rows) == 25
    for row in rows:
        assert row["error"] is None and row["topic"] and row["brief"]
        assert row["stance"] is None and row["stance_skipped"].startswith("no target")
    assert "left empty for 25 articles with no target" in r.stdout
    assert " 0 articles/s" not in r.stdout and " 0.0 articles/s" not in r.stdout


@pytest.mark.parametrize("command", [["summarize"], ["classify"]])
def test_stdout_on_a_full_disk(box: Box, command: list[str]) -> None:
    _articles(box, 200)
    box.freeze()
    r = run([*command, "in.jsonl"], cwd=box.inp, stdout=Path("/dev/full"))
    check(r, code=1, error=r"standard output: No space left on device", errors=1)


def test_stdout_closed_early_is_quiet(box: Box) -> None:
    """`nlpkit summarize big | head -1`: a closed pipe ends the command quietly, exit 0."""
    _articles(box, 2000)
    box.freeze()
    import subprocess
    import sys

    proc = subprocess.run(
        f"{sys.executable} -m nlpkit summarize in.jsonl | head -1",
        shell=True,
        cwd=box.inp,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "Bridge 0 closed", proc
    assert proc.stderr == "", proc.stderr


@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        ("summarize", "[PATHS]..."),
        ("classify", "[PATHS]..."),
        ("score", "[PATHS]..."),
        ("train", "TASK DATA"),
        ("evaluate", "MODEL DATA"),
    ],
)
def test_help_names_the_arguments(box: Box, command: str, arguments: str) -> None:
    r = run([command, "--help"], cwd=box.inp)
    check(r, code=0)
    assert r.stdout.splitlines()[0].endswith(f"{command} [OPTIONS] {arguments}"), r.stdout.splitlines()[0]


def test_abstractive_with_a_hub_id_and_no_hub_is_one_line(box: Box) -> None:
    (box.inp / "a.txt").write_text(BODY)
    box.freeze()
    r = run(["summarize", "a.txt", "--method", "abstractive", "--model", "someone/some-bart"], cwd=box.inp)
    check(r, code=1, error=r"someone/some-bart: not a folder here, and the Hugging Face Hub", errors=1)
    assert r.seconds < 30
