"""XML that nlpkit parses itself with the standard library (sitemaps, Word documents): refused when it declares a
DOCTYPE or entities, which neither needs and which are how XML bombs work; tags read without their namespaces."""

from __future__ import annotations

from nlpkit.errors import InputError


def refuse_declarations(data: bytes, what: str) -> None:
    """Raise `InputError` when the XML `data` holds a DOCTYPE or an entity declaration; `what` names it
    ("news.xml: a sitemap").

    Example:
        >>> refuse_declarations(b'<!DOCTYPE d [<!ENTITY lol "lol">]><d>&lol;</d>', "d.xml: a sitemap")
        Traceback (most recent call last):
        ...
        nlpkit.errors.InputError: d.xml: a sitemap with a DOCTYPE or entities; not read
    """
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError(f"{what} with a DOCTYPE or entities; not read")


def local_name(tag: str) -> str:
    """An XML name without its namespace (`{http://...}loc` -> `loc`)."""
    return tag.rpartition("}")[2]
