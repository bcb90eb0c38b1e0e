"""A scored archive at a glance: `nlpkit score --report DIR` (`score_archive(report=DIR)`).

The report is read back from the job's output (and claim rows) once the job is done, so a resumed
job's report covers every row, whichever engine wrote them. It holds `summary.json` (the counts),
`report.md` (tables: articles, topics, stances, claims, sites, why rows failed) and the plots a
reader takes in faster than a table: `topics.png` (articles per topic, when the job gave topics),
`topics_by_day.png` (topics over the days, weeks or months the articles were published, when their
dates span two days or more) and `claims.png` (each claim's agree / disagree / discuss articles, when
claims were checked).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from nlpkit.io.files import write_atomic
from nlpkit.io.writers import RowWriter, output_format
from nlpkit.records import skip_kinds
from nlpkit.reports import pyplot, save_figure, whole_counts, write_json

#: Topics drawn one by one in `topics_by_day.png`; the rest are `other`.
TOP_TOPICS = 8
#: Claims drawn in `claims.png` (those with most related articles).
TOP_CLAIMS = 20
#: Stances in the order they are drawn, with their colours.
STANCE_COLOURS = {
    "agree": "#2e7d32",
    "favor": "#2e7d32",
    "disagree": "#c62828",
    "against": "#c62828",
    "discuss": "#5c7caf",
    "none": "#b0b0b0",
    "unrelated": "#d9d9d9",
}


@dataclass
class ArchiveTally:
    """What the rows of a scored archive add up to."""

    rows: int = 0
    failed: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    stances: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)  # why rows failed
    days: Counter[tuple[str, str]] = field(default_factory=Counter)  # (day published, topic)
    undated: int = 0
    claims: dict[str, Counter[str]] = field(default_factory=dict)  # claim id -> stance -> articles
    claim_text: dict[str, str] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        """Count one output row."""
        self.rows += 1
        if row.get("error"):
            self.failed += 1
            self.reasons[_reason(str(row["error"]), str(row.get("source") or ""))] += 1
            return
        why = dict(kind.split(": ", 1) for kind in skip_kinds(row))  # task -> why it was left empty
        topic = str(row.get("topic") or (f"(no topic: {why['topic']})" if "topic" in why else "(no topic)"))
        if "topic" in row:  # a job without the topic task has no such column
            self.topics[topic] += 1
        if row.get("stance"):
            self.stances[str(row["stance"])] += 1
        elif "stance" in why:
            self.stances[f"(no stance: {why['stance']})"] += 1
        self.sites[str(row.get("site") or "(no site)")] += 1
        if row.get("language"):
            self.languages[str(row["language"])] += 1
        day = day_published(row.get("published"))
        if day is None:
            self.undated += 1
        else:
            self.days[(day, topic)] += 1

    def add_claim(self, row: dict[str, Any]) -> None:
        """Count one claim row (an article and a claim it bears on)."""
        cid = str(row.get("claim_id"))
        self.claims.setdefault(cid, Counter())[str(row.get("stance"))] += 1
        self.claim_text.setdefault(cid, str(row.get("claim") or ""))

    def to_dict(self) -> dict[str, Any]:
        dated = sorted({d for d, _ in self.days})
        return {
            "rows": self.rows,
            "scored": self.rows - self.failed,
            "failed": self.failed,
            "topics": dict(self.topics.most_common()),
            "stances": dict(self.stances.most_common()),
            "sites": dict(self.sites.most_common(50)),
            "languages": dict(self.languages.most_common()),
            "failure_reasons": dict(self.reasons.most_common(50)),
            "published": {"first": dated[0], "last": dated[-1]} if dated else None,
            "undated": self.undated,
            "claims": {cid: dict(c) for cid, c in self.claims.items()},
        }


def _reason(error: str, source: str) -> str:
    """A failure's reason without the record's name, so that alike failures count together."""
    reason = error.removeprefix(f"{source}: ") if source else error
    return reason if len(reason) <= 120 else reason[:117] + "..."


def day_published(value: Any) -> str | None:
    """The day (`YYYY-MM-DD`) of a `published` value written as ISO 8601 or as e-mail and RSS 2.0 write dates.

    Example:
        >>> day_published("2024-05-02T10:00:00Z"), day_published("Thu, 02 May 2024 23:30:00 -0500")
        ('2024-05-02', '2024-05-02')
        >>> day_published("last Tuesday") is None
        True
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def output_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a score output (JSONL, CSV or Parquet), streamed."""
    if not path.exists():
        return
    if output_format(path) != "parquet":
        yield from RowWriter(path, []).read_rows()
        return
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
        yield from batch.to_pylist()


def tally_archive(rows: Iterable[dict[str, Any]], claim_rows: Iterable[dict[str, Any]] = ()) -> ArchiveTally:
    """Count the rows of a scored archive and its claim rows."""
    tally = ArchiveTally()
    for row in rows:
        tally.add(row)
    for row in claim_rows:
        tally.add_claim(row)
    return tally


def write_score_report(out: Path, report: Path, *, claims_out: Path | None = None) -> list[Path]:
    """Write the report of the scored archive `out` (and its claim rows) into the folder `report` (made ready by
    `nlpkit.reports.prepare_report_dir`); return the files written."""
    tally = tally_archive(output_rows(out), output_rows(claims_out) if claims_out is not None else ())
    written = [report / "summary.json", report / "report.md"]
    write_json(written[0], {"output": str(out), "claims": str(claims_out) if claims_out else None, **tally.to_dict()})
    plots = [plot_topics(tally, report / "topics.png")] if tally.topics else []
    if tally.topics and len({d for d, _ in tally.days}) >= 2:
        plots.append(plot_topics_by_day(tally, report / "topics_by_day.png"))
    if tally.claims:
        plots.append(plot_claims(tally, report / "claims.png"))
    write_atomic(written[1], report_markdown(tally, out, [p.name for p in plots]))
    return written + plots


def _table(header: tuple[str, str], counts: Iterable[tuple[str, int]], total: int) -> list[str]:
    lines = [f"| {header[0]} | {header[1]} | share |", "| --- | ---: | ---: |"]
    lines += [f"| {_cell(k)} | {v:,} | {v / max(total, 1):.1%} |" for k, v in counts]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(tally: ArchiveTally, out: Path, plots: list[str]) -> str:
    """`report.md`: the archive's counts as tables, with the plots."""
    scored = tally.rows - tally.failed
    dated = sorted({d for d, _ in tally.days})
    lines = [f"# Scored archive: {out.name}", ""]
    lines.append(f"{tally.rows:,} article{'' if tally.rows == 1 else 's'}: {scored:,} scored, {tally.failed:,} failed.")
    if dated:
        lines.append(f"Published {dated[0]} to {dated[-1]} ({tally.undated:,} scored articles without a date).")
    lines.append("")
    if tally.topics:
        lines += ["## Topics", "", *_table(("topic", "articles"), tally.topics.most_common(), scored), ""]
        lines += [f"![{name}]({name})" for name in plots if name.startswith("topics")] + [""]
    if tally.stances:
        lines += ["## Stance toward each article's headline or target", ""]
        lines += [*_table(("stance", "articles"), tally.stances.most_common(), sum(tally.stances.values())), ""]
    if tally.claims:
        stances = sorted({s for c in tally.claims.values() for s in c}, key=_stance_order)
        lines += ["## Claims", "", "| claim | " + " | ".join(stances) + " |", "| --- |" + " ---: |" * len(stances)]
        for cid, counts in sorted(tally.claims.items(), key=lambda kv: -sum(kv[1].values())):
            name = _cell(f"{cid}: {tally.claim_text.get(cid, '')}")
            lines.append(f"| {name} | " + " | ".join(f"{counts.get(s, 0):,}" for s in stances) + " |")
        lines += ["", "![claims](claims.png)", ""]
    if tally.sites and set(tally.sites) != {"(no site)"}:
        lines += ["## Sites (the 10 with most articles)", ""]
        lines += [*_table(("site", "articles"), tally.sites.most_common(10), scored), ""]
    if tally.reasons:
        lines += ["## Why articles failed (the 10 commonest reasons)", ""]
        lines += [*_table(("reason", "articles"), tally.reasons.most_common(10), tally.failed), ""]
    return "\n".join(lines)


