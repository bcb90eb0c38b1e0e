"""Labelled examples for training and evaluation, read from a table and made fit to learn from.

Labels are normalised (stray whitespace, case variants), exact duplicates are dropped (the
majority label kept), rows without usable text are skipped, and every change is noted so
the user sees what was done to their data.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nlpkit import config
from nlpkit.errors import DataError, UsageError, printable
from nlpkit.io.readers.rows import article_text, flattened, likely_text_field
from nlpkit.io.tables import join_bodies, read_table
from nlpkit.text.prepare import model_input, prepare

#: Labels with fewer examples than this are reported.
FEW_EXAMPLES = 5
#: Column names tried, in order, for a stance target when none is named.
TARGET_COLUMNS = ("target", "Headline", "headline", "title", "claim")
#: Names that label columns go by in news datasets (BBC's and HuffPost's `category`, FNC-1's `Stance`, ...),
#: matched without case to suggest --label-field.
LABEL_NAMES = ("label", "labels", "category", "topic", "section", "class", "stance", "genre", "tag")


@dataclass(frozen=True)
class LabelFields:
    """Where the parts of a labelled example are in a table.

    Attributes:
        text: Column with the article text (stance: the body).
        label: Column with the label.
        target: Stance: column with the target (headline or claim); found by name when None.
        title: Column with a headline kept apart from the text (topic), when the table has one.
        group: Rows sharing this value stay on one side of a split.
        bodies: FNC-1 style data: a second table of bodies joined on `body_id`.
        body_id: The join key between the data and `bodies`.
    """

    text: str = "text"
    label: str = "label"
    target: str | None = None
    title: str | None = None
    group: str | None = None
    bodies: str | Path | None = None
    body_id: str = "Body ID"


#: How many example hashes a model keeps of its training data (see `LabelledData.seen_sample`).
SEEN_SAMPLE = 2048


def _short_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=6).digest(), "big")


@dataclass
class LabelledData:
    """Texts (and stance targets) with their labels, plus what was changed to make them usable."""

    texts: list[str]
    labels: list[str]
    targets: list[str] | None = None
    groups: list[str] | None = None
    titles: list[str] | None = None
    notes: list[str] = field(default_factory=list)
    source: str = ""

    def inputs(self) -> list[Any]:
        """What a classifier of this data takes: texts, or (target, text) pairs."""
        if self.targets is None:
            return list(self.texts)
        return list(zip(self.targets, self.texts, strict=True))

    def subset(self, idx: Sequence[int]) -> LabelledData:
        def pick(xs: list[str] | None) -> list[str] | None:
            return None if xs is None else [xs[i] for i in idx]

        return LabelledData(
            texts=[self.texts[i] for i in idx],
            labels=[self.labels[i] for i in idx],
            targets=pick(self.targets),
            groups=pick(self.groups),
            titles=pick(self.titles),
            source=self.source,
        )

    def example_keys(self) -> list[str]:
        parts = [self.texts] + [xs for xs in (self.targets, self.titles) if xs is not None]
        return ["\x00".join(p) for p in zip(*parts, strict=True)]

    def fingerprint(self) -> str:
        """SHA-256 of the examples and labels, independent of their order."""
        h = hashlib.sha256()
        for k, lab in sorted(zip(self.example_keys(), self.labels, strict=True)):
            h.update(k.encode("utf-8", "replace") + b"\x01" + lab.encode() + b"\x02")
        return h.hexdigest()

    def seen_sample(self) -> dict[str, Any]:
        """A sample of the examples' hashes (at most `SEEN_SAMPLE`), kept in the model so that `evaluate`
        can tell when it is shown the data the model learnt from."""
        hashes = [_short_hash(k) for k in self.example_keys()]
        every = 1
        while sum(1 for h in hashes if h % every == 0) > SEEN_SAMPLE:
            every *= 2
        return {"every": every, "hashes": sorted({f"{h:012x}" for h in hashes if h % every == 0})}

    def seen_share(self, sample: Any) -> tuple[int, int]:
        """`(checked, seen)`: how many of these examples fall in a model's `seen_sample`, and how many of
        those the model was trained on. `(0, 0)` when the sample is missing or not well formed."""
        if not isinstance(sample, dict):
            return 0, 0
        every, hashes = sample.get("every"), sample.get("hashes")
        if not (isinstance(every, int) and 1 <= every <= 2**40 and isinstance(hashes, list)):
            return 0, 0
        known = {h for h in hashes[: 2 * SEEN_SAMPLE] if isinstance(h, str)}
        mine = [h for h in map(_short_hash, self.example_keys()) if h % every == 0]
        return len(mine), sum(1 for h in mine if f"{h:012x}" in known)

    def check_labels(self) -> None:
        """Refuse data with a single label; note labels too rare to learn reliably."""
        counts = Counter(self.labels)
        if len(counts) < 2:
            only = next(iter(counts))
            raise DataError(
                f"{self.source}: every example has the label {only!r}; a classifier needs at least two labels"
            )
        for lab, n in sorted(counts.items()):
            if n < FEW_EXAMPLES:
                self.notes.append(
                    f"label {lab!r} has only {n} example{'s' if n != 1 else ''}; its scores will be unreliable"
                )


#: Labelled data given as a path, or in memory: a list of dicts, of `(text, label)` pairs (stance:
#: `(target, text, label)`), a pandas DataFrame or a Hugging Face `datasets.Dataset`.
Data = str | Path | Sequence[Any] | Any


def in_memory_rows(data: Any, task: str, fields: LabelFields) -> tuple[str, list[dict[str, Any]]]:
    """What in-memory labelled data is called in messages, and its rows as dicts keyed like a table's columns.

    Example:
        >>> in_memory_rows([("A late goal won it.", "sport")], "topic", LabelFields())
        ('a list', [{'text': 'A late goal won it.', 'label': 'sport'}])
    """
    if hasattr(data, "columns") and hasattr(data, "to_dict"):  # pandas.DataFrame
        return "the DataFrame", [_tidy(r) for r in data.to_dict("records")]
    if hasattr(data, "column_names") and hasattr(data, "features"):  # datasets.Dataset
        names = getattr(data.features.get(fields.label), "names", None)  # a ClassLabel column holds integers
        rows = [_tidy(r) for r in data]
        if names:
            for r in rows:
                if isinstance(r.get(fields.label), int) and 0 <= r[fields.label] < len(names):
                    r[fields.label] = names[r[fields.label]]
        return "the Dataset", rows
    if hasattr(data, "keys") and hasattr(data, "values"):  # a DatasetDict, or one dict
        raise UsageError(f"give one split or a list of rows, not a mapping (keys: {', '.join(map(str, data))})")
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise UsageError(f"data must be a path, a list of rows, a DataFrame or a Dataset, not {type(data).__name__}")
    width = 3 if task == "stance" else 2
    columns = (
        [str(fields.target or "target"), fields.text, fields.label] if task == "stance" else [fields.text, fields.label]
    )
    rows = []
    for i, item in enumerate(data):
        if isinstance(item, Mapping):
            rows.append(_tidy(item))
        elif isinstance(item, tuple | list) and len(item) == width:
            rows.append(dict(zip(columns, item, strict=True)))
        else:
            shape = "(target, text, label)" if task == "stance" else "(text, label)"
            raise UsageError(f"row {i} is a {type(item).__name__}; give dicts or {shape} tuples")
    return "a list", rows


def _tidy(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with missing values (None, NaN) as None and column names as strings."""
    return {str(k): None if v is None or (isinstance(v, float) and v != v) else v for k, v in row.items()}


