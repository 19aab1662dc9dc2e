"""Literal text as a person reads it: HTML and Markdown markup rendered to plain text.

Published vocabularies write comments and definitions with markup (``<a href=...>``,
``<code>``, ``**bold**``, ``[text](url)``) and sometimes with raw IRIs ("See instead
http://example.org/1410 (RR Lyrae variable stars)"). Answers quote these literals, so they
are cleaned once, when the view is built. Most literals hold none of the trigger characters
and are returned untouched after one cheap test.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

__all__ = ["HTML_TAGS", "has_markup", "plain_text", "strip_iris"]

_TRIGGERS = re.compile(r"[<&*_`#\[]|https?://|urn:")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DROP_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_BREAK = re.compile(r"<\s*(br|/p|p|/div|div|/li|li|/h[1-6]|h[1-6]|/tr|tr)\b[^>]*>", re.I)
# HTML elements seen in vocabulary comments; "<billions>" or an editorial "<D>" is text.
HTML_TAGS = (
    "a|abbr|b|big|blockquote|br|caption|center|cite|code|dd|del|dfn|div|dl|dt|em|font|h[1-6]|"
    "hr|i|img|ins|kbd|li|mark|ol|p|pre|q|s|samp|small|span|strike|strong|sub|sup|table|tbody|"
    "td|tfoot|th|thead|tr|tt|u|ul|var|wbr"
)
_TAG = re.compile(rf"</?(?:{HTML_TAGS})\b[^<>]*>|<!\[CDATA\[|\]\]>", re.I)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(\s*[^)\s]*(?:\s+\"[^\"]*\")?\s*\)")
_MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_CODE = re.compile(r"`{1,3}([^`]+)`{1,3}")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM = re.compile(
    r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MD_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
_IRI = r"(?:https?://|urn:)[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?]"
# "http://x/1410 (RR Lyrae variable stars)": the words in brackets name the IRI.
_IRI_NAMED = re.compile(_IRI + r"\s*\(([^()]+)\)")
_IRI_BARE = re.compile(_IRI)


def has_markup(text: str) -> bool:
    """True when ``text`` may hold markup or IRIs (the cheap test before cleaning)."""
    return bool(_TRIGGERS.search(text))


def plain_text(text: str, name_of: Callable[[str], str | None] | None = None) -> str:
    """``text`` without HTML tags, entities, Markdown markup or raw IRIs, whitespace squeezed.

    ``name_of`` gives the label of an IRI the graph knows; IRIs written in the text are
    replaced by it (see :func:`strip_iris`).
    """
    if not text or not has_markup(text):
        return " ".join(text.split()) if text else ""
    s = text
    if "<" in s:
        s = _COMMENT.sub(" ", s)
        s = _DROP_BLOCK.sub(" ", s)
        s = _BREAK.sub(" ", s)
        s = _TAG.sub("", s)
    if "&" in s:
        s = html.unescape(s)
        if "<" in s:  # markup that was escaped once ("&lt;b&gt;") is still markup
            s = _TAG.sub("", s)
    if "[" in s:
        s = _MD_IMAGE.sub(r"\1", s)
        s = _MD_LINK.sub(r"\1", s)
        s = _MD_REF_LINK.sub(r"\1", s)
    if "`" in s:
        s = _MD_CODE.sub(r"\1", s)
    if "*" in s or "_" in s:
        s = _MD_STRONG.sub(r"\2", s)
        s = _MD_EM.sub(lambda m: m.group(1) or m.group(2) or "", s)
    if "#" in s:
        s = _MD_HEADING.sub("", s)
    s = _MD_BULLET.sub("", s)
    s = strip_iris(s, name_of)
    return " ".join(s.split())


def strip_iris(text: str, name_of: Callable[[str], str | None] | None = None) -> str:
    """Replace IRIs written in prose by what they name.

    An IRI followed by words in brackets becomes those words; an IRI ``name_of`` knows
    becomes its label; any other IRI is dropped, with the punctuation left dangling by it.
    """
    if "http" not in text and "urn:" not in text:
        return text

    def named(m: re.Match[str]) -> str:
        return m.group(1).strip()

    def bare(m: re.Match[str]) -> str:
        found = name_of(m.group(0)) if name_of else None
        return found or ""

    s = _IRI_NAMED.sub(named, text)
    s = _IRI_BARE.sub(bare, s)
    s = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", "", s)
    s = re.sub(r"\s+([.,;:!?])", r"\1", s)
    s = re.sub(r"([,;:])(?=[.,;:!?])", "", s)
    return s
