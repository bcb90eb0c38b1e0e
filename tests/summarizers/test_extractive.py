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


def test_a_method_name_is_read_in_any_case(doc: nlpkit.Document) -> None:
    # "-m TextRank" used to say "unknown summarization method 'TextRank'; known: ..., textrank".
    assert get_summarizer("TextRank").summarize(doc, LengthSpec(sentences=2)) == get_summarizer("textrank").summarize(
        doc, LengthSpec(sentences=2)
    )
    assert nlpkit.summarize("Shops shut early. Staff went home.", method="LEAD", length=1).method == "lead"


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


JAPANESE = (
    "政府が新たな経済対策を発表\n\n"
    "政府は月曜日、物価高に対応するための新たな経済対策を発表した。対策の総額は約二十兆円に上る。"
    "電気料金とガス料金の補助が柱となる。野党は対策が遅すぎると批判した。専門家は財政への影響を懸念している。"
)
FRENCH = (
    "Le conseil interdit les navires de croisière\n\n"
    "Le conseil municipal a voté lundi l'interdiction des navires de croisière dans la vieille ville. "
    "Les habitants se plaignaient depuis des années du bruit et de la pollution. "
    "Le maire a déclaré que la décision protégerait le patrimoine de la ville. "
    "Les commerçants craignent une baisse de leurs revenus. "
    "« C'est une catastrophe pour nous », a dit un restaurateur du port."
)


@pytest.mark.parametrize("text", [JAPANESE, FRENCH], ids=["japanese", "french"])
def test_a_one_sentence_brief_in_another_language_is_autos_pick(text: str) -> None:
    """The bundled one-sentence scorer learnt English news: elsewhere its trees are not heard."""
    one = LengthSpec(sentences=1)
    brief = nlpkit.summarize(text, length=1)
    assert brief.text == get_summarizer("auto").auto.summarize(prepare(text), one).text  # type: ignore[attr-defined]
    assert brief.sentences[0].index == 0  # the lede: what the story is


def test_a_chinese_or_japanese_sentence_is_as_long_as_its_characters() -> None:
    from nlpkit.summarizers.vectors import word_counts

    doc = prepare(JAPANESE)
    assert word_counts(doc.sentences).tolist() == [sum(c not in "、。" for c in s.text) for s in doc.sentences]


LIST_ARTICLE = """Five things we learned from the summit

Leaders met in Geneva for two days of talks on trade and security. These are the main results.

1. The two sides agreed to cut tariffs on steel by half from next year.
2) A hotline between the defence ministries will reopen in March.
- Talks on a nuclear treaty will resume in the autumn, officials said.
* Both leaders will meet again in Washington next spring.
\u2013 Sanctions on three banks will be lifted at once.
\u2022 A joint fund for border towns will be set up.
(a) The summit's final statement was signed by both leaders.

Critics said the deal gave away -5 points of leverage for too little.
"""


@pytest.mark.parametrize("method", METHODS)
def test_a_bullet_of_a_list_is_briefed_without_its_marker(method: str) -> None:
    # "• • Income tax thresholds ..." : the article's own list marker used to stay before the sentence.
    summary = nlpkit.summarize(LIST_ARTICLE, method=method, length=10)
    texts = [s.text for s in summary.sentences]
    assert "The two sides agreed to cut tariffs on steel by half from next year." in texts
    assert "A joint fund for border towns will be set up." in texts
    assert "The summit's final statement was signed by both leaders." in texts
    assert not [t for t in texts if t[0] in "-*\u2022\u2013(" or t[0].isdigit()]
    assert "Critics said the deal gave away -5 points of leverage for too little." in texts
    for s in summary.sentences:
        assert LIST_ARTICLE[s.start : s.end] == s.text
    german = "Bundesliga am Samstag\n\n1. FC Köln gewann gegen Bayern mit 2:1.\n3. Oktober bleibt ein Feiertag in Deutschland."
    assert [s.text for s in nlpkit.summarize(german, method=method, length=2).sentences] == [
        "1. FC Köln gewann gegen Bayern mit 2:1.",
        "3. Oktober bleibt ein Feiertag in Deutschland.",
    ]
