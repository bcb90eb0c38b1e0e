"""Records: predictions, briefs and failures turned into the rows that commands print and write.

Every output row shape lives here: a brief in `summarize --format json`, a label in
`classify --format json`, a row of `nlpkit score` (both engines) and a line of an errors file.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nlpkit.text.language import is_other_language_reason
from nlpkit.types import Article, Brief, Failure, Prediction, Summary

#: What a score row holds for each task, in column order.
TASK_COLUMNS = {
    "topic": ("topic", "topic_score", "topic_runner_up", "topic_runner_up_score", "topic_skipped", "topic_model"),
    "stance": (
        "stance",
        "stance_score",
        "stance_target",
        "stance_target_source",
        "stance_evidence",
        "stance_evidence_start",
        "stance_evidence_end",
        "stance_model",
    ),
    "brief": ("brief", "brief_method"),
}
#: Columns of a score row that hold numbers (the rest are strings).
FLOAT_COLUMNS = frozenset({"topic_score", "topic_runner_up_score", "stance_score"})
#: Columns of a score row that hold whole numbers.
INT_COLUMNS = frozenset({"stance_evidence_start", "stance_evidence_end"})


def score_columns(tasks: tuple[str, ...], *, generated_briefs: bool = False, stance_notes: bool = True) -> list[str]:
    """The columns of `nlpkit score` rows, in order.

    Example:
        >>> score_columns(("topic",))[:8]
        ['id', 'source', 'title', 'url', 'author', 'published', 'site', 'language']
    """
    cols = ["id", "source", "title", *META_COLUMNS]
    for task in ("topic", "stance", "brief"):
        if task in tasks:
            cols += TASK_COLUMNS[task]
    if "stance" in tasks and stance_notes:
        cols.append("stance_skipped")
    if "brief" in tasks and generated_briefs:
        cols.append("brief_unsupported")
    return [*cols, "error"]


#: An article's metadata columns, and the record fields each is taken from (first one present).
META_COLUMNS = ("url", "author", "published", "site", "language")
_META_ALIASES = {
    "url": ("url", "link", "canonical_url"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date", "pubdate", "published_at", "publishedAt", "pubDate", "datePublished"),
    "site": ("site", "sitename", "source_name", "publisher", "source.name", "publisher.name"),
    "language": ("language", "lang"),
}


def article_meta(article: Article) -> dict[str, str | None]:
    """The metadata columns of an article: from the page or feed, or the fields of its record.

    Example:
        >>> article_meta(Article(id="1", title="", text="x", meta={"date": "2024-05-02", "url": "https://e.org/1"}))
        {'url': 'https://e.org/1', 'author': None, 'published': '2024-05-02', 'site': None, 'language': None}
    """
    out: dict[str, str | None] = {}
    for column, names in _META_ALIASES.items():
        value = next((article.meta[n] for n in names if isinstance(article.meta.get(n), str) and article.meta[n]), None)
        out[column] = value
    return out


def article_row(article: Article, title: str | None) -> dict[str, Any]:
    """The start of a score row for an article that was read."""
    return {"id": article.id, "source": article.source, "title": title or None, **article_meta(article), "error": None}


def failure_row(failure: Failure) -> dict[str, Any]:
    """A score row for a record that could not be read or scored."""
    return {"id": failure.id, "source": failure.source, "title": None, "error": failure.error}


def topic_cells(prediction: Prediction, model: str) -> dict[str, Any]:
    """The top label, its probability and the runner-up's (a story that is business and technology shows both)."""
    (_, _), *rest = top_labels(prediction, 2) or [("", 0.0)]
    second = rest[0] if rest else (None, None)
    return {
        "topic": prediction.label,
        "topic_score": round(prediction.score, 6),
        "topic_runner_up": second[0],
        "topic_runner_up_score": round(second[1], 6) if second[1] is not None else None,
        "topic_model": model,
    }


def stance_cells(prediction: Prediction, target: str, model: str) -> dict[str, Any]:
    return {
        "stance": prediction.label,
        "stance_score": round(prediction.score, 6),
        "stance_target": target,
        "stance_model": model,
    }


#: The columns of the claims file (`score --claims`): one row per article and claim it bears on.
CLAIM_COLUMNS = (
    "row",
    "id",
    "claim_id",
    "claim",
    "relatedness",
    "stance",
    "stance_score",
    "evidence",
    "evidence_start",
    "evidence_end",
    "stance_model",
)


