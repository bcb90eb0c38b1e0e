from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.adversarial.harness import snapshot


@dataclass
class Box:
    """A test's folders: `inp` for the hostile inputs, `out` for what nlpkit writes.

    `freeze()` once the inputs are built: when the test ends, every file under `inp` must have
    the checksum it had then (nothing changed, added or removed).
    """

    inp: Path
    out: Path
    frozen: dict[str, str] | None = field(default=None)

    def freeze(self) -> None:
        self.frozen = snapshot(self.inp)


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Box]:
    b = Box(tmp_path / "inp", tmp_path / "out")
    b.inp.mkdir()
    b.out.mkdir()
    yield b
    if b.frozen is not None:
        assert snapshot(b.inp) == b.frozen, "an input file changed"
