"""Reports: metrics as aligned text, Markdown files and plots, written into a report folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlpkit.errors import OutputError
from nlpkit.io.files import same_file, write_atomic
from nlpkit.metrics import expected_calibration_error, mean_se

#: Every file a report folder may get.
REPORT_FILES = (
    *("metrics.json", "report.md", "confusion_matrix.png", "calibration.png", "rouge_gain.png"),
    "by_group.png",
    *("summary.json", "topics.png", "topics_by_day.png", "claims.png"),  # a scored archive's (score_report)
)


def prepare_report_dir(report: str | Path, *, force: bool, inputs: Sequence[str | Path] = ()) -> Path:
    """Create a report folder; refuse to overwrite an existing report without `force`, and to write over an
    input (a report file that is the data file, or a link to it) even with `force`."""
    out = Path(report)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    for name in REPORT_FILES:
        target = out / name
        for given in inputs:
            if same_file(target, given):
                raise OutputError(
                    f"{target}: is the input {given}; a report is written to another folder (inputs are never written)"
                )
    if any((out / name).exists() or (out / name).is_symlink() for name in REPORT_FILES) and not force:
        raise OutputError(f"{out}: a report is already there; use --force to overwrite it")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_json(path: Path, data: object) -> None:
    """Write JSON atomically (a fresh temporary file renamed into place; a link there is replaced, not followed)."""
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend (files only: no display is needed or opened), imported when a
    report draws its first plot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def whole_counts(axis: Any) -> None:
    """Ticks at whole numbers only, on an axis that counts articles or examples (not 0.25 of one)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def save_figure(fig: Any, path: str | Path) -> None:
    """A figure written as a PNG, atomically, and closed."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    write_atomic(path, buf.getvalue())
    pyplot().close(fig)


def rouge_table(rows: Sequence[tuple[str, dict[str, Any]]], *, markdown: bool = False) -> str:
    """ROUGE-1/2/Lsum F1 (x100) of named systems, as aligned text or a Markdown table.

    Example:
        >>> print(rouge_table([("lead-3", {"rouge1": 0.4, "rouge2": 0.2, "rougeLsum": 0.35, "length": "3"})]))
        system         length  ROUGE-1  ROUGE-2 ROUGE-Lsum
        lead-3              3    40.00    20.00      35.00
    """
    if markdown:
        lines = ["| system | length | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |", "| --- | --- | ---: | ---: | ---: |"]
        for name, r in rows:
            lines.append(
                f"| {name} | {r.get('length', '')} | {100 * float(r['rouge1']):.2f} | {100 * float(r['rouge2']):.2f} "
                f"| {100 * float(r['rougeLsum']):.2f} |"
            )
        return "\n".join(lines)
    lines = [f"{'system':<14} {'length':>6} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>10}"]
    for name, r in rows:
        lines.append(
            f"{name[:14]:<14} {r.get('length', ''):>6} {100 * r['rouge1']:8.2f} {100 * r['rouge2']:8.2f} "
            f"{100 * r['rougeLsum']:10.2f}"
        )
    return "\n".join(lines)


def lead_name(m: dict[str, Any]) -> str:
    """The name of the lead baseline `evaluate_summarizer` set beside the method: the lead at its length."""
    return f"lead-{m['lead']['length']}"


def summary_rows(m: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """`rouge_table`'s rows of `evaluate_summarizer`'s metrics: the method, the lead at its length, and Lead-3."""
    rows = [(str(m["method"]), m), (lead_name(m), m["lead"])]
    return rows if m["lead"]["length"] == "3" else [*rows, ("lead-3", m["lead3"])]


def gain_line(gain: dict[str, dict[str, float]], method: str, lead: str) -> str:
    """`method`'s ROUGE gain over `lead` (`nlpkit.metrics.rouge_gains`), with standard errors over the articles.

    Example:
        >>> g = {"rouge1": {"mean": 0.0078, "se": 0.0052}, "rouge2": {"mean": -0.001, "se": 0.004}}
        >>> gain_line(g, "auto", "lead-3")
        'auto - lead-3, per article: ROUGE-1 +0.78 ± 0.52, ROUGE-2 -0.10 ± 0.40 (mean ± standard error, x100)'
    """
    return (
        f"{method} - {lead}, per article: "
        f"ROUGE-1 {100 * gain['rouge1']['mean']:+.2f} ± {100 * gain['rouge1']['se']:.2f}, "
        f"ROUGE-2 {100 * gain['rouge2']['mean']:+.2f} ± {100 * gain['rouge2']['se']:.2f} (mean ± standard error, x100)"
    )


def summary_markdown(m: dict[str, Any]) -> str:
    """The Markdown report of `evaluate_summarizer`'s metrics."""
    return (
        f"# Summarization report\n\nData: `{m['data']}` ({m['n']} articles; {m['skipped_rows']} rows skipped).\n"
        "ROUGE F1 (rouge-score, Porter stemming), best reference per article.\n\n"
        + rouge_table(summary_rows(m), markdown=True)
        + f"\n\n{gain_line(m['gain'], str(m['method']), lead_name(m))}. "
        + "A gain within about two standard errors of zero may not hold on other articles.\n"
        + "\n![ROUGE-1 gain per article](rouge_gain.png)\n"
    )


