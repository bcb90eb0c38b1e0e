"""What every summarizer shares: the registry, sentence selection and the `summarize` entry point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from nlpkit.registry import Registry
from nlpkit.summarize.length import LengthSpec
from nlpkit.types import Document, ScoredSentence, Summary


class Summarizer(Protocol):
    """Takes a segmented document and a length; returns sentences in document order."""

    name: str

    def summarize(self, doc: Document, length: LengthSpec) -> Summary: ...


SummarizerFactory = Callable[..., Summarizer]
SUMMARIZERS: Registry[SummarizerFactory] = Registry("summarization method")
for _name, _cls in {
    "auto": "AutoSummarizer",
    "lead": "LeadSummarizer",
    "textrank": "TextRankSummarizer",
    "lexrank": "LexRankSummarizer",
    "centroid": "CentroidSummarizer",
}.items():
    SUMMARIZERS.add_lazy(_name, f"nlpkit.summarize.extractive:{_cls}")
SUMMARIZERS.add_lazy("abstractive", "nlpkit.summarize.abstractive:AbstractiveSummarizer")


def select(
    doc: Document,
    scores: Sequence[float],
    length: LengthSpec,
    *,
    method: str,
    redundancy: Callable[[int, list[int]], float] | None = None,
    max_overlap: float = 1.0,
    penalty: float = 0.0,
) -> Summary:
    """Pick sentences by score until the length is met; return them in document order.

    `redundancy(i, chosen)` gives the highest similarity of sentence `i` to those chosen;
    a sentence above `max_overlap` is skipped and the rest are ranked by
    `score - penalty * redundancy` (maximal marginal relevance).
    """
    n = len(doc.sentences)
    if n == 0:
        return Summary(sentences=(), method=method, length=str(length))
    k = length.sentence_count(n)
    budget = length.words
    chosen: list[int] = []
    words = 0

    def take(i: int) -> bool:
        """Add sentence i if it fits; return True when the summary is full."""
        nonlocal words
        w = len(doc.sentences[i].text.split())
        if budget is None:
            chosen.append(i)
            return len(chosen) >= k
        if chosen and words + w > budget:
            return False
        chosen.append(i)
        words += w
        return words >= budget

    ranked = sorted(range(n), key=lambda i: (-scores[i], i))
    if redundancy is None:
        for i in ranked:
            if take(i):
                break
    else:
        # Maximal marginal relevance over the best-scored candidates.
        pool = ranked[: max(4 * k, 60)] if budget is None else ranked[:200]
        while pool:
            best = max(pool, key=lambda i: (scores[i] - penalty * redundancy(i, chosen), -i))
            pool.remove(best)
            if chosen and redundancy(best, chosen) > max_overlap:
                continue
            if take(best):
                break
    chosen.sort()
    picked = tuple(
        ScoredSentence(text=s.text, start=s.start, end=s.end, index=s.index, score=float(scores[s.index]))
        for s in (doc.sentences[i] for i in chosen)
    )
    return Summary(sentences=picked, method=method, length=str(length))


def get_summarizer(method: str, **options: Any) -> Summarizer:
    """A summarizer by registered name, or from a trained summarizer's model folder.

    A neural summarizer is loaded here, so a bad model is one error before any article.
    """
    from pathlib import Path

    from nlpkit.errors import ModelError, UsageError

    summarizer: Any
    if method not in SUMMARIZERS and (Path(method).is_dir() or "/" in method or method.startswith(".")):
        from nlpkit.persistence import load_model

        summarizer = load_model(method)
        if not hasattr(summarizer, "summarize"):
            task = getattr(summarizer, "task", "classifier")
            raise ModelError(f"{method}: this model is a {task} model, not a summarizer")
        if options:
            if not hasattr(summarizer, "set_params"):
                raise UsageError(f"{method}: generation options apply to seq2seq summarizers only")
            summarizer.set_params(**options)
    else:
        factory = SUMMARIZERS.get(method)  # raises with the list of known names
        try:
            summarizer = factory(**options)
        except TypeError as e:
            given = ", ".join(sorted(options))
            raise UsageError(f"method {method!r} takes no options ({given}); they are for --method abstractive") from e
    load = getattr(summarizer, "load", None)
    if load is not None:
        load()
    return summarizer


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


def prepare(text: str, *, title: str | None = None, clean: bool = True, skip: Sequence[str] = ()) -> Document:
    """Clean, take the headline off and segment an article's text into a `Document`."""
    from nlpkit.text.clean import clean as run_clean
    from nlpkit.text.clean import split_title
    from nlpkit.text.segment import segment

    if clean:
        text = run_clean(text, skip=skip)
    if title is None:
        title, text = split_title(text)
    doc = segment(text)
    return Document(text=doc.text, sentences=doc.sentences, title=title)
