"""The `tfidf` backend: fast linear topic models (here) and stance models (`tfidf_stance`).

Topic: TF-IDF features (words, bigrams, and for short texts character n-grams) and a linear
SVM, both chosen by cross-validation on the training data; probabilities come from the SVM's
scores scaled by a temperature fitted on the same out-of-fold scores.

Both tasks are fitted with scikit-learn and saved as numpy-only predictors (`predictor()`),
which give the same probabilities (to 1e-6) without scikit-learn.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.classify.base import Estimator, PredictFromProba
from nlpkit.classify.lean import TextLinear
from nlpkit.classify.svm import (
    FEATURE_SETS,
    align,
    best_result,
    cv_result,
    fit_temperature,
    short_texts,
    stack,
    tfidf_vectorizers,
    two_column_scores,
)
from nlpkit.classify.tfidf_stance import TfidfStanceClassifier
from nlpkit.errors import UsageError
from nlpkit.predictors import LinearHead, TfidfTransform, softmax


class TfidfClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """TF-IDF features and a linear SVM, chosen by cross-validation on the training data; temperature-scaled.

    With `features="auto"` and `C="auto"`, every feature set of `FEATURE_SETS` the texts' length
    allows (character n-grams only for short texts) is tried with every C of `C_grid`, by
    `cv`-fold stratified cross-validation on the training data (vectorizers fitted inside each
    fold), scored by macro-F1; what `budget` seconds do not reach is skipped. The winner is
    refitted on all the data, and its out-of-fold scores fit the temperature of its
    probabilities. `selection_` records every candidate's score.

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
        features: str = "auto",
        min_df: int | None = None,
        C: float | str = "auto",
        C_grid: tuple[float, ...] = (0.3, 1.0),
        cv: int = 3,
        class_weight: str | None = None,
        budget: float = 300.0,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.min_df = min_df
        self.C = C
        self.C_grid = C_grid
        self.cv = cv
        self.class_weight = class_weight
        self.budget = budget
        self.random_state = random_state

    def _feature_sets(self, texts: Sequence[str]) -> list[str]:
        if self.features != "auto":
            if self.features not in FEATURE_SETS:
                raise UsageError(f"features={self.features!r}: use auto or one of {', '.join(FEATURE_SETS)}")
            return [self.features]
        short = short_texts(texts)
        return [name for name in FEATURE_SETS if short or "chars" not in name]

    def _svm(self, c: float) -> Any:
        from sklearn.svm import LinearSVC

        return LinearSVC(C=c, class_weight=self.class_weight, random_state=self.random_state)

    def fit(self, X: Sequence[str], y: Sequence[str]) -> TfidfClassifier:
        texts = [str(x) for x in X]
        y_arr = np.asarray(y, dtype=object)
        self.classes_ = np.unique(y_arr)
        names = self._feature_sets(texts)
        grid = [float(c) for c in self.C_grid] if self.C == "auto" else [float(self.C)]
        # a label rarer than the folds still leaves every fold with examples of the others
        folds = min(self.cv, len(texts) // 2)
        self.scale_ = 1.0
        self.selection_: dict[str, Any] = {}
        chosen = (names[0], grid[0])
        # with one candidate too: its out-of-fold scores fit the temperature
        if folds >= 2 and len(self.classes_) > 1:
            chosen, oof = self._select(texts, y_arr, names, grid, folds)
            self.scale_ = fit_temperature(oof, list(y_arr), list(self.classes_))
        self.feature_set_, self.C_ = chosen
        self.vectorizers_ = tfidf_vectorizers(self.feature_set_, len(texts), self.min_df)
        self.svm_ = self._svm(self.C_).fit(stack([v.fit_transform(texts) for v in self.vectorizers_]), y_arr)
        return self

    def _select(
        self, texts: list[str], y: np.ndarray, names: list[str], grid: list[float], k: int
    ) -> tuple[tuple[str, float], np.ndarray]:
        """Every (feature set, C) by k-fold CV; the best by macro-F1 (then accuracy), and its out-of-fold scores."""
        from sklearn.model_selection import StratifiedKFold

        with warnings.catch_warnings():  # a label with fewer examples than folds is fine here
            warnings.simplefilter("ignore", UserWarning)
            folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state).split(texts, y))
        t0 = time.perf_counter()
        results: list[dict[str, Any]] = []  # every candidate, in the order tried
        keys: list[tuple[str, float]] = []
        oof: list[np.ndarray | None] = []
        for name in names:
            if results and time.perf_counter() - t0 > self.budget:
                for c in grid:
                    results.append({"name": f"{name}, C={c:g}", "skipped": "time budget"})
                    keys.append((name, c))
                    oof.append(None)
                continue
            start = time.perf_counter()
            scores = {c: np.zeros((len(texts), len(self.classes_))) for c in grid}
            for tr, te in folds:
                vecs = tfidf_vectorizers(name, len(tr), self.min_df)
                Ftr = stack([v.fit_transform([texts[i] for i in tr]) for v in vecs])
                Fte = stack([v.transform([texts[i] for i in te]) for v in vecs])
                for c in grid:
                    svm = self._svm(c).fit(Ftr, y[tr])
                    scores[c][te] = align(two_column_scores(svm.decision_function(Fte)), svm.classes_, self.classes_)
            seconds = (time.perf_counter() - start) / len(grid)
            for c in grid:
                results.append(cv_result(f"{name}, C={c:g}", scores[c], y, self.classes_, seconds))
                keys.append((name, c))
                oof.append(scores[c])
        best = best_result(results)
        self.selection_ = {
            "how": f"{k}-fold stratified cross-validation on the training data, by macro-F1 (then accuracy)",
            "candidates": results,
            "chosen": results[best]["name"],
        }
        chosen = oof[best]
        assert chosen is not None  # the first feature set is always scored
        return keys[best], chosen

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "svm_")
        texts = [str(x) for x in X]
        return np.asarray(self.svm_.decision_function(stack([v.transform(texts) for v in self.vectorizers_])))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        scores = self.decision_function(X)  # checks the estimator is fitted
        return softmax(self.scale_ * two_column_scores(scores))

    def predictor(self) -> TextLinear:
        """The numpy-only predictor a model folder keeps (same probabilities)."""
        check_is_fitted(self, "svm_")
        vectorizers = [TfidfTransform.from_sklearn(v) for v in self.vectorizers_]
        return TextLinear(list(self.classes_), vectorizers, LinearHead.from_sklearn(self.svm_, self.scale_))


def make_tfidf(task: str, **params: Any) -> Estimator:
    if task == "stance":
        return TfidfStanceClassifier(**params)
    return TfidfClassifier(**params)
