"""Find a concept from what a person types, and gather everything the graph says about it.

People name concepts loosely ("transformers", "Deep-Learning", ``ai:DeepLearning``, a full
IRI), so :func:`resolve` compares normalised forms of labels, alternative labels and local
names, and when nothing matches it suggests close names instead of failing silently.
:func:`describe` builds a :class:`ConceptCard` from the networkx view (labels, hierarchy,
relations, attached data nodes) and the rdflib graph (literal sources). Works on any SKOS
or OWL/RDFS graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import NotFoundError
from kg.fuzzy import close_matches
from kg.rdf.classes import concept_classes
from kg.rdf.terms import PREFIXES, SOURCE_PREDICATES
from kg.view.graph_view import GraphView, humanise, local_name
from kg.view.phrasing import predicate_phrase

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "Attribute",
    "ConceptCard",
    "DataNode",
    "ExternalLink",
    "NodeRef",
    "Relation",
    "Source",
    "describe",
    "graph_prefixes",
    "normalise",
    "resolve",
    "suggest",
]


@dataclass(frozen=True)
class NodeRef:
    """A node named by its IRI and readable label."""

    iri: str
    label: str


@dataclass(frozen=True)
class Relation:
    """A non-hierarchy edge seen from the described concept."""

    predicate: str
    predicate_label: str
    iri: str
    label: str


@dataclass(frozen=True)
class Attribute:
    """A literal value attached to a node (a number, a unit, a date)."""

    predicate: str
    name: str
    value: str


@dataclass(frozen=True)
class DataNode:
    """A figure or other data node attached to the concept, with its literal values."""

    iri: str
    label: str
    description: str
    predicate_label: str
    direction: str  # "out": concept -> node, "in": node -> concept
    attributes: list[Attribute] = field(default_factory=list)


@dataclass(frozen=True)
class ExternalLink:
    """A mapping link to a resource of another vocabulary that the graph does not describe."""

    predicate: str
    predicate_label: str
    iri: str


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a source node (titled via its label) or a literal citation."""

    iri: str | None
    title: str


@dataclass
class ConceptCard:
    """Everything worth showing about one concept, ready to print or serialise."""

    iri: str
    label: str
    alt_labels: list[str]
    types: list[str]
    definition: str
    broader_chains: list[list[str]]
    broader: list[NodeRef]
    narrower: list[NodeRef]
    relations_out: list[Relation]
    relations_in: list[Relation]
    figures: list[DataNode]
    attributes: list[Attribute]
    sources: list[Source]
    is_concept: bool = True
    external_links: list[ExternalLink] = field(default_factory=list)
    #: every name by language: {"de": {"pref": [...], "alt": [...]}, ...}; hidden labels
    #: (for search only) left out; "related" holds related synonyms
    names_by_language: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (field names as above)."""
        return asdict(self)


# --- resolving -------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def _singular(word: str) -> str:
    """Crude English singular, enough to make "transformers" find "Transformer"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise(text: str) -> str:
    """The comparison key of a name: case, spacing, hyphens, camelCase and plurals ignored.

    >>> normalise("Deep-Learning models") == normalise("deepLearningModel")
    True
    """
    words = _WORD.findall(humanise(text.strip()).lower())
    return "".join(_singular(w) for w in words)


def _candidates(view: GraphView) -> list[str]:
    """Named nodes a person can ask about (blank nodes have no name to type)."""
    return sorted(n for n in view.nx.nodes if not str(n).startswith("_:"))


def _indexed(view: GraphView, query: str, prefixes: Mapping[str, str] | None
             ) -> list[str] | None:
    """The only nodes :func:`resolve` can match ``query`` to, from a view that files its
    nodes by name (a store on disk: :meth:`~kg.view.lazy.LazyView.named`), so a large graph
    is not scanned; None when the view cannot say or nothing is filed (then every node is
    looked at, and the close names suggested)."""
    named = getattr(view, "named", None)
    if named is None:
        return None
    expanded = _expand(query, PREFIXES if prefixes is None else prefixes)
    local_query = query.rsplit(":", 1)[-1] if expanded or ":" in query else query
    found = named([query.casefold(), normalise(query), normalise(local_query),
                   *([expanded.casefold()] if expanded else [])])
    return sorted(found) if found else None


