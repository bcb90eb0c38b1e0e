"""Numpy-only predictors, rebuilt from plain arrays: TF-IDF vectors, linear heads, tree ensembles.

Training uses scikit-learn; prediction uses these, so a saved model loads with numpy alone
(no scikit-learn, no skops, nothing that can name code to run). Each piece is described by a
small JSON `config()` and a dict of named `arrays()`, and rebuilt by `from_parts`; the exporters
in `nlpkit.classify.tfidf` turn fitted scikit-learn objects into them, and tests check that the
probabilities agree to 1e-6.

Sparse rows travel as CSR triples (`indptr`, `indices`, `data`), which is all that TF-IDF
vectors of a batch need.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader
from nlpkit.errors import ModelError

Arrays = dict[str, np.ndarray]
_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Csr:
    """Rows of a sparse matrix: `indices`/`data` of row i are in `indptr[i]:indptr[i+1]`."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def dot(self, matrix: np.ndarray) -> np.ndarray:
        """`self @ matrix` for a dense `matrix` of shape (width, k)."""
        out = np.zeros((self.rows, matrix.shape[1]))
        if len(self.indices) == 0:
            return out
        contrib = matrix[self.indices] * self.data[:, None]
        starts = self.indptr[:-1]
        full = np.diff(self.indptr) > 0
        # rows are contiguous, so summing from each non-empty row's start to the next one's is exact
        out[full] = np.add.reduceat(contrib, starts[full], axis=0)
        return out

    def multiply_rows(self, other: Csr) -> np.ndarray:
        """Row-wise dot products of two matrices with the same rows and width (cosines of unit rows)."""
        out = np.zeros(self.rows)
        for i in range(self.rows):
            a, b = slice(self.indptr[i], self.indptr[i + 1]), slice(other.indptr[i], other.indptr[i + 1])
            ia, ib = self.indices[a], other.indices[b]
            if len(ia) and len(ib):
                common, xa, xb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
                if len(common):
                    out[i] = float(self.data[a][xa] @ other.data[b][xb])
        return out

    def take(self, rows: Sequence[int] | np.ndarray) -> Csr:
        """The given rows, in that order."""
        idx = np.asarray(rows, dtype=np.int64)
        lengths = np.diff(self.indptr)[idx]
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        picks = [np.arange(self.indptr[i], self.indptr[i + 1]) for i in idx]
        flat = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
        return Csr(indptr, self.indices[flat], self.data[flat], self.width)

    @classmethod
    def hstack(cls, parts: Sequence[Csr]) -> Csr:
        """Side-by-side blocks (same rows), their columns shifted by the widths before them."""
        if len(parts) == 1:
            return parts[0]
        n = parts[0].rows
        rows_idx, rows_val = [], []
        for i in range(n):
            offset = 0
            for p in parts:
                a, b = p.indptr[i], p.indptr[i + 1]
                rows_idx.append(p.indices[a:b] + offset)
                rows_val.append(p.data[a:b])
                offset += p.width
        lengths = [len(x) for x in rows_idx]
        counts = np.add.reduceat(lengths, np.arange(0, len(lengths), len(parts))) if lengths else np.zeros(0)
        indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        indices = np.concatenate(rows_idx) if rows_idx else np.zeros(0, dtype=np.int64)
        data = np.concatenate(rows_val) if rows_val else np.zeros(0)
        return cls(indptr, indices.astype(np.int64), data, sum(p.width for p in parts))


def text_array(items: Sequence[str]) -> np.ndarray:
    """Strings as one UTF-8 byte array (NUL-separated), the way safetensors can hold them."""
    return np.frombuffer("\x00".join(items).encode("utf-8"), dtype=np.uint8)


def array_text(arrays: ArrayReader, name: str) -> list[str]:
    """The strings of a `text_array`."""
    try:
        return arrays.get(name, 1, "u").tobytes().decode("utf-8").split("\x00")
    except UnicodeDecodeError as e:
        raise ModelError(f"{arrays.where}: {name!r} is not UTF-8 text") from e


