"""GEXF 1.2 for Gephi: labels, kinds and literals as node attributes, predicates on edges.

Nodes carry a colour per kind, a size by degree and a tree-layout position, so Gephi shows
a readable picture before any layout is run.
"""

from __future__ import annotations

from collections import Counter
from typing import IO

from kg.export.graphml import external_text, literal_keys
from kg.export.layout import tree_layout
from kg.export.model import Subgraph
from kg.export.palette import kind_colours
from kg.export.xmltext import xml_escape

__all__ = ["write_gexf"]

_NODE_ATTRS = (
    ("kind", "string"),
    ("types", "string"),
    ("iri", "string"),
    ("description", "string"),
    ("alt labels", "string"),
    ("sources", "string"),
    ("concept", "boolean"),
)


def _rgb(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f'r="{r}" g="{g}" b="{b}"'


def write_gexf(sub: Subgraph, out: IO[str]) -> None:
    """Write ``sub`` as GEXF 1.2 to the text stream ``out``."""
    colours = kind_colours(sub.kinds)
    lit_names = literal_keys(sub)
    attrs = [*_NODE_ATTRS, *((lit_names[p], "string") for p in lit_names)]
    if any(n.external for n in sub.nodes):
        attrs.append(("external links", "string"))
    ids = {title: str(i) for i, (title, _) in enumerate(attrs)}
    pos = tree_layout(sub)
    degree: Counter[str] = Counter()
    for e in sub.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w('<gexf xmlns="http://www.gexf.net/1.2draft" '
      'xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">\n')
    w(f'  <meta>\n    <creator>kg-aitax</creator>\n'
      f'    <description>{xml_escape(sub.title)}</description>\n  </meta>\n')
    w('  <graph defaultedgetype="directed" mode="static">\n')
    w('    <attributes class="node">\n')
    for title, typ in attrs:
        w(f'      <attribute id="{ids[title]}" title="{xml_escape(title)}" type="{typ}"/>\n')
    w('    </attributes>\n    <attributes class="edge">\n'
      '      <attribute id="predicate" title="predicate" type="string"/>\n'
      '      <attribute id="hierarchy" title="hierarchy" type="boolean"/>\n'
      '    </attributes>\n')
    w('    <nodes>\n')
    for n in sub.nodes:
        values = {
            "kind": n.kind,
            "types": "; ".join(n.types),
            "iri": "" if n.is_literal else n.id,
            "description": n.description,
            "alt labels": "; ".join(n.alt_labels),
            "sources": "; ".join(iri for iri, _ in n.sources),
            "concept": "true" if n.concept else "false",
            "external links": external_text(n.external),
        }
        grouped: dict[str, list[str]] = {}
        for p, v in n.literals:
            grouped.setdefault(lit_names[p], []).append(v)
        values.update({k: "; ".join(v) for k, v in grouped.items()})
        w(f'      <node id="{xml_escape(n.id)}" label="{xml_escape(n.label)}">\n'
          '        <attvalues>\n')
        for title, _ in attrs:
            if values.get(title):
                w(f'          <attvalue for="{ids[title]}" '
                  f'value="{xml_escape(values[title])}"/>\n')
        x, y = pos.get(n.id, (0.0, 0.0))
        size = 5.0 + 2.0 * min(degree[n.id], 20) ** 0.5 * 2
        w('        </attvalues>\n'
          f'        <viz:color {_rgb(colours[n.kind])}/>\n'
          f'        <viz:position x="{x:.1f}" y="{-y:.1f}" z="0.0"/>\n'
          f'        <viz:size value="{size:.1f}"/>\n'
          '      </node>\n')
    w('    </nodes>\n    <edges>\n')
    for i, e in enumerate(sub.edges):
        w(f'      <edge id="e{i}" source="{xml_escape(e.source)}" '
          f'target="{xml_escape(e.target)}" label="{xml_escape(e.label)}" '
          f'weight="{2.0 if e.hierarchy else 1.0}">\n'
          '        <attvalues>\n'
          f'          <attvalue for="predicate" value="{xml_escape(e.predicate)}"/>\n'
          f'          <attvalue for="hierarchy" value="{"true" if e.hierarchy else "false"}"/>\n'
          '        </attvalues>\n'
          '      </edge>\n')
    w('    </edges>\n  </graph>\n</gexf>\n')
