"""Training: labelled data in, an honestly evaluated model folder out.

Before fitting, the data is made fit to score: labels are normalised (stray whitespace,
case variants), exact duplicate examples are dropped, rare labels are reported, and the
dev split never shares a text with training (grouped by `group_field`, and for stance by
the text itself, so no article body is on both sides).
"""

from __future__ import annotations

import hashlib
import shlex
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpkit.errors import DataError, UsageError

Example = tuple[str, str, str | None]  # text, label, target

#: Labels with fewer examples than this are reported.
FEW_EXAMPLES = 5


@dataclass
class LabelledData:
    """Texts (and stance targets) with their labels, plus what was changed to make them usable."""

    texts: list[str]
    labels: list[str]
    targets: list[str] | None = None
    groups: list[str] | None = None
    notes: list[str] = field(default_factory=list)
    source: str = ""

    def inputs(self) -> list[Any]:
        if self.targets is None:
            return list(self.texts)
        return list(zip(self.targets, self.texts, strict=True))

    def subset(self, idx: Sequence[int]) -> LabelledData:
        pick = lambda xs: [xs[i] for i in idx]  # noqa: E731
        return LabelledData(
            texts=pick(self.texts),
            labels=pick(self.labels),
            targets=pick(self.targets) if self.targets is not None else None,
            groups=pick(self.groups) if self.groups is not None else None,
            source=self.source,
        )

    def example_keys(self) -> list[str]:
        if self.targets is None:
            return self.texts
        return [f"{t}\x00{x}" for t, x in zip(self.targets, self.texts, strict=True)]

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for k, lab in sorted(zip(self.example_keys(), self.labels, strict=True)):
            h.update(k.encode("utf-8", "replace") + b"\x01" + lab.encode() + b"\x02")
        return h.hexdigest()


def load_labelled(
    data: str | Path,
    *,
    task: str,
    text_field: str = "text",
    label_field: str = "label",
    target_field: str | None = None,
    group_field: str | None = None,
    bodies: str | Path | None = None,
    body_id_field: str = "Body ID",
    split: str | None = None,
    dedupe: bool = True,
    require_labels: bool = True,
) -> LabelledData:
    """Read and tidy labelled examples for a task; every change is noted, every problem is a clear error."""
    from nlpkit.io.tables import join_bodies, read_table

    rows = read_table(data, split=split)
    notes: list[str] = []
    if bodies is not None:
        rows = join_bodies(rows, bodies, key=body_id_field, text_field=text_field)
        if group_field is None and body_id_field in rows[0]:
            group_field = body_id_field
    columns = list(rows[0])
    if task == "stance" and target_field is None:
        target_field = next((c for c in ("target", "Headline", "headline", "title", "claim") if c in columns), "target")
    needed = [text_field, label_field] if require_labels else [text_field]
    if task == "stance":
        needed.append(target_field or "target")
    for col in needed:
        if col not in columns:
            flag = {text_field: "--text-field", label_field: "--label-field"}.get(col, "--target-field")
            raise DataError(f"{data}: no column {col!r} (columns: {', '.join(map(str, columns))}); use {flag}")
    if group_field is not None and group_field not in columns:
        raise DataError(f"{data}: no column {group_field!r} to group by (columns: {', '.join(map(str, columns))})")

    texts: list[str] = []
    labels: list[str] = []
    targets: list[str] | None = [] if task == "stance" else None
    groups: list[str] | None = [] if group_field else None
    bad = 0
    for r in rows:
        text, label = r.get(text_field), r.get(label_field) if require_labels else ""
        target = r.get(target_field) if task == "stance" and target_field else None
        if (
            not isinstance(text, str)
            or not text.strip()
            or label is None
            or (task == "stance" and not isinstance(target, str))
        ):
            bad += 1
            continue
        texts.append(text)
        labels.append(str(label).strip())
        if targets is not None:
            targets.append(str(target))
        if groups is not None and group_field is not None:
            groups.append(str(r.get(group_field)))
    if bad:
        notes.append(f"{bad} rows without usable text/label{'/target' if task == 'stance' else ''} were skipped")
    if not texts:
        raise DataError(f"{data}: no usable rows (text in {text_field!r} must be non-empty text)")

    if require_labels:
        labels = _normalise_labels(labels, notes)
    out = LabelledData(texts=texts, labels=labels, targets=targets, groups=groups, notes=notes, source=str(data))
    if dedupe:
        out = _dedupe(out)
    return out