def strip_accents(text: str) -> str:
    """Accents removed after NFKD decomposition (scikit-learn's `strip_accents="unicode"`).

    Only the few distinct combining marks a text holds are looked at and removed, not every character.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    for mark in [c for c in set(text) if unicodedata.combining(c)]:
        text = text.replace(mark, "")
    return text


#: Longest n-gram a stored vectorizer may ask for (a hostile description could ask for millions).
MAX_NGRAM = 10


class TfidfTransform:
    """TF-IDF rows of texts from a stored vocabulary and IDF (scikit-learn's `TfidfVectorizer.transform`).

    Words are `\\b\\w\\w+\\b` tokens (lowercased, accents stripped) joined into n-grams; `char_wb`
    makes character n-grams inside word boundaries. Term counts (1 + log when `sublinear`)
    times IDF, each row scaled to unit length.
    """

    def __init__(self, terms: list[str], idf: np.ndarray, config: dict[str, Any], index: _WordIndex | None = None):
        """`config`: `analyzer` (word or char_wb), `ngram` (lo, hi), `sublinear` and `accents` (booleans)."""
        if config["analyzer"] not in ("word", "char_wb"):
            raise ModelError(f"unknown text analyzer {config['analyzer']!r} in the model description")
        if len(terms) != len(idf):
            raise ModelError(f"vocabulary of {len(terms)} terms but {len(idf)} IDF weights")
        self.terms = terms
        self._vocabulary: dict[str, int] | None = None
        self.idf = np.asarray(idf, dtype=np.float64)
        self.analyzer = str(config["analyzer"])
        self.ngram = (int(config["ngram"][0]), int(config["ngram"][1]))
        if not 1 <= self.ngram[0] <= self.ngram[1] <= MAX_NGRAM:
            raise ModelError(f"n-gram range {self.ngram} in the model description; nlpkit models use 1 to {MAX_NGRAM}")
        self.sublinear = bool(config["sublinear"])
        self.accents = bool(config["accents"])
        self.width = len(terms)
        self._index = index

    @property
    def vocabulary(self) -> dict[str, int]:
        """Term -> column (built on first use: word n-grams are looked up through the word index)."""
        if self._vocabulary is None:
            self._vocabulary = {t: i for i, t in enumerate(self.terms)}
        return self._vocabulary

    @property
    def index(self) -> _WordIndex | None:
        """The word index of a word analyzer (None for characters, or when keys would overflow)."""
        if self._index is None and self.analyzer == "word":
            index = _WordIndex.build(self.terms, self.ngram)
            self._index = index if index.size ** max(1, self.ngram[1]) < 2**62 else None
        return self._index

    def preprocess(self, text: str) -> str:
        """Lowercase, accents stripped when asked (scikit-learn's preprocessor)."""
        text = text.lower()
        return strip_accents(text) if self.accents else text

    def grams(self, text: str) -> list[str]:
        text = self.preprocess(text)
        if self.analyzer == "char_wb":
            return _char_wb(text, self.ngram)
        return _word_grams(_WORD_TOKEN.findall(text), self.ngram)

    def transform(self, texts: Sequence[str]) -> Csr:
        """TF-IDF rows of `texts`: every text's n-gram columns found at once for the whole batch."""
        docs, cols = self._occurrences(texts)
        width = max(1, self.width)
        keys, counts = np.unique(docs * width + cols, return_counts=True)
        rows, cols = keys // width, keys % width
        tf = counts.astype(np.float64)
        if self.sublinear:
            tf = np.log(tf) + 1.0
        w = tf * self.idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=w * w, minlength=len(texts)))
        w /= np.where(norms > 0, norms, 1.0)[rows]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))]).astype(np.int64)
        return Csr(indptr, cols.astype(np.int64), w, self.width)

    def _occurrences(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text number, vocabulary column) of every n-gram occurrence in the texts."""
        index = self.index
        if index is not None:
            return index.columns([word_tokens(self.preprocess(t)) for t in texts])
        vocab = self.vocabulary
        docs, cols = [], []
        for i, text in enumerate(texts):
            found = [j for j in map(vocab.get, self.grams(text)) if j is not None]
            cols += found
            docs += [i] * len(found)
        return np.asarray(docs, dtype=np.int64), np.asarray(cols, dtype=np.int64)

    @classmethod
    def from_sklearn(cls, vec: Any) -> TfidfTransform:
        """A fitted scikit-learn TfidfVectorizer whose settings these rows reproduce."""
        same = (
            vec.lowercase
            and vec.token_pattern == r"(?u)\b\w\w+\b"
            and vec.norm == "l2"
            and vec.use_idf
            and vec.strip_accents in (None, "unicode")
            and vec.analyzer in ("word", "char_wb")
            and vec.preprocessor is None
            and vec.tokenizer is None
            and (vec.stop_words is None or tuple(vec.ngram_range) == (1, 1))  # stop words are out of the vocabulary
        )
        if not same:
            raise ModelError("this TF-IDF vectorizer's settings cannot be saved as a lean model")
        terms = [""] * len(vec.vocabulary_)
        for t, i in vec.vocabulary_.items():
            terms[int(i)] = t
        config = {
            "analyzer": vec.analyzer,
            "ngram": list(vec.ngram_range),
            "sublinear": bool(vec.sublinear_tf),
            "accents": vec.strip_accents == "unicode",
        }
        return cls(terms, vec.idf_, config)

    def config(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "ngram": list(self.ngram),
            "sublinear": self.sublinear,
            "accents": self.accents,
            "terms": self.width,
        }

    def arrays(self) -> Arrays:
        out = {"vocabulary": text_array(self.terms), "idf": self.idf}
        if self.index is not None:  # saved too, so loading needs no work on the vocabulary
            out.update({f"index.{k}": v for k, v in self.index.arrays().items()})
        return out

    @classmethod
    def from_parts(cls, config: dict[str, Any], arrays: ArrayReader) -> TfidfTransform:
        terms = array_text(arrays, "vocabulary") if config["terms"] else []
        if len(terms) != config["terms"]:
            raise ModelError(
                f"{arrays.where}: the vocabulary holds {len(terms)} terms, the description says {config['terms']}"
            )
        ngram = (int(config["ngram"][0]), int(config["ngram"][1]))
        index = None
        if "index.words" in arrays.arrays:
            index = _WordIndex.from_arrays(arrays.scope("index"), ngram, len(terms))
        return cls(terms, arrays.get("idf", 1, "f"), config, index)


# Non-ASCII characters that are never word characters: blanks in their place leave `\b\w\w+\b` tokens
# as they were, and often leave the text ASCII, where the pattern scans several times faster.
_NOT_WORD_CHARS = re.compile("[’‘£€»«•·©®°¦–—‑…“”„‹›\xa0\u2009\u200a\u200b\u200e\u202f]")
_ASCII_WORD_TOKEN = re.compile(r"\b\w\w+\b", re.ASCII)


def word_tokens(text: str) -> list[str]:
    """scikit-learn's default tokens (`(?u)\\b\\w\\w+\\b`) of a preprocessed text, found fast when it is ASCII."""
    if not text.isascii():
        text = _NOT_WORD_CHARS.sub(" ", text)
        if not text.isascii():
            return _WORD_TOKEN.findall(text)
    return _ASCII_WORD_TOKEN.findall(text)


