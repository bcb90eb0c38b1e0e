"""Hostile input, round two, as real processes: planted links, crafted model folders that would hang or eat
memory, integrity gaps, bad parameters and environment values, terminal escapes, an unreachable Ray.

Every case runs `nlpkit` with the harness (time limit that fails the test, address-space limit, peak
memory measured, one-line errors, no traceback), and the `box` fixture checks that no input changed.
Files outside the folders nlpkit was given ("elsewhere") are checked too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.adversarial.conftest import Box
from tests.adversarial.harness import check, run
from tests.adversarial.hostile import ARTICLE, BODY
from tests.adversarial.test_models import MODELS, _meta, _write_meta

DATA = Path(__file__).resolve().parents[2] / "data"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _articles(folder: Path, n: int = 12) -> Path:
    path = folder / "in.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"a{i}", "title": f"Bridge {i} closed", "text": BODY}) + "\n" for i in range(n))
    )
    return path


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A file outside every folder nlpkit is given: a planted link points at it; it must never change."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    secret = folder / "secret.txt"
    secret.write_text("not nlpkit's to write\n")
    return secret


# -- 1. planted links -------------------------------------------------------------------------------

#: (file name planted in the output folder, what it points at, extra arguments, exit code, error pattern or None)
LINKS: dict[str, tuple[str, str, list[str], int, str | None]] = {
    "manifest_tmp_to_input": (".o.jsonl.manifest.json.tmp", "input", [], 0, None),
    "manifest_tmp_to_elsewhere": (".o.jsonl.manifest.json.tmp", "elsewhere", [], 0, None),
    "manifest_to_input": (".o.jsonl.manifest.json", "input", [], 2, r"manifest\.json: is one of the inputs"),
    "manifest_to_elsewhere_resume": (".o.jsonl.manifest.json", "elsewhere", ["--resume"], 1, r"not a job manifest"),
    "manifest_to_elsewhere_force": (".o.jsonl.manifest.json", "elsewhere", ["--force"], 0, None),
    "output_to_input_force": ("o.jsonl", "input", ["--force"], 2, r"is one of the inputs"),
    "output_to_elsewhere": ("o.jsonl", "elsewhere", [], 1, r"o\.jsonl: already exists"),
    "output_to_elsewhere_force": ("o.jsonl", "elsewhere", ["--force"], 0, None),
    "output_to_elsewhere_resume": ("o.jsonl", "elsewhere", ["--resume"], 1, r"o\.jsonl: .*"),
    "errors_to_elsewhere": ("e.jsonl", "elsewhere", [], 1, r"e\.jsonl: already exists"),
    "errors_to_elsewhere_force": ("e.jsonl", "elsewhere", ["--force"], 0, None),
    "errors_to_input_force": ("e.jsonl", "input", ["--force"], 2, r"is one of the inputs"),
}


@pytest.mark.parametrize("name", sorted(LINKS))
def test_planted_link_in_the_output_folder(box: Box, elsewhere: Path, name: str) -> None:
    planted, target, extra, code, error = LINKS[name]
    src = _articles(box.inp)
    box.freeze()
    before = _sha(elsewhere)
    (box.out / planted).symlink_to(src if target == "input" else elsewhere)
    args = ["score", str(src), "--out", str(box.out / "o.jsonl"), "--errors", str(box.out / "e.jsonl")]
    r = run([*args, "--tasks", "topic", "-w", "1", "-q", *extra], cwd=box.out)
    check(r, code=code, error=error)
    assert _sha(elsewhere) == before, "a file outside the job was written through a planted link"
    if code == 0:
        assert len((box.out / "o.jsonl").read_text().splitlines()) == 12


def test_planted_link_at_the_parquet_spool(box: Box, elsewhere: Path) -> None:
    src = _articles(box.inp)
    box.freeze()
    before = _sha(elsewhere)
    (box.out / ".o.parquet.partial.jsonl").symlink_to(elsewhere)
    r = run(["score", str(src), "--out", "o.parquet", "--tasks", "topic", "-w", "1", "-q", "--force"], cwd=box.out)
    check(r, code=0)
    assert _sha(elsewhere) == before and (box.out / "o.parquet").is_file()


# -- 2. reports never over an input ----------------------------------------------------------------


def _labelled(path: Path) -> Path:
    rows = [json.loads(line) for line in (DATA / "topics.jsonl").read_text().splitlines()]
    for r in rows:  # the bundled model's name for the label
        r["label"] = "technology" if r["label"] == "tech" else r["label"]
    path.write_text(json.dumps(rows) if path.suffix == ".json" else "".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("force", [False, True])
def test_report_folder_holds_the_input_as_metrics_json(box: Box, force: bool) -> None:
    report = box.inp / "report"
    report.mkdir()
    data = _labelled(report / "metrics.json")
    box.freeze()
    r = run(["evaluate", "topic", str(data), "--report", str(report), *(["--force"] if force else [])], cwd=box.out)
    check(r, code=1, error=r"metrics\.json: is the input")


@pytest.mark.parametrize("link", ["report.md", "metrics.json", "calibration.png", "confusion_matrix.png"])
def test_report_file_is_a_link_to_the_input(box: Box, link: str) -> None:
    data = _labelled(box.inp / "d.jsonl")
    box.freeze()
    (box.out / link).symlink_to(data)
    r = run(["evaluate", "topic", str(data), "--report", str(box.out), "--force"], cwd=box.out)
    check(r, code=1, error=rf"{link.replace('.', '[.]')}: is the input")


def test_report_link_elsewhere_is_replaced_not_followed(box: Box, elsewhere: Path) -> None:
    data = _labelled(box.inp / "d.jsonl")
    box.freeze()
    before = _sha(elsewhere)
    (box.out / "calibration.png").symlink_to(elsewhere)
    r = run(["evaluate", "topic", str(data), "--report", str(box.out), "--force"], cwd=box.out)
    check(r, code=0)
    assert _sha(elsewhere) == before
    assert not (box.out / "calibration.png").is_symlink()


def test_summarizer_report_never_over_its_input(box: Box) -> None:
    rows = [{"text": ARTICLE, "summary": BODY.split(". ")[0]}]
    data = box.inp / "metrics.json"
    data.write_text(json.dumps(rows))
    box.freeze()
    r = run(["evaluate", "lead", str(data), "--report", str(box.inp), "--force"], cwd=box.out)
    check(r, code=1, error=r"metrics\.json: is the input")


# -- 3 and 4. crafted model folders: hangs, memory, bad structures ----------------------------------


def _arrays(folder: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return dict(load_file(str(folder / "model.safetensors")))


def _save(folder: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any] | None = None) -> None:
    from safetensors.numpy import save_file

    save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(folder / "model.safetensors"))
    _write_meta(folder, meta if meta is not None else _meta(folder))


def _inner(arrays: dict[str, np.ndarray]) -> np.ndarray:
    return np.flatnonzero(arrays["trees.is_leaf"] == 0)


def tree_self_loop(folder: Path) -> None:
    a = _arrays(folder)
    node = _inner(a)[0]
    a["trees.left"][node] = node
    _save(folder, a)


def tree_two_node_cycle(folder: Path) -> None:
    a = _arrays(folder)
    first, second = _inner(a)[:2]
    a["trees.left"][first], a["trees.left"][second] = second, first
    _save(folder, a)


def tree_node_with_two_parents(folder: Path) -> None:
    """Both children of a split are one node: a DAG, whose walk doubles at every such level."""
    a = _arrays(folder)
    node = _inner(a)[0]
    a["trees.right"][node] = a["trees.left"][node]
    _save(folder, a)


def tree_child_in_another_tree(folder: Path) -> None:
    a = _arrays(folder)
    a["trees.right"][_inner(a)[0]] = a["trees.roots"][1] + 1
    _save(folder, a)


def tree_deeper_than_allowed(folder: Path) -> None:
    """One tree: a chain of 600 splits (a DAG walk that would take 600 levels)."""
    a = _arrays(folder)
    chain = 600
    n = 2 * chain + 1
    left = np.array([i + 1 for i in range(chain)] + [0] * (chain + 1), dtype=np.int64)
    right = np.array([chain + 1 + i for i in range(chain)] + [0] * (chain + 1), dtype=np.int64)
    nodes = {
        "trees.feature": np.zeros(n, dtype=np.int64),
        "trees.threshold": np.zeros(n),
        "trees.left": left,
        "trees.right": right,
        "trees.is_leaf": np.array([0] * chain + [1] * (chain + 1), dtype=np.uint8),
        "trees.missing_left": np.zeros(n, dtype=np.uint8),
        "trees.value": np.zeros(n),
        "trees.roots": np.array([0], dtype=np.int64),
        "trees.tree_class": np.array([0], dtype=np.int64),
    }
    a.update(nodes)
    _save(folder, a)


def tree_feature_negative(folder: Path) -> None:
    a = _arrays(folder)
    a["trees.feature"][_inner(a)[0]] = -1
    _save(folder, a)


def tree_feature_huge(folder: Path) -> None:
    a = _arrays(folder)
    a["trees.feature"][_inner(a)[0]] = 10**9
    _save(folder, a)


def tree_class_out_of_range(folder: Path) -> None:
    a = _arrays(folder)
    a["trees.tree_class"][0] = 99
    _save(folder, a)


def tree_roots_out_of_order(folder: Path) -> None:
    a = _arrays(folder)
    a["trees.roots"] = a["trees.roots"][::-1].copy()
    _save(folder, a)


def tree_baseline_wrong_length(folder: Path) -> None:
    a = _arrays(folder)
    a["trees.baseline"] = np.zeros(3)
    _save(folder, a)


def ngram_10_to_the_12(folder: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["vectorizers"][0]["ngram"] = [1, 10**12]
    _write_meta(folder, meta)


def ngram_infinity(folder: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["vectorizers"][0]["ngram"] = [1, float("inf")]
    _write_meta(folder, meta)


def scale_nan(folder: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["head"]["scale"] = float("nan")
    _write_meta(folder, meta)


def backend_wrong_type(folder: Path) -> None:
    meta = _meta(folder)
    meta["backend"] = ["tfidf"]
    _write_meta(folder, meta)


def spec_head_wrong_type(folder: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["head"] = [1, 2, 3]
    _write_meta(folder, meta)


def labels_with_terminal_escape(folder: Path) -> None:
    meta = _meta(folder)
    meta["labels"][0] = meta["spec"]["labels"][0] = "sport\x1b[2J\x07\u202e"
    _write_meta(folder, meta)


def labels_with_newline(folder: Path) -> None:
    meta = _meta(folder)
    meta["labels"][0] = meta["spec"]["labels"][0] = "sport\nfake line"
    _write_meta(folder, meta)


def task_does_not_fit_predictor(folder: Path) -> None:
    meta = _meta(folder)
    meta["task"] = "stance"
    _write_meta(folder, meta)


def weights_not_listed(folder: Path) -> None:
    meta = _meta(folder)
    del meta["files"]["model.safetensors"]
    _write_meta(folder, meta)


def extra_unlisted_file(folder: Path) -> None:
    (folder / "notes.txt").write_text("read me")


def _declaring_2_gb(folder: Path, apparent: int) -> None:
    """A weights file whose header declares a 2 GB array; `apparent` bytes long, sparse (nothing written)."""
    header = json.dumps(
        {"head.weights": {"dtype": "F64", "shape": [5, 2**26], "data_offsets": [0, 5 * 2**29]}}
    ).encode()
    with (folder / "model.safetensors").open("wb") as f:
        f.write(len(header).to_bytes(8, "little") + header)
        f.truncate(apparent)
    if apparent > 100 * 2**20:  # any checksum: the size is refused before hashing
        meta = _meta(folder)
        meta["files"]["model.safetensors"] = "0" * 64
        _write_meta(folder, meta, resign=False)
    else:
        _write_meta(folder, _meta(folder))


def small_file_declaring_2_gb(folder: Path) -> None:
    _declaring_2_gb(folder, 2 * 2**20)


def sparse_file_declaring_2_gb(folder: Path) -> None:
    _declaring_2_gb(folder, 600 * 2**20)


def vocabulary_of_3_million_terms(folder: Path) -> None:
    a = _arrays(folder)
    n = 3_000_000
    a["vectorizer0.vocabulary"] = np.frombuffer("\x00".join(f"t{i}" for i in range(n)).encode(), dtype=np.uint8)
    a["vectorizer0.idf"] = np.ones(n)
    meta = _meta(folder)
    a["head.weights"] = np.zeros((len(meta["labels"]), n), dtype=np.float32)
    a.pop("vectorizer0.index.words", None)
    a.pop("vectorizer0.index.unigram", None)
    meta["spec"]["vectorizers"][0]["terms"] = n
    _save(folder, a, meta)


def vocabulary_count_lies(folder: Path) -> None:
    meta = _meta(folder)
    meta["spec"]["vectorizers"][0]["terms"] = 10
    _write_meta(folder, meta)


#: name -> (the bundled model it starts from, how it is crafted, the refusal's pattern)
FOLDERS: dict[str, tuple[str, Callable[[Path], None], str]] = {
    f.__name__: (base, f, pattern)
    for base, f, pattern in [
        ("stance", tree_self_loop, r"not after its parent"),
        ("stance", tree_two_node_cycle, r"not after its parent"),
        ("stance", tree_child_in_another_tree, r"not after its parent in the same tree"),
        ("stance", tree_node_with_two_parents, r"a node with two parents"),
        ("stance", tree_deeper_than_allowed, r"deeper than \d+ levels"),
        ("stance", tree_feature_negative, r"negative feature index"),
        ("stance", tree_feature_huge, r"the trees read feature 1000000000; the inputs have \d+"),
        ("stance", tree_class_out_of_range, r"trees and their classes do not match"),
        ("stance", tree_roots_out_of_order, r"roots are not in order"),
        ("stance", tree_baseline_wrong_length, r"tree score columns for 4 labels|classes do not match"),
        ("topic", ngram_10_to_the_12, r"ngram must be two whole numbers from 1 to 10"),
        ("topic", ngram_infinity, r"ngram must be two whole numbers"),
        ("topic", scale_nan, r"scale must be a finite number"),
        ("topic", backend_wrong_type, r"'backend' must be text"),
        ("topic", spec_head_wrong_type, r"spec\.head is a JSON list, not an object"),
        ("topic", labels_with_terminal_escape, r"'labels' must be distinct, non-empty strings without control"),
        ("topic", labels_with_newline, r"'labels' must be distinct, non-empty strings without control"),
        ("topic", task_does_not_fit_predictor, r"predictor does topic, but the description says 'stance'"),
        ("topic", weights_not_listed, r"does not list \(model\.safetensors\)"),
        ("topic", extra_unlisted_file, r"does not list \(notes\.txt\)"),
        ("topic", sparse_file_declaring_2_gb, r"model\.safetensors: [\d,]+ bytes, more than the"),
        (
            "topic",
            small_file_declaring_2_gb,
            r"model\.safetensors: not a readable safetensors file \(array 'head\.weights'",
        ),
        ("topic", vocabulary_of_3_million_terms, r"terms must be a whole number from 0 to 1,000,000"),
        ("topic", vocabulary_count_lies, r"does not hold the 10 terms"),
    ]
}


def _crafted(box: Box, name: str) -> tuple[Path, str]:
    base, make, pattern = FOLDERS[name]
    folder = box.inp / "model"
    shutil.copytree(MODELS / base, folder)
    make(folder)
    (box.inp / "a.txt").write_text(ARTICLE)
    box.freeze()
    return folder, pattern


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_models_reports_the_crafted_folder(box: Box, name: str) -> None:
    folder, pattern = _crafted(box, name)
    r = run(["models", str(folder)], cwd=box.inp, timeout=60)
    check(r, code=1, error=pattern, errors=1)
    assert "would refuse to load" in r.stderr


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_classify_refuses_the_crafted_folder(box: Box, name: str) -> None:
    folder, pattern = _crafted(box, name)
    extra = ["--target", "Bridge closed"] if FOLDERS[name][0] == "stance" else []
    r = run(["classify", "a.txt", "--model", str(folder), *extra], cwd=box.inp, timeout=60)
    check(r, code=1, error=pattern, errors=1)
    assert r.stdout == ""


@pytest.mark.parametrize("name", ["tree_two_node_cycle", "tree_deeper_than_allowed", "ngram_10_to_the_12"])
def test_score_and_evaluate_refuse_the_crafted_folder(box: Box, name: str) -> None:
    folder, pattern = _crafted(box, name)
    option = "--stance-model" if FOLDERS[name][0] == "stance" else "--topic-model"
    r = run(["score", "a.txt", "--out", str(box.out / "o.jsonl"), option, str(folder), "-w", "1", "-q"], cwd=box.inp)
    check(r, code=1, error=pattern, errors=1)
    assert not (box.out / "o.jsonl").exists()


def test_train_refuses_a_line_of_200_mb(box: Box) -> None:
    data = box.inp / "d.jsonl"
    with data.open("w") as f:
        f.write(json.dumps({"text": "A short one.", "label": "a"}) + "\n")
        f.write('{"text": "' + "x" * (200 * 1024 * 1024) + '", "label": "b"}\n')
    box.freeze()
    r = run(["train", "topic", str(data), "--out", str(box.out / "m")], cwd=box.out, timeout=120)
    check(r, code=1, error=r"d\.jsonl:2: a line longer than", progress=True)


@pytest.mark.parametrize("command", ["train", "score", "summarize"])
def test_a_csv_header_of_a_million_columns(box: Box, command: str) -> None:
    data = box.inp / "d.csv"
    data.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "x," * 999_999 + "x\n")
    box.freeze()
    args = {
        "train": ["train", "topic", str(data), "--out", str(box.out / "m")],
        "score": ["score", str(data), "--out", str(box.out / "o.jsonl"), "-w", "1", "-q"],
        "summarize": ["summarize", str(data)],
    }[command]
    r = run(args, cwd=box.out, timeout=120)
    pattern = r"d\.csv:1: a header of 1,000,000 columns"
    if command == "score":  # score goes on: the file is one error row
        check(r, code=1)
        assert re.search(pattern, r.rows(box.out / "o.jsonl")[0]["error"])
    else:
        check(r, code=1, error=pattern, progress=command == "train")


# -- 5. integrity -------------------------------------------------------------------------------------


def test_resume_after_the_model_folder_was_replaced(box: Box) -> None:
    src = _articles(box.inp, 40)
    topics = _labelled(box.inp / "topics.jsonl")
    box.freeze()
    model = box.out / "m"
    check(run(["train", "topic", str(topics), "--out", str(model), "--seed", "1"], cwd=box.out), code=0, progress=True)
    args = ["score", str(src), "--out", "o.jsonl", "--tasks", "topic", "--topic-model", str(model), "-w", "1", "-q"]
    check(run(args, cwd=box.out), code=0)
    manifest = box.out / ".o.jsonl.manifest.json"
    manifest.write_text(manifest.read_text().replace('"complete"', '"running"'))  # as if it had been killed
    lines = (box.out / "o.jsonl").read_text().splitlines()
    (box.out / "o.jsonl").write_text("\n".join(lines[:10]) + "\n")
    check(
        run(
            ["train", "topic", str(topics), "--out", str(model), "--seed", "2", "--dev-split", "0.3", "--force"],
            cwd=box.out,
        ),
        code=0,
        progress=True,
    )
    r = run([*args, "--resume"], cwd=box.out)
    check(r, code=2, error=r"a model changed since the job started \(topic: m@\w+ -> m@\w+\)")


def test_a_folder_named_like_a_bundled_model_does_not_win(box: Box) -> None:
    folder = box.inp / "topic"
    shutil.copytree(MODELS / "topic", folder)
    scale_nan(folder)  # a folder that would be refused
    (box.inp / "a.txt").write_text(ARTICLE)
    box.freeze()
    check(run(["classify", "a.txt", "--model", "topic"], cwd=box.inp), code=0)  # the bundled model
    r = run(["classify", "a.txt", "--model", "./topic"], cwd=box.inp)  # the folder, asked for by path
    check(r, code=1, error=r"scale must be a finite number")


# -- 6. internal errors that must be messages ----------------------------------------------------------


@pytest.mark.parametrize("rows", ['"abc"', "1e400", "-5", "true"])
def test_resume_with_a_hand_edited_manifest(box: Box, rows: str) -> None:
    src = _articles(box.inp)
    box.freeze()
    args = ["score", str(src), "--out", "o.jsonl", "--tasks", "topic", "-w", "1", "-q"]
    check(run(args, cwd=box.out), code=0)
    manifest = box.out / ".o.jsonl.manifest.json"
    data = json.loads(manifest.read_text())
    data["status"] = "running"
    text = json.dumps(data).replace(f'"rows": {data["rows"]}', f'"rows": {rows}')
    manifest.write_text(text)
    r = run([*args, "--resume"], cwd=box.out)
    check(r, code=1, error=r"\.o\.jsonl\.manifest\.json: not a job manifest nlpkit wrote; use --force")


def test_a_file_name_that_is_not_utf8_costs_nothing(box: Box) -> None:
    (box.inp / "good.txt").write_text(ARTICLE)
    with open(os.path.join(os.fsencode(box.inp), b"bad\xff\xfe.txt"), "wb") as f:
        f.write(ARTICLE.encode())
    box.freeze()
    r = run(["score", str(box.inp), "--out", "o.jsonl", "-w", "1", "-q", "--tasks", "topic,brief"], cwd=box.out)
    check(r, code=0)
    rows = r.rows(box.out / "o.jsonl")
    assert len(rows) == 2 and all(row["error"] is None for row in rows)
    assert any("\\xff\\xfe" in row["id"] for row in rows)


@pytest.mark.parametrize(
    ("variable", "value", "command"),
    [
        ("NLPKIT_MAX_ARTICLE_CHARS", "abc", "summarize"),
        ("NLPKIT_MAX_ARTICLE_CHARS", "-5", "classify"),
        ("NLPKIT_MAX_ARTICLE_CHARS", "1e999", "score"),
    ],
)
def test_a_bad_environment_value_is_one_line(
    box: Box, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, command: str
) -> None:
    (box.inp / "a.txt").write_text(ARTICLE)
    box.freeze()
    monkeypatch.setenv(variable, value)
    args = {
        "summarize": ["summarize", "a.txt"],
        "classify": ["classify", "a.txt"],
        "score": ["score", "a.txt", "-o", str(box.out / "o.jsonl")],
    }
    r = run(args[command], cwd=box.inp)
    check(r, code=2, error=rf"{variable}=.* is not a whole number", errors=1)


@pytest.mark.parametrize(
    ("param", "error"),
    [
        ("C=high", r"parameter C='high' must be a number above 0 or 'auto'"),
        ("min_df=-3", r"parameter min_df=-3 must be a whole number from 1 up"),
        ("cv=1", r"parameter cv=1 must be a whole number from 2"),
        ("budget=0", r"parameter budget=0 must be a number above 0"),
        ("features=everything", r"features='everything'"),
    ],
)
def test_a_bad_parameter_fails_before_the_data_is_read(box: Box, param: str, error: str) -> None:
    data = _labelled(box.inp / "d.jsonl")
    box.freeze()
    r = run(["train", "topic", str(data), "--out", str(box.out / "m"), "-p", param], cwd=box.out)
    check(r, code=2, error=error, errors=1, progress=True)
    assert "read " not in r.stderr or param.startswith("features"), "the data was read before the parameter was checked"


# -- 7. terminal safety -------------------------------------------------------------------------------


def test_escapes_in_articles_are_shown_not_obeyed(box: Box) -> None:
    (box.inp / "a.jsonl").write_text(
        json.dumps({"id": "x\x1b[2J\x07\u202eid", "title": "Bridge \u202eclosed", "text": BODY}) + "\n"
    )
    box.freeze()
    for args in (["classify", "a.jsonl"], ["summarize", "a.jsonl"], ["summarize", "a.jsonl", "-f", "markdown"]):
        r = run(args, cwd=box.inp)
        check(r, code=0)
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout, r.stdout
        assert "\\u202e" in r.stdout


@pytest.mark.parametrize("label", ["sport\x1b[31m", "sport\nfake", "sp\u202eort", "sport\u200b"])
def test_train_refuses_labels_with_control_characters(box: Box, label: str) -> None:
    rows = [json.loads(line) for line in (DATA / "topics.jsonl").read_text().splitlines()]
    for row in rows[::2]:
        row["label"] = label
    (box.inp / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    box.freeze()
    r = run(["train", "topic", "d.jsonl", "--out", str(box.out / "m")], cwd=box.inp)
    check(r, code=1, error=r"label .* holds control, bidi or invisible characters", progress=True)


def test_labels_differing_only_in_unicode_form_are_one(box: Box) -> None:
    rows = [json.loads(line) for line in (DATA / "topics.jsonl").read_text().splitlines()]
    for i, row in enumerate(rows):
        if row["label"] == "business":
            row["label"] = "busin\u0065\u0301ss" if i % 2 else "busin\u00e9ss"
    (box.inp / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    box.freeze()
    r = run(["train", "topic", "d.jsonl", "--out", str(box.out / "m")], cwd=box.inp)
    check(r, code=0, progress=True)
    labels = json.loads((box.out / "m" / "nlpkit.json").read_text())["labels"]
    assert labels.count("busin\u00e9ss") == 1 and len(labels) == 5


# -- 8 and 9. Ray, resume spelled differently -------------------------------------------------------------


def test_an_unreachable_ray_cluster_fails_in_seconds(box: Box) -> None:
    (box.inp / "a.txt").write_text(ARTICLE)
    box.freeze()
    r = run(
        ["score", "a.txt", "-o", str(box.out / "o.jsonl"), "--engine", "ray", "--ray-address", "127.0.0.1:1"],
        cwd=box.inp,
        timeout=60,
    )
    check(r, code=2, error=r"--ray-address 127\.0\.0\.1:1: no Ray cluster answers there")


def test_resume_accepts_the_same_input_spelled_differently(box: Box) -> None:
    src = _articles(box.inp, 30)
    box.freeze()
    base = ["--out", "o.jsonl", "--tasks", "topic", "-w", "1", "-q", "--batch-size", "4"]
    check(run(["score", os.path.relpath(src, box.out), *base], cwd=box.out), code=0)
    manifest = box.out / ".o.jsonl.manifest.json"
    manifest.write_text(manifest.read_text().replace('"complete"', '"running"'))
    r = run(["score", str(src), *base, "--resume"], cwd=box.out)
    check(r, code=0)
    assert len((box.out / "o.jsonl").read_text().splitlines()) == 30
