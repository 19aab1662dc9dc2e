"""Questions that chain a taxonomy's own links (kg.qa.chains): read outward from the topic,
followed over the graph, answered whole in the first sentence; a single related-link question
lists every related term."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.qa.chains import BROADER, NARROWER, RELATED, ChainReader
from kg.qa.forms import lexicon
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def drinks(session_cache: Path):
    return Workspace(Settings(graph_paths=(DATA / "qa_chains.ttl",),
                              cache_dir=session_cache)).engine


def _first(text: str) -> str:
    return text.split("\n")[0]


def _iri(name: str) -> str:
    return f"http://example.org/drinks/{name}"


@pytest.fixture(scope="module")
def reader(drinks) -> ChainReader:
    return ChainReader(drinks.view, drinks.walker, lexicon("en"))


@pytest.mark.parametrize(
    ("masked", "kinds"),
    [
        ("what are the narrower terms of the broader term of X", [BROADER, NARROWER]),
        ("which concepts are related to the children of X", [NARROWER, RELATED]),
        ("what are the related terms of X narrower concepts", [NARROWER, RELATED]),
        ("what is the grandparent of X", [BROADER, BROADER]),
        ("what are the narrower concepts of X related to", [NARROWER, RELATED]),
        ("X what is its parent parent", [BROADER, BROADER]),
        ("under which classes does the parent of X sit", [BROADER, BROADER]),
        # a phrase said first, then asked about through a pronoun
        ("the children of X what are their related terms", [NARROWER, RELATED]),
        ("the related terms of X what are they kinds of", [RELATED, BROADER]),
        ("take the parent of X which terms sit under it", [BROADER, NARROWER]),
        ("X is related to something ; what is the broader term of that", [RELATED, BROADER]),
        ("the drinks related to X , what are they filed under", [RELATED, BROADER]),
        ("the children of X , and what each is related to", [NARROWER, RELATED]),
        ("the children of X then their related terms", [NARROWER, RELATED]),
        ("go up from X , then across to related terms", [BROADER, RELATED]),
        ("what is above the terms related to X", [RELATED, BROADER]),
        ("branches of X and their related terms", [NARROWER, RELATED]),
        ("which terms are related to the individual X", [NARROWER, RELATED]),
        ("start at X , follow its related terms , then their related terms", [RELATED, RELATED]),
        ("under X , what is listed one further level down", [NARROWER, NARROWER]),
        # a plural after the topic said first names its members ("the X drinks")
        ("the X drinks : what are they related to", [NARROWER, RELATED]),
        # a second question that asks of what the first reached ("those", not "its")
        ("what is X related to , and what are those filed under", [RELATED, BROADER]),
        # a number of levels, and a clause on the topic read first
        ("X two levels up", [BROADER, BROADER]),
        ("what is three levels below X", [NARROWER, NARROWER, NARROWER]),
        ("X up two levels what do you get", [BROADER, BROADER]),  # the number after
        ("X , go up twice", [BROADER, BROADER]),
        ("go up two levels from X . where do you land", [BROADER, BROADER]),
        ("the drinks under X what are they related to", [NARROWER, RELATED]),
        ("the narrower terms of whatever X is related to", [RELATED, NARROWER]),
        ("what is related to the drink X belongs to", [BROADER, RELATED]),
        # a verb and its object name one link ("sits under a broader term")
        ("X sits under a broader term ; which concepts are related to that term",
         [BROADER, RELATED]),
    ],
)
def test_links_are_read_outward_from_the_topic(reader: ChainReader, masked: str,
                                               kinds: list[str]) -> None:
    steps = reader.read(masked, _iri("Tea"))
    assert steps is not None and [s.kind for s in steps] == kinds


@pytest.mark.parametrize(
    "masked",
    [
        "what is the broader concept of X",  # one link: the broader form answers it
        "which broader concepts is X a narrower term of",  # the kind asked repeats the link
        "what are the siblings of X",  # the siblings form answers it
        "which companies sell the children of X",  # more than links is asked
        "what is the parent of X and what are its children",  # two questions, not a chain
        "how many broader terms is X filed under",  # the count asked repeats the link
        "X every superclass directly above it",  # "above" restates the link before it
        "the more specific kinds of X",  # the adjective and the noun say one link
    ],
)
def test_one_link_or_other_words_are_no_chain(reader: ChainReader, masked: str) -> None:
    assert reader.read(masked, _iri("Tea")) is None


def test_a_relation_of_the_graph_is_a_step(reader: ChainReader) -> None:
    steps = reader.read("what falls under the opposite of X", _iri("HotDrink"))
    assert steps is not None
    assert [s.kind for s in steps] == ["predicate", NARROWER]
    assert steps[0].predicate == _iri("oppositeOf")
    # "under" before the phrase asks down from what it reaches
    steps = reader.read("what is under the opposite of X", _iri("HotDrink"))
    assert steps is not None and [s.kind for s in steps] == ["predicate", NARROWER]
    # "under" after what the phrase reached asks up
    steps = reader.read("the opposite of X : what are they under", _iri("HotDrink"))
    assert steps is not None and [s.kind for s in steps] == ["predicate", BROADER]
    # asked first, then by "its": what the relation reached is asked of (not two asks, as
    # "what is the parent of X and what are its children")
    steps = reader.read("what is the opposite of X and what are its children", _iri("HotDrink"))
    assert steps is not None and [s.kind for s in steps] == ["predicate", NARROWER]


@pytest.mark.parametrize(
    ("question", "said", "unsaid"),
    [
        ("Which concepts are related to the narrower concepts of tea?",
         ["matcha", "milk", "green tea", "black tea"], ["teapot"]),
        ("What is the grandparent of green tea?", ["drink", "tea"], []),
        ("What are the narrower terms of the broader term of tea?", ["coffee"], []),
        ("What falls under the opposite of hot drink?", ["lemonade", "iced tea"], ["coffee"]),
        ("What are the related terms of coffee's siblings?", ["teapot"], ["caffeine"]),
        # a phrase said first, a semicolon, then the question about it
        ("Tea has children; what are they related to?", ["matcha", "milk"], ["teapot"]),
        # the topic said in the plural, then by "their": its members ("the teas")
        ("the hot drinks, and their related terms", ["caffeine", "teapot"], []),
        # the opposite asked first, then "its": the opposite's
        ("What is the opposite of cold drink, and what are its children?", ["tea", "coffee"],
         ["lemonade"]),
    ],
)
def test_a_chain_is_answered_whole_in_the_first_sentence(drinks, question: str,
                                                         said: list[str],
                                                         unsaid: list[str]) -> None:
    answer = drinks.ask(question)
    first = _first(answer.text).lower()
    assert not answer.abstained
    assert all(name in first for name in said), answer.text
    assert not any(f" {name}" in first for name in unsaid), answer.text


def test_the_chain_sentence_states_its_triples(drinks) -> None:
    answer = drinks.ask("Which concepts are related to the narrower concepts of tea?")
    triples = {(t.subject, t.object) for f in answer.facts for t in f.triples()}
    assert (_iri("GreenTea"), _iri("Tea")) in triples
    assert (_iri("GreenTea"), _iri("Matcha")) in triples


@pytest.mark.parametrize("question", ["Which descriptors is coffee associated with?",
                                      "coffee - see also?"])
def test_a_related_link_question_lists_every_related_term(drinks, question: str) -> None:
    first = _first(drinks.ask(question).text).lower()
    assert "caffeine" in first and "coffee bean" in first


def test_concepts_filed_alike_are_told_apart_by_their_related_terms(drinks) -> None:
    first = _first(drinks.ask("espresso versus filter coffee: what's the difference?").text)
    assert "crema" in first and "paper filter" in first, first


def test_nested_relations_of_the_graph_are_a_chain(engine) -> None:
    # "the limitations of the foundation of X": two of the graph's own relations, named by
    # nouns of their phrases, nested as the hierarchy's links are
    first = _first(engine.ask("name the limitations of the foundation of generative AI").text)
    assert first.startswith("The limitations of the foundation of Generative AI (Deep Learning)")
    for name in ("Bias", "Black Box", "Training Data"):
        assert name in first
    # said as verbs, relations are read by meaning elsewhere, not as this chain
    assert "foundation of" not in _first(engine.ask("what does generative AI build on?").text)


def test_one_level_is_one_step(reader: ChainReader) -> None:
    steps = reader.read("X , one level up please", _iri("Tea"), least=1)
    assert steps is not None and [s.kind for s in steps] == [BROADER]
