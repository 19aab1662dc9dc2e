"""The question as typed made readable before it is linked (kg/qa/typed.py): shorthand,
fused words and slips are put right only where the graph or the asking words know them."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg.qa.forms import lexicon, with_graph_names
from kg.qa.linking import LabelMatcher, graph_vocabulary
from kg.qa.typed import readable
from kg.view.graph_view import build_view


@pytest.fixture(scope="module")
def made_readable():
    view = build_view(Graph().parse(format="turtle", data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:Car a skos:Concept ; skos:prefLabel "electric car"@en .
        ex:Bike a skos:Concept ; skos:prefLabel "bicycle"@en ;
            skos:definition "A two-wheeled vehicle moved by pedalling."@en .
        """))
    matcher = LabelMatcher(view)
    vocab = graph_vocabulary(view, matcher)
    lex = with_graph_names(lexicon(), view.labels)
    return lambda text: readable(text, lex, vocab, matcher)


def test_shorthand_is_written_out(made_readable) -> None:
    assert made_readable("whats the diff btwn bicycle and electric car") == (
        "whats the difference between bicycle and electric car")


def test_words_typed_together_are_split_where_they_make_a_name(made_readable) -> None:
    assert made_readable("what is an electriccar") == "what is an electric car"


def test_a_slip_in_a_word_that_asks_is_put_right(made_readable) -> None:
    assert made_readable("synonims of bicycle") == "synonyms of bicycle"


def test_a_question_typed_cleanly_comes_out_unchanged(made_readable) -> None:
    for text in ("What is a bicycle?", "Which kinds of electric car are there?"):
        assert made_readable(text) == text
