"""Library functions behind the commands: plain, typed, returning data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nlpkit.catalog import get_summarizer, load_model
from nlpkit.classify.base import ClassifierModel
from nlpkit.errors import InputError, NlpkitError
from nlpkit.records import article_meta
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import model_input, prepare, topic_text
from nlpkit.types import Article, Brief, Document, Failure, Prediction, Summary


def summarize(
    text: str | Document,
    *,
    method: str = "auto",
    length: str | int | LengthSpec = 3,
    title: str | None = None,
    clean: bool = True,
    **options: Any,
) -> Summary:
    """Summarize one article.

    Args:
        text: The article (raw or cleaned text), or an already segmented `Document`.
        method: A registered method (`auto`, `lead`, `textrank`, `lexrank`, `centroid`) or a
            trained summarizer's folder.
        length: `3` sentences, `"20%"` of them, or a `"60w"` word budget.
        title: The headline, when known; otherwise taken from the first line if it looks like one.
        clean: Run the default cleaning steps first.
        options: For `method="abstractive"`: `model=` (a seq2seq folder or Hub id) and the
            generation options of `AbstractiveSummarizer` (`num_beams`, `max_tokens`, `strict`, ...).

    Example:
        >>> text = "Oil prices rise\\n\\nOil prices rose by 2% on Monday after the Gulf talks failed. Traders cited fears."
        >>> summarize(text, length=1).text
        'Oil prices rose by 2% on Monday after the Gulf talks failed.'
    """
    doc = text if isinstance(text, Document) else prepare(text, title=title, clean=clean)
    return get_summarizer(method, **options).summarize(doc, LengthSpec.parse(length))


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
    doc = prepare(article.text, title=article.title or None, clean=clean)
    if not doc.sentences:
        raise InputError(f"{article.source or article.id}: no sentences left after cleaning (try --no-clean)")
    summarizer = summarizer or get_summarizer(method)
    summary = summarizer.summarize(doc, LengthSpec.parse(length))
    topic = topic_model.predict_one(topic_text(doc)) if topic_model is not None else None
    return Brief(
        id=article.id, title=doc.title, summary=summary, source=article.source, topic=topic, meta=article_meta(article)
    )


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
    summarizer = get_summarizer(method, **(options or {}))
    spec = LengthSpec.parse(length)
    model = load_model(topic_model) if topic_model is not None else None
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


def classify_articles(
    records: Iterable[Article | Failure],
    model: ClassifierModel,
    *,
    target: str | None = None,
    clean: bool = True,
    batch_size: int = 64,
) -> Iterator[Failure | tuple[Article, Prediction]]:
    """Label each article of a stream, in order; an article that cannot be labelled is a `Failure`.

    The text is prepared as in training (`nlpkit.text.prepare`); a stance model checks each
    article against `target`, else its target field, else its headline.

    Example:
        >>> from nlpkit.types import Article
        >>> art = Article(id="1", title="", text="The striker scored twice as the club won the cup final.")
        >>> [(a.id, p.label) for a, p in classify_articles([art], load_model("topic"))]
        [('1', 'sport')]
    """
    batch: list[tuple[Article, Any]] = []

    def flush() -> Iterator[tuple[Article, Prediction]]:
        if batch:
            yield from zip([a for a, _ in batch], model.predict_scores([x for _, x in batch]), strict=True)
            batch.clear()

    for rec in records:
        if isinstance(rec, Failure):
            yield from flush()
            yield rec
            continue
        item = model_input(
            model.task,
            prepare(rec.text, title=rec.title or None, clean=clean),
            target=target or rec.meta.get("target"),
        )
        if item is None:
            yield from flush()
            yield Failure(source=rec.source, id=rec.id, error=_unlabelled(rec, model))
            continue
        batch.append((rec, item))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()


def _unlabelled(article: Article, model: ClassifierModel) -> str:
    if model.task == "stance":
        return (
            f"{article.source}: {model.name} is a stance model and this article has no target: "
            "give --target, --target-field, or articles with a headline"
        )
    return f"{article.source}: no text left after cleaning (try --no-clean)"
