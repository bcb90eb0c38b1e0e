from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nlpkit
from nlpkit.cli import app
from nlpkit.errors import InputError, OutputError, UsageError
from nlpkit.io.lists import claim_list, url_list
from nlpkit.scoring import ScoreOptions, score_archive

runner = CliRunner()


def _archive(tmp_path: Path, n: int = 40) -> Path:
    rows = [
        json.loads(line) for line in (Path(__file__).parents[2] / "data" / "articles.jsonl").read_text().splitlines()
    ]
    src = tmp_path / "in"
    src.mkdir()
    with (src / "a.jsonl").open("w") as f:
        for i in range(n):
            r = dict(rows[i % len(rows)], id=f"a{i}")
            f.write(json.dumps(r) + "\n")
        f.write("{not json\n")
        f.write(json.dumps({"id": "empty", "text": "   "}) + "\n")
    with zipfile.ZipFile(src / "b.zip", "w") as zf:
        zf.writestr(
            "one.txt",
            "Bridge closed after cracks found\n\nA major bridge was closed on Monday after engineers found cracks. Drivers face long diversions.",
        )
        zf.writestr("bad.jsonl", "[1, 2]\n")
    return src


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_one_row_per_record_in_input_order(tmp_path: Path) -> None:
    src = _archive(tmp_path)
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "errors.jsonl"
    s = score_archive([str(src)], out, workers=1, batch_size=8, errors=errors)
    rows = _rows(out)
    assert [r["id"] for r in rows[:3]] == ["a0", "a1", "a2"]
    assert len(rows) == s.read == 40 + 2 + 2
    assert s.failed == 3 and s.scored == 41
    assert s.first_error == next(r["error"] for r in rows if r["error"])
    ok = rows[0]
    assert ok["topic"] in nlpkit.load_model("topic").labels and 0 < ok["topic_score"] <= 1
    assert ok["stance"] in {"agree", "disagree", "discuss", "unrelated"}
    assert ok["stance_target"] == ok["title"]
    assert ok["topic_model"].startswith("topic@") and ok["stance_model"].startswith("stance@")
    assert ok["brief"] and ok["brief_method"].startswith("auto@") and ok["error"] is None
    bad = {r["id"]: r["error"] for r in rows if r["error"]}
    assert any("not a JSON object" in e for e in bad.values())
    assert "empty article" in bad["empty"]
    assert any("b.zip!bad.jsonl" in e for e in bad.values())
    assert [json.loads(line)["id"] for line in errors.read_text().splitlines()] == list(bad)
    assert rows[-2]["id"].endswith("b.zip!one.txt") and rows[-2]["title"] == "Bridge closed after cracks found"


def test_two_workers_match_one(tmp_path: Path) -> None:
    src = _archive(tmp_path, 30)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    score_archive([str(src)], one, workers=1, batch_size=4)
    score_archive([str(src)], two, workers=2, batch_size=4)
    assert _rows(one) == _rows(two)


def test_work_for_one_worker_starts_no_workers(tmp_path: Path) -> None:
    """An input of one unit (one batch) is scored in the main process: a second worker would have nothing to do."""
    src = _archive(tmp_path, 30)
    small = score_archive([str(src / "a.jsonl")], tmp_path / "small.jsonl", workers=2, batch_size=64)
    big = score_archive([str(src / "a.jsonl")], tmp_path / "big.jsonl", workers=2, batch_size=4)
    assert (small.workers, big.workers) == (1, 2)
    assert _rows(tmp_path / "small.jsonl") == _rows(tmp_path / "big.jsonl")


