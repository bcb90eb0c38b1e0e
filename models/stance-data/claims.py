"""Claims an article supports, and the same claims made false, for training and checking stance models.

Following FactCC (Kryscinski et al. 2020), a claim the article supports is turned into one it
contradicts by a rule: negation ("will" -> "will not", "approved" -> "did not approve"), an
opposite word (approves -> rejects, rose -> fell, won -> lost), a number the article never states,
two of its numbers swapped (41 votes to 19 -> 19 votes to 41), or two names swapped (who did what). Supported claims are the articles' own highlights
(CNN/DailyMail) or lead sentences; unrelated claims are another article's.

    python models/stance-data/claims.py OUT.jsonl [--data DIR] [--part train|bench]

writes `{"id", "target", "text", "label", "kind", "source"}` rows with FNC-1's labels: `agree`
(kind `supported`), `disagree` (kinds `negated`, `opposite`, `number`, `reordered`, `swapped`) and
`unrelated`.
`--part train` uses 80 % of cnndm_train's articles and the FNC-1 training bodies; `--part bench`
the other 20 % and bbc_summary's articles (never trained on), for `bench/claims.py`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from nlpkit.text.facts import names, numbers  # noqa: E402

_AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|has|have|had|should|must|may|might|does|do|did)\b(?! not\b)")
_NOT = re.compile(r"\b(is|are|was|were|will|would|can|could|has|have|had|should|must|does|do|did) not\b")
_PAST = re.compile(r"\b([a-z]{3,}ed)\b")
_SURFACE = [
    ("approved", "rejected"), ("approves", "rejects"), ("approve", "reject"), ("accepted", "rejected"),
    ("rose", "fell"), ("rises", "falls"), ("rising", "falling"), ("risen", "fallen"), ("increased", "decreased"),
    ("increase", "decrease"), ("increases", "decreases"), ("won", "lost"), ("wins", "loses"), ("win", "lose"),
    ("raised", "cut"), ("raises", "cuts"), ("higher", "lower"), ("more", "fewer"), ("banned", "allowed"),
    ("bans", "allows"), ("ban", "allow"), ("guilty", "innocent"), ("opened", "closed"), ("opens", "closes"),
    ("supports", "opposes"), ("supported", "opposed"), ("support", "oppose"), ("confirmed", "denied"),
    ("confirms", "denies"), ("admitted", "denied"), ("bought", "sold"), ("buys", "sells"), ("hired", "fired"),
    ("joined", "left"), ("joins", "leaves"), ("gained", "lost"), ("gains", "losses"), ("survived", "died"),
    ("alive", "dead"), ("convicted", "acquitted"), ("released", "arrested"), ("passed", "failed"),
    ("succeeded", "failed"), ("expanded", "shrank"), ("grew", "shrank"), ("boosted", "cut"), ("strong", "weak"),
    ("first", "last"), ("before", "after"), ("agreed", "refused"), ("allowed", "banned"), ("ended", "began"),
    ("started", "ended"), ("up", "down"), ("largest", "smallest"), ("best", "worst"), ("highest", "lowest"),
]
OPPOSITE_WORD = {**dict(_SURFACE), **{b: a for a, b in _SURFACE}}


def _lemma(past: str) -> str:
    """A regular past tense's base form, roughly: approved -> approve, rejected -> reject, banned -> ban."""
    if past.endswith("ied"):
        return past[:-3] + "y"
    if len(past) > 5 and past[-3] == past[-4] and past[-3] not in "ls":
        return past[:-3]
    if past[-3] in "vcszgu" or past.endswith(
        ("ated", "ised", "ized", "osed", "uced", "ared", "ored", "ided", "uded", "oted", "uted", "ived", "ured", "ased")
    ):
        return past[:-1]
    return past[:-2]


def negate(claim: str) -> str | None:
    """The claim negated (or, when it is negative, affirmed); None when no rule applies."""
    short = re.search(r"\b(\w+)n['’]t\b", claim)
    if short:
        base = {"wo": "will", "ca": "can", "sha": "shall"}.get(short.group(1).lower(), short.group(1))
        return claim[: short.start()] + base + claim[short.end() :]
    if _NOT.search(claim):
        return _NOT.sub(lambda m: m.group(1), claim, count=1)
    m = _AUX.search(claim)
    if m:
        return claim[: m.end()] + " not" + claim[m.end() :]
    m = _PAST.search(claim)
    if m and m.start() > 0:
        return claim[: m.start()] + "did not " + _lemma(m.group(1)) + claim[m.end() :]
    return None


def oppose(claim: str) -> str | None:
    """The claim with one word turned into its opposite; None when it has none."""
    for m in re.finditer(r"[A-Za-z]+", claim):
        word = m.group()
        other = OPPOSITE_WORD.get(word.lower())
        if other:
            other = other.capitalize() if word[0].isupper() else other
            return claim[: m.start()] + other + claim[m.end() :]
    return None


def renumber(claim: str, article: str, rng: random.Random) -> str | None:
    """The claim with one number changed to one the article never states; None when it has none."""
    stated = numbers(article)
    for m in re.finditer(r"(?<![\w.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\w,])|(?<![\w.])\d+(?![\w.,])", claim):
        raw = m.group()
        value = float(raw.replace(",", ""))
        for _ in range(20):
            if 1900 <= value <= 2100 and "." not in raw:
                new = value + rng.choice([-3, -2, -1, 1, 2, 3])
            else:
                new = value * rng.choice([0.5, 2, 3, 1.5, 0.25]) if value >= 4 else value + rng.choice([2, 3, 5])
            text = f"{new:,.0f}" if "," in raw else (f"{new:g}" if "." in raw else f"{round(new):d}")
            if text not in stated and text.replace(",", "") not in stated and text != raw:
                return claim[: m.start()] + text + claim[m.end() :]
    return None


