"""Saving and loading models: a folder with `nlpkit.json`, weights and a generated card.

No pickle anywhere. scikit-learn parts are stored with skops and loaded only if every type
in the file is on an explicit allow-list; tensors are stored as safetensors. Every file's
SHA-256 is recorded in `nlpkit.json` and checked on load, so a folder edited by hand or a
file swapped for another is refused.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import warnings
import zipfile
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from nlpkit import config
from nlpkit.errors import ModelError, OutputError

FORMAT_VERSION = 1
META_FILE = "nlpkit.json"
WEIGHTS_FILE = "model.skops"

#: Module prefixes whose types a skops file may contain; anything else is refused.
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.sparse.", "nlpkit.classify.", "nlpkit.summarizers.")
TRUSTED_NAMES = frozenset(
    {"builtins.slice", "builtins.frozenset", "collections.OrderedDict", "collections.defaultdict"}
)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for dist in ("nlpkit", "scikit-learn", "skops", "numpy", "torch", "transformers"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def save_model(model: Any, path: str | Path, *, force: bool = False) -> Path:
    """Write a model folder atomically: build it beside the target, then rename into place.

    `model` is a `ClassifierModel` (or anything with `estimator`, `meta` and, for neural
    models, a `save_weights(folder) -> list[str]` method).
    """
    import skops.io as sio

    out = Path(path)
    if out.exists():
        if not force:
            raise OutputError(f"{out}: already exists; use --force to overwrite it")
        if out.is_dir() and any(out.iterdir()) and not (out / META_FILE).exists():
            raise OutputError(f"{out}: is a folder that is not an nlpkit model; refusing to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        files: list[str] = []
        if hasattr(model, "save_weights"):
            files += model.save_weights(tmp)
        if getattr(model, "estimator", None) is not None:
            sio.dump(model.estimator, tmp / WEIGHTS_FILE, compression=zipfile.ZIP_DEFLATED)
            files.append(WEIGHTS_FILE)
        meta = dict(model.meta)
        meta.update(
            format_version=FORMAT_VERSION,
            versions=library_versions(),
            saved=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        (tmp / "README.md").write_text(model_card(meta), encoding="utf-8")
        files.append("README.md")
        meta["files"] = {name: sha256(tmp / name) for name in sorted(files)}
        (tmp / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if out.exists():
            backup = out.with_name(f".{out.name}.old")
            shutil.rmtree(backup, ignore_errors=True)
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


def bundled_model_names() -> list[str]:
    root = config.bundled_models_dir()
    return sorted(p.name for p in root.iterdir() if (p / META_FILE).is_file()) if root.is_dir() else []


def resolve_model_path(name_or_path: str | Path) -> Path:
    """A model folder from a path, or a bundled model from its name (`topic`, `stance`, ...)."""
    path = Path(name_or_path)
    if path.is_dir():
        if not (path / META_FILE).is_file():
            raise ModelError(f"{path}: not an nlpkit model folder (no {META_FILE}); train one with `nlpkit train`")
        return path
    if path.exists():
        raise ModelError(f"{path}: is a file; a model is a folder with {META_FILE}")
    name = str(name_or_path)
    for root in [*config.MODELS_PATH, config.bundled_models_dir()]:
        if (root / name / META_FILE).is_file():
            return root / name
    known = ", ".join(bundled_model_names()) or "none"
    raise ModelError(f"unknown model {name!r}: not a folder and not a bundled model (bundled: {known})")


def read_meta(folder: Path) -> dict[str, Any]:
    try:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelError(f"{folder / META_FILE}: unreadable model description ({e})") from e
    if not isinstance(meta, dict) or "task" not in meta or "files" not in meta:
        raise ModelError(f"{folder / META_FILE}: not an nlpkit model description (no task or file list)")
    if meta.get("format_version", 0) > FORMAT_VERSION:
        raise ModelError(f"{folder}: saved by a newer nlpkit (format {meta['format_version']}); upgrade nlpkit")
    return meta


def peek_meta(path: str | Path) -> dict[str, Any] | None:
    """A folder's `nlpkit.json` without checks or weights (None when it has none or it is unreadable)."""
    try:
        meta = json.loads((Path(path) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def verify_files(folder: Path, meta: dict[str, Any]) -> None:
    """Refuse a folder whose files do not match the checksums recorded when it was saved."""
    for name, digest in meta["files"].items():
        f = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ModelError(f"{folder}: {META_FILE} names a file outside the folder ({name})")
        if not f.is_file():
            raise ModelError(f"{f}: missing; the model folder is incomplete")
        if sha256(f) != digest:
            raise ModelError(
                f"{f}: does not match the checksum in {META_FILE} (edited or replaced after saving); "
                "refusing to load it. Retrain or restore the original folder"
            )


def check_versions(meta: dict[str, Any], folder: Path) -> None:
    saved = meta.get("versions", {})
    now = library_versions()
    for lib in ("scikit-learn", "torch", "transformers"):
        if lib in saved and lib in now and saved[lib].split(".")[:2] != now[lib].split(".")[:2]:
            warnings.warn(
                f"{folder}: saved with {lib} {saved[lib]}, running {now[lib]}; predictions may differ",
                stacklevel=3,
            )


def load_skops(path: Path) -> Any:
    """Load a skops file, refusing any type outside the allow-list (and anything not skops)."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as e:  # a pickle or any other non-skops file ends here
        raise ModelError(f"{path}: not a skops file ({type(e).__name__}); refusing to load it") from e
    refused = [t for t in untrusted if not (t.startswith(TRUSTED_PREFIXES) or t in TRUSTED_NAMES)]
    if refused:
        raise ModelError(
            f"{path}: contains types nlpkit does not trust ({', '.join(refused[:5])}); refusing to load it"
        )
    return sio.load(path, trusted=untrusted)


def open_model_folder(name_or_path: str | Path) -> tuple[Path, dict[str, Any]]:
    """A model folder (by path or bundled name) and its description, after checking every file."""
    folder = resolve_model_path(name_or_path)
    meta = read_meta(folder)
    verify_files(folder, meta)
    check_versions(meta, folder)
    return folder, meta


def model_card(meta: dict[str, Any]) -> str:
    """A Markdown model card from the model's metadata."""
    metrics = meta.get("metrics") or {}
    lines = [
        f"# {meta.get('name', 'nlpkit model')}",
        "",
        f"An nlpkit **{meta.get('task')}** model (backend `{meta.get('backend')}`), saved {meta.get('saved', '')}.",
        "",
        "## Labels",
        "",
        ", ".join(f"`{lab}`" for lab in meta.get("labels", [])) or "(none)",
        "",
        "## Training data",
        "",
        f"- source: `{meta.get('data', {}).get('source', '?')}`",
        f"- examples used: {meta.get('data', {}).get('n_train', '?')} train, {meta.get('data', {}).get('n_dev', 0)} dev",
        f"- fingerprint (SHA-256 of the examples): `{meta.get('data', {}).get('fingerprint', '?')}`",
    ]
    for note in meta.get("data", {}).get("notes", []):
        lines.append(f"- {note}")
    lines += ["", "## Evaluation", ""]
    if metrics:
        lines.append(f"On {metrics.get('evaluated_on', 'held-out data')} ({metrics.get('n', '?')} examples):")
        lines.append("")
        for key in ("accuracy", "macro_f1", "fnc_score", "ece"):
            if key in metrics:
                lines.append(f"- {key}: {metrics[key]:.4f}")
        per = metrics.get("per_class") or {}
        if per:
            lines += ["", "| label | precision | recall | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
            for lab, m in per.items():
                lines.append(f"| {lab} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    else:
        lines.append("No held-out evaluation was run.")
    history = meta.get("history") or []
    if history:
        lines += ["", "## Training", "", f"Weights kept from epoch {meta.get('best_epoch', len(history))}.", ""]
        keys = [k for k in ("train_loss", "val_loss", "val_accuracy", "seconds") if k in history[0]]
        lines += ["| epoch | " + " | ".join(keys) + " |", "| ---: |" + " ---: |" * len(keys)]
        for row in history:
            lines.append(f"| {row['epoch']} | " + " | ".join(f"{row[k]:.4g}" for k in keys) + " |")
    lines += [
        "",
        "## Reproduce",
        "",
        "```console",
        str(meta.get("command", "")),
        "```",
        "",
        "## Versions",
        "",
        ", ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items()),
        "",
        "Load it with `nlpkit.load_model(path)`; files are checked against the SHA-256 sums in `nlpkit.json`.",
        "",
    ]
    return "\n".join(lines)
