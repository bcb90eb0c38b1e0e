"""The only module that reads environment variables."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import urlparse

#: Environment values that could not be used, one line each; the command line refuses to start with any.
PROBLEMS: list[str] = []


def _int_env(name: str, default: int, minimum: int = 1) -> int:
    """An integer setting from the environment; a bad value is recorded in `PROBLEMS` and the default used."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = None
    if value is None or value < minimum:
        shown = raw if len(raw) <= 40 else raw[:37] + "..."
        PROBLEMS.append(f"{name}={shown!r} is not a whole number of at least {minimum:,}; unset it or fix it")
        return default
    return value


#: Show tracebacks (and the worker processes' own output) instead of one-line messages.
DEBUG = bool(os.environ.get("NLPKIT_DEBUG", "").strip())

#: Where the reference data for benchmarks and model building lives (never needed by tests).
DATA_DIR = Path(os.environ.get("NLPKIT_DATA", str(Path(__file__).resolve().parents[1].parent / "shared" / "data")))

#: Extra folders searched for models given by name, before the bundled ones.
MODELS_PATH = [Path(p) for p in os.environ.get("NLPKIT_MODELS_PATH", "").split(os.pathsep) if p]

#: Largest article accepted, in characters; longer texts are cut with a warning.
MAX_ARTICLE_CHARS = _int_env("NLPKIT_MAX_ARTICLE_CHARS", 2_000_000, minimum=100)


def bundled_models_dir() -> Path:
    """Folder with the models that ship inside the package (`models/` in a source checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "_models"
    return installed if installed.is_dir() else here.parent / "models"


#: Where Hugging Face Hub ids are fetched from (only when one is asked for, never by default).
HUB_ENDPOINT = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
_OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def hub_unavailable(timeout: float = 3.0) -> str | None:
    """Why a Hugging Face Hub id cannot be fetched now (offline by setting, or unreachable), or None.

    Answers in at most `timeout` seconds, so a missing network is one clear error, not minutes of retries.
    """
    for var in _OFFLINE_VARIABLES:
        if os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on"):
            return f"the Hugging Face Hub is switched off here ({var} is set)"
    return _hub_unreachable(timeout)


@functools.lru_cache(maxsize=1)
def _hub_unreachable(timeout: float) -> str | None:
    import socket

    url = urlparse(HUB_ENDPOINT)
    host = url.hostname or "huggingface.co"
    try:
        socket.create_connection((host, url.port or (443 if url.scheme == "https" else 80)), timeout=timeout).close()
    except OSError:
        return f"the Hugging Face Hub ({host}) cannot be reached from here (no network?)"
    return None
