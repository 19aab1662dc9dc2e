"""Mermaid flowchart, for Markdown (GitHub, GitLab, Obsidian) and the Mermaid CLI.

Broader concepts sit at the top (``flowchart BT``); hierarchy edges are solid arrows,
other relations dotted arrows named in words; nodes are coloured by kind, with a legend.
With the ``fenced`` option the chart is wrapped in a Markdown ```` ```mermaid ```` block.
"""

from __future__ import annotations

import re
from typing import IO

from kg.export.model import Subgraph
from kg.export.palette import kind_colours

__all__ = ["MAX_EDGES", "MAX_TEXT", "to_mermaid", "write_mermaid"]

# Mermaid's default rendering limits (maxEdges, maxTextSize): GitHub uses them too.
MAX_EDGES = 500
MAX_TEXT = 50_000
# Mermaid's own "#name;" codes are not decoded by every renderer; HTML entities inside a
# quoted label are, and raw "<" would be stripped as a tag by Mermaid's sanitiser.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "`": "'"}
_ENTITY_RE = re.compile("[&<>\"`]")


def _text(label: str, edge: bool = False) -> str:
    flat = " ".join(label.split())
    flat = re.sub(r"#(?=\w+;)", "# ", flat)  # "#word;" would read as a Mermaid entity code
    if edge:
        flat = flat.replace("|", "/")
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], flat)


def _text_colour(fill: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def to_mermaid(sub: Subgraph) -> str:
    """The Mermaid flowchart source of ``sub``."""
    colours = kind_colours(sub.kinds)
    kind_class = {k: f"kind{i}" for i, k in enumerate(sub.kinds)}
    ids = {n.id: f"n{i}" for i, n in enumerate(sub.nodes)}
    lines = [
        "flowchart BT",
        f"  %% {sub.title}: {len(sub.nodes)} nodes, {len(sub.edges)} edges.",
        "  %% Solid arrows: is a kind of (narrower --> broader). Dotted: other relations.",
    ]
    for n in sub.nodes:
        lines.append(f'  {ids[n.id]}["{_text(n.label)}"]')
    for e in sub.edges:
        if e.hierarchy:
            lines.append(f"  {ids[e.source]} --> {ids[e.target]}")
        else:
            lines.append(f'  {ids[e.source]} -.->|"{_text(e.label, edge=True)}"| {ids[e.target]}')
    if sub.nodes:
        lines.append('  subgraph legend["Legend"]')
        lines.append("    direction TB")
        for k in sub.kinds:
            lines.append(f'    legend_{kind_class[k]}["{_text(k)}"]')
        lines.append('    legend_edges["solid arrow: is a kind of · dotted arrow: other '
                     'relation"]')
        lines.append("  end")
    for k in sub.kinds:
        fill = colours[k]
        lines.append(f"  classDef {kind_class[k]} fill:{fill},stroke:#333,"
                     f"color:{_text_colour(fill)}")
    for k in sub.kinds:
        members = [ids[n.id] for n in sub.nodes if n.kind == k]
        members.append(f"legend_{kind_class[k]}")
        for start in range(0, len(members), 200):
            lines.append(f"  class {','.join(members[start:start + 200])} {kind_class[k]}")
    return "\n".join(lines) + "\n"


def write_mermaid(sub: Subgraph, out: IO[str]) -> None:
    """Write ``sub`` as a Mermaid flowchart to the text stream ``out``."""
    text = to_mermaid(sub)
    notes = sub.options.setdefault("notes", [])
    if len(sub.edges) > MAX_EDGES or len(text) > MAX_TEXT:
        notes.append(
            f"the chart has {len(sub.edges)} edges and {len(text):,} characters; Mermaid "
            f"(and GitHub) refuse to draw more than {MAX_EDGES} edges or {MAX_TEXT:,} "
            "characters by default. Export a part with --focus CONCEPT --depth N or --types."
        )
    if sub.options.get("fenced"):
        out.write("```mermaid\n" + text + "```\n")
    else:
        out.write(text)
