"""What every summarizer shares: the protocol, the registry of methods and sentence selection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from nlpkit.registry import Registry
from nlpkit.summarizers.length import LengthSpec
from nlpkit.types import Document, ScoredSentence, Summary


class Summarizer(Protocol):
    """Takes a segmented document and a length; returns sentences in document order."""

    name: str

    def summarize(self, doc: Document, length: LengthSpec) -> Summary: ...


SummarizerFactory = Callable[..., Summarizer]
SUMMARIZERS: Registry[SummarizerFactory] = Registry("summarization method")
for _name, _cls in {
    "auto": "AutoSummarizer",
    "lead": "LeadSummarizer",
    "textrank": "TextRankSummarizer",
    "lexrank": "LexRankSummarizer",
    "centroid": "CentroidSummarizer",
}.items():
    SUMMARIZERS.add_lazy(_name, f"nlpkit.summarizers.extractive:{_cls}")
SUMMARIZERS.add_lazy("abstractive", "nlpkit.summarizers.abstractive:AbstractiveSummarizer")


def select(
    doc: Document,
    scores: Sequence[float],
    length: LengthSpec,
    *,
    method: str,
    redundancy: Callable[[int, list[int]], float] | None = None,
    max_overlap: float = 1.0,
    penalty: float = 0.0,
) -> Summary:
    """Pick sentences by score until the length is met; return them in document order.

    `redundancy(i, chosen)` gives the highest similarity of sentence `i` to those chosen;
    a sentence above `max_overlap` is skipped and the rest are ranked by
    `score - penalty * redundancy` (maximal marginal relevance).
    """
    n = len(doc.sentences)
    if n == 0:
        return Summary(sentences=(), method=method, length=str(length))
    k = length.sentence_count(n)
    budget = length.words
    chosen: list[int] = []
    words = 0

    def take(i: int) -> bool:
        """Add sentence i if it fits; return True when the summary is full."""
        nonlocal words
        w = len(doc.sentences[i].text.split())
        if budget is None:
            chosen.append(i)
            return len(chosen) >= k
        if chosen and words + w > budget:
            return False
        chosen.append(i)
        words += w
        return words >= budget

    ranked = sorted(range(n), key=lambda i: (-scores[i], i))
    if redundancy is None:
        for i in ranked:
            if take(i):
                break
    else:
        # Maximal marginal relevance over the best-scored candidates.
        pool = ranked[: max(4 * k, 60)] if budget is None else ranked[:200]
        while pool:
            best = max(pool, key=lambda i: (scores[i] - penalty * redundancy(i, chosen), -i))
            pool.remove(best)
            if chosen and redundancy(best, chosen) > max_overlap:
                continue
            if take(best):
                break
    chosen.sort()
    picked = tuple(
        ScoredSentence(text=s.text, start=s.start, end=s.end, index=s.index, score=float(scores[s.index]))
        for s in (doc.sentences[i] for i in chosen)
    )
    return Summary(sentences=picked, method=method, length=str(length))
