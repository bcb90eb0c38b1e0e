"""Model folders: `nlpkit.json` (a typed `ModelMeta`), weights as safetensors, a generated card.

No pickle and no format that can name a callable: arrays are safetensors (numbers only, the
header checked against what each model expects), structure is plain JSON whose type names
are looked up in fixed registries, and neural weights go through `save_pretrained` as
safetensors. Every file's SHA-256 is recorded in `nlpkit.json` and checked on load, so a
folder edited by hand or a file swapped for another is refused.

This module knows folders, checksums and cards; how each kind of model is rebuilt from its
folder is `nlpkit.catalog.MODEL_KINDS`, the layer that knows the kinds.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from nlpkit import __version__, config
from nlpkit.errors import DataError, ModelError, OutputError, describe, printable

FORMAT_VERSION = 2
META_FILE = "nlpkit.json"
ARRAYS_FILE = "model.safetensors"
#: Largest `nlpkit.json` read (a hostile folder could hold a huge one).
MAX_META_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ModelMeta:
    """What `nlpkit.json` says about a model: what it does, how it was built and evaluated, its files."""

    task: str
    backend: str
    name: str = "model"
    version: str = "1"
    labels: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    spec: dict[str, Any] = field(default_factory=dict)  # how the saved predictor is put together
    fields: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    selection: dict[str, Any] = field(default_factory=dict)  # candidates tried and their CV scores
    history: tuple[dict[str, Any], ...] = ()
    best_epoch: int | None = None
    generation: dict[str, Any] = field(default_factory=dict)
    train_seconds: float | None = None
    command: str = ""
    versions: dict[str, str] = field(default_factory=dict)
    saved: str = ""
    files: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    @property
    def kind(self) -> str:
        """The `nlpkit.catalog.MODEL_KINDS` entry that loads this model."""
        return self.backend

    def replace(self, **changes: Any) -> ModelMeta:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["labels"] = list(self.labels)
        out["history"] = list(self.history)
        return {k: v for k, v in out.items() if v not in ({}, (), [], None, "")}

    @classmethod
    def from_json(cls, data: Any, where: str) -> ModelMeta:
        if not isinstance(data, dict) or "task" not in data or "backend" not in data:
            raise ModelError(f"{where}: not an nlpkit model description (no task or backend)")
        known = {f.name: f for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key, value in values.items():
            want = _FIELD_TYPES.get(key)
            if want is not None and not isinstance(value, want):
                kind = (
                    "text" if want is str else "a list" if want is list else "an object" if want is dict else "a number"
                )
                raise ModelError(f"{where}: {key!r} must be {kind}, not a JSON {type(value).__name__}")
        if values["task"] not in MODEL_TASKS:
            raise ModelError(f"{where}: unknown task {values['task']!r}; nlpkit models do {', '.join(MODEL_TASKS)}")
        labels = values.get("labels", [])
        if not all(isinstance(x, str) and x and printable(x) == x for x in labels) or len(set(labels)) != len(labels):
            raise ModelError(f"{where}: 'labels' must be distinct, non-empty strings without control characters")
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in values.get("files", {}).items()):
            raise ModelError(f"{where}: the file list must map file names to checksums")
        values["labels"] = tuple(labels)
        values["history"] = tuple(h for h in values.get("history", ()) if isinstance(h, dict))
        try:
            return cls(**values)
        except TypeError as e:
            raise ModelError(f"{where}: unreadable model description ({describe(e)})") from e


#: What a model folder can be for.
MODEL_TASKS = ("topic", "stance", "summarizer")

#: The JSON type each field of `nlpkit.json` must have (anything else is refused with its name).
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "task": str,
    "backend": str,
    "name": str,
    "version": str,
    "labels": list,
    "params": dict,
    "spec": dict,
    "fields": dict,
    "data": dict,
    "metrics": dict,
    "selection": dict,
    "history": list,
    "best_epoch": (int, type(None)),
    "generation": dict,
    "train_seconds": (int, float, type(None)),
    "command": str,
    "versions": dict,
    "saved": str,
    "files": dict,
    "format_version": int,
}


class Model(Protocol):
    """What every loaded model offers: its task, description, folder and `name@version`."""

    meta: ModelMeta
    path: str

    @property
    def task(self) -> str: ...

    @property
    def ident(self) -> str: ...

    def save_files(self, folder: Path) -> list[str]:
        """Write the model's weights into `folder`; return the files written (relative paths)."""
        ...


#: How a kind of model (`ModelMeta.kind`) is rebuilt from its checked folder: `(folder, meta, device)`.
Loader = Callable[[Path, ModelMeta, "str | None"], Any]


