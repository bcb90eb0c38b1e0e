from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

import nlpkit
from nlpkit.classifiers.pairs import pair_cues
from nlpkit.classifiers.stance_features import PairFeatures
from nlpkit.classifiers.tfidf import TfidfClassifier, TfidfStanceClassifier
from nlpkit.predictors import TfidfTransform

TEXTS = ["goal match win team", "match goal striker team", "vote party poll minister", "poll vote minister party"] * 3
LABELS = ["sport", "sport", "politics", "politics"] * 3


def test_estimator_contract() -> None:
    clf = TfidfClassifier(min_df=1, C=0.5)
    assert clf.get_params()["C"] == 0.5
    assert not hasattr(clf, "pipeline_")  # __init__ only stores parameters
    cloned = clone(clf)
    assert cloned.get_params() == clf.get_params()
    assert clf.fit(TEXTS, LABELS) is clf
    assert list(clf.classes_) == ["politics", "sport"]
    proba = clf.predict_proba(["striker scored a goal"])
    assert proba.shape == (1, 2) and np.isclose(proba.sum(), 1.0)
    assert clf.predict(["the minister lost the vote"]).tolist() == ["politics"]


def test_unfitted_predict_raises() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        TfidfClassifier().predict_proba(["x"])


def test_char_ngrams_option() -> None:
    clf = TfidfClassifier(min_df=1, features="words+bigrams+chars").fit(TEXTS, LABELS)
    assert clf.predict(["goals matches"]).tolist() == ["sport"]


def test_lean_vectorizer_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["a bb cc Café", "bb dd, bb!", "x"]
    for kwargs in (
        {"ngram_range": (1, 2), "sublinear_tf": True, "strip_accents": "unicode"},
        {"analyzer": "char_wb", "ngram_range": (2, 4)},
    ):
        vec = TfidfVectorizer(**kwargs).fit(docs)
        lean = TfidfTransform.from_sklearn(vec).transform([*docs, "bb cafe unseen"])
        dense = np.zeros((lean.rows, lean.width))
        for i in range(lean.rows):
            dense[i, lean.indices[lean.indptr[i] : lean.indptr[i + 1]]] = lean.data[lean.indptr[i] : lean.indptr[i + 1]]
        assert np.allclose(dense, vec.transform([*docs, "bb cafe unseen"]).toarray(), atol=1e-12)


def test_pair_cues() -> None:
    related = pair_cues("Man bites dog in park", "A man bit a dog in the park on Friday.")
    unrelated = pair_cues("Man bites dog in park", "Stocks rose sharply on Wall Street.")
    assert related[0] > unrelated[0]
    refuting = pair_cues("Man bites dog", "The story is a hoax: no man bit any dog, police deny it.")
    plain = pair_cues("Man bites dog", "A man bit a dog.")
    assert refuting[10] > plain[10]  # refuting words per 1,000 words of the text


def test_pair_features_shape_and_fit_on_train_only() -> None:
    pairs = [("Dog bites man", "A dog bit a man."), ("Cat up tree", "A cat climbed a tree.")] * 4
    f = PairFeatures(svd_components=2).fit(pairs)
    X = f.transform([("Dog bites man", "Unseen words entirely here.")])
    assert X.shape[0] == 1 and np.isfinite(X).all()


def test_stance_classifier_learns_relatedness() -> None:
    pairs, labels = [], []
    for topic, related, other in [
        ("Dog bites man", "A dog bit a man in the park.", "Oil prices rose on Monday."),
        ("Bank cuts jobs", "The bank will cut 500 jobs.", "The team won the cup."),
        ("Storm hits coast", "A storm hit the coast overnight.", "The singer released an album."),
    ]:
        for _ in range(12):
            pairs += [(topic, related), (topic, other)]
            labels += ["agree", "unrelated"]
    clf = TfidfStanceClassifier(svd_components=2, max_iter=30).fit(pairs, labels)
    assert clf.predict([("Storm hits coast", "The storm hit the coast.")]).tolist() == ["agree"]
    assert clf.predict([("Storm hits coast", "Oil prices rose.")]).tolist() == ["unrelated"]


def test_verbose_shows_each_candidate_as_it_is_cross_validated(capsys: pytest.CaptureFixture[str]) -> None:
    TfidfClassifier(min_df=1, features="words,words+bigrams", cv=2).fit(TEXTS, LABELS)
    assert capsys.readouterr().err == ""  # quiet unless asked
    TfidfClassifier(min_df=1, features="words,words+bigrams", cv=2, verbose=1).fit(TEXTS, LABELS)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" cross-validated")[0] for line in lines] == [
        "nlpkit: choosing settings: 1 of 2 feature sets",
        "nlpkit: choosing settings: 2 of 2 feature sets",
    ]
    assert "; words, C=" in lines[0] and "; words+bigrams, C=" in lines[1] and "macro-F1 1.000" in lines[0]
    pairs = [
        p for i in range(8) for p in [("Dog bites man", f"A dog bit man {i}."), ("Dog bites man", f"Oil up {i}%.")]
    ]
    TfidfStanceClassifier(svd_components=2, max_iter=20, cv=2, verbose=1).fit(pairs, ["agree", "unrelated"] * 8)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(" cross-validated")[0] for line in lines] == [
        "nlpkit: choosing settings: 1 of 2 models",
        "nlpkit: choosing settings: 2 of 2 models",
    ]
    assert "; text-linear: macro-F1" in lines[0] and "; pair-trees: macro-F1" in lines[1]


def test_stance_folds_that_score_nothing_leave_the_first_model_not_a_crash(tmp_path: Path) -> None:
    # Two bodies, each with one label: folds by body leave a one-label training part, so no candidate is scored.
    pairs = [("Dog bites man", "A dog bit a man."), ("Dog bites man", "Oil prices rose.")] * 6
    clf = TfidfStanceClassifier(svd_components=2, max_iter=20, cv=2).fit(pairs, ["agree", "unrelated"] * 6)
    assert clf.selection_["chosen"] == "text-linear"
    assert {c["skipped"] for c in clf.selection_["candidates"]} == {"no fold could be scored (too few distinct texts)"}
    assert clf.predict([("Dog bites man", "A dog bit a man.")]).tolist() == ["agree"]
    card = (nlpkit.save_model(clf, tmp_path / "m") / "README.md").read_text()
    assert "| text-linear (chosen) | not scored: no fold could be scored" in card and "nan" not in card