def claim_cells(prediction: Prediction, claim_id: str, relatedness: float, model: str) -> dict[str, Any]:
    ev = prediction.evidence
    return {
        "claim_id": claim_id,
        "claim": prediction.target,
        "relatedness": round(relatedness, 4),
        "stance": prediction.label,
        "stance_score": round(prediction.score, 6),
        "evidence": ev.text if ev is not None else None,
        "stance_model": model,
    }


def brief_cells(summary: Summary, method: str, *, generated: bool) -> dict[str, Any]:
    cells: dict[str, Any] = {"brief": summary.text, "brief_method": method}
    if generated:  # the guard's findings: "kind: text" per unsupported span
        cells["brief_unsupported"] = "; ".join(f"{u.kind}: {u.text}" for u in summary.unsupported)
    return cells


def error_record(row: dict[str, Any]) -> dict[str, Any]:
    """A line of an errors file: where the failed record came from, its id and what went wrong."""
    return {"source": row.get("source"), "id": row.get("id"), "error": row.get("error")}


def brief_record(brief: Brief, *, min_score: float = 0.0) -> dict[str, Any]:
    """A brief as `nlpkit summarize --format json` prints it (`topic` null and `topic_uncertain` true below `min_score`)."""
    summary = brief.summary
    out: dict[str, Any] = {
        "id": brief.id,
        "title": brief.title,
        "source": brief.source,
        **{k: brief.meta.get(k) for k in META_COLUMNS},
        "summary": summary.text,
        "sentences": [asdict(s) for s in summary.sentences],
        "method": summary.method,
        "length": summary.length,
        "faithful": summary.faithful,
        "faithfulness": "checked" if summary.abstractive else "extractive: sentences copied from the article",
        "unsupported": [asdict(u) for u in summary.unsupported],
    }
    if summary.dropped:
        out["dropped"] = summary.dropped
    if brief.topic is not None:
        uncertain = brief.topic.score < min_score
        out["topic"] = None if uncertain else brief.topic.label
        out["topic_score"] = brief.topic.score
        out["topic_uncertain"] = uncertain
        out["topic_top"] = [{"label": lab, "score": p} for lab, p in top_labels(brief.topic, 3)]
    elif brief.topic_skipped:
        out["topic"] = None
        out["topic_skipped"] = brief.topic_skipped
    return out


def label_record(
    article: Article, prediction: Prediction | None, *, model: str, task: str, top_k: int, min_score: float = 0.0
) -> dict[str, Any]:
    """A label as `nlpkit classify --format json` prints it, with the `top_k` most likely labels; `label` is
    null (and `uncertain` true) when the top probability is below `min_score`, or when there is no prediction."""
    uncertain = prediction is not None and prediction.score < min_score
    top = top_labels(prediction, max(top_k, 2 if uncertain else 1)) if prediction is not None else []
    return {
        "id": article.id,
        "source": article.source,
        **article_meta(article),
        "label": None if prediction is None or uncertain else prediction.label,
        "score": prediction.score if prediction is not None else None,
        "uncertain": uncertain,
        "top": [{"label": lab, "score": p} for lab, p in top],
        **_stance_fields(prediction),
        "model": model,
        "task": task,
    }


def _stance_fields(prediction: Prediction | None) -> dict[str, Any]:
    """A stance prediction's target, where it came from, and its evidence sentence (offsets in the article)."""
    if prediction is None or prediction.target is None:
        return {}
    ev = prediction.evidence
    evidence = {"text": ev.text, "start": ev.start, "end": ev.end} if ev is not None else None
    return {"target": prediction.target, "target_source": prediction.target_source, "evidence": evidence}


def top_labels(prediction: Prediction, k: int) -> list[tuple[str, float]]:
    """The `k` most likely labels with their probabilities, best first."""
    return sorted(prediction.scores.items(), key=lambda kv: -kv[1])[:k]


def skip_kinds(row: dict[str, Any]) -> list[str]:
    """Why a scored row's topic or stance is empty, as the summary counts it: `topic: another language`,
    `stance: no target`."""
    out = []
    for task in ("topic", "stance"):
        why = row.get(f"{task}_skipped")
        if why:
            kind = "another language" if is_other_language_reason(why) else why.split(":")[0].split(";")[0]
            out.append(f"{task}: {kind}")
    return out