def _stance_order(stance: str) -> int:
    order = list(STANCE_COLOURS)
    return order.index(stance) if stance in order else len(order)


def plot_topics(tally: ArchiveTally, path: Path) -> Path:
    """Articles per topic, most first, as horizontal bars."""
    plt = pyplot()
    counts = tally.topics.most_common()[::-1]
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(counts) + 1.2)))
    ax.barh([k for k, _ in counts], [v for _, v in counts], color="#5c7caf")
    for i, (_, v) in enumerate(counts):
        ax.text(v, i, f" {v:,}", va="center", fontsize=9)
    ax.set_xlabel("articles")
    whole_counts(ax.xaxis)
    scored = tally.rows - tally.failed
    ax.set_title(f"Topics of {scored:,} scored articles" + (f" ({tally.failed:,} failed)" if tally.failed else ""))
    ax.margins(x=0.12)
    fig.tight_layout()
    save_figure(fig, path)
    return path


#: Share of the dated articles at each end of the timeline whose span decides what a stray date is.
DATE_TAILS = 0.005


def timeline(days: Counter[str]) -> tuple[str, list[str], int]:
    """How to draw articles per day published: the unit (`day` up to three weeks, `week` up to three months, else
    `month`), every period from the first to the last in order (empty ones too), and how many articles have stray
    dates, left out: over a tenth of the span of the middle 99 % (`DATE_TAILS` cut at each end) beyond it.

    Example:
        >>> timeline(Counter({"2024-05-01": 300, "2024-05-03": 100, "1970-01-01": 1}))
        ('day', ['2024-05-01', '2024-05-02', '2024-05-03'], 1)
    """
    ordered = sorted(days.items())
    cut = int(sum(days.values()) * DATE_TAILS)

    def inner(items: list[tuple[str, int]]) -> dt.date:
        seen = 0
        for day, n in items:  # the first day at which more than `cut` articles are counted
            seen += n
            if seen > cut:
                return dt.date.fromisoformat(day)
        return dt.date.fromisoformat(items[-1][0])

    q_lo, q_hi = inner(ordered), inner(ordered[::-1])
    margin = dt.timedelta(days=(q_hi - q_lo).days // 10 + 1)
    kept = [(day, n) for day, n in ordered if q_lo - margin <= dt.date.fromisoformat(day) <= q_hi + margin]
    left_out = sum(days.values()) - sum(n for _, n in kept)
    first, last = dt.date.fromisoformat(kept[0][0]), dt.date.fromisoformat(kept[-1][0])
    span = (last - first).days
    unit = "day" if span <= 21 else "week" if span <= 92 else "month"
    periods: list[str] = []
    at = first
    while at <= last:
        period = _bucket(at.isoformat(), unit)
        if not periods or periods[-1] != period:
            periods.append(period)
        at += dt.timedelta(days=1)
    return unit, periods, left_out


def _bucket(day: str, unit: str) -> str:
    """The period of a day: itself, its week's Monday, or its month (`YYYY-MM`)."""
    if unit == "day":
        return day
    if unit == "week":
        date = dt.date.fromisoformat(day)
        return (date - dt.timedelta(days=date.weekday())).isoformat()
    return day[:7]


def plot_topics_by_day(tally: ArchiveTally, path: Path) -> Path:
    """Articles per topic over the days (weeks, months) they were published, as stacked bars."""
    plt = pyplot()
    per_day: Counter[str] = Counter()
    for (day, _), n in tally.days.items():
        per_day[day] += n
    unit, periods, left_out = timeline(per_day)
    top = [t for t, _ in tally.topics.most_common(TOP_TOPICS)]
    grid: dict[str, Counter[str]] = {p: Counter() for p in periods}
    for (day, topic), n in tally.days.items():
        period = _bucket(day, unit)
        if period in grid:
            grid[period][topic if topic in top else "other"] += n
    shown = top + (["other"] if any("other" in c for c in grid.values()) else [])
    fig, ax = plt.subplots(figsize=(max(7, 0.3 * len(periods) + 3), 4.5))
    bottom = [0] * len(periods)
    colours = plt.get_cmap("tab10")
    for k, topic in enumerate(shown):
        heights = [grid[p].get(topic, 0) for p in periods]
        ax.bar(range(len(periods)), heights, bottom=bottom, label=topic, color=colours(k % 10))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    step = max(1, len(periods) // 12)
    ax.set_xticks(range(0, len(periods), step), periods[::step], rotation=45, ha="right")
    ax.set_ylabel("articles")
    whole_counts(ax.yaxis)
    drawn = sum(per_day.values()) - left_out
    stray = f", {left_out:,} with a stray date" if left_out else ""
    note = f"{drawn:,} articles ({tally.undated:,} without a date{stray}, not drawn)"
    ax.set_title(f"Topics by {unit} published\n{note}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    save_figure(fig, path)
    return path


def plot_claims(tally: ArchiveTally, path: Path) -> Path:
    """Each claim's related articles by stance (the `TOP_CLAIMS` with most), as stacked horizontal bars."""
    plt = pyplot()
    claims = sorted(tally.claims.items(), key=lambda kv: -sum(kv[1].values()))[:TOP_CLAIMS][::-1]
    stances = sorted({s for _, c in claims for s in c}, key=_stance_order)
    labels = [_short(f"{cid}: {tally.claim_text.get(cid, '')}") for cid, _ in claims]
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.4 * len(claims) + 1.2)))
    left = [0] * len(claims)
    for stance in stances:
        widths = [c.get(stance, 0) for _, c in claims]
        ax.barh(labels, widths, left=left, label=stance, color=STANCE_COLOURS.get(stance, "#888888"))
        left = [a + w for a, w in zip(left, widths, strict=True)]
    ax.set_xlabel("articles that bear on the claim")
    whole_counts(ax.xaxis)
    more = f" (the {TOP_CLAIMS} with most articles)" if len(tally.claims) > TOP_CLAIMS else ""
    ax.set_title(f"Stance of the articles toward each claim{more}")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    save_figure(fig, path)
    return path


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