def test_csv_and_parquet_outputs(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    src = _archive(tmp_path, 10)
    opts = ScoreOptions(tasks=("topic", "brief"))
    score_archive([str(src)], tmp_path / "o.csv", options=opts, workers=1)
    score_archive([str(src)], tmp_path / "o.parquet", options=opts, workers=1)
    import csv

    csv_rows = list(csv.DictReader((tmp_path / "o.csv").open()))
    table = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert [r["id"] for r in csv_rows] == [r["id"] for r in table]
    assert list(csv_rows[0]) == opts.columns()
    assert "stance" not in table[0]
    assert not list(tmp_path.glob(".o.parquet.partial*"))


def test_refuses_to_overwrite_and_resume_rules(tmp_path: Path) -> None:
    src = _archive(tmp_path, 5)
    out = tmp_path / "o.jsonl"
    opts = ScoreOptions(tasks=("topic",))
    score_archive([str(src)], out, options=opts, workers=1)
    with pytest.raises(OutputError, match="use --force"):
        score_archive([str(src)], out, options=opts, workers=1)
    with pytest.raises(OutputError, match="already finished"):
        score_archive([str(src)], out, options=opts, workers=1, resume=True)
    before = out.read_text()
    score_archive([str(src)], out, options=opts, workers=1, force=True)
    assert out.read_text() == before


def test_resume_after_a_partial_write(tmp_path: Path) -> None:
    src = _archive(tmp_path, 20)
    full, out = tmp_path / "full.jsonl", tmp_path / "o.jsonl"
    opts = ScoreOptions(tasks=("topic", "brief"))
    score_archive([str(src)], full, options=opts, workers=1)
    lines = full.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:7]) + lines[7][:25])  # as if killed in the middle of a write
    manifest = tmp_path / ".o.jsonl.manifest.json"
    job = json.loads((tmp_path / ".full.jsonl.manifest.json").read_text())
    # the manifest as a job killed while writing its eighth row leaves it: seven rows done
    job.update(status="running", rows=7, last_id=json.loads(lines[6])["id"])
    manifest.write_text(json.dumps(job))
    s = score_archive([str(src)], out, options=opts, workers=1, resume=True)
    assert s.resumed_after == 7
    assert out.read_text() == full.read_text()
    # resumed after its first failure: the summary still names it, read back from the output
    failed_at = next(i for i, line in enumerate(lines) if json.loads(line)["error"])
    out.write_text("".join(lines[: failed_at + 1]))
    job.update(status="running", rows=failed_at + 1, last_id=json.loads(lines[failed_at])["id"])
    manifest.write_text(json.dumps(job))
    s = score_archive([str(src)], out, options=opts, workers=1, resume=True)
    assert s.resumed_after == failed_at + 1 and s.first_error == json.loads(lines[failed_at])["error"]


def test_resume_refuses_other_options(tmp_path: Path) -> None:
    src = _archive(tmp_path, 5)
    out = tmp_path / "o.jsonl"
    score_archive([str(src)], out, options=ScoreOptions(tasks=("topic",)), workers=1)
    (tmp_path / ".o.jsonl.manifest.json").write_text(
        (tmp_path / ".o.jsonl.manifest.json").read_text().replace('"complete"', '"running"')
    )
    with pytest.raises(UsageError, match="other inputs or options"):
        score_archive([str(src)], out, options=ScoreOptions(tasks=("brief",)), workers=1, resume=True)


