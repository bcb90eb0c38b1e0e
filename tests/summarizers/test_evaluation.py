"""`nlpkit evaluate` of a summarizer: the lead at the method's own length beside it, and its paired gain."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nlpkit.catalog import get_summarizer
from nlpkit.cli import app
from nlpkit.evaluation import evaluate_summarizer
from nlpkit.metrics import paired_gain, rouge_each, sentence_lines
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare

ROWS = [
    # the second sentence is the story in two of them, the first in the others: a method that picks the most
    # central sentence wins on some articles and loses on others, so the gain has a spread
    {
        "text": "Residents gathered early on Monday. The council banned cruise ships from the harbour after a vote. "
        "The cruise ship ban starts in June. Operators of cruise ships will appeal the harbour ban.",
        "summary": "The council banned cruise ships from the harbour.",
    },
    {
        "text": "The weather was mild in the city. Oil prices rose 4% after producers agreed to cut output. "
        "Producers will cut output by two million barrels. Oil traders expect prices to keep rising.",
        "summary": "Oil prices rose after producers agreed to cut output.",
    },
    {
        "text": "The striker signed a five-year deal with the club on Friday. Fans waited outside the ground. "
        "The club paid a record fee for the striker. The deal makes him the club's best-paid player.",
        "summary": "The striker signed a five-year deal.",
    },
    {
        "text": "A bakery chain will open 50 new shops next year. The weather was poor. "
        "The chain said the new shops would create 800 jobs. Sales of the chain rose 12%.",
        "summary": "A bakery chain will open 50 new shops, creating 800 jobs.",
    },
]


@pytest.fixture
def pairs(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


def _rouge1(method: str, length: int) -> list[float]:
    summarizer = get_summarizer(method)
    preds = [
        "\n".join(s.text for s in summarizer.summarize(prepare(r["text"]), LengthSpec(sentences=length)).sentences)
        for r in ROWS
    ]
    return rouge_each(preds, [[sentence_lines(r["summary"])] for r in ROWS])["rouge1"]


def test_the_gain_is_over_the_lead_at_the_same_length_with_its_standard_error(pairs: Path) -> None:
    m = evaluate_summarizer("centroid", pairs, length="1")
    assert m["lead"]["length"] == "1" and m["lead3"]["length"] == "3"
    ours, lead = np.array(_rouge1("centroid", 1)), np.array(_rouge1("lead", 1))
    assert m["rouge1"] == pytest.approx(ours.mean()) and m["lead"]["rouge1"] == pytest.approx(lead.mean())
    d = ours - lead
    assert (d > 0).any() and (d < 0).any()  # the data does what its comment says
    assert m["gain"]["rouge1"]["mean"] == pytest.approx(d.mean())
    assert m["gain"]["rouge1"]["se"] == pytest.approx(d.std(ddof=1) / np.sqrt(len(d)))
    assert m["lead3"]["rouge1"] == pytest.approx(np.mean(_rouge1("lead", 3)))


def test_the_lead_against_itself_gains_nothing(pairs: Path) -> None:
    m = evaluate_summarizer("lead", pairs)
    assert m["lead"] == m["lead3"] and m["gain"]["rouge1"] == {"mean": 0.0, "se": 0.0}


def test_the_command_prints_the_lead_at_its_length_and_the_gain(pairs: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["evaluate", "centroid", str(pairs), "--length", "1", "--report", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    rows = [line.split()[0] for line in r.output.splitlines()[2:5]]
    assert rows == ["centroid", "lead-1", "lead-3"], r.output
    assert "centroid - lead-1, per article: ROUGE-1 " in r.output and "standard error" in r.output
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "| lead-1 | 1 |" in report and "centroid - lead-1, per article" in report
    assert "![ROUGE-1 gain per article](rouge_gain.png)" in report
    assert (tmp_path / "r" / "rouge_gain.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_paired_gain_needs_pairs() -> None:
    with pytest.raises(ValueError, match="equally long"):
        paired_gain([0.1, 0.2], [0.1])
    assert paired_gain([0.3], [0.1]) == (pytest.approx(0.2), 0.0)
