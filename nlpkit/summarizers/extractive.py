"""Extractive summarizers that need no training: lead, textrank, lexrank, centroid and auto.

All of them work on one document at a time and score sentences by their words: lowercased,
stop words removed, lightly stemmed (`nlpkit.text.tokens`). Similarities are TF-IDF cosines
with IDF taken over the document's own sentences (`nlpkit.summarizers.vectors`).
"""

from __future__ import annotations

import numpy as np

from nlpkit.summarizers.base import Diversity, select
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import join_quotes
from nlpkit.summarizers.vectors import SentenceVectors, first_sentences, pagerank, scaled_to_max, word_counts
from nlpkit.types import Document, Summary


class LeadSummarizer:
    """The first sentences of the article: the baseline every news summarizer is held to."""

    name = "lead"

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        n = len(doc.sentences)
        return select(doc, 1.0 / np.arange(1, n + 1), length, method=self.name, standalone=False)


class TextRankSummarizer:
    """TextRank (Mihalcea & Tarau 2004): PageRank over word-overlap similarity."""

    name = "textrank"

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = join_quotes(first_sentences(doc))
        v = SentenceVectors.of(doc)
        n = len(v.words)
        sets = [set(ws) for ws in v.words]
        # shared words of every pair at once: a sentence-by-word 0/1 matrix times its transpose
        present = (v.matrix > 0).astype(np.float64) if v.matrix.shape[1] == _vocab_size(sets) else None
        shared = present @ present.T if present is not None else _shared_counts(sets)
        sizes = np.array([len(s) for s in sets], dtype=np.float64)
        logs = np.log(np.maximum(sizes, 1.0))
        denom = logs[:, None] + logs[None, :]
        ok = (sizes[:, None] > 1) & (sizes[None, :] > 1) & (shared > 0)
        w = np.divide(shared, denom, out=np.zeros((n, n)), where=ok & (denom > 0))
        np.fill_diagonal(w, 0.0)
        return select(doc, pagerank(w), length, method=self.name)


def _vocab_size(sets: list[set[str]]) -> int:
    return len(set().union(*sets)) if sets else 0


def _shared_counts(sets: list[set[str]]) -> np.ndarray:
    """Words shared by each pair of sentences, when the vector matrix keeps only some terms."""
    n = len(sets)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = len(sets[i] & sets[j])
    return out


def lexrank_centrality(v: SentenceVectors) -> np.ndarray:
    """Each sentence's LexRank centrality (PageRank over TF-IDF cosines of 0.1 or more), scaled to the best."""
    return scaled_to_max(pagerank(np.where(v.sim >= 0.1, v.sim, 0.0)))


class LexRankSummarizer:
    """LexRank (Erkan & Radev 2004), continuous: PageRank over TF-IDF cosine similarity."""

    name = "lexrank"

    def __init__(self, *, threshold: float = 0.1) -> None:
        self.threshold = threshold

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = join_quotes(first_sentences(doc))
        v = SentenceVectors.of(doc)
        w = np.where(v.sim >= self.threshold, v.sim, 0.0)
        return select(doc, pagerank(w), length, method=self.name)


class CentroidSummarizer:
    """Centroid (Radev et al. 2004): closeness to the document's TF-IDF centroid, skipping near-repeats."""

    name = "centroid"

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = join_quotes(first_sentences(doc))
        v = SentenceVectors.of(doc)
        centroid = v.matrix.sum(axis=0)
        norm = np.linalg.norm(centroid)
        scores = v.matrix @ (centroid / norm) if norm else np.zeros(len(v.words))
        return select(doc, scores, length, method=self.name, diversity=Diversity(v.sim, max_overlap=0.6))


class AutoSummarizer:
    """The default: lead-aware centrality for news.

    A sentence's score mixes its position (news puts the story first), its LexRank
    centrality and its similarity to the headline; very short and very long sentences
    are discounted; near-repeats of a chosen sentence are skipped and similar ones
    penalised (maximal marginal relevance). A brief asked for as one sentence leans more on
    centrality (`one_sentence_centrality`: of the weights tried, the one that raised ROUGE-1 on
    every CNN/DailyMail and BBC set at once; `bench/one_sentence.py`).
    """

    name = "auto"

    def __init__(
        self,
        *,
        position_weight: float = 1.0,
        centrality_weight: float = 0.7,
        one_sentence_centrality: float = 1.0,
        title_weight: float = 0.6,
        position_decay: float = 10.0,
        max_overlap: float = 0.5,
        penalty: float = 0.3,
    ) -> None:
        self.position_weight = position_weight
        self.centrality_weight = centrality_weight
        self.one_sentence_centrality = one_sentence_centrality  # centrality's weight in a one-sentence brief
        self.title_weight = title_weight
        self.position_decay = position_decay
        self.max_overlap = max_overlap
        self.penalty = penalty

    def scores(
        self,
        doc: Document,
        *,
        one_sentence: bool = False,
        vectors: SentenceVectors | None = None,
        centrality: np.ndarray | None = None,
    ) -> tuple[np.ndarray, SentenceVectors]:
        """Each sentence's score (of the first MAX_SENTENCES), and the vectors it came from. A caller that has
        the document's `vectors` and `centrality` (`lexrank_centrality`) already gives them."""
        v = vectors if vectors is not None else SentenceVectors.of(doc)
        n = len(v.words)
        if n == 0:
            return np.zeros(0), v
        position = np.exp(-np.arange(n) / self.position_decay)
        if centrality is None:
            centrality = lexrank_centrality(v)
        title = v.matrix @ v.embed(doc.title) if doc.title else np.zeros(n)
        lengths = word_counts(doc.sentences[:n])
        shape = np.clip(lengths / 8.0, 0.2, 1.0) * np.where(lengths > 45, 45.0 / np.maximum(lengths, 1), 1.0)
        central = self.one_sentence_centrality if one_sentence else self.centrality_weight
        score = (self.position_weight * position + central * centrality + self.title_weight * title) * shape
        return score, v

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = join_quotes(first_sentences(doc))
        score, v = self.scores(doc, one_sentence=length.sentences == 1)
        return self.select(doc, score, v, length)

    def select(self, doc: Document, score: np.ndarray, v: SentenceVectors, length: LengthSpec) -> Summary:
        """The brief of `length` by `score` (auto's or one built on it), near-repeats skipped as auto skips them."""
        diversity = Diversity(v.sim, max_overlap=self.max_overlap, penalty=self.penalty)
        return select(doc, score, length, method=self.name, diversity=diversity)
