"""Training: labelled data in, an honestly evaluated model folder out.

The data is tidied (`nlpkit.labelled`), every example goes through the same preparation
as an article at prediction time (`nlpkit.text.prepare`), and the model is evaluated by one
of three strategies — a separate dev file, k-fold cross-validation, or a held-out share —
whose splits never let a text (stance: a target or a text) sit on both sides.
"""

from __future__ import annotations

import hashlib
import inspect
import random
import shlex
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpkit.catalog import get_summarizer
from nlpkit.classifiers.base import TASKS, classifier_model, make_estimator, recorded_params
from nlpkit.errors import DataError, UsageError
from nlpkit.io.tables import read_table
from nlpkit.labelled import Data, LabelFields, LabelledData, load_labelled, prepare_examples
from nlpkit.metrics import (
    brief_rouge,
    classification_metrics,
    macro_f1_present,
    mean_metrics,
    rouge_gains,
    sentence_lines,
)
from nlpkit.params import check_params
from nlpkit.persistence import ModelMeta, check_model_target, read_card_notes, save_model
from nlpkit.registry import Registry
from nlpkit.splits import SPLIT_MODES, Keep, Split, holdout, split_folds
from nlpkit.summarizers.abstractive import fine_tune_seq2seq
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.supervised import SupervisedSummarizer, fit_sentence_scorer
from nlpkit.text.language import detect_language
from nlpkit.text.prepare import prepare
from nlpkit.types import Document

Log = Callable[[str], None]


