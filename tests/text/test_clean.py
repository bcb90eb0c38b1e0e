from __future__ import annotations

from pathlib import Path

import pytest

from nlpkit.errors import UnknownNameError
from nlpkit.text import clean as c


def test_scraped_sample_loses_its_furniture(data_dir: Path) -> None:
    raw = (data_dir / "scraped.txt").read_text(encoding="utf-8")
    out = c.clean(raw)
    for furniture in (
        "Skip to content",
        "By Sarah Quinn",
        "Published 3 hours ago",
        "Share this article",
        "Facebook | Twitter",
        "Photo: Getty Images",
        "(Picture: PA)",
        "newsletter",
        "cookies",
        "Related articles",
        "Strikes called off",
        "Popular posts",
        "Lake District",
        "Read more",
        "comments",
        "Typical. Fares up",
        "Leave a comment",
    ):
        assert furniture not in out, furniture
    for story in ("Rail fares in England and Wales", "Every penny counts", "The Rail Delivery Group"):
        assert story in out
    title, body = c.split_title(out)
    assert title == "Rail fares to rise by 4.9% in March"
    assert body.startswith("Rail fares in England and Wales")


@pytest.mark.parametrize(
    ("step", "text", "expected"),
    [
        ("comments", "Story.\n\n12 comments\nNice.", "Story."),
        ("comments", "Story.\nLeave a comment\nFirst!", "Story."),
        ("related", "Story.\n\nYou may also like\nOther thing\nAnother thing", "Story."),
        ("related", "Story.\nRead more: Something else happened\nMore story.", "Story.\nMore story."),
        ("share", "Story.\nShare this article\nMore.", "Story.\nMore."),
        ("share", "Story.\nFollow us on Twitter\nMore.", "Story.\nMore."),
        ("notices", "Story.\nSign up for our daily newsletter\nMore.", "Story.\nMore."),
        ("notices", "Story.\nThis website uses cookies.\nMore.", "Story.\nMore."),
        ("credits", "Image copyright: Reuters\nStory.", "Story."),
        ("credits", "The minister (Photo by J. Doe/Getty Images) spoke.", "The minister spoke."),
        ("bylines", "By Jane Doe and John Roe\nStory.", "Story."),
        ("bylines", "Updated: 12 March 2024\nStory.", "Story."),
        ("whitespace", "a  \u00a0b\n\n\n\nc", "a b\n\nc"),
        ("unicode", "zero\u200bwidth\r\nline", "zerowidth\nline"),
    ],
)
def test_each_step(step: str, text: str, expected: str) -> None:
    assert c.CLEANERS.get(step)(text) == expected


def test_prose_is_kept() -> None:
    prose = (
        "By the end of the year, the firm expects profits to double.\n"
        "Comments from the minister were welcomed.\n"
        "Readers were asked to share their views on the plan in a survey."
    )
    assert c.clean(prose) == prose


def test_steps_can_be_skipped() -> None:
    text = "Story.\nShare this article\nMore."
    assert "Share this article" in c.clean(text, skip=["share"])
    with pytest.raises(UnknownNameError, match="known:"):
        c.clean(text, skip=["no-such-step"])


def test_headline_detection() -> None:
    assert c.split_title("Oil prices climb\n\nBrent rose.") == ("Oil prices climb", "Brent rose.")
    assert c.split_title("Brent rose 2% on Monday.\nTraders cheered.")[0] == ""
    assert c.split_title("Just one line")[0] == ""


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Source: The central bank raised interest rates by half a point on Thursday, its biggest rise in years.",
            "The central bank raised interest rates by half a point on Thursday, its biggest rise in years.",
        ),
        (
            "Video: Firefighters rescued a family of five from a burning house in the city centre overnight.",
            "Firefighters rescued a family of five from a burning house in the city centre overnight.",
        ),
        (
            "CREDIT: The striker scored twice as the home side came from behind to win the cup final.",
            "The striker scored twice as the home side came from behind to win the cup final.",
        ),
        (
            "Images: Protesters gathered outside parliament for a third day as the vote on the bill neared.",
            "Protesters gathered outside parliament for a third day as the vote on the bill neared.",
        ),
        (
            "The council voted to ban cruise ships from the old town on Monday. Sign up for our daily newsletter.",
            "The council voted to ban cruise ships from the old town on Monday.",
        ),
    ],
)
def test_a_real_sentence_is_never_cleaned_away(text: str, kept: str) -> None:
    assert c.clean(text) == kept


@pytest.mark.parametrize(
    "furniture", ["CREDIT: Reuters", "Images: Getty", "Photo: Jane Doe/Reuters", "Sign up for our daily newsletter."]
)
def test_furniture_alone_still_goes(furniture: str) -> None:
    assert (
        c.clean(f"The minister resigned on Friday after the vote.\n{furniture}")
        == "The minister resigned on Friday after the vote."
    )
