from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

import nlpkit
from nlpkit.catalog import load_model
from nlpkit.errors import ModelError, OutputError
from nlpkit.persistence import save_model


@pytest.fixture
def topic_model(tmp_path: Path, data_dir: Path) -> Path:
    out = tmp_path / "topic"
    nlpkit.train("topic", data_dir / "topics.jsonl", out=out, dev_split=0.25)
    return out


def test_round_trip_identical_predictions(topic_model: Path, data_dir: Path) -> None:
    texts = [json.loads(line)["text"] for line in (data_dir / "articles.jsonl").read_text().splitlines()]
    model = load_model(topic_model)
    again_path = topic_model.parent / "copy"
    save_model(model, again_path)
    again = load_model(again_path)
    assert np.array_equal(model.predict_proba(texts), again.predict_proba(texts))
    assert model.labels == again.labels == ["business", "entertainment", "politics", "sport", "tech"]


def test_folder_contents_and_card(topic_model: Path) -> None:
    meta = json.loads((topic_model / "nlpkit.json").read_text())
    assert set(meta["files"]) == {"model.safetensors", "README.md"}
    for key in ("format_version", "task", "backend", "params", "labels", "versions", "metrics", "command", "data"):
        assert key in meta
    assert len(meta["data"]["fingerprint"]) == 64
    card = (topic_model / "README.md").read_text()
    assert "## Labels" in card and "macro_f1" in card and "## Reproduce" in card


def test_no_pickle_in_the_folder(topic_model: Path) -> None:
    raw = (topic_model / "model.safetensors").read_bytes()
    header = json.loads(raw[8 : 8 + int.from_bytes(raw[:8], "little")])  # safetensors: JSON header, then numbers
    assert {v["dtype"] for k, v in header.items() if k != "__metadata__"} <= {"F64", "I64", "U8"}
    for f in topic_model.iterdir():
        assert not f.read_bytes().startswith(b"\x80")  # pickle protocol 2+ header


def test_edited_file_is_refused(topic_model: Path) -> None:
    card = topic_model / "README.md"
    card.write_text(card.read_text() + "\nedited\n")
    with pytest.raises(ModelError, match="does not match the checksum"):
        load_model(topic_model)


def test_swapped_pickle_is_refused_even_with_matching_checksum(topic_model: Path) -> None:
    from nlpkit.persistence import sha256

    weights = topic_model / "model.safetensors"
    weights.write_bytes(pickle.dumps({"evil": True}))
    with pytest.raises(ModelError, match="does not match the checksum"):
        load_model(topic_model)
    meta = json.loads((topic_model / "nlpkit.json").read_text())
    meta["files"]["model.safetensors"] = sha256(weights)
    (topic_model / "nlpkit.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="not a readable safetensors file"):
        load_model(topic_model)


def test_not_a_model_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not an nlpkit model folder"):
        load_model(tmp_path)
    with pytest.raises(ModelError, match=r"bundled: .*topic"):
        load_model("no-such-model")


def test_existing_output_needs_force(topic_model: Path) -> None:
    model = load_model(topic_model)
    with pytest.raises(OutputError, match="--force"):
        save_model(model, topic_model)
    save_model(model, topic_model, force=True)
    assert load_model(topic_model).labels == model.labels


def test_refuses_to_overwrite_a_folder_that_is_not_a_model(topic_model: Path, tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not an nlpkit model"):
        save_model(load_model(topic_model), other, force=True)
    assert (other / "notes.txt").read_text() == "keep me"


def test_bundled_models_load_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    topic = load_model("topic")
    assert topic.task == "topic" and "sport" in topic.labels
    stance = load_model("stance")
    assert stance.task == "stance" and set(stance.labels) == {"agree", "disagree", "discuss", "unrelated"}
    assert (
        stance.predict(("Storm hits coast", "A storm hit the coast overnight, cutting power to homes."))
        in stance.labels
    )


def test_the_card_of_an_estimator_fitted_in_python_says_what_is_not_known(tmp_path: Path) -> None:
    from nlpkit.classifiers.tfidf import TfidfClassifier

    est = TfidfClassifier(cv=2).fit(["A late goal won it.", "Profits fell."] * 4, ["sport", "business"] * 4)
    card = (nlpkit.save_model(est, tmp_path / "m") / "README.md").read_text()
    assert "`?`" not in card and "? train" not in card and "```console\n\n```" not in card
    assert card.count("Not recorded: fitted in Python and saved with `nlpkit.save_model`") == 2
    assert "## Model selection" in card and "(chosen)" in card  # how the estimator chose its settings