def reorder(claim: str) -> str | None:
    """The claim with its first two different numbers swapped (a vote of 41 to 19 made 19 to 41); None when it
    has fewer than two."""
    found = list(re.finditer(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w,])", claim))
    for other in found[1:]:
        first = found[0]
        if other.group() != first.group():
            return (
                claim[: first.start()] + other.group() + claim[first.end() : other.start()] + first.group()
                + claim[other.end() :]
            )
    return None


def swap_names(claim: str, article: str, rng: random.Random) -> str | None:
    """The claim with two of its names swapped, or one replaced by another name from the article."""
    found = list(dict.fromkeys(names(claim)))
    spans = []
    for n in found:
        m = re.search(re.escape(n), claim, re.IGNORECASE)
        if m:
            spans.append((m.start(), m.end()))
    if len(spans) >= 2:
        (a0, a1), (b0, b1) = sorted(spans[:2])
        if a1 <= b0:
            return claim[:a0] + claim[b0:b1] + claim[a1:b0] + claim[a0:a1] + claim[b1:]
    others = [n for n in dict.fromkeys(names(article)) if n not in found and len(n) > 3]
    if spans and others:
        start, end = spans[0]
        other = rng.choice(others)
        return claim[:start] + " ".join(w.capitalize() for w in other.split()) + claim[end:]
    return None


def transformed(claim: str, article: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(kind, false claim) for every rule that applies, in a fixed order."""
    for kind, made in (
        ("negated", negate(claim)),
        ("opposite", oppose(claim)),
        ("number", renumber(claim, article, rng)),
        ("reordered", reorder(claim)),
        ("swapped", swap_names(claim, article, rng)),
    ):
        if made and made != claim:
            yield kind, made


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def articles(data: Path, part: str) -> list[tuple[str, str, list[str], str]]:
    """(id, article, supported claims, source) for the part: cnndm_train's highlights split 80/20 by article, plus
    FNC-1 bodies' lead sentences (train) or bbc_summary's summary sentences (bench)."""
    cnn = _rows(data / "cnndm_train" / "pairs.jsonl")
    rng = random.Random(0)
    order = list(range(len(cnn)))
    rng.shuffle(order)
    cut = int(0.8 * len(order))
    chosen = order[:cut] if part == "train" else order[cut:]
    out = []
    for i in sorted(chosen):
        r = cnn[i]
        claims = [line.strip() for line in r["summary"].split("\n") if len(line.split()) >= 5]
        out.append((f"cnndm:{r['id']}", r["text"], claims, "cnndm_train"))
    if part == "train":
        with (data / "fnc1" / "train_bodies.csv").open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                body = r["articleBody"]
                lead = re.split(r"(?<=[.!?])\s+", body.strip())[:2]
                claims = [s for s in lead if 6 <= len(s.split()) <= 40]
                out.append((f"fnc1:{r['Body ID']}", body, claims, "fnc1_bodies"))
    else:
        for r in _rows(data / "bbc_summary" / "bbc_summary.jsonl")[::4]:
            claims = [s for s in re.split(r"(?<=[.!?])\s*", r["summary"]) if 6 <= len(s.split()) <= 40][:3]
            out.append((f"bbc:{r['id']}", r["title"] + "\n\n" + r["text"], claims, "bbc_summary"))
    return out


def claim_rows(data: Path, part: str, seed: int = 0) -> list[dict[str, Any]]:
    """Supported, false and unrelated claims against their articles."""
    rng = random.Random(seed)
    arts = articles(data, part)
    rows: list[dict[str, Any]] = []
    for n, (aid, text, claims, source) in enumerate(arts):
        for j, claim in enumerate(claims):
            base = {"text": text, "source": source}
            rows.append({**base, "id": f"{aid}:{j}:supported", "target": claim, "label": "agree", "kind": "supported"})
            made = dict(transformed(claim, text, rng))
            # training: one false claim, the rarer kinds first; checking: every kind that applies
            kinds = list(made) if part == "bench" else [k for k in ("number", "opposite", "negated", "swapped") if k in made][:1]
            if part != "bench" and kinds and kinds[0] in ("negated", "swapped"):
                kinds = [rng.choice([k for k in ("negated", "swapped") if k in made])]
            if part != "bench" and "reordered" in made and rng.random() < 0.5:  # half the claims with two numbers
                kinds = ["reordered"]
            for kind in kinds:
                rows.append({**base, "id": f"{aid}:{j}:{kind}", "target": made[kind], "label": "disagree", "kind": kind})
            other = arts[(n + 1 + rng.randrange(len(arts) - 1)) % len(arts)]
            if other[2]:
                rows.append(
                    {**base, "id": f"{aid}:{j}:unrelated", "target": rng.choice(other[2]), "label": "unrelated", "kind": "unrelated"}
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--data", default=os.environ.get("NLPKIT_DATA", str(HERE.parents[2] / "shared" / "data")))
    parser.add_argument("--part", default="train", choices=("train", "bench"))
    a = parser.parse_args()
    rows = claim_rows(Path(a.data), a.part)
    with open(a.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"{len(rows)} claims -> {a.out}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
