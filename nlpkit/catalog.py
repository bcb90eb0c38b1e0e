"""Finding models: a saved model by folder or bundled name, a summarizer by method or folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nlpkit.classify
import nlpkit.summarizers  # noqa: F401 -- registers the summarizer kinds in MODEL_KINDS
from nlpkit.errors import ModelError, UsageError, require
from nlpkit.persistence import MODEL_KINDS, ModelMeta, open_model_folder
from nlpkit.summarizers import SUMMARIZERS
from nlpkit.summarizers.base import Summarizer


def load_model(name_or_path: str | Path, *, device: str | None = None) -> Any:
    """Load a model folder (or a bundled model by name), after checking its files.

    Every file is checked against its SHA-256 in `nlpkit.json`, then the loader registered for
    the model's kind (`MODEL_KINDS`) rebuilds it. `device` (`auto`, `cpu`, `cuda`) places a
    neural model; by default it goes where it was trained to go (`auto`: the GPU when one is
    present). Linear models ignore it.

    Example:
        >>> import nlpkit
        >>> nlpkit.load_model("topic").task
        'topic'
    """
    folder, meta = open_model_folder(name_or_path)
    return MODEL_KINDS.get(meta.kind)(folder, meta, device)


#: Kinds rebuilt from numpy arrays alone: checking one loads it whole (fast, and nothing can run).
NUMPY_KINDS = frozenset({"tfidf", "extractive"})


def check_model_folder(name_or_path: str | Path) -> tuple[Path, ModelMeta]:
    """A model folder and its description, checked as `load_model` checks them.

    Every kind gets the description, format and checksum checks; numpy-only kinds are also
    rebuilt, so an array or description that does not fit is found too. Neural weights are not
    loaded (that needs torch).
    """
    folder, meta = open_model_folder(name_or_path)
    if meta.kind in NUMPY_KINDS:
        MODEL_KINDS.get(meta.kind)(folder, meta, None)
    return folder, meta


def get_summarizer(method: str, **options: Any) -> Summarizer:
    """A summarizer by registered name, or from a trained summarizer's model folder.

    A neural summarizer is loaded here, so a bad model is one error before any article.
    """
    summarizer: Any
    if method not in SUMMARIZERS and (Path(method).is_dir() or "/" in method or method.startswith(".")):
        summarizer = load_model(method)
        if not hasattr(summarizer, "summarize"):
            task = getattr(summarizer, "task", "classifier")
            raise ModelError(f"{method}: this model is a {task} model, not a summarizer")
        if options:
            if not hasattr(summarizer, "set_params"):
                raise UsageError(f"{method}: generation options apply to seq2seq summarizers only")
            summarizer.set_params(**options)
    else:
        if method == "abstractive":
            require("--method abstractive", "torch", "transformers")
        factory = SUMMARIZERS.get(method)  # raises with the list of known names
        try:
            summarizer = factory(**options)
        except TypeError as e:
            given = ", ".join(sorted(options))
            raise UsageError(f"method {method!r} takes no options ({given}); they are for --method abstractive") from e
    load = getattr(summarizer, "load", None)
    if load is not None:
        load()
    return summarizer
