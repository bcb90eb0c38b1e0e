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
        ("share", "Story.\nScroll down for video\nMore.", "Story.\nMore."),
        ("notices", "Story.\nMedia playback is not supported on this device\nMore.", "Story.\nMore."),
        ("bylines", "By Sarah Dean for Daily Mail Australia\nStory.", "Story."),
        ("datelines", "LONDON (Reuters) - Oil prices rose on Monday.", "Oil prices rose on Monday."),
        ("datelines", "(CNN)Share, and your gift will be multiplied.", "Share, and your gift will be multiplied."),
        ("datelines", "Title\n\nBAGHDAD, Iraq (CNN) -- Six men were shot.", "Title\n\nSix men were shot."),
        ("datelines", "Hong Kong (CNN) Six people were hurt in a fire.", "Six people were hurt in a fire."),
        (
            "datelines",
            "WASHINGTON \u2014 The Senate passed the bill on Friday.",
            "The Senate passed the bill on Friday.",
        ),
        # German agencies write their names in lower case; Indian and Pakistani papers put a colon after the place
        (
            "datelines",
            "BERLIN (dpa) - Die Regierung hat neue Regeln beschlossen.",
            "Die Regierung hat neue Regeln beschlossen.",
        ),
        (
            "datelines",
            "NEW DELHI: The government announced rules for online games.",
            "The government announced rules for online games.",
        ),
        (
            "datelines",
            "Title\n\nMUMBAI: Shares rose for a third day on Monday.",
            "Title\n\nShares rose for a third day on Monday.",
        ),
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


@pytest.mark.parametrize(
    "text",
    [
        "Apple (AAPL) shares rose sharply on Monday morning.",  # a ticker, then the sentence goes on
        "Hong Kong (Foo) Six people were hurt in a fire.",  # not a wire agency, no dash
        "President Obama (D) - who spoke on Monday, said so.",  # lower case after the dash
        "One.\nTwo.\nThree.\nLONDON (Reuters) - A dateline this far down is a quotation of one.",
        "(CNN) -- Short.",  # nothing left that reads like a story
        "Berlin (spd) - Die Partei hat neue Regeln beschlossen.",  # a party in brackets, not a wire agency
        "NEW DELHI: the government announced rules for online games.",  # lower case after the colon
        "UPDATED: Tuesday, 3 June 2014, at noon in London.",  # a time stamp's label, not a place
        "NHS: Waiting lists at record high\n\nThe number of patients waiting rose again in May.",  # a headline's label
        "One.\nTwo.\nThree.\nMUMBAI: A place this far down is not the story's dateline.",
    ],
)
def test_what_only_looks_like_a_dateline_is_kept(text: str) -> None:
    assert c.CLEANERS.get("datelines")(text) == text


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


# The CNN/DailyMail dataset's form: the story's lines joined, " ." after each line that had no stop.
DM_FORM = (
    "By . Deni Kirkova . PUBLISHED: . 08:07 EST, 3 June 2014 . | . UPDATED: . 10:21 EST, 3 June 2014 . "
    "Lego . will launch a series of female scientists and . their lab tools after a proposal won a vote. "
    "The set features an astronomer with a telescope and a chemist in a lab. "
    "Scroll down for video . Science: The new figures will go on sale in August . "
    "A board . made up of set designers picks one idea, according to its . website. "
    "'It is great to see,' she said: . 'Girls need role models.'"
)


def test_the_datasets_line_stops_become_lines_again() -> None:
    out = c.restore_line_stops(DM_FORM)
    paragraphs = out.split("\n\n")
    # lines broken inside a sentence are joined; a colon before a quotation goes on to it
    assert "Lego will launch a series of female scientists and their lab tools after a proposal" in out
    assert "A board made up of set designers picks one idea, according to its website." in out
    assert "she said: 'Girls need role models.'" in out
    # lines of their own are lines again, without the " ." (a time stamp's label stays with it; "|" goes)
    for line in ("By Deni Kirkova", "PUBLISHED: 08:07 EST, 3 June 2014", "UPDATED: 10:21 EST, 3 June 2014"):
        assert line in paragraphs
    assert "Scroll down for video" in paragraphs and "Science: The new figures will go on sale in August" in paragraphs
    assert "|" not in out and " ." not in out


def test_the_datasets_byline_stamps_and_prompts_are_cleaned_away() -> None:
    assert c.clean(f"Lego to sell scientists\n\n{DM_FORM}").startswith("Lego to sell scientists\n\nLego will launch")
    out = c.clean(DM_FORM)
    for furniture in ("Kirkova", "PUBLISHED", "EST", "Scroll down"):
        assert furniture not in out, furniture
    assert out.startswith("Lego will launch")


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose. Then they fell. Nobody knew why.",
        "Wait . . . it is over. He left . . . and never came back.",
        "The minister said prices would rise.\n\nThey did.",
    ],
)
def test_text_without_the_datasets_line_stops_is_left_alone(text: str) -> None:
    assert c.restore_line_stops(text) == text


def test_a_stray_line_stop_in_paragraphs_is_a_slip_and_loses_its_blank() -> None:
    text = (
        "He was the best-paid actor, earning 3.55m Euros (2.45m) . His roles include a comedy.\n\n"
        "The list was drawn up by a French business magazine from figures given by the studios.\n\n"
        "It covers films released in France during the year, and the fees the actors were paid ."
    )
    assert c.restore_line_stops(text) == text.replace(" .", ".")


def test_a_stop_after_an_abbreviation_or_an_initial_is_not_where_a_line_began() -> None:
    # "p.m." and "P." end no sentence: the line of its own began after "week."
    out = c.restore_line_stops("It airs this week. Sunday at 9 p.m. ET on AMC . Taraji P. Henson stars.")
    assert out.split("\n\n") == ["It airs this week.", "Sunday at 9 p.m. ET on AMC", "Taraji P. Henson stars."]
