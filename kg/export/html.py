"""Interactive, self-contained HTML viewer: one file, no network, no external library.

The page embeds the subgraph as JSON and a hand-written canvas viewer (``assets/viewer.js``
and ``assets/viewer.css`` in this package, inlined into the page): a Barnes-Hut force
layout, a tree layout of the hierarchy, nodes coloured by type (or by top-level branch)
with a legend that hides and shows kinds, a search box, and a side panel showing a node's
definition, relations, figures and sources plus a collapsible hierarchy outline. A
Content-Security-Policy with hashes of the inlined script and style forbids every
request, so the page works offline.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import cache
from importlib.resources import files
from typing import IO, Any

from kg.export.layout import tree_layout
from kg.export.model import Subgraph
from kg.export.palette import PALETTE, kind_colours

__all__ = ["asset", "first_view", "page", "payload", "write_html"]

_SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
_TREE_DX = 24.0
_TREE_DY = 120.0


def first_view(sub: Subgraph) -> list[str]:
    """The nodes a big graph's viewer opens on: the top concepts.

    Top concepts are the concepts without a broader one in the export; when the graph has
    SKOS concepts, only those count, so collections, groups and the classes of the data
    model (which have no broader concept either) wait until asked for.
    """
    parents = {e.source for e in sub.edges if e.hierarchy and e.source != e.target}
    roots = [n for n in sub.nodes if n.concept and not n.is_literal and n.id not in parents]
    skos = [n for n in roots if _SKOS_CONCEPT in sub.view.node(n.id).get("types", ())]
    return [n.id for n in (skos or roots)]


def payload(sub: Subgraph) -> dict[str, Any]:
    """The compact JSON document the viewer reads."""
    colours = kind_colours(sub.kinds)
    kinds = sub.kinds
    kind_index = {k: i for i, k in enumerate(kinds)}
    index = {n.id: i for i, n in enumerate(sub.nodes)}
    preds: dict[tuple[str, str], int] = {}
    pos = tree_layout(sub, dx=_TREE_DX, dy=_TREE_DY)
    nodes = []
    for n in sub.nodes:
        item: dict[str, Any] = {"i": "" if n.is_literal else n.id, "l": n.label,
                                "k": kind_index[n.kind]}
        if n.description and n.description != n.label:
            item["d"] = n.description
        if n.alt_labels:
            item["a"] = list(n.alt_labels)
        if n.types:
            item["t"] = list(n.types)
        if n.literals:
            item["f"] = [list(p) for p in n.literals]
        if n.sources:
            item["s"] = [list(s) for s in n.sources]
        if n.external:
            item["x"] = [list(x) for x in n.external]
        x, y = pos.get(n.id, (0.0, 0.0))
        item["p"] = [round(x), round(y)]
        nodes.append(item)
    edges = []
    for e in sub.edges:
        p = preds.setdefault((e.predicate, e.label), len(preds))
        edges.append([index[e.source], index[e.target], p, 1 if e.hierarchy else 0])
    return {
        "title": sub.title,
        "focus": index.get(sub.focus, -1) if sub.focus else -1,
        "kinds": [[k, colours[k]] for k in kinds],
        "palette": list(PALETTE),
        "preds": [[label, iri] for (iri, label) in preds],
        "tree": {"dx": _TREE_DX, "dy": _TREE_DY},
        "top": [index[n] for n in first_view(sub)],
        "nodes": nodes,
        "edges": edges,
    }


def _json_for_script(doc: dict[str, Any]) -> str:
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # Inside <script> nothing may look like a closing tag or a comment opener.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def asset(name: str) -> str:
    """The text of one viewer asset (``viewer.js``, ``viewer.css``), shipped as package data.

    Inlined after a newline, as the page has always carried it, so the CSP hashes and the
    exported bytes do not depend on how the file was read.
    """
    return "\n" + files("kg.export").joinpath("assets", name).read_text(encoding="utf-8")


def page(sub: Subgraph) -> str:
    """The complete HTML page for ``sub``."""
    script = asset("viewer.js")
    style = asset("viewer.css")
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
        "img-src data:; connect-src 'none'; font-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    title = html.escape(sub.title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="kg-aitax kg export --format html">\n'
        f"<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        '<header>\n'
        f'  <h1 id="title">{title}</h1>\n'
        '  <span id="counts"></span>\n'
        '  <div id="search-box"><input id="search" type="search" autocomplete="off" '
        'placeholder="Search concepts (press /)" aria-label="Search concepts">'
        '<ul id="results" role="listbox" hidden></ul></div>\n'
        '  <div class="controls">\n'
        '    <button id="btn-force" type="button" class="on" title="Force-directed layout">'
        'Graph</button>'
        '<button id="btn-tree" type="button" title="Hierarchy as a tree">Tree</button>\n'
        '    <label>Colour by <select id="colour-by"><option value="type">type</option>'
        '<option value="branch">branch</option></select></label>\n'
        '    <button id="btn-fit" type="button" title="Show everything">Fit</button>'
        '<button id="btn-all" type="button" title="Draw every node of the graph" hidden>'
        "Show all</button>\n"
        "  </div>\n</header>\n"
        '<main>\n  <div id="stage"><canvas id="graph" aria-label="Graph drawing"></canvas>'
        '<div id="tooltip" hidden></div>'
        '<div id="legend" aria-label="Legend"></div></div>\n'
        '  <aside id="side">\n'
        '    <nav class="tabs"><button id="tab-details" type="button" class="on">Details'
        '</button><button id="tab-tree" type="button">Hierarchy</button></nav>\n'
        '    <section id="details"><p class="hint">Click a node, or search, to see its '
        "definition, relations, figures and sources. Drag to pan, scroll to zoom, drag a "
        "node to move it.</p></section>\n"
        '    <section id="outline" hidden></section>\n'
        "  </aside>\n</main>\n"
        '<script type="application/json" id="kg-data">'
        f"{_json_for_script(payload(sub))}</script>\n"
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )


def write_html(sub: Subgraph, out: IO[str]) -> None:
    """Write the self-contained HTML viewer of ``sub`` to the text stream ``out``."""
    out.write(page(sub))
