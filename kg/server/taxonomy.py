"""How the browser's tree is organised: schemes, their top concepts, collections, "Model".

Read from the graph's structure alone, so the same code serves any SKOS or OWL graph:

* concept schemes come first, each holding its top concepts (``skos:hasTopConcept`` /
  ``skos:topConceptOf``; a scheme that declares none holds the concepts without a
  broader one); a graph of one scheme shows that scheme's top concepts first instead;
* concepts without a broader concept that no scheme holds are listed beside them;
* collections (``skos:Collection``) sit under one "Collections" entry;
* when the graph has SKOS concepts, hierarchy roots that are not SKOS concepts (the
  classes of the data model: claims, tables, figures, ``skos:Concept`` itself) sit under
  one "Model" entry, out of the way. A graph of OWL classes only (no SKOS concept) has no
  such split: its classes are its content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Graph

from kg.rdf.terms import SKOS
from kg.view.graph_view import GraphView
from kg.view.languages import collections, schemes

__all__ = ["COLLECTIONS", "MODEL", "Structure", "structure"]

#: Names of the two grouping entries of the tree (not IRIs of the graph).
MODEL = "urn:x-kg:model"
COLLECTIONS = "urn:x-kg:collections"
_CONCEPT = str(SKOS.Concept)
_MEMBER = str(SKOS.member)


@dataclass
class Structure:
    """The tree's top level and the groups' members, computed once per served graph."""

    schemes: dict[str, list[str]] = field(default_factory=dict)  # scheme -> top concepts
    roots: list[str] = field(default_factory=list)  # top concepts held by no scheme
    collections: list[str] = field(default_factory=list)
    model: list[str] = field(default_factory=list)
    scheme_of: dict[str, str] = field(default_factory=dict)  # top concept -> its scheme

    def top(self) -> list[str]:
        """The tree's first level: schemes (or the one scheme's top concepts), loose top
        concepts, then the two groups."""
        if len(self.schemes) == 1:
            out = [*next(iter(self.schemes.values())), *self.roots]
        else:
            out = list(self.schemes) + self.roots
        if self.collections:
            out.append(COLLECTIONS)
        if self.model:
            out.append(MODEL)
        return out

    def is_group(self, iri: str) -> bool:
        """True for a scheme or a grouping entry (whose children are not its narrower)."""
        return iri in self.schemes or iri in (MODEL, COLLECTIONS)

    def children(self, view: GraphView, iri: str) -> list[str]:
        """What the tree shows under ``iri``."""
        if iri == MODEL:
            return self.model
        if iri == COLLECTIONS:
            return self.collections
        if iri in self.schemes:
            return self.schemes[iri]
        if iri in self._collection_set:
            members = {v for _, v, d in view.nx.out_edges(iri, data=True)
                       if d.get("predicate") == _MEMBER}
            return sorted(members, key=lambda n: (view.label(n).casefold(), n))
        return [n for n in view.narrower(iri) if not n.startswith("_:")]

    def count(self, view: GraphView, iri: str) -> int:
        """How many children the tree shows under ``iri``."""
        if self.is_group(iri) or iri in self._collection_set:
            return len(self.children(view, iri))
        return len(view.narrower(iri))

    def path(self, view: GraphView, iri: str) -> list[str]:
        """The tree path from the first level down to ``iri`` (its first broader chain)."""
        chains = view.ancestors(iri)
        path = list(reversed(chains[0])) if chains else [iri]
        top = path[0]
        if top in self.scheme_of and len(self.schemes) > 1:
            return [self.scheme_of[top], *path]
        if top in self._model_set:
            return [MODEL, *path]
        if top in self._collection_set:
            return [COLLECTIONS, *path]
        return path

    @property
    def _collection_set(self) -> set[str]:
        return set(self.collections)

    @property
    def _model_set(self) -> set[str]:
        return set(self.model)


def structure(view: GraphView, graph: Graph, label: Callable[[str], str]) -> Structure:
    """The tree's organisation for ``view`` (see the module docstring)."""
    def order(nodes: object) -> list[str]:
        return sorted(nodes, key=lambda n: (label(n).casefold(), n))  # type: ignore[arg-type]

    found = [c.iri for c in collections(graph) if c.iri in view.nx]
    in_collections = set(found)
    roots = [n for n in view.nx if view.is_concept(n) and not n.startswith("_:")
             and not view.broader(n) and n not in in_collections]
    has_skos = bool(view.members(_CONCEPT))
    model = [n for n in roots if has_skos and _CONCEPT not in view.node(n).get("types", ())]
    content = [n for n in roots if n not in set(model)]
    out = Structure(collections=order(found), model=order(model))
    claimed: set[str] = set()
    declared = schemes(graph)
    for scheme in declared:
        tops = [t for t in scheme.top if t in view.nx]
        if not tops and len(declared) == 1:
            tops = content  # one scheme that names no top concept holds every root
        out.schemes[scheme.iri] = order(tops)
        for t in tops:
            out.scheme_of.setdefault(t, scheme.iri)
        claimed |= set(tops)
    out.roots = order(n for n in content if n not in claimed)
    return out
