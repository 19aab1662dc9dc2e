"""The RDF description of one resource: its own triples plus the labels of what they name.

A linked-data client that dereferences a concept wants the statements about it (blank-node
structures such as OWL restrictions included, so nothing dangles) and enough labels to show
the things those statements point at, not the whole graph.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef

from kg.rdf.namespaces import LABEL_PREDICATES

__all__ = ["describe_resource"]

#: blank-node triples copied at most (a malformed graph could nest them without end)
_MAX_BNODE_TRIPLES = 10_000


def describe_resource(graph: Graph, iri: str) -> Graph:
    """Triples with ``iri`` as subject, the blank nodes they reach, and labels of the rest.

    Prefixes of ``graph`` are kept so the result reads well as Turtle.
    """
    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, override=True, replace=True)
    subject = URIRef(iri)
    mentioned: set[URIRef] = set()
    stack: list[URIRef | BNode] = [subject]
    seen: set[URIRef | BNode] = {subject}
    copied = 0
    while stack and copied < _MAX_BNODE_TRIPLES:
        node = stack.pop()
        for _, p, o in graph.triples((node, None, None)):
            out.add((node, p, o))
            copied += 1
            mentioned.add(p)  # type: ignore[arg-type]
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                stack.append(o)
            elif isinstance(o, URIRef):
                mentioned.add(o)
    mentioned.discard(subject)
    for node in sorted(mentioned):
        for predicate in LABEL_PREDICATES:
            for label in graph.objects(node, predicate):
                out.add((node, predicate, label))
    return out
