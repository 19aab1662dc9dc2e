"""Colours of node kinds, shared by every drawing format so a kind looks the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence

from kg.export.model import LITERAL_KIND

__all__ = ["PALETTE", "kind_colours"]

PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948",
    "#9c755f", "#ff9da7", "#17becf", "#8c564b", "#bcbd22", "#1f77b4", "#d62728",
    "#2ca02c", "#9467bd", "#e377c2", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a",
    "#c5b0d5", "#c49c94", "#dbdb8d",
)
_LITERAL_COLOUR = "#d9d9d9"


def kind_colours(kinds: Sequence[str]) -> dict[str, str]:
    """A stable colour (``#rrggbb``) for each node kind; literals are light grey."""
    colours: dict[str, str] = {}
    i = 0
    for kind in kinds:
        if kind == LITERAL_KIND:
            colours[kind] = _LITERAL_COLOUR
        else:
            colours[kind] = PALETTE[i % len(PALETTE)]
            i += 1
    return colours
