"""The synthetic SKOS generator: deterministic, exact sizes, valid RDF that loads as SKOS."""

from __future__ import annotations

import io
from pathlib import Path

from synth import (  # bench/synth.py (path set in conftest)
    BASE,
    generate,
    taxonomy,
    write_ntriples,
    write_taxonomy,
)

from kg.rdf.load import load_graph
from kg.view.graph_view import build_view


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    a, b, c = io.StringIO(), io.StringIO(), io.StringIO()
    write_ntriples(a, 3000, seed=0)
    write_ntriples(b, 3000, seed=0)
    write_ntriples(c, 3000, seed=1)
    assert a.getvalue() == b.getvalue()
    assert a.getvalue() != c.getvalue()


def test_exact_sizes() -> None:
    for n in (0, 1, 7, 1000, 10_000):
        assert sum(1 for _ in generate(n)) == n


def test_output_is_valid_skos(tmp_path: Path) -> None:
    path = tmp_path / "synth.nt"
    with path.open("w", encoding="utf-8") as fh:
        assert write_ntriples(fh, 5000) == 5000
    loaded = load_graph([path])
    assert len(loaded) == 5000  # every line is a distinct triple
    view = build_view(loaded.graph)
    concepts = [n for n, d in view.nx.nodes(data=True) if d["concept"]]
    assert len(concepts) > 400
    c5 = f"{BASE}c5"
    assert view.node(c5)["label"] and view.node(c5)["description"]
    assert view.broader(c5) == [f"{BASE}c0"]
    predicates = {d["predicate"] for _, _, d in view.nx.edges(data=True)}
    assert {f"{BASE}usedIn", f"{BASE}dependsOn",
            "http://www.w3.org/2004/02/skos/core#related"} <= predicates


def test_the_large_taxonomy_is_exact_deterministic_bilingual_and_polyhierarchical(
        tmp_path: Path) -> None:
    for n in (0, 2, 999, 20_000):
        assert sum(1 for _ in taxonomy(n)) == n
    a, b = io.StringIO(), io.StringIO()
    write_taxonomy(a, 5000)
    write_taxonomy(b, 5000)
    assert a.getvalue() == b.getvalue()
    path = tmp_path / "taxonomy.nt"
    with path.open("w", encoding="utf-8") as fh:
        assert write_taxonomy(fh, 20_000) == 20_000
    assert len(load_graph([path])) == 20_000
    english = build_view(load_graph([path]).graph)
    german = build_view(load_graph([path]).graph, "de")
    concepts = [n for n, d in english.nx.nodes(data=True) if d["concept"]]
    assert 1500 < len(concepts) < 2500  # about ten triples a concept
    c100 = f"{BASE}c100"
    assert english.node(c100)["label"] != german.node(c100)["label"]
    assert english.node(c100)["description"] and german.node(c100)["description"]
    parent = english.broader(c100)[0]
    assert english.node(parent)["label"].lower() in english.node(c100)["description"]
    two_parents = [c for c in concepts if len(english.broader(c)) == 2]
    assert len(two_parents) > len(concepts) // 10
    assert sum(bool(english.node(c).get("alt_labels")) for c in concepts) > len(concepts) // 2
