from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import nlpkit
from nlpkit.errors import DataError
from nlpkit.summarizers.supervised import FEATURES, oracle_labels, sentence_features
from nlpkit.text.prepare import prepare


@pytest.fixture
def pairs(data_dir: Path, tmp_path: Path) -> Path:
    """Articles whose reference is their second sentence: a scorer must learn to find it."""
    rows = [json.loads(line) for line in (data_dir / "articles.jsonl").read_text().splitlines()]
    out = tmp_path / "pairs.jsonl"
    with out.open("w") as f:
        for i in range(6):
            for r in rows:
                sents = [s.text for s in prepare(r["text"]).sentences]
                f.write(
                    json.dumps(
                        {"text": r["text"] + f" Extra line number {i}.", "summary": sents[1], "title": r["title"]}
                    )
                    + "\n"
                )
    return out


def test_oracle_finds_the_reference_sentence() -> None:
    doc = prepare("Storm hits coast. Power was cut to 5,000 homes overnight. Roads were closed.")
    assert oracle_labels(doc, "Power cut to 5,000 homes", max_sentences=1) == [1]


def test_features_shape() -> None:
    feats, _ = sentence_features(prepare("Title line\n\nOne sentence here. Another one follows."))
    assert feats.shape == (2, len(FEATURES)) and np.isfinite(feats).all()


def test_train_save_load_and_use(pairs: Path, tmp_path: Path) -> None:
    r = nlpkit.train_summarizer(pairs, out=tmp_path / "s", dev_split=0.2, params={"max_iter": 20})
    assert 0 <= r.metrics["rouge1"] <= 1 and "lead3" in r.metrics
    text = json.loads(pairs.read_text().splitlines()[0])["text"]
    a = nlpkit.summarize(text, method=str(tmp_path / "s"), length=1)
    b = nlpkit.summarize(text, method=str(tmp_path / "s"), length=1)
    assert a.text == b.text and a.method == "s"
    m = nlpkit.evaluate_summarizer(str(tmp_path / "s"), pairs, length="1")
    assert (
        m["rouge1"] > m["lead3"]["rouge1"]
    )  # it learned to pick the second sentence (a plumbing check on training data)
    assert m["n"] == 30


def test_max_iter_trees_are_fitted_unless_early_stopping_is_asked_for() -> None:
    """Over 10,000 sentences, scikit-learn's own default stops early unasked: `max_iter` must mean what it says."""
    from nlpkit.summarizers.supervised import fit_sentence_scorer

    rng = random.Random(0)
    words = [f"w{i}" for i in range(60)]
    docs, refs = [], []
    for _ in range(420):  # 10,500 sentences
        sentences = [" ".join(rng.choices(words, k=8)).capitalize() + "." for _ in range(25)]
        docs.append(prepare(" ".join(sentences)))
        refs.append(rng.choice(sentences))
    assert fit_sentence_scorer(docs, refs, max_iter=40).trees.config()["trees"] == 40
    stopped = fit_sentence_scorer(docs, refs, max_iter=40, early_stopping=True)  # labels are noise: it stops soon
    assert stopped.trees.config()["trees"] < 40


def test_too_little_data(tmp_path: Path) -> None:
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps({"text": "A b. C d.", "summary": "A b."}) + "\n")
    with pytest.raises(DataError, match="at least 4"):
        nlpkit.train_summarizer(p)


def test_encoder_features_are_learned_saved_and_reloaded(pairs: Path, tiny_encoder: Path, tmp_path: Path) -> None:
    from nlpkit.summarizers.supervised import ENCODER_FEATURES

    params = {"max_iter": 20, "base_model": str(tiny_encoder), "max_length": 32}
    r = nlpkit.train_summarizer(pairs, out=tmp_path / "enc", dev_split=0.2, params=params)
    meta = json.loads((tmp_path / "enc" / "nlpkit.json").read_text())
    assert "encoder/model.safetensors" in meta["files"]
    doc = prepare(json.loads(pairs.read_text().splitlines()[0])["text"])
    feats, _ = r.model.scorer.features(doc)
    assert feats.shape[1] == len(FEATURES) + len(ENCODER_FEATURES) and np.isfinite(feats).all()
    again = nlpkit.load_model(tmp_path / "enc")
    assert np.allclose(again.scorer.features(doc)[0], feats, atol=1e-5)
    assert (
        again.summarize(doc, nlpkit.LengthSpec(sentences=1)).text
        == r.model.summarize(doc, nlpkit.LengthSpec(sentences=1)).text
    )