def _normalise_labels(labels: list[str], notes: list[str]) -> list[str]:
    empty = sum(1 for lab in labels if not lab)
    if empty:
        raise DataError(f"{empty} rows have an empty label; fill or remove them")
    counts = Counter(labels)
    by_fold: dict[str, list[str]] = defaultdict(list)
    for lab in counts:
        by_fold[lab.casefold()].append(lab)
    mapping = {}
    for variants in by_fold.values():
        canonical = max(variants, key=lambda v: (counts[v], v))
        for v in variants:
            mapping[v] = canonical
        if len(variants) > 1:
            notes.append(f"labels {', '.join(sorted(variants))} differ only in case: merged as {canonical!r}")
    return [mapping[lab] for lab in labels]


def _dedupe(data: LabelledData) -> LabelledData:
    seen: dict[str, int] = {}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    keep: list[int] = []
    for i, k in enumerate(data.example_keys()):
        votes[k][data.labels[i]] += 1
        if k not in seen:
            seen[k] = i
            keep.append(i)
    dropped = len(data.texts) - len(keep)
    conflicts = sum(1 for v in votes.values() if len(v) > 1)
    out = data.subset(keep)
    out.labels = [votes[k].most_common(1)[0][0] for k in out.example_keys()]
    out.notes = list(data.notes)
    if dropped:
        out.notes.append(f"{dropped} exact duplicate examples were dropped")
    if conflicts:
        out.notes.append(f"{conflicts} duplicated examples had conflicting labels: the majority label was kept")
    return out


@dataclass
class TrainResult:
    """What `train` produced: the model, where it was saved and its held-out metrics."""

    model: Any
    path: Path | None
    metrics: dict[str, Any]
    notes: list[str]
    seconds: float


def _check_labels(data: LabelledData) -> None:
    counts = Counter(data.labels)
    if len(counts) < 2:
        only = next(iter(counts))
        raise DataError(f"{data.source}: every example has the label {only!r}; a classifier needs at least two labels")
    for lab, n in sorted(counts.items()):
        if n < FEW_EXAMPLES:
            data.notes.append(
                f"label {lab!r} has only {n} example{'s' if n != 1 else ''}; its scores will be unreliable"
            )


def _groups(data: LabelledData) -> list[str] | None:
    """What must stay on one side of a split: the group field, else (stance) the article body."""
    if data.groups is not None:
        return data.groups
    return data.texts if data.targets is not None else None


def _split(data: LabelledData, dev_split: float, seed: int) -> tuple[list[int], list[int]]:
    from nlpkit.classify.base import holdout_split

    return holdout_split(data.labels, _groups(data), dev_split, seed)


def _folds(data: LabelledData, k: int, seed: int) -> list[tuple[list[int], list[int]]]:
    import numpy as np
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    idx = np.arange(len(data.texts))
    groups = _groups(data)
    if groups is not None:
        return [(a.tolist(), b.tolist()) for a, b in GroupKFold(n_splits=k).split(idx, data.labels, groups)]
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return [(a.tolist(), b.tolist()) for a, b in skf.split(idx, data.labels)]


