"""Counts over an RDF graph in one pass: the one home of graph statistics.

The SPARQL service description and VoID (:mod:`kg.server.service`) and the MCP graph summary
and schema (:mod:`kg.mcp.summary`) all report from this, so the two faces can never
disagree on how many triples, classes or properties a graph has.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.rdf.namespaces import RDF

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["GraphStats", "graph_stats", "ranked"]


@dataclass(frozen=True)
class GraphStats:
    """How many triples, distinct subjects and objects, uses of each property and
    instances of each class a graph holds, and the vocabularies its properties come from."""

    triples: int
    subjects: int
    objects: int
    properties: Counter[Any]
    classes: Counter[Any]
    entities: int  # distinct subjects with an rdf:type
    vocabularies: list[str]


def graph_stats(graph: Graph) -> GraphStats:
    """One pass over ``graph``."""
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
    return GraphStats(triples, len(subjects), len(objects), properties, classes, len(typed),
                      vocabularies)


def ranked(counts: Counter[Any], limit: int) -> list[tuple[Any, int]]:
    """The ``limit`` most frequent entries, ties in IRI order (stable across runs)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]