@dataclass
class TrainResult:
    """What `train` produced: the model, where it was saved and its held-out metrics."""

    model: Any  # TopicModel | StanceModel for `train`, a summarizer for `train_summarizer`
    path: Path | None
    metrics: dict[str, Any]
    notes: list[str]
    seconds: float

    def save(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the model folder (refused if `path` exists, unless `force`)."""
        self.path = save_model(self.model, path, force=force)
        return self.path


@dataclass
class _Evaluated:
    """A fitted estimator, its held-out metrics and how many examples each side had."""

    estimator: Any
    metrics: dict[str, Any]
    n_train: int
    n_dev: int
    notes: list[str] = field(default_factory=list)


def train(
    task: str,
    data: Data,
    *,
    out: str | Path | None = None,
    backend: str = "tfidf",
    fields: LabelFields | None = None,
    dev: Data | None = None,
    dev_split: float = 0.1,
    cv: int | None = None,
    seed: int = 0,
    force: bool = False,
    split: str | None = None,
    params: dict[str, Any] | None = None,
    name: str | None = None,
    command: str | None = None,
    log: Log | None = None,
    label_definitions: str | Path | None = None,
    card_notes: str | Path | None = None,
    split_by: str = "auto",
) -> TrainResult:
    """Train a topic or stance classifier, evaluate it on held-out data and save it.

    Args:
        task: `"topic"` (text -> label) or `"stance"` ((target, text) -> label).
        data: CSV/TSV/JSON/JSONL/Parquet file or fastText's `__label__` lines, a `save_to_disk` folder, a Hub
            dataset name, or rows in memory: a list of dicts or of `(text, label)` pairs (stance:
            `(target, text, label)`), a pandas DataFrame or a `datasets.Dataset`, with columns named as `fields`
            says.
        out: Model folder to write (refused if it exists, unless `force`).
        backend: A registered backend (`tfidf`, `embedding`, `transformer`).
        fields: Where text, label, target, title and groups are (`LabelFields`).
        dev: A separate dev file; else `cv` folds; else a `dev_split` share held out.
        split: The split of a Hugging Face dataset.
        params: Backend parameters.
        label_definitions: A CSV of `label,definition` shown in the model card.
        card_notes: A Markdown file appended to the model card (a Limitations section, say).
        split_by: Stance: how pairs are kept apart in the dev split and folds (`nlpkit.splits.SPLIT_MODES`):
            `auto` (closed targets by text within targets, open ones by headline and body), `target`,
            `text` or `pair`.

    Example:
        >>> import nlpkit
        >>> result = nlpkit.train("topic", "data/topics.jsonl", dev_split=0.25)
        >>> sorted(result.model.labels)
        ['business', 'entertainment', 'politics', 'sport', 'tech']
    """
    say = log or (lambda _msg: None)
    t0 = time.perf_counter()
    paths = [x for x in (data, dev) if isinstance(x, str | Path)]
    _check_request(task, out, force, cv, dev_split, inputs=paths)
    fields = fields or LabelFields()
    params = {"random_state": seed, **(params or {})}
    if split_by not in SPLIT_MODES:
        raise UsageError(f"--split-by {split_by!r}: use one of {', '.join(SPLIT_MODES)}")
    if task == "stance" and backend == "tfidf":
        params.setdefault("split_by", split_by)  # the model's own cross-validation keeps pairs apart the same way
    make_estimator(backend, task, **params)  # a bad backend or parameter is one clear error before the data is read
    labelled = prepare_examples(load_labelled(data, task=task, fields=fields, split=split), task)
    labelled.check_labels()
    extra = read_card_notes(label_definitions, card_notes, sorted(set(labelled.labels)))  # before any fitting
    say(f"read {len(labelled.texts)} examples, {len(set(labelled.labels))} labels from {labelled.source}")
    for note in labelled.notes:
        say(note)

    def fit(part: LabelledData, chosen: dict[str, Any] | None = None) -> Any:
        estimator = make_estimator(backend, task, **{**params, **(chosen or {})})
        if part.groups is not None and task == "topic" and "groups" in inspect.signature(estimator.fit).parameters:
            # groups are sources: settings and calibration are chosen on sources held out whole
            return estimator.fit(part.inputs(), part.labels, groups=part.groups)
        return estimator.fit(part.inputs(), part.labels)

    if dev is not None:
        dev_data = prepare_examples(load_labelled(dev, task=task, fields=fields), task)
        result = _on_dev_file(fit, labelled, dev_data, str(dev), say)
    elif cv is not None:
        result = _by_cross_validation(fit, labelled, cv, seed, say, split_by)
    else:
        result = _on_held_out_share(fit, labelled, dev_split, seed, say, split_by)
    learnt_little = near_uniform(result.metrics)
    if learnt_little:
        result.notes.append(learnt_little)
        warnings.warn(learnt_little, stacklevel=2)
    notes = [*labelled.notes, *result.notes]
    seconds = time.perf_counter() - t0
    meta = _classifier_meta(
        task=task,
        backend=backend,
        params=params,
        fields=fields,
        data=labelled,
        evaluated=result,
        notes=notes,
        name=name or (Path(out).name if out else f"{task}-{backend}"),
        seconds=seconds,
        command=command
        or _python_call(
            "nlpkit.train",
            task,
            data if isinstance(data, str | Path) else _Shown(labelled.source),
            backend=backend,
            dev=dev,
            dev_split=dev_split,
            cv=cv,
            seed=seed,
            params=params,
        ),
    )
    if extra:
        meta = meta.replace(data={**meta.data, **extra})
    model = classifier_model(result.estimator.predictor(), meta)
    path = save_model(model, out, force=force) if out is not None else None
    return TrainResult(model=model, path=path, metrics=result.metrics, notes=notes, seconds=seconds)


def _check_request(
    task: str, out: str | Path | None, force: bool, cv: int | None, dev_split: float, inputs: list[Any]
) -> None:
    if task not in TASKS:
        raise UsageError(f"unknown task {task!r}; known: {', '.join(TASKS)}")
    if out is not None:
        check_model_target(out, force=force, inputs=inputs)  # before training, not after it
    if cv is not None and cv < 2:
        raise UsageError("--cv must be at least 2")
    if not 0 < dev_split < 1:
        raise UsageError("--dev-split must be between 0 and 1")


def data_split(
    data: LabelledData, *, seed: int, share: float | None = None, k: int | None = None, by: str = "auto"
) -> Split:
    """The held-out share (`share`) or `k` folds of labelled data, by `nlpkit.splits`' rules (`by`: how stance
    pairs are kept apart)."""
    keep = Keep(groups=data.groups)
    if data.targets is not None:
        keep = Keep(groups=data.groups, targets=data.targets, texts=data.texts, by=by)
    try:
        if share is not None:
            return holdout(data.labels, share, seed, keep)
        return split_folds(data.labels, int(k or 5), seed, keep)
    except ValueError:
        n, labels = len(data.labels), len(set(data.labels))
        what = "hold out a dev split" if share is not None else f"make {k or 5} cross-validation folds"
        raise DataError(
            f"{data.source}: cannot {what} from {n} examples of {labels} labels; "
            "add examples (several per label) or give --dev FILE"
        ) from None


def _score(estimator: Any, part: LabelledData, labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Metrics of what the saved model will predict (the estimator's `predictor()`) on `part`, over `labels`
    (all the data's labels, so folds whose model lacks one still line up)."""
    predictor = estimator.predictor()
    proba = predictor.predict_proba(part.inputs())
    classes = [str(c) for c in predictor.classes_]
    pred = [classes[i] for i in proba.argmax(axis=1)]
    return classification_metrics(part.labels, pred, proba=proba, labels=list(labels) if labels else classes)


