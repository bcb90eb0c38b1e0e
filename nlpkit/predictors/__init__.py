"""Numpy-only predictors, rebuilt from plain arrays: TF-IDF vectors, linear heads, tree ensembles.

Training uses scikit-learn; prediction uses these, so a saved model loads with numpy alone
(no scikit-learn, no skops, nothing that can name code to run). Each piece is described by a
small JSON `config()` and a dict of named `arrays()`, and rebuilt by `from_parts` from a
`SpecReader` and an `ArrayReader`, which check every setting and array on the way in; the
exporters (`from_sklearn`) turn fitted scikit-learn objects into them, and tests check that
the probabilities agree to 1e-6.

- `sparse`: CSR rows, strings as arrays, softmax;
- `tfidf`: TF-IDF rows from a stored vocabulary;
- `linear`: linear heads;
- `trees`: boosted tree ensembles.
"""

from __future__ import annotations

from nlpkit.predictors.linear import LinearHead
from nlpkit.predictors.sparse import Arrays, Csr, array_text, softmax, text_array
from nlpkit.predictors.tfidf import MAX_NGRAM, TfidfTransform, strip_accents, word_tokens
from nlpkit.predictors.trees import TreeEnsemble

__all__ = [
    "MAX_NGRAM",
    "Arrays",
    "Csr",
    "LinearHead",
    "TfidfTransform",
    "TreeEnsemble",
    "array_text",
    "softmax",
    "strip_accents",
    "text_array",
    "word_tokens",
]
