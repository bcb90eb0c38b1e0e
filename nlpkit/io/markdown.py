"""Markdown files to articles: the text without its markup, the headline from the front matter or the first heading.

markdown-it-py (CommonMark; the parser `rich`, and so typer, already installs) parses the file. What a
reader sees is kept: each paragraph, heading, list item and quotation becomes a paragraph of plain text;
emphasis, links (their words kept) and inline code lose their marks; images, code blocks and raw HTML
blocks, which carry no story, are left out. A YAML (`---`) or TOML (`+++`) front matter's `title` is
the headline; failing that, a heading that comes before any text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: A front matter block at the very start: YAML between `---` lines, TOML between `+++` lines.
_FRONT = re.compile(r"\A(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TITLE = re.compile(r"""^title[ \t]*[:=][ \t]*(["']?)(.*?)\1[ \t]*$""", re.MULTILINE | re.IGNORECASE)

#: Inline tokens whose text a reader sees.
_TEXT = frozenset({"text", "code_inline"})


def markdown_article(source: str) -> tuple[str, str]:
    """(headline, text) of a Markdown document: its markup off, a paragraph per block.

    Example:
        >>> markdown_article("# Oil rises\\n\\nOil **rose** by 2% on [Monday](https://x.org).\\n\\n- Traders cited fears.")
        ('Oil rises', 'Oil rose by 2% on Monday.\\n\\nTraders cited fears.')
    """
    from markdown_it import MarkdownIt

    title, body = "", source
    front = _FRONT.match(source)
    if front is not None:
        found = _TITLE.search(front.group(2))
        title = found.group(2).strip() if found else ""
        body = source[front.end() :]
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[str] = []
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        text = _inline_text(token.children or []).strip()
        if not text:
            continue
        if not title and not blocks and i > 0 and tokens[i - 1].type == "heading_open":
            title = text  # a heading before any text is the headline
            continue
        blocks.append(text)
    return title, "\n\n".join(blocks)


def _inline_text(children: Sequence[Any]) -> str:
    """The words of one block's inline tokens: text and code kept, marks and images dropped, a soft line
    break a space and a hard one a line break."""
    parts = []
    for child in children:
        if child.type in _TEXT:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return "".join(parts)
