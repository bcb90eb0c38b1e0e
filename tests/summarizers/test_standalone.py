"""Briefs whose sentences stand on their own: each rule of nlpkit.summarizers.standalone, through `summarize`."""

from __future__ import annotations

import pytest

import nlpkit
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import Fitness, NamesIn, defect, join_quotes
from nlpkit.text.prepare import prepare

METHODS = ["auto", "textrank", "lexrank", "centroid"]


def _brief(text: str, method: str, length: str | int = 3) -> list[str]:
    return [s.text for s in nlpkit.summarize(text, method=method, length=length).sentences]


def _quotes(text: str, method: str) -> tuple[list[str], list[str]]:
    """A 4-sentence brief of `text`, none of its bullets with a defect, and the sentences as quotations join them."""
    brief = _brief(text, method, 4)
    for sentence in brief:
        assert defect(sentence) is None, sentence
    return brief, [s.text for s in join_quotes(prepare(text)).sentences]


@pytest.mark.parametrize("method", METHODS)
def test_a_quotation_is_whole_with_its_attribution_or_not_there(method: str) -> None:
    text = (
        "Museums fear cruise ban\n\n"
        '"Passengers spend money in shops, cafés and museums. Without them the old town loses its trade," '
        "said Ana Souza, who runs the traders' association. "
        "The city council voted on Monday to ban large cruise ships from the historic harbour. "
        "The ban starts in June and covers ships of more than 2,000 passengers. "
        '"We will appeal the decision in court. '
        "Operators say the harbour fees already pay for the upkeep of the quay."
    )
    _, joined = _quotes(text, method)
    assert joined[0].endswith("who runs the traders' association.")  # the quote, its speaker and all
    assert '"We will appeal the decision in court.' in joined  # never closed: left as it was, and kept out


@pytest.mark.parametrize("method", METHODS)
def test_a_single_quoted_quotation_is_whole_or_not_there(method: str) -> None:
    # the Daily Mail quotes with single quotes: a quotation that opens a sentence is followed to its end
    text = (
        "A motorist was given a ticket after double yellow lines were painted under his parked car in Derby. "
        "'There were no lines there when I parked the car on Monday morning. "
        "They painted right around my tyres and then fined me for it,' said Patrick McCrystal, who lives nearby. "
        "The council said the lines had been planned for months and that the ticket would be cancelled. "
        "'We apologise to Mr McCrystal for the trouble this has caused to him and his family.\n\n"
        "'Our contractors should have waited until the street was clear of cars.' "
        "Flecks of yellow paint were even sprayed on the bumper of the car as the lines were painted."
    )
    brief, joined = _quotes(text, method)
    assert joined[1].startswith("'There were no lines") and joined[1].endswith("who lives nearby.")
    # a quotation that runs on into the next paragraph is never closed in its own: left as it was, kept out
    assert "'We apologise to Mr McCrystal for the trouble this has caused to him and his family." in joined
    assert not any(s.startswith("'We apologise") for s in brief), brief


@pytest.mark.parametrize("method", METHODS)
def test_captions_credits_and_link_lines_are_kept_out(method: str) -> None:
    text = (
        "The Duchess opens a bakery\n\n"
        "Sweet life: The Duchess of Cornwall.\n\n"
        "The Duchess of Cornwall opened a community bakery in Bath on Tuesday, meeting volunteers and bakers. "
        "Photo: Getty Images\n\n"
        "Read more: the royal visits of the year\n\n"
        "The bakery trains young people who left school without qualifications. "
        "It was funded by a local charity and the city council."
    )
    brief = _brief(text, method, 3)
    assert not any(s.startswith(("Sweet life", "Photo:", "Read more")) for s in brief), brief


@pytest.mark.parametrize("method", METHODS)
def test_a_long_caption_behind_a_label_is_kept_out(method: str) -> None:
    # the Daily Mail's captions: a label, a colon, and a whole sentence about the photograph -- here the
    # sentence that shares most words with the rest, so every method would pick it if it were fit
    text = (
        "The daughter of a Chicago socialite accused of murdering her mother in Bali will give part of her trust "
        "fund to care for her newborn daughter. "
        "Child care: An attorney for Heather Mack, accused of murdering her mother in Bali, has filed to move "
        "part of the trust fund to her newborn daughter in Bali. "
        "Heather Mack, 19, is held in a Bali prison with her daughter while she waits for her trial. "
        "The attorney said the money would pay for the daughter's care until the trial ends."
    )
    for length in (1, 3):
        brief = _brief(text, method, length)
        assert not any(s.startswith("Child care:") for s in brief), brief