def test_killed_run_resumes_without_duplicates_or_gaps(tmp_path: Path) -> None:
    """Kill -9 a real `nlpkit score` mid-run, resume it, and compare with an uninterrupted run."""
    src = tmp_path / "big.jsonl"
    rows = [
        json.loads(line) for line in (Path(__file__).parents[2] / "data" / "articles.jsonl").read_text().splitlines()
    ]
    with src.open("w") as f:
        for i in range(3000):
            f.write(json.dumps(dict(rows[i % 5], id=f"r{i}")) + "\n")
    out = tmp_path / "out.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "nlpkit",
        "score",
        str(src),
        "--out",
        str(out),
        "--tasks",
        "topic,brief",
        "--workers",
        "1",
        "--batch-size",
        "16",
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(out.read_text().splitlines())
    assert 0 < partial < 3000, "the run must be killed part-way"
    again = subprocess.run([*cmd[:-1], "--resume", "--quiet"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "resumed after" in again.stdout
    ids = [r["id"] for r in _rows(out)]
    assert ids == [f"r{i}" for i in range(3000)]
    fresh = tmp_path / "fresh.jsonl"
    score_archive([str(src)], fresh, options=ScoreOptions(tasks=("topic", "brief")), workers=1)
    assert _rows(out) == _rows(fresh)


def test_cli_summary_and_exit_codes(tmp_path: Path) -> None:
    src = _archive(tmp_path, 6)
    out = tmp_path / "o.jsonl"
    r = runner.invoke(app, ["score", str(src), "--out", str(out), "--tasks", "topic,stance", "-w", "1", "-f", "json"])
    assert r.exit_code == 1  # some records failed
    summary = json.loads(r.stdout)
    assert summary["read"] == 10 and summary["failed"] == 3 and sum(summary["topics"].values()) == 7
    first = next(row["error"] for row in _rows(out) if row["error"])
    assert summary["first_error"] == first
    r = runner.invoke(app, ["score", str(src), "--out", str(out)])
    assert r.exit_code == 1 and "--force" in r.stderr
    r = runner.invoke(app, ["score", str(src), "--out", str(out), "--tasks", "topic", "-w", "1", "--force"])
    assert r.exit_code == 1 and f"failed:  3; the first: {first} (every failed row" in r.stdout
    clean_only = tmp_path / "ok.jsonl"
    r = runner.invoke(
        app, ["score", str(Path(__file__).parents[2] / "data" / "articles.jsonl"), "--out", str(clean_only), "-w", "1"]
    )
    assert r.exit_code == 0 and "5 articles read, 5 scored, 0 failed" in r.stdout


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_summary_says_why_topics_and_stances_were_left_empty(tmp_path: Path, workers: str) -> None:
    # A German article's topic and stance are left empty; the summary used to say nothing of the topic, and
    # "left empty for 1 articles with no target" of the stance, though it had a headline.
    german = Path(__file__).parents[1] / "data" / "german.txt"
    src = tmp_path / "in"
    src.mkdir()
    (src / "de.txt").write_text("Stadtrat verbannt Kreuzfahrtschiffe\n\n" + german.read_text(encoding="utf-8"))
    (src / "plain.txt").write_text(
        "A major bridge was closed on Monday after engineers found cracks. Drivers face long diversions."
    )
    (src / "en.txt").write_text(
        "Bridge closed after cracks found\n\nA major bridge was closed on Monday after engineers found cracks."
    )
    out = tmp_path / "o.jsonl"
    r = runner.invoke(app, ["score", str(src), "--out", str(out), "-w", workers])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert "topic:   left empty for 1 article in another language than the model's (see topic_skipped)" in lines
    assert "stance:  left empty for 1 article in another language than the model's (see stance_skipped)" in lines
    assert "stance:  left empty for 1 article with no target (see stance_skipped)" in lines
    r = runner.invoke(app, ["score", str(src), "--out", str(out), "-w", workers, "--force", "-f", "json"])
    summary = json.loads(r.stdout)
    assert summary["skipped"] == {"topic: another language": 1, "stance: another language": 1, "stance: no target": 1}
    assert summary["stance_skipped"] == 2
    # resumed after its second row, the summary counts the rows kept as well as those scored again
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:2]))
    manifest = tmp_path / ".o.jsonl.manifest.json"
    job = json.loads(manifest.read_text())
    job.update(status="running", rows=2, last_id=json.loads(lines[1])["id"])
    manifest.write_text(json.dumps(job))
    r = runner.invoke(app, ["score", str(src), "--out", str(out), "-w", workers, "--resume", "-f", "json"])
    assert json.loads(r.stdout)["skipped"] == summary["skipped"] and out.read_text() == "".join(lines)


