"""Model parameters checked before any work: one rule per parameter name, shared by every backend.

A parameter means the same thing wherever it appears (`C`, `max_length`, `epochs`, ...), so one
table says what each may hold. `check_params` runs when an estimator is made, so `--param
C=high` or `-p min_df=-3` is one clear usage error before the data is read, not a failure after
minutes of loading.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nlpkit.errors import UsageError


@dataclass(frozen=True)
class Rule:
    """What a parameter may hold, said in words and checked by `test`."""

    what: str
    test: Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def whole(low: int, high: int = 2**31, *, none: bool = False) -> Rule:
    what = f"a whole number from {low:,}" + (f" to {high:,}" if high < 2**31 else " up")
    return Rule(
        what + (", or null" if none else ""), lambda v: (none and v is None) or (_is_int(v) and low <= v <= high)
    )


def number(low: float = -math.inf, high: float = math.inf, *, above: bool = False, also: tuple[Any, ...] = ()) -> Rule:
    bound = f"above {low:g}" if above else f"from {low:g}" if low > -math.inf else ""
    top = f" to {high:g}" if high < math.inf else ""
    extra = "".join(f" or {x!r}" for x in also)
    return Rule(
        f"a number {bound}{top}{extra}".replace("  ", " "),
        lambda v: (
            v in also
            if isinstance(v, str | type(None))
            else _is_number(v) and (v > low if above else v >= low) and v <= high
        ),
    )


def one_of(*choices: Any) -> Rule:
    return Rule(
        "one of " + ", ".join(repr(c) for c in choices),
        lambda v: isinstance(v, str | bool | type(None)) and v in choices,
    )


FLAG = Rule("true or false", lambda v: isinstance(v, bool))
TEXT = Rule("text", lambda v: isinstance(v, str))
POSITIVE = number(0, above=True)
SEED = whole(0, 2**32 - 1)

#: What every parameter name may hold, across backends and summarizer trainers.
RULES: dict[str, Rule] = {
    "C": number(0, above=True, also=("auto",)),
    "C_grid": Rule(
        "a list of numbers above 0",
        lambda v: isinstance(v, list | tuple) and bool(v) and all(_is_number(x) and x > 0 for x in v),
    ),
    "alpha": number(0, above=True),
    "short_weight": number(0, also=("auto",)),
    "split_by": one_of("auto", "target", "text", "pair"),
    "short_tokens": whole(1, 100_000),
    "claims": FLAG,
    "cv": whole(2, 100),
    "min_df": whole(1, none=True),
    "features": TEXT,
    "class_weight": one_of(None, "balanced"),
    "budget": POSITIVE,
    "random_state": SEED,
    "model": TEXT,
    "svd_components": whole(1, 10_000),
    "max_features": whole(1, 10_000_000),
    "max_iter": whole(1, 100_000),
    "learning_rate": POSITIVE,
    "base_model": TEXT,
    "max_length": whole(8, 1_000_000),
    "batch_size": whole(1, 1_000_000),
    "device": one_of("auto", "cpu", "cuda"),
    "stride": whole(0, 1_000_000, none=True),
    "max_windows": whole(1, 10_000),
    "aggregate": one_of("mean", "max", "first"),
    "epochs": whole(1, 10_000),
    "gradient_accumulation_steps": whole(1, 10_000),
    "weight_decay": number(0),
    "warmup_ratio": number(0, 1),
    "early_stopping": FLAG,
    "validation_fraction": number(0, 1, above=True),
    "n_iter_no_change": whole(1, 10_000),
    "precision": one_of("auto", "fp32", "fp16", "bf16"),
    "verbose": whole(0, 10),
    "max_oracle": whole(1, 100),
    "target": one_of("oracle", "overlap"),
    "auto_features": FLAG,
    "lowercase": FLAG,
}


def check_params(params: Mapping[str, Any], where: str) -> None:
    """Refuse a parameter value its rule does not allow (one line naming the parameter and what it may hold).

    Example:
        >>> check_params({"C": "high"}, "backend 'tfidf'")
        Traceback (most recent call last):
        ...
        nlpkit.errors.UsageError: backend 'tfidf': parameter C='high' must be a number above 0 or 'auto'
    """
    for key, value in params.items():
        rule = RULES.get(key)
        if rule is not None and not rule.test(value):
            raise UsageError(f"{where}: parameter {key}={value!r} must be {rule.what}")
