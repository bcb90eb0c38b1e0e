"""The `tfidf` backend: fast linear topic models (here) and stance models (`tfidf_stance`).

Topic: TF-IDF features (words, bigrams, and for short texts character n-grams) and a linear
SVM, with complement naive Bayes mixed in for short texts, chosen by cross-validation on the
training data (sources held out whole when the data says where each example comes from);
probabilities are the scores scaled by a temperature fitted on the same out-of-fold scores.

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

from nlpkit.classifiers.base import Estimator, PredictFromProba
from nlpkit.classifiers.lean import ShortTexts, TextLinear
from nlpkit.classifiers.svm import (
    FEATURE_SETS,
    align,
    best_result,
    cv_result,
    fit_temperature,
    say_tried,
    short_texts,
    stack,
    tfidf_vectorizers,
    two_column_scores,
)
from nlpkit.classifiers.tfidf_stance import TfidfStanceClassifier
from nlpkit.errors import UsageError
from nlpkit.predictors import LinearHead, TfidfTransform, softmax

#: Up to this many groups (sources), cross-validation holds out one source at a time.
MAX_SOURCES = 20


class TfidfClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """TF-IDF features and a linear SVM, with naive Bayes for short texts; chosen by cross-validation, temperature-scaled.

    A linear SVM reads long articles best; on headlines and feed items from an outlet it never saw,
    complement naive Bayes holds up better. So a text of fewer than `short_tokens` words gets the
    SVM's scores plus `short_weight` times naive Bayes' (centred log-likelihoods, `alpha`): one
    linear model for articles, a mixture for headlines.

    With `features="auto"`, every feature set of `FEATURE_SETS` the texts' length allows (character
    n-grams only for short texts) is tried, with every C of `C_grid` and both short-text weights
    (0: the SVM alone, 1), scored by macro-F1 by cross-validation on the training data (vectorizers
    fitted inside each fold): `cv`-fold stratified, or, when `fit` is given the examples' sources as
    `groups`, one source held out at a time — as the model will meet a new outlet. What `budget`
    seconds do not reach is skipped. The winner is refitted on all the data, and its out-of-fold
    scores fit the temperature of its probabilities. `selection_` records every candidate's score;
    `verbose=1` prints a line on stderr as each feature set is cross-validated.

    Example:
        >>> clf = TfidfClassifier(min_df=1, cv=2).fit(
        ...     ["goal match win", "match goal team", "vote party poll", "poll vote minister"],
        ...     ["sport", "sport", "politics", "politics"])
        >>> clf.predict(["the team won the match"]).tolist()
        ['sport']
    """

    #: The backend and task a model saved from this estimator has (`nlpkit.save_model`).
    backend = "tfidf"
    task = "topic"

    def __init__(
        self,
        *,
        features: str = "auto",
        min_df: int | None = None,
        C: float | str = "auto",
        C_grid: tuple[float, ...] = (0.3, 1.0),
        short_weight: float | str = "auto",
        short_tokens: int = 60,
        alpha: float = 0.3,
        cv: int = 3,
        class_weight: str | None = None,
        budget: float = 600.0,
        random_state: int = 0,
        verbose: int = 0,
    ) -> None:
        self.features = features
        self.min_df = min_df
        self.C = C
        self.C_grid = C_grid
        self.short_weight = short_weight
        self.short_tokens = short_tokens
        self.alpha = alpha
        self.cv = cv
        self.class_weight = class_weight
        self.budget = budget
        self.random_state = random_state
        self.verbose = verbose

    def _feature_sets(self, texts: Sequence[str]) -> list[str]:
        if self.features != "auto":  # one feature set, or several to choose among ("words,words+bigrams")
            names = [n.strip() for n in self.features.split(",")]
            unknown = [n for n in names if n not in FEATURE_SETS]
            if unknown:
                raise UsageError(f"features={self.features!r}: use auto or one or more of {', '.join(FEATURE_SETS)}")
            return names
        short = short_texts(texts)
        return [name for name in FEATURE_SETS if short or "chars" not in name]

    def _settings(self) -> list[tuple[float, float]]:
        """(C, short-text weight) of every model to try."""
        cs = [float(c) for c in self.C_grid] if self.C == "auto" else [float(self.C)]
        ws = [0.0, 1.0] if self.short_weight == "auto" else [float(self.short_weight)]
        return [(c, w) for c in cs for w in ws]

    def _svm(self, c: float) -> Any:
        from sklearn.svm import LinearSVC

        return LinearSVC(C=c, class_weight=self.class_weight, random_state=self.random_state)

    def _nb(self) -> Any:
        from sklearn.naive_bayes import ComplementNB

        return ComplementNB(alpha=self.alpha)

    def fit(self, X: Sequence[str], y: Sequence[str], groups: Sequence[str] | None = None) -> TfidfClassifier:
        """Fit on texts and labels; with `groups` (each example's source), the settings are chosen and the
        probabilities calibrated on sources held out whole, as the model will meet a new outlet."""
        texts = [str(x) for x in X]
        y_arr = np.asarray(y, dtype=object)
        self.classes_ = np.unique(y_arr)
        names = self._feature_sets(texts)
        settings = self._settings()
        self.scale_ = 1.0
        self.selection_: dict[str, Any] = {}
        chosen = (names[0], *settings[0])
        split = self._folds(texts, y_arr, groups)
        # with one candidate too: its out-of-fold scores fit the temperature
        if split is not None and len(self.classes_) > 1:
            chosen, oof = self._select(texts, y_arr, names, settings, split)
            held = ~np.isnan(oof).any(axis=1)
            self.scale_ = fit_temperature(oof[held], list(y_arr[held]), list(self.classes_))
        self.feature_set_, self.C_, self.short_weight_ = chosen
        self.vectorizers_ = tfidf_vectorizers(self.feature_set_, len(texts), self.min_df)
        features = stack([v.fit_transform(texts) for v in self.vectorizers_])
        self.svm_ = self._svm(self.C_).fit(features, y_arr)
        self.nb_ = self._nb().fit(features, y_arr) if self.short_weight_ else None
        return self

    def _folds(
        self, texts: list[str], y: np.ndarray, groups: Sequence[str] | None
    ) -> tuple[list[tuple[np.ndarray, np.ndarray]], str] | None:
        """Cross-validation folds: one per source held out whole (with two to 20 sources), else stratified."""
        from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

        if groups is not None and 2 <= len(set(groups)) <= MAX_SOURCES:
            folds = list(LeaveOneGroupOut().split(texts, y, list(groups)))
            return folds, f"leave-one-source-out cross-validation ({len(folds)} sources)"
        k = min(self.cv, len(texts) // 2)  # a label rarer than the folds still leaves every fold the others
        if k < 2:
            return None
        with warnings.catch_warnings():  # a label with fewer examples than folds is fine here
            warnings.simplefilter("ignore", UserWarning)
            folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state).split(texts, y))
        return folds, f"{k}-fold stratified cross-validation on the training data"

    def _select(
        self,
        texts: list[str],
        y: np.ndarray,
        names: list[str],
        settings: list[tuple[float, float]],
        split: tuple[list[Any], str],
    ) -> tuple[tuple[str, float, float], np.ndarray]:
        """Every (feature set, C, short weight) by cross-validation; the best by macro-F1 (then accuracy), and
        its out-of-fold scores."""
        folds, how = split
        t0 = time.perf_counter()
        results: list[dict[str, Any]] = []  # every candidate, in the order tried
        keys: list[tuple[str, float, float]] = []
        oof: list[np.ndarray | None] = []
        for name in names:
            if results and time.perf_counter() - t0 > self.budget:
                for c, w in settings:
                    results.append({"name": _candidate(name, c, w), "skipped": "time budget"})
                    keys.append((name, c, w))
                    oof.append(None)
                continue
            scores, seconds = self._cross_validate(texts, y, name, settings, folds)
            for c, w in settings:
                results.append(cv_result(_candidate(name, c, w), scores[c, w], y, self.classes_, seconds))
                keys.append((name, c, w))
                oof.append(scores[c, w])
            if len(names) > 1:
                done, took = len(results) // len(settings), seconds * len(settings)
                say_tried(self.verbose, results[-len(settings) :], done, len(names), "feature sets", took)
        best = best_result(results)
        self.selection_ = {
            "how": f"{how}, by macro-F1 (then accuracy)",
            "candidates": results,
            "chosen": results[best]["name"],
        }
        chosen = oof[best]
        assert chosen is not None  # the first feature set is always scored
        return keys[best], chosen

    def _cross_validate(
        self, texts: list[str], y: np.ndarray, name: str, settings: list[tuple[float, float]], folds: list[Any]
    ) -> tuple[dict[tuple[float, float], np.ndarray], float]:
        """Out-of-fold scores of every setting on one feature set (NaN where no fold held a row out), and the
        seconds per setting."""
        start = time.perf_counter()
        scores = {m: np.full((len(texts), len(self.classes_)), np.nan) for m in settings}
        short = np.array([_words(t) < self.short_tokens for t in texts])
        for tr, te in folds:
            vecs = tfidf_vectorizers(name, len(tr), self.min_df)
            Ftr = stack([v.fit_transform([texts[i] for i in tr]) for v in vecs])
            Fte = stack([v.transform([texts[i] for i in te]) for v in vecs])
            nb = self._nb().fit(Ftr, y[tr]) if any(w for _, w in settings) else None
            bayes = (
                align(_centred(np.asarray(Fte @ nb.feature_log_prob_.T)), nb.classes_, self.classes_) if nb else None
            )
            for c in {c for c, _ in settings}:
                svm = self._svm(c).fit(Ftr, y[tr])
                margin = align(two_column_scores(svm.decision_function(Fte)), svm.classes_, self.classes_)
                for w in {w for cc, w in settings if cc == c}:
                    mixed = (
                        margin
                        if not w or bayes is None
                        else margin + w * short[te][:, None] * np.nan_to_num(bayes, neginf=0.0)
                    )
                    scores[c, w][te] = mixed
        return scores, (time.perf_counter() - start) / len(settings)

    def chosen_params(self) -> dict[str, Any]:
        """The parameters that pin what selection chose (to refit on more data without choosing again)."""
        check_is_fitted(self, "svm_")
        return {"features": self.feature_set_, "C": self.C_, "short_weight": self.short_weight_}

    def decision_function(self, X: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "svm_")
        texts = [str(x) for x in X]
        features = stack([v.transform(texts) for v in self.vectorizers_])
        margin = two_column_scores(np.asarray(self.svm_.decision_function(features)))
        if self.nb_ is None:
            return margin
        short = np.array([_words(t) < self.short_tokens for t in texts])[:, None]
        return margin + self.short_weight_ * short * _centred(np.asarray(features @ self.nb_.feature_log_prob_.T))

    def predict_proba(self, X: Sequence[str]) -> np.ndarray:
        scores = self.decision_function(X)  # checks the estimator is fitted
        return softmax(self.scale_ * two_column_scores(scores))

    def predictor(self) -> TextLinear:
        """The numpy-only predictor a model folder keeps (same probabilities)."""
        check_is_fitted(self, "svm_")
        vectorizers = [TfidfTransform.from_sklearn(v) for v in self.vectorizers_]
        head = LinearHead.from_sklearn(self.svm_, self.scale_)
        short = None
        if self.nb_ is not None:
            short = ShortTexts(LinearHead.from_sklearn(self.nb_), self.short_tokens, self.short_weight_)
        return TextLinear(list(self.classes_), vectorizers, head, short)


def _candidate(features: str, c: float, weight: float) -> str:
    return f"{features}, C={c:g}" + (f", naive Bayes x{weight:g} for short texts" if weight else "")


def _words(text: str) -> int:
    """Whitespace-separated words (what decides whether a text is short)."""
    return len(text.split())


def _centred(scores: np.ndarray) -> np.ndarray:
    """Each row minus its mean over the classes (naive Bayes log-likelihoods differ by a per-text constant)."""
    return scores - scores.mean(axis=1, keepdims=True)


def make_tfidf(task: str, **params: Any) -> Estimator:
    if task == "stance":
        return TfidfStanceClassifier(**params)
    return TfidfClassifier(**params)
