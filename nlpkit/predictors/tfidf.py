"""TF-IDF rows of texts from a stored vocabulary and IDF: scikit-learn's `TfidfVectorizer.transform`, numpy only.

Word n-grams are found through a word index (integer keys, looked up with `searchsorted`), so a
batch of texts becomes sparse rows without joining strings. Everything read from a model folder
is bounded: n-gram ranges, vocabulary size, index keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from nlpkit.arrays import ArrayReader, SpecReader
from nlpkit.errors import ModelError
from nlpkit.predictors.sparse import Arrays, Csr, array_text, text_array

_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_SPACES = re.compile(r"\s\s+")


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
#: Most terms one stored vocabulary may hold (nlpkit's feature sets keep at most 300,000).
MAX_TERMS = 1_000_000


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
    def from_parts(cls, spec: SpecReader, arrays: ArrayReader) -> TfidfTransform:
        ngram = spec.pair("ngram", 1, MAX_NGRAM)
        config: dict[str, Any] = {
            "analyzer": spec.choice("analyzer", ("word", "char_wb")),
            "ngram": ngram,
            "sublinear": spec.flag("sublinear"),
            "accents": spec.flag("accents"),
        }
        n_terms = spec.integer("terms", 0, MAX_TERMS)
        stored = arrays.get("vocabulary", 1, "u") if n_terms else None
        if stored is not None and int(np.count_nonzero(stored == 0)) + 1 != n_terms:  # counted before decoding
            raise ModelError(f"{arrays.where}: the vocabulary does not hold the {n_terms:,} terms the description says")
        terms = array_text(arrays, "vocabulary") if n_terms else []
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
        stored = arrays.get("words", 1, "u")
        n_words = int(np.count_nonzero(stored == 0)) + 1
        if n_words > max(1, n_terms) or max(2, n_words) ** ngram[1] >= 2**62:
            raise ModelError(f"{arrays.where}: the word index does not fit the vocabulary")
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
