"""The public estimators keep scikit-learn's contract, and the tree export still finds what it reads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks

import nlpkit
from nlpkit.predictors.trees import TreeEnsemble

ROOT = Path(__file__).resolve().parent.parent
ROWS = [json.loads(line) for line in (ROOT / "data" / "topics.jsonl").read_text().splitlines()]
TEXTS, LABELS = [r["text"] for r in ROWS], [r["label"] for r in ROWS]

ESTIMATORS = ["TfidfClassifier", "TfidfStanceClassifier", "EmbeddingClassifier", "EmbeddingStanceClassifier"]

#: scikit-learn's own checks that apply to estimators of text (the others feed numeric arrays).
CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_estimators_unfitted",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_parameters_default_constructible",
    "check_mixin_order",
]


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("check", CHECKS)
def test_scikit_learn_checks_that_apply_to_text(name: str, check: str) -> None:
    estimator = getattr(nlpkit, name)()
    getattr(estimator_checks, check)(name, estimator)


def test_works_in_a_pipeline_a_grid_search_and_clone() -> None:
    lower = FunctionTransformer(lambda xs: [x.lower() for x in xs])
    pipe = make_pipeline(lower, nlpkit.TfidfClassifier(cv=2))
    scores = cross_val_score(pipe, TEXTS, LABELS, cv=3)
    assert scores.mean() > 0.5
    grid = GridSearchCV(nlpkit.TfidfClassifier(cv=2), {"C": [0.3, 1.0]}, cv=3).fit(TEXTS, LABELS)
    assert grid.best_params_["C"] in (0.3, 1.0)
    assert grid.predict(["The striker scored twice."])[0] == "sport"
    copy = clone(nlpkit.TfidfClassifier(C=0.7))
    assert copy.get_params()["C"] == 0.7 and not hasattr(copy, "classes_")


def test_the_tree_export_reads_what_this_scikit_learn_keeps() -> None:
    """Reads HistGradientBoosting's private `_predictors` and `_baseline_prediction`; pyproject bounds
    scikit-learn to the versions where this holds. When it fails, the bound or the export must change."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, "a", np.where(X[:, 2] > 0.5, "b", "c"))
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take the learnt side
    model = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y)
    assert hasattr(model, "_predictors") and hasattr(model, "_baseline_prediction"), "scikit-learn moved its trees"
    trees = TreeEnsemble.from_sklearn(model)
    assert np.allclose(trees.predict_proba(X), model.predict_proba(X), atol=1e-9)
    complete = np.nan_to_num(X)  # rows without a missing value take the walk without masks
    assert np.allclose(trees.predict_proba(complete), model.predict_proba(complete), atol=1e-9)


def test_exported_regression_trees_predict_what_scikit_learn_does() -> None:
    """The one-sentence scorer's trees: a regressor's raw output is its prediction, with and without missing values."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 6))
    y = np.sin(X[:, 0]) + X[:, 1] * (X[:, 2] > 0)
    X[rng.random(X.shape) < 0.05] = np.nan
    model = HistGradientBoostingRegressor(max_iter=30, random_state=0).fit(X, y)
    trees = TreeEnsemble.from_sklearn(model)
    for rows in (X, np.nan_to_num(X)):
        assert np.allclose(trees.raw(rows)[:, 0], model.predict(rows), atol=1e-9)
