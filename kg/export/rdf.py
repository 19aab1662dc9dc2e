"""RDF subsets of the rdflib graph for the selected nodes: Turtle, JSON-LD, N-Triples.

For the whole graph every triple is written. For a selection, each selected node keeps
all its own triples (labels, definitions, figures, types, sources, blank-node details)
except relations to nodes outside the selection; the labels of the classes, sources and
predicates it refers to come along so the subset reads well on its own. Blank nodes get
canonical labels so the output is byte-stable.
"""

from __future__ import annotations

import json
from typing import IO, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from kg.errors import ConfigError
from kg.export.model import Subgraph
from kg.rdf.namespaces import BROADER_PREDICATES, LABEL_PREDICATES

__all__ = ["subset", "write_jsonld", "write_ntriples", "write_turtle"]


def _term(node_id: str) -> Node:
    return BNode(node_id[2:]) if node_id.startswith("_:") else URIRef(node_id)


def subset(sub: Subgraph) -> Graph:
    """The rdflib graph holding the triples behind ``sub`` (namespaces bound)."""
    source = sub.graph
    if source is None:
        raise ConfigError(
            "the RDF formats need the rdflib graph as well as the view; pass graph=... "
            "(or a Workspace) to export()."
        )
    out = Graph()
    for prefix, ns in source.namespaces():
        out.bind(prefix, ns, override=True)
    if sub.options.get("whole"):
        triples = list(source)
    else:
        triples = _selected_triples(sub, source)
    for t in sorted(triples):
        out.add(t)
    if any(isinstance(x, BNode) for t in triples for x in (t[0], t[2])):
        canonical = Graph()
        for prefix, ns in out.namespaces():
            canonical.bind(prefix, ns, override=True)
        for t in sorted(to_canonical_graph(out)):
            canonical.add(t)
        out = canonical
    return out


def _selected_triples(sub: Subgraph, source: Graph) -> set[tuple[Node, Node, Node]]:
    chosen = {_term(n) for n in sub.node_ids}
    edge_predicates = {URIRef(p) for _, _, p in sub.view.nx.edges(data="predicate")}
    edge_predicates |= {p for p, _ in BROADER_PREDICATES}
    triples: set[tuple[Node, Node, Node]] = set()
    referenced: set[Node] = set()
    stack = list(chosen)
    seen: set[Node] = set(chosen)
    while stack:
        s = stack.pop()
        for _, p, o in source.triples((s, None, None)):
            if isinstance(o, Literal) or o in chosen:
                triples.add((s, p, o))
            elif p in edge_predicates and not isinstance(o, BNode):
                continue  # a relation leaving the selection
            else:
                triples.add((s, p, o))
                if isinstance(o, BNode):
                    if o not in seen:
                        seen.add(o)
                        stack.append(o)
                else:
                    referenced.add(o)
            referenced.add(p)
    for r in referenced - chosen:
        for p in LABEL_PREDICATES:
            for o in source.objects(r, p):
                triples.add((r, p, o))
    return triples


def write_turtle(sub: Subgraph, out: IO[str]) -> None:
    """Write the RDF subset of ``sub`` as Turtle."""
    out.write(subset(sub).serialize(format="turtle"))


def write_ntriples(sub: Subgraph, out: IO[str]) -> None:
    """Write the RDF subset of ``sub`` as N-Triples, one sorted triple a line."""
    text = subset(sub).serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    out.write("\n".join(lines) + ("\n" if lines else ""))


def write_jsonld(sub: Subgraph, out: IO[str]) -> None:
    """Write the RDF subset of ``sub`` as compact JSON-LD (prefixes as the context)."""
    g = subset(sub)
    used = {str(x) for t in g for x in t if isinstance(x, URIRef)}
    context = {
        prefix: str(ns)
        for prefix, ns in sorted(g.namespaces())
        if prefix and any(u.startswith(str(ns)) for u in used)
    }
    doc = json.loads(g.serialize(format="json-ld", context=context))
    out.write(json.dumps(_sorted_jsonld(doc), ensure_ascii=False, indent=1, sort_keys=True))
    out.write("\n")


def _sorted_jsonld(node: Any, key: str = "") -> Any:
    """Sort JSON-LD value arrays (they are sets, except under ``@list``) for stable bytes."""
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node
