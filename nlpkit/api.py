"""Library functions behind the commands: plain, typed, returning data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from nlpkit.catalog import get_summarizer, load_model
from nlpkit.errors import InputError, NlpkitError
from nlpkit.records import article_meta
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.align import align_spans, source_span
from nlpkit.text.prepare import NO_TARGET, model_input, prepare, resolve_target, topic_text
from nlpkit.types import Article, Brief, Document, Failure, Prediction, Skipped, Summary

if TYPE_CHECKING:  # imported where used: a brief needs no classifier code
    from nlpkit.classifiers.base import ClassifierModel


def summarize(
    text: str | Article | Document,
    *,
    method: str = "auto",
    length: str | int | LengthSpec = 3,
    title: str | None = None,
    clean: bool = True,
    **options: Any,
) -> Summary:
    """Summarize one article.

    Args:
        text: The article (raw or cleaned text), an `Article` from `read_articles` (its headline is the
            title unless `title` is given; offsets index its `text`), or an already segmented `Document`.
        method: A registered method (`auto`, `lead`, `textrank`, `lexrank`, `centroid`) or a
            trained summarizer's folder.
        length: `3` sentences, `"20%"` of them, or a `"60w"` word budget.
        title: The headline, when known; otherwise taken from the first line if it looks like one.
        clean: Run the default cleaning steps first.
        options: For `method="abstractive"`: `model=` (a seq2seq folder or Hub id) and the
            generation options of `AbstractiveSummarizer` (`num_beams`, `max_tokens`, `strict`, ...).

    Offsets index the string given: for each sentence `text[s.start:s.end] == s.text` (the
    article's own words, as written there; -1 for a generated sentence not copied from it).
    A headline taken off the first line is `summary.title`, at `title_start:title_end`.

    Example:
        >>> text = "Oil prices rise\\n\\nOil prices rose by 2% on Monday after the Gulf talks failed. Traders cited fears."
        >>> s = summarize(text, length=1)
        >>> s.text, s.title, text[s.title_start : s.title_end]
        ('Oil prices rose by 2% on Monday after the Gulf talks failed.', 'Oil prices rise', 'Oil prices rise')
        >>> first = s.sentences[0]
        >>> text[first.start : first.end] == first.text
        True
    """
    if isinstance(text, Document):
        return get_summarizer(method, **options).summarize(text, LengthSpec.parse(length))
    if isinstance(text, Article):
        title, text = title if title is not None else (text.title or None), text.text
    _check_text(text, "a str, an Article or a Document")
    doc = prepare(text, title=title, clean=clean)
    summary = get_summarizer(method, **options).summarize(doc, LengthSpec.parse(length))
    return in_given_text(summary, text, doc, title_given=title is not None)


def _check_text(text: object, wanted: str) -> None:
    """A `TypeError` that says what was given, where an article's text is not a string; the error of a
    record `read_articles` could not read."""
    if isinstance(text, Failure):
        raise InputError(text.error)
    if not isinstance(text, str):
        hint = " (decode bytes first: data.decode('utf-8'))" if isinstance(text, bytes | bytearray) else ""
        raise TypeError(f"the article's text must be {wanted}, not {type(text).__name__}{hint}")


def _records(records: Iterable[Article | Failure | str]) -> Iterator[Article | Failure]:
    """A stream's items as records: a plain string is an article of its own, its id its place in the stream."""
    if isinstance(records, str | Article):
        # A str is an iterable of one-letter strings, each of which would be briefed as an article.
        one = "[text]" if isinstance(records, str) else "[article]"
        raise TypeError(
            f"give a stream of articles, not one {type(records).__name__}: {one} for one article, "
            "or nlpkit.read_articles(path) for the articles of a file"
        )
    for i, rec in enumerate(records):
        if isinstance(rec, str):
            yield Article(id=str(i), title="", text=rec, source=f"<text {i}>")
        elif isinstance(rec, Article | Failure):
            yield rec
        else:
            raise TypeError(f"item {i} of the stream is a {type(rec).__name__}: give an Article, a Failure or a str")


def in_given_text(summary: Summary, original: str, doc: Document, *, title_given: bool) -> Summary:
    """`summary` (made from `doc`, the prepared `original`) with offsets and sentence text taken from `original`."""
    title_span = (-1, -1)
    body_from = 0
    if doc.title and not title_given:
        found = align_spans(original, doc.title, [(0, len(doc.title))])[0]
        if found is not None:
            title_span, body_from = found, found[1]
    copied = sorted((s.start, s.end) for s in summary.sentences if s.start >= 0)
    where = dict(zip(copied, align_spans(original[body_from:], doc.text, copied), strict=True))
    sentences = []
    for s in summary.sentences:
        span = where.get((s.start, s.end)) if s.start >= 0 else None
        if span is None:
            sentences.append(replace(s, start=-1, end=-1))
        else:
            start, end = span[0] + body_from, span[1] + body_from
            sentences.append(replace(s, start=start, end=end, text=original[start:end]))
    return replace(
        summary, sentences=tuple(sentences), title=doc.title, title_start=title_span[0], title_end=title_span[1]
    )


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

    Sentence offsets index `article.text`, as `nlpkit.summarize`'s index the string it is given (a text
    file's contents, a JSONL row's text, the main text taken from a web page).

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
    summary = in_given_text(
        summarizer.summarize(doc, LengthSpec.parse(length)), article.text, doc, title_given=bool(article.title)
    )
    topic, skipped = None, None
    if topic_model is not None:
        skipped = topic_model.cannot_read(doc.text)
        topic = topic_model.predict_one(topic_text(doc)) if skipped is None else None
    meta = article_meta(article)
    return Brief(
        id=article.id,
        title=doc.title,
        summary=summary,
        source=article.source,
        topic=topic,
        meta=meta,
        topic_skipped=skipped,
    )


