"""Text safe inside XML (GraphML, GEXF): escaped, with the characters XML forbids dropped."""

from __future__ import annotations

import re

__all__ = ["xml_escape"]

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_escape(text: str) -> str:
    """Escape text for XML content or a double-quoted attribute; drop forbidden chars."""
    clean = _XML_BAD.sub("", text)
    return (clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))
