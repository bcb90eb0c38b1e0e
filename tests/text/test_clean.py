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