def brief_articles(
    records: Iterable[Article | Failure | str],
    *,
    method: str = "auto",
    length: str | int | LengthSpec = 3,
    clean: bool = True,
    topic_model: str | None = None,
    options: dict[str, Any] | None = None,
) -> Iterator[Failure | tuple[Brief, list[str]]]:
    """Brief each article of a stream (`Article`s, as `read_articles` gives them, or plain strings, whose ids
    are their places in the stream); failures pass through, one bad article never stops the rest.

    Example:
        >>> [(b.id, b.summary.text) for b, _ in brief_articles(["Shops shut early. Staff went home."], length=1)]
        [('0', 'Shops shut early.')]
    """
    summarizer = get_summarizer(method, **(options or {}))
    spec = LengthSpec.parse(length)
    model = load_model(topic_model) if topic_model is not None else None
    for rec in _records(records):
        if isinstance(rec, Failure):
            yield rec
            continue
        try:
            b = brief_article(rec, length=spec, clean=clean, summarizer=summarizer, topic_model=model)
        except NlpkitError as e:
            yield Failure(source=rec.source, id=rec.id, error=str(e))
            continue
        notes = list(rec.meta.get("warnings", []))
        if b.topic_skipped:
            notes.append(f"{rec.source}: {b.topic_skipped}; no topic")
        yield b, notes


#: Why `classify` gives a stance model's answer as `Skipped`, in the words of its arguments.
NO_TARGET_GIVEN = "no target: give target=, or title= (the headline is checked when no target is given)"


def classify(
    text: str | Article,
    model: str | ClassifierModel = "topic",
    *,
    target: str | None = None,
    title: str | None = None,
    clean: bool = True,
) -> Prediction | Skipped:
    """Label one article as `nlpkit classify` does: prepared as in training, the target echoed (stance),
    the evidence sentence named with offsets into `text`. `text` may be an `Article` from `read_articles`:
    its headline is used unless `title` is given (and stands as the stance target when none is).
    An article the model cannot label (another language; stance with no target and no headline) is
    `Skipped`, with the reason.

    Example:
        >>> import nlpkit
        >>> nlpkit.classify("The striker scored twice as the club won the cup final.").label
        'sport'
        >>> p = nlpkit.classify("The council voted on Monday to ban cruise ships.", "stance", target="Council bans ships")
        >>> p.target, p.target_source
        ('Council bans ships', 'given')
    """
    if isinstance(text, Article):
        article = text if title is None else replace(text, title=title)
    else:
        _check_text(text, "a str or an Article")
        article = Article(id="text", title=title or "", text=text, source="<text>")
    (result,) = classify_articles([article], model, target=target, clean=clean)
    if isinstance(result, Failure):
        raise InputError(result.error.removeprefix("<text>: "))
    if isinstance(result, Skipped):
        # in the words of this function's arguments, not the command's options
        reason = result.reason.replace(NO_TARGET, NO_TARGET_GIVEN).removeprefix("<text>: ")
        return Skipped(article, reason)
    return result[1]


