"""Readable names for IRIs: the one label picker, and names made from IRIs that have none.

Both the networkx view and the validator name resources for people, so they choose among
a resource's labels the same way (:func:`pick`: the wanted language, then untagged, then
any; then the label predicate's rank) and fall back to the same humanised local name.
"""

from __future__ import annotations

import re

__all__ = ["DEFAULT_LANG", "humanise", "lang_tier", "local_name", "pick"]

DEFAULT_LANG = "en"


def local_name(iri: str) -> str:
    """The part of an IRI after the last ``#``, ``/`` or ``:``."""
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri


def humanise(name: str) -> str:
    """Turn ``developedBy`` or ``developed_by`` into ``developed by``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", spaced).strip().lower() or name


def lang_tier(tag: str, want: str) -> int:
    """0 for the wanted language (``en`` also takes ``en-GB``), 1 untagged, 2 any other."""
    if not tag:
        return 1
    if tag == want or tag.startswith(want + "-"):
        return 0
    return 2


def pick(values: list[tuple[int, str, str]], want: str = DEFAULT_LANG) -> int:
    """The index of the name to show among ``(rank, text, lang)`` rows.

    Language first (wanted, untagged, any), then the predicate's rank, then the text, so
    the choice does not depend on the order triples were read in.
    """
    best = 0
    best_key: tuple[int, int, str] | None = None
    for i, (rank, text, tag) in enumerate(values):
        key = (lang_tier(tag, want), rank, text)
        if best_key is None or key < best_key:
            best, best_key = i, key
    return best