def _expand(text: str, prefixes: Mapping[str, str]) -> str | None:
    """``ai:DeepLearning`` -> full IRI when the prefix is known."""
    match = re.fullmatch(r"([A-Za-z][\w.-]*)?:([^\s/]+)", text)
    if not match:
        return None
    base = prefixes.get(match.group(1) or "")
    return base + match.group(2) if base else None


def resolve(
    view: GraphView,
    text: str,
    prefixes: Mapping[str, str] | None = None,
    *,
    among: Iterable[str] | None = None,
    what: str = "concept",
) -> str:
    """Turn a label, alt label, local name, prefixed name or IRI into a node IRI.

    The one resolver: every command that takes a name (``kg show``, ``kg path``,
    ``--focus``, ``--types``) comes through here. Exact forms win over loose ones (IRI,
    prefixed name, label, then normalised label, alt label, local name); within a tier,
    taxonomy concepts win over data nodes.

    Args:
        view: the graph view to search.
        text: what the user typed.
        prefixes: prefix -> namespace for prefixed names (default: the project's prefixes).
        among: the IRIs to choose from (default: every named node of the view), e.g. the
            classes of the graph.
        what: the word for what is looked up, in messages ("concept", "class").

    Raises:
        NotFoundError: nothing matches (the message suggests up to 5 close names), or the
            text matches several concepts equally well (the message lists them).
    """
    query = text.strip().strip("<>").strip()
    if not query:
        raise NotFoundError(f"no {what} given. Name one by its label, e.g. kg show 'Car'.")
    nodes = _indexed(view, query, prefixes) if among is None else None
    if nodes is None:
        nodes = _candidates(view) if among is None else sorted(set(among))
    node_set = set(nodes)
    if query in node_set:
        return query
    folded = [n for n in nodes if n.casefold() == query.casefold()]
    if len(folded) == 1:  # an IRI typed in another case ("https://EXAMPLE.org/...")
        return folded[0]
    expanded = _expand(query, PREFIXES if prefixes is None else prefixes)
    if expanded and expanded in node_set:
        return expanded
    local_query = query.rsplit(":", 1)[-1] if expanded or ":" in query else query
    key = normalise(query)
    local_key = normalise(local_query)
    tiers = [
        [n for n in nodes if view.label(n) == query],
        [n for n in nodes if key and normalise(view.label(n)) == key],
        [n for n in nodes if key and key in {normalise(a) for a in _alts(view, n)}],
        [n for n in nodes if local_key and normalise(local_name(n)) == local_key],
    ]
    for matches in tiers:
        if not matches:
            continue
        concepts = [n for n in matches if view.is_concept(n)] or matches
        if len(concepts) == 1:
            return concepts[0]
        listed = "; ".join(f"{view.label(n)} <{n}>" for n in concepts[:8])
        raise NotFoundError(
            f"{text!r} matches {len(concepts)} nodes: {listed}. Give the IRI to pick one."
        )
    hints = suggest(view, query, among=None if among is None else nodes)
    if hints:
        raise NotFoundError(f"no {what} matches {text!r}. Did you mean: {', '.join(hints)}?")
    raise NotFoundError(
        f"no {what} matches {text!r}. Check the spelling, or give the {what}'s IRI."
    )


def graph_prefixes(graph: Graph) -> dict[str, str]:
    """The project's prefixes plus those the graph's own files declare (theirs win)."""
    found = dict(PREFIXES)
    found.update({prefix: str(ns) for prefix, ns in graph.namespaces() if prefix})
    return found


def _alts(view: GraphView, iri: str) -> list[str]:
    return list(view.node(iri).get("alt_labels", []))


