"""A trained extractive summarizer: a sentence scorer learned from (article, reference) pairs.

Sentences are labelled by a greedy oracle (the sentences whose addition most raises unigram +
bigram overlap F1 with the reference), described by features a news editor would recognise
(position, length, centrality, similarity to the headline and to the whole article, novelty
against earlier sentences, number, name and quote density) and scored by gradient-boosted
trees. Selection is the same as `auto`'s: best scores first, near-repeats skipped, document
order kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from nlpkit.neural import EncoderMixin
from nlpkit.summarizers.base import select
from nlpkit.summarizers.extractive import _head, _norm, _Vectors, pagerank
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.tokens import content_words
from nlpkit.types import Document, Summary

_NUMBER = re.compile(r"\d")
_CAPITAL = re.compile(r"\b[A-Z][a-z]+")

FEATURES = (
    "position",
    "relative_position",
    "is_first",
    "in_first_three",
    "paragraph",
    "words",
    "centrality",
    "title_similarity",
    "centroid_similarity",
    "novelty",
    "number_density",
    "name_density",
    "quote",
)
#: Added when the scorer has an encoder (`base_model`): cosine similarities of sentence vectors.
ENCODER_FEATURES = ("encoder_title_similarity", "encoder_centroid_similarity", "encoder_lead_similarity")


def sentence_features(doc: Document) -> tuple[np.ndarray, _Vectors]:
    """One row of `FEATURES` per sentence (of the first MAX_SENTENCES)."""
    v = _Vectors.of(doc)
    n = len(v.words)
    if n == 0:
        return np.zeros((0, len(FEATURES))), v
    centrality = _norm(pagerank(np.where(v.sim >= 0.1, v.sim, 0.0)))
    title = v.matrix @ v.embed(doc.title) if doc.title else np.zeros(n)
    centroid = v.matrix.sum(axis=0)
    norm = np.linalg.norm(centroid)
    to_centroid = v.matrix @ (centroid / norm) if norm else np.zeros(n)
    rows = []
    for i, s in enumerate(doc.sentences[:n]):
        words = s.text.split()
        nw = max(1, len(words))
        rows.append(
            [
                i,
                i / max(1, n - 1),
                float(i == 0),
                float(i < 3),
                s.paragraph,
                len(words),
                centrality[i],
                title[i],
                to_centroid[i],
                1.0 - (float(v.sim[i, :i].max()) if i else 0.0),
                len(_NUMBER.findall(s.text)) / nw,
                len(_CAPITAL.findall(s.text)) / nw,
                float(any(q in s.text for q in "\"“”‘’'")),
            ]
        )
    return np.asarray(rows, dtype=float), v


def _overlap_f1(candidate: list[str], reference: list[str]) -> float:
    def grams(ws: list[str], k: int) -> set[tuple[str, ...]]:
        return {tuple(ws[i : i + k]) for i in range(len(ws) - k + 1)}

    score = 0.0
    for k in (1, 2):
        c, r = grams(candidate, k), grams(reference, k)
        if c and r:
            hit = len(c & r)
            p, rc = hit / len(c), hit / len(r)
            score += 2 * p * rc / (p + rc) if hit else 0.0
    return score


def oracle_labels(doc: Document, reference: str, max_sentences: int = 3) -> list[int]:
    """Greedy oracle: add the sentence that most raises overlap F1 with the reference, up to k."""
    ref = content_words(reference)
    words = [content_words(s.text) for s in doc.sentences]
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < max_sentences:
        gains = [
            (_overlap_f1([w for j in sorted([*chosen, i]) for w in words[j]], ref), i)
            for i in range(len(words))
            if i not in chosen
        ]
        if not gains:
            break
        score, i = max(gains)
        if score <= best:
            break
        best = score
        chosen.append(i)
    return sorted(chosen)


class SentenceScorer(EncoderMixin, BaseEstimator):
    """Gradient-boosted trees over `sentence_features`, fitted on oracle labels.

    With `base_model` (a sentence-encoder folder or Hub id), `ENCODER_FEATURES` are added:
    each sentence's cosine similarity to the headline, to the article's mean vector and to
    its first sentence. The encoder is then saved in the model folder's `encoder/`.
    """

    def __init__(
        self,
        *,
        max_iter: int = 200,
        learning_rate: float = 0.05,
        max_oracle: int = 3,
        base_model: str = "",
        max_length: int = 128,
        batch_size: int = 64,
        device: str = "auto",
        random_state: int = 0,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_oracle = max_oracle
        self.base_model = base_model
        self.max_length = max_length
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state

    def features(self, doc: Document) -> tuple[np.ndarray, _Vectors]:
        """`sentence_features`, plus `ENCODER_FEATURES` when the scorer has an encoder."""
        feats, v = sentence_features(doc)
        if not self.base_model or len(feats) == 0:
            return feats, v
        encoder = self._encoder()
        texts = [s.text for s in doc.sentences[: len(feats)]]
        E = encoder.encode([*texts, doc.title or texts[0]])
        sents, title = E[:-1], E[-1]
        centroid = sents.mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
        extra = np.column_stack(
            [sents @ title if doc.title else np.zeros(len(sents)), sents @ centroid, sents @ sents[0]]
        )
        return np.hstack([feats, extra]), v

    def save_tensors(self, folder: Path) -> list[str]:
        return super().save_tensors(folder) if self.base_model else []

    def attach_tensors(self, folder: Path, device: str | None = None) -> None:
        if self.base_model:
            super().attach_tensors(folder, device)

    def fit(self, docs: Sequence[Document], references: Sequence[str]) -> SentenceScorer:
        from sklearn.ensemble import HistGradientBoostingClassifier

        if self.base_model:
            self._fit_encoder()
        X, y = [], []
        for doc, ref in zip(docs, references, strict=True):
            doc = _head(doc)
            feats, _ = self.features(doc)
            chosen = set(oracle_labels(doc, ref, self.max_oracle))
            X.append(feats)
            y += [int(i in chosen) for i in range(len(feats))]
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate, random_state=self.random_state
        ).fit(np.vstack(X), np.asarray(y))
        return self

    def score(self, feats: np.ndarray) -> np.ndarray:
        if len(feats) == 0:
            return np.zeros(0)
        return np.asarray(self.model_.predict_proba(feats)[:, 1])


class SupervisedSummarizer:
    """A trained sentence scorer used as a summarizer (`--method MODEL_DIR`)."""

    def __init__(self, estimator: SentenceScorer, meta: dict[str, Any], path: str = "") -> None:
        self.estimator = estimator
        self.meta = meta
        self.path = path
        self.task = "summarizer"

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "supervised"))

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = _head(doc)
        feats, v = self.estimator.features(doc)
        scores = self.estimator.score(feats)
        return select(
            doc, list(scores), length, method=self.name, redundancy=v.redundancy, max_overlap=0.5, penalty=0.3
        )

    def save_weights(self, folder: Path) -> list[str]:
        return self.estimator.save_tensors(folder)
