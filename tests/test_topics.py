"""What linking found, as the router reads it (kg/qa/topics.py)."""

from __future__ import annotations

from rdflib import Graph

from kg.qa.topics import Topics, asks_kind, kind_after, modifies_topic
from kg.view.graph_view import build_view


def test_concepts_are_in_the_order_the_question_names_them() -> None:
    topics = Topics(named=["b", "a", "c"], named_at={"a": 0, "b": 4, "c": 2}, entities=[],
                    yes_no=False, words=[], unknown=frozenset(), spans=[])
    assert topics.in_order() == ["a", "c", "b"]


def test_a_name_after_which_or_how_many_names_the_kind_asked() -> None:
    words = "which other companies make x".split()
    assert asks_kind(words, 2)  # "which other companies": the kind asked for
    assert not asks_kind(words, 4)  # "x" is what the question is about
    assert asks_kind("how many tools".split(), 2)
    assert asks_kind("europe has how many narrower regions".split(), 5)  # a hierarchy word
    assert asks_kind("which more specific tools".split(), 3)  # between: still the kind


def test_a_word_before_a_topic_that_no_form_accounts_for_narrows_it() -> None:
    assert modifies_topic("examples of renewable X", ["renewable"])
    assert not modifies_topic("X unlike Y", ["unlike"])  # between two topics it joins them



def test_a_broader_concept_named_straight_after_names_the_kind() -> None:
    view = build_view(Graph().parse(format="turtle", data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:Industries a skos:Concept ; skos:prefLabel "industries"@en .
        ex:Finance a skos:Concept ; skos:prefLabel "finance"@en ; skos:broader ex:Industries .
        """))
    ex = "http://example.org/"
    words = "what else is the finance sector called".split()
    topics = Topics(named=[ex + "Finance", ex + "Industries"],
                    named_at={ex + "Finance": 4, ex + "Industries": 5}, entities=[],
                    yes_no=False, words=words, unknown=frozenset(), spans=[(4, 5), (5, 6)])
    assert kind_after(view, topics, 5)  # "sector" names the kind finance is filed under
    assert not kind_after(view, topics, 4)


def test_a_name_joined_to_the_kind_asked_names_a_kind_too() -> None:
    words = "how many architectures and models are under x".split()
    assert asks_kind(words, 4)  # "models", joined to "how many architectures"
    assert not asks_kind(words, 7)


def test_what_the_answer_is_for_said_last_is_not_asked() -> None:
    from kg.qa.topics import for_what
    assert for_what("i need every parent of X for an index") == {"index"}
    assert for_what("list the kinds of X for my reading list") == {"reading", "list"}
    assert for_what("what is X used for") == set()
    assert for_what("what is the parent of Y for the X") == set()  # a topic there


def test_a_word_before_a_word_that_asks_qualifies_the_ask() -> None:
    from kg.qa.forms import lexicon
    from kg.qa.topics import qualifies
    lex = lexicon("en").asking
    assert qualifies("X is there a more technical synonym", "technical", lex)
    assert qualifies("what other words are used for X british spelling too", "british", lex)
    assert not qualifies("how many employees does X have", "employees", lex)


def test_a_name_said_first_after_narrower_names_the_kind_asked() -> None:
    assert asks_kind("narrower qualities under opacity".split(), 1)
    assert not asks_kind("qualities under opacity".split(), 0)
