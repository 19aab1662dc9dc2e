"""The words of a concept's own relations (kg/qa/relation_words.py)."""

from __future__ import annotations

from rdflib import Graph

from kg.qa.relation_words import RelationWords
from kg.view.graph_view import build_view

EX = "http://example.org/"
_GRAPH = """
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix ex: <http://example.org/> .
    ex:Bike a skos:Concept ; skos:prefLabel "bike"@en ; skos:broader ex:Vehicle ;
        ex:hasProblem ex:Puncture, ex:Theft ; ex:inGroup ex:Transport .
    ex:Vehicle a skos:Concept ; skos:prefLabel "vehicle"@en .
    ex:Puncture a skos:Concept ; skos:prefLabel "puncture"@en .
    ex:Theft a skos:Concept ; skos:prefLabel "theft"@en .
    ex:Transport a skos:Concept ; skos:prefLabel "transport"@en .
    ex:hasProblem skos:prefLabel "has the problem"@en .
    ex:inGroup skos:prefLabel "is in the group"@en .
    """


def _words() -> RelationWords:
    return RelationWords(build_view(Graph().parse(format="turtle", data=_GRAPH)))


def test_a_concepts_relations_leave_out_the_hierarchy() -> None:
    assert _words().relations(EX + "Bike") == [EX + "hasProblem", EX + "inGroup"]


def test_a_predicate_is_said_by_the_content_words_of_its_phrase() -> None:
    words = _words()
    assert "problem" in words.verb(EX + "hasProblem")
    assert "group" in words.verb(EX + "inGroup")


def test_only_a_relation_reaching_one_concept_is_said_once() -> None:
    # "bike groups" names kinds of bike (one group); "bike problems" the two problems
    words = _words()
    said = words.said_once(EX + "Bike", words.relations(EX + "Bike"))
    assert "group" in said and "problem" not in said
