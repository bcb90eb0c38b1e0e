"""Crafted model folders, as someone handing out a model would make them (checksums re-signed to match).

Each folder goes through `nlpkit models DIR` (which must say it would be refused), `nlpkit classify
--model DIR` and, for a few, `nlpkit score --topic-model DIR`: a one-line refusal, exit 1, and
no code from the folder run (a marker file it would create stays absent).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.adversarial.conftest import Box
from tests.adversarial.harness import check, run
from tests.adversarial.hostile import ARTICLE

MODELS = Path(__file__).resolve().parents[2] / "models"


def _copy(box: Box, name: str = "topic") -> Path:
    folder = box.inp / "model"
    shutil.copytree(MODELS / name, folder)
    return folder


def _meta(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "nlpkit.json").read_text())


def _write_meta(folder: Path, meta: dict[str, Any], resign: bool = True) -> None:
    if resign:
        meta["files"] = {
            name: hashlib.sha256((folder / name).read_bytes()).hexdigest() if (folder / name).is_file() else digest
            for name, digest in meta["files"].items()
        }
    (folder / "nlpkit.json").write_text(json.dumps(meta))


class Payload:
    """Unpickling this creates the marker file: proof that loading ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def skops_runstring(folder: Path, marker: Path) -> None:
    """A format-1 folder whose model.skops names only allow-listed prefixes but runs code."""
    code = f"open({str(marker)!r}, 'w').write('ran')"
    schema = {
        "__class__": "FunctionTransformer",
        "__module__": "sklearn.preprocessing._function_transformer",
        "__loader__": "ObjectNode",
        "content": {
            "__class__": "dict",
            "__module__": "builtins",
            "__loader__": "DictNode",
            "content": {
                "func": {
                    "__class__": "runstring",
                    "__module__": "numpy.testing._private.utils",
                    "__loader__": "TypeNode",
                },
                "kw_args": {"astr": code, "dict": {}},
            },
        },
        "protocol": 1,
        "_skops_version": "0.10.0",
    }
    (folder / "model.safetensors").unlink()
    with zipfile.ZipFile(folder / "model.skops", "w") as zf:
        zf.writestr("schema.json", json.dumps(schema))
    meta = _meta(folder)
    meta["format_version"] = 1
    meta["files"] = {"model.skops": "", "README.md": ""}
    _write_meta(folder, meta)


def pickle_as_weights(folder: Path, marker: Path) -> None:
    (folder / "model.safetensors").write_bytes(pickle.dumps(Payload(marker)))
    _write_meta(folder, _meta(folder))


def pickle_listed_as_extra_file(folder: Path, marker: Path) -> None:
    (folder / "model.pkl").write_bytes(pickle.dumps(Payload(marker)))
    meta = _meta(folder)
    meta["files"]["model.pkl"] = ""
    meta["spec"]["type"] = "pickle"
    _write_meta(folder, meta)


