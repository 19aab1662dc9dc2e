"""Which classes make a resource a concept, read from the rdflib graph itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.rdf.terms import RDFS, SKOS

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["concept_classes"]


def concept_classes(graph: Graph) -> set[str]:
    """``skos:Concept`` and every class declared (transitively) a subclass of it.

    Vocabularies often type concepts by their own subclasses (``ex:Car a ex:VehicleType``
    with ``ex:VehicleType rdfs:subClassOf skos:Concept``); without a reasoner this closure
    is how such resources are still recognised as concepts.
    """
    from rdflib import URIRef

    found = {SKOS.Concept}
    frontier = [SKOS.Concept]
    while frontier:
        for sub in graph.subjects(URIRef(RDFS.subClassOf), URIRef(frontier.pop())):
            if isinstance(sub, URIRef) and str(sub) not in found:
                found.add(str(sub))
                frontier.append(str(sub))
    return found
