from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

import nlpkit
from nlpkit.errors import DataError
from nlpkit.labelled import LabelFields, load_labelled
from nlpkit.training import data_split


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_train_topic_with_dev_split(data_dir: Path, tmp_path: Path) -> None:
    r = nlpkit.train("topic", data_dir / "topics.jsonl", out=tmp_path / "m", dev_split=0.25, seed=1)
    assert r.metrics["n"] == 15 and 0 <= r.metrics["accuracy"] <= 1
    assert "held-out" in r.metrics["evaluated_on"]
    assert r.path == tmp_path / "m"


def test_cross_validation(data_dir: Path) -> None:
    r = nlpkit.train("topic", data_dir / "topics.jsonl", cv=3)
    assert r.metrics["folds"] == 3 and r.metrics["n"] == 60
    assert "accuracy_std" in r.metrics


def test_separate_dev_file_drops_overlap(data_dir: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (data_dir / "topics.jsonl").read_text().splitlines()]
    train = _write(tmp_path / "train.jsonl", rows[:45])
    dev = _write(tmp_path / "dev.jsonl", rows[40:])
    r = nlpkit.train("topic", train, dev=dev)
    assert r.metrics["n"] == 15
    assert any("also in training" in n for n in r.notes)


def test_duplicates_whitespace_and_case_variants(tmp_path: Path) -> None:
    rows = [{"text": f"sport text {i}", "label": "Sport "} for i in range(5)]
    rows += [{"text": f"politics text {i}", "label": "politics"} for i in range(5)]
    rows += [{"text": "sport text 0", "label": "sport"}, {"text": "x", "label": "sport"}]
    data = load_labelled(_write(tmp_path / "d.jsonl", rows), task="topic")
    assert set(data.labels) == {"Sport", "politics"}
    assert any("differ only in case" in n for n in data.notes)
    assert any("1 exact duplicate" in n for n in data.notes)


def test_stance_split_never_shares_a_body(data_dir: Path) -> None:
    data = load_labelled(data_dir / "stance.jsonl", task="stance")
    tr, dv = data_split(data, share=0.3, seed=0).first()
    assert not {data.texts[i] for i in tr} & {data.texts[i] for i in dv}


def test_group_field_keeps_groups_apart(tmp_path: Path) -> None:
    rows = [{"text": f"t{i}", "label": "ab"[i % 2], "g": str(i // 4)} for i in range(40)]
    data = load_labelled(_write(tmp_path / "d.jsonl", rows), task="topic", fields=LabelFields(group="g"))
    tr, dv = data_split(data, share=0.25, seed=0).first()
    assert not {data.groups[i] for i in tr} & {data.groups[i] for i in dv}  # type: ignore[index]


def test_bodies_join_fnc_style(tmp_path: Path) -> None:
    (tmp_path / "bodies.csv").write_text('Body ID,articleBody\n1,"A dog bit a man."\n2,"Oil rose."\n')
    (tmp_path / "stances.csv").write_text("Headline,Body ID,Stance\nDog bites man,1,agree\nDog bites man,2,unrelated\n")
    data = load_labelled(
        tmp_path / "stances.csv",
        task="stance",
        fields=LabelFields(bodies=tmp_path / "bodies.csv", text="articleBody", target="Headline", label="Stance"),
    )
    assert data.inputs() == [("Dog bites man", "A dog bit a man."), ("Dog bites man", "Oil rose.")]
    assert data.groups == ["1", "2"]


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([{"body": "x", "label": "a"}], {}, "no column 'text' \\(columns: body, label\\)"),
        ([{"text": f"t{i}", "label": "a"} for i in range(5)], {}, "at least two labels"),
        ([{"text": 5, "label": "a"}, {"text": None, "label": "b"}], {}, "no usable rows"),
    ],
)
def test_bad_data(tmp_path: Path, rows: list[dict], kwargs: dict, message: str) -> None:
    with pytest.raises(DataError, match=message):
        nlpkit.train("topic", _write(tmp_path / "d.jsonl", rows), **kwargs)


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text("")
    with pytest.raises(DataError, match="no rows"):
        nlpkit.train("topic", p)


def test_parquet_and_hf_dataset_folder(data_dir: Path, tmp_path: Path) -> None:
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in (data_dir / "topics.jsonl").read_text().splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "t.parquet")
    assert nlpkit.train("topic", tmp_path / "t.parquet").metrics["n"] > 0
    datasets.Dataset.from_list(rows).save_to_disk(str(tmp_path / "ds"))
    assert nlpkit.train("topic", tmp_path / "ds").metrics["n"] > 0