def model_ident(meta: ModelMeta) -> str:
    """`name@version`, the version being the first 12 hex digits of a digest over the weight files."""
    weights = {k: v for k, v in meta.files.items() if k != "README.md"}
    if not weights:
        return f"{meta.name}@unsaved"
    import hashlib

    joined = "\n".join(f"{k} {v}" for k, v in sorted(weights.items()))
    return f"{meta.name}@{hashlib.sha256(joined.encode()).hexdigest()[:12]}"


def sha256(path: Path) -> str:
    import hashlib  # a brief never loads a model: hashlib and tempfile are imported where used

    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    from importlib import metadata  # 20 ms: only when a model is saved or loaded

    out = {"python": sys.version.split()[0], "nlpkit": __version__}
    for dist in ("numpy", "scikit-learn", "torch", "transformers"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


# -- saving ------------------------------------------------------------------------------------


def check_model_target(path: str | Path, *, force: bool = False, inputs: Sequence[str | Path] = ()) -> Path:
    """`path` as a place to save a model: new, or (with `force`) an nlpkit model folder; never a file, and
    never a folder that holds an input (replacing the folder would delete it)."""
    out = Path(path)
    for given in inputs:
        where = Path(given)
        if where.exists() and (where.resolve() == out.resolve() or out.resolve() in where.resolve().parents):
            what = "is" if where.resolve() == out.resolve() else "holds"
            raise OutputError(
                f"{out}: {what} the input {given}; save the model to another folder (inputs are never written)"
            )
    if out.exists():
        if not force:
            raise OutputError(f"{out}: already exists; use --force to overwrite it")
        if not out.is_dir():
            raise OutputError(f"{out}: is a file; a model is saved as a folder, give another path")
        if any(out.iterdir()) and not (out / META_FILE).exists():
            raise OutputError(f"{out}: is a folder that is not an nlpkit model; refusing to overwrite it")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"{out}: {parent} is a file, not a folder")
            break
    return out


