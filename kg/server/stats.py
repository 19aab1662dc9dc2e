"""The VoID and service-description figures of the served graph, from the one pass of
:func:`kg.rdf.stats.graph_stats` (the MCP summary reports from the same counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.rdf.stats import graph_stats, ranked

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["void_stats"]


def void_stats(graph: Graph, top: int = 100) -> dict[str, Any]:
    """The VoID figures, with the ``top`` most used classes and properties."""
    stats = graph_stats(graph)
    return {
        "triples": stats.triples,
        "distinctSubjects": stats.subjects,
        "distinctObjects": stats.objects,
        "properties": len(stats.properties),
        "classes": len(stats.classes),
        "entities": stats.entities,
        "vocabularies": stats.vocabularies,
        "class_partitions": ranked(stats.classes, top),
        "property_partitions": ranked(stats.properties, top),
    }
