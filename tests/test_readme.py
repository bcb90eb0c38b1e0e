"""README.md's commands are the ones a new user types: run each of them (web examples against 127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.io.site import serve
from tests.readme_tour import README, command_blocks, commands, prepare, problem, python_blocks, run


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve() as base:
        yield base


@pytest.fixture
def workdir(tmp_path: Path, site: str) -> Path:
    prepare(tmp_path, site)
    return tmp_path


def test_readme_has_commands() -> None:
    assert len(commands()) >= 5
    assert "pip install . && nlpkit summarize data/article.txt" in README


def test_quickstart_command(workdir: Path, site: str) -> None:
    r = run("nlpkit summarize data/article.txt", workdir, site, os.environ.copy())
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "Harbour city votes to ban cruise ships from historic centre"


@pytest.mark.parametrize("block", command_blocks(), ids=lambda b: b[0][:40])
def test_tour_commands_run_in_order(block: list[str], workdir: Path, site: str) -> None:
    """As a user would: each console block's commands one after the other in a fresh copy of the folder (a
    block's later commands use its earlier outputs); blocks run side by side."""
    env = os.environ.copy()
    for command in block:
        r = run(command, workdir, site, env)
        assert problem(command, r) is None, f"{command}\n{r.stderr}"


@pytest.mark.parametrize("code", python_blocks())
def test_python_example_runs(code: str, workdir: Path) -> None:
    r = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
