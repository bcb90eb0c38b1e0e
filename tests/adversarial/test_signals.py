"""`nlpkit score` killed, interrupted and starved of disk, as real processes: it resumes exactly.

The output after any number of kills and resumes equals an uninterrupted run's, row for row; no
process of the job outlives it; every message is one line.
"""

from __future__ import annotations

import functools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.adversarial.harness import check, run

# One worker runs them all: they share the 1,000-article job and its uninterrupted output.
pytestmark = pytest.mark.xdist_group("signals")

ROOT = Path(__file__).parents[2]
ARTICLES = 1000
#: The longest a test waits for a job to make the progress it waits for (a slow, busy machine included).
PATIENCE = 300.0


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """An input of 1,000 articles and the rows of its uninterrupted run (2 workers)."""
    folder = tmp_path_factory.mktemp("kill")
    rows = [json.loads(line) for line in (ROOT / "data" / "articles.jsonl").read_text().splitlines()]
    with (folder / "in.jsonl").open("w") as f:
        for i in range(ARTICLES):
            f.write(json.dumps(dict(rows[i % len(rows)], id=f"r{i}")) + "\n")
    r = run(_args("whole.jsonl"), cwd=folder, timeout=PATIENCE)
    check(r, code=0)
    return folder, (folder / "whole.jsonl").read_text().splitlines()


def _args(out: str, *extra: str) -> list[str]:
    return ["score", "in.jsonl", "--out", out, "--workers", "2", "--batch-size", "16", "--quiet", *extra]


def _start(folder: Path, out: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "nlpkit", *_args(out, *extra)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the test can find (and clean up) every worker
    )


def _group_alive(pgid: int) -> list[int]:
    """Processes still in process group `pgid` (zombies excluded)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


def _wait_group_gone(pgid: int, seconds: float = 60) -> list[int]:
    deadline = time.time() + seconds
    while time.time() < deadline:
        left = _group_alive(pgid)
        if not left:
            return []
        time.sleep(0.1)
    left = _group_alive(pgid)
    if left:
        os.killpg(pgid, signal.SIGKILL)
    return left


def _stderr_lines(proc: subprocess.Popen[bytes]) -> list[str]:
    assert proc.stderr is not None
    return proc.stderr.read().decode("utf-8", "replace").splitlines()


def _finish(folder: Path, out: str, whole: list[str]) -> None:
    r = run(_args(out, "--resume"), cwd=folder, timeout=PATIENCE)
    if "this job already finished" not in r.stderr:  # or the last resume before a kill completed it
        check(r, code=0)
    assert (folder / out).read_text().splitlines() == whole, "the resumed output differs from an uninterrupted run"


def _rows(path: Path) -> int:
    """Complete rows in an output file so far."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _wait_for(proc: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> bool:
    """Wait until `ready()` or the process ends; False when it ended first. Fails only after `PATIENCE` seconds
    without getting there, so a slow machine makes the test slower, never red."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if ready():
            return True
        if proc.poll() is not None:
            return ready()
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError(f"nlpkit score never got to {what} in {PATIENCE:.0f} s")


def _children(pid: int) -> list[int]:
    """Live child processes of `pid` (the workers, the resource tracker)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def _rewritten(path: Path, before: int) -> bool:
    return path.exists() and path.stat().st_mtime_ns != before


def _has_rows(path: Path, rows: int) -> bool:
    return _rows(path) >= rows


