"""Linking names in a question to graph nodes, on a small hand-made graph (no model)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.qa.linking import LabelMatcher
from kg.view.graph_view import build_view

_TTL = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:Wine a skos:Concept ; skos:prefLabel "Wine"@en .
ex:Red a skos:Concept ; skos:prefLabel "Red Wine"@en ; skos:broader ex:Wine .
ex:White a skos:Concept ; skos:prefLabel "White Wine"@en ; skos:broader ex:Wine .
ex:Sparkling a skos:Concept ; skos:prefLabel "Sparkling Rose Wine"@en ; skos:broader ex:Wine .
ex:Still a skos:Concept ; skos:prefLabel "Still Rose Wine"@en ; skos:broader ex:Wine .
"""


@pytest.fixture(scope="module")
def matcher() -> LabelMatcher:
    return LabelMatcher(build_view(Graph().parse(data=_TTL, format="turtle")))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("red wine", ["Red"]),
        ("how does red and white wine differ", ["Red", "White"]),
        ("red or white wine", ["Red", "White"]),
        ("red vs white wine", ["Red", "White"]),
        ("sparkling and still rose wine", ["Sparkling", "Still"]),
        # a word before "and" that names nothing with the shared head stays unlinked
        ("cheese and white wine", ["White"]),
        ("red, white wine", ["White"]),
    ],
)
def test_a_coordination_shares_the_head_of_the_name(
    matcher: LabelMatcher, text: str, named: list[str]
) -> None:
    found = [m.iri.rsplit("/", 1)[1] for m in matcher.find(text)]
    assert found == named
