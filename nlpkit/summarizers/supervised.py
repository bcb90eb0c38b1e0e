"""A trained extractive summarizer: a sentence scorer learned from (article, reference) pairs.

Sentences are described by features a news editor would recognise (position, length,
centrality, similarity to the headline and to the whole article, novelty against earlier
sentences, number, name and quote density; optionally `auto`'s own scores) and scored by
gradient-boosted trees, which learn one of two targets:

- `oracle`: whether the sentence is in the greedy oracle (the sentences whose addition most
  raises unigram + bigram overlap F1 with the reference) -- for briefs of several sentences;
- `overlap`: the sentence's own overlap F1 with the reference -- for one-sentence briefs, where
  the best sentence alone is what counts.

Selection is the same as `auto`'s: best scores first, near-repeats skipped, document order kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader, read_arrays, write_arrays
from nlpkit.errors import DataError, ModelError, UsageError
from nlpkit.neural import ENCODER_DIR, SentenceEncoder, load_device
from nlpkit.persistence import ARRAYS_FILE, META_FILE, ModelMeta, listed, model_ident
from nlpkit.predictors import TreeEnsemble
from nlpkit.summarizers.base import Diversity, select
from nlpkit.summarizers.extractive import AutoSummarizer, lexrank_centrality
from nlpkit.summarizers.length import LengthSpec
from nlpkit.summarizers.standalone import join_quotes
from nlpkit.summarizers.vectors import SentenceVectors, first_sentences, scaled_to_max
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
#: Added with `auto_features`: the default brief's own scores (each scaled to the article's best) and rank,
#: and the article's sentence count, so the trees correct `auto` rather than learn it again.
AUTO_FEATURES = ("auto_score", "auto_one_sentence_score", "auto_rank", "sentences")
#: What the trees learn: membership of the greedy oracle (classification), or each sentence's own overlap.
TARGETS = ("oracle", "overlap")


def sentence_features(doc: Document) -> tuple[np.ndarray, SentenceVectors]:
    """One row of `FEATURES` per sentence (of the first MAX_SENTENCES)."""
    v = SentenceVectors.of(doc)
    n = len(v.words)
    if n == 0:
        return np.zeros((0, len(FEATURES))), v
    centrality = lexrank_centrality(v)
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


def overlap_scores(doc: Document, reference: str, n: int) -> np.ndarray:
    """Each of the first `n` sentences' own unigram + bigram overlap F1 with the reference (the `overlap` target)."""
    ref = content_words(reference)
    return np.asarray([_overlap_f1(content_words(s.text), ref) for s in doc.sentences[:n]], dtype=float)


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


class SentenceScorer:
    """Sentence scores from boosted trees over `sentence_features` (and, with an encoder, `ENCODER_FEATURES`;
    with `auto_features`, `AUTO_FEATURES`).

    Numpy only unless it has an encoder; fitted by `fit_sentence_scorer`.
    """

    def __init__(
        self,
        trees: TreeEnsemble,
        encoder: SentenceEncoder | None = None,
        settings: dict | None = None,
        *,
        case_blind: bool = False,
        target: str = "oracle",
        auto_features: bool = False,
    ):
        self.trees = trees
        self.encoder = encoder
        self.settings = settings or {}
        self.case_blind = case_blind
        self.target = target
        self.auto_features = auto_features

    def features(self, doc: Document) -> tuple[np.ndarray, SentenceVectors]:
        """`sentence_features`, plus `ENCODER_FEATURES` when the scorer has an encoder, `AUTO_FEATURES` with
        `auto_features`."""
        feats, v = features_of(doc, self.encoder, auto=self.auto_features)
        return (case_blind(feats) if self.case_blind else feats), v

    def score(self, feats: np.ndarray) -> np.ndarray:
        if len(feats) == 0:
            return np.zeros(0)
        if self.target == "overlap":
            return np.asarray(self.trees.raw(feats)[:, 0])
        return np.asarray(self.trees.predict_proba(feats)[:, 1])