def backend_names_a_function(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["backend"] = "os:system"
    meta["spec"]["type"] = f"os.system('touch {marker}')"
    _write_meta(folder, meta)


def predictor_type_names_a_function(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["type"] = "builtins:eval"
    _write_meta(folder, meta)


def weights_edited_not_resigned(folder: Path, marker: Path) -> None:
    data = bytearray((folder / "model.safetensors").read_bytes())
    data[-10:] = b"\x00" * 10
    (folder / "model.safetensors").write_bytes(bytes(data))


def files_entry_leaves_folder(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["files"]["../../../../etc/passwd"] = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    _write_meta(folder, meta, resign=False)


def files_entry_absolute(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["files"]["/etc/passwd"] = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    _write_meta(folder, meta, resign=False)


def weights_link_outside(folder: Path, marker: Path) -> None:
    (folder / "model.safetensors").unlink()
    (folder / "model.safetensors").symlink_to("/etc/passwd")
    meta = _meta(folder)
    meta["files"]["model.safetensors"] = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    _write_meta(folder, meta, resign=False)


def safetensors_huge_header(folder: Path, marker: Path) -> None:
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", 1 << 60) + b'{"a": 1}')
    _write_meta(folder, _meta(folder))


def safetensors_header_lies(folder: Path, marker: Path) -> None:
    header = json.dumps({"head.weight": {"dtype": "F64", "shape": [100000, 100000], "data_offsets": [0, 80]}}).encode()
    (folder / "model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + bytes(80))
    _write_meta(folder, _meta(folder))


def arrays_wrong_shape(folder: Path, marker: Path) -> None:
    from safetensors.numpy import load_file, save_file

    arrays = load_file(str(folder / "model.safetensors"))
    name = next(k for k, v in arrays.items() if v.ndim == 2)
    arrays[name] = arrays[name][:, :3].copy()
    save_file(arrays, str(folder / "model.safetensors"))
    _write_meta(folder, _meta(folder))


def arrays_not_finite(folder: Path, marker: Path) -> None:
    import numpy as np
    from safetensors.numpy import load_file, save_file

    arrays = load_file(str(folder / "model.safetensors"))
    name = next(k for k, v in arrays.items() if v.dtype.kind == "f" and v.ndim == 2)
    arrays[name] = np.full_like(arrays[name], np.nan)
    save_file(arrays, str(folder / "model.safetensors"))
    _write_meta(folder, _meta(folder))


def arrays_overflow(folder: Path, marker: Path) -> None:
    # finite, but a score summing it overflows to infinity, and the probabilities to NaN
    from safetensors.numpy import load_file, save_file

    arrays = load_file(str(folder / "model.safetensors"))
    name = next(k for k, v in arrays.items() if v.dtype.kind == "f" and v.ndim == 2)
    arrays[name] = arrays[name].copy()
    arrays[name].reshape(-1)[0] = 1.0961108880014134e308
    save_file(arrays, str(folder / "model.safetensors"))
    _write_meta(folder, _meta(folder))


def ngram_range_huge(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["vectorizers"][0]["ngram"] = [1, 1_000_000]
    _write_meta(folder, meta)


def labels_do_not_match(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["labels"] = [*meta["labels"], "extra"]
    meta["spec"]["labels"] = [*meta["spec"]["labels"], "extra"]
    _write_meta(folder, meta)


def meta_not_json(folder: Path, marker: Path) -> None:
    (folder / "nlpkit.json").write_bytes(b"\x80\x04\x95 not json at all")


def meta_deeply_nested(folder: Path, marker: Path) -> None:
    (folder / "nlpkit.json").write_text(
        '{"task": "topic", "backend": "tfidf", "files": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )


def meta_huge(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["padding"] = "x" * (40 * 1024 * 1024)
    _write_meta(folder, meta)


def meta_newer_format(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["format_version"] = 99
    _write_meta(folder, meta)


def meta_format_is_text(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["format_version"] = "2; import os"
    _write_meta(folder, meta)


def meta_files_not_a_mapping(folder: Path, marker: Path) -> None:
    meta = _meta(folder)
    meta["files"] = ["model.safetensors"]
    _write_meta(folder, meta, resign=False)


def weights_missing(folder: Path, marker: Path) -> None:
    (folder / "model.safetensors").unlink()


def no_description(folder: Path, marker: Path) -> None:
    (folder / "nlpkit.json").unlink()


def transformer_with_remote_code(folder: Path, marker: Path) -> None:
    """A transformer-kind folder whose config asks for its own Python code (auto_map)."""
    for f in folder.iterdir():
        f.unlink()
    hf = folder / "transformer"
    hf.mkdir()
    (hf / "evil_model.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    (hf / "config.json").write_text(
        json.dumps(
            {
                "model_type": "bert",
                "architectures": ["EvilModel"],
                "auto_map": {
                    "AutoConfig": "evil_model.EvilConfig",
                    "AutoModel": "evil_model.EvilModel",
                    "AutoModelForSequenceClassification": "evil_model.EvilModel",
                },
                "vocab_size": 10,
                "hidden_size": 4,
                "num_hidden_layers": 1,
                "num_attention_heads": 1,
                "intermediate_size": 4,
            }
        )
    )
    (hf / "tokenizer_config.json").write_text(json.dumps({"auto_map": {"AutoTokenizer": ["evil_model.Tok", None]}}))
    meta = {
        "task": "topic",
        "backend": "transformer",
        "name": "evil",
        "labels": ["a", "b"],
        "spec": {"params": {}},
        "params": {},
        "files": {"transformer/config.json": "", "transformer/tokenizer_config.json": ""},
        "format_version": 2,
    }
    _write_meta(folder, meta)


def transformer_listing_code(folder: Path, marker: Path) -> None:
    transformer_with_remote_code(folder, marker)
    meta = _meta(folder)
    meta["files"]["transformer/evil_model.py"] = ""
    _write_meta(folder, meta)


CRAFTED: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    f.__name__: (f, pattern)
    for f, pattern in [
        (skops_runstring, r"format 1 .*no longer loads.*Rebuild it with"),
        (pickle_as_weights, r"not a readable safetensors file"),
        (pickle_listed_as_extra_file, r"model\.pkl: code or a pickle in a model folder"),
        (backend_names_a_function, r"unknown model kind 'os:system'"),
        (predictor_type_names_a_function, r"unknown predictor type 'builtins:eval'"),
        (weights_edited_not_resigned, r"does not match the checksum"),
        (files_entry_leaves_folder, r"names a file outside the folder"),
        (files_entry_absolute, r"names a file outside the folder"),
        (weights_link_outside, r"names a file outside the folder"),
        (safetensors_huge_header, r"not a readable safetensors file"),
        (safetensors_header_lies, r"not a readable safetensors file"),
        (arrays_wrong_shape, r"do not fit together|shape"),
        (arrays_not_finite, r"NaN or infinite"),
        (arrays_overflow, r"no nlpkit model has a value beyond 1e\+12"),
        (ngram_range_huge, r"ngram must be two whole numbers"),
        (labels_do_not_match, r"label"),
        (meta_not_json, r"unreadable model description"),
        (meta_deeply_nested, r"unreadable model description"),
        (meta_huge, r"larger than"),
        (meta_newer_format, r"newer nlpkit"),
        (meta_format_is_text, r"format"),
        (meta_files_not_a_mapping, r"file list"),
        (weights_missing, r"missing; the model folder is incomplete"),
        (no_description, r"not an nlpkit model folder"),
        (transformer_with_remote_code, r"config\.json: asks to run code shipped with the model"),
        (transformer_listing_code, r"evil_model\.py: code or a pickle in a model folder"),
    ]
}


def _crafted(box: Box, name: str) -> tuple[Path, Path, str]:
    folder = _copy(box)
    marker = box.out / "code-ran"
    make, pattern = CRAFTED[name]
    make(folder, marker)
    (box.inp / "a.txt").write_text(ARTICLE)
    box.freeze()
    return folder, marker, pattern


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_models_says_it_would_be_refused(box: Box, name: str) -> None:
    folder, marker, pattern = _crafted(box, name)
    r = run(["models", str(folder)], cwd=box.inp)
    check(r, code=1, error=pattern, errors=1)
    assert "would refuse to load" in r.stderr
    assert not marker.exists(), "code from the model folder ran"


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_classify_refuses(box: Box, name: str) -> None:
    folder, marker, pattern = _crafted(box, name)
    r = run(["classify", "a.txt", "--model", str(folder)], cwd=box.inp)
    check(r, code=1, error=pattern, errors=1)
    assert r.stdout == "" and not marker.exists()


@pytest.mark.parametrize("name", ["skops_runstring", "pickle_as_weights", "weights_link_outside", "ngram_range_huge"])
def test_score_refuses_before_scoring(box: Box, name: str) -> None:
    folder, marker, pattern = _crafted(box, name)
    out = box.out / "o.jsonl"
    r = run(["score", "a.txt", "--out", str(out), "--topic-model", str(folder), "-w", "1", "-q"], cwd=box.inp)
    check(r, code=1, error=pattern, errors=1)
    assert not out.exists() and not marker.exists()
