"""Features of a (target, text) pair for stance: relatedness, overlap, cue words, negation.

`PairFeaturizer` turns pairs into dense rows: cosines between target and text (whole and
opening) in a TF-IDF space, word and n-gram overlap, refuting and hedging cue words,
negation near shared words, lengths, and low-rank (SVD) views of the target, the text and
their product. It needs numpy only; `nlpkit.classifiers.stance_features.PairFeatures` fits it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader
from nlpkit.classifiers.claims import CLAIM_FEATURES, claims_matrix
from nlpkit.errors import ModelError
from nlpkit.predictors import Arrays, TfidfTransform
from nlpkit.text.tokens import content_of, stem, tokens

REFUTING = frozenset(
    """fake fraud fraudulent hoax false falsely deny denies denied denying debunk debunked debunks not
    bogus doubt doubts doubted dispute disputed disputes refute refuted refutes retract retracted
    untrue unfounded misleading rumour rumor prank pranks satire satirical nope never myth wrong
    incorrect fabricated made-up baseless""".split()
)
HEDGING = frozenset(
    """allegedly alleged reportedly report reports reported claim claims claimed claiming according
    rumoured rumored unconfirmed unverified may might could possibly apparently purportedly
    appears appear seems seem suggest suggests suggested believed sources source speculation
    speculate speculated if whether unclear""".split()
)
NEGATION = frozenset(
    "not no never nothing none nobody neither nor cannot isn't wasn't aren't weren't don't doesn't didn't won't can't n't deny denies denied".split()
)


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


class _Side:
    """What the features need of one side of a pair, computed once per distinct text."""

    def __init__(self, text: str) -> None:
        tok = tokens(text)
        self.tokens = tok
        self.content = content_of(tok)
        lead = self.content[:60]
        self.words, self.lead_words = set(self.content), set(lead)
        self.grams = {n: _ngrams(self.content, n) for n in (2, 3)}
        self.lead_grams = {n: _ngrams(lead, n) for n in (2, 3)}
        n = max(1, len(tok))
        self.cues = [
            sum(w in REFUTING for w in tok),
            sum(w in HEDGING for w in tok),
            sum(w in NEGATION for w in tok),
            1000 * sum(w in REFUTING for w in tok) / n,
            1000 * sum(w in HEDGING for w in tok) / n,
            1000 * sum(w in NEGATION for w in tok) / n,
            sum(w in REFUTING for w in tok[:80]),
            sum(w in HEDGING for w in tok[:80]),
        ]
        # Content words within five words after each negation.
        self.negated = [{stem(x) for x in tok[i + 1 : i + 6]} for i, w in enumerate(tok) if w in NEGATION]


def pair_cues(target: str, text: str, *, _cache: dict[str, _Side] | None = None) -> list[float]:
    """Hand-made features of one pair (no fitted state).

    Example:
        >>> f = pair_cues("Man bites dog", "A man bites a dog, police said, but the dog denies it.")
        >>> f[0]  # share of the target's words found in the text
        1.0
    """
    cache = _cache if _cache is not None else {}
    t = cache.get(target) or cache.setdefault(target, _Side(target))
    b = cache.get(text) or cache.setdefault(text, _Side(text))
    ts = t.words
    n_t = max(1, len(ts))
    feats = [len(ts & b.words) / n_t, len(ts & b.lead_words) / n_t, len(ts & b.words) / max(1, len(ts | b.words))]
    for n in (2, 3):
        tg = t.grams[n]
        feats.append(len(tg & b.grams[n]) / max(1, len(tg)))
        feats.append(len(tg & b.lead_grams[n]) / max(1, len(tg)))
    near = sum(1 for window in b.negated if window & ts)
    n_b = max(1, len(b.tokens))
    feats += t.cues[:3] + b.cues[3:]
    feats += [1000 * near / n_b, math.log1p(len(t.tokens)), math.log1p(len(b.tokens)), "?" in target]
    return [float(x) for x in feats]


#: How many numbers `pair_cues` gives per pair.
N_CUES = 19


class PairFeaturizer:
    """Dense features of (target, text) pairs from a fitted vocabulary and SVD basis."""

    def __init__(self, vectorizer: TfidfTransform, components: np.ndarray, claims: bool = False) -> None:
        """`claims`: add the claim checks of `nlpkit.classifiers.claims` (negation, opposites, numbers, names)."""
        if components.ndim != 2 or components.shape[1] != vectorizer.width:
            raise ValueError(f"SVD basis of shape {components.shape} for {vectorizer.width} terms")
        self.vectorizer = vectorizer
        self.basis = np.ascontiguousarray(np.asarray(components, dtype=np.float64).T)  # terms x k
        self.claims = claims

    def transform(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        targets = [str(t) for t, _ in pairs]
        texts = [str(b) for _, b in pairs]
        # Pairs repeat their texts (one body, many headlines): vectorise each distinct text once.
        uniq = list(dict.fromkeys([*targets, *texts]))
        row = {t: i for i, t in enumerate(uniq)}
        vec = self.vectorizer.transform(uniq)
        lead = self.vectorizer.transform([" ".join(t.split()[:80]) for t in uniq])
        low = vec.dot(self.basis)
        ti = [row[t] for t in targets]
        bi = [row[t] for t in texts]
        tv = vec.take(ti)
        cos = tv.multiply_rows(vec.take(bi))
        cos_lead = tv.multiply_rows(lead.take(bi))
        ts, bs = low[ti], low[bi]
        cache: dict[str, _Side] = {}
        cues = np.array([pair_cues(t, b, _cache=cache) for t, b in zip(targets, texts, strict=True)])
        cues = cues.reshape(len(pairs), -1) if len(pairs) else np.zeros((0, N_CUES))
        blocks = [cos[:, None], cos_lead[:, None], cues, ts, bs, ts * bs]
        if self.claims:
            blocks.append(claims_matrix(list(zip(targets, texts, strict=True))))
        return np.hstack(blocks)

    def config(self) -> dict[str, Any]:
        out: dict[str, Any] = {"vectorizer": self.vectorizer.config(), "components": int(self.basis.shape[1])}
        if self.claims:
            out["claims"] = True
        return out

    def arrays(self) -> Arrays:
        return {**{f"vectorizer.{k}": v for k, v in self.vectorizer.arrays().items()}, "components": self.basis.T}

    @property
    def width(self) -> int:
        """Features per pair: two cosines, the cues, three SVD views, and the claim checks when asked for."""
        return 2 + N_CUES + 3 * self.basis.shape[1] + (len(CLAIM_FEATURES) if self.claims else 0)

    @classmethod
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> PairFeaturizer:
        vectorizer = TfidfTransform.from_parts(spec.sub("vectorizer"), arrays.scope("vectorizer"))
        try:
            return cls(vectorizer, arrays.get("components", 2, "f"), claims=spec.flag("claims", False))
        except ValueError as e:
            raise ModelError(f"{arrays.where}: {e}") from e
