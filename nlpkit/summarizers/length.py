"""Summary length as a spec: `3` sentences, `20%` of the sentences, or a `60w` word budget."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nlpkit.errors import UsageError

_SPEC = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|w|words?|s|sentences?)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class LengthSpec:
    """How long a summary should be.

    Example:
        >>> LengthSpec.parse("20%").sentence_count(12)
        2
        >>> LengthSpec.parse("60w").words
        60
    """

    sentences: int | None = None
    ratio: float | None = None
    words: int | None = None

    @classmethod
    def parse(cls, spec: str | int | LengthSpec) -> LengthSpec:
        if isinstance(spec, LengthSpec):
            return spec
        if isinstance(spec, int) and not isinstance(spec, bool):
            spec = str(spec)
        elif not isinstance(spec, str):
            raise TypeError(
                f"length must be an int or a str, not {type(spec).__name__}: a sentence count (3), "
                "a percentage ('20%') or words ('60w')"
            )
        m = _SPEC.match(spec)
        if not m:
            raise UsageError(
                f"length {spec!r} is not a length: use a sentence count (3), a percentage (20%) or words (60w)"
            )
        value = float(m.group(1))
        unit = (m.group(2) or "s").lower()
        if value <= 0:
            raise UsageError(f"length {spec!r} must be greater than zero")
        if unit == "%":
            if value > 100:
                raise UsageError(f"length {spec!r}: a percentage must be at most 100%")
            return cls(ratio=value / 100)
        if not value.is_integer():
            raise UsageError(f"length {spec!r}: sentence and word counts must be whole numbers")
        if unit.startswith("w"):
            return cls(words=int(value))
        return cls(sentences=int(value))

    def sentence_count(self, n_sentences: int) -> int:
        """Sentences to select from a document of `n_sentences` (never fewer than one)."""
        if self.ratio is not None:
            k = math.floor(self.ratio * n_sentences + 0.5)
        elif self.sentences is not None:
            k = self.sentences
        else:
            k = n_sentences
        return max(1, min(k, n_sentences))

    def __str__(self) -> str:
        if self.ratio is not None:
            return f"{self.ratio * 100:g}%"
        if self.words is not None:
            return f"{self.words}w"
        return str(self.sentences)