def suggest(
    view: GraphView, text: str, limit: int = 5, among: Iterable[str] | None = None
) -> list[str]:
    """Up to ``limit`` labels close to ``text``: containing it first, then by similarity
    (among the given IRIs, by default every named node)."""
    names: dict[str, str] = {}  # normalised -> label to show
    for n in _candidates(view) if among is None else among:
        label = view.label(n)
        names.setdefault(normalise(label), label)
        for alt in _alts(view, n):
            names.setdefault(normalise(alt), label)
    key = normalise(text)
    if not key:
        return []
    found: list[str] = []
    for norm in sorted(names, key=lambda k: (len(k), k)):
        if key in norm and names[norm] not in found:
            found.append(names[norm])
    for norm in close_matches(key, list(names), n=limit * 2, cutoff=0.6):
        if names[norm] not in found:
            found.append(names[norm])
    return found[:limit]


# --- describing ------------------------------------------------------------------------


_SOURCE_IRIS = {str(p) for p in SOURCE_PREDICATES}
# rdflib is imported by the functions that read the rdflib graph (describing a concept),
# not for resolving a name: `kg path` over an endpoint never loads it.


def _attributes(view: GraphView, iri: str) -> list[Attribute]:
    """Literal values of a node; literal citations are left to the sources list."""
    return [
        Attribute(predicate=p, name=view.predicate_label(p), value=v)
        for p, v in view.node(iri).get("literals", [])
        if p not in _SOURCE_IRIS
    ]


def _data_node(view: GraphView, iri: str, predicate: str, direction: str) -> DataNode:
    attrs = _attributes(view, iri)
    # Links from the data node to other nodes (e.g. a unit given as an IRI) are values too.
    for _, other, data in sorted(view.nx.out_edges(iri, data=True), key=lambda e: e[1]):
        if not data.get("hierarchy"):
            attrs.append(Attribute(data["predicate"], data["label"], view.label(other)))
    return DataNode(
        iri=iri,
        label=view.label(iri),
        description=view.node(iri).get("description", ""),
        predicate_label=view.predicate_label(predicate),
        direction=direction,
        attributes=attrs,
    )


def _sources(view: GraphView, graph: Graph, iri: str) -> list[Source]:
    from rdflib import Literal, URIRef

    from kg.rdf.namespaces import SOURCE_PREDICATES
    found: dict[tuple[str | None, str], Source] = {}
    for source in view.node(iri).get("sources", []):
        title = view.labels.get(source) or humanise(local_name(source))
        found[(source, title)] = Source(iri=source, title=title)
    subject = URIRef(iri)
    for predicate in SOURCE_PREDICATES:
        for obj in graph.objects(subject, predicate):
            if isinstance(obj, Literal):
                found[(None, str(obj))] = Source(iri=None, title=str(obj))
    return sorted(found.values(), key=lambda s: (s.title, s.iri or ""))


_RESTRICTION_WORDS = (("someValuesFrom", "some"), ("allValuesFrom", "only"),
                      ("hasValue", "value"), ("onClass", "some"))  # OWL terms


def _restrictions(view: GraphView, graph: Graph, iri: str) -> list[Relation]:
    """OWL restrictions on superclasses (``eats some Insect``), which the view cannot name."""
    from rdflib import BNode, Literal, URIRef

    from kg.rdf.namespaces import OWL, RDFS

    found: list[Relation] = []
    for sup in graph.objects(URIRef(iri), RDFS.subClassOf):
        if not isinstance(sup, BNode):
            continue
        prop = graph.value(sup, OWL.onProperty)
        if not isinstance(prop, URIRef):
            continue
        for term, word in _RESTRICTION_WORDS:
            target = graph.value(sup, OWL[term])
            if isinstance(target, URIRef):
                label = view.label(str(target))
                name = f"{view.predicate_label(str(prop))} ({word})"
                found.append(Relation(str(prop), name, str(target), label))
            elif isinstance(target, Literal):
                name = f"{view.predicate_label(str(prop))} ({word})"
                found.append(Relation(str(prop), name, "", str(target)))
    return found


def _mirrors(graph: Graph) -> dict[str, set[str]]:
    """Predicate -> predicates stating the same fact from the other end.

    Many vocabularies assert both directions (``uses`` / ``usedBy``, ``skos:related``); an
    incoming edge mirrored by an outgoing one adds nothing to the card.
    """
    from kg.rdf.namespaces import OWL, RDF, SKOS

    found: dict[str, set[str]] = {str(SKOS.related): {str(SKOS.related)}}
    for p, q in graph.subject_objects(OWL.inverseOf):
        found.setdefault(str(p), set()).add(str(q))
        found.setdefault(str(q), set()).add(str(p))
    for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
        found.setdefault(str(p), set()).add(str(p))
    return found


