"""Run `nlpkit` as a real process on hostile input and check what a user would see.

Every run gets a time limit, an address-space limit and its peak memory measured (`os.wait4`
reports the largest resident set of the process and of the workers it waited for). `check`
asserts the rules of DESIGN.md's bad-input policy: the expected exit code, every stderr line a
one-line `nlpkit:` message (no traceback, no internal error), the error naming what it must
(file, line, member), input files unchanged, memory under `MAX_RSS_MB`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Peak resident memory allowed for any hostile input (MB).
MAX_RSS_MB = 600
#: Address space a run may map (bytes): enough for numpy and the workers' libraries, not for a bomb.
ADDRESS_SPACE = 6 * 1024**3


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    rss_mb: float
    seconds: float
    args: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("nlpkit: error:")]

    def rows(self, path: Path) -> list[dict[str, Any]]:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def __str__(self) -> str:  # what a failed assertion shows
        return (
            f"nlpkit {' '.join(self.args)}\n-> exit {self.code} in {self.seconds:.1f} s, {self.rss_mb:.0f} MB\n"
            f"stdout: {self.stdout[-1500:]}\nstderr: {self.stderr[-3000:]}"
        )


#: The limits every run gets (resource name -> bytes): set by the launcher below, in the child, before it starts nlpkit.
LIMITS = {"RLIMIT_AS": ADDRESS_SPACE, "RLIMIT_CORE": 0}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1", PYTHONWARNINGS="ignore")
    env.pop("NLPKIT_DEBUG", None)
    return env


#: Runs the command as its own child, under the given limits, and writes that child's peak memory to the file
#: it is given. A process forked from a big one (a pytest worker that imported torch) starts with the parent's
#: peak memory on record, so the command is started from this small launcher instead, and its peak measured
#: there. The limits are set here too, not by `preexec_fn`: a `preexec_fn` makes Python fork the whole
#: pytest worker (about 25 ms of CPU each time for one that holds torch) where it could `vfork` (1 ms).
_LAUNCHER = """
import json, os, resource, signal, sys
limits = json.loads(sys.argv[2])
pid = os.fork()
if pid == 0:
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))
    os.execv(sys.argv[3], sys.argv[3:])
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
os._exit(code)
"""


def run(
    args: Sequence[str],
    cwd: Path,
    *,
    timeout: float = 90,
    stdin: bytes | None = None,
    stdout: Path | None = None,
    limits: dict[str, int] | None = None,
) -> Result:
    """`python -m nlpkit ARGS` in `cwd`, its output, exit code, peak memory and time; killed (with its group) at `timeout`.

    `limits`: resource limits (e.g. `{"RLIMIT_FSIZE": 200_000}`) on top of `LIMITS`.
    """
    out_file = stdout.open("wb") if stdout is not None else subprocess.PIPE
    start = time.perf_counter()
    fd, peak_file = tempfile.mkstemp(prefix="nlpkit-peak-")
    os.close(fd)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _LAUNCHER,
            peak_file,
            json.dumps({**LIMITS, **(limits or {})}),
            sys.executable,
            "-m",
            "nlpkit",
            *args,
        ],
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=out_file,
        stderr=subprocess.PIPE,
        env=_env(),
        start_new_session=True,
    )
    captured: dict[str, bytes] = {}

    def drain(name: str, stream: Any) -> None:
        captured[name] = stream.read()

    readers = [threading.Thread(target=drain, args=("stderr", proc.stderr))]
    if stdout is None:
        readers.append(threading.Thread(target=drain, args=("stdout", proc.stdout)))
    for t in readers:
        t.start()
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    status, _ = _wait(proc, start + timeout)
    seconds = time.perf_counter() - start
    try:
        peak_kb = float(Path(peak_file).read_text() or 0)
    except (OSError, ValueError):
        peak_kb = 0.0
    finally:
        Path(peak_file).unlink(missing_ok=True)
    for t in readers:
        t.join(10)
    if stdout is not None and not isinstance(out_file, int):
        out_file.close()
    if status is None:
        raise AssertionError(f"nlpkit {' '.join(args)} did not finish in {timeout:.0f} s (killed)")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if os.environ.get("NLPKIT_ADVERSARIAL_LOG"):  # one line per run, for a summary of peak memory and time
        with open(os.environ["NLPKIT_ADVERSARIAL_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"args": [str(a) for a in args], "rss_mb": peak_kb / 1024, "seconds": seconds}) + "\n")
    return Result(
        code=proc.returncode,
        stdout=captured.get("stdout", b"").decode("utf-8", "replace"),
        stderr=captured.get("stderr", b"").decode("utf-8", "replace"),
        rss_mb=peak_kb / 1024,
        seconds=seconds,
        args=[str(a) for a in args],
    )


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> tuple[int | None, Any]:
    """Reap the process with its resource usage; at the deadline kill its whole group."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return status, usage
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            return None, None
        time.sleep(0.02)


def snapshot(folder: Path) -> dict[str, str]:
    """Path -> sha256 (or link target, or kind) of everything under `folder`, links not followed."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = "link->" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel] = "dir" if path.is_dir() else "special"
    return out


TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s+File \".*\", line \d+", re.M)


def check(
    r: Result,
    *,
    code: int,
    error: str | None = None,
    errors: int | None = None,
    max_line: int = 2100,
    progress: bool = False,
) -> None:
    """The exit code; no traceback anywhere; every stderr line one `nlpkit:` message; the error matches `error`.

    `progress`: the command also reports progress on stderr (`nlpkit: read 80 examples ...`).
    """
    prefixes = ("nlpkit: ",) if progress else ("nlpkit: error:", "nlpkit: warning:")
    assert r.code == code, str(r)
    assert not TRACEBACK.search(r.stderr) and not TRACEBACK.search(r.stdout), str(r)
    for line in r.stderr.splitlines():
        if line.strip():
            assert line.startswith(prefixes), f"stray stderr line {line!r}\n{r}"
            assert len(line) <= max_line, f"stderr line of {len(line)} characters\n{r}"
            assert "internal error" not in line, str(r)
    if error is not None:
        assert any(re.search(error, line) for line in r.errors), f"no error line matches {error!r}\n{r}"
    if errors is not None:
        assert len(r.errors) == errors, str(r)
    assert r.rss_mb < MAX_RSS_MB, f"peak memory {r.rss_mb:.0f} MB\n{r}"
