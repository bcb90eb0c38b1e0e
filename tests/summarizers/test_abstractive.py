from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nlpkit
from nlpkit.catalog import get_summarizer
from nlpkit.cli import app
from nlpkit.errors import ModelError, UsageError
from nlpkit.records import brief_record
from nlpkit.summarizers.abstractive import AbstractiveSummarizer, _merge
from nlpkit.summarizers.faithfulness import unsupported_spans
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare
from nlpkit.types import Brief
from tests.conftest import SENTENCES

runner = CliRunner()
ARTICLE = (
    "Port votes to ban cruise ships\n\n"
    'Councillors in Porto Velho voted on Tuesday to ban cruise ships from 2027. "Enough is enough," '
    "said Maria Lopes, the mayor. About 2,000 residents had signed a petition. Two ships were turned away."
)


def _kinds(summary: str) -> list[tuple[str, str]]:
    return [(u.kind, u.text) for u in unsupported_spans([summary], ARTICLE)]


def test_guard_accepts_what_the_article_says() -> None:
    assert _kinds("Porto Velho banned cruise ships from 2027, the mayor Maria Lopes said.") == []
    assert _kinds('About 2000 residents signed; "enough is enough" said Lopes, and 2 ships were turned away.') == []
    assert _kinds("Officials voted on Tuesday.") == []  # a capitalised sentence opener is not a name


def test_guard_flags_numbers_quotes_and_names_it_cannot_find() -> None:
    assert _kinds("The ban starts in 2028.") == [("number", "2028")]
    assert _kinds('The mayor said "tourists are welcome".') == [("quote", '"tourists are welcome"')]
    assert _kinds("Mayor John Smith of Lisbon backed the ban.") == [("name", "Mayor John Smith of Lisbon")]


def test_merge_drops_repeats_and_takes_chunks_in_turn() -> None:
    chunks = [["A leads.", "A second."], ["B leads.", "A leads."], ["C leads."]]
    assert _merge(chunks, LengthSpec(sentences=3), 10) == ["A leads.", "B leads.", "C leads."]
    assert _merge(chunks, LengthSpec(sentences=4), 10) == ["A leads.", "A second.", "B leads.", "C leads."]
    assert _merge(chunks, LengthSpec(words=4), 10) == ["A leads.", "B leads."]


def test_long_articles_are_cut_between_sentences_to_fit_the_input(tiny_bart: Path) -> None:
    summarizer = AbstractiveSummarizer(tiny_bart)
    doc = prepare(ARTICLE + " " + " ".join(SENTENCES))
    chunks = summarizer.chunks(doc)
    assert len(chunks) > 1
    assert " ".join(chunks) == " ".join([doc.title, *(s.text for s in doc.sentences)])
    for chunk in chunks:
        n = len(summarizer.tokenizer_(summarizer.prefix_ + chunk)["input_ids"])
        assert n <= summarizer.input_tokens_ or " " not in chunk.strip(". ")
    summarizer.set_params(max_chunks=2)
    assert len(summarizer.chunks(doc)) == 2


