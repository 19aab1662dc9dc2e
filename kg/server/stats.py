"""Counts over the served graph for VoID and the service description, in one pass."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF

__all__ = ["graph_stats"]


def graph_stats(graph: Graph, top: int = 100) -> dict[str, Any]:
    """One pass over the graph for the VoID figures."""
    subjects: set[Any] = set()
    objects: set[Any] = set()
    properties: Counter[Any] = Counter()
    classes: Counter[Any] = Counter()
    typed: set[Any] = set()
    triples = 0
    for s, p, o in graph:
        triples += 1
        subjects.add(s)
        objects.add(o)
        properties[p] += 1
        if p == RDF.type:
            classes[o] += 1
            typed.add(s)
    vocabularies = sorted(
        {str(ns) for _, ns in graph.namespaces()
         if any(str(p).startswith(str(ns)) for p in properties)}
    )
    return {
        "triples": triples,
        "distinctSubjects": len(subjects),
        "distinctObjects": len(objects),
        "properties": len(properties),
        "classes": len(classes),
        "entities": len(typed),
        "vocabularies": vocabularies,
        "class_partitions": sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top],
        "property_partitions": sorted(properties.items(),
                                      key=lambda kv: (-kv[1], str(kv[0])))[:top],
    }
