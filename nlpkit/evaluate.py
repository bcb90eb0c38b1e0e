"""Evaluation: classification metrics, ROUGE and sentence-boundary scores.

Functions return plain dicts (fractions in [0, 1]); plots are drawn only on request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any


def read_boundary_gold(path: str | Path) -> list[tuple[str, list[int]]]:
    """Read a sentence-boundary gold file (see `tests/data/segment_gold.txt` for the format).

    Returns one `(text, sentence_starts)` pair per document; starts exclude offset 0.
    """
    docs: list[list[str]] = [[]]
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("#"):
            continue
        if line.startswith("====="):
            docs.append([])
            continue
        docs[-1].append(line)
    out = []
    for lines in docs:
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            continue
        text_parts: list[str] = []
        starts: list[int] = []
        pos = 0
        for line in lines:
            if line.strip():
                if pos:
                    starts.append(pos)
                for i, piece in enumerate(line.split(" || ")):
                    if i:
                        text_parts.append(" ")
                        pos += 1
                        starts.append(pos)
                    text_parts.append(piece)
                    pos += len(piece)
            text_parts.append("\n")
            pos += 1
        out.append(("".join(text_parts).rstrip("\n"), starts))
    return out


def boundary_scores(
    splitter: Callable[[str], Sequence[tuple[int, int]]], gold: Iterable[tuple[str, list[int]]]
) -> dict[str, float]:
    """Precision, recall and F1 of the sentence starts a splitter finds, against gold starts.

    `splitter` maps a text to `(start, end)` spans; offset 0 is never counted.
    """
    tp = fp = fn = 0
    for text, starts in gold:
        predicted = {a for a, _ in splitter(text) if a > 0}
        wanted = set(starts)
        tp += len(predicted & wanted)
        fp += len(predicted - wanted)
        fn += len(wanted - predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "boundaries": tp + fn}


def rouge(
    predictions: Sequence[str],
    references: Sequence[str | Sequence[str]],
    *,
    keys: Sequence[str] = ("rouge1", "rouge2", "rougeLsum"),
) -> dict[str, float]:
    """Mean ROUGE F1 (the `rouge-score` package, Porter stemming on).

    Sentences should be separated by newlines for ROUGE-Lsum. With several references for
    one prediction, the best-matching reference counts (`score_multi`).

    Example:
        >>> round(rouge(["the cat sat"], ["the cat sat down"])["rouge1"], 3)
        0.857
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(keys), use_stemmer=True)
    totals = dict.fromkeys(keys, 0.0)
    for pred, ref in zip(predictions, references, strict=True):
        refs = [ref] if isinstance(ref, str) else list(ref)
        result = scorer.score_multi(refs, pred) if len(refs) > 1 else scorer.score(refs[0], pred)
        for k in keys:
            totals[k] += result[k].fmeasure
    n = max(1, len(predictions))
    return {k: v / n for k, v in totals.items()}


def _write_json(path: Path, data: object) -> None:
    import json

    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def prepare_report_dir(report: str | Path, *, force: bool) -> Path:
    """Create a report folder; refuse to overwrite an existing report without `force`."""
    from nlpkit.errors import OutputError

    out = Path(report)
    if (out / "metrics.json").exists() and not force:
        raise OutputError(f"{out}: a report is already there; use --force to overwrite it")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def evaluate_summarizer(
    method: str,
    data: str | Path,
    *,
    summary_field: str = "summary",
    text_field: str = "text",
    title_field: str = "title",
    group_field: str | None = None,
    length: str = "3",
    report: str | Path | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """ROUGE-1/2/Lsum F1 of a summarizer on (article, reference) pairs, with Lead-3 beside it.

    Rows sharing `group_field` (e.g. an article id) are one article with several references;
    the best-matching reference counts. Returns fractions in [0, 1].

    Example:
        >>> import json, tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
        >>> row = {"text": "Oil rose 2%. Traders cited fears. Shares fell.", "summary": "Oil rose 2%."}
        >>> _ = p.write_text(json.dumps(row) + "\\n")
        >>> m = evaluate_summarizer("lead", p, length="1")
        >>> m["rouge1"], m["lead3"]["n"]
        (1.0, 1)
    """
    from nlpkit.errors import DataError
    from nlpkit.io.readers import Fields, read_articles
    from nlpkit.summarize.base import get_summarizer, prepare
    from nlpkit.summarize.length import LengthSpec
    from nlpkit.types import Article, Failure

    fields = Fields(text=text_field, title=title_field)
    articles: dict[str, tuple[Article, list[str]]] = {}
    failures = 0
    for rec in read_articles(str(data), fields=fields):
        if isinstance(rec, Failure):
            failures += 1
            continue
        ref = rec.meta.get(summary_field)
        if not isinstance(ref, str) or not ref.strip():
            have = ", ".join(rec.meta) or "none"
            raise DataError(f"{rec.source}: no {summary_field!r} field (other fields: {have}); use --summary-field")
        key = str(rec.meta.get(group_field, rec.id)) if group_field else rec.source
        articles.setdefault(key, (rec, []))[1].append(ref)
    if not articles:
        raise DataError(f"{data}: no articles with a reference summary found ({failures} unreadable rows)")
    docs = [(prepare(a.text, title=a.title or None), refs) for a, refs in articles.values()]
    refs = [[_sentence_lines(r) for r in rs] for _, rs in docs]
    spec = LengthSpec.parse(length)
    results: dict[str, Any] = {}
    for name, m in ((method, method), ("lead3", "lead")):
        summarizer = get_summarizer(m)
        k = spec if name == method else LengthSpec(sentences=3)
        preds = ["\n".join(s.text for s in summarizer.summarize(d, k).sentences) for d, _ in docs]
        scores: dict[str, Any] = {**rouge(preds, refs), "n": len(docs), "length": str(k)}
        if name == method:
            results.update(scores)
            results["method"] = method
        else:
            results["lead3"] = scores
    results["skipped_rows"] = failures
    results["data"] = str(data)
    if report is not None:
        out = prepare_report_dir(report, force=force)
        _write_json(out / "metrics.json", results)
        (out / "report.md").write_text(_summary_report(results), encoding="utf-8")
    return results


def _sentence_lines(text: str) -> str:
    from nlpkit.text.segment import segment

    return "\n".join(s.text for s in segment(text).sentences)


def _summary_report(m: dict[str, Any]) -> str:
    lead = m["lead3"]
    assert isinstance(lead, dict)
    rows = [
        "| system | length | ROUGE-1 | ROUGE-2 | ROUGE-Lsum |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for name, r in ((str(m["method"]), m), ("lead-3", lead)):
        rows.append(
            f"| {name} | {r['length']} | {100 * float(r['rouge1']):.2f} | {100 * float(r['rouge2']):.2f} "
            f"| {100 * float(r['rougeLsum']):.2f} |"
        )
    return (
        f"# Summarization report\n\nData: `{m['data']}` ({m['n']} articles; {m['skipped_rows']} rows skipped).\n"
        "ROUGE F1 (rouge-score, Porter stemming), best reference per article.\n\n" + "\n".join(rows) + "\n"
    )
