"""Cytoscape.js JSON (``.cyjs``): loads in Cytoscape.js and in Cytoscape desktop.

Node ``data`` holds ``name``/``label`` (the readable label), ``kind``, ``types``, ``iri``,
``description``, ``alt_labels``, ``sources``, ``color`` and one key per literal predicate;
edge ``data`` holds ``interaction``/``label`` in words, ``predicate`` and ``hierarchy``.
Each element also has a class (``hierarchy``/``relation`` on edges, the kind slug on
nodes) and nodes a tree-layout ``position``.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from kg.export.graphml import literal_keys
from kg.export.layout import tree_layout
from kg.export.model import Subgraph
from kg.export.palette import kind_colours

__all__ = ["to_cyjs", "write_cyjs"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "other"


def to_cyjs(sub: Subgraph) -> dict[str, Any]:
    """The Cytoscape.js document for ``sub``."""
    colours = kind_colours(sub.kinds)
    lit_names = literal_keys(sub)
    pos = tree_layout(sub)
    nodes = []
    for n in sub.nodes:
        data: dict[str, Any] = {
            "id": n.id,
            "name": n.label,
            "label": n.label,
            "kind": n.kind,
            "types": list(n.types),
            "iri": "" if n.is_literal else n.id,
            "description": n.description,
            "alt_labels": list(n.alt_labels),
            "sources": [iri for iri, _ in n.sources],
            "concept": n.concept,
            "color": colours[n.kind],
        }
        grouped: dict[str, list[str]] = {}
        for p, v in n.literals:
            grouped.setdefault(lit_names[p], []).append(v)
        data.update({k: "; ".join(v) for k, v in grouped.items()})
        if n.external:
            data["external_links"] = [{"predicate": p, "iri": iri} for p, iri in n.external]
        x, y = pos.get(n.id, (0.0, 0.0))
        nodes.append({"data": data, "position": {"x": x, "y": y}, "classes": _slug(n.kind)})
    edges = [
        {
            "data": {
                "id": f"e{i}",
                "source": e.source,
                "target": e.target,
                "interaction": e.label,
                "label": e.label,
                "predicate": e.predicate,
                "hierarchy": e.hierarchy,
            },
            "classes": "hierarchy" if e.hierarchy else "relation",
        }
        for i, e in enumerate(sub.edges)
    ]
    return {
        "format_version": "1.0",
        "generated_by": "kg-aitax",
        "target_cytoscapejs_version": "~3.0",
        "data": {"name": sub.title, "kinds": {k: colours[k] for k in sub.kinds}},
        "elements": {"nodes": nodes, "edges": edges},
    }


def write_cyjs(sub: Subgraph, out: IO[str]) -> None:
    """Write ``sub`` as Cytoscape.js JSON to the text stream ``out``."""
    json.dump(to_cyjs(sub), out, ensure_ascii=False, indent=1)
    out.write("\n")
