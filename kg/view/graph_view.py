"""Project the rdflib graph onto a networkx ``MultiDiGraph`` (read-only, pure).

Nodes are the named resources a person would talk about (concepts, classes, individuals,
data nodes such as figures); literals become node attributes, never nodes. Edges carry the
predicate IRI, its readable label and whether it is a hierarchy edge (``skos:broader``,
``rdfs:subClassOf``; ``skos:narrower`` is turned around so hierarchy edges always point
from the narrower to the broader node). Works on any SKOS or OWL/RDFS graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.gcpause import gc_paused
from kg.rdf.labels import humanise, local_name, pick_label
from kg.rdf.terms import (
    ALT_LABEL_PREDICATES,
    BROADER_PREDICATES,
    DESCRIPTION_PREDICATES,
    LABEL_PREDICATES,
    MAPPING_PREDICATES,
    OWL,
    RDF,
    RDFS,
    SKOS,
    SOURCE_PREDICATES,
)
from kg.rdf.triples import RawTriple, raw_triples

if TYPE_CHECKING:
    from rdflib import Graph

# humanise and local_name live in kg.rdf.labels; they are named here too because every
# face that holds a view also names IRIs with them.
__all__ = [
    "GraphView",
    "assemble",
    "build_view",
    "humanise",
    "local_name",
    "view_from_triples",
]

_S = str
# Predicates whose objects are bookkeeping, not facts a person asks about.
_META_PREDICATES = {
    _S(p)
    for p in (
        RDF.type,
        SKOS.inScheme,
        SKOS.topConceptOf,
        SKOS.hasTopConcept,
        RDFS.domain,
        RDFS.range,
        RDFS.isDefinedBy,
        OWL.inverseOf,
        OWL.equivalentProperty,
        OWL.equivalentClass,
        RDFS.subPropertyOf,
        OWL.imports,
        *SOURCE_PREDICATES,
    )
}
_SCHEMA_TYPES = {
    _S(t)
    for t in (
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
    )
}
_CONCEPT_TYPES = {_S(t) for t in (SKOS.Concept, OWL.Class, RDFS.Class)}
_LABEL_ORDER = {_S(p): i for i, p in enumerate(LABEL_PREDICATES)}
_ALT_SET = {_S(p) for p in ALT_LABEL_PREDICATES}
_DESC_ORDER = {_S(p): i for i, p in enumerate(DESCRIPTION_PREDICATES)}
_SOURCE_SET = {_S(p) for p in SOURCE_PREDICATES}
_HIERARCHY = {_S(p): up for p, up in BROADER_PREDICATES}
_MAPPING = {_S(p) for p in MAPPING_PREDICATES}
_RDF_TYPE = _S(RDF.type)
_BROADER = _S(SKOS.broader)
_SUBCLASS = _S(RDFS.subClassOf)
SNAPSHOT_KIND = "kg-view"


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

    def is_data(self, iri: str) -> bool:
        """A data node (figure, table cell, claim): not a taxonomy concept, and it speaks for
        itself in prose or in literal values. The one definition every module uses."""
        data = self.node(iri)
        return not data.get("concept") and bool(data.get("description") or data.get("literals"))

    # ---------------------------------------------------------------- snapshots
    def to_data(self) -> dict[str, Any]:
        """Everything in the view as plain JSON-able lists and dicts (see :meth:`from_data`).

        Nodes are rows ``[iri, label, alt_labels, descriptions, types, literals, sources,
        concept, external]`` and edges rows ``[u, v, predicate, hierarchy]``: compact, and rebuilt
        far faster than parsing the RDF again.
        """
        nodes = [
            [
                n,
                d["label"],
                d["alt_labels"],
                d["descriptions"],
                d["types"],
                d["literals"],
                d["sources"],
                int(d["concept"]),
                d["external"],
            ]
            for n, d in self.nx.nodes(data=True)
        ]
        edges = sorted(
            [u, v, d["predicate"], int(d["hierarchy"])] for u, v, d in self.nx.edges(data=True)
        )
        return {
            "kind": SNAPSHOT_KIND,
            "labels": self.labels,
            "predicate_labels": self.predicate_labels,
            "type_labels": self.type_labels,
            "nodes": nodes,
            "edges": edges,
        }

    @classmethod
    @gc_paused()
    def from_data(cls, data: dict[str, Any]) -> GraphView:
        """Rebuild a view from :meth:`to_data` output; raises ValueError when malformed."""
        try:
            if data.get("kind") != SNAPSHOT_KIND:
                raise ValueError("not a view snapshot")
            predicate_labels = dict(data["predicate_labels"])
            nodes = {
                n: {
                    "label": label,
                    "alt_labels": alts,
                    "description": descs[0] if descs else "",
                    "descriptions": descs,
                    "types": types,
                    "literals": [(p, v) for p, v in literals],
                    "sources": sources,
                    "concept": bool(concept),
                    "external": [(p, o) for p, o in external],
                }
                for n, label, alts, descs, types, literals, sources, concept, external in data[
                    "nodes"
                ]
            }
            g = assemble(
                nodes,
                (
                    (u, v, p, {"predicate": p, "label": predicate_labels[p], "hierarchy": bool(h)})
                    for u, v, p, h in data["edges"]
                ),
            )
            return cls(
                nx=g,
                labels=dict(data["labels"]),
                predicate_labels=predicate_labels,
                type_labels=dict(data["type_labels"]),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed view snapshot ({type(exc).__name__}: {exc})") from None


def assemble(
    nodes: dict[str, dict[str, Any]],
    edges: Iterable[tuple[str, str, str, dict[str, Any]]],
) -> nx.MultiDiGraph:
    """A ``MultiDiGraph`` holding ``nodes`` (in order) and keyed ``edges``, filled directly.

    Equal to ``add_nodes_from`` then ``add_edges_from`` (a test checks it), at a fraction
    of the cost for a million-triple graph: it writes networkx's documented
    dict-of-dict-of-dict-of-dict adjacency itself instead of calling ``add_edge`` per
    edge. Raises ValueError when an edge names a node not in ``nodes``.
    """
    g = nx.MultiDiGraph()
    node, succ, pred = g._node, g._succ, g._pred
    for n, attrs in nodes.items():
        node[n] = attrs
        succ[n] = {}
        pred[n] = {}
    for u, v, key, attrs in edges:
        out = succ.get(u)
        if out is None or v not in node:
            raise ValueError(f"the edge {u} -> {v} names a node the view does not hold")
        keys = out.get(v)
        if keys is None:
            keys = out[v] = {}
            pred[v][u] = keys
        keys[key] = attrs
    return g


def _split_mappings(
    mappings: list[tuple[str, str, str]],
    edges: list[tuple[str, str, str, bool]],
    described_by: tuple[dict[str, Any], ...],
) -> dict[str, list[tuple[str, str]]]:
    """Mapping links to described resources join ``edges``; the rest are returned per node.

    A target is described when the graph says anything about it (a label, a description,
    a type, a literal) or it is an end of another edge: then it is a node and the link a
    relation like any other.
    """
    if not mappings:
        return {}
    described = {n for table in described_by for n in table}
    described |= {e[0] for e in edges} | {e[1] for e in edges}
    external: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s_id, o, p_id in sorted(set(mappings)):
        if o in described:
            edges.append((s_id, o, p_id, False))
        else:
            external[s_id].append((p_id, o))
    return dict(external)


def build_view(graph: Graph) -> GraphView:
    """Build the networkx projection of an rdflib ``graph`` (see :func:`view_from_triples`)."""
    return view_from_triples(raw_triples(graph))


@gc_paused()
def view_from_triples(triples: Iterable[RawTriple]) -> GraphView:
    """Build the networkx projection from plain-string triples.

    Returns:
        A :class:`GraphView` whose nodes carry ``label``, ``alt_labels``, ``description``,
        ``descriptions``, ``types``, ``literals``, ``sources``, ``concept`` and ``external``
        attributes. ``external`` holds the ``(predicate, IRI)`` mapping links (see
        :data:`~kg.rdf.terms.MAPPING_PREDICATES`) to resources the graph does not describe:
        links into other vocabularies, kept on their node so they never become nodes of
        their own (nothing to say about them, nothing for the walk to follow).
    """
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    label_rank: dict[str, int] = {}
    alts: dict[str, list[str]] = defaultdict(list)
    descs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, list[tuple[str, str]]] = defaultdict(list)
    sources: dict[str, set[str]] = defaultdict(set)
    edges: list[tuple[str, str, str, bool]] = []
    schema_terms: set[str] = set()
    mappings: list[tuple[str, str, str]] = []

    for s_id, p_id, o, is_literal, lang in triples:
        if is_literal:
            rank = _LABEL_ORDER.get(p_id)
            if rank is not None:
                best = label_rank.get(s_id, 99)
                if rank < best:
                    label_rank[s_id] = rank
                    labels[s_id] = [(o, lang)]
                elif rank == best:
                    labels[s_id].append((o, lang))
            elif p_id in _ALT_SET:
                alts[s_id].append(o)
            elif p_id in _DESC_ORDER:
                if not lang or lang.startswith("en"):
                    descs[s_id].append((_DESC_ORDER[p_id], o))
            else:
                literals[s_id].append((p_id, o))
            continue
        if p_id == _RDF_TYPE:
            types[s_id].add(o)
            if o in _SCHEMA_TYPES:
                schema_terms.add(s_id)
            continue
        if p_id in _SOURCE_SET:
            sources[s_id].add(o)
            continue
        if p_id in _META_PREDICATES:
            continue
        if p_id in _MAPPING:
            mappings.append((s_id, o, p_id))
            continue
        up = _HIERARCHY.get(p_id)
        if up is None:
            edges.append((s_id, o, p_id, False))
        elif up:
            edges.append((s_id, o, p_id, True))
        else:
            edges.append((o, s_id, _BROADER, True))

    external = _split_mappings(mappings, edges, (labels, descs, types, literals, alts))
    flat_labels = {k: pick_label(sorted(v)) for k, v in labels.items()}
    predicate_labels = {t: flat_labels.get(t) or humanise(local_name(t)) for t in schema_terms}
    for p_id in {e[2] for e in edges}:
        if p_id not in predicate_labels:
            predicate_labels[p_id] = flat_labels.get(p_id) or humanise(local_name(p_id))
    predicate_labels[_BROADER] = "is a kind of"
    predicate_labels[_SUBCLASS] = "is a kind of"

    concept_ids = {s for s, ts in types.items() if ts & _CONCEPT_TYPES}
    concept_ids |= {u for u, v, _, h in edges if h} | {v for u, v, _, h in edges if h}
    empty: list[Any] = []

    def attrs(n: str) -> dict[str, Any]:
        ordered = [d for _, d in sorted(descs[n])] if n in descs else []
        return {
            "label": flat_labels.get(n) or humanise(local_name(n)),
            "alt_labels": sorted(set(alts[n])) if n in alts else empty.copy(),
            "description": ordered[0] if ordered else "",
            "descriptions": ordered,
            "types": sorted(types[n]) if n in types else empty.copy(),
            "literals": sorted(literals[n]) if n in literals else empty.copy(),
            "sources": sorted(sources[n]) if n in sources else empty.copy(),
            "concept": n in concept_ids,
            "external": external[n] if n in external else empty.copy(),
        }

    # Provenance targets (sections, documents) are where facts come from, not things to ask
    # about: they stay out of the view unless something else links to them.
    provenance = {t for targets in sources.values() for t in targets}
    # Sorted, so the view (and every order derived from it) is the same whichever store the
    # triples came from and whatever the hash seed; snapshots rebuild this order exactly.
    nodes = {
        n: attrs(n)
        for n in sorted(set(flat_labels) | set(descs) | concept_ids | set(external))
        if n not in schema_terms and not (n in provenance and n not in concept_ids)
    }
    kept = []
    for u, v, p_id, is_h in sorted(set(edges)):
        if u in schema_terms or v in schema_terms:
            continue
        if (u in provenance and u not in nodes) or (v in provenance and v not in nodes):
            continue
        for n in (u, v):
            if n not in nodes:
                nodes[n] = attrs(n)
        kept.append(
            (u, v, p_id, {"predicate": p_id, "label": predicate_labels[p_id], "hierarchy": is_h})
        )
    g = assemble(nodes, kept)

    type_labels = {
        t: flat_labels.get(t) or humanise(local_name(t)) for t in set().union(*types.values())
    }
    return GraphView(
        nx=g, labels=flat_labels, predicate_labels=predicate_labels, type_labels=type_labels
    )
