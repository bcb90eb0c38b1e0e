"""Checking a claim against an article: the sentence that bears on it most, and how they differ.

The article sentence that shares the most of the claim's content words is its evidence (offsets
kept, for a reader to check). Against that sentence, and against the whole article, the claim's
checkable facts are compared (`nlpkit.text.facts`): negation on one side only, a word whose
opposite the article uses, numbers, dates and names the article does not state, two names in the
opposite order, two numbers in the opposite order, and how much of the claim's wording (numbers
aside) the evidence has. These are the features a stance model needs to tell a contradicted claim from a
supported one; they need no fitting.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from nlpkit.text.facts import (
    dates,
    in_other_order,
    names,
    negated,
    number_order,
    number_words,
    numbers,
    opposites,
    swapped,
    words,
)
from nlpkit.text.segment import segment
from nlpkit.text.tokens import content_of
from nlpkit.types import Evidence, Sentence

#: The features `claim_features` gives, in order.
CLAIM_FEATURES = (
    "best_overlap",
    "second_overlap",
    "best_position",
    "claim_negated",
    "evidence_negated",
    "negation_differs",
    "opposite_in_evidence",
    "opposite_in_article",
    "claim_numbers",
    "numbers_not_in_article",
    "numbers_not_in_evidence",
    "numbers_in_evidence",
    "claim_names",
    "names_not_in_article",
    "names_swapped",
    "dates_not_in_article",
    "words_in_evidence",
    "numbers_reordered",
)
#: Sentences of an article looked at (its start: where news puts what it claims).
MAX_SENTENCES = 200


def content(tokens: list[str]) -> set[str]:
    """Content-word stems, a plural's "s" taken off short words too ("bans" and "ban" are one word here)."""
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in content_of(tokens)}


