"""What every summarizer shares: the protocol, the registry of methods and sentence selection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import Fitness
from nlpkit.text.segment import marker_end
from nlpkit.text.tokens import word_count
from nlpkit.types import Document, ScoredSentence, Sentence, Summary


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
    standalone: bool = True,
) -> Summary:
    """Pick sentences by score until the length is met; return them in document order.

    With `standalone` (all but the lead baseline), a sentence that cannot stand in a brief (an open
    quotation, a caption, a link line, a publisher's notice, the headline again:
    `nlpkit.summarizers.standalone`) is taken only when nothing else is left, and one that opens with a
    connective or a pronoun only after an earlier bullet it can lean on. A word budget is never cut
    inside a sentence; only the first sentence may exceed it.
    """
    n = len(doc.sentences)
    if n == 0:
        return Summary(sentences=(), method=method, length=str(length))
    score = np.asarray(scores, dtype=np.float64)
    picker = _Picker(doc, length.sentence_count(n), length.words, Fitness.of(doc) if standalone else None)
    ranked = np.lexsort((np.arange(len(score)), -score))  # best first, earlier first among equals
    full = False
    if diversity is None:
        full = any(picker.admit(i) for i in ranked.tolist())
    else:
        # over the best-scored candidates, kept in document order so that ties go to the earlier one
        pool = np.sort(ranked[: max(4 * picker.k, 60)] if picker.budget is None else ranked[:200])
        closest = np.zeros(len(score))  # each sentence's highest similarity to those chosen
        while len(pool) and not full:
            at = int(np.argmax(score[pool] - diversity.penalty * closest[pool]))
            best = int(pool[at])
            pool = np.concatenate((pool[:at], pool[at + 1 :]))  # (np.delete: 2.3 us, slicing: 0.9)
            if picker.chosen and closest[best] > diversity.max_overlap:
                continue
            before = len(picker.chosen)
            full = picker.admit(best)
            if len(picker.chosen) > before:
                closest = np.maximum(closest, diversity.sim[:, best])
    if not full:
        picker.fill()
    picked = tuple(_scored(doc.sentences[i], float(score[i])) for i in sorted(picker.chosen))
    return Summary(sentences=picked, method=method, length=str(length))


def _scored(s: Sentence, score: float) -> ScoredSentence:
    """A chosen sentence as a brief shows it: a list item without its marker (`1.`, `-`, `•`)."""
    cut = marker_end(s.text)
    return ScoredSentence(text=s.text[cut:], start=s.start + cut, end=s.end, index=s.index, score=score)


class _Picker:
    """The sentences chosen so far, against a count or a word budget, and those put aside."""

    def __init__(self, doc: Document, k: int, budget: int | None, fitness: Fitness | None) -> None:
        self.doc, self.k, self.budget, self.fitness = doc, k, budget, fitness
        self.chosen: list[int] = []
        self.words = 0
        self.waiting: list[int] = []  # fit for a brief, but only after an earlier bullet
        self.unfit: list[int] = []  # taken only when nothing else is left

    def take(self, i: int) -> bool:
        """Add sentence i if it fits; return True when the summary is full."""
        if self.budget is None:
            self.chosen.append(i)
            return len(self.chosen) >= self.k
        w = word_count(self.doc.sentences[i].text)
        if self.chosen and self.words + w > self.budget:
            return False
        self.chosen.append(i)
        self.words += w
        return self.words >= self.budget

    def admit(self, i: int) -> bool:
        """Take sentence i if it may stand here (True when full); else put it aside."""
        if self.fitness is not None:
            if self.fitness.defect(i) is not None:
                self.unfit.append(i)
                return False
            if not self.fitness.may_follow(i, self.chosen):
                self.waiting.append(i)
                return False
        return self.take(i)

    def fill(self) -> None:
        """Those put aside that can stand now; with nothing chosen at all, the best of them."""
        if self.fitness is None:
            return
        fitness = self.fitness
        if any(fitness.may_follow(i, self.chosen) and self.take(i) for i in self.waiting):
            return
        if not self.chosen and (self.waiting or self.unfit):
            self.take([*self.waiting, *self.unfit][0])
