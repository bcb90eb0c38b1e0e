from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import nlpkit
from nlpkit.classifiers.transformer import TransformerClassifier
from nlpkit.errors import ModelError, UsageError
from tests.conftest import SENTENCES, libraries_imported

LONG = " ".join(["the team won the cup final and the striker scored a goal in the match"] * 12)


def _fitted(tiny_encoder: Path, **params: object) -> TransformerClassifier:
    X = SENTENCES * 2
    y = ["sport", "sport", "politics", "politics", "business", "business"] * 2
    defaults = {"base_model": str(tiny_encoder), "max_length": 32, "epochs": 1, "early_stopping": False}
    return TransformerClassifier(**{**defaults, **params}).fit(X, y)  # type: ignore[arg-type]


def test_topic_round_trip_keeps_predictions_and_window_strategy(
    tiny_encoder: Path, data_dir: Path, tmp_path: Path
) -> None:
    r = nlpkit.train(
        "topic",
        data_dir / "topics.jsonl",
        out=tmp_path / "tr",
        backend="transformer",
        params={"base_model": str(tiny_encoder), "max_length": 32, "max_windows": 3, "epochs": 1},
    )
    meta = json.loads((tmp_path / "tr" / "nlpkit.json").read_text())
    assert meta["backend"] == "transformer"
    assert "transformer/model.safetensors" in meta["files"]
    assert meta["params"]["max_windows"] == 3
    assert len(meta["history"]) == meta["best_epoch"] == 1
    assert "## Training" in (tmp_path / "tr" / "README.md").read_text()
    texts = [LONG, "the bank cut rates"]
    again = nlpkit.load_model(tmp_path / "tr")
    assert again.predictor.aggregate == "mean" and again.predictor.max_windows == 3
    assert np.allclose(r.model.predict_proba(texts), again.predict_proba(texts), atol=1e-5)
    assert again.ident == r.model.ident and not again.ident.endswith("unsaved")
    assert again.labels == sorted(again.labels)
    # a worker that only predicts reads the folder without scikit-learn
    code = f"import nlpkit\nnlpkit.load_model({str(tmp_path / 'tr')!r}).predict({texts!r})"
    assert "sklearn" not in libraries_imported(code)


def test_the_saved_settings_are_the_estimators_parameters() -> None:
    import inspect

    from nlpkit.classifiers.encoded import TRANSFORMER_PARAMS, WINDOW_DEFAULTS

    defaults = {k: p.default for k, p in inspect.signature(TransformerClassifier).parameters.items()}
    assert set(defaults) == TRANSFORMER_PARAMS
    assert {k: defaults[k] for k in WINDOW_DEFAULTS} == WINDOW_DEFAULTS


def test_long_texts_become_capped_overlapping_windows(tiny_encoder: Path) -> None:
    model = _fitted(tiny_encoder, max_windows=3, stride=4)
    docs = model._windows([LONG, "the bank raised rates"])
    assert len(docs[0]) == 3 and len(docs[1]) == 1
    first, second = docs[0][0]["input_ids"], docs[0][1]["input_ids"]
    assert first[-5:-1] == second[1:5]  # 4 tokens shared across the boundary ([CLS]/[SEP] aside)
    model.set_params(aggregate="first")
    assert [len(d) for d in model._windows([LONG])] == [1]


def test_pairs_repeat_the_target_in_every_window(tiny_encoder: Path) -> None:
    model = _fitted(tiny_encoder, max_windows=4)
    (windows,) = model._windows([("the bank raised rates", LONG)])
    target = model.tokenizer_("the bank raised rates", add_special_tokens=False)["input_ids"]
    assert len(windows) == 4
    for w in windows:
        assert w["input_ids"][1 : 1 + len(target)] == target


def test_mean_and_max_aggregate_the_window_logits(tiny_encoder: Path) -> None:
    import torch

    model = _fitted(tiny_encoder, max_windows=3)
    docs = model._windows([LONG])
    with torch.inference_mode():
        per_window = torch.cat([model._logits([[w]]) for w in docs[0]])
        mean = model._logits(docs)
        model.set_params(aggregate="max")
        top = model._logits(docs)
    assert torch.allclose(mean[0], per_window.mean(0), atol=1e-5)
    assert torch.allclose(top[0], per_window.max(0).values, atol=1e-5)


