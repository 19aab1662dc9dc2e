"""What an agent needs to plan: the graph's size, schemes, top concepts, classes, properties.

The counts come from the one pass of :func:`kg.rdf.stats.graph_stats` (the SPARQL service
description reports from the same), and are kept, since the graph never changes while the
server runs. Works on any SKOS or OWL/RDFS graph: nothing here names a particular vocabulary
beyond the standard ones.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rdflib import Graph, URIRef

from kg.rdf.namespaces import RDF, RDFS, SKOS
from kg.rdf.stats import graph_stats, ranked
from kg.view.graph_view import GraphView

__all__ = ["example_queries", "graph_summary", "schema"]

_TOP = 50


def _ref(view: GraphView, iri: str) -> dict[str, str]:
    return {"iri": iri, "label": view.label(iri)}


def _counted(view: GraphView, counts: Counter[Any], limit: int) -> list[dict[str, Any]]:
    return [{"iri": str(k), "label": view.label(str(k)), "count": n}
            for k, n in ranked(counts, limit)]


def _top_concepts(view: GraphView, graph: Graph) -> list[str]:
    """Declared top concepts, or else the concepts nothing is broader than."""
    declared = {str(o) for o in graph.objects(None, SKOS.hasTopConcept) if isinstance(o, URIRef)}
    declared |= {str(s) for s in graph.subjects(SKOS.topConceptOf, None)
                 if isinstance(s, URIRef)}
    if declared:
        return sorted(declared, key=view.label)
    roots = [n for n in view.nx if view.is_concept(n) and not n.startswith("_:")
             and not view.broader(n) and view.narrower(n)]
    return sorted(roots, key=view.label)


def graph_summary(view: GraphView, graph: Graph, prefixes: dict[str, str]) -> dict[str, Any]:
    """Size, schemes, top concepts, most used classes and properties, prefixes."""
    stats = graph_stats(graph)
    classes, properties = stats.classes, stats.properties
    schemes = sorted({str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)
                      if isinstance(s, URIRef)}, key=view.label)
    tops = _top_concepts(view, graph)
    concepts = sum(1 for n in view.nx if view.is_concept(n))
    return {
        "triples": stats.triples,
        "nodes": view.nx.number_of_nodes(),
        "concepts": concepts,
        "schemes": [_ref(view, s) for s in schemes[:_TOP]],
        "top_concepts": [_ref(view, t) for t in tops[:_TOP]],
        "classes": _counted(view, classes, _TOP),
        "properties": _counted(view, properties, _TOP),
        "prefixes": dict(sorted(prefixes.items())),
        "truncated": len(schemes) > _TOP or len(tops) > _TOP
        or len(classes) > _TOP or len(properties) > _TOP,
    }


def schema(view: GraphView, graph: Graph, limit: int = 300) -> dict[str, Any]:
    """Classes and properties in use, with labels, comments, domains and ranges."""
    stats = graph_stats(graph)
    used_classes, used_props = stats.classes, stats.properties

    def comment(iri: Any) -> str:
        text = next(iter(graph.objects(iri, RDFS.comment)), None)
        return str(text)[:300] if text is not None else ""

    classes = [
        {"iri": str(c), "label": view.label(str(c)), "instances": n, "comment": comment(c)}
        for c, n in ranked(used_classes, limit)
    ]
    props = []
    for p, n in ranked(used_props, limit):
        props.append({
            "iri": str(p),
            "label": view.predicate_label(str(p)),
            "triples": n,
            "domain": sorted(str(d) for d in graph.objects(p, RDFS.domain)),
            "range": sorted(str(r) for r in graph.objects(p, RDFS.range)),
            "comment": comment(p),
        })
    return {
        "classes": classes,
        "properties": props,
        "truncated": len(used_classes) > limit or len(used_props) > limit,
    }


def _pick(summary: dict[str, Any], choices: list[tuple[str, str]], default: str) -> str:
    """The first SPARQL path whose property the graph uses."""
    used = {p["iri"] for p in summary.get("properties", [])}
    return next((path for iri, path in choices if iri in used), default)


def example_queries(summary: dict[str, Any]) -> list[dict[str, str]]:
    """SPARQL examples that run on this graph, built from its own properties and top concept."""
    label = _pick(summary, [(str(SKOS.prefLabel), "skos:prefLabel"),
                            (str(RDFS.label), "rdfs:label")], "rdfs:label")
    up = _pick(summary, [(str(SKOS.broader), "skos:broader"),
                         (str(SKOS.narrower), "^skos:narrower"),
                         (str(RDFS.subClassOf), "rdfs:subClassOf")], "skos:broader")
    examples = [
        {
            "title": "Nodes and their labels",
            "query": f"SELECT ?node ?label WHERE {{ ?node {label} ?label }} LIMIT 20",
        },
        {
            "title": "Classes in use, most instances first",
            "query": "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } "
                     "GROUP BY ?class ORDER BY DESC(?n) LIMIT 20",
        },
        {
            "title": "Nodes whose label mentions a word",
            "query": f"SELECT ?node ?label WHERE {{ ?node {label} ?label "
                     'FILTER(CONTAINS(LCASE(STR(?label)), "word")) } LIMIT 20',
        },
        {
            "title": "Direct broader and narrower pairs",
            "query": f"SELECT ?narrower ?broader WHERE {{ ?narrower {up} ?broader }} LIMIT 20",
        },
    ]
    tops = summary.get("top_concepts") or []
    if tops:
        top, name = tops[0]["iri"], tops[0]["label"]
        examples.append({
            "title": f"Everything below {name}, at any depth",
            "query": f"SELECT ?node ?label WHERE {{ ?node ({up})+ <{top}> . "
                     f"OPTIONAL {{ ?node {label} ?label }} }} LIMIT 50",
        })
        examples.append({"title": f"Every triple about {name}", "query": f"DESCRIBE <{top}>"})
    return examples