def test_sigkill_at_20_progress_points_then_resume(job: tuple[Path, list[str]]) -> None:
    """Kill -9 at 20 points chosen by progress (rows written, or the job just started), resuming each time.

    The kill points are counted in rows, not seconds, so the same points are hit on a fast or a busy machine.
    """
    folder, whole = job
    out = folder / "k.jsonl"
    manifest = folder / ".k.jsonl.manifest.json"
    rng = random.Random(12)
    mid_job = 0
    for i in range(20):
        before = _rows(out)
        started = manifest.stat().st_mtime_ns if manifest.exists() else 0
        proc = _start(folder, "k.jsonl", "--resume")
        if i % 5 == 4:  # as soon as this run has started the job: its workers are still loading
            point = "the start of the job"
            ready = functools.partial(_rewritten, manifest, started)
        else:
            target = min(ARTICLES - 1, before + rng.randint(8, 80))
            point = f"row {target}"
            ready = functools.partial(_has_rows, out, target)
        if _wait_for(proc, ready, point) and proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            mid_job += 0 < _rows(out) < ARTICLES
        proc.wait()
        lines = _stderr_lines(proc)
        assert all(line.startswith("nlpkit: ") for line in lines), lines
        assert _wait_group_gone(proc.pid) == [], "workers outlived the killed main process"
        if _rows(out) >= ARTICLES:
            break
    assert mid_job >= 5, f"only {mid_job} kills hit a job part-way"
    _finish(folder, "k.jsonl", whole)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_stop_cleanly_and_resume(job: tuple[Path, list[str]], signum: int, code: int) -> None:
    folder, whole = job
    out = f"s{code}.jsonl"
    proc = _start(folder, out)
    assert _wait_for(proc, lambda: _rows(folder / out) >= 32, "row 32"), "the job ended before it was signalled"
    os.kill(proc.pid, signum)
    assert proc.wait(timeout=PATIENCE) == code
    lines = _stderr_lines(proc)
    assert len(lines) == 1 and lines[0].startswith("nlpkit: error: interrupted") and "--resume" in lines[0], lines
    assert _wait_group_gone(proc.pid) == []
    _finish(folder, out, whole)


@pytest.mark.parametrize("stage", ["job-started", "workers-started", "rows-written"])
def test_ctrl_c_to_the_group_while_workers_start(job: tuple[Path, list[str]], stage: str) -> None:
    """Ctrl-C in a terminal reaches every process of the group: at each stage of start-up the job must end,
    resumable. Stages are recognised by what the job has done (manifest, worker processes, rows), not by time."""
    folder, whole = job
    out = f"c-{stage}.jsonl"
    proc = _start(folder, out)
    manifest = folder / f".{out}.manifest.json"
    ready = {
        "job-started": lambda: manifest.exists(),
        "workers-started": lambda: len(_children(proc.pid)) >= 2,
        "rows-written": lambda: _rows(folder / out) > 0,
    }[stage]
    _wait_for(proc, ready, stage)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        code = proc.wait(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("nlpkit score did not exit after Ctrl-C") from None
    assert code in (0, 130), code
    lines = _stderr_lines(proc)
    assert all(line.startswith("nlpkit: ") and "Traceback" not in line for line in lines), lines
    assert _wait_group_gone(proc.pid) == []
    _finish(folder, out, whole)


def test_disk_full_then_resume(job: tuple[Path, list[str]]) -> None:
    """The output file hits a size limit (as on a full disk): one line, exit 1, and --resume completes the job."""
    folder, whole = job

    r = run(_args("full.jsonl"), cwd=folder, timeout=PATIENCE, limits={"RLIMIT_FSIZE": 200_000})
    check(r, code=1, error=r"full\.jsonl.*(File too large|No space left)", errors=1)
    assert 0 < (folder / "full.jsonl").stat().st_size <= 200_000
    _finish(folder, "full.jsonl", whole)


def _killed_part_way(folder: Path, out: str) -> None:
    proc = _start(folder, out)
    assert _wait_for(proc, lambda: _rows(folder / out) >= 100, "row 100"), "the job ended before the kill"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _wait_group_gone(proc.pid)


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        ("invalid_utf8", r"d\.jsonl: damaged \(a row is not valid JSONL.*\); use --force to start over"),
        # the manifest may lag the output by a batch at the kill: either check finds the deleted row
        (
            "line_deleted",
            r"d\.jsonl: (holds \d+ rows but the job wrote \d+; it|row \d+ is .* the output) was changed after",
        ),
    ],
)
def test_resume_after_the_output_was_damaged(job: tuple[Path, list[str]], damage: str, error: str) -> None:
    """An output edited by hand after a kill: --resume says what changed (the output, not the inputs) in one line."""
    folder, _ = job
    _killed_part_way(folder, "d.jsonl")
    lines = (folder / "d.jsonl").read_bytes().split(b"\n")
    if damage == "invalid_utf8":
        lines[3] = lines[3][:30] + b"\xff\xfe" + lines[3][32:]
    else:
        del lines[3]
    (folder / "d.jsonl").write_bytes(b"\n".join(lines))
    r = run(_args("d.jsonl", "--resume"), cwd=folder, timeout=PATIENCE)
    check(r, code=1, error=error, errors=1)
    (folder / "d.jsonl").unlink()
