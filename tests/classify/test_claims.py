"""Claims that can be contradicted: the checks, a small stance model that learns them, targets and evidence."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

import nlpkit
from nlpkit.classifiers.claims import CLAIM_FEATURES, ArticleFacts, ClaimIndex, claim_features, evidence
from nlpkit.classifiers.tfidf_stance import TfidfStanceClassifier
from nlpkit.splits import Keep, split_folds, target_kind
from nlpkit.text.facts import names, numbers, opposites, swapped, words

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "models" / "stance-data"))
from claims import negate, oppose, renumber, reorder  # noqa: E402

PLACES = ["Leeds", "Porto", "Bergen", "Lyon", "Turin", "Ghent", "Cork", "Split", "Basel", "Graz", "Malmo", "Aarhus"]
THINGS = ["stadium", "bridge", "library", "tram line", "harbour wall", "concert hall", "bus depot", "cycle lane"]


def article(i: int) -> tuple[str, str]:
    """A short article and a claim it supports, made from a template."""
    place, thing = PLACES[i % len(PLACES)], THINGS[i % len(THINGS)]
    votes, cost = 5 + i % 7, 10 + 3 * i
    text = (
        f"The council of {place} voted on Monday to approve the new {thing}. "
        f"The plan was backed by {votes} councillors and will cost {cost} million euros. "
        f"Work on the {thing} is expected to start next spring, officials said. "
        f"Residents had campaigned for years for the {thing} to be built."
    )
    return text, f"The council of {place} will build a new {thing} costing {cost} million euros"


def pairs(indices: range, rng: random.Random) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    X, y, kinds = [], [], []
    for i in indices:
        text, claim = article(i)
        other = article(i + 5)[1]
        made = {"negated": negate(claim), "number": renumber(claim, text, rng), "opposite": oppose(claim)}
        for kind, target, label in [
            ("supported", claim, "agree"),
            ("negated", made["negated"], "disagree"),
            ("number", made["number"], "disagree"),
            ("unrelated", other, "unrelated"),
        ]:
            if target:
                X.append((target, text))
                y.append(label)
                kinds.append(kind)
    return X, y, kinds


def test_the_checks_see_negation_numbers_opposites_and_swaps() -> None:
    assert sorted(numbers("Costs rose 5% to 2,000 euros")) == ["2000", "5"]
    assert opposites(words("The council rejects the plan"), words("The council approved the plan")) == 1
    assert swapped("Arsenal beat Chelsea", "Chelsea beat Arsenal on Sunday")
    assert names("Arsenal beat Chelsea", opener=True) == ["arsenal", "chelsea"]
    art = ArticleFacts("The bank held rates at 5%. Inflation fell. The governor said cuts would come.")
    f = dict(zip(CLAIM_FEATURES, claim_features("The bank did not hold rates at 7%", art), strict=True))
    assert f["negation_differs"] == 1.0 and f["numbers_not_in_article"] == 1.0


def test_a_short_claim_with_another_number_has_all_the_evidence_words_but_its_number() -> None:
    # A unit glued to its number (`8km`) is a number too, and the claim's words, numbers aside, are all there.
    art = ArticleFacts("Ships will dock at a new terminal 8km along the coast. Work starts in spring.")
    f = dict(zip(CLAIM_FEATURES, claim_features("The terminal is 20km along the coast", art), strict=True))
    assert f["numbers_not_in_evidence"] == 1.0 and f["words_in_evidence"] == 1.0 and f["best_overlap"] < 1.0
    same = dict(zip(CLAIM_FEATURES, claim_features("The terminal is 8km along the coast", art), strict=True))
    assert same["numbers_not_in_evidence"] == 0.0 and same["numbers_in_evidence"] == 1.0


def test_two_numbers_in_the_opposite_order_are_checked_and_made_by_a_rule() -> None:
    assert reorder("The ban passed by 41 votes to 19 on Monday") == "The ban passed by 19 votes to 41 on Monday"
    assert reorder("Wales beat Israel 3-0 in Haifa") == "Wales beat Israel 0-3 in Haifa"
    assert reorder("It cost 5 million euros") is None and reorder("It was 3 all, 3 each") is None
    art = ArticleFacts("Shops welcomed it. The ban, passed by 41 votes to 19, starts in May.")
    claim = "The ban passed by 19 votes to 41"
    f = dict(zip(CLAIM_FEATURES, claim_features(claim, art), strict=True))
    assert f["numbers_reordered"] == 1.0 and f["numbers_not_in_evidence"] == 0.0
    same = dict(zip(CLAIM_FEATURES, claim_features("The ban passed by 41 votes to 19", art), strict=True))
    assert same["numbers_reordered"] == 0.0
    ev = evidence(claim, art)
    assert ev is not None and ev.text.startswith("The ban, passed by 41 votes to 19")


def test_a_small_model_catches_negation_numbers_and_unrelated_claims() -> None:
    rng = random.Random(0)
    X, y, _ = pairs(range(48), rng)
    clf = TfidfStanceClassifier(model="pair-trees", svd_components=4, max_iter=60).fit(X, y)
    Xt, yt, kinds = pairs(range(100, 112), rng)
    pred = clf.predict(Xt).tolist()
    for kind in ("supported", "negated", "number", "unrelated"):
        got = [p == g for p, g, k in zip(pred, yt, kinds, strict=True) if k == kind]
        assert sum(got) >= 0.75 * len(got), f"{kind}: {sum(got)} of {len(got)} right"


def test_evidence_is_the_sentence_that_bears_on_the_claim() -> None:
    text = "The council met on Monday. It voted to ban cruise ships from the old town. Shops welcomed it."
    ev = evidence("Council bans cruise ships", ArticleFacts(text))
    assert ev is not None and text[ev.start : ev.end] == ev.text == "It voted to ban cruise ships from the old town."


def test_claim_index_finds_the_claims_an_article_bears_on() -> None:
    index = ClaimIndex([("a", "Council bans cruise ships"), ("b", "Central bank cuts interest rates")])
    assert [c for c, _ in index.related("The central bank cut its interest rates again.")] == ["b"]
    assert index.related("A cat sat on a mat.") == []


def test_closed_targets_never_lose_a_target_to_the_dev_split() -> None:
    targets = [t for t in ("Trump", "Biden", "Sanders", "Warren", "Harris") for _ in range(60)]
    texts = [f"tweet {i} about {t}" for i, t in enumerate(targets)]
    labels = ["favor", "against", "none"] * 100
    assert target_kind(targets) == "closed"
    for train, held in split_folds(labels, 5, 0, Keep(targets=targets, texts=texts)).folds:
        assert {targets[i] for i in train} == set(targets) and {targets[i] for i in held} == set(targets)
    by_target = split_folds(labels, 5, 0, Keep(targets=targets, texts=texts, by="target"))
    assert all(not {targets[i] for i in tr} & {targets[i] for i in dv} for tr, dv in by_target.folds)


def test_closed_targets_train_in_seconds_with_per_target_candidates(tmp_path: Path) -> None:
    rows = []
    for i in range(300):
        target = ("Trump", "Biden", "Sanders")[i % 3]
        label = ("favor", "against")[(i // 3) % 2]
        word = "love" if label == "favor" else "hate"
        rows.append({"target": target, "text": f"I {word} what {target} said today number {i}", "label": label})
    data = tmp_path / "tweets.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = nlpkit.train("stance", data, out=tmp_path / "m", dev_split=0.2)
    selection = json.loads((tmp_path / "m" / "nlpkit.json").read_text())["selection"]
    assert {c["name"] for c in selection["candidates"]} == {"text-linear", "per-target"}
    assert (
        "within targets" in result.metrics["evaluated_on"] and "refit on all the data" in result.metrics["evaluated_on"]
    )
    assert result.metrics["accuracy"] > 0.9


@pytest.mark.parametrize("where", ["given", "headline"])
def test_classify_says_which_target_it_checked(tmp_path: Path, where: str) -> None:
    from typer.testing import CliRunner

    from nlpkit.cli import app

    text = "Council bans cruise ships\n\nThe council voted on Monday to ban cruise ships from the old town."
    (tmp_path / "a.txt").write_text(text)
    extra = ["--target", "Cruise ships banned"] if where == "given" else []
    r = CliRunner().invoke(app, ["classify", str(tmp_path / "a.txt"), "--model", "stance", "-f", "json", *extra])
    row = json.loads(r.stdout)
    assert row["target_source"] == where
    assert row["target"] == ("Cruise ships banned" if where == "given" else "Council bans cruise ships")
    ev = row["evidence"]
    assert text[ev["start"] : ev["end"]] == ev["text"]


def test_a_model_fitted_on_fewer_claim_checks_still_predicts_as_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # New checks go at the end of CLAIM_FEATURES: trees fitted before one was added never read the new column.
    import numpy as np

    from nlpkit.classifiers import pairs as pair_module

    real = pair_module.claims_matrix
    monkeypatch.setattr(pair_module, "claims_matrix", lambda p: real(p)[:, :-1])
    X, y, _ = pairs(range(24), random.Random(0))
    clf = TfidfStanceClassifier(model="pair-trees", svd_components=4, max_iter=30).fit(X, y)
    before = clf.predict_proba(X[:6])
    folder = nlpkit.save_model(clf, tmp_path / "old")
    monkeypatch.setattr(pair_module, "claims_matrix", real)
    model = nlpkit.load_model(folder, task="stance")
    assert np.allclose([[p.scores[lab] for lab in model.labels] for p in model.predict_scores(X[:6])], before)
