"""Sentence vectors of one document: TF-IDF rows over the document's own sentences, and their cosines.

IDF is taken over the document's sentences (as LexRank does for single documents). Words
are content words (`nlpkit.text.tokens`). The dense sentence-by-term matrix is kept small:
past `MAX_CELLS` cells (a document with a huge vocabulary), only terms shared by two or more
sentences — the only ones that make two sentences alike — are kept in it, while sentence
lengths still count every term, so memory stays bounded by the input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlpkit.text.tokens import content_of_lowered, content_words, lowered, word_count
from nlpkit.types import Document

#: Graph methods look at this many sentences at most (the start of very long texts).
MAX_SENTENCES = 400
#: Most cells of the dense sentence-by-term matrix (8 bytes each).
MAX_CELLS = 2_000_000


@dataclass
class SentenceVectors:
    """Unit TF-IDF rows of a document's sentences (`matrix`) and their pairwise cosines (`sim`, zero diagonal)."""

    words: list[list[str]]
    matrix: np.ndarray
    sim: np.ndarray
    vocab: dict[str, int]
    idf: np.ndarray

    @classmethod
    def of(cls, doc: Document) -> SentenceVectors:
        words = sentence_words(doc)
        n = len(words)
        vocab: dict[str, int] = {}
        cols = np.asarray([vocab.setdefault(w, len(vocab)) for ws in words for w in ws], dtype=np.int64)
        rows = np.repeat(np.arange(n, dtype=np.int64), [len(ws) for ws in words])
        size = max(1, len(vocab))
        if n * size <= MAX_CELLS:
            tf = np.bincount(rows * size + cols, minlength=n * size).reshape(n, size).astype(np.float64)
            idf = np.log((1 + n) / (1 + (tf > 0).sum(axis=0))) + 1.0  # (count_nonzero along an axis is slower)
            matrix = tf * idf
            norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
            matrix /= np.where(norms > 0, norms, 1.0)[:, None]
            return cls.of_matrix(words, matrix, vocab, idf)
        return cls._sparse(words, rows, cols, vocab)

    @classmethod
    def of_matrix(
        cls, words: list[list[str]], matrix: np.ndarray, vocab: dict[str, int], idf: np.ndarray
    ) -> SentenceVectors:
        sim = matrix @ matrix.T
        np.fill_diagonal(sim, 0.0)
        return cls(words=words, matrix=matrix, sim=sim, vocab=vocab, idf=idf)

    @classmethod
    def _sparse(
        cls, words: list[list[str]], rows: np.ndarray, cols: np.ndarray, vocab: dict[str, int]
    ) -> SentenceVectors:
        """A document with a huge vocabulary: only terms shared by sentences get a column."""
        n, size = len(words), max(1, len(vocab))
        # each (sentence, term) pair once, with its count: memory follows the text, not sentences x terms
        keys, counts = np.unique(rows * size + cols, return_counts=True)
        df = np.bincount(keys % size, minlength=size)
        idf = np.log((1 + n) / (1 + df)) + 1.0
        weight = counts * idf[keys % size]
        norms = np.sqrt(np.bincount(keys // size, weights=weight**2, minlength=n))
        shared = np.flatnonzero(df >= 2)
        keep = np.sort(shared[np.argsort(-df[shared], kind="stable")][: max(1, MAX_CELLS // max(1, n))])
        column = np.full(size, -1, dtype=np.int64)
        column[keep] = np.arange(len(keep))
        where = column[keys % size]
        inside = where >= 0
        matrix = np.zeros((n, len(keep)))
        matrix[(keys // size)[inside], where[inside]] = weight[inside]
        matrix /= np.where(norms > 0, norms, 1.0)[:, None]
        kept = {w: int(column[j]) for w, j in vocab.items() if column[j] >= 0}
        return cls.of_matrix(words, matrix, kept, idf[keep])

    def embed(self, text: str) -> np.ndarray:
        """A text (e.g. the headline) as a unit vector in the same space."""
        v = np.zeros(self.matrix.shape[1])
        for w in content_words(text):
            j = self.vocab.get(w)
            if j is not None:
                v[j] += self.idf[j]
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v


def sentence_words(doc: Document) -> list[list[str]]:
    """The content words of each of the first `MAX_SENTENCES` sentences (the text lowercased once)."""
    sentences = doc.sentences[:MAX_SENTENCES]
    low = lowered(doc.text)
    if len(low) != len(doc.text):  # a letter whose lowercase is longer shifts offsets: one sentence at a time
        return [content_words(s.text) for s in sentences]
    return [content_of_lowered(low[s.start : s.end]) for s in sentences]


def pagerank(weights: np.ndarray, damping: float = 0.85) -> np.ndarray:
    """Stationary distribution of a weighted graph (rows are out-links), solved directly.

    PageRank's fixed point r = (1 - d)/n + d T'r is the solution of (I - d T') r = (1 - d)/n:
    one small linear solve instead of dozens of power iterations.
    """
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out = weights.sum(axis=1, keepdims=True)
    trans = np.divide(weights, out, out=np.full_like(weights, 1.0 / n), where=out > 0)
    system = np.eye(n) - damping * trans.T
    r = np.linalg.solve(system, np.full(n, (1 - damping) / n))
    return r / r.sum()


def scaled_to_max(x: np.ndarray) -> np.ndarray:
    """`x` divided by its largest value (unchanged when that is not positive)."""
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else x


def first_sentences(doc: Document, limit: int = MAX_SENTENCES) -> Document:
    """The document cut to its first `limit` sentences (graph methods are quadratic)."""
    if len(doc.sentences) <= limit:
        return doc
    return Document(text=doc.text, sentences=doc.sentences[:limit], title=doc.title)


def word_counts(sentences: Sequence[object]) -> np.ndarray:
    """Words in each sentence, as a length budget counts them (`word_count`: a Chinese character is one)."""
    return np.array([word_count(s.text) for s in sentences], dtype=np.float64)  # type: ignore[attr-defined]
