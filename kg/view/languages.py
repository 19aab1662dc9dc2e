"""What the graph says about a term in every language, and how the graph is organised.

The view (:mod:`kg.view.graph_view`) keeps one language: the labels and definitions of
``--lang``. A taxonomy browser shows more: a concept's labels in every language the graph
holds, its notes for readers, its mappings, and the schemes and collections the concepts
are organised in (concept schemes are left out of the view, being bookkeeping to the
question answerer). These read the rdflib graph directly, one term at a time, so they cost
nothing until a page asks for them; the per-language label table is built once per
language by the caller that keeps it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef

from kg.rdf.terms import (
    ALT_LABEL_PREDICATES,
    DESCRIPTION_PREDICATES,
    LABEL_PREDICATES,
    MAPPING_PREDICATES,
    OWL,
    RDF,
    RDFS,
    SKOS,
)

__all__ = [
    "NOTE_KINDS",
    "Collection",
    "Scheme",
    "TermTexts",
    "class_iris",
    "collections",
    "label_languages",
    "labels_in",
    "schemes",
    "term_texts",
    "used_as_type",
]

_U = URIRef
_PREF = [_U(p) for p in LABEL_PREDICATES]
_ALT = [_U(p) for p in ALT_LABEL_PREDICATES]
_DEFINITIONS = [_U(p) for p in DESCRIPTION_PREDICATES if p != SKOS.scopeNote]
#: Notes written for readers of the vocabulary (editorial and change notes are for its
#: editors and stay out of the page), with the heading a page gives them.
NOTE_KINDS = {
    _U(SKOS.scopeNote): "Scope note",
    _U(SKOS.note): "Note",
    _U(SKOS.example): "Example",
    _U(SKOS.historyNote): "History note",
}
_MAPPINGS = [_U(p) for p in MAPPING_PREDICATES]
_NOTATION = _U(SKOS.notation)
SKOS_IN_SCHEME = _U(SKOS.inScheme)
SKOS_TOP_OF = _U(SKOS.topConceptOf)
_HAS_TOP = _U(SKOS.hasTopConcept)


@dataclass
class TermTexts:
    """One term's texts by language ("" = no language tag) and its mapping links."""

    pref: dict[str, list[str]] = field(default_factory=dict)
    alt: dict[str, list[str]] = field(default_factory=dict)
    definitions: dict[str, list[str]] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, lang, text)
    notations: list[str] = field(default_factory=list)
    mappings: list[tuple[str, str]] = field(default_factory=list)  # (predicate, target)
    schemes: list[str] = field(default_factory=list)

    def languages(self) -> list[str]:
        """Every language a label of the term is written in, sorted ("" last)."""
        tags = set(self.pref) | set(self.alt)
        return sorted(tags, key=lambda t: (t == "", t))


def _lang(literal: Literal) -> str:
    return (literal.language or "").lower()


def _add(table: dict[str, list[str]], literal: Literal) -> None:
    text = " ".join(str(literal).split())
    if text and text not in table.setdefault(_lang(literal), []):
        table[_lang(literal)].append(text)


def term_texts(graph: Graph, iri: str) -> TermTexts:
    """Labels, alternative labels, definitions and reader notes of ``iri`` in every
    language, with its notations, mapping links and the concept schemes it is in."""
    node = _U(iri)
    out = TermTexts()
    for predicate, obj in graph.predicate_objects(node):
        if isinstance(obj, Literal):
            if predicate in _PREF:
                _add(out.pref, obj)
            elif predicate in _ALT:
                _add(out.alt, obj)
            elif predicate in _DEFINITIONS:
                _add(out.definitions, obj)
            elif predicate in NOTE_KINDS:
                out.notes.append((NOTE_KINDS[predicate], _lang(obj), " ".join(str(obj).split())))
            elif predicate == _NOTATION:
                out.notations.append(str(obj))
        elif isinstance(obj, URIRef):
            if predicate in _MAPPINGS:
                out.mappings.append((str(predicate), str(obj)))
            elif predicate in (SKOS_IN_SCHEME, SKOS_TOP_OF):
                if str(obj) not in out.schemes:
                    out.schemes.append(str(obj))
    for table in (out.pref, out.alt, out.definitions):
        for texts in table.values():
            texts.sort(key=str.casefold)
    out.notes.sort()
    out.notations.sort()
    out.mappings.sort()
    out.schemes.sort()
    return out



