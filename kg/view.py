"""Project the rdflib graph onto a networkx ``MultiDiGraph`` (read-only, pure).

Nodes are the named resources a person would talk about (concepts, classes, individuals,
data nodes such as figures); literals become node attributes, never nodes. Edges carry the
predicate IRI, its readable label and whether it is a hierarchy edge (``skos:broader``,
``rdfs:subClassOf``; ``skos:narrower`` is turned around so hierarchy edges always point
from the narrower to the broader node). Works on any SKOS or OWL/RDFS graph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import (
    ALT_LABEL_PREDICATES,
    BROADER_PREDICATES,
    DESCRIPTION_PREDICATES,
    LABEL_PREDICATES,
    OWL,
    RDF,
    RDFS,
    SKOS,
    SOURCE_PREDICATES,
)

__all__ = ["GraphView", "build_view", "local_name", "humanise"]

# Predicates whose objects are bookkeeping, not facts a person asks about.
_META_PREDICATES = {
    RDF.type,
    SKOS.inScheme,
    SKOS.topConceptOf,
    SKOS.hasTopConcept,
    RDFS.domain,
    RDFS.range,
    RDFS.isDefinedBy,
    RDFS.seeAlso,
    OWL.inverseOf,
    OWL.equivalentProperty,
    OWL.equivalentClass,
    RDFS.subPropertyOf,
    OWL.imports,
    OWL.sameAs,
    *SOURCE_PREDICATES,
}
_SCHEMA_TYPES = {
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    RDF.Property,
    OWL.Ontology,
    SKOS.ConceptScheme,
}
_CONCEPT_TYPES = {SKOS.Concept, OWL.Class, RDFS.Class}
_LABEL_SET = set(LABEL_PREDICATES)
_ALT_SET = set(ALT_LABEL_PREDICATES)
_DESC_SET = set(DESCRIPTION_PREDICATES)


def local_name(iri: str) -> str:
    """The part of an IRI after the last ``#``, ``/`` or ``:``."""
    return re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri


