"""The `tfidf` backend: fast linear topic models and pair-feature stance models.

Chosen by measurement on BBC (deduplicated; bench/classify.py): word 1-2-gram TF-IDF with a
LinearSVC whose C is picked by 3-fold cross-validation on the training data, calibrated by
an ensemble of per-fold sigmoid calibrations. Character 3-5-grams gave the same accuracy at
five times the training time, so they are an option (`char_ngrams=True`, useful for short
or noisy text), not the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from nlpkit.classify.base import Estimator, Pair, PredictFromProba


class CompactTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer that saves its vocabulary as one string, not a dict of numpy ints.

    skops would otherwise write one entry per term (80 MB and minutes for BBC's vocabulary);
    the list of pruned terms (`stop_words_`) is dropped too, as it is not used to transform.
    """

    _SEP = "\x00"

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("stop_words_", None)
        vocab = state.pop("vocabulary_", None)
        if vocab is not None:
            terms = [""] * len(vocab)
            for term, i in vocab.items():
                terms[int(i)] = term
            state["_terms"] = self._SEP.join(terms)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        terms = state.pop("_terms", None)
        if terms is not None:
            state["vocabulary_"] = {t: i for i, t in enumerate(terms.split(self._SEP))}
        super().__setstate__(state)


class TfidfClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """Word (and optionally character) n-gram TF-IDF with a calibrated linear SVM.

    Example:
        >>> clf = TfidfClassifier(min_df=1, calibration_cv=2).fit(
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
        calibration_cv: int = 3,
        calibration: str = "sigmoid",
        calibration_ensemble: bool = True,
        class_weight: str | None = None,
        random_state: int = 0,
    ) -> None:
        self.calibration = calibration
        self.calibration_ensemble = calibration_ensemble
        self.ngram_range = ngram_range
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_features = max_features
        self.C = C
        self.C_grid = C_grid
        self.calibration_cv = calibration_cv
        self.class_weight = class_weight
        self.random_state = random_state

    def fit(self, X: Sequence[str], y: Sequence[str]) -> TfidfClassifier:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.svm import LinearSVC

        y_arr = np.asarray(y, dtype=object)
        n_min = min(np.unique(y_arr, return_counts=True)[1])
        word = CompactTfidfVectorizer(
            ngram_range=tuple(self.ngram_range),
            sublinear_tf=True,
            min_df=self.min_df if len(X) > 50 else 1,
            max_df=0.9 if len(X) > 50 else 1.0,
            max_features=self.max_features,
            strip_accents="unicode",
        )
        parts: list[tuple[str, Any]] = [("word", word)]
        if self.char_ngrams:
            char = CompactTfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(3, 5),
                sublinear_tf=True,
                min_df=self.min_df,
                max_features=self.max_features,
            )
            parts.append(("char", char))
        features = FeatureUnion(parts)
        F = features.fit_transform(list(X))
        cv = min(self.calibration_cv, int(n_min))
        self.C_ = self._choose_C(F, y_arr, cv) if self.C == "auto" else float(self.C)
        svm = LinearSVC(C=self.C_, class_weight=self.class_weight, random_state=self.random_state)
        # ensemble: one calibrated SVM per fold, averaged (0.980 vs 0.978 in BBC cross-validation)
        head: Any = (
            CalibratedClassifierCV(svm, cv=cv, method=self.calibration, ensemble=self.calibration_ensemble)
            if cv >= 2
            else svm
        )
        head.fit(F, y_arr)
        self.pipeline_ = Pipeline([("features", features), ("clf", head)])
        self.classes_ = self.pipeline_.classes_
        return self

    def _choose_C(self, F: Any, y: np.ndarray, cv: int) -> float:
        """The SVM's C by cross-validated accuracy on the training data only (fast: features fitted once)."""
        from sklearn.model_selection import StratifiedKFold, cross_val_score
        from sklearn.svm import LinearSVC

        if cv < 2 or len(self.C_grid) == 1:
            return float(self.C_grid[0]) if len(self.C_grid) == 1 else 1.0
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=self.random_state)
        scores = [
            cross_val_score(
                LinearSVC(C=c, class_weight=self.class_weight, random_state=self.random_state), F, y, cv=folds
            ).mean()
            for c in self.C_grid
        ]
        return float(self.C_grid[int(np.argmax(scores))])

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "pipeline_")
        clf = self.pipeline_.named_steps["clf"]
        if hasattr(clf, "predict_proba"):
            return np.asarray(self.pipeline_.predict_proba(list(X)))
        scores = self.pipeline_.decision_function(list(X))  # one class too rare to calibrate: softmax
        scores = np.atleast_2d(scores) if scores.ndim > 1 else np.column_stack([-scores, scores])
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True))


class TfidfStanceClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """Pair features (see `stance_features`) with gradient-boosted trees and class weights.

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

        from nlpkit.classify.stance_features import PairFeatures

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


def make_tfidf(task: str, **params: Any) -> Estimator:
    cls = TfidfStanceClassifier if task == "stance" else TfidfClassifier
    return cls(**params)