@pytest.mark.parametrize("method", METHODS)
def test_a_publishers_notice_is_kept_out(method: str) -> None:
    # in the CNN/DailyMail dataset's form the notices sit inside the article's one line, with the story
    text = (
        "Editor's note: Ann Curley is the assignment manager for the CNN medical news unit and a diabetic. "
        "The city council voted on Monday to ban large cruise ships from the historic harbour of the city. "
        "The content is produced solely by The Conversation, for the city council and its harbour readers. "
        "The ban on cruise ships in the harbour starts in June, the city council said on Monday. "
        "The opinions expressed in this commentary are solely those of the city council's harbour writer. "
        "E-mail to a friend about the city council's ban on cruise ships in the harbour."
    )
    for length in (1, 3):
        brief = _brief(text, method, length)
        assert all(s.startswith(("The city council voted", "The ban on")) for s in brief), brief


@pytest.mark.parametrize(
    "sentence",
    [
        "CNN's Dan Rivers contributed to this report.",
        "CNN's Eliott C. McLaughlin contributed to this report.",
        "CNN's Susannah Cullinane and Journalist Jane Roe contributed to this report from London.",
        "Associated Press contributed to this report.",
        "Reuters contributed reporting.",
        "Reporting by Jane Roe; Editing by John Doe.",
        "All rights reserved.",
        "Copyright 2007 Reuters.",
        "© 2024 The Associated Press.",
    ],
)
def test_credits_and_rights_lines_are_notices(sentence: str) -> None:
    # A 60-word brief of 45 in 3,109 articles filled its budget with such a line.
    assert defect(sentence) == "notice"


@pytest.mark.parametrize(
    "sentence",
    [
        "Scientists who contributed to the report said the ice was melting faster.",
        "The copyright on the song expired in 2019.",
        "Reporting from the front line has become more dangerous, editors say.",
    ],
)
def test_sentences_about_reports_and_copyright_are_not_notices(sentence: str) -> None:
    assert defect(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Der Kanzler sagte: „Wir schaffen das.“",  # German: „ opens, “ closes
        "„Das ist ein guter Tag“, sagte die Bürgermeisterin am Montag.",
        "Prezes powiedział: „To dobry dzień.”",  # Polish: „ opens, ” closes
        "«Nous allons gagner», a dit le ministre.",
        "»Wir gewinnen«, sagte der Trainer.",
    ],
)
def test_quotations_of_other_languages_are_balanced(sentence: str) -> None:
    # A German quotation closes with “, the English opening quote: every such sentence was an
    # 'unbalanced quote' and a line with no full stop, and so was kept out of German briefs.
    assert defect(sentence) is None
    doc = prepare("Ein Titel\n\n" + sentence + " Die Opposition widersprach am Dienstag.")
    assert Fitness.of(doc).defect(0) is None


@pytest.mark.parametrize(
    "sentence", ["Der Kanzler sagte: „Wir schaffen das.", "«Nous allons gagner, a dit le ministre."]
)
def test_an_unclosed_quotation_of_another_language_is_kept_out(sentence: str) -> None:
    assert defect(sentence) == "unbalanced quote"


@pytest.mark.parametrize("method", METHODS)
def test_a_signpost_to_what_follows_is_kept_out(method: str) -> None:
    # "Here are the main points of the statement." was a bullet: it tells a reader of the brief nothing.
    text = (
        "Welcome to our live coverage of the budget statement in parliament today.\n\n"
        "The chancellor set out the government's tax and spending plans in parliament on Wednesday afternoon. "
        "Here are the main points of the statement. "
        "Income tax thresholds will stay frozen until 2028, dragging more people into higher tax bands. "
        "Here's what we know so far about the changes to pensions. "
        "The state pension will rise by 4.1% in April under the triple lock, the chancellor said."
    )
    for length in (1, 3, "40w"):
        brief = _brief(text, method, length)
        assert brief and not any(s.startswith(("Here", "Welcome")) for s in brief), brief


@pytest.mark.parametrize(
    "sentence",
    [
        "Here are the main points of the statement.",
        "Here's what we know so far.",
        "Here is a look at the key moments.",
        "These are the key findings.",
        "Welcome to our live coverage of the election count.",
        "Here are TripAdvisor's top 10 beaches in the world:",
        "Here is how six leading lobbies plan to make sure their cause is heard.",
        "Here are five great ways to enjoy your summer.",
    ],
)
def test_signposts(sentence: str) -> None:
    assert defect(sentence) == "signpost"


@pytest.mark.parametrize(
    "sentence",
    [
        "Here's to the creative types who raised egotism to an art form.",
        "These are the first elections since 2019.",
        "Here's a dog tale about a pooch with a literal spring in his steps.",  # a feature's hook: it carries the story
        "Here's one reboot that would be out of this world.",
    ],
)
def test_sentences_opening_like_signposts_that_are_not(sentence: str) -> None:
    assert defect(sentence) is None


