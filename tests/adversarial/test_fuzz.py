"""Property tests: readers, cleaning, segmentation and every summarizer on random hostile text.

Texts are built from random Unicode (any code point but surrogates, plus lone surrogates for the
readers), control characters, huge tokens, runs of punctuation, blank lines and empty pieces.
Nothing may raise but nlpkit's own errors; offsets stay inside the text; summary sentences are
the article's own text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nlpkit
from nlpkit.catalog import get_summarizer
from nlpkit.errors import NlpkitError
from nlpkit.io.decoding import decode
from nlpkit.io.readers import Failure, Fields, read_bytes
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.clean import clean
from nlpkit.text.prepare import prepare
from nlpkit.text.segment import segment

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.one_of(
    st.text(max_size=40),  # any code point but surrogates
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "\n\n",
            "\r\n",
            "\t",
            "\x00",
            "\x1b[31m",
            "\u200b",
            "\u202e",
            "\ufeff",
            "...",
            "?!",
            ". . .",
            "Mr.",
            "U.S.",
            "e.g.",
            "3.5",
            '"',
            "\u201cQuote.\u201d",
            "(",
            ")",
            "The council met on Monday.",
            "Prices rose 5% in May.",
            "Z\u0351\u0352\u0353a\u0354\u0355",
            "\U0001f600",
            "x" * 5000,
            "word " * 300,
        ]
    ),
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)
RAW = st.one_of(
    st.binary(max_size=3000),
    TEXTS.map(lambda t: t.encode("utf-8")),
    TEXTS.map(lambda t: t.encode("utf-16")),
    TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass") + "\udc80".encode("utf-8", "surrogatepass")),
)


def _sentences_inside(text: str, sentences: tuple[object, ...]) -> None:
    last = 0
    for s in sentences:
        start, end = s.start, s.end  # type: ignore[attr-defined]
        assert 0 <= start <= end <= len(text)
        assert start >= last, "sentences out of order or overlapping"
        assert text[start:end] == s.text  # type: ignore[attr-defined]
        assert s.text.strip()  # type: ignore[attr-defined]
        last = end


@FUZZ
@given(RAW)
def test_decode_gives_text_or_a_clean_refusal(data: bytes) -> None:
    try:
        text, _ = decode(data, "f.txt")
    except NlpkitError as e:
        assert "f.txt" in str(e)
        return
    assert isinstance(text, str)
    assert not any(ord(c) < 32 and c not in "\t\n\r\x0c" for c in text), "control characters passed through"
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text), "lone surrogates passed through"


@FUZZ
@given(RAW, st.sampled_from(["txt", "jsonl", "json", "csv", "tsv", "html", "warc"]))
def test_read_bytes_gives_records_or_failures(data: bytes, fmt: str) -> None:
    try:
        records = list(read_bytes(data, f"in.{fmt}", fmt, Fields()))
    except NlpkitError as e:
        assert "in." in str(e)
        return
    for r in records:
        if isinstance(r, Failure):
            assert r.error and "\n" not in r.error
        else:
            assert isinstance(r.text, str) and "\x00" not in r.text


@FUZZ
@given(TEXTS)
def test_clean_and_segment(text: str) -> None:
    cleaned = clean(text)
    assert isinstance(cleaned, str) and "\x00" not in cleaned
    doc = segment(cleaned)
    assert doc.text == cleaned
    _sentences_inside(doc.text, doc.sentences)
    prepared = prepare(text)
    _sentences_inside(prepared.text, prepared.sentences)
    assert "\n" not in prepared.title


@pytest.fixture(scope="module")
def summarizers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every extractive method by name, and a trained sentence scorer (a tiny one, built here)."""
    folder = tmp_path_factory.mktemp("brief")
    rows = [
        json.loads(line) for line in (Path(__file__).parents[2] / "data" / "articles.jsonl").read_text().splitlines()
    ]
    with (folder / "pairs.jsonl").open("w") as f:
        for i in range(4):
            for r in rows:
                f.write(json.dumps({"text": f"{r['text']} Note {i}.", "summary": r["text"][:80], "title": r["title"]}))
                f.write("\n")
    nlpkit.train_summarizer(folder / "pairs.jsonl", out=folder / "trained", dev_split=0.2, params={"max_iter": 20})
    names = ["auto", "lead", "textrank", "lexrank", "centroid"]
    found: dict[str, object] = {name: get_summarizer(name) for name in names}
    found["trained"] = get_summarizer(str(folder / "trained"))
    return found


@pytest.mark.parametrize("name", ["auto", "lead", "textrank", "lexrank", "centroid", "trained"])
def test_every_summarizer(summarizers: dict[str, object], name: str) -> None:
    method = summarizers[name]

    @FUZZ
    @given(
        TEXTS,
        st.sampled_from(
            [LengthSpec(sentences=1), LengthSpec(sentences=3), LengthSpec(words=20), LengthSpec(ratio=0.5)]
        ),
    )
    def check(text: str, length: LengthSpec) -> None:
        doc = prepare(text)
        summary = method.summarize(doc, length)  # type: ignore[attr-defined]
        for s in summary.sentences:
            assert 0 <= s.start <= s.end <= len(doc.text)
            assert doc.text[s.start : s.end] == s.text, "a summary sentence is not the article's own text"
            assert s.text in clean(text)
        assert len({s.index for s in summary.sentences}) == len(summary.sentences), "a sentence chosen twice"

    check()
