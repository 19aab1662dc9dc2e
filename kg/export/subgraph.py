"""Which nodes and edges an export holds: the whole graph, a neighbourhood, or some classes.

Selection happens here, once, for every format:

* the whole graph, or the neighbourhood of ``focus`` up to ``depth`` edges (either way),
* filtered by ``types`` (class labels or local names; subclasses included),
* literals (figures, definitions) stay node attributes unless ``include_literals``,
* mapping links to other vocabularies (``skos:exactMatch``, ``owl:sameAs``...) whose
  targets the graph does not describe stay node attributes unless ``include_external``.

Nodes and edges are sorted so every export is byte-stable.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kg.errors import ConfigError, NotFoundError
from kg.export.model import EXTERNAL_KIND, LITERAL_KIND, ExportEdge, ExportNode, Subgraph
from kg.rdf.namespaces import OWL, RDFS, SKOS
from kg.view.graph_view import GraphView
from kg.view.phrasing import predicate_phrase

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["build_subgraph", "resolve_concept", "select"]

# Types too generic to colour by: every taxonomy node has one of them.
_GENERIC_TYPES = {
    str(SKOS.Concept), str(OWL.Class), str(RDFS.Class), str(OWL.NamedIndividual),
    str(RDFS.Resource), str(OWL.Thing),
}
_DEFINITION = str(SKOS.definition)


def resolve_concept(view: GraphView, text: str) -> str:
    """Find the node ``text`` names for ``--focus`` (see :func:`kg.view.concepts.resolve`).

    Raises:
        ConfigError: ``text`` is empty.
        NotFoundError: nothing matches; the message lists the closest labels.
    """
    from kg.view.concepts import resolve

    if not text.strip():
        raise ConfigError("--focus is empty; give a concept label, local name or IRI.")
    return resolve(view, text)


def _resolve_types(view: GraphView, names: Iterable[str]) -> set[str]:
    """Class IRIs for the given class names (through the one resolver,
    :func:`kg.view.concepts.resolve`, among the graph's classes), with their subclasses."""
    from kg.view.concepts import resolve

    classes = set(view.type_labels)
    # Classes that only appear in the hierarchy (rdfs:subClassOf) count too.
    classes |= {
        n for n, data in view.nx.nodes(data=True)
        if str(OWL.Class) in data.get("types", ()) or str(RDFS.Class) in data.get("types", ())
    }
    chosen: set[str] = set()
    for name in names:
        if not name.strip():
            continue
        try:
            chosen.add(resolve(view, name, among=classes, what="class"))
        except NotFoundError as exc:
            used = {t for _, data in view.nx.nodes(data=True) for t in data.get("types", ())}
            available = sorted({view.type_labels.get(t) or view.label(t) for t in classes
                                if t in used or t in view.nx}, key=str.casefold)
            raise NotFoundError(
                f"{exc} (--types) Types in this graph: {', '.join(available[:30]) or 'none'}."
            ) from None
    # Subclasses: hierarchy edges point from the subclass to its superclass.
    stack = list(chosen)
    while stack:
        for sub in view.narrower(stack.pop()):
            if sub not in chosen:
                chosen.add(sub)
                stack.append(sub)
    return chosen


# --------------------------------------------------------------------------- selection


def select(
    view: GraphView,
    focus: str | None = None,
    depth: int | None = None,
    types: Sequence[str] | None = None,
) -> tuple[list[str], str | None]:
    """The sorted node IRIs to export, and the resolved focus IRI (None without focus).

    Raises:
        ConfigError: ``depth`` without ``focus``, or a negative depth.
        NotFoundError: the focus concept or a type does not exist.
    """
    g = view.nx
    focus_iri = None
    if focus is None:
        if depth is not None:
            raise ConfigError("--depth needs --focus CONCEPT (the node to start from).")
        # Documents that are only cited as sources stay attributes of the nodes citing them.
        cited = {s for _, data in g.nodes(data=True) for s in data.get("sources", ())}
        nodes = {n for n in g.nodes if n not in cited or g.degree(n) > 0}
    else:
        depth = 1 if depth is None else depth
        if depth < 0:
            raise ConfigError(f"--depth {depth} is negative; use 0 or more.")
        focus_iri = resolve_concept(view, focus)
        nodes = {focus_iri}
        frontier = deque([(focus_iri, 0)])
        while frontier:
            n, d = frontier.popleft()
            if d >= depth:
                continue
            for m in (*g.successors(n), *g.predecessors(n)):
                if m not in nodes:
                    nodes.add(m)
                    frontier.append((m, d + 1))
    if types:
        wanted = _resolve_types(view, types)
        nodes = {n for n in nodes if n == focus_iri or wanted & set(g.nodes[n].get("types", ()))}
    return sorted(nodes), focus_iri


def _kind(view: GraphView, data: dict) -> str:
    specific = sorted(
        view.type_labels.get(t) or view.label(t)
        for t in data.get("types", ())
        if t not in _GENERIC_TYPES
    )
    if specific:
        return specific[0]
    if {str(OWL.Class), str(RDFS.Class)} & set(data.get("types", ())):
        return "Class"
    return "Concept" if data.get("concept") else "Other"


def build_subgraph(
    view: GraphView,
    node_ids: Iterable[str],
    *,
    graph: Graph | None = None,
    include_literals: bool = False,
    include_external: bool = False,
    focus: str | None = None,
    title: str | None = None,
) -> Subgraph:
    """Turn selected node IRIs into the sorted nodes and edges every writer uses.

    A node's mapping links to undescribed resources are always its ``external`` attribute;
    ``include_external`` also draws each target as a node with an edge to it.
    """
    g = view.nx
    chosen = sorted(set(node_ids) & set(g.nodes))
    keep = set(chosen)
    nodes: list[ExportNode] = []
    edges: list[ExportEdge] = []
    targets: set[str] = set()
    for n in chosen:
        data = g.nodes[n]
        literals = tuple(sorted((view.predicate_label(p), v) for p, v in data.get("literals", ())))
        external = tuple(sorted((view.predicate_label(p), o) for p, o in data.get("external", ())))
        nodes.append(
            ExportNode(
                id=n,
                label=data.get("label") or view.label(n),
                kind=_kind(view, data),
                types=tuple(sorted({view.type_labels.get(t) or view.label(t)
                                    for t in data.get("types", ())})),
                description=data.get("description", ""),
                alt_labels=tuple(data.get("alt_labels", ())),
                literals=literals,
                sources=tuple((s, view.label(s)) for s in data.get("sources", ())),
                concept=bool(data.get("concept")),
                external=external,
            )
        )
        if include_external:
            for p, o in data.get("external", ()):
                edges.append(ExportEdge(n, o, p, predicate_phrase(view, p), False))
                targets.add(o)
        if include_literals:
            pairs = [(p, v) for p, v in data.get("literals", ())]
            pairs += [(_DEFINITION, d) for d in data.get("descriptions", ())]
            for p, v in sorted(set(pairs)):
                lit_id = "literal:" + hashlib.sha1(f"{n}\0{p}\0{v}".encode()).hexdigest()[:16]
                label = v if len(v) <= 80 else v[:77] + "..."
                nodes.append(ExportNode(id=lit_id, label=label, kind=LITERAL_KIND,
                                        description=v, is_literal=True))
                p_label = "definition" if p == _DEFINITION else view.predicate_label(p)
                edges.append(ExportEdge(n, lit_id, p, p_label, False))
    # the chosen nodes' own out-edges, not every edge of the graph (a view read in place
    # would fetch every node to list them)
    for u in chosen:
        for v, keys in g.succ[u].items():
            if v not in keep:
                continue
            for data in keys.values():
                pred = data.get("predicate", "")
                edges.append(ExportEdge(u, v, pred, predicate_phrase(view, pred),
                                        bool(data.get("hierarchy"))))
    nodes += [ExportNode(id=o, label=view.label(o), kind=EXTERNAL_KIND) for o in targets - keep]
    nodes.sort(key=lambda x: x.id)
    edges = sorted(set(edges), key=lambda e: (e.source, e.target, e.predicate))
    if focus:
        title = f"{title or 'Knowledge graph'}: around {view.label(focus)}"
    elif title is None:
        title = "Knowledge graph"
    return Subgraph(nodes=nodes, edges=edges, view=view, graph=graph, focus=focus, title=title)
