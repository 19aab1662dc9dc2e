"""GraphML for yEd, Gephi and Cytoscape.

Plain GraphML data keys carry the readable label, the node kind and types, the IRI,
definition, alternative labels, sources and every literal (figures); edges carry their label
in words, the predicate IRI and whether they are hierarchy edges. yEd's own graphics
extension is added too, so yEd shows labels, colours and a tree layout on opening;
hierarchy edges are solid with a hollow arrow, other relations dashed. Other readers
ignore the yEd data.
"""

from __future__ import annotations

from typing import IO

from kg.export.layout import tree_layout
from kg.export.model import Subgraph
from kg.export.palette import kind_colours
from kg.export.xmltext import xml_escape

__all__ = ["external_text", "literal_keys", "write_graphml"]

_NODE_KEYS = (  # (id, name, type)
    ("label", "label", "string"),
    ("name", "name", "string"),  # Cytoscape shows "name"
    ("kind", "kind", "string"),
    ("types", "types", "string"),
    ("iri", "iri", "string"),
    ("description", "description", "string"),
    ("alt_labels", "alt labels", "string"),
    ("sources", "sources", "string"),
    ("concept", "concept", "boolean"),
)
_EDGE_KEYS = (
    ("e_label", "label", "string"),
    ("e_predicate", "predicate", "string"),
    ("e_hierarchy", "hierarchy", "boolean"),
)
_RESERVED = {name for _, name, _ in _NODE_KEYS} | {"external links"}
# Declared only when a node has mapping links, so graphs without them export as before.
_EXTERNAL_KEY = ("external", "external links", "string")


def external_text(links: tuple[tuple[str, str], ...]) -> str:
    """A node's mapping links as one attribute value: ``close match: IRI; exact match: IRI``."""
    return "; ".join(f"{p}: {iri}" for p, iri in links)


def literal_keys(sub: Subgraph) -> dict[str, str]:
    """Attribute name for each literal predicate label, avoiding the fixed attribute names."""
    names = sorted({p for n in sub.nodes for p, _ in n.literals})
    return {p: (f"{p} (value)" if p in _RESERVED else p) for p in names}


def write_graphml(sub: Subgraph, out: IO[str]) -> None:
    """Write ``sub`` as GraphML (with yEd graphics) to the text stream ``out``."""
    colours = kind_colours(sub.kinds)
    lit_names = literal_keys(sub)
    lit_ids = {p: f"lit{i}" for i, p in enumerate(lit_names)}
    pos = tree_layout(sub)
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"\n'
      '         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n'
      '         xmlns:y="http://www.yworks.com/xml/graphml"\n'
      '         xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
      'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    node_keys = _NODE_KEYS + ((_EXTERNAL_KEY,) if any(n.external for n in sub.nodes) else ())
    for key, name, typ in node_keys:
        w(f'  <key id="{key}" for="node" attr.name="{xml_escape(name)}" attr.type="{typ}"/>\n')
    for p, key in lit_ids.items():
        w(f'  <key id="{key}" for="node" attr.name="{xml_escape(lit_names[p])}" '
          'attr.type="string"/>\n')
    for key, name, typ in _EDGE_KEYS:
        w(f'  <key id="{key}" for="edge" attr.name="{name}" attr.type="{typ}"/>\n')
    w('  <key id="y_node" for="node" yfiles.type="nodegraphics"/>\n')
    w('  <key id="y_edge" for="edge" yfiles.type="edgegraphics"/>\n')
    w(f'  <graph id="{xml_escape(sub.title)}" edgedefault="directed">\n')
    for n in sub.nodes:
        w(f'    <node id="{xml_escape(n.id)}">\n')
        values = {
            "label": n.label,
            "name": n.label,
            "kind": n.kind,
            "types": "; ".join(n.types),
            "iri": "" if n.is_literal else n.id,
            "description": n.description,
            "alt_labels": "; ".join(n.alt_labels),
            "sources": "; ".join(iri for iri, _ in n.sources),
            "concept": "true" if n.concept else "false",
            "external": external_text(n.external),
        }
        for key, _, _ in node_keys:
            if values[key] != "":
                w(f'      <data key="{key}">{xml_escape(values[key])}</data>\n')
        grouped: dict[str, list[str]] = {}
        for p, v in n.literals:
            grouped.setdefault(p, []).append(v)
        for p, vs in grouped.items():
            w(f'      <data key="{lit_ids[p]}">{xml_escape("; ".join(vs))}</data>\n')
        x, y = pos.get(n.id, (0.0, 0.0))
        width = max(40, min(300, 7 * len(n.label) + 20))
        w('      <data key="y_node"><y:ShapeNode>'
          f'<y:Geometry height="30.0" width="{width}.0" x="{x:.1f}" y="{y:.1f}"/>'
          f'<y:Fill color="{colours[n.kind].upper()}" transparent="false"/>'
          '<y:BorderStyle color="#333333" type="line" width="1.0"/>'
          f'<y:NodeLabel>{xml_escape(n.label)}</y:NodeLabel>'
          '<y:Shape type="roundrectangle"/></y:ShapeNode></data>\n')
        w('    </node>\n')
    for i, e in enumerate(sub.edges):
        w(f'    <edge id="e{i}" source="{xml_escape(e.source)}" '
          f'target="{xml_escape(e.target)}">\n')
        w(f'      <data key="e_label">{xml_escape(e.label)}</data>\n')
        w(f'      <data key="e_predicate">{xml_escape(e.predicate)}</data>\n')
        w(f'      <data key="e_hierarchy">{"true" if e.hierarchy else "false"}</data>\n')
        style = ('<y:LineStyle color="#444444" type="line" width="2.0"/>'
                 '<y:Arrows source="none" target="white_delta"/>' if e.hierarchy else
                 '<y:LineStyle color="#2A7FB8" type="dashed" width="1.0"/>'
                 '<y:Arrows source="none" target="standard"/>')
        w(f'      <data key="y_edge"><y:PolyLineEdge>{style}'
          f'<y:EdgeLabel>{xml_escape(e.label)}</y:EdgeLabel></y:PolyLineEdge></data>\n')
        w('    </edge>\n')
    w('  </graph>\n</graphml>\n')
