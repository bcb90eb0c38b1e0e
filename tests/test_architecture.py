"""The layer contract in pyproject.toml ([tool.importlinter]) holds, and it would catch an upward import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed (pip install -e '.[dev]')")


def _lint(config: Path, path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(path)}
    return subprocess.run(
        [str(LINT), "--config", str(config), "--no-cache"], cwd=path, capture_output=True, text=True, env=env
    )


def test_the_package_keeps_its_layers_and_has_no_cycles() -> None:
    r = _lint(ROOT / "pyproject.toml", ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 kept, 0 broken" in r.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        ("text/clean.py", "def _later():\n    from nlpkit.catalog import load_model\n", "Imports run one way"),
        ("classifiers/pairs.py", "def _later():\n    import nlpkit.classifiers.lean\n", "No cycles"),
    ],
)
def test_an_upward_or_circular_import_inside_a_function_breaks_the_contract(
    tmp_path: Path, module: str, statement: str, broken: str
) -> None:
    shutil.copytree(ROOT / "nlpkit", tmp_path / "nlpkit", ignore=shutil.ignore_patterns("__pycache__", "_models"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "nlpkit" / module
    target.write_text(target.read_text() + "\n\n" + statement)
    r = _lint(tmp_path / "pyproject.toml", tmp_path)
    assert r.returncode != 0
    assert f"{broken}" in r.stdout and "BROKEN" in r.stdout
