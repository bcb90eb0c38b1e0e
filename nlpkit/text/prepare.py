"""The front of the pipeline: raw article text to a segmented `Document`, and to model inputs.

Training, `classify`, `score` and `summarize` all go through these functions, so a model sees
the same text when it is trained as when it is used.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlpkit.text.clean import clean as run_clean
from nlpkit.text.clean import split_title
from nlpkit.text.segment import segment
from nlpkit.types import Document


def prepare(text: str, *, title: str | None = None, clean: bool = True, skip: Sequence[str] = ()) -> Document:
    """Clean, take the headline off and segment an article's text into a `Document`.

    `title` is the headline when it is known; otherwise the first line is taken as the
    headline when it reads like one.

    Example:
        >>> doc = prepare("Oil prices climb\\n\\nBrent rose 2%. Traders cited fears.")
        >>> doc.title, [s.text for s in doc.sentences]
        ('Oil prices climb', ['Brent rose 2%.', 'Traders cited fears.'])
    """
    if clean:
        text = run_clean(text, skip=skip)
    if title is None:
        title, text = split_title(text)
    doc = segment(text)
    return Document(text=doc.text, sentences=doc.sentences, title=title or "")


def topic_text(doc: Document) -> str:
    """What a topic classifier reads: the headline, a blank line, the body."""
    return f"{doc.title}\n\n{doc.text}" if doc.title else doc.text


def stance_target(doc: Document, target: str | None) -> str | None:
    """The claim a stance model checks the article against: the one given, else the headline."""
    return target or doc.title or None


#: Why an article gets no stance when nothing says what to check it against (not an error: the rest still counts).
NO_TARGET = "no target: give --target, a target field (--target-field), or articles with a headline"


def resolve_target(doc: Document, given: str | None, field: str | None) -> tuple[str | None, str | None]:
    """(the target a stance model checks the article against, where it came from): `given` (one target for
    every article), `field` (the article's target field), `headline`; (None, None) when there is none.

    Example:
        >>> doc = prepare("Council bans cruise ships\\n\\nThe council voted to ban them.")
        >>> resolve_target(doc, None, None), resolve_target(doc, "Ships banned", None)
        (('Council bans cruise ships', 'headline'), ('Ships banned', 'given'))
    """
    for value, source in ((given, "given"), (field, "field"), (doc.title, "headline")):
        if isinstance(value, str) and value.strip():
            return value, source
    return None, None


def model_input(task: str, doc: Document, *, target: str | None = None) -> str | tuple[str, str] | None:
    """What a classifier of `task` reads for one prepared article: its text (topic) or a
    (target, text) pair (stance); None when there is nothing to read (no text, no target).

    Example:
        >>> doc = prepare("Council bans cruise ships\\n\\nThe council voted to ban them.")
        >>> model_input("stance", doc)
        ('Council bans cruise ships', 'The council voted to ban them.')
    """
    if not doc.text.strip():
        return None
    if task == "stance":
        claim = stance_target(doc, target)
        return (claim, doc.text) if claim else None
    return topic_text(doc)
