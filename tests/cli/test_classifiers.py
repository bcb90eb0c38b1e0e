from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlpkit.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("m") / "topic"
    data = Path(__file__).parents[2] / "data" / "topics.jsonl"
    r = runner.invoke(app, ["train", "topic", str(data), "--out", str(out), "--dev-split", "0.25"])
    assert r.exit_code == 0, r.output
    assert "macro-F1" in r.stdout and "model written to" in r.stdout
    # the settings are chosen by cross-validation, one progress line per feature set tried, on stderr
    tried = [line for line in r.stderr.splitlines() if line.startswith("nlpkit: choosing settings: ")]
    assert tried and re.fullmatch(
        r".*: 1 of \d feature sets cross-validated \(\d+ s\); .*macro-F1 [\d.]+, .*", tried[0]
    )
    assert "verbose" not in json.loads((out / "nlpkit.json").read_text())["params"]  # not part of the model
    return out


def test_train_refuses_existing_output(model_dir: Path, data_dir: Path) -> None:
    r = runner.invoke(app, ["train", "topic", str(data_dir / "topics.jsonl"), "--out", str(model_dir)])
    assert r.exit_code == 1 and "use --force" in r.stderr


def test_classify_jsonl_in_order(model_dir: Path, data_dir: Path) -> None:
    r = runner.invoke(
        app, ["classify", str(data_dir / "articles.jsonl"), "--model", str(model_dir), "-f", "json", "-k", "2"]
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["n1", "n2", "n3", "n4", "n5"]
    assert all(len(row["top"]) == 2 and 0 <= row["score"] <= 1 for row in rows)


def test_bundled_topic_model_by_name(data_dir: Path) -> None:
    r = runner.invoke(app, ["classify", str(data_dir / "article.txt"), "--model", "topic"])
    assert r.exit_code == 0 and r.stdout.count("\t") == 1


def test_stance_needs_a_target(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("A dog bit a man in the park on Friday, police said.")
    # no target, no headline: no stance, and the reason, as `score` does (the article was read; not a failure)
    r = runner.invoke(app, ["classify", str(p), "--model", "stance", "-f", "json"])
    assert r.exit_code == 0 and "no target" in r.stderr
    row = json.loads(r.stdout)
    assert row["label"] is None and row["skipped"].endswith(
        "no target: give --target, a target field (--target-field), or articles with a headline"
    )
    r = runner.invoke(app, ["classify", str(p), "--model", "stance", "--target", "Dog bites man", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["label"] in {"agree", "disagree", "discuss", "unrelated"}


def test_stance_target_field(data_dir: Path) -> None:
    r = runner.invoke(
        app, ["classify", str(data_dir / "stance.jsonl"), "--model", "stance", "--target-field", "target"]
    )
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 20


def test_evaluate_writes_report(model_dir: Path, data_dir: Path, tmp_path: Path) -> None:
    rep = tmp_path / "rep"
    r = runner.invoke(app, ["evaluate", str(model_dir), str(data_dir / "topics.jsonl"), "--report", str(rep)])
    assert r.exit_code == 0, r.output
    assert "confusion matrix" in r.stdout
    m = json.loads((rep / "metrics.json").read_text())
    for key in ("accuracy", "macro_f1", "per_class", "confusion_matrix", "labels", "n", "ece"):
        assert key in m
    assert all(0 <= m[k] <= 1 for k in ("accuracy", "macro_f1", "ece"))
    for name in ("report.md", "confusion_matrix.png", "calibration.png"):
        assert (rep / name).stat().st_size > 0
    again = runner.invoke(app, ["evaluate", str(model_dir), str(data_dir / "topics.jsonl"), "--report", str(rep)])
    assert again.exit_code == 1 and "--force" in again.stderr


def test_evaluate_stance_reports_fnc_score(data_dir: Path) -> None:
    r = runner.invoke(app, ["evaluate", "stance", str(data_dir / "stance.jsonl"), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert 0 <= json.loads(r.stdout)["fnc_score"] <= 1


def test_evaluate_by_a_field_scores_each_of_its_values(data_dir: Path, tmp_path: Path) -> None:
    """`--by target`: the stance model's figures for each claim, which the whole set's figure hides."""
    from collections import defaultdict

    rep = tmp_path / "rep"
    args = ["evaluate", "stance", str(data_dir / "stance.jsonl"), "--by", "target", "--report", str(rep), "-f", "json"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    m = json.loads(r.stdout)
    rows = [json.loads(line) for line in (data_dir / "stance.jsonl").read_text().splitlines()]
    sizes: dict[str, int] = defaultdict(int)
    for row in rows:
        sizes[row["target"]] += 1
    groups = m["by"]["groups"]
    assert m["by"]["field"] == "target" and {g["value"]: g["n"] for g in groups} == sizes
    assert [g["n"] for g in groups] == sorted(sizes.values(), reverse=True)
    assert sum(g["accuracy"] * g["n"] for g in groups) == pytest.approx(m["accuracy"] * m["n"])
    assert (rep / "by_group.png").read_bytes()[:4] == b"\x89PNG" and "![by target](by_group.png)" in (
        rep / "report.md"
    ).read_text()
    text = runner.invoke(app, ["evaluate", "stance", str(data_dir / "stance.jsonl"), "--by", "target"])
    assert f"by target ({len(sizes)} values; macro-F1 over the labels each has)" in text.stdout
    missing = runner.invoke(app, ["evaluate", "stance", str(data_dir / "stance.jsonl"), "--by", "site"])
    assert missing.exit_code == 1 and "no column 'site' to group by" in missing.stderr
    summarizer = runner.invoke(app, ["evaluate", "lead", str(data_dir / "summaries.jsonl"), "--by", "site"])
    assert summarizer.exit_code == 2 and "--by is for classifiers" in summarizer.stderr


def test_training_by_held_out_groups_shows_each_part(tmp_path: Path, data_dir: Path) -> None:
    """`--cv K --group-field F`: each fold holds a group out, and the output says how each held-out part did."""
    rows = [json.loads(line) for line in (data_dir / "topics.jsonl").read_text().splitlines()]
    data = tmp_path / "sourced.jsonl"
    data.write_text(
        "".join(json.dumps({**r, "source": ["gazette", "herald", "times"][i % 3]}) + "\n" for i, r in enumerate(rows))
    )
    args = ["train", "topic", str(data), "--out", str(tmp_path / "m"), "--cv", "3", "--group-field", "source"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    table = r.stdout.split("each fold's held-out part (macro-F1 over the labels it has)\n")[1].splitlines()
    assert table[0].split() == ["held", "out", "n", "accuracy", "macro-F1"]
    assert sorted(line.split()[0] for line in table[1:4]) == ["gazette", "herald", "times"]


def test_models_lists_bundled_and_shows_a_card(model_dir: Path) -> None:
    r = runner.invoke(app, ["models"])
    assert r.exit_code == 0 and "topic" in r.stdout and "stance" in r.stdout
    r = runner.invoke(app, ["models", str(model_dir)])
    assert r.exit_code == 0 and "## Labels" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify", "data/article.txt", "--model", "nope"], "unknown model 'nope'"),
        (["models", "data"], "not an nlpkit model folder"),
        (["train", "topic", "data/articles.jsonl", "--out", "x", "--label-field", "topic"], "no column 'topic'"),
    ],
)
def test_one_line_errors(args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parents[2])
    r = runner.invoke(app, args)
    assert r.exit_code != 0 and message in r.stderr and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) <= 2


def test_summarize_with_topic(data_dir: Path) -> None:
    r = runner.invoke(app, ["summarize", str(data_dir / "article.txt"), "--topic"])
    assert r.exit_code == 0 and r.stdout.splitlines()[1].startswith("Topic: ")


def test_transformer_model_through_train_classify_evaluate_and_score(
    tiny_encoder: Path, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tr"
    args = ["--backend", "transformer", "--base-model", str(tiny_encoder), "--device", "cpu"]
    r = runner.invoke(
        app, ["train", "topic", str(data_dir / "topics.jsonl"), "--out", str(out), *args, "-p", "max_length=32"]
    )
    assert r.exit_code == 0, r.output
    assert "epoch 1" in r.stderr and "macro-F1" in r.stdout
    r = runner.invoke(app, ["classify", str(data_dir / "articles.jsonl"), "--model", str(out), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 5
    r = runner.invoke(app, ["evaluate", str(out), str(data_dir / "topics.jsonl"), "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["n"] == 60
    scored = tmp_path / "scored.jsonl"
    options = ["--tasks", "topic", "--topic-model", str(out), "--workers", "1", "--quiet"]
    r = runner.invoke(app, ["score", str(data_dir / "articles.jsonl"), "--out", str(scored), *options])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in scored.read_text().splitlines()]
    assert len(rows) == 5 and all(row["topic_model"].startswith("tr@") for row in rows)


def test_the_bundled_topic_model_calls_world_news_world_and_skips_other_languages(data_dir: Path) -> None:
    r = runner.invoke(app, ["classify", str(data_dir / "world.txt"), "--model", "topic", "-f", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["label"] == "world"
    r = runner.invoke(app, ["summarize", str(data_dir / "world.txt"), "--topic"])
    assert "Topic: world" in r.stdout
    german = data_dir.parent / "tests" / "data" / "german.txt"
    r = runner.invoke(app, ["classify", str(german), "--model", "topic", "-f", "json"])
    row = json.loads(r.stdout)
    assert r.exit_code == 0 and row["label"] is None and "written in de" in row["skipped"]


def test_min_score_answers_uncertain_with_the_two_best(data_dir: Path) -> None:
    r = runner.invoke(app, ["classify", str(data_dir / "articles.jsonl"), "--model", "topic", "--min-score", "0.99"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 5
    assert all(re.search(r"\tuncertain \(\w+ 0\.\d+, \w+ 0\.\d+\)$", line) for line in lines), lines
    r = runner.invoke(app, ["classify", str(data_dir / "articles.jsonl"), "--model", "topic", "--min-score", "0.5"])
    assert any("uncertain" not in line for line in r.stdout.splitlines())
