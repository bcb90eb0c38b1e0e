from __future__ import annotations

from pathlib import Path

import pytest

from nlpkit.metrics import boundary_scores
from nlpkit.text.segment import SEGMENTERS, rule_segment, segment
from tests.text.gold import read_boundary_gold

GOLD = Path(__file__).parents[1] / "data" / "segment_gold.txt"


def _texts(text: str) -> list[str]:
    return [s.text for s in rule_segment(text).sentences]


def test_gold_set_has_enough_boundaries() -> None:
    gold = read_boundary_gold(GOLD)
    assert sum(len(starts) for _, starts in gold) >= 300


def test_boundary_precision_and_recall_on_gold_set() -> None:
    scores = boundary_scores(lambda t: [(s.start, s.end) for s in rule_segment(t).sentences], read_boundary_gold(GOLD))
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.98


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Profits rose to $1.13bn. Shares fell 2.5%.", ["Profits rose to $1.13bn.", "Shares fell 2.5%."]),
        ("He lives in the U.S. The rest is history.", ["He lives in the U.S.", "The rest is history."]),
        ("The U.S. Army said so.", ["The U.S. Army said so."]),
        ("Gen. Lee arrived on Jan. 5 at No. 10.", ["Gen. Lee arrived on Jan. 5 at No. 10."]),
        ("Author J. K. Rowling spoke. She smiled.", ["Author J. K. Rowling spoke.", "She smiled."]),
        ('"We won." He left.', ['"We won."', "He left."]),
        ('"Are you sure?" she asked. Yes.', ['"Are you sure?" she asked.', "Yes."]),
        ("Wait... What happened?", ["Wait...", "What happened?"]),
        ("Headline without stop\n\nFirst sentence.", ["Headline without stop", "First sentence."]),
        ("Points:\n- one item\n- two items", ["Points:", "- one item", "- two items"]),
        ("1. First point\n2. Second point", ["1. First point", "2. Second point"]),
        ("新线路开通。首日乘客超过十万人！是吗？", ["新线路开通。", "首日乘客超过十万人！", "是吗？"]),
        ("“这是历史性的一天。”市长说。乘客很多。", ["“这是历史性的一天。”市长说。", "乘客很多。"]),
        ("「良い。」と述べた。「悪い。」「本当？」", ["「良い。」と述べた。", "「悪い。」", "「本当？」"]),
        ("東京で開業した。 Shares rose. 利用者は多い。", ["東京で開業した。", "Shares rose.", "利用者は多い。"]),
        ("मतदान सात चरणों में होगा। विपक्ष ने आलोचना की।", ["मतदान सात चरणों में होगा।", "विपक्ष ने आलोचना की।"]),
        ("هل ستجرى الانتخابات؟ قالت المعارضة ذلك.", ["هل ستجرى الانتخابات؟", "قالت المعارضة ذلك."]),
        # German: an ordinal's full stop before a month or a noun, and abbreviations (z. B., ca., Mio.)
        (
            "Am 3. Oktober feiert Deutschland. Der 1. FC Köln gewann. Im 20. Jahrhundert war es anders.",
            ["Am 3. Oktober feiert Deutschland.", "Der 1. FC Köln gewann.", "Im 20. Jahrhundert war es anders."],
        ),
        (
            "Die Regierung plant z. B. neue Steuern. Es kamen ca. 500 Menschen. Es kostet 5 Mio. Euro. Das war d. h. gut.",
            [
                "Die Regierung plant z. B. neue Steuern.",
                "Es kamen ca. 500 Menschen.",
                "Es kostet 5 Mio. Euro.",
                "Das war d. h. gut.",
            ],
        ),
        ("Die Zahl stieg auf 12. Die Polizei ermittelt.", ["Die Zahl stieg auf 12.", "Die Polizei ermittelt."]),
        ("He was born in 1990. October came.", ["He was born in 1990.", "October came."]),
        # text lower-cased throughout (as some dataset copies are): a stop before a lower-case word ends a sentence
        (
            "the bill passed on monday. mr. smith said it was good. shares rose 2.5% in the u.s. on friday. j. k. rowling agreed.",
            [
                "the bill passed on monday.",
                "mr. smith said it was good.",
                "shares rose 2.5% in the u.s. on friday.",
                "j. k. rowling agreed.",
            ],
        ),
        ("The bill passed. it was late. Shares rose.", ["The bill passed. it was late.", "Shares rose."]),
        # Spanish opens a question and an exclamation with ¿ and ¡; German quotes „so“ (and »so«)
        (
            "El gobierno aprobó el presupuesto. ¿Qué significa? ¡Nadie lo sabe! Los impuestos subirán.",
            ["El gobierno aprobó el presupuesto.", "¿Qué significa?", "¡Nadie lo sabe!", "Los impuestos subirán."],
        ),
        (
            "Der Kanzler sagte: „Wir schaffen das.“ Die Opposition widersprach. »Nein.« Dann ging er.",
            ["Der Kanzler sagte: „Wir schaffen das.“", "Die Opposition widersprach.", "»Nein.«", "Dann ging er."],
        ),
        # Spanish, Italian and Portuguese titles
        (
            "La Sra. García habló con el Dr. Pérez. Lo dijo la Dra. Ruiz.",
            ["La Sra. García habló con el Dr. Pérez.", "Lo dijo la Dra. Ruiz."],
        ),
        ("Il Sig. Rossi e il dott. Bianchi.", ["Il Sig. Rossi e il dott. Bianchi."]),
        (
            "Los EE. UU. anunciaron sanciones. Hubo aprox. 300 heridos.",
            ["Los EE. UU. anunciaron sanciones.", "Hubo aprox. 300 heridos."],
        ),
        ("Il y avait env. 500 personnes.", ["Il y avait env. 500 personnes."]),
        ("Dhr. Jansen en mevr. De Vries waren het oneens.", ["Dhr. Jansen en mevr. De Vries waren het oneens."]),
        # ... while the English words and names they spell still end a sentence
        (
            "Customers of EE. The firm said so. Shares in ING. The bank fell. He moved to Los Angeles, CA. It rained.",
            [
                "Customers of EE.",
                "The firm said so.",
                "Shares in ING.",
                "The bank fell.",
                "He moved to Los Angeles, CA.",
                "It rained.",
            ],
        ),
        # Thai: a space between Thai letters ends a sentence; one before a number or a foreign word does not
        ("รัฐบาลลดราคาน้ำมัน 3 เดือน ประชาชนพอใจ", ["รัฐบาลลดราคาน้ำมัน 3 เดือน", "ประชาชนพอใจ"]),
        ("ธนาคาร Kasikorn ประกาศกำไร นักลงทุนดีใจ", ["ธนาคาร Kasikorn ประกาศกำไร", "นักลงทุนดีใจ"]),
    ],
)
def test_news_cases(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_offsets_point_into_the_text() -> None:
    text = "Storm hits coast\n\nWinds reached 90mph.  Power was cut.\nRoads closed."
    doc = rule_segment(text)
    for i, s in enumerate(doc.sentences):
        assert text[s.start : s.end] == s.text
        assert s.index == i
    assert [s.paragraph for s in doc.sentences] == [0, 1, 1, 1]


def test_hard_wrapped_lines_are_joined() -> None:
    text = "The council said on Tuesday that the new bus lanes would be\nopened in the spring. Work starts soon."
    assert _texts(text) == [
        "The council said on Tuesday that the new bus lanes would be\nopened in the spring.",
        "Work starts soon.",
    ]


def test_empty_and_whitespace() -> None:
    assert rule_segment("").sentences == ()
    assert rule_segment(" \n\n \t").sentences == ()


def test_registry() -> None:
    assert "rules" in SEGMENTERS
    assert segment("A b. C d.").sentences[1].text == "C d."