def humanise(name: str) -> str:
    """Turn ``developedBy`` or ``developed_by`` into ``developed by``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", spaced).strip().lower() or name


def _pick_lang(values: list[Literal]) -> str:
    """Prefer English, then untagged, then anything."""
    for want in ("en", None):
        for v in values:
            lang = (v.language or "").lower()
            if (want is None and not lang) or (want and lang.startswith(want)):
                return str(v)
    return str(values[0])


@dataclass
class GraphView:
    """The networkx projection plus the lookups the engine and the exporters need."""

    nx: nx.MultiDiGraph
    labels: dict[str, str]
    predicate_labels: dict[str, str]
    type_labels: dict[str, str] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        """The readable label of a node, predicate or class (local name as a fallback)."""
        if iri in self.labels:
            return self.labels[iri]
        if iri in self.predicate_labels:
            return self.predicate_labels[iri]
        return humanise(local_name(iri)) if iri.startswith(("http", "urn")) else iri

    def predicate_label(self, iri: str) -> str:
        """The readable verb phrase of a predicate."""
        return self.predicate_labels.get(iri) or humanise(local_name(iri))

    def node(self, iri: str) -> dict:
        """The attribute dict of a node (empty when absent)."""
        return self.nx.nodes[iri] if iri in self.nx else {}

    def broader(self, iri: str) -> list[str]:
        """Direct broader nodes (hierarchy edges point narrower -> broader)."""
        if iri not in self.nx:
            return []
        return sorted(
            {v for _, v, d in self.nx.out_edges(iri, data=True) if d.get("hierarchy")},
            key=self.label,
        )

    def narrower(self, iri: str) -> list[str]:
        """Direct narrower nodes."""
        if iri not in self.nx:
            return []
        return sorted(
            {u for u, _, d in self.nx.in_edges(iri, data=True) if d.get("hierarchy")},
            key=self.label,
        )

    def ancestors(self, iri: str) -> list[list[str]]:
        """Every broader chain from ``iri`` up to a top node (cycle-safe), shortest first."""
        chains: list[list[str]] = []
        stack: list[list[str]] = [[iri]]
        while stack and len(chains) < 32:
            path = stack.pop()
            ups = [b for b in self.broader(path[-1]) if b not in path]
            if not ups:
                if len(path) > 1:
                    chains.append(path)
                continue
            stack.extend(path + [b] for b in reversed(ups))
        return sorted(chains, key=len)

    def is_concept(self, iri: str) -> bool:
        """True for taxonomy concepts/classes, False for data nodes such as figures."""
        return bool(self.node(iri).get("concept"))


def build_view(graph: Graph) -> GraphView:
    """Build the networkx projection of ``graph``.

    Returns:
        A :class:`GraphView` whose nodes carry ``label``, ``alt_labels``, ``description``,
        ``descriptions``, ``types``, ``literals``, ``sources`` and ``concept`` attributes.
    """
    labels: dict[str, list[Literal]] = defaultdict(list)
    label_rank: dict[str, int] = {}
    alts: dict[str, list[str]] = defaultdict(list)
    descs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, list[tuple[str, str]]] = defaultdict(list)
    sources: dict[str, set[str]] = defaultdict(set)
    edges: list[tuple[str, str, str, bool]] = []
    schema_terms: set[str] = set()
    label_order = {str(p): i for i, p in enumerate(LABEL_PREDICATES)}
    desc_order = {str(p): i for i, p in enumerate(DESCRIPTION_PREDICATES)}
    hierarchy = {str(p): up for p, up in BROADER_PREDICATES}

    for s, p, o in graph:
        if not isinstance(s, URIRef | BNode):
            continue
        s_id, p_id = _node_id(s), str(p)
        if isinstance(o, Literal):
            if p in _LABEL_SET:
                rank = label_order[p_id]
                best = label_rank.get(s_id, 99)
                if rank < best:
                    label_rank[s_id] = rank
                    labels[s_id] = [o]
                elif rank == best:
                    labels[s_id].append(o)
            elif p in _ALT_SET:
                alts[s_id].append(str(o))
            elif p in _DESC_SET:
                if not o.language or o.language.lower().startswith("en"):
                    descs[s_id].append((desc_order[p_id], str(o)))
            else:
                literals[s_id].append((p_id, str(o)))
            continue
        o_id = _node_id(o)
        if p == RDF.type:
            types[s_id].add(o_id)
            if o in _SCHEMA_TYPES:
                schema_terms.add(s_id)
            continue
        if p in SOURCE_PREDICATES:
            sources[s_id].add(o_id)
            continue
        if p in _META_PREDICATES:
            continue
        if p_id in hierarchy:
            up = hierarchy[p_id]
            edges.append(
                (s_id, o_id, str(SKOS.broader) if not up else p_id, True)
                if up
                else (o_id, s_id, str(SKOS.broader), True)
            )
        else:
            edges.append((s_id, o_id, p_id, False))

    flat_labels = {k: _pick_lang(v) for k, v in labels.items()}
    predicate_labels = {t: flat_labels.get(t) or humanise(local_name(t)) for t in schema_terms}
    for _, _, p_id, _ in edges:
        predicate_labels.setdefault(p_id, flat_labels.get(p_id) or humanise(local_name(p_id)))
    predicate_labels[str(SKOS.broader)] = "is a kind of"
    predicate_labels[str(RDFS.subClassOf)] = "is a kind of"

    g = nx.MultiDiGraph()
    concept_ids = {s for s, ts in types.items() if ts & {str(t) for t in _CONCEPT_TYPES}}
    concept_ids |= {u for u, v, _, h in edges if h} | {v for u, v, _, h in edges if h}

    def add_node(n: str) -> None:
        if n in g or n in schema_terms:
            return
        ordered = [d for _, d in sorted(descs.get(n, []), key=lambda x: x[0])]
        g.add_node(
            n,
            label=flat_labels.get(n) or humanise(local_name(n)),
            alt_labels=sorted(set(alts.get(n, []))),
            description=ordered[0] if ordered else "",
            descriptions=ordered,
            types=sorted(types.get(n, set())),
            literals=sorted(literals.get(n, [])),
            sources=sorted(sources.get(n, set())),
            concept=n in concept_ids,
        )

    # Provenance targets (sections, documents) are where facts come from, not things to ask
    # about: they stay out of the view unless something else links to them.
    provenance = {t for targets in sources.values() for t in targets}
    for n in set(flat_labels) | set(descs) | concept_ids:
        if n in schema_terms or (n in provenance and n not in concept_ids):
            continue
        add_node(n)
    for u, v, p_id, is_h in edges:
        if u in schema_terms or v in schema_terms:
            continue
        if (u in provenance and u not in g) or (v in provenance and v not in g):
            continue
        add_node(u)
        add_node(v)
        g.add_edge(u, v, key=p_id, predicate=p_id, label=predicate_labels[p_id], hierarchy=is_h)

    type_labels = {
        t: flat_labels.get(t) or humanise(local_name(t)) for ts in types.values() for t in ts
    }
    return GraphView(
        nx=g, labels=flat_labels, predicate_labels=predicate_labels, type_labels=type_labels
    )


def _node_id(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)
