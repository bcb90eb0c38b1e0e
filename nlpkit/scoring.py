"""Batch scoring: the reader -> clean -> models -> records -> writer pipeline, streamed."""

from __future__ import annotations

from typing import Any

from nlpkit.errors import UsageError
from nlpkit.types import Article


def article_inputs(article: Article, task: str, *, target: str | None = None, clean: bool = True) -> Any:
    """What a classifier of `task` takes for one article: its text, or a (target, text) pair.

    The stance target is `target` if given, else the article's target field, else its headline.
    """
    from nlpkit.summarize.base import prepare

    doc = prepare(article.text, title=article.title or None, clean=clean)
    body = doc.text
    if task == "stance":
        claim = target or article.meta.get("target") or doc.title
        if not claim:
            raise UsageError("no stance target: give --target, a target field, or articles with a headline")
        return (str(claim), body)
    return f"{doc.title}\n\n{body}" if doc.title else body