class ArticleFacts:
    """What the checks need of one article, computed once however many claims are checked against it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: tuple[Sentence, ...] = segment(text).sentences[:MAX_SENTENCES]
        self.words = [words(s.text) for s in self.sentences]
        self.stems = [content(w) for w in self.words]
        self.all_stems = set().union(*self.stems) if self.stems else set()
        self.all_words = [w for ws in self.words for w in ws]
        self.vocabulary = set(self.all_words)
        self.numbers = numbers(text)
        self.sentence_order = [number_order(s.text) for s in self.sentences]  # digits, in order
        self.sentence_numbers = [
            set(o) | number_words(s.text) for o, s in zip(self.sentence_order, self.sentences, strict=True)
        ]
        self.dates = dates(text)

    def ranked(self, claim_stems: set[str]) -> list[tuple[float, int]]:
        """(share of the claim's content words, sentence) best first; earlier sentences first among equals."""
        n = max(1, len(claim_stems))
        return sorted(((len(claim_stems & s) / n, -i) for i, s in enumerate(self.stems)), reverse=True)


@functools.lru_cache(maxsize=256)
def article_facts(text: str) -> ArticleFacts:
    """`ArticleFacts` of a text, kept for the next few calls: a batch's features and its evidence read each
    article once (an article is checked against many claims)."""
    return ArticleFacts(text)


def evidence(claim: str, article: ArticleFacts) -> Evidence | None:
    """The sentence of the article that bears most on the claim: of those sharing most of its content words,
    the first that contradicts it (an opposite word, another number, the other polarity), else the closest
    (None for an empty article).

    Example:
        >>> art = ArticleFacts("The council met on Monday. It voted to ban cruise ships from the old town.")
        >>> evidence("Council bans cruise ships", art).text
        'It voted to ban cruise ships from the old town.'
        >>> art = ArticleFacts("The council voted in 2025 to ban cruise ships. The ban passed by 41 votes to 19.")
        >>> evidence("The cruise ship ban passed by 30 votes to 12", art).text
        'The ban passed by 41 votes to 19.'
    """
    found = _evidence_at(ClaimFacts(claim), article)
    if found is None:
        return None
    score, i, _ = found
    s = article.sentences[i]
    return Evidence(text=s.text, start=s.start, end=s.end, score=score)


class ClaimFacts:
    """What the checks need of one claim, computed once for the sentences it is held against."""

    def __init__(self, claim: str) -> None:
        self.text = claim
        self.tokens = words(claim)
        self.stems = content(self.tokens)
        self.number_order = number_order(claim)
        self.numbers = set(self.number_order) | number_words(claim)
        self.negated = negated(self.tokens)


#: A sentence sharing at least this share of the best sentence's overlap may be the evidence when it contradicts.
NEAR_BEST = 0.6


def _evidence_at(claim: ClaimFacts, article: ArticleFacts) -> tuple[float, int, list[tuple[float, int]]] | None:
    """(overlap share, sentence index) of the evidence sentence for a claim, and the article's sentences
    ranked by overlap with it."""
    ranked = article.ranked(claim.stems)
    if not ranked:
        return None
    best = ranked[0][0]
    mine = claim.numbers
    for score, i in ranked[:5]:
        if score <= 0 or score < NEAR_BEST * best:
            break
        ev_words = article.words[-i]
        theirs = article.sentence_numbers[-i]
        other_numbers = bool(mine) and len(theirs) >= len(mine) and bool(mine - theirs)  # numbers told otherwise
        told_otherwise = other_numbers or in_other_order(claim.number_order, article.sentence_order[-i])
        if opposites(claim.tokens, ev_words) or told_otherwise or negated(ev_words) != claim.negated:
            return score, -i, ranked
    return best, -ranked[0][1], ranked


def claim_features(claim: str, article: ArticleFacts) -> list[float]:
    """`CLAIM_FEATURES` of one claim against one article.

    Example:
        >>> art = ArticleFacts("The council voted on Monday to approve the ban on cruise ships.")
        >>> f = dict(zip(CLAIM_FEATURES, claim_features("Council rejects cruise ship ban", art)))
        >>> f["opposite_in_evidence"], f["negation_differs"]
        (1.0, 0.0)
    """
    facts = ClaimFacts(claim)
    found = _evidence_at(facts, article)
    if found is None:
        return [0.0] * len(CLAIM_FEATURES)
    best, at, ranked = found
    tokens = facts.tokens
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    sentence = article.sentences[at]
    ev_words = article.words[at]
    ev_negated = negated(ev_words)
    mine = facts.numbers
    theirs = article.sentence_numbers[at]
    claim_names = set(names(claim, opener=True))
    # the share of the claim's words (numbers aside) in the evidence: a claim that says all the sentence says
    # but another number overlaps it less the shorter it is, though it contradicts it just as plainly
    claim_words = {w for w in facts.stems if not any(c.isdigit() for c in w)}
    return [
        best,
        second,
        at / max(1, len(article.sentences) - 1),
        float(facts.negated),
        float(ev_negated),
        float(facts.negated != ev_negated),
        float(opposites(tokens, ev_words)),
        float(opposites(tokens, article.all_words)),
        float(len(mine)),
        float(len(mine - article.numbers)),
        float(len(mine - theirs)),
        float(len(mine & theirs)),
        float(len(claim_names)),
        float(sum(1 for n in claim_names if any(w not in article.vocabulary for w in n.split()))),
        float(swapped(claim, sentence.text)),
        float(len(dates(claim) - article.dates)),
        len(claim_words & article.stems[at]) / max(1, len(claim_words)),
        float(in_other_order(facts.number_order, article.sentence_order[at])),
    ]


def claims_matrix(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """`claim_features` of (claim, article) pairs, each distinct article read once."""
    rows = [claim_features(claim, article_facts(text)) for claim, text in pairs]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(CLAIM_FEATURES))


class ClaimIndex:
    """Which of many claims an article bears on: those whose content words it mostly has (a share of at least
    `min_share`, and `min_words` words or more). Looking claims up by word keeps 200 claims over 100,000
    articles a pass over each article's words, and the stance model sees only the pairs that matter.

    Example:
        >>> index = ClaimIndex([("c1", "Council bans cruise ships"), ("c2", "Central bank cuts rates")])
        >>> [(cid, round(share, 2)) for cid, share in index.related("The council voted to ban cruise ships.")]
        [('c1', 1.0)]
    """

    def __init__(self, claims: Sequence[tuple[str, str]], *, min_share: float = 0.5, min_words: int = 2) -> None:
        self.claims = list(claims)
        self.min_share = min_share
        self.min_words = min_words
        self.stems = [content(words(text)) for _, text in self.claims]
        self.by_stem: dict[str, list[int]] = {}
        for i, stems in enumerate(self.stems):
            for st in stems:
                self.by_stem.setdefault(st, []).append(i)

    def related(self, text: str) -> list[tuple[str, float]]:
        """(claim id, share of its content words in the text) of the claims the text bears on, in claim order."""
        hits: dict[int, int] = {}
        for st in content(words(text)):
            for i in self.by_stem.get(st, ()):
                hits[i] = hits.get(i, 0) + 1
        out = []
        for i in sorted(hits):
            share = hits[i] / max(1, len(self.stems[i]))
            if hits[i] >= min(self.min_words, len(self.stems[i])) and share >= self.min_share:
                out.append((self.claims[i][0], share))
        return out
