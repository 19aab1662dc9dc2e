"""Graphviz: DOT source, and SVG/PNG drawn by running the ``dot`` program.

Broader nodes sit above narrower ones (``rankdir=BT``; large graphs use the ``sfdp`` layout,
see :func:`is_large`); hierarchy edges are solid with a
hollow arrow, other relations dashed, blue and labelled in words; nodes are filled by kind,
and a legend node explains colours and edge styles. Every edge has a tooltip in words.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from typing import IO

from kg.errors import KgError
from kg.export.model import Subgraph
from kg.export.palette import kind_colours

__all__ = ["LEGEND_ID", "is_large", "render", "to_dot", "write_dot", "write_png", "write_svg"]

LEGEND_ID = "kg:legend"
# dot's layered layout takes ~15 s at 650 labelled edges and minutes beyond; past these
# sizes the DOT file asks Graphviz for the force-directed sfdp layout instead (seconds).
LAYERED_MAX_EDGES = 250
LAYERED_MAX_NODES = 300
_INSTALL = (
    "Graphviz is not installed (the `dot` program was not found on PATH), so SVG and PNG "
    "cannot be drawn. Install it with `sudo apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS) or `scripts/install-system-deps.sh`, or export "
    "`--format dot` and render it elsewhere."
)


def _q(text: str) -> str:
    """A DOT double-quoted string (escape-string semantics for labels)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace(
        "\n", "\\n") + '"'


def _html(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, 24, break_long_words=False)) or label


def is_large(sub: Subgraph) -> bool:
    """Too big for ``dot``'s layered layout (minutes or more): laid out with ``sfdp``."""
    return len(sub.edges) > LAYERED_MAX_EDGES or len(sub.nodes) > LAYERED_MAX_NODES


def to_dot(sub: Subgraph) -> str:
    """The DOT source of ``sub`` (``layout=sfdp`` in it when the graph is large)."""
    colours = kind_colours(sub.kinds)
    engine = ("layout=sfdp, overlap=prism, outputorder=edgesfirst, " if is_large(sub)
              else "")
    lines = [
        f"digraph {_q(sub.title)} {{",
        f"  graph [{engine}rankdir=BT, fontname=\"Helvetica\", nodesep=0.3, ranksep=0.6, "
        f"label={_q(sub.title)}, labelloc=t];",
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11, "
        "color=\"#333333\"];",
        "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    for n in sub.nodes:
        attrs = [f"label={_q(_wrap(n.label))}", f"fillcolor={_q(colours[n.kind])}"]
        tip = n.description or n.label
        attrs.append(f"tooltip={_q(tip[:300])}")
        if n.is_literal:
            attrs.append("shape=note")
        lines.append(f"  {_q(n.id)} [{', '.join(attrs)}];")
    for e in sub.edges:
        if e.hierarchy:
            attrs = ["arrowhead=onormal", "penwidth=1.4", 'color="#444444"']
        else:
            attrs = [f"label={_q(e.label)}", "style=dashed", 'color="#2a7fb8"',
                     'fontcolor="#2a7fb8"']
        attrs.append(f"tooltip={_q(e.label)}")
        lines.append(f"  {_q(e.source)} -> {_q(e.target)} [{', '.join(attrs)}];")
    if sub.nodes:
        rows = "".join(
            f'<TR><TD BGCOLOR="{colours[k]}" WIDTH="18"> </TD>'
            f'<TD ALIGN="LEFT">{_html(k)}</TD></TR>'
            for k in sub.kinds
        )
        rows += ('<TR><TD>&#8594;</TD><TD ALIGN="LEFT">solid, hollow arrow: is a kind of'
                 '</TD></TR><TR><TD>&#8674;</TD><TD ALIGN="LEFT">dashed: other relation '
                 '(named on the edge)</TD></TR>')
        lines.append(
            f"  {_q(LEGEND_ID)} [shape=plaintext, style=\"\", fontsize=10, label=<"
            f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3">'
            f'<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>{rows}</TABLE>>];'
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _note_engine(sub: Subgraph) -> None:
    if is_large(sub):
        sub.options.setdefault("notes", []).append(
            f"{len(sub.nodes)} nodes and {len(sub.edges)} edges are too many for Graphviz's "
            "layered `dot` layout (it would take minutes), so the drawing uses the "
            "force-directed `sfdp` layout; export a part with --focus CONCEPT --depth N for "
            "a layered hierarchy."
        )


def write_dot(sub: Subgraph, out: IO[str]) -> None:
    """Write the DOT source of ``sub`` to the text stream ``out``."""
    _note_engine(sub)
    out.write(to_dot(sub))


def render(dot_source: str, fmt: str, timeout: float = 600.0) -> bytes:
    """Run Graphviz ``dot -T<fmt>`` on ``dot_source``.

    Raises:
        KgError: Graphviz is missing (the message says how to install it), failed or
            ran past ``timeout`` seconds.
    """
    exe = shutil.which("dot")
    if exe is None:
        raise KgError(_INSTALL)
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt}"], input=dot_source.encode("utf-8"), capture_output=True,
            timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired:
        raise KgError(
            f"Graphviz took more than {timeout:.0f} s to draw the graph; draw a smaller part "
            "with --focus CONCEPT --depth N or --types, or export --format html."
        ) from None
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KgError(
            f"Graphviz failed to draw the graph ({'; '.join(detail[:3]) or 'no message'}). "
            "Export --format dot to inspect the source."
        )
    return proc.stdout


def write_svg(sub: Subgraph, out: IO[str]) -> None:
    """Write ``sub`` drawn by Graphviz as SVG to the text stream ``out``."""
    _note_engine(sub)
    out.write(render(to_dot(sub), "svg", sub.options.get("timeout", 600.0)).decode("utf-8"))


def write_png(sub: Subgraph, out: IO[bytes]) -> None:
    """Write ``sub`` drawn by Graphviz as PNG to the binary stream ``out``."""
    _note_engine(sub)
    out.write(render(to_dot(sub), "png", sub.options.get("timeout", 600.0)))
