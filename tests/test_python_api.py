"""The Python API as a notebook user meets it: data in memory, typed models, offsets into their own text."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlpkit
from nlpkit.errors import UsageError
from nlpkit.types import Skipped

ROOT = Path(__file__).resolve().parent.parent


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / "data" / name).read_text().splitlines()]


def _check_trained(result: nlpkit.training.TrainResult) -> None:
    assert sorted(result.model.labels) == ["business", "entertainment", "politics", "sport", "tech"]
    assert result.model.predict("The striker scored twice in the cup final.") == "sport"


def test_train_from_a_list_of_pairs_dicts_a_dataframe_and_a_dataset(tmp_path: Path) -> None:
    rows = _rows("topics.jsonl")
    pairs = [(r["text"], r["label"]) for r in rows]
    _check_trained(nlpkit.train("topic", pairs, dev_split=0.25))
    _check_trained(nlpkit.train("topic", rows, dev_split=0.25))
    import pandas as pd

    frame = pd.DataFrame(rows).rename(columns={"text": "body", "label": "section"})
    fields = nlpkit.LabelFields(text="body", label="section")
    result = nlpkit.train("topic", frame, fields=fields, dev_split=0.25)
    _check_trained(result)
    assert result.model.meta.command.startswith("nlpkit.train('topic', <the DataFrame>")
    folder = result.save(tmp_path / "mine")
    loaded = nlpkit.load_model(folder, task="topic")
    assert isinstance(loaded, nlpkit.TopicModel)
    assert loaded.predict(["Parliament passed the bill."]) == result.model.predict(["Parliament passed the bill."])

    import datasets

    names = sorted({r["label"] for r in rows})
    ds = datasets.Dataset.from_list([{"text": r["text"], "label": names.index(r["label"])} for r in rows])
    ds = ds.cast_column("label", datasets.ClassLabel(names=names))  # integers with names, as Hub sets have
    _check_trained(nlpkit.train("topic", ds, dev_split=0.25))


def test_stance_from_triples_and_missing_values_are_skipped() -> None:
    rows = _rows("stance.jsonl")
    target = next(k for k in ("target", "headline", "Headline", "claim") if k in rows[0])
    triples = [(r[target], r["text"], r["label"]) for r in rows]
    result = nlpkit.train("stance", triples, dev_split=0.25)
    assert isinstance(result.model, nlpkit.StanceModel)
    import pandas as pd

    frame = pd.DataFrame(_rows("topics.jsonl"))
    frame.loc[0, "label"] = float("nan")
    r = nlpkit.train("topic", frame, dev_split=0.25)
    assert any("1 rows without usable text/label were skipped" in n for n in r.notes)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"train": []}, "give one split or a list of rows"),
        ([("only text",)], "row 0 is a tuple; give dicts or (text, label) tuples"),
        (42, "data must be a path, a list of rows"),
        ([], "no rows"),
    ],
)
def test_data_in_memory_that_does_not_fit_is_one_clear_error(data: object, message: str) -> None:
    with pytest.raises(nlpkit.NlpkitError, match=message.replace("(", r"\(").replace(")", r"\)")):
        nlpkit.train("topic", data)


def test_save_model_takes_a_fitted_estimator(tmp_path: Path) -> None:
    rows = _rows("topics.jsonl")
    est = nlpkit.TfidfClassifier(cv=2).fit([r["text"] for r in rows], [r["label"] for r in rows])
    folder = nlpkit.save_model(est, tmp_path / "est", name="my-topics")
    model = nlpkit.load_model(folder, task="topic")
    texts = [r["text"] for r in rows[:10]]
    assert model.predict(texts) == list(est.predict(texts))
    assert np.allclose(model.predict_proba(texts), est.predict_proba(texts))
    assert model.name == "my-topics"
    with pytest.raises(UsageError, match="not fitted yet"):
        nlpkit.save_model(nlpkit.TfidfClassifier(), tmp_path / "unfitted")
    with pytest.raises(UsageError, match="cannot save a dict"):
        nlpkit.save_model({}, tmp_path / "dict")


def test_load_model_with_a_task_refuses_another_task() -> None:
    with pytest.raises(nlpkit.NlpkitError, match="a topic model, not a stance model"):
        nlpkit.load_model("topic", task="stance")
    assert isinstance(nlpkit.load_model("stance"), nlpkit.StanceModel)


def test_a_fresh_interpreter_opens_and_loads_models_whatever_was_imported_before() -> None:
    code = (
        "from nlpkit.persistence import open_model_folder; print(open_model_folder('topic')[1].kind);"
        "from nlpkit.catalog import load_model; print(type(load_model('stance')).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["tfidf", "StanceModel"]


# -- offsets into the caller's text ---------------------------------------------------------

_SENTENCES = [
    "Oil prices rose by 2% on Monday after the Gulf talks failed.",
    "Traders cited fears of a supply shock.",
    '"We expect more volatility," said one analyst in London.',
    "Brent crude closed at $84 a barrel, its highest since May.",
    "The U.S. Energy Dept. will publish stocks data on Wednesday.",
    "Shares in refiners fell sharply.",
]
_NOISE = ["", " ", "  ", "\n", "\t", "\u00a0", "\n\n", " \n "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6),
    st.lists(st.sampled_from(_NOISE), min_size=7, max_size=7),
    st.booleans(),
    st.sampled_from(["auto", "lead", "textrank"]),
)
def test_summary_offsets_index_the_text_given(
    sentences: list[str], gaps: list[str], headline: bool, method: str
) -> None:
    body = "".join(gaps[i % len(gaps)] + s for i, s in enumerate(sentences))
    text = ("Oil prices climb\n\n" if headline else "") + body + "\nShare this article\n"
    summary = nlpkit.summarize(text, method=method, length=3)
    for s in summary.sentences:
        assert s.start >= 0
        assert text[s.start : s.end] == s.text
    if summary.title_start >= 0:
        assert text[summary.title_start : summary.title_end] == summary.title


def test_offsets_hold_in_the_cnn_dailymail_datasets_form() -> None:
    # cleaning joins "Lego . will launch" and drops the byline and stamps; each sentence is still found
    text = (
        "By . Deni Kirkova . PUBLISHED: . 08:07 EST, 3 June 2014 . | . Lego . will launch a series of "
        "female scientists and . their lab tools after a proposal was chosen as the latest Lego Ideas winner. "
        "A geochemist in Stockholm submitted the idea to the toy maker, which will sell the set in August. "
        "Science: The figures go on sale in August . The set has an astronomer, a chemist and a palaeontologist."
    )
    summary = nlpkit.summarize(text, length=3)
    assert summary.sentences[0].text.startswith("Lego . will launch")
    for s in summary.sentences:
        assert s.start >= 0 and text[s.start : s.end] == s.text


def test_a_brief_opens_with_the_news_not_the_dateline_and_offsets_hold() -> None:
    text = "Oil climbs\n\nLONDON (Reuters) - Oil prices rose by 2% on Monday. Traders cited fears of a supply shock."
    summary = nlpkit.summarize(text, length=2)
    assert summary.sentences[0].text == "Oil prices rose by 2% on Monday."
    assert [text[s.start : s.end] for s in summary.sentences] == [s.text for s in summary.sentences]


def test_a_headline_given_apart_has_no_span_and_body_offsets_still_hold() -> None:
    text = "Oil prices rose by 2% on Monday.  Traders cited\nfears of a supply shock."
    summary = nlpkit.summarize(text, title="Oil climbs", length=2)
    assert (summary.title, summary.title_start) == ("Oil climbs", -1)
    assert [text[s.start : s.end] for s in summary.sentences] == [s.text for s in summary.sentences]
    assert summary.sentences[1].text == "Traders cited\nfears of a supply shock."


def test_classify_echoes_the_target_and_its_evidence_indexes_the_text() -> None:
    text = "Council meets\n\nThe  city council voted on Monday to ban cruise ships.\nThe vote was 7 to 2."
    p = nlpkit.classify(text, "stance", target="Council rejects cruise ship ban")
    assert not isinstance(p, Skipped)
    assert (p.target, p.target_source) == ("Council rejects cruise ship ban", "given")
    assert p.evidence is not None and text[p.evidence.start : p.evidence.end] == p.evidence.text
    headline = nlpkit.classify(text, "stance")
    assert not isinstance(headline, Skipped) and headline.target_source == "headline"
    german = nlpkit.classify(
        "Der Stadtrat hat am Montag beschlossen, die Kreuzfahrtschiffe aus dem Hafen zu verbannen."
    )
    assert isinstance(german, Skipped) and german.reason.startswith("written in de")


# -- warnings that save a user from a wrong conclusion --------------------------------------


def test_evaluating_on_the_training_data_warns_and_marks_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nlpkit.evaluation

    notes: list[str] = []

    def titled(draw: Any) -> Any:  # each plot is drawn as before, and its note kept to check
        def plot(*args: Any, note: str = "", **kwargs: Any) -> Any:
            notes.append(note)
            return draw(*args, note=note, **kwargs)

        return plot

    for name in ("plot_confusion_matrix", "plot_calibration"):
        monkeypatch.setattr(nlpkit.evaluation, name, titled(getattr(nlpkit.evaluation, name)))
    data = ROOT / "data" / "topics.jsonl"
    result = nlpkit.train("topic", data, dev_split=0.25, out=tmp_path / "m")
    with pytest.warns(UserWarning, match=r"100% of the checked examples .* are in the model's training data"):
        m = nlpkit.evaluate(result.path, data, report=tmp_path / "report")
    assert m["warnings"]
    assert "WARNING: 100% of the checked examples" in (tmp_path / "report" / "report.md").read_text()
    assert notes == ["100% of these examples were trained on: not a test score"] * 2
    assert (tmp_path / "report" / "confusion_matrix.png").stat().st_size > 0
    fresh = [{"text": "The striker scored twice in the final.", "label": "sport"}] * 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "warnings" not in nlpkit.evaluate(result.path, fresh)


def test_a_model_that_learnt_nothing_says_so() -> None:
    rng = random.Random(0)  # labels that have nothing to do with the words
    words = "alpha beta gamma delta river stone cloud paper lamp field glass".split()
    rows = [(" ".join(rng.choice(words) for _ in range(8)), rng.choice("abcd")) for _ in range(120)]
    with pytest.warns(UserWarning, match="near-uniform|learnt little"):
        result = nlpkit.train("topic", rows, dev_split=0.25)
    assert any("learnt little" in n for n in result.notes)


def test_evaluate_dispatches_summarizers_by_method_name() -> None:
    m = nlpkit.evaluate("lead", ROOT / "data" / "summaries.jsonl", length="1")
    assert m["method"] == "lead" and "lead3" in m


def test_streams_take_plain_strings_and_a_model_by_name() -> None:
    texts = ["The striker scored twice as the club won the cup final. Fans sang.", "   "]
    briefs = list(nlpkit.brief_articles(texts, length=1))
    first, failed = briefs
    assert isinstance(first, tuple) and first[0].id == "0" and first[0].summary.text.startswith("The striker")
    assert isinstance(failed, nlpkit.Failure) and failed.id == "1" and failed.error.startswith("<text 1>:")
    (labelled, empty) = nlpkit.classify_articles(texts, "topic")
    assert isinstance(labelled, tuple) and labelled[0].id == "0" and labelled[1].label == "sport"
    assert isinstance(empty, nlpkit.Failure) and empty.id == "1"
    with pytest.raises(TypeError, match="item 1 of the stream is a dict"):
        list(nlpkit.brief_articles(["A story. It ends.", {"text": "no"}]))


@pytest.mark.parametrize("stream", ["The striker scored twice. Fans sang.", "data/articles.jsonl"])
def test_a_lone_string_is_not_taken_for_a_stream_of_letters(stream: str) -> None:
    # A str is an iterable of one-letter strings: each letter used to become an article of its own.
    with pytest.raises(TypeError, match=r"a stream of articles, not one str: .*\[text\].*read_articles"):
        list(nlpkit.brief_articles(stream))
    with pytest.raises(TypeError, match=r"a stream of articles, not one str"):
        list(nlpkit.classify_articles(stream, "topic"))
    article = nlpkit.Article(id="1", title="", text="The striker scored twice. Fans sang.")
    with pytest.raises(TypeError, match=r"a stream of articles, not one Article: .*\[article\]"):
        list(nlpkit.brief_articles(article))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "message"),
    [(None, "must be a str, an Article or a Document, not NoneType"), (b"A story.", r"not bytes \(decode bytes first")],
)
def test_a_text_that_is_not_a_string_is_one_clear_type_error(text: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        nlpkit.summarize(text)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a str or an Article, not"):
        nlpkit.classify(text)  # type: ignore[arg-type]


def test_stance_without_a_target_says_which_argument_to_give() -> None:
    skipped = nlpkit.classify("The council voted on Monday to ban cruise ships.", "stance")
    assert isinstance(skipped, Skipped) and "target=" in skipped.reason and "--target" not in skipped.reason


def test_an_article_read_from_a_file_can_be_summarized_and_classified_as_it_is() -> None:
    # What read_articles yields is what summarize and classify take: its headline is the title.
    article = next(a for a in nlpkit.read_articles("data/articles.jsonl") if isinstance(a, nlpkit.Article))
    summary = nlpkit.summarize(article, length=1)
    assert summary.title == article.title
    (s,) = summary.sentences
    assert article.text[s.start : s.end] == s.text
    assert nlpkit.summarize(article, title="Another headline").title == "Another headline"
    prediction = nlpkit.classify(article, "stance")
    assert isinstance(prediction, nlpkit.Prediction)
    assert (prediction.target, prediction.target_source) == (article.title, "headline")
    assert prediction.evidence is not None
    assert article.text[prediction.evidence.start : prediction.evidence.end] == prediction.evidence.text
    skipped = nlpkit.classify(article, "stance", title="")
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith(f"{article.source}: no target") and "target=" in skipped.reason
    assert "--target" not in skipped.reason


def test_a_record_that_could_not_be_read_raises_its_own_error() -> None:
    (failure,) = nlpkit.read_articles(["no-such-article.txt"])
    assert isinstance(failure, nlpkit.Failure)
    with pytest.raises(nlpkit.NlpkitError, match=r"no-such-article\.txt: no such file"):
        nlpkit.summarize(failure)  # type: ignore[arg-type]
    with pytest.raises(nlpkit.NlpkitError, match=r"no-such-article\.txt: no such file"):
        nlpkit.classify(failure)  # type: ignore[arg-type]
