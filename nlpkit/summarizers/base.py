"""What every summarizer shares: the protocol, the registry of methods and sentence selection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nlpkit.summarizers.length import LengthSpec
from nlpkit.types import Document, ScoredSentence, Summary


class Summarizer(Protocol):
    """Takes a segmented document and a length; returns sentences in document order."""

    name: str

    def summarize(self, doc: Document, length: LengthSpec) -> Summary: ...


@dataclass(frozen=True)
class Diversity:
    """Maximal marginal relevance: skip a sentence more similar than `max_overlap` to one already
    chosen, and rank the rest by `score - penalty * (its highest similarity to those chosen)`."""

    sim: np.ndarray  # sentences x sentences
    max_overlap: float = 1.0
    penalty: float = 0.0


def select(
    doc: Document,
    scores: Sequence[float] | np.ndarray,
    length: LengthSpec,
    *,
    method: str,
    diversity: Diversity | None = None,
) -> Summary:
    """Pick sentences by score until the length is met; return them in document order."""
    n = len(doc.sentences)
    if n == 0:
        return Summary(sentences=(), method=method, length=str(length))
    score = np.asarray(scores, dtype=np.float64)
    k = length.sentence_count(n)
    budget = length.words
    chosen: list[int] = []
    words = 0

    def take(i: int) -> bool:
        """Add sentence i if it fits; return True when the summary is full."""
        nonlocal words
        if budget is None:
            chosen.append(i)
            return len(chosen) >= k
        w = len(doc.sentences[i].text.split())
        if chosen and words + w > budget:
            return False
        chosen.append(i)
        words += w
        return words >= budget

    ranked = np.lexsort((np.arange(len(score)), -score))  # best first, earlier first among equals
    if diversity is None:
        for i in ranked.tolist():
            if take(i):
                break
    else:
        # over the best-scored candidates, kept in document order so that ties go to the earlier one
        pool = np.sort(ranked[: max(4 * k, 60)] if budget is None else ranked[:200])
        closest = np.zeros(len(score))  # each sentence's highest similarity to those chosen
        while len(pool):
            at = int(np.argmax(score[pool] - diversity.penalty * closest[pool]))
            best = int(pool[at])
            pool = np.delete(pool, at)
            if chosen and closest[best] > diversity.max_overlap:
                continue
            before = len(chosen)
            if take(best):
                break
            if len(chosen) > before:
                closest = np.maximum(closest, diversity.sim[:, best])
    chosen.sort()
    picked = tuple(
        ScoredSentence(text=s.text, start=s.start, end=s.end, index=s.index, score=float(score[s.index]))
        for s in (doc.sentences[i] for i in chosen)
    )
    return Summary(sentences=picked, method=method, length=str(length))