def _on_dev_file(
    fit: Callable[[LabelledData], Any], data: LabelledData, dev: LabelledData, where: str, say: Log
) -> _Evaluated:
    train_keys = set(data.example_keys())
    keep = [i for i, k in enumerate(dev.example_keys()) if k not in train_keys]
    notes = []
    if len(keep) < len(dev.texts):
        notes.append(f"{len(dev.texts) - len(keep)} dev examples also in training were removed from dev")
    if not keep:
        raise DataError(f"{where}: every dev example is also in the training data")
    dev = dev.subset(keep)
    say(f"training on {len(data.texts)} examples, evaluating on {len(dev.texts)} from {where}")
    estimator = fit(data)
    metrics = {**_score(estimator, dev), "evaluated_on": f"dev file {where}"}
    return _Evaluated(estimator, metrics, len(data.texts), len(dev.texts), notes)


def _by_cross_validation(
    fit: Callable[..., Any], data: LabelledData, k: int, seed: int, say: Log, by: str = "auto"
) -> _Evaluated:
    if k > len(data.texts):
        raise UsageError(f"--cv {k}: more folds than the {len(data.texts)} examples")
    split = data_split(data, seed=seed, k=k, by=by)
    fold_metrics = []
    folds = []
    for i, (tr, dv) in enumerate(split.folds, start=1):
        held = ", ".join(sorted({data.groups[j] for j in dv})[:3]) if data.groups is not None else f"fold {i}"
        say(f"fold {i}/{k}: training on {len(tr)}, evaluating on {len(dv)}" + (f" ({held})" if data.groups else ""))
        m = _score(fit(data.subset(tr)), data.subset(dv), sorted(set(data.labels)))
        fold_metrics.append(m)
        # macro-F1 over the labels this part has: a held-out source lacks some labels by nature
        part = {"held_out": held, "n": m["n"], "accuracy": m["accuracy"], "macro_f1": macro_f1_present(m)}
        folds.append({**part, "ece": m.get("ece")})
    metrics = mean_metrics(fold_metrics)
    metrics["per_fold"] = folds
    metrics["evaluated_on"] = f"{k}-fold cross-validation, {split.how} (final model refit on all data)"
    say("refitting on all data")
    notes = [f"{split.left_out} pairs were in no fold (their ends fell in two folds)"] if split.left_out else []
    return _Evaluated(fit(data), metrics, len(data.texts), 0, notes)


