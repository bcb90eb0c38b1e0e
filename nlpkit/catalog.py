"""Finding models: a saved model by folder or bundled name, a summarizer by method or folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlpkit.classify import BACKENDS
from nlpkit.classify.base import TASKS, ClassifierModel
from nlpkit.errors import ModelError, UsageError
from nlpkit.persistence import META_FILE, WEIGHTS_FILE, load_skops, open_model_folder
from nlpkit.summarizers.base import SUMMARIZERS, Summarizer


def load_model(name_or_path: str | Path, *, device: str | None = None) -> Any:
    """Load a model folder (or a bundled model by name), after checking its files.

    `device` (`auto`, `cpu`, `cuda`) places a neural model; by default it goes where it was
    trained to go (`auto`: the GPU when one is present). Linear models ignore it.

    Example:
        >>> import nlpkit
        >>> nlpkit.load_model("topic").task
        'topic'
    """
    folder, meta = open_model_folder(name_or_path)
    task = meta["task"]
    backend = meta.get("backend", "tfidf")
    if task == "summarizer" and backend == "seq2seq":
        from nlpkit.summarizers.abstractive import AbstractiveSummarizer

        return AbstractiveSummarizer.from_folder(folder, meta, device=device)
    if task == "summarizer":
        from nlpkit.summarizers.supervised import SupervisedSummarizer

        scorer = load_skops(folder / WEIGHTS_FILE)
        scorer.attach_tensors(folder, device=device)  # a no-op unless it was trained with an encoder
        return SupervisedSummarizer(scorer, meta, path=str(folder))
    if task not in TASKS:
        raise ModelError(f"{folder}: unknown task {task!r} in {META_FILE}")
    if backend not in BACKENDS:
        raise ModelError(f"{folder}: unknown backend {backend!r}; known: {', '.join(BACKENDS.names())}")
    estimator = load_skops(folder / WEIGHTS_FILE)
    if hasattr(estimator, "attach_tensors"):
        estimator.attach_tensors(folder, device=device)  # stored as safetensors, never through skops
    return ClassifierModel(estimator, meta, path=str(folder))


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
