"""Finding models: a saved model by folder or bundled name, a summarizer by method or folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias, overload

from nlpkit.errors import ModelError, UsageError, missing_extra, require
from nlpkit.persistence import Loader, Model, ModelMeta, open_model_folder
from nlpkit.registry import Registry
from nlpkit.summarizers import SUMMARIZERS
from nlpkit.summarizers.base import Summarizer
from nlpkit.summarizers.length import LengthSpec
from nlpkit.types import Document, Summary

if TYPE_CHECKING:  # the classes come with their loaders; importing them here would slow every start-up
    from nlpkit.classifiers.base import StanceModel, TopicModel

#: How each kind of saved model (`ModelMeta.kind`) is rebuilt from its checked folder.
MODEL_KINDS: Registry[Loader] = Registry("model kind")
MODEL_KINDS.add_lazy("tfidf", "nlpkit.classifiers.lean:load_lean")
MODEL_KINDS.add_lazy("embedding", "nlpkit.classifiers.encoded:load_embedding")
MODEL_KINDS.add_lazy("transformer", "nlpkit.classifiers.encoded:load_transformer")
MODEL_KINDS.add_lazy("extractive", "nlpkit.summarizers.supervised:load_supervised")
MODEL_KINDS.add_lazy("seq2seq", "nlpkit.summarizers.abstractive:load_seq2seq")


class SummarizerModel(Model, Protocol):
    """A trained summarizer loaded from a folder (a sentence scorer or a seq2seq model)."""

    def summarize(self, doc: Document, length: LengthSpec) -> Summary: ...


#: What `load_model` returns; `task=` narrows it for a type checker.
AnyModel: TypeAlias = "TopicModel | StanceModel | SummarizerModel"


def _loader(folder: Path, meta: ModelMeta) -> Loader:
    if meta.kind not in MODEL_KINDS:
        raise ModelError(f"{folder}: unknown model kind {meta.kind!r}; known: {', '.join(MODEL_KINDS.names())}")
    return MODEL_KINDS.get(meta.kind)


@overload
def load_model(name_or_path: str | Path, *, task: Literal["topic"], device: str | None = None) -> TopicModel: ...
@overload
def load_model(name_or_path: str | Path, *, task: Literal["stance"], device: str | None = None) -> StanceModel: ...
@overload
def load_model(
    name_or_path: str | Path, *, task: Literal["summarizer"], device: str | None = None
) -> SummarizerModel: ...
@overload
def load_model(name_or_path: str | Path, *, task: None = None, device: str | None = None) -> AnyModel: ...


def load_model(name_or_path: str | Path, *, task: str | None = None, device: str | None = None) -> AnyModel:
    """Load a model folder (or a bundled model by name), after checking its files.

    Every file is checked against its SHA-256 in `nlpkit.json`, then the loader registered for
    the model's kind (`MODEL_KINDS`) rebuilds it. `task` (`topic`, `stance`, `summarizer`)
    refuses a model of another task and gives a type checker the exact class (`TopicModel`,
    `StanceModel`, `SummarizerModel`). `device` (`auto`, `cpu`, `cuda`) places a neural model;
    by default it goes where it was trained to go. Linear models ignore it.

    Example:
        >>> import nlpkit
        >>> model = nlpkit.load_model("topic", task="topic")
        >>> model.predict("The striker scored twice as the club won the cup final.")
        'sport'
    """
    folder, meta = open_model_folder(name_or_path)
    if task is not None and meta.task != task:
        raise ModelError(f"{folder}: a {meta.task} model, not a {task} model")
    try:
        model: AnyModel = _loader(folder, meta)(folder, meta, device)
    except ModuleNotFoundError as e:  # a neural model on a plain install: say which extra it needs
        extra = missing_extra(e, f"the {meta.backend} model {folder}")
        if extra is None:
            raise
        raise extra from e
    return model


def save_model(model: Any, path: str | Path, *, force: bool = False, name: str | None = None) -> Path:
    """Save a model — a loaded or trained one, or any fitted nlpkit estimator — as a checked model folder.

    The folder is written beside `path` and renamed into place; an existing `path` is refused
    unless `force`. `name` names an estimator's model (default `task-backend`).

    Example:
        >>> import tempfile, nlpkit
        >>> from nlpkit.classifiers import TfidfClassifier
        >>> est = TfidfClassifier(cv=2).fit(["A late goal won it.", "Profits fell."] * 4, ["sport", "business"] * 4)
        >>> folder = nlpkit.save_model(est, tempfile.mkdtemp() + "/mine")
        >>> nlpkit.load_model(folder, task="topic").predict("The goal came late.")
        'sport'
    """
    from nlpkit.persistence import save_model as write_folder

    if not hasattr(model, "save_files"):
        from nlpkit.classifiers.base import fitted_model

        model = fitted_model(model, name=name)
    return write_folder(model, path, force=force)


#: Kinds rebuilt from numpy arrays alone: checking one loads it whole (fast, and nothing can run).
NUMPY_KINDS = frozenset({"tfidf", "extractive"})


def check_model_folder(name_or_path: str | Path) -> tuple[Path, ModelMeta]:
    """A model folder and its description, checked as `load_model` checks them.

    Every kind gets the description, format and checksum checks; numpy-only kinds are also
    rebuilt, so an array or description that does not fit is found too. Neural weights are not
    loaded (that needs torch).
    """
    folder, meta = open_model_folder(name_or_path)
    load = _loader(folder, meta)
    if meta.kind in NUMPY_KINDS:
        load(folder, meta, None)
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