@pytest.mark.parametrize("method", METHODS)
def test_a_sentence_without_a_word_is_kept_out(method: str) -> None:
    # A 60-word brief used to fill its budget with "2." and "." (list numbers and stray stops the text kept).
    text = (
        "Viewers sent us hundreds of questions about the crash of the airliner in the Alps last week.\n\n"
        "1.\n\nWhy did the plane descend so slowly if the co-pilot meant to crash it?\n\n"
        "2.\n\nCould the cockpit door have been opened from outside by the captain?\n\n.\n\n"
        "Investigators said the flight recorder held the answers to most of the questions."
    )
    for length in (3, "60w", "100%"):
        brief = _brief(text, method, length)
        assert brief and all(any(c.isalpha() for c in s) for s in brief), brief
    assert defect("2.") == defect(".") == defect("5:17).") == "no words"


@pytest.mark.parametrize(
    "sentence",
    [
        "VERDICT: You can't see the chunky honeycomb until you open the lid, because the honey is pale.",
        "Keeping the faith: A Palestinian man who fled the Yarmouk refugee camp prays inside a school in Damascus.",
        "Under fire: Faculty at Columbia University have said some of his tactics have sullied their reputation.",
        "Replacements: A Titterrell (Sale Sharks), P Vickery (Gloucester), S Borthwick (Bath), J Forrester.",
    ],
)
def test_labelled_lines_are_captions(sentence: str) -> None:
    assert defect(sentence) == "caption"


@pytest.mark.parametrize(
    "sentence",
    [
        "Mr Letwin told MPs: The tide is going out on the chancellor's credibility and the markets know it.",
        "She added: 'We will appeal the decision in court and we expect to win it before the summer.'",
        "Star Trek: Enterprise began in 2001 following other spin-off series The Next Generation and Voyager.",
        "February 1991: IRA terrorists launch a mortar attack at Prime Minister John Major's Downing Street offices.",
        "There is one exception: Firms in Western Europe are lacking confidence after years of slow growth.",
        "His conclusion was simple: Too many of the targets will be seriously missed by the end of the year.",
    ],
)
def test_prose_quotes_titles_and_dates_before_a_colon_are_not_captions(sentence: str) -> None:
    assert defect(sentence) is None


def test_a_label_the_article_uses_as_a_name_is_a_speaker() -> None:
    line = "Branson: I think the particular Virgin brand perhaps needed me in the past to get out there."
    assert defect(line) == "caption"  # on its own, a one-word label reads as a caption's
    text = f"The founder, Richard Branson, spoke to CNN about the brand. {line} He said it no longer does."
    doc = prepare(text)
    assert [s.text for s in doc.sentences if s.text.startswith("Branson")] == [line]
    assert defect(line, names=NamesIn(doc.text)) is None


@pytest.mark.parametrize("method", METHODS)
def test_the_first_bullet_never_leans_on_a_sentence_left_out(method: str) -> None:
    text = (
        "But the talks failed again on Monday, officials in Brussels said after a long night. "
        "He said the gap between the two sides on fishing rights remained wide and deep. "
        "Negotiators from Britain and the European Union met in Brussels for a tenth round of trade talks. "
        "Fishing rights and state aid remain the two issues that divide the sides most. "
        "However, both sides said a deal was still possible before the end of the year."
    )
    for length in (1, 2, 3):
        first = _brief(text, method, length)[0]
        assert not first.startswith(("But ", "He ", "However")), first


def test_a_pronoun_bullet_follows_one_that_names_someone() -> None:
    text = (
        "Negotiators from Britain and the European Union met in Brussels for a tenth round of trade talks. "
        "He said the gap on fishing rights remained wide. "
        "The talks ended without a deal on Monday night."
    )
    brief = _brief(text, "centroid", 3)
    assert brief[0].startswith("Negotiators")


def test_the_headline_is_never_a_bullet() -> None:
    text = (
        "Council bans cruise ships from historic harbour\n\n"
        "Council bans cruise ships from the historic harbour. "
        "The vote on Monday was seven to two, after a year of complaints about crowds and fumes. "
        "Operators said they would appeal."
    )
    for method in METHODS:
        brief = _brief(text, method, 3)
        assert not any(s.startswith("Council bans cruise ships") for s in brief), (method, brief)