def _on_held_out_share(
    fit: Callable[..., Any], data: LabelledData, share: float, seed: int, say: Log, by: str = "auto"
) -> _Evaluated:
    split = data_split(data, seed=seed, share=share, by=by)
    tr, dv = split.first()
    train_part, dev_part = data.subset(tr), data.subset(dv)
    notes = []
    missing = set(train_part.labels) ^ set(data.labels)
    if missing:
        notes.append(f"labels only in the dev split (too rare to train on): {', '.join(sorted(missing))}")
    if split.left_out:
        notes.append(f"{split.left_out} pairs were left out of both sides (their ends fell on two sides)")
    say(f"training on {len(tr)} examples, evaluating on a held-out {len(dv)} ({split.how})")
    estimator = fit(train_part)
    metrics = {
        **_score(estimator, dev_part),
        "evaluated_on": f"a held-out {share:.0%} dev split {split.how} (seed {seed}); "
        "the saved model was then refit on all the data, dev part included, with the settings chosen",
    }
    say(f"refitting on all {len(data.texts)} examples with the settings chosen (the dev part was for the report)")
    chosen: dict[str, Any] = getattr(estimator, "chosen_params", dict)()
    final = fit(data, chosen)
    if getattr(estimator, "selection_", None):  # how the settings were chosen, for the card
        final.selection_ = estimator.selection_
    return _Evaluated(final, metrics, len(data.texts), len(dv), notes)


def near_uniform(metrics: dict[str, Any]) -> str | None:
    """A warning when held-out predictions show the model learnt little: scores near 1/k, or one label for
    nearly everything when the data is not that one-sided. None when they look like a model's.

    Example:
        >>> m = {"labels": ["a", "b", "c", "d"], "mean_top_score": 0.27, "confusion_matrix": [[1, 1], [1, 1]]}
        >>> near_uniform(m)
        'predictions are near-uniform on the held-out data (mean top score 0.27 with 4 labels): ...'
    """
    labels, cm = metrics.get("labels") or [], metrics.get("confusion_matrix") or []
    k = len(labels)
    if k < 2 or not cm:
        return None
    top = metrics.get("mean_top_score")
    if top is not None and top < 1 / k + 0.1 * (1 - 1 / k):
        return (
            f"predictions are near-uniform on the held-out data (mean top score {top:.2f} with {k} labels): "
            "the model has learnt little; train longer, or check the data and labels"
        )
    total = sum(map(sum, cm))
    predicted = [sum(row[j] for row in cm) for j in range(len(cm))]
    gold = [sum(row) for row in cm]
    j = max(range(len(predicted)), key=predicted.__getitem__)
    if total >= 20 and predicted[j] >= 0.95 * total and max(gold) < 0.8 * total:
        return (
            f"the model predicts {labels[j]!r} for {predicted[j] / total:.0%} of the held-out data, where "
            f"{gold[j] / total:.0%} have that label: it has learnt little; train longer, or check the data"
        )
    return None


def cli_command() -> str:
    """The command line of this process, as `nlpkit ...` (for a model's "Reproduce" section)."""
    return " ".join(shlex.quote(a) for a in ["nlpkit", *sys.argv[1:]])


@dataclass(frozen=True)
class _Shown:
    """Data given in memory, as a model's "Reproduce" line names it."""

    what: str

    def __repr__(self) -> str:
        return f"<{self.what}>"


