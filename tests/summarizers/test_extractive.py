from __future__ import annotations

from pathlib import Path

import pytest

import nlpkit
from nlpkit.catalog import get_summarizer
from nlpkit.summarizers import SUMMARIZERS
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import join_quotes
from nlpkit.summarizers.vectors import first_sentences
from nlpkit.text.prepare import prepare

METHODS = ["auto", "lead", "textrank", "lexrank", "centroid"]


@pytest.fixture
def doc(data_dir: Path) -> nlpkit.Document:
    return prepare((data_dir / "article.txt").read_text(encoding="utf-8"))


def test_registry_lists_the_methods() -> None:
    assert set(METHODS) <= set(SUMMARIZERS.names())


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("length", ["3", "20%", "60w", "1"])
def test_every_method_keeps_order_offsets_and_length(doc: nlpkit.Document, method: str, length: str) -> None:
    spec = LengthSpec.parse(length)
    summary = get_summarizer(method).summarize(doc, spec)
    idx = [s.index for s in summary.sentences]
    assert idx == sorted(idx) and len(set(idx)) == len(idx)
    for s in summary.sentences:
        assert doc.text[s.start : s.end] == s.text
    n = len(summary.sentences)
    assert n >= 1
    if spec.words:
        words = sum(len(s.text.split()) for s in summary.sentences)
        assert n == 1 or words <= spec.words
    else:
        # quotations running over several sentences count as one (nlpkit.summarizers.standalone)
        units = doc if method == "lead" else join_quotes(first_sentences(doc))
        assert n == spec.sentence_count(len(units.sentences))
    assert summary.method == method and summary.length == str(spec)


def test_lead_takes_the_first_sentences(doc: nlpkit.Document) -> None:
    summary = get_summarizer("lead").summarize(doc, LengthSpec.parse("3"))
    assert [s.index for s in summary.sentences] == [0, 1, 2]


def test_auto_skips_a_near_repeat_of_the_lead() -> None:
    text = (
        "Nick Scholfield is lined up to ride Spring Heeled in the Grand National at Aintree.\n\n"
        "Nick Scholfield has been lined up to ride Spring Heeled in the Grand National at Aintree on Saturday.\n\n"
        "Scholfield had been expected to partner Sam Winner in the race.\n\n"
        "The champion trainer said it was unfair to tie Scholfield down.\n\n"
        "Scholfield has ridden in six Nationals."
    )
    lead = nlpkit.summarize(text, method="lead", length=2)
    auto = nlpkit.summarize(text, method="auto", length=2)
    assert [s.index for s in lead.sentences] == [0, 1]
    assert next(s.index for s in auto.sentences) == 0 and 1 not in [s.index for s in auto.sentences]


def test_one_sentence_article() -> None:
    for method in METHODS:
        s = nlpkit.summarize("Only one sentence here.", method=method, length=3)
        assert s.text == "Only one sentence here."


def test_empty_document_gives_empty_summary() -> None:
    assert nlpkit.summarize("", method="auto").sentences == ()


def test_unknown_method_lists_known_ones() -> None:
    with pytest.raises(nlpkit.NlpkitError, match="known: abstractive, auto"):
        nlpkit.summarize("Text.", method="nope")


def test_long_article_is_fast_enough_to_finish() -> None:
    text = " ".join(f"Sentence number {i} talks about topic {i % 7} and item {i % 13}." for i in range(3000))
    s = nlpkit.summarize(text, method="textrank", length=3)
    assert len(s.sentences) == 3


def test_a_one_sentence_brief_weighs_centrality_by_its_own_weight(data_dir: Path) -> None:
    import json

    import numpy as np

    from nlpkit.summarizers.extractive import AutoSummarizer

    rows = [json.loads(line) for line in (data_dir / "articles.jsonl").read_text().splitlines()]
    doc = prepare(next(r["text"] for r in rows if r["id"] == "n4"))  # its lead is not its most central sentence
    central, plain = AutoSummarizer(), AutoSummarizer()
    central.one_sentence_centrality, plain.one_sentence_centrality = 50.0, plain.centrality_weight
    three, one = LengthSpec(sentences=3), LengthSpec(sentences=1)
    assert central.summarize(doc, three) == plain.summarize(doc, three)  # longer briefs: the usual weight
    joined = join_quotes(first_sentences(doc))
    scores, _ = central.scores(joined, one_sentence=True)
    chosen = central.summarize(doc, one).sentences[0].text
    assert chosen == joined.sentences[int(np.argmax(scores))].text
    assert chosen != plain.summarize(doc, one).sentences[0].text


def test_the_default_one_sentence_brief_hears_the_bundled_scorer(data_dir: Path) -> None:
    import json

    import numpy as np

    from nlpkit.summarizers.default import DefaultSummarizer, one_sentence_scorer
    from nlpkit.summarizers.extractive import AutoSummarizer

    bundled = one_sentence_scorer()
    assert bundled is not None and bundled.target == "overlap"
    default = get_summarizer("auto")
    assert isinstance(default, DefaultSummarizer) and default.one_sentence_blend > 0

    class Last:
        """A scorer that likes the last sentence only."""

        def features(self, doc: nlpkit.Document) -> tuple[np.ndarray, object]:
            return bundled.features(doc)  # type: ignore[union-attr]

        def score(self, feats: np.ndarray) -> np.ndarray:
            return (np.arange(len(feats)) == len(feats) - 1).astype(float)

    one, three = LengthSpec(sentences=1), LengthSpec(sentences=3)
    for row in (json.loads(line) for line in (data_dir / "articles.jsonl").read_text().splitlines()):
        doc = prepare(row["text"])
        joined = join_quotes(first_sentences(doc))
        brief = default.summarize(doc, one)
        assert brief.method == "auto" and len(brief.sentences) == 1
        assert default.summarize(doc, three) == AutoSummarizer().summarize(doc, three)  # longer briefs: auto's
        own = AutoSummarizer().summarize(doc, one).text
        assert DefaultSummarizer(one_sentence_blend=0).summarize(doc, one).text == own
        assert DefaultSummarizer(one_sentence_centrality=1.0).summarize(doc, one).text == own  # weights given
        loud = DefaultSummarizer(scorer=Last(), one_sentence_blend=100.0).summarize(doc, one)  # type: ignore[arg-type]
        assert loud.sentences[0].text == joined.sentences[len(bundled.features(joined)[0]) - 1].text