@pytest.mark.parametrize("method", METHODS)
def test_prompts_inside_a_joined_line_are_kept_out(method: str) -> None:
    # in the CNN/DailyMail dataset's form, a prompt that ends with a stop sits inside the article's one line
    text = (
        "Police in Derby arrested three men after a string of burglaries at homes and shops in the city centre. "
        "Follow @DerbyPolice on Twitter for the latest updates on the burglaries and the arrests in Derby. "
        "The men, aged 19, 23 and 31, were held at homes in Derby and Burton on Thursday morning after a raid. "
        "Sorry we are not currently accepting comments on this article about the Derby burglaries and arrests."
    )
    brief = _brief(text, method, 3)
    assert len(brief) == 2 and not any(s.startswith(("Follow", "Sorry")) for s in brief), brief


@pytest.mark.parametrize("method", METHODS)
def test_a_line_with_no_full_stop_is_kept_out(method: str) -> None:
    # a linked story's headline between paragraphs, and a caption line in the CNN/DailyMail dataset's form
    # (one line, " ." after each line that had no stop)
    for text, kept_out in [
        (
            "The city council voted on Monday to ban large cruise ships from the historic harbour.\n\n"
            "Kurt Cobain documentary set to premiere at Sundance\n\n"
            "The ban starts in June and covers ships of more than 2,000 passengers on every route. "
            "Operators say the harbour fees already pay for the upkeep of the quay and the lights.",
            "Kurt Cobain",
        ),
        (
            "The city council voted on Monday to ban large cruise ships from the historic harbour. "
            "Cruise ships moored in the harbour at dawn last summer, to the dismay of residents . "
            "The ban starts in June and covers ships of more than 2,000 passengers on every route. "
            "Operators say the harbour fees already pay for the upkeep of the quay and the lights.",
            "Cruise ships",
        ),
    ]:
        brief = _brief(text, method, 3)
        assert len(brief) == 3 and not any(s.startswith(kept_out) for s in brief), brief


def test_lines_without_full_stops_are_briefed_when_most_of_the_text_has_none() -> None:
    text = "\n\n".join(
        [
            "Council bans cruise ships from the harbour from June",
            "Operators say they will appeal the decision in court",
            "Traders fear the loss of passengers who spend in shops",
            "Residents welcome an end to crowds and fumes in summer",
        ]
    )
    assert len(_brief(text, "auto", 3)) == 3


def test_when_nothing_else_is_left_the_best_sentence_is_still_given() -> None:
    assert _brief("But nobody came.", "auto", 1) == ["But nobody came."]
    assert _brief('"Nobody came to the meeting at all.', "auto", 1) == ['"Nobody came to the meeting at all.']


@pytest.mark.parametrize("method", [*METHODS, "lead"])
@pytest.mark.parametrize("budget", [12, 25, 60])
def test_a_word_budget_is_never_cut_inside_a_sentence_nor_passed_by_more_than_one(method: str, budget: int) -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "data" / "article.txt").read_text(encoding="utf-8")
    doc = prepare(text)
    summary = nlpkit.summarize(doc, method=method, length=f"{budget}w")
    whole = {s.text for s in join_quotes(doc).sentences} | {s.text for s in doc.sentences}
    assert all(s.text in whole for s in summary.sentences)  # whole sentences only
    counts = [len(s.text.split()) for s in summary.sentences]
    assert sum(counts) <= budget or len(counts) == 1
    assert LengthSpec.parse(f"{budget}w").words == budget


CHINESE = (
    "东京地铁新线开通\n\n"
    "东京都周一宣布，一条新的地铁线路正式开通运营。这条线路全长二十公里，连接市中心和机场。"
    "首日乘客超过十万人，远超预期。市长在开通仪式上表示，这是城市交通史上历史性的一天。"
    "新线路的建设耗时八年，总投资约五千亿日元。部分居民抱怨施工期间的噪音问题。"
)


@pytest.mark.parametrize("method", [*METHODS, "lead"])
def test_chinese_has_a_headline_sentences_and_a_word_budget_by_character(method: str) -> None:
    """Chinese is written without spaces: its sentences end at 。, and a character counts as a word."""
    summary = nlpkit.summarize(CHINESE, method=method, length="50w")
    assert summary.title == "东京地铁新线开通"
    chars = [len(s.text) for s in summary.sentences]
    assert all(s.text.endswith("。") and "。" not in s.text[:-1] for s in summary.sentences)
    assert 1 < len(chars) <= 3 and sum(chars) <= 50
    assert summary.text == "".join(s.text for s in summary.sentences)  # no space after 。


def test_a_hindi_headline_and_its_sentences() -> None:
    text = "भारत में चुनाव\n\nचुनाव आयोग ने सोमवार को नई तारीखों की घोषणा की। मतदान सात चरणों में होगा। विपक्ष ने आलोचना की।"
    summary = nlpkit.summarize(text, length=2)
    assert summary.title == "भारत में चुनाव"
    assert [s.text[-1] for s in summary.sentences] == ["।", "।"]