class _WordIndex:
    """Word n-gram terms as integer keys, so a text's n-grams are looked up with numpy, not joined strings.

    Each word of the vocabulary gets an id; an n-gram's key is its ids in base `size`. A text's
    tokens become ids (unknown words -1), its n-grams keys, and `searchsorted` finds the terms.
    """

    def __init__(
        self,
        words: list[str],
        unigram: np.ndarray,
        keys: dict[int, tuple[np.ndarray, np.ndarray]],
        ngram: tuple[int, int],
    ) -> None:
        self.ngram = ngram
        self.word_list = words
        self.words = {w: i for i, w in enumerate(words)}
        self.size = max(2, len(words))
        self.unigram = unigram
        self.keys = keys

    @classmethod
    def build(cls, terms: list[str], ngram: tuple[int, int]) -> _WordIndex:
        words: dict[str, int] = {}
        split = [t.split(" ") for t in terms]
        for parts in split:
            for w in parts:
                words.setdefault(w, len(words))
        size = max(2, len(words))
        unigram = np.full(size, -1, dtype=np.int64)
        keyed: dict[int, list[tuple[int, int]]] = {}
        for col, parts in enumerate(split):
            ids = [words[w] for w in parts]
            if len(ids) == 1:
                unigram[ids[0]] = col
            else:
                key = 0
                for i in ids:
                    key = key * size + i
                keyed.setdefault(len(ids), []).append((key, col))
        keys = {}
        for n, pairs in keyed.items():
            pairs.sort()
            keys[n] = (np.array([k for k, _ in pairs], dtype=np.int64), np.array([c for _, c in pairs], dtype=np.int64))
        return cls(list(words), unigram, keys, ngram)

    def arrays(self) -> Arrays:
        out = {"words": text_array(self.word_list), "unigram": self.unigram}
        for n, (keys, cols) in self.keys.items():
            out[f"keys{n}"], out[f"cols{n}"] = keys, cols
        return out

    @classmethod
    def from_arrays(cls, arrays: ArrayReader, ngram: tuple[int, int], n_terms: int) -> _WordIndex:
        words = array_text(arrays, "words")
        unigram = arrays.get("unigram", 1, "i")
        if len(unigram) != max(2, len(words)) or (len(unigram) and (unigram.min() < -1 or unigram.max() >= n_terms)):
            raise ModelError(f"{arrays.where}: the word index does not fit the vocabulary")
        keys = {}
        for n in range(2, ngram[1] + 1):
            if f"keys{n}" in arrays.arrays:
                k, c = arrays.get(f"keys{n}", 1, "i"), arrays.get(f"cols{n}", 1, "i")
                if len(k) != len(c) or (len(c) and (c.min() < 0 or c.max() >= n_terms)) or (np.diff(k) < 0).any():
                    raise ModelError(f"{arrays.where}: the word index does not fit the vocabulary")
                keys[n] = (k, c)
        return cls(words, unigram, keys, ngram)

    def columns(self, tokens: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """(text number, column) of every n-gram of each text's tokens that is a term; n-grams never span texts."""
        get = self.words.get
        ids = np.array([get(t, -1) for tk in tokens for t in tk], dtype=np.int64)
        doc = np.repeat(np.arange(len(tokens), dtype=np.int64), [len(tk) for tk in tokens])
        lo, hi = self.ngram
        docs, cols = [], []
        if lo <= 1 and len(ids):
            c = self.unigram[np.where(ids >= 0, ids, 0)]
            hit = (ids >= 0) & (c >= 0)
            docs.append(doc[hit])
            cols.append(c[hit])
        for n in range(max(2, lo), hi + 1):
            count = len(ids) - n + 1
            if count <= 0 or n not in self.keys:
                continue
            shifted = [ids[j : j + count] for j in range(n)]  # the j-th word of every n-gram
            ok = doc[:count] == doc[n - 1 :]  # all its words in one text
            for part in shifted:
                ok &= part >= 0
            keys = shifted[0][ok]
            for part in shifted[1:]:
                keys = keys * self.size + part[ok]
            table, terms = self.keys[n]
            at = np.searchsorted(table, keys)
            at[at == len(table)] = 0
            hit = table[at] == keys
            docs.append(doc[:count][ok][hit])
            cols.append(terms[at[hit]])
        if not cols:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(docs), np.concatenate(cols)


def _word_grams(tokens: list[str], ngram: tuple[int, int]) -> list[str]:
    lo, hi = ngram
    grams = list(tokens) if lo == 1 else []
    n_tokens = len(tokens)
    for n in range(max(2, lo), min(hi, n_tokens) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(n_tokens - n + 1))
    return grams


def _char_wb(text: str, ngram: tuple[int, int]) -> list[str]:
    lo, hi = ngram
    out: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        w = f" {word} "
        size = len(w)
        for n in range(lo, hi + 1):
            if size <= n:  # a short word counts once, whole
                out.append(w)
                break
            out.extend(w[i : i + n] for i in range(size - n + 1))
    return out


class LinearHead:
    """Class probabilities `softmax(scale * (X @ W.T + b))` over sparse and dense feature blocks.

    A binary linear model's single score s is stored as the two rows (0, s), so one formula
    covers logistic regression, a linear SVM with temperature scaling and complement naive Bayes.
    """

    def __init__(self, weights: np.ndarray, bias: np.ndarray, scale: float = 1.0) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)  # classes x features
        self.weights_t = np.ascontiguousarray(self.weights.T)
        self.bias = np.asarray(bias, dtype=np.float64)
        self.scale = float(scale)
        if self.bias.shape != (self.weights.shape[0],):
            raise ModelError(f"linear head: {self.weights.shape[0]} classes but {self.bias.shape} biases")

    @property
    def width(self) -> int:
        return int(self.weights.shape[1])

    def scores(self, sparse: Csr | None = None, dense: np.ndarray | None = None) -> np.ndarray:
        """X @ W.T + b with X = [sparse, dense]."""
        parts = []
        offset = 0
        if sparse is not None:
            parts.append(sparse.dot(self.weights_t[: sparse.width]))
            offset = sparse.width
        if dense is not None:
            parts.append(np.asarray(dense, dtype=np.float64) @ self.weights_t[offset : offset + dense.shape[1]])
            offset += dense.shape[1]
        if offset != self.width:
            raise ModelError(f"linear head expects {self.width} features, got {offset}")
        return np.sum(parts, axis=0) + self.bias

    def predict_proba(self, sparse: Csr | None = None, dense: np.ndarray | None = None) -> np.ndarray:
        return softmax(self.scale * self.scores(sparse, dense))

    def config(self) -> dict[str, Any]:
        return {"scale": self.scale}

    def arrays(self) -> Arrays:
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_parts(cls, config: dict[str, Any], arrays: ArrayReader) -> LinearHead:
        return cls(arrays.get("weights", 2, "f"), arrays.get("bias", 1, "f"), float(config.get("scale", 1.0)))

    @classmethod
    def from_sklearn(cls, model: Any, scale: float = 1.0) -> LinearHead:
        """A fitted LinearSVC, LogisticRegression or ComplementNB (softmax of its decision scores)."""
        if hasattr(model, "feature_log_prob_"):  # naive Bayes: joint log likelihood, no bias
            weights = np.asarray(model.feature_log_prob_, dtype=np.float64)
            bias = np.zeros(len(weights))
            if len(weights) == 1:
                bias = np.asarray(model.class_log_prior_, dtype=np.float64)
            return cls(weights, bias, scale)
        coef = np.asarray(model.coef_, dtype=np.float64)
        intercept = np.broadcast_to(np.asarray(model.intercept_, dtype=np.float64), (coef.shape[0],))
        if coef.shape[0] == 1:  # binary: one score s for the second class, i.e. rows (0, s)
            return cls(np.vstack([np.zeros_like(coef), coef]), np.array([0.0, float(intercept[0])]), scale)
        return cls(coef, intercept.copy(), scale)


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class TreeEnsemble:
    """Gradient-boosted trees (scikit-learn's `HistGradientBoostingClassifier`) as flat node arrays.

    Every tree of every class is walked for all rows at once: one numpy step per level. Raw
    scores are the baseline plus the leaves reached; probabilities are their softmax (the
    logistic function when there are two classes).
    """

    NODE_ARRAYS = ("feature", "threshold", "left", "right", "is_leaf", "missing_left", "value")

    def __init__(self, nodes: dict[str, np.ndarray], roots: np.ndarray, tree_class: np.ndarray, baseline: np.ndarray):
        self.feature = nodes["feature"].astype(np.int64)
        self.threshold = nodes["threshold"].astype(np.float64)
        self.left = nodes["left"].astype(np.int64)
        self.right = nodes["right"].astype(np.int64)
        self.is_leaf = nodes["is_leaf"].astype(bool)
        self.missing_left = nodes["missing_left"].astype(bool)
        self.value = nodes["value"].astype(np.float64)
        self.roots = roots.astype(np.int64)
        self.tree_class = tree_class.astype(np.int64)
        self.baseline = baseline.astype(np.float64)  # one per raw score column
        n = len(self.feature)
        for name in self.NODE_ARRAYS:
            if len(nodes[name]) != n:
                raise ModelError(f"tree nodes: {name} has {len(nodes[name])} entries, expected {n}")
        children = np.concatenate([self.left[~self.is_leaf], self.right[~self.is_leaf], self.roots])
        if len(children) and (children.min() < 0 or children.max() >= n):
            raise ModelError("tree nodes point outside the node arrays")
        if len(self.roots) != len(self.tree_class) or (len(self.tree_class) and self.tree_class.max() >= len(baseline)):
            raise ModelError("trees and their classes do not match")

    def raw(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        while True:
            inner = ~self.is_leaf[node]
            if not inner.any():
                break
            x = X[np.broadcast_to(rows, node.shape)[inner], self.feature[node[inner]]]
            at = node[inner]
            go_left = np.where(np.isnan(x), self.missing_left[at], x <= self.threshold[at])
            node[inner] = np.where(go_left, self.left[at], self.right[at])
        leaves = self.value[node]
        out = np.tile(self.baseline, (n, 1))
        for k in range(len(self.baseline)):
            out[:, k] += leaves[:, self.tree_class == k].sum(axis=1)
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raw = self.raw(X)
        if raw.shape[1] == 1:  # binary: the log-odds of the second class
            p = 1.0 / (1.0 + np.exp(-raw[:, 0]))
            return np.column_stack([1.0 - p, p])
        return softmax(raw)

    def config(self) -> dict[str, Any]:
        return {"trees": len(self.roots), "nodes": len(self.feature)}

    def arrays(self) -> Arrays:
        nodes: Arrays = {
            "feature": self.feature,
            "threshold": self.threshold,
            "left": self.left,
            "right": self.right,
            "is_leaf": self.is_leaf.astype(np.uint8),
            "missing_left": self.missing_left.astype(np.uint8),
            "value": self.value,
        }
        return {**nodes, "roots": self.roots, "tree_class": self.tree_class, "baseline": self.baseline}

    @classmethod
    def from_parts(cls, config: dict[str, Any], arrays: ArrayReader) -> TreeEnsemble:
        nodes = {k: arrays.get(k, 1, "f" if k in ("threshold", "value") else "iu") for k in cls.NODE_ARRAYS}
        return cls(
            nodes, arrays.get("roots", 1, "iu"), arrays.get("tree_class", 1, "iu"), arrays.get("baseline", 1, "f")
        )

    @classmethod
    def from_sklearn(cls, model: Any) -> TreeEnsemble:
        """A fitted HistGradientBoostingClassifier with numerical splits only."""
        parts: dict[str, list[np.ndarray]] = {k: [] for k in cls.NODE_ARRAYS}
        roots, tree_class = [], []
        offset = 0
        for per_iteration in model._predictors:
            for k, predictor in enumerate(per_iteration):
                nodes = predictor.nodes
                if nodes["is_categorical"].any():
                    raise ModelError("categorical splits cannot be exported")
                leaf = nodes["is_leaf"].astype(bool)
                parts["feature"].append(nodes["feature_idx"].astype(np.int64))
                parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
                parts["left"].append(np.where(leaf, 0, nodes["left"].astype(np.int64) + offset))
                parts["right"].append(np.where(leaf, 0, nodes["right"].astype(np.int64) + offset))
                parts["is_leaf"].append(leaf.astype(np.uint8))
                parts["missing_left"].append(nodes["missing_go_to_left"].astype(np.uint8))
                parts["value"].append(nodes["value"].astype(np.float64))
                roots.append(offset)
                tree_class.append(k)
                offset += len(nodes)
        baseline = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
        return cls(
            {k: np.concatenate(v) for k, v in parts.items()},
            np.asarray(roots, dtype=np.int64),
            np.asarray(tree_class, dtype=np.int64),
            baseline,
        )
