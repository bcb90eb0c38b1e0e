"""`evaluate --label-map`: data labelled in other words than the model's, put in the model's words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlpkit.cli import app
from nlpkit.errors import DataError, UsageError
from nlpkit.evaluation import evaluate_classifier, read_label_map, relabel
from nlpkit.labelled import LabelledData

runner = CliRunner()
SECTIONS = ["sport/football", "sport/tennis", "news/business", "news/uk", "news/in-pictures", "news/business"]


def sections() -> LabelledData:
    return LabelledData(texts=[f"text {i}" for i in range(len(SECTIONS))], labels=list(SECTIONS), source="s.jsonl")


def test_rules_rename_by_label_or_glob_the_first_match_winning() -> None:
    rules = read_label_map(["news/in-pictures=", "sport/*=sport", "news/business=business", "news/*=world"])
    out = relabel(sections(), ["business", "sport", "world"], rules)
    assert out.labels == ["sport", "sport", "business", "world", "business"]  # in-pictures left out
    assert out.texts == ["text 0", "text 1", "text 2", "text 3", "text 5"]
    assert "1 example left out by the label map: news/in-pictures 1" in out.notes


def test_labels_the_model_lacks_are_refused_with_what_to_do_or_left_out_and_counted() -> None:
    rules = read_label_map({"sport/*": "sport"})
    with pytest.raises(DataError) as e:
        relabel(sections(), ["sport", "business"], rules)
    message = str(e.value)
    assert "4 examples with labels the model does not know: news/business 2, news/in-pictures 1, news/uk 1" in message
    assert "--label-map FROM=TO" in message and "--skip-unknown-labels" in message
    out = relabel(sections(), ["sport", "business"], rules, skip_unknown=True)
    assert out.labels == ["sport", "sport"]
    assert any(n.startswith("4 examples left out, with labels the model does not know") for n in out.notes)
    with pytest.raises(DataError, match="no example left"):
        relabel(sections(), ["world"], [], skip_unknown=True)


def test_a_rule_naming_a_label_the_model_lacks_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="politics is not a label of the model; its labels: sport, world"):
        relabel(sections(), ["sport", "world"], read_label_map(["news/*=politics"]))


def test_a_rule_that_matches_nothing_is_noted() -> None:
    out = relabel(sections(), ["sport", "world"], read_label_map(["sport/*=sport", "news*=world", "spor=sport"]))
    assert "label map rules that matched no label: spor" in out.notes


def test_label_map_files(tmp_path: Path) -> None:
    csv = tmp_path / "map.csv"
    csv.write_text("label,model_label\nsport/*,sport\nnews/uk,\n")
    assert read_label_map(csv) == [("sport/*", "sport"), ("news/uk", "")]
    tsv = tmp_path / "map.tsv"
    tsv.write_text("label\tmodel_label\nnews/uk\tworld\n")
    js = tmp_path / "map.json"
    js.write_text(json.dumps({"news/business": "business"}))
    assert read_label_map([str(tsv), str(js), "a=b"]) == [
        ("news/uk", "world"),
        ("news/business", "business"),
        ("a", "b"),
    ]
    headless = tmp_path / "headless.csv"
    headless.write_text("sport/*,sport\n")
    with pytest.raises(DataError, match="a header row naming both columns"):
        read_label_map(headless)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(DataError, match="not a label map"):
        read_label_map(listed)
    with pytest.raises(UsageError, match="no such file; give FROM=TO"):
        read_label_map(["news/"])
    with pytest.raises(UsageError, match="give FROM=TO pairs"):
        read_label_map(["=sport"])


def test_a_label_map_from_a_spreadsheet_is_read_as_every_list_file_is(tmp_path: Path) -> None:
    # A European Excel export: semicolons, Windows-1252, a comment line
    sheet = tmp_path / "map.csv"
    sheet.write_bytes("# sections to labels\nLabel;Model_Label\nnews/économie;business\n".encode("cp1252"))
    assert read_label_map(sheet) == [("news/économie", "business")]


def test_the_bundled_topic_model_on_five_bbc_labels(data_dir: Path) -> None:
    # `tech` is the bundled model's `technology`; the seven labels the data lacks score an F1 of 0
    with pytest.raises(DataError, match="12 examples with labels the model does not know: tech 12"):
        evaluate_classifier("topic", data_dir / "topics.jsonl")
    m = evaluate_classifier("topic", data_dir / "topics.jsonl", label_map={"tech": "technology"})
    assert m["n"] == 60 and m["per_class"]["technology"]["support"] == 12
    present = [c["f1"] for c in m["per_class"].values() if c["support"]]
    assert len(present) == 5 and m["macro_f1_present"] == pytest.approx(sum(present) / 5)
    assert m["macro_f1"] < m["macro_f1_present"]
    r = runner.invoke(app, ["evaluate", "topic", str(data_dir / "topics.jsonl"), "--label-map", "tech=technology"])
    assert r.exit_code == 0, r.output
    assert "macro-F1 over the 5 labels the data has" in r.stdout and "(none of: crime, education" in r.stdout
    assert "note: the label map renamed the labels of 12 examples" in r.stdout
    wrong = runner.invoke(app, ["evaluate", "textrank", str(data_dir / "summaries.jsonl"), "--label-map", "a=b"])
    assert wrong.exit_code == 2 and "--label-map and --skip-unknown-labels are for classifiers" in wrong.stderr


def test_evaluate_reads_the_headline_from_the_title_field(tmp_path: Path) -> None:
    # The headline is half of what a topic model reads: `--title-field` names its column, as in training.
    rows = [
        {"head": "Striker scores twice in the cup final", "body": "It was a night to remember.", "label": "sport"},
        {"head": "Shares slump as profits fall", "body": "It was a night to remember.", "label": "business"},
    ]
    data = tmp_path / "heads.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    args = ["evaluate", "topic", str(data), "--text-field", "body", "--label-field", "label", "-f", "json"]
    without = json.loads(runner.invoke(app, args).stdout)
    with_titles = json.loads(runner.invoke(app, [*args, "--title-field", "head"]).stdout)
    assert with_titles["accuracy"] == 1.0 and without["accuracy"] < 1.0
