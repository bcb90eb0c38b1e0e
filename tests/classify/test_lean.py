"""The numpy-only saved predictors: same probabilities as the fitted estimators, and tampered files refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nlpkit
from nlpkit.arrays import read_arrays, write_arrays
from nlpkit.classifiers.tfidf import TfidfClassifier, TfidfStanceClassifier
from nlpkit.errors import ModelError
from nlpkit.persistence import sha256
from tests.conftest import libraries_imported


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_lean_topic_predictor_matches_the_fitted_estimator(data_dir: Path) -> None:
    rows = _rows(data_dir / "topics.jsonl")
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    unseen = [r["text"] for r in _rows(data_dir / "articles.jsonl")]
    for params in ({"min_df": 1}, {"min_df": 1, "features": "words+bigrams+chars"}, {"min_df": 1, "C": 0.5, "cv": 2}):
        est = TfidfClassifier(**params).fit(texts, labels)
        lean = est.predictor()
        assert list(lean.classes_) == list(est.classes_)
        assert np.allclose(lean.predict_proba(texts + unseen), est.predict_proba(texts + unseen), atol=1e-6)


def test_lean_stance_predictor_matches_the_fitted_estimator(data_dir: Path) -> None:
    rows = _rows(data_dir / "stance.jsonl")
    pairs, labels = [(r["target"], r["text"]) for r in rows] * 3, [r["label"] for r in rows] * 3
    probe = [*pairs, ("Council bans cruise ships", "Nothing to do with ships at all."), ("", ""), ("New target", "x")]
    for model in ("auto", "pair-trees", "text-linear", "per-target"):
        est = TfidfStanceClassifier(model=model, svd_components=4, max_iter=30, cv=2).fit(pairs, labels)
        assert np.allclose(est.predictor().predict_proba(probe), est.predict_proba(probe), atol=1e-6), model


def test_binary_labels_round_trip(tmp_path: Path) -> None:
    rows = [{"text": f"goal match team {i}", "label": "sport"} for i in range(6)]
    rows += [{"text": f"vote poll party {i}", "label": "politics"} for i in range(6)]
    data = tmp_path / "two.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    r = nlpkit.train("topic", data, out=tmp_path / "m", dev_split=0.34)
    again = nlpkit.load_model(tmp_path / "m")
    probe = ["the team scored a goal", "the party won the vote"]
    assert np.allclose(r.model.predict_proba(probe), again.predict_proba(probe), atol=1e-12)
    assert again.predict(probe) == ["sport", "politics"]


def test_predicting_imports_neither_scikit_learn_nor_torch() -> None:
    code = (
        "import nlpkit\n"
        "m = nlpkit.load_model('topic'); m.predict('The striker scored twice.')\n"
        "s = nlpkit.load_model('stance'); s.predict(('Dog bites man', 'A dog bit a man.'))\n"
    )
    assert libraries_imported(code) == []


@pytest.fixture
def saved(tmp_path: Path, data_dir: Path) -> Path:
    nlpkit.train("topic", data_dir / "topics.jsonl", out=tmp_path / "m", dev_split=0.25)
    return tmp_path / "m"


def _resign(folder: Path, name: str) -> None:
    """Update a file's checksum in nlpkit.json, as anyone handing out a tampered folder would."""
    meta = json.loads((folder / "nlpkit.json").read_text())
    meta["files"][name] = sha256(folder / name)
    (folder / "nlpkit.json").write_text(json.dumps(meta))


def test_wrong_checksum_is_refused(saved: Path) -> None:
    arrays = read_arrays(saved / "model.safetensors")
    arrays["head.bias"] = arrays["head.bias"] + 1.0
    write_arrays(saved / "model.safetensors", arrays)
    with pytest.raises(ModelError, match="does not match the checksum"):
        nlpkit.load_model(saved)


def test_wrong_array_shape_is_refused(saved: Path) -> None:
    arrays = read_arrays(saved / "model.safetensors")
    arrays["head.weights"] = arrays["head.weights"][:, :10]
    write_arrays(saved / "model.safetensors", arrays)
    _resign(saved, "model.safetensors")
    with pytest.raises(ModelError, match="features"):
        nlpkit.load_model(saved)
    arrays["head.weights"] = arrays["head.weights"].ravel()
    write_arrays(saved / "model.safetensors", arrays)
    _resign(saved, "model.safetensors")
    with pytest.raises(ModelError, match=r"'weights' has shape .* expected 2 dimension"):
        nlpkit.load_model(saved)


@pytest.mark.parametrize(
    ("dtype", "message"),
    [("F16", "float16, which nlpkit models never hold"), ("Q7", "not a readable safetensors file")],
)
def test_unknown_dtype_is_refused(saved: Path, dtype: str, message: str) -> None:
    raw = (saved / "model.safetensors").read_bytes()
    size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + size])
    entry = header["head.bias"]
    entry["dtype"] = dtype
    if dtype == "F16":  # a valid type of half the width: the same bytes hold twice as many numbers
        entry["shape"] = [entry["shape"][0] * 4]
    body = json.dumps(header).encode()
    body += b" " * (-len(body) % 8)
    (saved / "model.safetensors").write_bytes(len(body).to_bytes(8, "little") + body + raw[8 + size :])
    _resign(saved, "model.safetensors")
    with pytest.raises(ModelError, match=message):
        nlpkit.load_model(saved)


def test_unknown_predictor_type_is_refused(saved: Path) -> None:
    meta = json.loads((saved / "nlpkit.json").read_text())
    meta["spec"]["type"] = "numpy.testing._private.utils.runstring"
    (saved / "nlpkit.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="unknown predictor type"):
        nlpkit.load_model(saved)


def test_format_1_folder_gets_a_rebuild_message(saved: Path) -> None:
    meta = json.loads((saved / "nlpkit.json").read_text())
    meta["format_version"] = 1
    meta["files"]["model.skops"] = meta["files"].pop("model.safetensors")
    (saved / "model.safetensors").rename(saved / "model.skops")
    (saved / "nlpkit.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"format 1 .* Rebuild it with nlpkit >= 0.2: nlpkit.train"):
        nlpkit.load_model(saved)
    r = subprocess.run([sys.executable, "-m", "nlpkit", "models", str(saved)], capture_output=True, text=True)
    assert r.returncode == 1 and "nlpkit would refuse to load" in r.stderr and "format 1" in r.stderr