def save_model(model: Model, path: str | Path, *, force: bool = False) -> Path:
    """Write a model folder atomically: build it beside the target, then rename into place."""
    import tempfile

    out = check_model_target(path, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        files = model.save_files(tmp)
        meta = model.meta.replace(
            format_version=FORMAT_VERSION,
            versions=library_versions(),
            saved=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        (tmp / "README.md").write_text(model_card(meta), encoding="utf-8")
        meta = meta.replace(files={name: sha256(tmp / name) for name in sorted([*files, "README.md"])})
        (tmp / META_FILE).write_text(json.dumps(meta.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        _readable_by_all(tmp)
        if out.exists():
            # the old folder goes to a fresh empty folder of our own (a planted link there is never used)
            backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            out.rename(backup)
            tmp.rename(out)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    model.path = str(out)
    model.meta = meta  # now with the file checksums, so `ident` names the saved version
    return out


def _readable_by_all(folder: Path) -> None:
    """The modes a plain mkdir/open would give (a temporary folder starts private)."""
    import os

    umask = os.umask(0)
    os.umask(umask)
    for p in [folder, *folder.rglob("*")]:
        p.chmod((0o777 if p.is_dir() else 0o666) & ~umask)


# -- finding and checking ----------------------------------------------------------------------


def bundled_model_names() -> list[str]:
    root = config.bundled_models_dir()
    return sorted(p.name for p in root.iterdir() if (p / META_FILE).is_file()) if root.is_dir() else []


def is_bare_name(name: str | Path) -> bool:
    """A name with no folder part (`topic`, not `./topic` or `models/topic`)."""
    text = str(name)
    return (
        bool(text) and not isinstance(name, Path) and "/" not in text and "\\" not in text and text not in (".", "..")
    )


def resolve_model_path(name_or_path: str | Path) -> Path:
    """A bundled model by its bare name (`topic`, `stance`), or a model folder by its path.

    A bare name that is a bundled model's name always means the bundled model, even when the
    working folder holds a folder of that name: give `./topic` for the folder. Other bare names
    are folders.
    """
    if is_bare_name(name_or_path):
        for root in [*config.MODELS_PATH, config.bundled_models_dir()]:
            if (root / str(name_or_path) / META_FILE).is_file():
                return root / str(name_or_path)
    path = Path(name_or_path)
    if path.is_dir():
        if not (path / META_FILE).is_file():
            raise ModelError(f"{path}: not an nlpkit model folder (no {META_FILE}); train one with `nlpkit train`")
        return path
    if path.exists():
        raise ModelError(f"{path}: is a file; a model is a folder with {META_FILE}")
    name = str(name_or_path)
    known = ", ".join(bundled_model_names()) or "none"
    raise ModelError(f"unknown model {name!r}: not a folder and not a bundled model (bundled: {known})")


def read_meta(folder: Path) -> ModelMeta:
    """A folder's model description; older and newer formats get a clear error naming what to do."""
    where = str(folder / META_FILE)
    try:
        if (folder / META_FILE).stat().st_size > MAX_META_BYTES:
            raise ModelError(f"{where}: larger than {MAX_META_BYTES:,} bytes; not a model description nlpkit wrote")
        data = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as e:
        raise ModelError(f"{where}: unreadable model description ({describe(e)})") from e
    if not isinstance(data, dict) or "files" not in data or "task" not in data:
        raise ModelError(f"{where}: not an nlpkit model description (no task or file list)")
    version = data.get("format_version", 0)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(f"{folder}: saved by a newer nlpkit (format {version}); upgrade nlpkit")
    files = data.get("files")
    if version < FORMAT_VERSION or (isinstance(files, dict | list) and "model.skops" in files):
        rebuild = data.get("command") or "nlpkit train ..."
        raise ModelError(
            f"{folder}: saved in nlpkit's model format {version} (scikit-learn objects through skops), which "
            f"nlpkit {__version__} no longer loads because such files can name code to run. "
            f"Rebuild it with nlpkit >= 0.2: {rebuild}"
        )
    if not isinstance(data.get("files"), dict):
        raise ModelError(f"{where}: the file list is not a mapping")
    return ModelMeta.from_json(data, where)


def peek_meta(path: str | Path) -> dict[str, Any] | None:
    """A folder's `nlpkit.json` without checks or weights (None when it has none or it is unreadable)."""
    try:
        if (Path(path) / META_FILE).stat().st_size > MAX_META_BYTES:
            return None
        meta = json.loads((Path(path) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return meta if isinstance(meta, dict) else None


#: Files that hold code or pickles. nlpkit never writes them, so a folder that lists one is refused.
CODE_FILES = (".py", ".pyc", ".so", ".pyd", ".dll", ".dylib", ".pkl", ".pickle", ".joblib", ".bin", ".pt", ".pth")
#: Hugging Face settings files, checked for `auto_map` (a request to run the folder's own code).
_HF_CONFIGS = ("config.json", "tokenizer_config.json", "generation_config.json", "processor_config.json")


#: Largest file a model folder may hold: numpy arrays, and any one neural weights file.
MAX_FILE_BYTES = {ARRAYS_FILE: 512 * 1024 * 1024, "": 16 * 1024**3}


def listed(folder: Path, meta: ModelMeta, name: str) -> Path:
    """`folder / name`, which a loader may read only when `nlpkit.json` lists (and so checksums) it."""
    if name not in meta.files:
        raise ModelError(f"{folder / name}: not listed in {META_FILE}, so not checksummed; refusing to load it")
    return folder / name


def unlisted_files(folder: Path, meta: ModelMeta) -> list[str]:
    """Files under the folder (links included, not followed) that `nlpkit.json` does not list."""
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if (path.is_file() or path.is_symlink()) and rel != META_FILE and rel not in meta.files:
            out.append(rel)
    return out


def verify_files(folder: Path, meta: ModelMeta) -> None:
    """Refuse a folder whose files do not match the checksums recorded when it was saved, that holds files
    it does not list, or that holds code."""
    base = folder.resolve()
    for name in meta.files:
        if name.lower().endswith(CODE_FILES):
            raise ModelError(
                f"{folder / name}: code or a pickle in a model folder; nlpkit never loads these, refusing the folder"
            )
    for name, digest in meta.files.items():
        f = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts or base not in f.resolve().parents:
            raise ModelError(f"{folder}: {META_FILE} names a file outside the folder ({name})")
        if not f.is_file():
            raise ModelError(f"{f}: missing; the model folder is incomplete")
        cap = MAX_FILE_BYTES.get(name, MAX_FILE_BYTES[""])
        if f.stat().st_size > cap:
            raise ModelError(f"{f}: {f.stat().st_size:,} bytes, more than the {cap:,} a model file may hold")
        if sha256(f) != digest:
            raise ModelError(
                f"{f}: does not match the checksum in {META_FILE} (edited or replaced after saving); "
                "refusing to load it. Retrain or restore the original folder"
            )
        if f.name in _HF_CONFIGS and _asks_for_code(f):
            raise ModelError(f"{f}: asks to run code shipped with the model (auto_map); nlpkit never does")
    extra = unlisted_files(folder, meta)
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        raise ModelError(
            f"{folder}: holds files {META_FILE} does not list ({shown}); nlpkit loads only checksummed files: "
            "remove them, or retrain"
        )


def _asks_for_code(config: Path) -> bool:
    try:
        data = json.loads(config.read_text(encoding="utf-8")) if config.stat().st_size < MAX_META_BYTES else {}
    except (OSError, ValueError, RecursionError):
        return False  # the loader reports an unreadable file
    return isinstance(data, dict) and ("auto_map" in data or "custom_pipelines" in data)


def check_versions(meta: ModelMeta, folder: Path) -> None:
    """Warn when a neural model runs under another torch/transformers minor version than it was saved with."""
    if not any("/" in name for name in meta.files):
        return  # no save_pretrained subfolder: numpy-only arrays, which do not depend on either library
    now = library_versions()
    for lib in ("torch", "transformers"):
        saved = meta.versions.get(lib)
        if saved and lib in now and saved.split(".")[:2] != now[lib].split(".")[:2]:
            warnings.warn(
                f"{folder}: saved with {lib} {saved}, running {now[lib]}; predictions may differ",
                stacklevel=3,
            )


def open_model_folder(name_or_path: str | Path) -> tuple[Path, ModelMeta]:
    """A model folder (by path or bundled name) and its description, after checking every file."""
    folder = resolve_model_path(name_or_path)
    meta = read_meta(folder)
    verify_files(folder, meta)
    check_versions(meta, folder)
    return folder, meta


# -- the card ----------------------------------------------------------------------------------


def model_card(meta: ModelMeta) -> str:
    """A Markdown model card from the model's metadata."""
    data = meta.data
    lines = [
        f"# {meta.name}",
        "",
        f"An nlpkit **{meta.task}** model (backend `{meta.backend}`), saved {meta.saved}.",
        "",
        "## Labels",
        "",
        ", ".join(f"`{lab}`" for lab in meta.labels) or "(none)",
        "",
        *_card_definitions(data.get("label_definitions")),
        "## Training data",
        "",
        *_card_data(data),
        "",
        "## Evaluation",
        "",
        *_card_metrics(meta.metrics),
        *_card_selection(meta.selection),
        *_card_history(meta),
        *_card_notes(data.get("card_notes")),
        "",
        "## Reproduce",
        "",
        *(
            ["```console", meta.command, "```"]
            if meta.command
            else [f"{NOT_RECORDED}; the parameters are in `nlpkit.json`."]
        ),
        "",
        "## Versions",
        "",
        ", ".join(f"{k} {v}" for k, v in meta.versions.items()),
        "",
        "Load it with `nlpkit.load_model(path)`; files are checked against the SHA-256 sums in `nlpkit.json`.",
        "",
    ]
    return "\n".join(lines)


#: What a card says of the data and command of an estimator that `nlpkit.save_model` saved from Python.
NOT_RECORDED = "Not recorded: fitted in Python and saved with `nlpkit.save_model`"


def _card_data(data: dict[str, Any]) -> list[str]:
    if "source" not in data:  # an estimator fitted in Python: nlpkit never saw its data
        return [f"{NOT_RECORDED}."]
    return [
        f"- source: `{data['source']}`",
        f"- examples used: {data.get('n_train', '?')} train, {data.get('n_dev', 0)} dev",
        f"- fingerprint (SHA-256 of the examples): `{data.get('fingerprint', '?')}`",
        *(f"- {note}" for note in data.get("notes", [])),
    ]


def _card_definitions(definitions: Any) -> list[str]:
    if not isinstance(definitions, dict) or not definitions:
        return []
    lines = ["| label | what goes in |", "| --- | --- |"]
    lines += [f"| `{lab}` | {str(text).replace('|', '/')} |" for lab, text in definitions.items()]
    return [*lines, ""]


def _card_notes(notes: Any) -> list[str]:
    return ["", str(notes).strip()] if isinstance(notes, str) and notes.strip() else []


def read_card_notes(definitions: str | Path | None, notes: str | Path | None, labels: Sequence[str]) -> dict[str, Any]:
    """What a model card says beyond the numbers: label definitions (a CSV of `label,definition`) and
    Markdown notes (a Limitations section, say), as `ModelMeta.data` entries.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.csv"
        >>> _ = p.write_text('label,definition\\nsport,"Games, teams and athletes."\\n')
        >>> read_card_notes(p, None, ["sport", "world"])
        {'label_definitions': {'sport': 'Games, teams and athletes.'}}
    """
    import csv

    out: dict[str, Any] = {}
    if definitions is not None:
        try:
            with open(definitions, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        except (OSError, UnicodeError, csv.Error) as e:
            raise DataError(f"{definitions}: cannot be read as a CSV of label,definition ({describe(e)})") from e
        found = {str(r.get("label", "")).strip(): str(r.get("definition", "")).strip() for r in rows}
        unknown = sorted(set(found) - set(labels))
        if unknown or not found:
            raise DataError(
                f"{definitions}: defines labels the model does not have ({', '.join(unknown) or 'none given'}); "
                f"its labels: {', '.join(labels)}"
            )
        out["label_definitions"] = {lab: found[lab] for lab in labels if lab in found}
    if notes is not None:
        try:
            out["card_notes"] = Path(notes).read_text(encoding="utf-8")[:100_000]
        except (OSError, UnicodeError) as e:
            raise DataError(f"{notes}: cannot be read ({describe(e)})") from e
    return out


def _card_metrics(metrics: dict[str, Any]) -> list[str]:
    if not metrics:
        return ["No held-out evaluation was run."]
    lines = [f"On {metrics.get('evaluated_on', 'held-out data')} ({metrics.get('n', '?')} examples):", ""]
    for key in ("accuracy", "macro_f1", "fnc_score", "ece", "rouge1", "rouge2", "rougeLsum"):
        if key in metrics:
            lines.append(f"- {key}: {metrics[key]:.4f}")
    if "lead3" in metrics:  # a summarizer: its briefs beside the lead baseline's, as ROUGE F1 x100
        one = metrics.get("one_sentence") or {}
        rows = [("3 sentences", metrics, metrics["lead3"], "Lead-3", metrics.get("gain"))]
        rows += [("1 sentence", one["model"], one["lead1"], "Lead-1", one.get("gain"))] if one else []
        lines += [
            "",
            "| brief | ROUGE-1 / 2 / Lsum | lead baseline | its ROUGE-1 / 2 / Lsum | ROUGE-1 gain per article |",
            "| --- | --- | --- | --- | --- |",
        ]
        for brief, m, base, name, gain in rows:  # gain: absent from cards of models trained before it was kept
            ours, theirs = (
                " / ".join(f"{100 * r[k]:.2f}" for k in ("rouge1", "rouge2", "rougeLsum")) for r in (m, base)
            )
            g = gain["rouge1"] if gain else None
            shown = f"{100 * g['mean']:+.2f} ± {100 * g['se']:.2f}" if g else "-"
            lines.append(f"| {brief} | {ours} | {name} | {theirs} | {shown} |")
        if metrics.get("gain"):
            lines += ["", "The gain is the mean over the articles, ± its standard error (x100)."]
    folds = metrics.get("per_fold") or []
    if folds:
        lines += [
            "",
            "| held out | examples | accuracy | macro-F1 (its labels) | ECE |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for f in folds:
            ece = f"{f['ece']:.3f}" if isinstance(f.get("ece"), float) else "-"
            lines.append(f"| {f['held_out']} | {f['n']} | {f['accuracy']:.3f} | {f['macro_f1']:.3f} | {ece} |")
    per = metrics.get("per_class") or {}
    if per:
        lines += ["", "| label | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
        for lab, m in per.items():
            lines.append(f"| {lab} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    return lines


def _card_selection(selection: dict[str, Any]) -> list[str]:
    candidates = selection.get("candidates") or []
    if not candidates:
        return []
    lines = ["", "## Model selection", "", str(selection.get("how", "")), ""]
    lines += ["| candidate | CV score | seconds |", "| --- | ---: | ---: |"]
    for c in candidates:
        mark = " (chosen)" if c.get("name") == selection.get("chosen") else ""
        score = f"{c['score']:.4f}" if "score" in c else f"not scored: {c.get('skipped', '?')}"
        lines.append(f"| {c.get('name')}{mark} | {score} | {c.get('seconds', 0):.1f} |")
    return lines


def _card_history(meta: ModelMeta) -> list[str]:
    if not meta.history:
        return []
    lines = ["", "## Training", "", f"Weights kept from epoch {meta.best_epoch or len(meta.history)}.", ""]
    keys = [k for k in ("train_loss", "val_loss", "val_accuracy", "seconds") if k in meta.history[0]]
    lines += ["| epoch | " + " | ".join(keys) + " |", "| ---: |" + " ---: |" * len(keys)]
    for row in meta.history:
        lines.append(f"| {row['epoch']} | " + " | ".join(f"{row[k]:.4g}" for k in keys) + " |")
    return lines