def case_blind(feats: np.ndarray) -> np.ndarray:
    """The features with those that read letter case (`name_density`) set to 0: for a scorer trained on
    lower-cased text, which must read cased text the same way."""
    if len(feats):
        feats = feats.copy()
        feats[:, FEATURES.index("name_density")] = 0.0
    return feats


def features_of(
    doc: Document, encoder: SentenceEncoder | None, *, auto: bool = False
) -> tuple[np.ndarray, SentenceVectors]:
    feats, v = sentence_features(doc)
    if len(feats) == 0:
        return feats, v
    parts = [feats]
    if encoder is not None:
        parts.append(encoder_features(encoder, doc, len(feats)))
    if auto:
        parts.append(auto_scores(doc, v, feats[:, FEATURES.index("centrality")]))
    return (np.hstack(parts) if len(parts) > 1 else feats), v


def auto_scores(doc: Document, v: SentenceVectors, centrality: np.ndarray) -> np.ndarray:
    """`AUTO_FEATURES`: `auto`'s scores of a brief of several sentences and of one, each scaled to the
    article's best, the rank of the first, and the number of sentences."""
    auto = AutoSummarizer()
    several = auto.scores(doc, vectors=v, centrality=centrality)[0]
    one = auto.scores(doc, one_sentence=True, vectors=v, centrality=centrality)[0]
    n = len(several)
    rank = np.argsort(np.argsort(-several, kind="stable"), kind="stable")
    return np.column_stack([scaled_to_max(several), scaled_to_max(one), rank, np.full(n, float(n))])


def encoder_features(encoder: SentenceEncoder, doc: Document, n: int) -> np.ndarray:
    """Each sentence's cosine to the headline, to the article's mean vector and to its first sentence."""
    texts = [s.text for s in doc.sentences[:n]]
    E = encoder.encode([*texts, doc.title or texts[0]])
    sents, title = E[:-1], E[-1]
    centroid = sents.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    return np.column_stack([sents @ title if doc.title else np.zeros(len(sents)), sents @ centroid, sents @ sents[0]])