def train(
    task: str,
    data: str | Path,
    *,
    out: str | Path | None = None,
    backend: str = "tfidf",
    text_field: str = "text",
    label_field: str = "label",
    target_field: str | None = None,
    group_field: str | None = None,
    dev: str | Path | None = None,
    dev_split: float = 0.1,
    cv: int | None = None,
    seed: int = 0,
    force: bool = False,
    bodies: str | Path | None = None,
    body_id_field: str = "Body ID",
    split: str | None = None,
    params: dict[str, Any] | None = None,
    name: str | None = None,
    command: str | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train a topic or stance classifier, evaluate it on held-out data and save it.

    Args:
        task: `"topic"` (text -> label) or `"stance"` ((target, text) -> label).
        data: CSV/TSV/JSON/JSONL/Parquet file, a `save_to_disk` folder, or a Hub dataset name.
        out: Model folder to write (refused if it exists, unless `force`).
        backend: A registered backend (`tfidf`, `embedding`, `transformer`).
        dev: A separate dev file; else `cv` folds; else a `dev_split` share held out.
        group_field: Keep rows sharing this value on one side of the split.
        bodies: For FNC-1-style data, a table of bodies joined on `body_id_field`.

    Example:
        >>> import nlpkit
        >>> result = nlpkit.train("topic", "data/topics.jsonl", dev_split=0.25)
        >>> sorted(result.model.labels)
        ['business', 'entertainment', 'politics', 'sport', 'tech']
    """
    from nlpkit.classify.base import ClassifierModel, make_estimator
    from nlpkit.evaluate import classification_metrics
    from nlpkit.persistence import save_model

    say = log or (lambda _msg: None)
    t0 = time.perf_counter()
    if out is not None and Path(out).exists() and not force:
        from nlpkit.errors import OutputError

        raise OutputError(f"{out}: already exists; use --force to overwrite it")
    if cv is not None and cv < 2:
        raise UsageError("--cv must be at least 2")
    if not 0 < dev_split < 1:
        raise UsageError("--dev-split must be between 0 and 1")
    opts = dict(
        task=task,
        text_field=text_field,
        label_field=label_field,
        target_field=target_field,
        bodies=bodies,
        body_id_field=body_id_field,
    )
    labelled = load_labelled(data, group_field=group_field, split=split, **opts)  # type: ignore[arg-type]
    _check_labels(labelled)
    params = dict(params or {})
    params.setdefault("random_state", seed)
    notes = labelled.notes
    say(f"read {len(labelled.texts)} examples, {len(set(labelled.labels))} labels from {data}")
    for n in notes:
        say(n)

    def fit(part: LabelledData) -> Any:
        return make_estimator(backend, task, **params).fit(part.inputs(), part.labels)

    def score(est: Any, part: LabelledData) -> dict[str, Any]:
        proba = est.predict_proba(part.inputs())
        classes = [str(c) for c in est.classes_]
        pred = [classes[i] for i in proba.argmax(axis=1)]
        return classification_metrics(part.labels, pred, proba=proba, labels=classes)

    metrics: dict[str, Any]
    if dev is not None:
        dev_data = load_labelled(dev, **opts)  # type: ignore[arg-type]
        train_keys = set(labelled.example_keys())
        keep = [i for i, k in enumerate(dev_data.example_keys()) if k not in train_keys]
        if len(keep) < len(dev_data.texts):
            notes.append(f"{len(dev_data.texts) - len(keep)} dev examples also in training were removed from dev")
        if not keep:
            raise DataError(f"{dev}: every dev example is also in the training data")
        dev_data = dev_data.subset(keep)
        say(f"training on {len(labelled.texts)} examples, evaluating on {len(dev_data.texts)} from {dev}")
        estimator = fit(labelled)
        metrics = score(estimator, dev_data)
        metrics["evaluated_on"] = f"dev file {dev}"
        n_train, n_dev = len(labelled.texts), len(dev_data.texts)
    elif cv is not None:
        folds = _folds(labelled, cv, seed)
        fold_metrics = []
        for i, (tr, dv) in enumerate(folds, start=1):
            say(f"fold {i}/{cv}: training on {len(tr)}, evaluating on {len(dv)}")
            fold_metrics.append(score(fit(labelled.subset(tr)), labelled.subset(dv)))
        metrics = _mean_metrics(fold_metrics)
        metrics["evaluated_on"] = f"{cv}-fold cross-validation (final model refit on all data)"
        say("refitting on all data")
        estimator = fit(labelled)
        n_train, n_dev = len(labelled.texts), 0
    else:
        tr, dv = _split(labelled, dev_split, seed)
        train_part, dev_part = labelled.subset(tr), labelled.subset(dv)
        missing = set(train_part.labels) ^ set(labelled.labels)
        if missing:
            notes.append(f"labels only in the dev split (too rare to train on): {', '.join(sorted(missing))}")
        say(f"training on {len(tr)} examples, evaluating on a held-out {len(dv)}")
        estimator = fit(train_part)
        metrics = score(estimator, dev_part)
        how = "grouped " if (labelled.groups is not None or labelled.targets is not None) else "stratified "
        metrics["evaluated_on"] = f"a {how}held-out {dev_split:.0%} dev split (seed {seed})"
        n_train, n_dev = len(tr), len(dv)
    seconds = time.perf_counter() - t0
    meta = {
        "name": name or (Path(out).name if out else f"{task}-{backend}"),
        "version": "1",
        "task": task,
        "backend": backend,
        "params": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
        "labels": [str(c) for c in estimator.classes_],
        "fields": {"text": text_field, "label": label_field, "target": target_field if task == "stance" else None},
        "data": {
            "source": str(data),
            "fingerprint": labelled.fingerprint(),
            "n_train": n_train,
            "n_dev": n_dev,
            "notes": notes,
        },
        "metrics": metrics,
        "train_seconds": round(seconds, 2),
        "command": command or " ".join(shlex.quote(a) for a in ["nlpkit", *sys.argv[1:]]),
    }
    if getattr(estimator, "history_", None):  # neural backends: loss per epoch and the epoch kept
        meta.update(history=estimator.history_, best_epoch=estimator.best_epoch_)
    model = ClassifierModel(estimator, meta)
    path = save_model(model, out, force=force) if out is not None else None
    return TrainResult(model=model, path=path, metrics=metrics, notes=notes, seconds=seconds)


def _mean_metrics(folds: list[dict[str, Any]]) -> dict[str, Any]:
    import numpy as np

    out: dict[str, Any] = {}
    for key in ("accuracy", "macro_f1", "fnc_score", "ece"):
        vals = [f[key] for f in folds if key in f]
        if vals:
            out[key] = float(np.mean(vals))
            out[f"{key}_std"] = float(np.std(vals))
    labels = folds[0]["labels"]
    out["labels"] = labels
    out["n"] = int(sum(f["n"] for f in folds))
    out["per_class"] = {
        lab: {
            m: float(np.mean([f["per_class"][lab][m] for f in folds if lab in f["per_class"]]))
            for m in ("precision", "recall", "f1")
        }
        | {"support": int(sum(f["per_class"].get(lab, {}).get("support", 0) for f in folds))}
        for lab in labels
    }
    out["confusion_matrix"] = np.sum([f["confusion_matrix"] for f in folds], axis=0).tolist()
    out["folds"] = len(folds)
    return out


def train_summarizer(
    data: str | Path,
    *,
    out: str | Path | None = None,
    text_field: str = "text",
    summary_field: str = "summary",
    title_field: str = "title",
    backend: str = "extractive",
    dev_split: float = 0.1,
    seed: int = 0,
    force: bool = False,
    params: dict[str, Any] | None = None,
    command: str | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train a summarizer on (article, reference summary) pairs and save it.

    `backend="extractive"` learns a sentence scorer; `backend="seq2seq"` fine-tunes the
    seq2seq model named by `params["base_model"]` (other params: see `fine_tune_seq2seq`).
    A held-out `dev_split` share of the articles is summarized (3 sentences) and scored with
    ROUGE beside Lead-3; the model is trained on the rest.
    """
    import random

    from nlpkit.evaluate import rouge
    from nlpkit.io.tables import read_table
    from nlpkit.persistence import save_model
    from nlpkit.summarize.base import get_summarizer, prepare
    from nlpkit.summarize.length import LengthSpec
    from nlpkit.summarize.supervised import SentenceScorer, SupervisedSummarizer
    from nlpkit.text.segment import segment

    say = log or (lambda _msg: None)
    t0 = time.perf_counter()
    if out is not None and Path(out).exists() and not force:
        from nlpkit.errors import OutputError

        raise OutputError(f"{out}: already exists; use --force to overwrite it")
    if not 0 < dev_split < 1:
        raise UsageError("--dev-split must be between 0 and 1")
    rows = read_table(data)
    for col in (text_field, summary_field):
        if col not in rows[0]:
            raise DataError(f"{data}: no column {col!r} (columns: {', '.join(map(str, rows[0]))})")
    pairs = [
        (r[text_field], r[summary_field], r.get(title_field))
        for r in rows
        if isinstance(r.get(text_field), str) and isinstance(r.get(summary_field), str) and r[summary_field].strip()
    ]
    pairs = list({p[0]: p for p in pairs}.values())  # one reference per distinct article
    if len(pairs) < 4:
        raise DataError(f"{data}: {len(pairs)} usable (article, summary) pairs; at least 4 are needed")
    random.Random(seed).shuffle(pairs)
    n_dev = max(1, round(dev_split * len(pairs)))
    dev, train_part = pairs[:n_dev], pairs[n_dev:]
    if backend not in ("extractive", "seq2seq"):
        raise UsageError(f"summarizer backend {backend!r}: use extractive or seq2seq")
    what = "a sentence scorer" if backend == "extractive" else "a seq2seq model"
    say(f"training {what} on {len(train_part)} articles, evaluating on {len(dev)}")
    docs = [prepare(t, title=title or None) for t, _, title in train_part]
    params = dict(params or {})
    meta: dict[str, Any] = {
        "name": Path(out).name if out else "summarizer",
        "version": "1",
        "task": "summarizer",
        "backend": backend,
        "params": params,
        "labels": [],
    }
    model: Any
    if backend == "seq2seq":
        from nlpkit.summarize.abstractive import fine_tune_seq2seq

        options = {k: v for k, v in params.items() if k != "base_model"}
        model, history, best = fine_tune_seq2seq(
            params.get("base_model", ""), docs, [s for _, s, _ in train_part], **options
        )
        meta.update(history=history, best_epoch=best, generation=model.generation_options())
        model.meta = meta
    else:
        scorer = SentenceScorer(**params).fit(docs, [s for _, s, _ in train_part])
        model = SupervisedSummarizer(scorer, meta)
    dev_docs = [prepare(t, title=title or None) for t, _, title in dev]
    refs = [["\n".join(s.text for s in segment(ref).sentences)] for _, ref, _ in dev]
    three = LengthSpec(sentences=3)
    metrics: dict[str, Any] = {
        "n": len(dev),
        "evaluated_on": f"a held-out {dev_split:.0%} of the articles (seed {seed})",
    }
    for key, summ in (("model", model), ("lead3", get_summarizer("lead"))):
        preds = ["\n".join(s.text for s in summ.summarize(d, three).sentences) for d in dev_docs]
        scores = rouge(preds, refs)
        if key == "model":
            metrics.update(scores)
        else:
            metrics["lead3"] = scores
    seconds = time.perf_counter() - t0
    meta.update(
        data={
            "source": str(data),
            "n_train": len(train_part),
            "n_dev": len(dev),
            "notes": [],
            "fingerprint": hashlib.sha256("\x00".join(t for t, _, _ in pairs).encode("utf-8", "replace")).hexdigest(),
        },
        metrics=metrics,
        train_seconds=round(seconds, 2),
        command=command or " ".join(shlex.quote(a) for a in ["nlpkit", *sys.argv[1:]]),
    )
    path = save_model(model, out, force=force) if out is not None else None
    return TrainResult(model=model, path=path, metrics=metrics, notes=[], seconds=seconds)
