"""What every torch/transformers path shares: the device choice and quiet, clearly failing loads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nlpkit.errors import ModelError


def resolve_device(device: str) -> str:
    """`auto` is the GPU when one is present, else the CPU; `cuda` without a GPU is an error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError("--device cuda: no CUDA GPU is available; use --device cpu or auto")
    if device != "cpu" and not device.startswith("cuda"):
        raise ModelError(f"--device {device}: use auto, cpu or cuda")
    return device


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' load reports and weight-loading bars for the duration."""
    from transformers.utils import logging

    level = logging.get_verbosity()
    bars = logging.is_progress_bar_enabled()
    logging.set_verbosity_error()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        logging.set_verbosity(level)
        if bars:
            logging.enable_progress_bar()


def load_pretrained(load: Callable[[str], Any], name_or_path: str | Path, what: str) -> Any:
    """`load(str(name_or_path))` quietly, turning a missing or wrong folder into a `ModelError`."""
    try:
        with quiet_transformers():
            return load(str(name_or_path))
    except (OSError, ValueError, KeyError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ModelError(f"{name_or_path}: cannot load {what} from it ({first})") from e