def test_the_overlap_target_learns_each_sentences_own_overlap_and_survives_a_reload(
    pairs: Path, tmp_path: Path
) -> None:
    from nlpkit.summarizers.supervised import AUTO_FEATURES, overlap_scores

    doc = prepare("Storm hits coast. Power was cut to 5,000 homes overnight. Roads were closed.")
    assert np.argmax(overlap_scores(doc, "Power cut to 5,000 homes", 3)) == 1
    params = {"max_iter": 20, "target": "overlap", "auto_features": True}
    r = nlpkit.train_summarizer(pairs, out=tmp_path / "one", dev_split=0.2, params=params)
    assert r.model.scorer.target == "overlap" and r.model.scorer.auto_features
    one = r.metrics["one_sentence"]
    assert set(one) == {"model", "lead1", "gain"} and 0 <= one["model"]["rouge1"] <= 1
    gain = one["gain"]["rouge1"]  # over Lead-1, per dev article: its mean is the difference of the two means
    assert gain["mean"] == pytest.approx(one["model"]["rouge1"] - one["lead1"]["rouge1"]) and gain["se"] >= 0
    card = (tmp_path / "one" / "README.md").read_text()
    assert "| 1 sentence |" in card and "Lead-1" in card and "| 3 sentences |" in card
    assert f"{100 * gain['mean']:+.2f} ± {100 * gain['se']:.2f}" in card
    doc = prepare(json.loads(pairs.read_text().splitlines()[0])["text"])
    feats, _ = r.model.scorer.features(doc)
    assert feats.shape[1] == len(FEATURES) + len(AUTO_FEATURES)
    again = nlpkit.load_model(tmp_path / "one", task="summarizer")
    assert again.scorer.target == "overlap" and again.scorer.auto_features  # type: ignore[attr-defined]
    assert np.allclose(again.scorer.score(feats), r.model.scorer.score(feats))  # type: ignore[attr-defined]
    m = nlpkit.evaluate_summarizer(str(tmp_path / "one"), pairs, length="1")
    lead = nlpkit.evaluate_summarizer("lead", pairs, length="1")
    assert m["rouge1"] > lead["rouge1"]  # it learned to pick the second sentence (a plumbing check on training data)


def test_an_unknown_target_is_one_usage_error_before_the_data_is_read(tmp_path: Path) -> None:
    from nlpkit.errors import UsageError

    with pytest.raises(UsageError, match="target='best'"):
        nlpkit.train_summarizer(tmp_path / "not-read.jsonl", params={"target": "best"})


def test_the_train_command_reports_both_lengths_and_appends_the_card_notes(pairs: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nlpkit.cli import app

    notes = tmp_path / "notes.md"
    notes.write_text("## Limitations\n\nTrained on six articles.\n")
    out = tmp_path / "one"
    args = ["train", "summarizer", str(pairs), "--out", str(out), "--card-notes", str(notes)]
    r = CliRunner().invoke(app, [*args, "--param", "target=overlap", "--param", "max_iter=20"])
    assert r.exit_code == 0, r.output
    rows = [line.split()[:2] for line in r.stdout.splitlines() if line.split()[1:2] in (["3"], ["1"])]
    assert rows == [["model", "3"], ["lead-3", "3"], ["model", "1"], ["lead-1", "1"]]
    assert "model - lead-3, per article: ROUGE-1 " in r.stdout and "model - lead-1, per article: ROUGE-1 " in r.stdout
    assert "Trained on six articles." in (out / "README.md").read_text()
    assert "nlpkit: fitted 20 boosted trees" in r.stderr
    bad = CliRunner().invoke(app, [*args, "--force", "--param", "target=best"])
    assert bad.exit_code != 0 and "target='best'" in bad.output