def test_generation_options_reach_the_model(tiny_bart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summarizer = AbstractiveSummarizer(tiny_bart, max_tokens=6, min_tokens=4, num_beams=2, no_repeat_ngram_size=2)
    net = summarizer._load()
    calls: list[tuple[dict, int]] = []
    generate = net.generate

    def spy(**kwargs: object) -> object:
        ids = generate(**kwargs)
        calls.append((kwargs, ids.shape[1]))
        return ids

    monkeypatch.setattr(net, "generate", spy)
    summarizer.generate(["the team won the cup final"])
    kwargs, n_ids = calls[0]
    assert (kwargs["num_beams"], kwargs["max_new_tokens"], kwargs["min_new_tokens"]) == (2, 6, 4)
    assert kwargs["no_repeat_ngram_size"] == 2 and n_ids <= 6 + 1  # + the decoder start token
    summary = summarizer.summarize(prepare(ARTICLE), LengthSpec(sentences=2))
    assert summary.abstractive and 1 <= len(summary.sentences) <= 2
    assert summary.method == "abstractive"


def test_strict_drops_flagged_sentences(tiny_bart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summarizer = AbstractiveSummarizer(tiny_bart)
    generated = "Porto Velho banned cruise ships. The ban starts in 2031. Two ships were turned away."
    monkeypatch.setattr(summarizer, "generate", lambda texts: [generated] * len(texts))
    doc = prepare(ARTICLE)
    loose = summarizer.summarize(doc, LengthSpec(sentences=3))
    assert not loose.faithful and [(u.kind, u.text, u.sentence) for u in loose.unsupported] == [("number", "2031", 1)]
    record = brief_record(Brief(id="a", title=doc.title, summary=loose))
    assert record["faithful"] is False and record["unsupported"][0]["text"] == "2031"
    assert record["sentences"][2]["start"] == doc.text.index("Two ships")  # copied verbatim: offsets kept
    strict = summarizer.set_params(strict=True).summarize(doc, LengthSpec(sentences=3))
    assert strict.faithful and strict.dropped == 1 and len(strict.sentences) == 2
    assert brief_record(Brief(id="a", title=doc.title, summary=strict))["dropped"] == 1


def test_extractive_json_says_it_is_faithful(data_dir: Path) -> None:
    r = runner.invoke(app, ["summarize", str(data_dir / "article.txt"), "-f", "json"])
    record = json.loads(r.stdout)
    assert record["faithful"] is True and record["unsupported"] == []
    assert record["faithfulness"].startswith("extractive")


def test_cli_abstractive(tiny_bart: Path, data_dir: Path) -> None:
    args = ["summarize", str(data_dir / "article.txt"), "--method", "abstractive", "--model", str(tiny_bart)]
    r = runner.invoke(app, [*args, "-f", "json", "--max-tokens", "8", "--beams", "1", "--device", "cpu"])
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout)
    assert record["method"] == "abstractive" and record["faithfulness"] == "checked"
    r = runner.invoke(app, ["summarize", str(data_dir / "article.txt"), "--method", "abstractive"])
    assert r.exit_code == 2 and "--model" in r.stderr
    r = runner.invoke(app, ["summarize", str(data_dir / "article.txt"), "--model", str(tiny_bart)])
    assert r.exit_code == 2 and "abstractive" in r.stderr


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot load"):
        get_summarizer("abstractive", model=str(tmp_path)).summarize(prepare(ARTICLE), LengthSpec(sentences=1))
    with pytest.raises(UsageError, match="no option"):
        AbstractiveSummarizer(tmp_path).set_params(beams=3)


def test_seq2seq_training_round_trip(tiny_bart: Path, tmp_path: Path) -> None:
    data = tmp_path / "pairs.jsonl"
    # References longer than the tiny decoder's 64 positions: they must be cut, not crash.
    long = " ".join(SENTENCES * 2)
    rows = [
        {"text": f"{s}. The match report follows {i}.", "summary": f"{s} {long}"} for i in range(3) for s in SENTENCES
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "s2s"
    result = nlpkit.train_summarizer(
        data,
        out=out,
        backend="seq2seq",
        dev_split=0.2,
        params={"base_model": str(tiny_bart), "epochs": 2, "max_tokens": 8, "num_beams": 1, "device": "cpu"},
    )
    meta = json.loads((out / "nlpkit.json").read_text())
    assert meta["backend"] == "seq2seq" and "seq2seq/model.safetensors" in meta["files"]
    assert len(meta["history"]) == 2 and meta["generation"]["max_tokens"] == 8
    assert {"rouge1", "rouge2", "lead3"} <= set(result.metrics)
    loaded = nlpkit.load_model(out)
    assert isinstance(loaded, AbstractiveSummarizer) and loaded.max_tokens == 8
    doc = prepare(ARTICLE)
    assert loaded.generate(["the bank raised interest rates"]) == result.model.generate(
        ["the bank raised interest rates"]
    )
    r = runner.invoke(app, ["summarize", "-", "--method", str(out), "--beams", "1", "-f", "json"], input=ARTICLE)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["faithfulness"] == "checked"
    assert loaded.summarize(doc, LengthSpec(sentences=1)).abstractive


def test_a_bad_model_is_one_error_not_one_per_article(data_dir: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    args = ["summarize", str(data_dir / "articles.jsonl"), "--method", "abstractive", "--model", str(missing)]
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and r.stderr.count("error:") == 1 and "no such folder" in r.stderr


def test_a_classifier_folder_is_not_a_seq2seq_model() -> None:
    from nlpkit.persistence import resolve_model_path

    with pytest.raises(ModelError, match="not a seq2seq summarizer"):
        get_summarizer("abstractive", model=str(resolve_model_path("topic")))


def test_an_encoder_folder_is_not_a_seq2seq_model(tiny_encoder: Path) -> None:
    with pytest.raises(ModelError, match=r"cannot load a seq2seq model from it: it holds a bert model$"):
        get_summarizer("abstractive", model=str(tiny_encoder)).summarize(prepare(ARTICLE), LengthSpec(sentences=1))
