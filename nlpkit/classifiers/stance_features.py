"""Fitting the pair features of stance models (scikit-learn at training time only).

`PairFeatures` is a scikit-learn transformer over (target, text) pairs. It learns one
TF-IDF vocabulary from targets and texts together (on training data only) and an SVD basis
of it, then hands the work to the numpy-only `PairFeaturizer` that the saved model keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from nlpkit.classifiers.pairs import PairFeaturizer
from nlpkit.predictors import TfidfTransform


class PairFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: list of (target, text) pairs -> dense feature matrix."""

    def __init__(
        self, *, svd_components: int = 50, max_features: int = 50000, claims: bool = True, random_state: int = 0
    ) -> None:
        self.svd_components = svd_components
        self.max_features = max_features
        self.claims = claims
        self.random_state = random_state

    def fit(self, X: Sequence[tuple[str, str]], y: Any = None) -> PairFeatures:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        corpus = list(dict.fromkeys([str(t) for t, _ in X] + [str(b) for _, b in X]))
        vectorizer = TfidfVectorizer(
            sublinear_tf=True, min_df=2, max_df=0.8, stop_words="english", max_features=self.max_features
        )
        try:
            vec = vectorizer.fit_transform(corpus)
        except ValueError:  # every term too rare or too common: keep them all
            vectorizer.set_params(min_df=1, max_df=1.0)
            vec = vectorizer.fit_transform(corpus)
        k = max(1, min(self.svd_components, vec.shape[1] - 1, vec.shape[0] - 1))
        svd = TruncatedSVD(n_components=k, random_state=self.random_state).fit(vec)
        self.featurizer_ = PairFeaturizer(TfidfTransform.from_sklearn(vectorizer), svd.components_, claims=self.claims)
        return self

    def transform(self, X: Sequence[tuple[str, str]]) -> np.ndarray:
        return self.featurizer_.transform(list(X))
