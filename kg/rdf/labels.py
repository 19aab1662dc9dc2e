"""Readable names for IRIs: the one label picker, and names made from IRIs that have none.

Both the networkx view and the validator name resources for people, so they choose among
a resource's labels the same way (English first, then untagged, then any) and fall back
to the same humanised local name.
"""

from __future__ import annotations

import re

__all__ = ["humanise", "local_name", "pick_label"]


def local_name(iri: str) -> str:
    """The part of an IRI after the last ``#``, ``/`` or ``:``."""
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri


def humanise(name: str) -> str:
    """Turn ``developedBy`` or ``developed_by`` into ``developed by``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", spaced).strip().lower() or name


def pick_label(values: list[tuple[str, str]]) -> str:
    """The label to show among ``(text, lowercased language)`` pairs of one predicate:
    English first, then untagged, then anything. Sort ``values`` for a stable choice."""
    for want in ("en", None):
        for value, lang in values:
            if (want is None and not lang) or (want and lang.startswith(want)):
                return value
    return values[0][0]
