"""`score --report`: the archive at a glance, read back from what the job wrote."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nlpkit
from nlpkit.cli import app
from nlpkit.errors import OutputError
from nlpkit.score_report import day_published, timeline
from nlpkit.scoring import ScoreOptions

DATA = Path(__file__).parents[2] / "data"


def _archive(tmp_path: Path, days: int = 6) -> Path:
    """The sample articles again and again, published over `days` days, from three sites, and one empty row."""
    source = [json.loads(line) for line in (DATA / "articles.jsonl").read_text().splitlines()]
    rows = []
    for i in range(30):
        row = {**source[i % len(source)], "id": f"a{i}", "source": {"name": ["BBC", "Reuters", "AP"][i % 3]}}
        row["publishedAt"] = f"2026-11-{1 + i % days:02d}T08:00:00Z" if i % 10 else None  # three without a date
        rows.append(row)
    rows.append({"id": "empty", "text": ""})
    path = tmp_path / "archive.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_report_counts_what_the_output_holds_and_draws_it(tmp_path: Path) -> None:
    out, report = tmp_path / "scores.parquet", tmp_path / "report"
    claims = (("striker", "Northfield United sign a new striker"), ("ban", "Porto Velho bans cruise ships"))
    options = ScoreOptions(tasks=("topic", "stance"), claims=claims)
    summary = nlpkit.score_archive(str(_archive(tmp_path)), out, options=options, workers=1, report=report)
    assert summary.report == str(report)
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    counts = json.loads((report / "summary.json").read_text())
    assert (counts["rows"], counts["failed"], counts["scored"]) == (31, 1, 30)
    assert counts["topics"] == dict(Counter(r["topic"] for r in rows if not r["error"]))
    assert counts["sites"] == {"BBC": 10, "Reuters": 10, "AP": 10} and counts["undated"] == 3
    assert counts["published"] == {"first": "2026-11-01", "last": "2026-11-06"}
    assert counts["failure_reasons"] == {"empty article (no text)": 1}
    claim_rows = [json.loads(line) for line in (tmp_path / "scores.claims.jsonl").read_text().splitlines()]
    assert counts["claims"] == {"striker": dict(Counter(r["stance"] for r in claim_rows))} and claim_rows
    for name in ("topics.png", "topics_by_day.png", "claims.png"):
        assert (report / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (report / "report.md").read_text()
    assert "31 articles: 30 scored, 1 failed." in md and "Published 2026-11-01 to 2026-11-06" in md
    assert "| BBC | 10 | 33.3% |" in md and "| empty article (no text) | 1 | 100.0% |" in md
    assert "![claims](claims.png)" in md and "| striker: Northfield United sign a new striker |" in md


def test_one_day_draws_no_timeline_and_a_report_is_not_overwritten_without_force(tmp_path: Path) -> None:
    archive, out, report = _archive(tmp_path, days=1), tmp_path / "s.jsonl", tmp_path / "report"
    args = ["score", str(archive), "--out", str(out), "--tasks", "topic", "--report", str(report), "-w", "1"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1, r.output  # the empty row failed
    assert f"report: {report / 'report.md'}" in r.output
    assert sorted(p.name for p in report.iterdir()) == ["report.md", "summary.json", "topics.png"]
    out.unlink()
    with pytest.raises(OutputError, match="a report is already there; use --force"):
        nlpkit.score_archive(str(archive), out, workers=1, report=report)
    assert not out.exists()  # refused before the job ran
    (report / "summary.json").unlink()
    (report / "summary.json").symlink_to(archive)  # a report file that is an input is never written
    with pytest.raises(OutputError, match="is the input"):
        nlpkit.score_archive(str(archive), out, workers=1, report=report, force=True)
    assert json.loads(archive.read_text().splitlines()[0])["id"] == "a0"


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_report_draws_only_what_the_job_gave(tmp_path: Path, suffix: str) -> None:
    """Briefs only: no topics to count or draw; every row failed: nothing to draw at all."""
    out, report = tmp_path / f"briefs{suffix}", tmp_path / "report"
    nlpkit.score_archive(str(_archive(tmp_path)), out, options=ScoreOptions(tasks=("brief",)), workers=1, report=report)
    assert sorted(p.name for p in report.iterdir()) == ["report.md", "summary.json"]
    assert "## Topics" not in (report / "report.md").read_text()
    assert json.loads((report / "summary.json").read_text())["topics"] == {}
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"id": "x", "text": ""}\n')
    nlpkit.score_archive(str(empty), tmp_path / "none.jsonl", workers=1, report=tmp_path / "none")
    assert sorted(p.name for p in (tmp_path / "none").iterdir()) == ["report.md", "summary.json"]
    assert "1 article: 0 scored, 1 failed." in (tmp_path / "none" / "report.md").read_text()


def test_dates_and_the_timeline_unit() -> None:
    assert day_published("2024-05-02") == "2024-05-02" and day_published(None) is None
    assert day_published("Thu, 02 May 2024 10:00:00 GMT") == "2024-05-02"
    unit, periods, stray = timeline(Counter({"2024-03-04": 5, "2024-04-22": 5}))
    assert unit == "week" and periods[0] == "2024-03-04" and periods[-1] == "2024-04-22" and len(periods) == 8
    unit, periods, stray = timeline(Counter({"2023-01-15": 400, "2024-02-01": 400, "2001-09-11": 1}))
    assert unit == "month" and periods[0] == "2023-01" and len(periods) == 14 and stray == 1


def test_a_report_says_why_topics_and_stances_were_left_empty(tmp_path: Path) -> None:
    # A German article's topic used to be counted as "(no topic)", and empty stances not at all.
    german = (Path(__file__).parents[1] / "data" / "german.txt").read_text(encoding="utf-8")
    rows = [
        {"id": "de", "title": "Stadtrat verbannt Kreuzfahrtschiffe", "text": german},
        {"id": "plain", "text": "A major bridge was closed on Monday after engineers found cracks in its deck."},
        {
            "id": "en",
            "title": "Bridge closed",
            "text": "A major bridge was closed on Monday after engineers found cracks.",
        },
    ]
    archive, report = tmp_path / "mixed.jsonl", tmp_path / "report"
    archive.write_text("".join(json.dumps(r) + "\n" for r in rows))
    nlpkit.score_archive(str(archive), tmp_path / "s.jsonl", workers=1, report=report)
    counts = json.loads((report / "summary.json").read_text())
    assert counts["topics"]["(no topic: another language)"] == 1 and sum(counts["topics"].values()) == 3
    assert counts["stances"]["(no stance: another language)"] == 1
    assert counts["stances"]["(no stance: no target)"] == 1 and sum(counts["stances"].values()) == 3
    md = (report / "report.md").read_text()
    assert "| (no topic: another language) | 1 | 33.3% |" in md and "| (no stance: no target) | 1 | 33.3% |" in md


def test_count_axes_tick_whole_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Topics of a few articles were drawn against 0.25, 0.5, 0.75 of an article.
    from nlpkit import score_report

    drawn = []
    monkeypatch.setattr(score_report, "save_figure", lambda fig, path: drawn.append(fig))
    tally = score_report.ArchiveTally()
    for topic in ("business", "business", "sport"):
        tally.add({"topic": topic, "published": None})
    score_report.plot_topics(tally, tmp_path / "topics.png")
    ticks = drawn[0].axes[0].get_xticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