def load_labelled(
    data: Data,
    *,
    task: str,
    fields: LabelFields | None = None,
    split: str | None = None,
    dedupe: bool = True,
    require_labels: bool = True,
) -> LabelledData:
    """Read and tidy labelled examples for a task; every change is noted, every problem is a clear error.

    Example:
        >>> data = load_labelled("data/stance.jsonl", task="stance")
        >>> len(data.texts), data.inputs()[0][0]
        (20, 'Council bans cruise ships from city centre')
    """
    fields = fields or LabelFields()
    if isinstance(data, str | Path):
        rows = read_table(data, split=split)
    else:
        data, rows = in_memory_rows(data, task, fields)
        if not rows:
            raise DataError(f"{data}: no rows")
    rows = [flattened(r) for r in rows]  # a field may be named `outer.inner`
    if fields.bodies is not None:
        rows = join_bodies(rows, fields.bodies, key=fields.body_id, text_field=fields.text)
        if fields.group is None and fields.body_id in rows[0]:
            fields = replace(fields, group=fields.body_id)
    fields = _resolve_columns(data, rows[0], task, fields, require_labels)
    out = _examples(rows, task, fields, require_labels)
    out.source = str(data)
    if not out.texts:
        raise DataError(f"{data}: no usable rows (text in {fields.text!r} must be non-empty text)")
    if require_labels:
        out.labels = _normalise_labels(out.labels, out.notes)
    return _dedupe(out) if dedupe else out


