"""Project the rdflib graph onto a networkx ``MultiDiGraph`` (read-only, pure).

Nodes are the named resources a person would talk about (concepts, classes, individuals,
data nodes such as figures); literals become node attributes, never nodes. Edges carry the
predicate IRI, its readable label and whether it is a hierarchy edge (``skos:broader``,
``rdfs:subClassOf``; ``skos:narrower`` is turned around so hierarchy edges always point
from the narrower to the broader node). Works on any SKOS or OWL/RDFS graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.gcpause import gc_paused
from kg.rdf.labels import humanise, local_name
from kg.rdf.literals import has_markup, plain_text
from kg.rdf.terms import (
    ALT_LABEL_PREDICATES,
    BROADER_PREDICATES,
    DEPRECATED,
    DESCRIPTION_PREDICATES,
    HIDDEN_LABEL_PREDICATES,
    LABEL_PREDICATES,
    MAPPING_PREDICATES,
    META_PREDICATES,
    NOTE_PREDICATES,
    OWL,
    RDF,
    RDFS,
    RELATED_SYNONYM_PREDICATES,
    REPLACED_BY_PREDICATES,
    SKOS,
    SKOSXL,
    SOURCE_PREDICATES,
    XL_LABEL_PREDICATES,
)
from kg.rdf.triples import RawTriple, raw_triples
from kg.view.labels import (
    DEFAULT_LANG,
    is_obsolete_label,
    is_placeholder,
    lang_tier,
    pick,
    readable_local_name,
    retirements,
    tagged_names,
)

if TYPE_CHECKING:
    from rdflib import Graph

# humanise and local_name live in kg.rdf.labels; they are named here too because every
# face that holds a view also names IRIs with them.
__all__ = ["GraphView", "assemble", "build_view", "degree_at", "degree_counts", "humanise",
           "local_name", "node_attrs", "node_row", "view_from_triples"]

_S = str
# Predicates whose objects are bookkeeping, not facts a person asks about.
_META_PREDICATES = {_S(p) for p in META_PREDICATES}
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
_HIDDEN_SET = {_S(p) for p in HIDDEN_LABEL_PREDICATES}
_RELATED_SET = {_S(p) for p in RELATED_SYNONYM_PREDICATES}
_DESC_ORDER = {_S(p): i for i, p in enumerate(DESCRIPTION_PREDICATES)}
_SOURCE_SET = {_S(p) for p in SOURCE_PREDICATES}
_NOTE_SET = {_S(p) for p in NOTE_PREDICATES}
_XL = {_S(p): kind for p, kind in XL_LABEL_PREDICATES.items()}
_XL_FORM = _S(SKOSXL.literalForm)
_REPLACED_SET = {_S(p) for p in REPLACED_BY_PREDICATES}
_DEPRECATED = _S(DEPRECATED)
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
    #: Deprecated terms left out of the view: ``{iri: [name, replacing iri or ""]}``.
    retired: dict[str, list[str]] = field(default_factory=dict)
    _members: dict[str, set[str]] | None = field(default=None, init=False, repr=False,
                                                 compare=False)

    def label(self, iri: str) -> str:
        """The readable label of a node, predicate or class (local name as a fallback)."""
        if iri in self.labels:
            return self.labels[iri]
        if iri in self.predicate_labels:
            return self.predicate_labels[iri]
        if iri in self.nx:
            return self.nx.nodes[iri]["label"]  # "unnamed concept 15028", never the IRI
        if iri.startswith("_:"):
            return "an unnamed node"
        return readable_local_name(iri) or humanise(local_name(iri))

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

    def replacement(self, iri: str) -> str:
        """The live term replacing a deprecated ``iri`` ("" when none is recorded)."""
        entry = self.retired.get(iri)
        return entry[1] if entry else ""

    def is_concept(self, iri: str) -> bool:
        """True for taxonomy concepts/classes, False for data nodes such as figures."""
        return bool(self.node(iri).get("concept"))

    def is_data(self, iri: str, carrying: str = "",
                concept_types: Collection[str] = ()) -> bool:
        """A data node (figure, table cell, claim): not a taxonomy concept, and it speaks for
        itself in prose or in literal values. The one definition every module uses.

        ``carrying`` ("description" or "literals") keeps only the nodes that speak in that
        form (the walk quotes prose, a concept card tabulates values); ``concept_types``
        names more classes that make a node a concept (subclasses of ``skos:Concept``,
        known from the RDF graph: :func:`kg.rdf.classes.concept_classes`)."""
        data = self.node(iri)
        if data.get("concept") or not (data.get("description") or data.get("literals")):
            return False
        if carrying and not data.get(carrying):
            return False
        return not (concept_types and set(concept_types) & set(data.get("types", ())))

    def members(self, type_iri: str) -> set[str]:
        """Nodes typed with ``type_iri`` (the type table is built on first use)."""
        if self._members is None:
            table: dict[str, set[str]] = {}
            for n, data in self.nx.nodes(data=True):
                for t in data.get("types", []):
                    table.setdefault(t, set()).add(n)
            self._members = table
        return self._members.get(type_iri, set())

    def prefetch(self, iris: Iterable[str]) -> None:
        """Read these nodes ahead, when reading them one by one costs more (a view over a
        SPARQL endpoint fetches them in one request); nothing to do for a view in memory."""

    def degree_at(self, share: float) -> int:
        """The node degree at ``share`` (0..1) of the sorted degrees: where hubs start."""
        return degree_at(degree_counts(self.nx), share)

    # ---------------------------------------------------------------- snapshots
    def to_data(self) -> dict[str, Any]:
        """Everything in the view as plain JSON-able lists and dicts (see :meth:`from_data`).

        Nodes are rows ``[iri, label, alt_labels, descriptions, types, literals, sources,
        concept, external, names]`` and edges rows ``[u, v, predicate, hierarchy]``:
        compact, and rebuilt far faster than parsing the RDF again.
        """
        nodes = [node_row(n, d) for n, d in self.nx.nodes(data=True)]
        edges = sorted(
            [u, v, d["predicate"], int(d["hierarchy"])] for u, v, d in self.nx.edges(data=True)
        )
        return {
            "kind": SNAPSHOT_KIND,
            "labels": self.labels,
            "predicate_labels": self.predicate_labels,
            "type_labels": self.type_labels,
            "retired": self.retired,
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
            nodes = {row[0]: node_attrs(row) for row in data["nodes"]}
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
                retired={k: list(v) for k, v in data["retired"].items()},
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ValueError(f"malformed view snapshot ({type(exc).__name__}: {exc})") from None


def node_row(iri: str, d: dict[str, Any]) -> list[Any]:
    """The :meth:`GraphView.to_data` row of one node (the inverse of :func:`node_attrs`)."""
    return [iri, d["label"], d["alt_labels"], d["descriptions"], d["types"], d["literals"],
            d["sources"], int(d["concept"]), d["external"], d["names"],
            d.get("lang_labels", [])]


def node_attrs(row: list[Any]) -> dict[str, Any]:
    """A node's attribute dict from its :meth:`GraphView.to_data` row (the one decoder of
    stored nodes: snapshots and the on-disk store share it)."""
    _, label, alts, descs, types, literals, sources, concept, external, names = row[:10]
    tagged = row[10] if len(row) > 10 else []
    return {
        "label": label,
        "alt_labels": alts,
        "names": names,
        "description": descs[0] if descs else "",
        "descriptions": descs,
        "types": types,
        "literals": [(p, v) for p, v in literals],
        "sources": sources,
        "concept": bool(concept),
        "external": [(p, o) for p, o in external],
        "lang_labels": [(g, k, t) for g, k, t in tagged],
    }


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


def degree_counts(g: nx.MultiDiGraph) -> dict[int, int]:
    """How many nodes have each degree (in plus out edges)."""
    counts: dict[int, int] = defaultdict(int)
    for _, d in g.degree():
        counts[d] += 1
    return dict(counts)


def degree_at(counts: dict[int, int], share: float) -> int:
    """``sorted(degrees)[int(len(degrees) * share)]`` from :func:`degree_counts` (0 when
    there are no nodes)."""
    total = sum(counts.values())
    if not total:
        return 0
    rank = int(total * share)
    seen = 0
    for degree in sorted(counts):
        seen += counts[degree]
        if seen > rank:
            return degree
    return max(counts)


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


def build_view(graph: Graph, lang: str = DEFAULT_LANG) -> GraphView:
    """Build the networkx projection of an rdflib ``graph`` (see :func:`view_from_triples`)."""
    return view_from_triples(raw_triples(graph), lang)


@gc_paused()
def view_from_triples(triples: Iterable[RawTriple], lang: str = DEFAULT_LANG) -> GraphView:
    """Build the networkx projection from plain-string triples.

    ``lang`` picks the language of the labels and descriptions shown (then untagged, then
    any); labels in every language are kept in ``names`` for linking. Blank nodes never
    become nodes (OWL restrictions, notes held on blank nodes), SKOS-XL labels are read
    through their resources, and deprecated terms are left out, remembered in
    :attr:`GraphView.retired` with the term that replaces them.

    Returns:
        A :class:`GraphView` whose nodes carry ``label``, ``alt_labels``, ``names``,
        ``description``, ``descriptions``, ``types``, ``literals``, ``sources``, ``concept``
        and ``external`` attributes. ``external`` holds the ``(predicate, IRI)`` mapping
        links (see
        :data:`~kg.rdf.terms.MAPPING_PREDICATES`) to resources the graph does not describe:
        links into other vocabularies, kept on their node so they never become nodes of
        their own (nothing to say about them, nothing for the walk to follow).
    """
    want = (lang or DEFAULT_LANG).lower()
    labels: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    alts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    descs: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, list[tuple[str, str]]] = defaultdict(list)
    sources: dict[str, set[str]] = defaultdict(set)
    edges: list[tuple[str, str, str, bool]] = []
    schema_terms: set[str] = set()
    mappings: list[tuple[str, str, str]] = []
    xl_links: list[tuple[str, str, str]] = []
    xl_forms: dict[str, list[tuple[str, str]]] = defaultdict(list)
    # every name with its language and kind ("pref", "alt", "hidden", "related"): what a
    # person asks for when asking a label in French or the other names of a concept
    tagged: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    deprecated: set[str] = set()
    replaced_by: dict[str, str] = {}

    for s_id, p_id, o, is_literal, o_lang in triples:
        if is_literal:
            if p_id == _XL_FORM:
                xl_forms[s_id].append((o, o_lang))
                continue
            if s_id[:2] == "_:":
                continue  # notes and annotations held on blank nodes are not facts
            rank = _LABEL_ORDER.get(p_id)
            if rank is not None:
                labels[s_id].append((rank, o, o_lang))
                tagged[s_id].add((o_lang or "", "pref", o))
            elif p_id in _ALT_SET:
                alts[s_id].append((o, o_lang))
                tagged[s_id].add((o_lang or "", "hidden" if p_id in _HIDDEN_SET else "alt", o))
            elif p_id in _DESC_ORDER:
                descs[s_id].append((_DESC_ORDER[p_id], o, o_lang))
            elif p_id == _DEPRECATED:
                if o.strip().lower() in ("true", "1"):
                    deprecated.add(s_id)
            elif p_id in _REPLACED_SET:
                replaced_by[s_id] = o
            else:
                if p_id in _RELATED_SET:
                    tagged[s_id].add((o_lang or "", "related", o))
                literals[s_id].append((p_id, o))
            continue
        xl = _XL.get(p_id)
        if xl is not None:
            xl_links.append((s_id, xl, o))
            continue
        if s_id[:2] == "_:" or o[:2] == "_:":
            continue  # class expressions and blank-node notes: never cited as a node
        if p_id == _RDF_TYPE:
            types[s_id].add(o)
            if o in _SCHEMA_TYPES:
                schema_terms.add(s_id)
            continue
        if p_id in _SOURCE_SET:
            sources[s_id].add(o)
            continue
        if p_id in _REPLACED_SET:
            replaced_by[s_id] = o
            continue
        if p_id in _META_PREDICATES or p_id in _NOTE_SET:
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
    for s_id, kind, label_node in xl_links:
        for text, tag in xl_forms.get(label_node, ()):
            if kind == "pref":
                labels[s_id].append((0, text, tag))
            else:
                alts[s_id].append((text, tag))
            tagged[s_id].add((tag or "", kind, text))

    flat_labels: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    shown_alts: dict[str, list[str]] = {}
    for k, rows in labels.items():
        if len(rows) == 1:  # most nodes: one label, nothing to choose
            flat_labels[k] = rows[0][1]
            continue
        shown = rows[pick(rows, want)]
        flat_labels[k] = shown[1]
        other = {t for _, t, _ in rows if t != shown[1]}
        if other:
            names[k] = sorted(other)
    for k, rows in alts.items():
        tiers = {lang_tier(g, want) for _, g in rows}
        best = min(tiers)
        keep = {t for t, g in rows if lang_tier(g, want) <= max(best, 1)}
        shown_alts[k] = sorted(keep)
        rest = {t for t, g in rows if t not in keep}
        if rest:
            names[k] = sorted(set(names.get(k, ())) | rest)

    # Deprecated terms: flagged, replaced, or labelled "obsolete ...".
    deprecated |= {k for k, label in flat_labels.items() if is_obsolete_label(label)}
    deprecated |= {k for k in replaced_by if k in flat_labels or k in descs}
    retired = retirements(deprecated, replaced_by, flat_labels)

    def readable(iri: str) -> str:
        return flat_labels.get(iri) or readable_local_name(iri) or humanise(local_name(iri))

    predicate_labels = {t: readable(t) for t in schema_terms}
    for p_id in {e[2] for e in edges}:
        if p_id not in predicate_labels:
            predicate_labels[p_id] = flat_labels.get(p_id) or humanise(local_name(p_id))
    predicate_labels[_BROADER] = "is a kind of"
    predicate_labels[_SUBCLASS] = "is a kind of"

    concept_ids = {s for s, ts in types.items() if ts & _CONCEPT_TYPES}
    concept_ids |= {u for u, v, _, h in edges if h} | {v for u, v, _, h in edges if h}
    concept_ids -= deprecated
    empty: list[Any] = []

    def unnamed(iri: str) -> str:
        # "unnamed concept 15028": readable, and plainly not a name from the graph
        kind = "concept" if iri in concept_ids else "node"
        return f"unnamed {kind} {local_name(iri)}"

    def name_of(iri: str) -> str | None:
        return flat_labels.get(iri) if iri not in deprecated else None

    def described(n: str) -> list[str]:
        rows = [r for r in descs[n] if not is_placeholder(r[1])]
        if not rows:
            return []
        if len(rows) == 1:
            text = rows[0][1]
            text = plain_text(text, name_of) if has_markup(text) else " ".join(text.split())
            return [text] if text else []
        tier = min(lang_tier(g, want) for _, _, g in rows)
        out = []
        for _, text, g in sorted(rows, key=lambda r: (r[0], r[1])):
            if lang_tier(g, want) == tier:
                text = plain_text(text, name_of) if has_markup(text) else " ".join(text.split())
                if text and text not in out:
                    out.append(text)
        return out

    relabelled: set[str] = set()  # labels whose markup was rendered away

    def attrs(n: str) -> dict[str, Any]:
        ordered = described(n) if n in descs else []
        label = flat_labels.get(n) or readable_local_name(n) or unnamed(n)
        if has_markup(label):
            label = plain_text(label) or label
            relabelled.add(n)
        return {
            "label": label,
            "alt_labels": shown_alts[n] if n in shown_alts else empty.copy(),
            "names": names[n] if n in names else empty.copy(),
            "description": ordered[0] if ordered else "",
            "descriptions": ordered,
            "types": sorted(types[n]) if n in types else empty.copy(),
            "literals": sorted(literals[n]) if n in literals else empty.copy(),
            "sources": sorted(sources[n]) if n in sources else empty.copy(),
            "concept": n in concept_ids,
            "external": external[n] if n in external else empty.copy(),
            "lang_labels": tagged_names(tagged.get(n)),
        }

    # Provenance targets (sections, documents) are where facts come from, not things to ask
    # about: they stay out of the view unless something else links to them.
    provenance = {t for targets in sources.values() for t in targets}
    left_out = schema_terms | deprecated
    # Sorted, so the view (and every order derived from it) is the same whichever store the
    # triples came from and whatever the hash seed; snapshots rebuild this order exactly.
    nodes = {
        n: attrs(n)
        for n in sorted(set(flat_labels) | set(descs) | concept_ids | set(external))
        if n not in left_out and not (n in provenance and n not in concept_ids)
    }
    kept = []
    for u, v, p_id, is_h in sorted(set(edges)):
        if u in left_out or v in left_out:
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

    # Names the graph gives only by a readable local name ("FinancialProduct") count as
    # labels: people type them, and they are never a raw IRI.
    shown_labels = {k: v for k, v in flat_labels.items() if k not in deprecated}
    for n in nodes.keys() - shown_labels.keys():
        if readable_local_name(n):
            shown_labels[n] = nodes[n]["label"]
    for n in relabelled:
        if n in nodes:
            shown_labels[n] = nodes[n]["label"]
    type_labels = {t: readable(t) for t in set().union(*types.values())}
    return GraphView(
        nx=g,
        labels=shown_labels,
        predicate_labels=predicate_labels,
        type_labels=type_labels,
        retired={k: v for k, v in retired.items() if not v[1] or v[1] in nodes},
    )