def fit_sentence_scorer(
    docs: Sequence[Document],
    references: Sequence[str],
    *,
    max_iter: int = 200,
    learning_rate: float = 0.05,
    max_oracle: int = 3,
    target: str = "oracle",
    auto_features: bool = False,
    base_model: str = "",
    max_length: int = 128,
    batch_size: int = 64,
    device: str = "auto",
    random_state: int = 0,
    lowercase: bool = False,
    early_stopping: bool = False,
) -> SentenceScorer:
    """Boosted trees fitted on greedy-oracle labels (`target="oracle"`) or on each sentence's own overlap
    with the reference (`target="overlap"`: for one-sentence briefs); with `base_model`, encoder features too,
    and with `auto_features`, `auto`'s own scores.

    `lowercase`: the training text is lower-cased (as some CNN/DailyMail copies are), so features
    that read letter case are left out, here and at prediction.

    `max_iter` trees are fitted (one per iteration). With `early_stopping`, a random tenth of the sentences is
    kept out of training to measure the loss on, and fitting stops once ten more trees do not lower it: fewer
    trees, learnt from nine tenths of the sentences (the count is in the model's `spec.trees`)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    if target not in TARGETS:
        raise UsageError(f"unknown target {target!r}; known: {', '.join(TARGETS)}")
    settings = {"max_length": max_length, "batch_size": batch_size, "device": device}
    encoder = SentenceEncoder(base_model, **settings) if base_model else None  # type: ignore[arg-type]
    X, y = [], []
    for doc, ref in zip(docs, references, strict=True):
        doc = join_quotes(first_sentences(doc))
        feats, _ = features_of(doc, encoder, auto=auto_features)
        if lowercase:
            feats = case_blind(feats)
        X.append(feats)
        if target == "overlap":
            y.append(overlap_scores(doc, ref, len(feats)))
        else:
            chosen = set(oracle_labels(doc, ref, max_oracle))
            y.append(np.asarray([float(i in chosen) for i in range(len(feats))]))
    labels = np.concatenate(y) if y else np.zeros(0)
    if len(set(labels.tolist())) < 2:
        raise DataError("the references pick no sentence (or every sentence) of the articles; nothing to learn")
    trees = (HistGradientBoostingRegressor if target == "overlap" else HistGradientBoostingClassifier)(
        max_iter=max_iter, learning_rate=learning_rate, early_stopping=early_stopping, random_state=random_state
    )
    trees.fit(np.vstack(X), labels if target == "overlap" else labels.astype(int))
    return SentenceScorer(
        TreeEnsemble.from_sklearn(trees),
        encoder,
        settings,
        case_blind=lowercase,
        target=target,
        auto_features=auto_features,
    )


class SupervisedSummarizer:
    """A trained sentence scorer used as a summarizer (`--method MODEL_DIR`)."""

    def __init__(self, scorer: SentenceScorer, meta: ModelMeta, path: str = "") -> None:
        self.scorer = scorer
        self.meta = meta
        self.path = path

    @property
    def task(self) -> str:
        return "summarizer"

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def ident(self) -> str:
        return model_ident(self.meta)

    def summarize(self, doc: Document, length: LengthSpec) -> Summary:
        doc = join_quotes(first_sentences(doc))
        feats, v = self.scorer.features(doc)
        scores = self.scorer.score(feats)
        return select(doc, scores, length, method=self.name, diversity=Diversity(v.sim, max_overlap=0.5, penalty=0.3))

    def save_files(self, folder: Path) -> list[str]:
        files = self.scorer.encoder.save(folder / ENCODER_DIR) if self.scorer.encoder is not None else []
        write_arrays(folder / ARRAYS_FILE, {f"trees.{k}": v for k, v in self.scorer.trees.arrays().items()})
        spec = {
            "type": "sentence-trees",
            "trees": self.scorer.trees.config(),
            "encoder": self.scorer.settings if self.scorer.encoder is not None else None,
            "case_blind": self.scorer.case_blind,
            "target": self.scorer.target,
            "auto_features": self.scorer.auto_features,
        }
        self.meta = self.meta.replace(spec=spec)
        return [*files, ARRAYS_FILE]


def load_supervised(folder: Path, meta: ModelMeta, device: str | None = None) -> SupervisedSummarizer:
    """A trained extractive summarizer's folder (already checked against its checksums)."""
    spec = SpecReader(meta.spec, str(folder / META_FILE))
    if spec.raw("type") != "sentence-trees":
        raise ModelError(f"{folder}: not a trained extractive summarizer's description (type {spec.raw('type')!r})")
    reader = ArrayReader(read_arrays(listed(folder, meta, ARRAYS_FILE)), str(folder / ARRAYS_FILE))
    trees = TreeEnsemble.from_parts(spec.sub("trees"), reader.scope("trees"))
    has_encoder = bool(spec.raw("encoder"))
    auto_features = spec.flag("auto_features", False)
    n_features = len(FEATURES) + len(ENCODER_FEATURES) * has_encoder + len(AUTO_FEATURES) * auto_features
    trees.check_features(n_features, str(folder))
    encoder = None
    settings: dict[str, Any] = {}
    if has_encoder:
        enc = spec.sub("encoder")
        settings = {
            "max_length": enc.integer("max_length", 8, 100_000, 128),
            "batch_size": enc.integer("batch_size", 1, 100_000, 64),
            "device": enc.choice("device", ("auto", "cpu", "cuda"), "auto"),
        }
        encoder = SentenceEncoder(
            folder / ENCODER_DIR,
            max_length=settings["max_length"],
            batch_size=settings["batch_size"],
            device=load_device(device, settings["device"]),
        )
    scorer = SentenceScorer(
        trees,
        encoder,
        settings,
        case_blind=spec.flag("case_blind", False),
        target=spec.choice("target", TARGETS, "oracle"),
        auto_features=auto_features,
    )
    return SupervisedSummarizer(scorer, meta, path=str(folder))
