"""Extractive summarizers that need no training: lead, textrank, lexrank, centroid and auto.

All of them work on one document at a time and score sentences by their words: lowercased,
stop words removed, lightly stemmed. Similarities are TF-IDF cosines with IDF taken over
the document's own sentences (as LexRank does for single documents).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from nlpkit.summarizers.base import select
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.tokens import content_words
from nlpkit.types import Document, Summary

#: Graph methods look at this many sentences at most (the start of very long texts).
MAX_SENTENCES = 400


@dataclass
class _Vectors:
    """TF-IDF rows (L2-normalised) of a document's sentences and their pairwise cosines."""

    words: list[list[str]]
    matrix: np.ndarray  # sentences x vocabulary
    sim: np.ndarray  # sentences x sentences, zero diagonal
    vocab: dict[str, int]
    idf: np.ndarray

    @classmethod
    def of(cls, doc: Document, extra: list[str] | None = None) -> _Vectors:
        words = [content_words(s.text) for s in doc.sentences[:MAX_SENTENCES]]
        vocab: dict[str, int] = {}
        for ws in words:
            for w in ws:
                vocab.setdefault(w, len(vocab))
        n = len(words)
        tf = np.zeros((n, max(1, len(vocab))))
        for i, ws in enumerate(words):
            for w, c in Counter(ws).items():
                tf[i, vocab[w]] = c
        df = (tf > 0).sum(axis=0)
        idf = np.log((1 + n) / (1 + df)) + 1.0
        m = tf * idf
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        m = np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)
        sim = m @ m.T
        np.fill_diagonal(sim, 0.0)
        return cls(words=words, matrix=m, sim=sim, vocab=vocab, idf=idf)

    def embed(self, text: str) -> np.ndarray:
        v = np.zeros(self.matrix.shape[1])
        for w, c in Counter(content_words(text)).items():
            j = self.vocab.get(w)
            if j is not None:
                v[j] = c * self.idf[j]
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def redundancy(self, i: int, chosen: list[int]) -> float:
        return float(self.sim[i, chosen].max()) if chosen else 0.0


def pagerank(weights: np.ndarray, damping: float = 0.85, iterations: int = 100, tol: float = 1e-8) -> np.ndarray:
    """Stationary distribution of a weighted graph (rows are out-links)."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out = weights.sum(axis=1, keepdims=True)
    trans = np.divide(weights, out, out=np.full_like(weights, 1.0 / n), where=out > 0)
    r = np.full(n, 1.0 / n)
    for _ in range(iterations):
        nxt = (1 - damping) / n + damping * (r @ trans)
        if np.abs(nxt - r).sum() < tol:
            return nxt
        r = nxt
    return r


def _norm(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else x


def _head(doc: Document) -> Document:
    """The document cut to its first MAX_SENTENCES sentences (graph methods are quadratic)."""
    if len(doc.sentences) <= MAX_SENTENCES:
        return doc
    return Document(text=doc.text, sentences=doc.sentences[:MAX_SENTENCES], title=doc.title)


class LeadSummarizer:
    """The first sentences of the article: the baseline every news summarizer is held to."""

    name = "lead"

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        n = len(doc.sentences)
        return select(doc, [1.0 / (i + 1) for i in range(n)], length, method=self.name)


class TextRankSummarizer:
    """TextRank (Mihalcea & Tarau 2004): PageRank over word-overlap similarity."""

    name = "textrank"

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = _head(doc)
        v = _Vectors.of(doc)
        sets = [set(ws) for ws in v.words]
        n = len(sets)
        w = np.zeros((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                shared = len(sets[i] & sets[j])
                if shared and len(sets[i]) > 1 and len(sets[j]) > 1:
                    w[i, j] = w[j, i] = shared / (math.log(len(sets[i])) + math.log(len(sets[j])))
        return select(doc, list(pagerank(w)), length, method=self.name)


class LexRankSummarizer:
    """LexRank (Erkan & Radev 2004), continuous: PageRank over TF-IDF cosine similarity."""

    name = "lexrank"

    def __init__(self, *, threshold: float = 0.1) -> None:
        self.threshold = threshold

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = _head(doc)
        v = _Vectors.of(doc)
        w = np.where(v.sim >= self.threshold, v.sim, 0.0)
        return select(doc, list(pagerank(w)), length, method=self.name)


class CentroidSummarizer:
    """Centroid (Radev et al. 2004): closeness to the document's TF-IDF centroid, skipping near-repeats."""

    name = "centroid"

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = _head(doc)
        v = _Vectors.of(doc)
        centroid = v.matrix.sum(axis=0)
        norm = np.linalg.norm(centroid)
        scores = v.matrix @ (centroid / norm) if norm else np.zeros(len(v.words))
        return select(doc, list(scores), length, method=self.name, redundancy=v.redundancy, max_overlap=0.6)


class AutoSummarizer:
    """The default: lead-aware centrality for news.

    A sentence's score mixes its position (news puts the story first), its LexRank
    centrality and its similarity to the headline; very short and very long sentences
    are discounted; near-repeats of a chosen sentence are skipped and similar ones
    penalised (maximal marginal relevance).
    """

    name = "auto"

    def __init__(
        self,
        *,
        position_weight: float = 1.0,
        centrality_weight: float = 0.7,
        title_weight: float = 0.6,
        position_decay: float = 10.0,
        max_overlap: float = 0.5,
        penalty: float = 0.3,
    ) -> None:
        self.position_weight = position_weight
        self.centrality_weight = centrality_weight
        self.title_weight = title_weight
        self.position_decay = position_decay
        self.max_overlap = max_overlap
        self.penalty = penalty

    def scores(self, doc: Document) -> tuple[np.ndarray, _Vectors]:
        v = _Vectors.of(doc)
        n = len(v.words)
        if n == 0:
            return np.zeros(0), v
        position = np.exp(-np.arange(n) / self.position_decay)
        centrality = _norm(pagerank(np.where(v.sim >= 0.1, v.sim, 0.0)))
        title = v.matrix @ v.embed(doc.title) if doc.title else np.zeros(n)
        lengths = np.array([len(s.text.split()) for s in doc.sentences[:n]])
        shape = np.clip(lengths / 8.0, 0.2, 1.0) * np.where(lengths > 45, 45.0 / np.maximum(lengths, 1), 1.0)
        score = (
            self.position_weight * position + self.centrality_weight * centrality + self.title_weight * title
        ) * shape
        return score, v

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = _head(doc)
        score, v = self.scores(doc)
        return select(
            doc,
            list(score),
            length,
            method=self.name,
            redundancy=v.redundancy,
            max_overlap=self.max_overlap,
            penalty=self.penalty,
        )
