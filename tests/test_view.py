"""The networkx projection: ``assemble`` builds what networkx's own methods would."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.rdf.load import builtin_sources, read_raw_triples
from kg.view.graph_view import assemble, view_from_triples


def _by_networkx(nodes: dict, edges: list) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes.items())
    g.add_edges_from(edges)
    return g


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    for n in a:
        assert list(a.in_edges(n, keys=True)) == list(b.in_edges(n, keys=True))
        assert list(a.successors(n)) == list(b.successors(n))
        assert list(a.predecessors(n)) == list(b.predecessors(n))
    assert nx.utils.graphs_equal(a, b)


def test_assemble_equals_networkx_construction_on_the_builtin_view() -> None:
    view = view_from_triples(read_raw_triples(builtin_sources()))
    nodes = dict(view.nx.nodes(data=True))
    edges = list(view.nx.edges(keys=True, data=True))
    assert len(edges) > 500
    built = assemble(nodes, edges)
    _same(built, _by_networkx(nodes, edges))
    # The result is an ordinary graph: networkx algorithms and mutations work on it.
    u, v, _ = edges[0][0], edges[0][1], edges[0][2]
    assert nx.has_path(built, u, v)
    built.add_edge(v, u, "back", label="x")
    assert built.has_edge(v, u, "back") and v in built.predecessors(u)


def test_assemble_parallel_edges_and_self_loops() -> None:
    nodes = {"a": {"x": 1}, "b": {}, "c": {}}
    edges = [
        ("a", "b", "p", {"w": 1}),
        ("a", "b", "q", {"w": 2}),
        ("b", "b", "p", {}),
        ("c", "a", "p", {}),
    ]
    _same(assemble(nodes, edges), _by_networkx(nodes, edges))


def test_assemble_refuses_an_edge_to_an_unknown_node() -> None:
    with pytest.raises(ValueError, match="names a node"):
        assemble({"a": {}}, [("a", "zzz", "p", {})])
    with pytest.raises(ValueError, match="names a node"):
        assemble({"a": {}}, [("zzz", "a", "p", {})])


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [("No definition needed.", True), ("no description available", True), ("TBD", True),
     ("n/a", True), ("-", True), ("Definition pending", True),
     ("No animal lives here.", False), ("A placeholder for a missing value.", False)],
)
def test_a_definition_that_says_there_is_none_is_a_placeholder(text: str, placeholder: bool) -> None:
    from kg.view.labels import is_placeholder

    assert is_placeholder(text) is placeholder


def test_placeholder_definitions_are_not_descriptions() -> None:
    from rdflib import Graph

    from kg.view.graph_view import build_view

    ttl = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <http://example.org/a> a skos:Concept ; skos:prefLabel "alloy"@en ;
        skos:definition "No definition needed."@en .
    <http://example.org/b> a skos:Concept ; skos:prefLabel "brass"@en ;
        skos:definition "TBD"@en , "An alloy of copper and zinc."@en ."""
    view = build_view(Graph().parse(data=ttl, format="turtle"))
    assert view.node("http://example.org/a")["descriptions"] == []
    assert view.node("http://example.org/b")["descriptions"] == ["An alloy of copper and zinc."]
