"""The `tfidf` backend: fast linear topic models and pair-feature stance models.

Topic: word 1-2-gram TF-IDF (optionally with character n-grams) and a linear SVM whose C is
picked by cross-validation on the training data; probabilities come from the SVM's scores
scaled by a temperature fitted on the same out-of-fold scores. Stance: pair features (see
`nlpkit.classify.pairs`) with gradient-boosted trees and class weights.

Both are fitted with scikit-learn and saved as numpy-only predictors (`predictor()`), which
give the same probabilities (to 1e-6) without scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.classify.base import Estimator, Pair, PredictFromProba
from nlpkit.classify.lean import PairTrees, TextLinear
from nlpkit.classify.stance_features import PairFeatures
from nlpkit.predictors import LinearHead, TfidfTransform, TreeEnsemble, softmax


def two_column_scores(scores: np.ndarray) -> np.ndarray:
    """Decision scores as one column per class (a binary model's single score s becomes (0, s))."""
    return np.column_stack([np.zeros_like(scores), scores]) if scores.ndim == 1 else scores


def fit_temperature(scores: np.ndarray, y: Sequence[str], classes: Sequence[str]) -> float:
    """The scale T minimising the log-loss of softmax(T * scores) on held-out scores."""
    from scipy.optimize import minimize_scalar

    index = {c: i for i, c in enumerate(classes)}
    gold = np.array([index[v] for v in y])
    z = two_column_scores(np.asarray(scores, dtype=np.float64))

    def nll(log_t: float) -> float:
        p = softmax(np.exp(log_t) * z)
        return float(-np.log(np.clip(p[np.arange(len(gold)), gold], 1e-12, 1.0)).mean())

    return float(np.exp(minimize_scalar(nll, bounds=(-4.0, 4.0), method="bounded").x))


class TfidfClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """Word (and optionally character) n-gram TF-IDF with a linear SVM and temperature-scaled probabilities.

    Example:
        >>> clf = TfidfClassifier(min_df=1, cv=2).fit(
        ...     ["goal match win", "match goal team", "vote party poll", "poll vote minister"],
        ...     ["sport", "sport", "politics", "politics"])
        >>> clf.predict(["the team won the match"]).tolist()
        ['sport']
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 2),
        char_ngrams: bool = False,
        min_df: int = 2,
        max_features: int | None = 50_000,
        C: float | str = "auto",
        C_grid: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0),
        cv: int = 3,
        class_weight: str | None = None,
        random_state: int = 0,
    ) -> None:
        self.ngram_range = ngram_range
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.C_grid = C_grid
        self.cv = cv
        self.class_weight = class_weight
        self.random_state = random_state

    def _vectorizers(self, n: int) -> list[Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        small = n <= 50
        parts = [
            TfidfVectorizer(
                ngram_range=tuple(self.ngram_range),
                sublinear_tf=True,
                min_df=1 if small else self.min_df,
                max_df=1.0 if small else 0.9,
                max_features=self.max_features,
                strip_accents="unicode",
            )
        ]
        if self.char_ngrams:
            parts.append(
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    sublinear_tf=True,
                    min_df=1 if small else self.min_df,
                    max_features=self.max_features,
                    strip_accents="unicode",
                )
            )
        return parts

    def fit(self, X: Sequence[str], y: Sequence[str]) -> TfidfClassifier:
        from scipy.sparse import hstack
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.svm import LinearSVC

        texts = [str(x) for x in X]
        y_arr = np.asarray(y, dtype=object)
        self.vectorizers_ = self._vectorizers(len(texts))
        F = hstack([v.fit_transform(texts) for v in self.vectorizers_]).tocsr()
        self.classes_ = np.unique(y_arr)
        folds = min(self.cv, int(np.unique(y_arr, return_counts=True)[1].min()))
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state) if folds >= 2 else None

        def svm(c: float) -> Any:
            return LinearSVC(C=c, class_weight=self.class_weight, random_state=self.random_state)

        grid = [float(c) for c in self.C_grid] if self.C == "auto" else [float(self.C)]
        self.scale_ = 1.0
        if cv is not None:
            oof = {c: cross_val_predict(svm(c), F, y_arr, cv=cv, method="decision_function") for c in grid}
            accuracy = {c: float(np.mean(self._decide(oof[c]) == y_arr)) for c in grid}
            self.C_ = max(grid, key=lambda c: (accuracy[c], -grid.index(c)))
            self.scale_ = fit_temperature(oof[self.C_], list(y_arr), list(self.classes_))
        else:
            self.C_ = grid[0] if self.C != "auto" else 1.0
        self.svm_ = svm(self.C_).fit(F, y_arr)
        return self

    def _decide(self, scores: np.ndarray) -> np.ndarray:
        return np.asarray(self.classes_[two_column_scores(scores).argmax(axis=1)])

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        from scipy.sparse import hstack

        check_is_fitted(self, "svm_")
        texts = [str(x) for x in X]
        return np.asarray(self.svm_.decision_function(hstack([v.transform(texts) for v in self.vectorizers_]).tocsr()))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        scores = self.decision_function(X)  # checks the estimator is fitted
        return softmax(self.scale_ * two_column_scores(scores))

    def predictor(self) -> TextLinear:
        """The numpy-only predictor a model folder keeps (same probabilities)."""
        check_is_fitted(self, "svm_")
        vectorizers = [TfidfTransform.from_sklearn(v) for v in self.vectorizers_]
        return TextLinear(list(self.classes_), vectorizers, LinearHead.from_sklearn(self.svm_, self.scale_))


class TfidfStanceClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """Pair features (see `nlpkit.classify.pairs`) with gradient-boosted trees and class weights.

    Example:
        >>> pairs = [("Dog bites man", "A dog bit a man on Friday."), ("Dog bites man", "Stocks rose.")] * 6
        >>> clf = TfidfStanceClassifier(svd_components=2, max_iter=20).fit(pairs, ["agree", "unrelated"] * 6)
        >>> clf.predict([("Dog bites man", "A dog bit a man, police say.")]).tolist()
        ['agree']
    """

    def __init__(
        self,
        *,
        svd_components: int = 50,
        max_features: int = 50_000,
        max_iter: int = 300,
        learning_rate: float = 0.1,
        class_weight: str | None = "balanced",
        random_state: int = 0,
    ) -> None:
        self.svd_components = svd_components
        self.max_features = max_features
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.class_weight = class_weight
        self.random_state = random_state

    def fit(self, X: Sequence[Pair], y: Sequence[str]) -> TfidfStanceClassifier:
        from sklearn.ensemble import HistGradientBoostingClassifier

        self.features_ = PairFeatures(
            svd_components=self.svd_components, max_features=self.max_features, random_state=self.random_state
        )
        F = self.features_.fit_transform(list(X))
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            class_weight=self.class_weight,
            random_state=self.random_state,
        ).fit(F, np.asarray(y, dtype=object))
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Sequence[Pair]) -> np.ndarray:
        check_is_fitted(self, "model_")
        return np.asarray(self.model_.predict_proba(self.features_.transform(list(X))))

    def predictor(self) -> PairTrees:
        """The numpy-only predictor a model folder keeps (same probabilities)."""
        check_is_fitted(self, "model_")
        return PairTrees(list(self.classes_), self.features_.featurizer_, TreeEnsemble.from_sklearn(self.model_))


def make_tfidf(task: str, **params: Any) -> Estimator:
    cls = TfidfStanceClassifier if task == "stance" else TfidfClassifier
    return cls(**params)
