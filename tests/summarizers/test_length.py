from __future__ import annotations

import pytest

from nlpkit.errors import UsageError
from nlpkit.summarizers.length import LengthSpec


@pytest.mark.parametrize(
    ("spec", "n", "k"),
    [("3", 10, 3), ("3", 2, 2), ("20%", 10, 2), ("20%", 3, 1), ("1%", 50, 1), ("100%", 7, 7), (5, 10, 5)],
)
def test_sentence_counts(spec: str | int, n: int, k: int) -> None:
    assert LengthSpec.parse(spec).sentence_count(n) == k


def test_word_budget_and_str() -> None:
    spec = LengthSpec.parse("60w")
    assert spec.words == 60
    assert str(spec) == "60w"
    assert str(LengthSpec.parse("20%")) == "20%"
    assert str(LengthSpec.parse("3")) == "3"


@pytest.mark.parametrize("bad", ["", "abc", "0", "-2", "150%", "2.5", "3x"])
def test_bad_specs(bad: str) -> None:
    with pytest.raises(UsageError):
        LengthSpec.parse(bad)


@pytest.mark.parametrize("bad", [0.2, 3.0, True, None])
def test_a_length_of_another_type_names_the_forms_it_takes(bad: object) -> None:
    # 0.2 used to fail inside the pattern match: "expected string or bytes-like object, got 'float'".
    with pytest.raises(TypeError, match=r"length must be .* not (float|bool|NoneType).*'20%'"):
        LengthSpec.parse(bad)  # type: ignore[arg-type]
