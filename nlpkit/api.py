"""Library functions behind the commands: plain, typed, returning data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nlpkit.summarize.length import LengthSpec
from nlpkit.types import Article, Brief, Failure


def brief_article(
    article: Article,
    *,
    method: str = "auto",
    length: str | int | LengthSpec = 3,
    clean: bool = True,
    summarizer: Any = None,
    topic_model: Any = None,
) -> Brief:
    """The brief of one article: headline, selected sentences and, optionally, its topic.

    Example:
        >>> from nlpkit.types import Article
        >>> text = "Oil prices rise\\n\\nOil prices rose by 2% on Monday after the Gulf talks failed. Traders cited fears."
        >>> b = brief_article(Article(id="1", title="", text=text), length=1)
        >>> b.title, b.summary.text
        ('Oil prices rise', 'Oil prices rose by 2% on Monday after the Gulf talks failed.')
    """
    from nlpkit.errors import InputError
    from nlpkit.summarize.base import get_summarizer, prepare

    doc = prepare(article.text, title=article.title or None, clean=clean)
    if not doc.sentences:
        raise InputError(f"{article.source or article.id}: no sentences left after cleaning (try --no-clean)")
    summarizer = summarizer or get_summarizer(method)
    summary = summarizer.summarize(doc, LengthSpec.parse(length))
    topic = None
    if topic_model is not None:
        topic = topic_model.predict_one(doc.title + "\n\n" + doc.text if doc.title else doc.text)
    return Brief(id=article.id, title=doc.title, summary=summary, source=article.source, topic=topic)


def brief_articles(
    records: Iterable[Article | Failure],
    *,
    method: str = "auto",
    length: str | int | LengthSpec = 3,
    clean: bool = True,
    topic_model: str | None = None,
    options: dict[str, Any] | None = None,
) -> Iterator[Failure | tuple[Brief, list[str]]]:
    """Brief each article of a stream; failures pass through, one bad article never stops the rest."""
    from nlpkit.errors import NlpkitError
    from nlpkit.summarize.base import get_summarizer

    summarizer = get_summarizer(method, **(options or {}))
    spec = LengthSpec.parse(length)
    model = None
    if topic_model is not None:
        from nlpkit.persistence import load_model

        model = load_model(topic_model)
    for rec in records:
        if isinstance(rec, Failure):
            yield rec
            continue
        try:
            b = brief_article(rec, length=spec, clean=clean, summarizer=summarizer, topic_model=model)
        except NlpkitError as e:
            yield Failure(source=rec.source, id=rec.id, error=str(e))
            continue
        yield b, list(rec.meta.get("warnings", []))