def _python_call(function: str, *args: Any, **kwargs: Any) -> str:
    """How a model trained from Python was made, e.g. `nlpkit.train('topic', 'data.jsonl', dev_split=0.25)`."""
    shown = [repr(str(a) if isinstance(a, Path) else a) for a in args]
    shown += [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return f"{function}({', '.join(shown)})"


def data_language(texts: Sequence[str], sample: int = 300) -> str | None:
    """The language of training texts when nine in ten of an even sample agree (else None: no check at prediction)."""
    step = max(1, len(texts) // sample)
    codes = [detect_language(t)[0] for t in texts[::step][:sample]]
    codes = [c for c in codes if c != "und"]
    if not codes:
        return None
    top = max(set(codes), key=codes.count)
    return top if codes.count(top) >= 0.9 * len(codes) else None


def _classifier_meta(**kw: Any) -> ModelMeta:
    data: LabelledData = kw["data"]
    evaluated: _Evaluated = kw["evaluated"]
    fields: LabelFields = kw["fields"]
    estimator = evaluated.estimator
    history = getattr(estimator, "history_", None) or ()  # neural backends: loss per epoch and the epoch kept
    return ModelMeta(
        task=kw["task"],
        backend=kw["backend"],
        name=kw["name"],
        labels=tuple(str(c) for c in estimator.classes_),
        params=recorded_params(kw["params"]),
        fields={"text": fields.text, "label": fields.label, "target": fields.target, "title": fields.title},
        data={
            "source": data.source,
            "language": data_language(data.texts),
            "fingerprint": data.fingerprint(),
            "seen": data.seen_sample(),
            "n_train": evaluated.n_train,
            "n_dev": evaluated.n_dev,
            "notes": kw["notes"],
        },
        metrics=evaluated.metrics,
        selection=getattr(estimator, "selection_", None) or {},
        history=tuple(history),
        best_epoch=getattr(estimator, "best_epoch_", None) if history else None,
        train_seconds=round(kw["seconds"], 2),
        command=kw["command"],
    )


# -- summarizers ---------------------------------------------------------------------------

Pair = tuple[str, str, str | None]  # article, reference summary, headline
SummarizerTrainer = Callable[[Sequence[Document], Sequence[str], dict[str, Any], Log], tuple[Any, dict[str, Any]]]

#: How each summarizer backend is trained: `(docs, references, params, log) -> (summarizer, extra metadata)`.
SUMMARIZER_TRAINERS: Registry[SummarizerTrainer] = Registry("summarizer backend")


@SUMMARIZER_TRAINERS.register("extractive")
def _train_extractive(
    docs: Sequence[Document], refs: Sequence[str], params: dict[str, Any], log: Log
) -> tuple[Any, dict]:
    try:
        scorer = fit_sentence_scorer(docs, refs, **params)
    except TypeError as e:
        raise UsageError(f"extractive summarizer training: {e}") from None
    log(f"fitted {scorer.trees.config()['trees']} boosted trees")
    return SupervisedSummarizer(scorer, ModelMeta(task="summarizer", backend="extractive")), {}


@SUMMARIZER_TRAINERS.register("seq2seq")
def _train_seq2seq(docs: Sequence[Document], refs: Sequence[str], params: dict[str, Any], log: Log) -> tuple[Any, dict]:
    options = {k: v for k, v in params.items() if k != "base_model"}
    model, history, best = fine_tune_seq2seq(params.get("base_model", ""), docs, refs, **options)
    return model, {"history": tuple(history), "best_epoch": best, "generation": model.generation_options()}


def train_summarizer(
    data: str | Path,
    *,
    out: str | Path | None = None,
    fields: LabelFields | None = None,
    summary_field: str = "summary",
    backend: str = "extractive",
    dev_split: float = 0.1,
    seed: int = 0,
    force: bool = False,
    params: dict[str, Any] | None = None,
    command: str | None = None,
    card_notes: str | Path | None = None,
    log: Log | None = None,
) -> TrainResult:
    """Train a summarizer on (article, reference summary) pairs and save it.

    `backend` is a registered trainer (`SUMMARIZER_TRAINERS`): `extractive` learns a sentence
    scorer; `seq2seq` fine-tunes the seq2seq model named by `params["base_model"]`. A held-out
    `dev_split` share of the articles is summarized (3 sentences) and scored with ROUGE beside
    Lead-3 (an extractive scorer at one sentence too, beside Lead-1); the model is trained on the rest.
    `card_notes`: a Markdown file appended to the model card.
    """
    say = log or (lambda _msg: None)
    t0 = time.perf_counter()
    trainer = SUMMARIZER_TRAINERS.get(backend)
    if out is not None:
        check_model_target(out, force=force, inputs=[data])  # before training, not after it
    if not 0 < dev_split < 1:
        raise UsageError("--dev-split must be between 0 and 1")
    check_params(params or {}, f"summarizer backend {backend!r}")
    if backend == "extractive":
        known = set(inspect.signature(fit_sentence_scorer).parameters) - {"docs", "references"}
        unknown = sorted(set(params or {}) - known)
        if unknown:
            raise UsageError(
                f"summarizer backend 'extractive': unknown parameter {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
    notes = read_card_notes(None, card_notes, [])  # before any fitting
    pairs = _summary_pairs(data, fields or LabelFields(), summary_field)
    random.Random(seed).shuffle(pairs)
    n_dev = max(1, round(dev_split * len(pairs)))
    dev, train_part = pairs[:n_dev], pairs[n_dev:]
    say(f"training the {backend} summarizer on {len(train_part)} articles, evaluating on {len(dev)}")
    docs = [prepare(t, title=title or None) for t, _, title in train_part]
    params = dict(params or {})
    model, extra = trainer(docs, [s for _, s, _ in train_part], params, say)
    evaluated_on = f"a held-out {dev_split:.0%} of the articles (seed {seed})"
    metrics = _summary_metrics(model, dev, evaluated_on, one_sentence=backend == "extractive")
    seconds = time.perf_counter() - t0
    fingerprint = hashlib.sha256("\x00".join(t for t, _, _ in pairs).encode("utf-8", "replace")).hexdigest()
    model.meta = ModelMeta(
        task="summarizer",
        backend=backend,
        name=Path(out).name if out else "summarizer",
        params=params,
        data={
            "source": str(data),
            "n_train": len(train_part),
            "n_dev": len(dev),
            "notes": [],
            "fingerprint": fingerprint,
            **notes,
        },
        metrics=metrics,
        train_seconds=round(seconds, 2),
        command=command
        or _python_call("nlpkit.train_summarizer", data, backend=backend, dev_split=dev_split, seed=seed),
        **extra,
    )
    path = save_model(model, out, force=force) if out is not None else None
    return TrainResult(model=model, path=path, metrics=metrics, notes=[], seconds=seconds)


def _summary_pairs(data: str | Path, fields: LabelFields, summary_field: str) -> list[Pair]:
    """One (article, reference, headline) per distinct article of a table."""
    rows = read_table(data)
    for col in (fields.text, summary_field):
        if col not in rows[0]:
            raise DataError(f"{data}: no column {col!r} (columns: {', '.join(map(str, rows[0]))})")
    title_field = fields.title or "title"
    pairs = [
        (r[fields.text], r[summary_field], r.get(title_field))
        for r in rows
        if isinstance(r.get(fields.text), str) and isinstance(r.get(summary_field), str) and r[summary_field].strip()
    ]
    pairs = list({p[0]: p for p in pairs}.values())
    if len(pairs) < 4:
        raise DataError(f"{data}: {len(pairs)} usable (article, summary) pairs; at least 4 are needed")
    return pairs


def _summary_metrics(model: Any, dev: list[Pair], evaluated_on: str, *, one_sentence: bool) -> dict[str, Any]:
    """ROUGE of the model's 3-sentence briefs on held-out articles, with Lead-3 beside it, and with
    `one_sentence` (a sentence scorer: the second pass is cheap, where a seq2seq model would generate every
    brief again) of its one-sentence briefs beside Lead-1."""
    dev_docs = [prepare(t, title=title or None) for t, _, title in dev]
    refs = [[sentence_lines(ref)] for _, ref, _ in dev]
    lead = get_summarizer("lead")

    def scores(summ: Any, k: int) -> tuple[dict[str, float], dict[str, list[float]]]:
        return brief_rouge(summ, dev_docs, refs, LengthSpec(sentences=k))

    (ours, ours_each), (lead3, lead3_each) = scores(model, 3), scores(lead, 3)
    metrics = {"n": len(dev), "evaluated_on": evaluated_on, **ours, "lead3": lead3}
    metrics["gain"] = rouge_gains(ours_each, lead3_each)  # over Lead-3, per article: mean and standard error
    if one_sentence:
        (one, one_each), (lead1, lead1_each) = scores(model, 1), scores(lead, 1)
        metrics["one_sentence"] = {"model": one, "lead1": lead1, "gain": rouge_gains(one_each, lead1_each)}
    return metrics
