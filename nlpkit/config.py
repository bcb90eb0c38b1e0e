"""The only module that reads environment variables."""

from __future__ import annotations

import os
from pathlib import Path

#: Where the reference data for benchmarks and model building lives (never needed by tests).
DATA_DIR = Path(os.environ.get("NLPKIT_DATA", str(Path(__file__).resolve().parents[1].parent / "shared" / "data")))

#: Extra folders searched for models given by name, before the bundled ones.
MODELS_PATH = [Path(p) for p in os.environ.get("NLPKIT_MODELS_PATH", "").split(os.pathsep) if p]

#: Largest article accepted, in characters; longer texts are cut with a warning.
MAX_ARTICLE_CHARS = int(os.environ.get("NLPKIT_MAX_ARTICLE_CHARS", str(2_000_000)))


def bundled_models_dir() -> Path:
    """Folder with the models that ship inside the package (`models/` in a source checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "_models"
    return installed if installed.is_dir() else here.parent / "models"