def test_one_target_for_all(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    data = Path(__file__).parents[2] / "data" / "articles.jsonl"
    score_archive([str(data)], out, options=ScoreOptions(tasks=("stance",), target="Shops to close"), workers=1)
    assert {r["stance_target"] for r in _rows(out)} == {"Shops to close"}


def test_bad_options(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown task"):
        ScoreOptions(tasks=("sentiment",))
    # both engines write through the same output job now, so --resume works with Ray too;
    # what stays refused is asking to start over and to continue at once
    with pytest.raises(UsageError, match="--force starts over and --resume continues"):
        score_archive(["data"], tmp_path / "o.jsonl", engine="ray", resume=True, force=True)
    with pytest.raises(UsageError, match="unknown engine"):
        score_archive(["data"], tmp_path / "o.jsonl", engine="spark")
    r = runner.invoke(app, ["score", "data", "--out", "x.txt"])
    assert r.exit_code == 1 and "unknown output type" in r.stderr


@pytest.mark.slow
def test_ray_engine_matches_local(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    src = _archive(tmp_path, 12)
    (src / "plain.txt").write_text("A major bridge was closed on Monday after engineers found cracks in its deck.")
    local = tmp_path / "local.jsonl"
    here = score_archive([str(src)], local, workers=1)
    ray_out = tmp_path / "ray.jsonl"
    s = score_archive([str(src)], ray_out, engine="ray", workers=1, errors=tmp_path / "ray-errors.jsonl")
    ray_rows = sorted(_rows(ray_out), key=lambda r: r["id"])
    local_rows = sorted(_rows(local), key=lambda r: r["id"])
    assert ray_rows == local_rows
    assert s.read == len(local_rows) and s.failed == 3
    assert (s.topics, s.stances, s.skipped, s.stance_skipped) == (
        here.topics,
        here.stances,
        here.skipped,
        here.stance_skipped,
    )
    assert s.skipped == {"stance: no target": 1}  # plain.txt has no headline


def test_abstractive_briefs(tmp_path: Path, tiny_bart: Path, data_dir: Path) -> None:
    out = tmp_path / "briefs.jsonl"
    args = ["--tasks", "brief", "--summary-method", "abstractive", "--summary-model", str(tiny_bart), "-w", "1"]
    r = runner.invoke(app, ["score", str(data_dir / "articles.jsonl"), "--out", str(out), *args, "--quiet"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 5 and all(row["brief_method"].startswith("abstractive:") for row in rows)
    assert all(isinstance(row["brief"], str) and isinstance(row["brief_unsupported"], str) for row in rows)


def test_claims_give_one_row_per_article_and_related_claim(tmp_path: Path) -> None:
    data = Path(__file__).parents[2] / "data"
    claims = tmp_path / "claims.jsonl"
    claims.write_text(
        json.dumps({"id": "ban", "claim": "Porto Velho rejects a ban on cruise ships"})
        + "\n"
        + json.dumps({"id": "votes", "claim": "The cruise ship ban was passed by 30 votes to 12"})
        + "\n"
        + json.dumps({"id": "striker", "claim": "Leon Marsh signs a new contract with Northfield United"})
        + "\n"
    )
    out, side = tmp_path / "scored.jsonl", tmp_path / "claims-rows.jsonl"
    args = ["score", str(data / "article.txt"), str(data / "articles.jsonl"), "--out", str(out)]
    r = runner.invoke(app, [*args, "--claims", str(claims), "--claims-out", str(side), "-w", "1", "-f", "json"])
    assert r.exit_code == 0, r.output
    rows = _rows(side)
    pairs = {(row["id"], row["claim_id"]) for row in rows}
    assert {"ban", "votes", "striker"} <= {row["claim_id"] for row in rows}
    assert not any(cid == "striker" and "article.txt" in aid for aid, cid in pairs)  # not related: no row
    for row in rows:
        assert row["stance"] in {"agree", "disagree", "discuss", "unrelated"}
        if row.get("evidence") and row.get("evidence_start", -1) >= 0:
            source = data / "article.txt" if row["id"].endswith("article.txt") else None
            if source is not None:
                text = source.read_text(encoding="utf-8")
                assert text[row["evidence_start"] : row["evidence_end"]] == row["evidence"]
    summary = json.loads(r.stdout)
    assert set(summary["claims"]) == {row["claim_id"] for row in rows}
    assert sum(sum(v.values()) for v in summary["claims"].values()) == len(rows)
    assert len(_rows(out)) == 6  # the article table stays one row per article


def test_claims_from_a_spreadsheet_and_the_summary_of_how_many_bear(tmp_path: Path) -> None:
    """A CSV of claims (Excel's: `;` between cells, Windows-1252) is read by its columns, not as lines."""
    data = Path(__file__).parents[2] / "data"
    claims = tmp_path / "claims.csv"
    rows = [
        "id;claim;note",
        "ban;Porto Velho bans large cruise ships from its historic harbour;é",
        "c;Café prices soar;",
    ]
    claims.write_bytes("\r\n".join(rows).encode("cp1252"))
    assert claim_list(claims) == [
        ("ban", "Porto Velho bans large cruise ships from its historic harbour"),
        ("c", "Café prices soar"),
    ]
    out, side = tmp_path / "scored.jsonl", tmp_path / "claims-rows.jsonl"
    args = ["score", str(data / "article.txt"), "--out", str(out), "--claims", str(claims), "--claims-out", str(side)]
    r = runner.invoke(app, [*args, "-w", "1"])
    assert r.exit_code == 0, r.output
    assert [row["claim_id"] for row in _rows(side)] == ["ban"]
    assert "claims:  1 of the 2 bear on some article" in r.output and "  ban: agree 1" in r.output
    claims.write_text("id,claim\nx,Striker signs a new deal\n")
    r = runner.invoke(app, [*args, "-w", "1", "--force"])
    assert "none of the 1 bears on any article" in r.output
    urls = tmp_path / "urls.csv"  # a list of pages from a spreadsheet, by its url column
    urls.write_text("title\turl\nA\thttps://example.org/a\nB\thttps://example.org/b\n")
    assert url_list(urls) == ["https://example.org/a", "https://example.org/b"]
    claims.write_text("id,headline\nx,Striker signs a new deal\n")
    with pytest.raises(InputError, match=r"no 'claim' \(or 'text'\) column \(columns: id, headline\)"):
        claim_list(claims)
    with pytest.raises(InputError, match=r"nofile\.txt: no such file \(--claims\)"):
        claim_list(tmp_path / "nofile.txt")


def test_a_page_listed_twice_is_read_once(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "https://example.org/a\nhttps://example.org/b\nhttps://example.org/a#comments\nhttps://example.org/a\n"
    )
    with pytest.warns(UserWarning, match=r"urls\.txt: 2 repeated URLs read once"):
        assert url_list(urls) == ["https://example.org/a", "https://example.org/b"]
    table = tmp_path / "urls.csv"
    table.write_text("title,url\nA,https://example.org/a\nA again,https://example.org/a\n")
    with pytest.warns(UserWarning, match=r"urls\.csv: 1 repeated URL read once"):
        assert url_list(table) == ["https://example.org/a"]


def test_a_resumed_claims_job_keeps_claim_rows_exact(tmp_path: Path) -> None:
    src = _archive(tmp_path, 30)
    opts = ScoreOptions(tasks=("topic",), claims=(("c1", "Bakery chain opens new shops"), ("c2", "Striker signs deal")))
    full, full_side = tmp_path / "full.jsonl", tmp_path / "full-claims.jsonl"
    score_archive([str(src)], full, options=opts, claims_out=full_side, workers=1, batch_size=4)
    assert full_side.read_text().strip()
    out, side = tmp_path / "o.jsonl", tmp_path / "c.jsonl"
    lines = full.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:11]) + lines[11][:5])  # killed inside the twelfth row
    side.write_text(full_side.read_text() + '{"id": "a29", "claim_id": "c1", "sta')  # and after its claim rows
    job = json.loads((tmp_path / ".full.jsonl.manifest.json").read_text())
    job.update(status="running", rows=11, last_id=json.loads(lines[10])["id"])
    (tmp_path / ".o.jsonl.manifest.json").write_text(json.dumps(job))
    s = score_archive([str(src)], out, options=opts, claims_out=side, workers=1, batch_size=4, resume=True)
    assert s.resumed_after == 11
    assert out.read_text() == full.read_text()
    assert side.read_text() == full_side.read_text()


@pytest.mark.filterwarnings("ignore:predictions are near-uniform")
def test_a_worker_holds_one_thread_once_a_neural_model_is_loaded(
    tmp_path: Path, tiny_encoder: Path, data_dir: Path
) -> None:
    # threadpoolctl limits only the libraries loaded by then: torch arrives with the model, so the limit
    # has to follow the loading, or each worker runs a pool as wide as the machine
    nlpkit.train(
        "topic",
        data_dir / "topics.jsonl",
        out=tmp_path / "tr",
        backend="transformer",
        params={"base_model": str(tiny_encoder), "max_length": 32, "epochs": 1},
    )
    code = f"""
import os, queue
from nlpkit.engines.local import _worker_main
from nlpkit.io.readers.base import Fields
from nlpkit.scorer import ScoreOptions
tasks, results = queue.Queue(), queue.Queue()
tasks.put(None)
_worker_main(ScoreOptions(tasks=("topic",), topic_model={str(tmp_path / "tr")!r}), Fields(), "jsonl", tasks, results, os.getppid())
assert results.empty(), results.get()
import torch
print(torch.get_num_threads())
"""
    env = {**os.environ, "OMP_NUM_THREADS": "2"}  # as wide as a two-core machine, whatever this one has
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


def test_the_progress_total_counts_articles_not_files(tmp_path: Path) -> None:
    from nlpkit.scoring import count_articles

    (tmp_path / "a.txt").write_text("Oil rose.")
    (tmp_path / "b.md").write_text("# Oil\n\nOil rose.")
    (tmp_path / "c.jsonl").write_text('{"text": "Oil rose."}\n\n{"text": "Gold fell."}\n')
    assert count_articles([str(tmp_path)], ["https://example.org/1"]) == 5
    (tmp_path / "d.json").write_text('[{"text": "Oil rose."}, {"text": "Gold fell."}]')
    assert count_articles([str(tmp_path)]) is None  # a JSON file may hold any number: not known without parsing it