def _resolve_columns(
    data: str | Path, first: dict[str, Any], task: str, fields: LabelFields, require_labels: bool
) -> LabelFields:
    """Fill in the target and title columns found by name; refuse a table without a needed column."""
    columns = list(first)
    if task == "stance" and fields.target is None:
        fields = replace(fields, target=next((c for c in TARGET_COLUMNS if c in columns), "target"))
    if fields.title is None and task != "stance" and "title" in columns:
        fields = replace(fields, title="title")
    needed = {fields.text: "text"}
    if require_labels:
        needed[fields.label] = "label"
    if task == "stance":
        needed[str(fields.target)] = "target"
    for col, name in needed.items():
        if col not in columns:
            guess = {"text": likely_text_field, "label": likely_label_field}.get(name)
            suggested = guess(first) if guess is not None else None
            flag, python = (f" {suggested}", repr(suggested)) if suggested else ("", "...")
            use = f"--{name}-field{flag} (LabelFields({name}={python}) in Python)"
            raise DataError(f"{data}: no column {col!r} (columns: {', '.join(map(str, columns))}); use {use}")
    if fields.group is not None and fields.group not in columns:
        raise DataError(f"{data}: no column {fields.group!r} to group by (columns: {', '.join(map(str, columns))})")
    return fields


def likely_label_field(row: dict[str, Any]) -> str | None:
    """The column that looks like the label (to suggest --label-field): named as labels are (`LABEL_NAMES`, any
    case), holding a short value.

    Example:
        >>> likely_label_field({"headline": "Rates held", "Category": "business", "body": "The bank held rates."})
        'Category'
    """
    for name in LABEL_NAMES:
        for column, value in row.items():
            short = isinstance(value, int) or (isinstance(value, str) and 0 < len(value.split()) <= 4)
            if str(column).lower() == name and short:
                return str(column)
    return None


def _examples(rows: list[dict[str, Any]], task: str, fields: LabelFields, require_labels: bool) -> LabelledData:
    out = LabelledData(
        texts=[],
        labels=[],
        targets=[] if task == "stance" else None,
        groups=[] if fields.group else None,
        titles=[] if fields.title else None,
    )
    bad = cut = 0
    for r in rows:
        text = article_text(r.get(fields.text))
        label = r.get(fields.label) if require_labels else ""
        target = r.get(str(fields.target)) if task == "stance" else None
        if text is None or not text.strip() or label is None or (task == "stance" and not _is_text(target)):
            bad += 1
            continue
        if len(text) > config.MAX_ARTICLE_CHARS:  # the same cap as articles at prediction time
            text = text[: config.MAX_ARTICLE_CHARS]
            cut += 1
        out.texts.append(text)
        out.labels.append(str(label).strip())
        if out.targets is not None:
            out.targets.append(str(target))
        if out.groups is not None:
            out.groups.append(str(r.get(str(fields.group))))
        if out.titles is not None:
            title = r.get(str(fields.title))
            out.titles.append(title if isinstance(title, str) else "")
    if bad:
        what = "text/label/target" if task == "stance" else "text/label"
        out.notes.append(f"{bad} rows without usable {what} were skipped")
    if cut:
        out.notes.append(f"{cut} texts longer than {config.MAX_ARTICLE_CHARS:,} characters were cut to that length")
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _normalise_labels(labels: list[str], notes: list[str]) -> list[str]:
    empty = sum(1 for lab in labels if not lab)
    if empty:
        raise DataError(f"{empty} rows have an empty label; fill or remove them")
    labels = [unicodedata.normalize("NFC", lab) for lab in labels]  # one spelling of look-alike labels
    bad = next((lab for lab in labels if printable(lab) != lab), None)
    if bad is not None:
        raise DataError(
            f"label {printable(bad)!r} holds control, bidi or invisible characters, which would garble output; "
            "fix the labels"
        )
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
    seen: set[str] = set()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    keep: list[int] = []
    for i, k in enumerate(data.example_keys()):
        votes[k][data.labels[i]] += 1
        if k not in seen:
            seen.add(k)
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


def prepare_examples(data: LabelledData, task: str, *, keep_all: bool = False) -> LabelledData:
    """The examples as a model sees them at prediction time: cleaned, headline in place (`model_input`).

    An example left with nothing to read is skipped (and noted), or with `keep_all` kept as it
    was given, so that every example gets a prediction.
    """
    cache: dict[tuple[str, str | None], Any] = {}
    keep: list[int] = []
    texts: list[str] = []
    targets: list[str] = []
    for i, text in enumerate(data.texts):
        title = data.titles[i] if data.titles is not None else None
        target = data.targets[i] if data.targets is not None else None
        key = (text, title or None)
        doc = cache.get(key) or cache.setdefault(key, prepare(text, title=title or None))
        item = model_input(task, doc, target=target)
        if item is None:
            if not keep_all:
                continue
            item = (target or "", text) if task == "stance" else text
        keep.append(i)
        if isinstance(item, tuple):
            targets.append(item[0])
            texts.append(item[1])
        else:
            texts.append(item)
    if not keep:
        raise DataError(f"{data.source}: no example has text left after cleaning")
    out = data.subset(keep)
    out.texts, out.titles = texts, None
    if out.targets is not None:
        out.targets = targets
    out.notes = list(data.notes)
    if len(keep) < len(data.texts):
        out.notes.append(f"{len(data.texts) - len(keep)} examples had no text left after cleaning and were skipped")
    return out