def _relation(view: GraphView, predicate: str, other: str) -> Relation:
    """A relation to ``other`` named by the predicate's verb phrase ("is in the group")."""
    return Relation(predicate, predicate_phrase(view, predicate), other, view.label(other))


def describe(view: GraphView, graph: Graph, iri: str) -> ConceptCard:
    """Gather the card of ``iri`` (resolve the user's text with :func:`resolve` first).

    Raises:
        NotFoundError: ``iri`` is not a node of the view.
    """
    if iri not in view.nx:
        raise NotFoundError(f"<{iri}> is not in the graph. Use kg show with a label to search.")
    attrs = view.node(iri)
    # Anonymous superclasses (OWL restrictions) have no name to draw in a chain.
    chains = [
        [view.label(n) for n in reversed(chain)]
        for chain in view.ancestors(iri)
        if not any(n.startswith("_:") for n in chain)
    ]
    # hidden labels are for search: never shown as another name
    hidden = {t for _, kind, t in attrs.get("lang_labels", []) if kind == "hidden"}
    out_rel: list[Relation] = _restrictions(view, graph, iri)
    concept_types = concept_classes(graph)
    in_rel: list[Relation] = []
    figures: list[DataNode] = []
    for _, other, data in view.nx.out_edges(iri, data=True):
        if data.get("hierarchy") or other.startswith("_:"):
            continue
        if view.is_data(other, carrying="literals", concept_types=concept_types):
            figures.append(_data_node(view, other, data["predicate"], "out"))
        else:
            out_rel.append(_relation(view, data["predicate"], other))
    mirrors = _mirrors(graph)
    stated = {(r.iri, r.predicate) for r in out_rel}
    for other, _, data in view.nx.in_edges(iri, data=True):
        if data.get("hierarchy") or other.startswith("_:"):
            continue
        if view.is_data(other, carrying="literals", concept_types=concept_types):
            figures.append(_data_node(view, other, data["predicate"], "in"))
        elif not any((other, q) in stated for q in mirrors.get(data["predicate"], ())):
            in_rel.append(_relation(view, data["predicate"], other))

    def rel_key(r: Relation) -> tuple[str, str, str]:
        return (r.predicate_label, r.label, r.iri)

    return ConceptCard(
        iri=iri,
        label=view.label(iri),
        alt_labels=[a for a in attrs.get("alt_labels", []) if a not in hidden],
        types=sorted({view.type_labels.get(t) or view.label(t) for t in attrs.get("types", [])}),
        definition=attrs.get("description", ""),
        broader_chains=chains,
        broader=[NodeRef(b, view.label(b)) for b in view.broader(iri) if not b.startswith("_:")],
        narrower=[NodeRef(n, view.label(n)) for n in view.narrower(iri)],
        relations_out=sorted(set(out_rel), key=rel_key),
        relations_in=sorted(set(in_rel), key=rel_key),
        figures=sorted(
            {f.iri: f for f in sorted(figures, key=lambda f: f.direction, reverse=True)}.values(),
            key=lambda f: (f.label, f.iri),
        ),
        attributes=_attributes(view, iri),
        sources=_sources(view, graph, iri),
        is_concept=view.is_concept(iri) or bool(concept_types & set(attrs.get("types", []))),
        external_links=[
            ExternalLink(p, view.predicate_label(p), o)
            for p, o in sorted(attrs.get("external", []), key=lambda x: (x[1], x[0]))
        ],
        names_by_language=_names_by_language(attrs.get("lang_labels", [])),
    )


def _names_by_language(rows: list[tuple[str, str, str]]) -> dict[str, dict[str, list[str]]]:
    """Names grouped by language tag ("" for untagged) and kind, hidden labels left out."""
    out: dict[str, dict[str, list[str]]] = {}
    for lang, kind, text in sorted(rows):
        if kind != "hidden":
            out.setdefault(lang, {}).setdefault(kind, []).append(text)
    return out
