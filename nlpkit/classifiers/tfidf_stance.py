"""The `tfidf` backend for stance: a model shaped by the data, chosen by cross-validation.

Stance data come in several shapes: headline/body pairs with many headlines (FNC-1, ARC),
claim/headline pairs (Emergent), tweets about a few fixed targets (P-Stance), claims about
motions (IBM). Three candidates cover them:

- `pair-trees`: features of the pair (relatedness, overlap, cue words, negation, SVD views;
  `nlpkit.classifiers.pairs`) with gradient-boosted trees — for targets and texts that must be
  read together. `max_iter` is an upper bound: over 10,000 pairs, scikit-learn keeps a tenth aside
  and stops once ten more rounds do not lower its loss there (the bundled stance model stopped
  after 132 of 300; its `spec.trees` counts them, a tree per label per round);
- `text-linear`: the text's TF-IDF with a linear SVM, the target ignored — when the text says
  it all (a headline's own cue words);
- `per-target`: a linear SVM per target on the text (one for all targets serves the others)
  — offered when a few targets each have many examples (tweets about three politicians).

`model="auto"` scores the candidates the data's shape allows by cross-validation on the
training data — folds by headline and body, as `nlpkit train` holds out its dev split — and
keeps the best by macro-F1. `selection_` records every candidate's score; `verbose=1` prints a line
on stderr as each is cross-validated.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from nlpkit.classifiers.base import Pair, PredictFromProba
from nlpkit.classifiers.lean import PairTextLinear, PairTrees
from nlpkit.classifiers.stance_features import PairFeatures
from nlpkit.classifiers.svm import (
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
from nlpkit.errors import UsageError
from nlpkit.predictors import LinearHead, TfidfTransform, TreeEnsemble, softmax
from nlpkit.splits import PER_TARGET, Keep, split_folds, target_kind

#: Stance candidates, cheapest first.
STANCE_MODELS = ("text-linear", "per-target", "pair-trees")
#: Bias of a label a per-target head never saw: its probability is nil.
ABSENT = -1000.0


class _TextLinear:
    """TF-IDF of the text and linear SVMs: one for all targets, and with `per_target` one per frequent target."""

    def __init__(self, owner: TfidfStanceClassifier, per_target: bool) -> None:
        self.owner = owner
        self.per_target = per_target

    def fit(self, pairs: list[Pair], y: np.ndarray, classes: np.ndarray) -> _TextLinear:
        from sklearn.svm import LinearSVC

        texts = [b for _, b in pairs]
        features = "words+bigrams+chars" if short_texts(texts) else "words+bigrams"
        self.vectorizers = tfidf_vectorizers(features, len(texts))
        F = stack([v.fit_transform(texts) for v in self.vectorizers])
        self.classes = classes

        def svm() -> Any:
            o = self.owner
            return LinearSVC(C=o.C, class_weight=o.class_weight, random_state=o.random_state)

        self.heads = [svm().fit(F, y)]
        self.targets: list[str] = []
        if self.per_target:
            rows: dict[str, list[int]] = defaultdict(list)
            for i, (t, _) in enumerate(pairs):
                rows[t].append(i)
            for t, idx in rows.items():
                if len(idx) >= PER_TARGET and len(set(y[idx])) > 1:
                    self.targets.append(t)
                    self.heads.append(svm().fit(F[idx], y[idx]))
        self.scale = 1.0
        return self

    def scores(self, pairs: list[Pair]) -> np.ndarray:
        F = stack([v.transform([b for _, b in pairs]) for v in self.vectorizers])
        which = {t: i + 1 for i, t in enumerate(self.targets)}
        head = np.array([which.get(t, 0) for t, _ in pairs])
        out = np.zeros((len(pairs), len(self.classes)))
        for h in np.unique(head):
            rows = np.flatnonzero(head == h)
            svm = self.heads[h]
            out[rows] = align(two_column_scores(svm.decision_function(F[rows])), svm.classes_, self.classes)
        return out

    def predict_proba(self, pairs: list[Pair]) -> np.ndarray:
        return softmax(self.scale * self.scores(pairs))

    def predictor(self) -> PairTextLinear:
        heads = []
        for svm in self.heads:
            head = LinearHead.from_sklearn(svm, self.scale)
            weights = np.zeros((len(self.classes), head.width))
            bias = np.full(len(self.classes), ABSENT)
            where = {c: i for i, c in enumerate(self.classes)}
            for j, c in enumerate(svm.classes_):
                weights[where[c]], bias[where[c]] = head.weights[j], head.bias[j]
            heads.append(LinearHead(weights, bias, self.scale))
        vectorizers = [TfidfTransform.from_sklearn(v) for v in self.vectorizers]
        return PairTextLinear(list(self.classes), vectorizers, heads, self.targets)


class _PairTrees:
    """Pair features with gradient-boosted trees."""

    def __init__(self, owner: TfidfStanceClassifier) -> None:
        self.owner = owner

    def fit(self, pairs: list[Pair], y: np.ndarray, classes: np.ndarray) -> _PairTrees:
        from sklearn.ensemble import HistGradientBoostingClassifier

        o = self.owner
        self.features = PairFeatures(
            svd_components=o.svd_components, max_features=o.max_features, claims=o.claims, random_state=o.random_state
        )
        F = self.features.fit_transform(pairs)
        self.model = HistGradientBoostingClassifier(
            max_iter=o.max_iter, learning_rate=o.learning_rate, class_weight=o.class_weight, random_state=o.random_state
        ).fit(F, y)
        self.classes = classes
        return self

    def predict_proba(self, pairs: list[Pair]) -> np.ndarray:
        p = np.asarray(self.model.predict_proba(self.features.transform(pairs)))
        if len(self.model.classes_) == len(self.classes):
            return p
        return softmax(align(np.log(np.clip(p, 1e-300, 1.0)), self.model.classes_, self.classes))

    def scores(self, pairs: list[Pair]) -> np.ndarray:
        return np.log(np.clip(self.predict_proba(pairs), 1e-300, 1.0))

    def predictor(self) -> PairTrees:
        return PairTrees(list(self.model.classes_), self.features.featurizer_, TreeEnsemble.from_sklearn(self.model))


class TfidfStanceClassifier(PredictFromProba, ClassifierMixin, BaseEstimator):
    """A stance model chosen among `STANCE_MODELS` by cross-validation (see the module's docstring).

    Example:
        >>> pairs = [("Dog bites man", "A dog bit a man on Friday."), ("Dog bites man", "Stocks rose.")] * 6
        >>> clf = TfidfStanceClassifier(model="pair-trees", svd_components=2, max_iter=20).fit(pairs, ["agree", "unrelated"] * 6)
        >>> clf.predict([("Dog bites man", "A dog bit a man, police say.")]).tolist()
        ['agree']
    """

    #: The backend and task a model saved from this estimator has (`nlpkit.save_model`).
    backend = "tfidf"
    task = "stance"

    def __init__(
        self,
        *,
        model: str = "auto",
        C: float = 0.3,
        cv: int = 3,
        budget: float = 900.0,
        svd_components: int = 50,
        max_features: int = 50_000,
        max_iter: int = 300,
        learning_rate: float = 0.1,
        class_weight: str | None = "balanced",
        claims: bool = True,
        split_by: str = "auto",
        random_state: int = 0,
        verbose: int = 0,
    ) -> None:
        self.model = model
        self.claims = claims
        self.split_by = split_by
        self.C = C
        self.cv = cv
        self.budget = budget
        self.svd_components = svd_components
        self.max_features = max_features
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.class_weight = class_weight
        self.random_state = random_state
        self.verbose = verbose

    def _candidates(self, pairs: list[Pair], y: np.ndarray) -> list[str]:
        if self.model != "auto":
            if self.model not in STANCE_MODELS:
                raise UsageError(f"model={self.model!r}: use auto or one of {', '.join(STANCE_MODELS)}")
            return [self.model]
        if len({t for t, _ in pairs}) >= 2 and target_kind([t for t, _ in pairs]) == "closed":
            # targets known at prediction: the text says the stance; pair features (is it related?) add nothing
            return ["text-linear", "per-target"]
        return [m for m in STANCE_MODELS if m != "per-target"]

    def _make(self, name: str) -> _TextLinear | _PairTrees:
        return _PairTrees(self) if name == "pair-trees" else _TextLinear(self, per_target=name == "per-target")

    def fit(self, X: Sequence[Pair], y: Sequence[str]) -> TfidfStanceClassifier:
        pairs = [(str(t), str(b)) for t, b in X]
        y_arr = np.asarray(y, dtype=object)
        self.classes_ = np.unique(y_arr)
        names = self._candidates(pairs, y_arr)
        self.selection_: dict[str, Any] = {}
        oof = None
        chosen = names[-1] if len(names) == 1 else None
        if chosen is None:
            chosen, oof = self._select(pairs, y_arr, names)
        self.chosen_ = chosen
        self.fitted_ = self._make(chosen).fit(pairs, y_arr, self.classes_)
        if isinstance(self.fitted_, _TextLinear) and oof is not None:
            held = ~np.isnan(oof).any(axis=1)
            self.fitted_.scale = fit_temperature(oof[held], list(y_arr[held]), list(self.classes_))
        return self

    def _select(self, pairs: list[Pair], y: np.ndarray, names: list[str]) -> tuple[str, np.ndarray]:
        """Each candidate's out-of-fold macro-F1 on folds by headline and body; the best and its scores."""
        k = self.cv if len(pairs) <= 20_000 else 2
        targets, texts = [t for t, _ in pairs], [b for _, b in pairs]
        split = split_folds(list(y), k, self.random_state, Keep(targets=targets, texts=texts, by=self.split_by))
        t0 = time.perf_counter()
        results: list[dict[str, Any]] = []
        oof: list[np.ndarray | None] = []
        for name in names:
            if results and time.perf_counter() - t0 > self.budget:
                results.append({"name": name, "skipped": "time budget"})
                oof.append(None)
                continue
            start = time.perf_counter()
            scores = np.full((len(pairs), len(self.classes_)), np.nan)  # NaN: no fold held the row out
            for tr, te in split.folds:
                if not tr or not te or len(set(y[tr])) < 2:
                    continue
                fitted = self._make(name).fit([pairs[i] for i in tr], y[tr], self.classes_)
                scores[te] = fitted.scores([pairs[i] for i in te])
            took = time.perf_counter() - start
            results.append(cv_result(name, scores, y, self.classes_, took))
            oof.append(scores)
            say_tried(self.verbose, results[-1:], len(results), len(names), "models", took)
        best = best_result(results)
        self.selection_ = {
            "how": f"{k}-fold cross-validation on the training data, {split.how}, by macro-F1 (then accuracy)",
            "candidates": results,
            "chosen": names[best],
            "left_out": split.left_out,
        }
        chosen = oof[best]
        assert chosen is not None  # the first candidate is always scored
        return names[best], chosen

    def chosen_params(self) -> dict[str, Any]:
        """The parameters that pin what selection chose (to refit on more data without choosing again)."""
        check_is_fitted(self, "fitted_")
        return {"model": self.chosen_}

    def predict_proba(self, X: Sequence[Pair]) -> np.ndarray:
        check_is_fitted(self, "fitted_")
        return self.fitted_.predict_proba([(str(t), str(b)) for t, b in X])

    def predictor(self) -> PairTextLinear | PairTrees:
        """The numpy-only predictor a model folder keeps (same probabilities)."""
        check_is_fitted(self, "fitted_")
        return self.fitted_.predictor()