def test_training_fits_a_separable_set(tiny_encoder: Path) -> None:
    texts = [SENTENCES[0], SENTENCES[1], SENTENCES[4], SENTENCES[5]]
    labels = ["sport", "sport", "business", "business"]
    model = TransformerClassifier(
        base_model=str(tiny_encoder), max_length=32, epochs=20, learning_rate=1e-2, batch_size=4, warmup_ratio=0.0
    ).fit(texts * 3, labels * 3)
    assert model.history_[-1]["train_loss"] < 0.3 * model.history_[0]["train_loss"]
    assert list(model.predict(texts)) == labels


def test_early_stopping_keeps_texts_apart_and_records_the_best_epoch(tiny_encoder: Path) -> None:
    X = [(f"claim {i % 5}", f"body {i // 4} about the bank") for i in range(80)]
    y = ["agree", "disagree", "discuss", "unrelated"] * 20
    model = TransformerClassifier(
        base_model=str(tiny_encoder), max_length=32, epochs=4, n_iter_no_change=1, class_weight="balanced"
    )
    model.classes_ = np.unique(y)
    fit, val = model._validation_split(X, np.array([list(model.classes_).index(v) for v in y]))
    assert len(val) and not {X[i][1] for i in fit} & {X[i][1] for i in val}
    model.fit(X, y)
    assert all("val_loss" in row for row in model.history_)
    best = min(model.history_, key=lambda row: row["val_loss"])
    assert model.best_epoch_ == best["epoch"] and model.n_iter_ <= 4


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"aggregate": "median"}, UsageError, "aggregate"),
        ({"precision": "fp16"}, UsageError, "fp16 needs a CUDA GPU"),
        ({"class_weight": "heavy"}, UsageError, "class_weight"),
        ({"stride": 20}, UsageError, "stride"),
        ({"device": "cuda"}, ModelError, "no CUDA GPU"),
    ],
)
def test_bad_settings_are_clear_errors(tiny_encoder: Path, params: dict, error: type, message: str) -> None:
    import torch

    if params.get("device") == "cuda" and torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(error, match=message):
        _fitted(tiny_encoder, **params)


def test_missing_or_wrong_base_model(data_dir: Path) -> None:
    with pytest.raises(ModelError, match="--base-model"):
        nlpkit.train("topic", data_dir / "topics.jsonl", backend="transformer")
    with pytest.raises(ModelError, match="cannot load"):
        nlpkit.train("topic", data_dir / "topics.jsonl", backend="transformer", params={"base_model": str(data_dir)})


@pytest.mark.parametrize("params", [{"precision": "bf16"}, {"gradient_accumulation_steps": 2, "batch_size": 2}])
def test_bf16_autocast_and_gradient_accumulation_train(tiny_encoder: Path, params: dict) -> None:
    model = _fitted(tiny_encoder, epochs=2, **params)
    proba = model.predict_proba(SENTENCES)
    assert proba.shape == (6, 3) and np.isfinite(proba).all() and np.allclose(proba.sum(1), 1)
    assert len(model.history_) == 2


def test_windows_never_exceed_what_the_model_can_read(tiny_encoder: Path) -> None:
    model = _fitted(tiny_encoder, max_length=512)  # the tiny BERT has 64 positions
    (windows,) = model._windows([LONG])
    assert max(len(w["input_ids"]) for w in windows) <= 64
    assert np.isfinite(model.predict_proba([LONG])).all()


def test_a_setting_the_estimator_does_not_have_is_refused_on_load(tiny_encoder: Path, tmp_path: Path) -> None:
    nlpkit.save_model(_fitted(tiny_encoder), tmp_path / "m")
    meta_file = tmp_path / "m" / "nlpkit.json"
    meta = json.loads(meta_file.read_text())
    meta["spec"]["params"]["colour"] = "red"
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"unusable transformer settings.*unknown setting 'colour'"):
        nlpkit.load_model(tmp_path / "m")


def test_loading_without_the_neural_libraries_names_the_extra(
    tiny_encoder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from nlpkit.errors import MissingExtra

    nlpkit.save_model(_fitted(tiny_encoder), tmp_path / "m")
    monkeypatch.setitem(sys.modules, "transformers", None)  # as on a plain install
    with pytest.raises(MissingExtra, match=r"the transformer model .*m needs PyTorch and transformers: pip install"):
        nlpkit.load_model(tmp_path / "m")