def plot_rouge_gain(gains: Sequence[float], method: str, lead: str, path: str | Path) -> Path:
    """Save a histogram of the per-article ROUGE-1 gain of `method` over `lead` (x100) as a PNG, with the mean and
    the band of two standard errors around it: where the gain comes from (a few articles, or most)."""
    plt = pyplot()
    d = 100 * np.asarray(gains, dtype=float)
    mean, se = mean_se(d.tolist())
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.hist(d, bins=min(40, max(5, len(d) // 5)), color="#4c72b0", edgecolor="white", zorder=2)
    ax.axvspan(mean - 2 * se, mean + 2 * se, color="orange", alpha=0.3, label="mean ± 2 standard errors", zorder=1)
    ax.axvline(mean, color="orange", label=f"mean {mean:+.2f}", zorder=3)
    ax.axvline(0.0, color="grey", linestyle="--", linewidth=1, zorder=3)
    whole_counts(ax.yaxis)
    better, worse = int((d > 0).sum()), int((d < 0).sum())
    ax.set_title(f"{method} - {lead}: better on {better}, worse on {worse}, level on {len(d) - better - worse}")
    ax.set_xlabel("ROUGE-1 F1 gain per article (x100)")
    ax.set_ylabel("articles")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    save_figure(fig, path)
    return Path(path)


def _title(ax: Any, title: str, note: str) -> None:
    """A plot's title, and under it in red a note that changes what the figure means."""
    if note:
        ax.set_title(f"{title}\n{note}", color="#b00000", fontsize=10)
    else:
        ax.set_title(title)


def plot_confusion_matrix(metrics: dict[str, Any], path: str | Path, *, note: str = "") -> Path:
    """Save the confusion matrix as a PNG (rows: gold, columns: predicted; shaded by row share); `note`, a
    warning the figure must not be seen without, goes under its title."""
    plt = pyplot()

    labels = metrics["labels"]
    cm = np.asarray(metrics["confusion_matrix"])
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    size = max(4.0, 0.7 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", color="white" if share[i, j] > 0.5 else "black")
    _title(ax, f"accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f}", note)
    fig.tight_layout()
    save_figure(fig, path)
    return Path(path)


def plot_calibration(correct: Any, confidence: Any, path: str | Path, bins: int = 10, *, note: str = "") -> Path:
    """Save a reliability curve (accuracy against confidence of the top label) as a PNG; `note` as for
    `plot_confusion_matrix`."""
    plt = pyplot()

    c = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(c, edges[1:-1]), 0, bins - 1)
    xs, ys, ns = [], [], []
    for b in range(bins):
        m = which == b
        if m.any():
            xs.append(c[m].mean())
            ys.append(ok[m].mean())
            ns.append(int(m.sum()))
    fig, (ax, hx) = plt.subplots(2, 1, figsize=(5, 6), height_ratios=[3, 1], sharex=True)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.plot(xs, ys, "o-", label="model")
    ax.set_ylabel("accuracy")
    _title(ax, f"reliability (ECE {expected_calibration_error(ok.astype(bool), c, bins):.3f})", note)
    ax.legend(loc="upper left")
    hx.bar(xs, ns, width=0.08)
    hx.set_xlabel("confidence of the predicted label")
    hx.set_ylabel("examples")
    whole_counts(hx.yaxis)
    fig.tight_layout()
    save_figure(fig, path)
    return Path(path)


def format_classification_report(m: dict[str, Any]) -> str:
    """The metrics as aligned text: headline figures, per-class table, confusion matrix."""
    lines = [f"{m['n']} examples from {m.get('data', '?')} — model {m.get('model', '?')}"]
    lines += [f"WARNING: {w}" for w in m.get("warnings", [])]
    lines.append(
        f"accuracy {m['accuracy']:.4f}   macro-F1 {m['macro_f1']:.4f}"
        + (f"   ECE {m['ece']:.4f}" if "ece" in m else "")
    )
    absent = [lab for lab, r in m["per_class"].items() if not r["support"]]
    if absent and "macro_f1_present" in m:  # a label the data lacks has an F1 of 0 in the macro-F1 above
        shown = len(m["per_class"]) - len(absent)
        lines.append(
            f"macro-F1 over the {shown} labels the data has {m['macro_f1_present']:.4f} (none of: {', '.join(absent)})"
        )
    if "fnc_score" in m:
        lines.append(f"FNC-1 score {m['fnc_score']:.4f}")
    width = max(len(lab) for lab in m["labels"]) + 2
    lines.append("")
    lines.append(f"{'label':<{width}} {'precision':>9} {'recall':>7} {'F1':>7} {'support':>8}")
    for lab, r in m["per_class"].items():
        lines.append(f"{lab:<{width}} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} {r['support']:8d}")
    lines.append("")
    lines.append("confusion matrix (rows: gold, columns: predicted)")
    lines.append(" " * width + " ".join(f"{lab[:8]:>8}" for lab in m["labels"]))
    for lab, row in zip(m["labels"], m["confusion_matrix"], strict=True):
        lines.append(f"{lab:<{width}}" + " ".join(f"{v:8d}" for v in row))
    for note in m.get("notes", []):
        lines.append(f"note: {note}")
    if "by" in m:
        lines += ["", *by_group_lines(m["by"])]
    folds = m.get("per_fold") or []
    if folds:
        lines += ["", "each fold's held-out part (macro-F1 over the labels it has)"]
        lines += _part_table("held out", [(str(f["held_out"]), f) for f in folds])
    return "\n".join(lines)


def _part_table(name: str, parts: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Aligned rows of parts of a data set (a group, a fold): the part's name, size, accuracy and macro-F1."""
    width = min(40, max(len(name), *(len(p) for p, _ in parts))) + 2
    lines = [f"{name[:width]:<{width}} {'n':>6} {'accuracy':>9} {'macro-F1':>9}"]
    for part, f in parts:
        lines.append(f"{part[: width - 2]:<{width}} {f['n']:6d} {f['accuracy']:9.4f} {f['macro_f1']:9.4f}")
    return lines


#: Groups listed in the text report of `evaluate --by` (the largest; metrics.json has them all).
SHOWN_GROUPS = 20


def by_group_lines(by: dict[str, Any]) -> list[str]:
    """The per-group table of `evaluate --by`: the largest groups, each with its size, accuracy and macro-F1."""
    groups = by["groups"]
    more = f"; the {SHOWN_GROUPS} with most examples" if len(groups) > SHOWN_GROUPS else ""
    shown = [(str(g["value"]), g) for g in groups[:SHOWN_GROUPS]]
    head = f"by {by['field']} ({len(groups)} values{more}; macro-F1 over the labels each has)"
    return [head, *_part_table(by["field"], shown)]


def classification_markdown(m: dict[str, Any]) -> str:
    text = format_classification_report(m)
    by = f"\n![by {m['by']['field']}](by_group.png)\n" if "by" in m else ""
    return (
        "# Classification report\n\n```\n" + text + "\n```\n\n"
        "![confusion matrix](confusion_matrix.png)\n\n![calibration](calibration.png)\n" + by
    )


def plot_by_group(metrics: dict[str, Any], path: str | Path, *, note: str = "") -> Path:
    """Save the macro-F1 of each group of `evaluate --by` (the `SHOWN_GROUPS` largest) as horizontal bars, each
    with its size, beside a line at the whole set's macro-F1; `note` as for `plot_confusion_matrix`."""
    plt = pyplot()
    by = metrics["by"]
    groups = by["groups"][:SHOWN_GROUPS][::-1]
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(groups) + 1.4)))
    values = [g["macro_f1"] for g in groups]
    ax.barh([g["value"][:40] for g in groups], values, color="#5c7caf")
    for i, g in enumerate(groups):
        ax.text(g["macro_f1"], i, f" {g['macro_f1']:.2f} (n={g['n']:,})", va="center", fontsize=8)
    ax.axvline(metrics["macro_f1"], color="#c62828", linestyle="--")
    ax.set_xlim(0, 1.25)
    ax.set_xlabel("macro-F1 over the labels each has (dashed: the whole set's)")
    more = f", the {SHOWN_GROUPS} largest" if len(by["groups"]) > SHOWN_GROUPS else ""
    _title(ax, f"macro-F1 by {by['field']}{more} (whole set: {metrics['macro_f1']:.2f})", note)
    fig.tight_layout()
    save_figure(fig, path)
    return Path(path)