def label_languages(graph: Graph) -> list[tuple[str, int]]:
    """(language tag, number of labels in it), most used first; untagged labels are "".

    Only names count (``skos:prefLabel``, ``rdfs:label``...), so a graph whose definitions
    alone are translated does not offer a language its labels are not in.
    """
    counts: Counter[str] = Counter()
    for predicate in _PREF:
        for obj in graph.objects(None, predicate):
            if isinstance(obj, Literal):
                counts[_lang(obj)] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def labels_in(graph: Graph, lang: str) -> dict[str, str]:
    """Every named resource's label in ``lang`` (best label predicate first), for showing
    the graph in a language other than the view's; resources without one are left out."""
    want = lang.lower()
    out: dict[str, str] = {}
    for predicate in reversed(_PREF):  # the best predicate is written last and wins
        best: dict[str, str] = {}
        for subject, obj in graph.subject_objects(predicate):
            if isinstance(obj, Literal) and _lang(obj) == want and not isinstance(subject, BNode):
                text = " ".join(str(obj).split())
                key = str(subject)
                if text and (key not in best or text.casefold() < best[key].casefold()):
                    best[key] = text
        out.update(best)
    return out


@dataclass(frozen=True)
class Scheme:
    """A concept scheme (or an ontology) and its top concepts."""

    iri: str
    top: tuple[str, ...]


@dataclass(frozen=True)
class Collection:
    """A ``skos:Collection`` and how many members it has."""

    iri: str
    members: int


def schemes(graph: Graph) -> list[Scheme]:
    """The graph's concept schemes with their top concepts (``skos:hasTopConcept`` and
    ``skos:topConceptOf`` both read), in IRI order."""
    tops: dict[str, set[str]] = defaultdict(set)
    for scheme in graph.subjects(_U(RDF.type), _U(SKOS.ConceptScheme)):
        if isinstance(scheme, URIRef):
            tops.setdefault(str(scheme), set())
    for scheme, top in graph.subject_objects(_HAS_TOP):
        if isinstance(scheme, URIRef) and isinstance(top, URIRef):
            tops[str(scheme)].add(str(top))
    for top, scheme in graph.subject_objects(SKOS_TOP_OF):
        if isinstance(scheme, URIRef) and isinstance(top, URIRef):
            tops[str(scheme)].add(str(top))
    return [Scheme(s, tuple(sorted(t))) for s, t in sorted(tops.items())]


def collections(graph: Graph) -> list[Collection]:
    """The graph's ``skos:Collection``s (ordered ones too) with their member counts."""
    found: set[str] = set()
    for kind in (SKOS.Collection, SKOS.OrderedCollection):
        found |= {str(c) for c in graph.subjects(_U(RDF.type), _U(kind)) if isinstance(c, URIRef)}
    return [Collection(c, sum(1 for _ in graph.objects(_U(c), _U(SKOS.member))))
            for c in sorted(found)]


def class_iris(graph: Graph) -> set[str]:
    """Resources the graph declares as classes (``owl:Class``, ``rdfs:Class``)."""
    return {str(c) for kind in (OWL.Class, RDFS.Class)
            for c in graph.subjects(_U(RDF.type), _U(kind)) if isinstance(c, URIRef)}


def used_as_type(graph: Graph, candidates: Iterable[str]) -> set[str]:
    """Those of ``candidates`` that some resource has as its ``rdf:type``: the modelling
    classes of the graph's own data (claims, tables, figures...)."""
    rdf_type = _U(RDF.type)
    return {c for c in candidates if next(graph.subjects(rdf_type, _U(c)), None) is not None}
