"""Word documents (`.docx`): a press release or an article as Word saves it, read with the standard library.

A `.docx` file is a zip archive whose `word/document.xml` holds the text, paragraph by paragraph. The body's
paragraphs become the article's, separated by blank lines; tables and text boxes (contact details, sidebars)
are left out, as they are from web pages, and so are deleted tracked changes, field codes, headers, footers
and notes (parts of their own). A first paragraph styled as the title or the first heading is the headline.
The part is inflated under the same caps as any archive member (its size and a 200:1 ratio), and XML with a
DOCTYPE or entities is refused: Word never writes one, and entities are how XML bombs work.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element, ParseError, iterparse

from nlpkit.errors import InputError, describe
from nlpkit.io.decoding import READ_ERRORS, bounded_read, member_size_problem
from nlpkit.io.xmlsafe import local_name, refuse_declarations

#: The part that holds a document's text.
DOCUMENT_PART = "word/document.xml"
#: Containers whose paragraphs are not the article's running text: tables and text boxes.
_SKIPPED = frozenset({"tbl", "txbxContent"})
#: Style ids of a headline paragraph (`w:pStyle`, lower-cased, spaces dropped): English, German (Word drops the
#: Ü of "Überschrift" from the id) and French.
_HEADLINE_STYLES = frozenset({"title", "heading1", "titel", "berschrift1", "titre", "titre1"})


def docx_article(data: bytes, source: str) -> tuple[str, str]:
    """A Word document's (headline, text): paragraphs separated by blank lines.

    Example:
        >>> import io, zipfile
        >>> w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        >>> body = '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Rates held</w:t></w:r></w:p>'
        >>> body += '<w:p><w:r><w:t xml:space="preserve">The bank held </w:t></w:r><w:r><w:t>rates.</w:t></w:r></w:p>'
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("word/document.xml", f'<w:document {w}><w:body>{body}</w:body></w:document>')
        >>> docx_article(buf.getvalue(), "release.docx")
        ('Rates held', 'The bank held rates.')
    """
    xml = _document_xml(data, source)
    refuse_declarations(xml, f"{source}: a Word document")
    paragraphs: list[tuple[str, str]] = []  # (style, text)
    skipped = 0  # depth inside tables and text boxes
    try:
        for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = local_name(element.tag)
            if tag in _SKIPPED:
                skipped += 1 if event == "start" else -1
            elif event == "end" and tag == "p":
                if not skipped:
                    paragraphs.append(_paragraph(element))
                element.clear()
    except ParseError as e:
        raise InputError(f"{source}: a damaged Word document ({describe(e)})") from e
    paragraphs = [(style, text) for style, text in paragraphs if text]
    title = ""
    if paragraphs and paragraphs[0][0] in _HEADLINE_STYLES:
        title = " ".join(paragraphs.pop(0)[1].split())
    return title, "\n\n".join(text for _, text in paragraphs)


def _document_xml(data: bytes, source: str) -> bytes:
    """The `word/document.xml` part, inflated under the member caps."""
    where = f"{source}!{DOCUMENT_PART}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            try:
                info = zf.getinfo(DOCUMENT_PART)
            except KeyError:
                raise InputError(f"{source}: not a Word document (no {DOCUMENT_PART} inside)") from None
            problem = member_size_problem(where, info.file_size, info.compress_size)
            if problem:
                raise InputError(problem)
            with zf.open(info) as part:
                return bounded_read(part, where)
    except zipfile.BadZipFile as e:
        raise InputError(f"{source}: not a Word document (.docx is a zip archive; {describe(e)})") from e
    except (RuntimeError, NotImplementedError, *READ_ERRORS) as e:  # encrypted, an unknown method, a cut file
        raise InputError(f"{source}: a damaged or protected Word document ({describe(e)})") from e


def _paragraph(p: Element) -> tuple[str, str]:
    """(style, text) of a `w:p`: its runs' text, tabs and line breaks; not deleted text or field codes."""
    style = ""
    parts: list[str] = []
    for node in p.iter():
        tag = local_name(node.tag)
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "tab":
            parts.append("\t")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "pStyle":
            value = next((v for k, v in node.attrib.items() if local_name(k) == "val"), "")
            style = value.lower().replace(" ", "")
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return style, "\n".join(line for line in lines if line)
