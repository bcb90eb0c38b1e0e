"""README.md's commands are the ones a new user types: run each of them."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, re.S)
    lines = [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]
    return [line for line in lines if ("nlpkit " in line or line.startswith("export ")) and "bench/" not in line]


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "models", tmp_path / "models", dirs_exist_ok=True) if (ROOT / "models").exists() else None
    return tmp_path


def _nlpkit(command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a README line; `export NAME=$(...)` lines set NAME in `env` for the lines after them."""
    env = os.environ.copy() if env is None else env
    python = shlex.quote(sys.executable)
    if command.startswith("export "):
        name, _, value = command.removeprefix("export ").partition("=")
        value = value.replace("$(python ", f"$({python} ")
        r = subprocess.run(f"printf %s {value}", shell=True, cwd=cwd, capture_output=True, text=True, env=env)
        env[name] = r.stdout
        return r
    if "|" in command or "$" in command:
        return subprocess.run(
            command.replace("nlpkit ", f"{python} -m nlpkit "),
            shell=True,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
    args = shlex.split(command)[1:]
    return subprocess.run([sys.executable, "-m", "nlpkit", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_readme_has_commands() -> None:
    assert len(_commands()) >= 5
    assert "pip install . && nlpkit summarize data/article.txt" in README


def test_quickstart_command(workdir: Path) -> None:
    r = _nlpkit("nlpkit summarize data/article.txt", workdir)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "Harbour city votes to ban cruise ships from historic centre"


def test_tour_commands_run_in_order(workdir: Path) -> None:
    """As a user would: one after the other in the same folder (later commands use earlier outputs)."""
    env = os.environ.copy()
    for command in _commands():
        r = _nlpkit(command, workdir, env)
        assert r.returncode == 0, f"{command}\n{r.stderr}"
        assert r.stdout.strip(), command


@pytest.mark.parametrize("code", _python_blocks())
def test_python_example_runs(code: str, workdir: Path) -> None:
    r = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