def test_semicolon_csv(data_dir: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (data_dir / "topics.jsonl").read_text().splitlines()]
    with open(tmp_path / "topics.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([("label", "text"), *((r["label"], r["text"]) for r in rows)])
    data = load_labelled(tmp_path / "topics.csv", task="topic")
    assert data.texts == [r["text"] for r in rows] and data.labels == [r["label"] for r in rows]


def test_windows_1252_table(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes("label,text\nlifestyle,A café in Zürich.\n".encode("cp1252"))
    assert load_labelled(tmp_path / "t.csv", task="topic").texts == ["A café in Zürich."]


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz"])
def test_compressed_table(tmp_path: Path, suffix: str) -> None:
    import bz2
    import gzip
    import lzma

    compress = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}[suffix]
    (tmp_path / f"t.jsonl{suffix}").write_bytes(compress(b'{"label": "sport", "text": "A goal."}\n'))
    assert load_labelled(tmp_path / f"t.jsonl{suffix}", task="topic").texts == ["A goal."]


def test_a_json_object_holding_its_rows_and_a_missing_text_column_suggested(tmp_path: Path) -> None:
    rows = [
        {"label": "sport", "body": "The striker scored twice in the cup final."},
        {"label": "business", "body": "Shares fell."},
    ]
    (tmp_path / "t.json").write_text(json.dumps({"version": 2, "articles": rows}))
    with pytest.raises(DataError, match=r"no column 'text' \(columns: label, body\); use --text-field body \("):
        load_labelled(tmp_path / "t.json", task="topic")
    named = [{"Body": r["body"], "Category": r["label"]} for r in rows]  # a label column by another name
    with pytest.raises(DataError, match=r"use --label-field Category \(LabelFields\(label='Category'\) in Python\)$"):
        load_labelled(named, task="topic", fields=LabelFields(text="Body"))
    assert load_labelled(tmp_path / "t.json", task="topic", fields=LabelFields(text="body")).labels == [
        "sport",
        "business",
    ]


def test_a_text_kept_as_a_list_of_paragraphs(tmp_path: Path) -> None:
    rows = [{"label": "business", "text": ["Rates were held.", "Markets rose."]}, {"label": "sport", "text": "A goal."}]
    assert load_labelled(_write(tmp_path / "t.jsonl", rows), task="topic").texts == [
        "Rates were held.\n\nMarkets rose.",
        "A goal.",
    ]


def test_a_nested_text_field(tmp_path: Path) -> None:
    rows = [{"meta": {"section": "sport"}, "article": {"body": "A goal in the final minute."}}]
    data = load_labelled(
        _write(tmp_path / "t.jsonl", rows), task="topic", fields=LabelFields(text="article.body", label="meta.section")
    )
    assert (data.texts, data.labels) == (["A goal in the final minute."], ["sport"])


def test_fasttext_label_lines(data_dir: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (data_dir / "topics.jsonl").read_text().splitlines()]
    lines = [f"__label__{r['label']} {r['text']}" for r in rows]
    lines[1] = lines[1].split(" ", 1)[1] + " " + lines[1].split(" ", 1)[0]  # fastText reads a label anywhere
    (tmp_path / "topics.train").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    data = load_labelled(tmp_path / "topics.train", task="topic")
    assert data.texts[:2] == [r["text"] for r in rows[:2]] and data.labels[:2] == [r["label"] for r in rows[:2]]
    result = nlpkit.train("topic", tmp_path / "topics.train", dev_split=0.25)
    assert set(result.model.labels) == {r["label"] for r in rows}
    (tmp_path / "two.txt").write_text(lines[0] + "\n__label__a __label__b Two labels on one line.\n")
    with pytest.raises(DataError, match=r"two.txt:2: 2 labels \(a, b\); nlpkit learns one label per text"):
        load_labelled(tmp_path / "two.txt", task="topic")
    (tmp_path / "none.txt").write_text(lines[0] + "\nA line with no label.\n")
    with pytest.raises(DataError, match=r"none\.txt:2: no __label__ word"):
        load_labelled(tmp_path / "none.txt", task="topic")
    with pytest.raises(DataError, match=r"unknown table format; use CSV, .*fastText"):
        load_labelled(data_dir / "article.txt", task="topic")


def test_training_and_classify_read_the_same_text(tmp_path: Path, data_dir: Path) -> None:
    """A row's prediction is the same through train's path (load_labelled + prepare_examples) and classify's."""
    import subprocess
    import sys

    from nlpkit.labelled import prepare_examples

    rows = [json.loads(line) for line in (data_dir / "topics.jsonl").read_text().splitlines()]
    for i, r in enumerate(rows):  # a headline field, scraped furniture and odd spacing, as real tables have
        r["title"] = f"Story number {i}"
        r["text"] = f"By Jane Doe, Staff writer\n\n{r['text']}  \n\nShare this article\n\nComments\nFirst!"
    data = _write(tmp_path / "t.jsonl", rows)
    model = nlpkit.train("topic", data, out=tmp_path / "m", dev_split=0.25).model
    examples = prepare_examples(load_labelled(data, task="topic"), "topic")
    assert "Share this article" not in examples.texts[0] and examples.texts[0].startswith("Story number 0\n\n")
    train_path = model.predict_proba(examples.texts)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "nlpkit",
            "classify",
            str(data),
            "--model",
            str(tmp_path / "m"),
            "-f",
            "json",
            "-k",
            "5",
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for i, line in enumerate(r.stdout.splitlines()):
        scores = {t["label"]: t["score"] for t in json.loads(line)["top"]}
        assert [scores[lab] for lab in model.labels] == pytest.approx(train_path[i].tolist(), abs=1e-12)


def test_a_folder_with_a_subfolder_per_label_is_a_training_set(tmp_path: Path) -> None:
    """The BBC and 20 Newsgroups layout (`bbc/sport/001.txt`): each article file is an example of its folder's name."""
    root = tmp_path / "bbc"
    texts = {
        "sport": [
            "The striker scored twice in the cup final.",
            "The keeper saved a late penalty.",
            "City won the derby.",
        ],
        "business": [
            "Shares fell after a profit warning.",
            "The bank raised interest rates.",
            "Oil prices rose again.",
        ],
    }
    for label, items in texts.items():
        (root / label / "2024").mkdir(parents=True)  # files at any depth under the label's folder
        for i, text in enumerate(items):
            (root / label / "2024" / f"{i}.txt").write_text(f"Headline {label} {i}\n\n{text}")
    (root / "sport" / "3.html").write_text(
        "<html><head><title>Derby</title></head><body><p>United lost the derby at home.</p></body></html>"
    )
    (root / "README.TXT").write_text(
        "The BBC dataset: five folders, one per label."
    )  # beside the folders: not an example
    (root / ".cache").mkdir()
    (root / ".cache" / "x.txt").write_text("not an example")
    data = load_labelled(root, task="topic")
    examples = sorted(zip(data.labels, data.texts, strict=True))
    assert Counter(data.labels) == {"sport": 4, "business": 3}
    assert examples[0] == ("business", "Headline business 0\n\nShares fell after a profit warning.")
    assert ("sport", "United lost the derby at home.") in examples and data.titles and "Derby" in data.titles
    result = nlpkit.train("topic", root, dev_split=0.3)
    assert nlpkit.evaluate(result.model, root)["n"] == 7
    (root / "business" / "broken.docx").write_text("not a zip")
    with pytest.raises(
        DataError, match=r"broken\.docx: not a Word document .*; fix or remove it \(label folder 'business'\)"
    ):
        load_labelled(root, task="topic")
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "a.txt").write_text("A goal.")
    with pytest.raises(DataError, match="a folder with no subfolders; training reads a folder with one subfolder"):
        load_labelled(tmp_path / "flat", task="topic")