def classify_articles(
    records: Iterable[Article | Failure | str],
    model: str | ClassifierModel,
    *,
    target: str | None = None,
    clean: bool = True,
    batch_size: int = 64,
) -> Iterator[Failure | Skipped | tuple[Article, Prediction]]:
    """Label each article of a stream (`Article`s or plain strings, as for `brief_articles`) with `model` (a
    bundled model's name, a folder, or a loaded model), in order. An article that cannot be read is a `Failure`;
    one the model cannot label — in a language it does not read, or (stance) with no target — is `Skipped`, with
    the reason.

    The text is prepared as in training (`nlpkit.text.prepare`). A stance model checks each article against
    `target`, else its target field, else its headline; its predictions say which (`target`, `target_source`)
    and name the evidence sentence.

    Example:
        >>> from nlpkit.types import Article
        >>> art = Article(id="1", title="", text="The striker scored twice as the club won the cup final.")
        >>> [(a.id, p.label) for a, p in classify_articles([art], load_model("topic"))]
        [('1', 'sport')]
    """
    from nlpkit.classifiers.base import ClassifierModel

    loaded = load_model(model) if isinstance(model, str) else model
    if not isinstance(loaded, ClassifierModel):
        raise InputError(f"{model}: a {loaded.task} model, not a classifier")
    batch: list[tuple[Article, Any, tuple[str | None, str | None]]] = []

    def flush() -> Iterator[tuple[Article, Prediction]]:
        if batch:
            preds = loaded.predict_scores([x for _, x, _ in batch])
            for (art, item, (claim, source)), p in zip(batch, preds, strict=True):
                if claim is None:
                    yield art, p
                    continue
                ev = p.evidence
                if ev is not None:  # offsets into (and words of) the article's own text, not the cleaned one
                    start, end = source_span(art.text, item[1], ev.start, ev.end)
                    ev = replace(ev, start=start, end=end, text=art.text[start:end] if start >= 0 else ev.text)
                yield art, replace(p, target=claim, target_source=source, evidence=ev)
            batch.clear()

    for rec in _records(records):
        if isinstance(rec, Failure):
            yield from flush()
            yield rec
            continue
        item, why, resolved = _model_input(rec, loaded, target, clean)
        if item is None:
            yield from flush()
            if why is None:
                yield Failure(
                    source=rec.source, id=rec.id, error=f"{rec.source}: no text left after cleaning (try --no-clean)"
                )
            else:
                yield Skipped(rec, f"{rec.source}: {why}")
            continue
        batch.append((rec, item, resolved))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()


def _model_input(
    rec: Article, model: ClassifierModel, target: str | None, clean: bool
) -> tuple[Any, str | None, tuple[str | None, str | None]]:
    """(what the model reads, or None; why it reads nothing when the article has text; the stance target and
    where it came from)."""
    doc = prepare(rec.text, title=rec.title or None, clean=clean)
    if not doc.text.strip():
        return None, None, (None, None)
    claim, source = None, None
    if model.task == "stance":
        claim, source = resolve_target(doc, target, rec.meta.get("target"))
        if claim is None:
            return None, NO_TARGET, (None, None)
    item = model_input(model.task, doc, target=claim)
    why = model.cannot_read(doc.text)
    if why is not None:
        return None, f"{why}; no {model.task}", (None, None)
    return item, None, (claim, source)
