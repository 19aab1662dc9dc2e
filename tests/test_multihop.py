"""Multi-hop (chained) questions: spotted from their grammar, answered with what the hops reach.

A chained question names where it starts ("the company that makes the EV") and asks for what
lies one or two edges further; the answer's entities lead with what the hops reach, not with
the starting point the question already gave.
"""

from __future__ import annotations

import pytest

from kg.qa.intent import detect_intent


@pytest.mark.parametrize(
    ("question", "chained"),
    [
        ("Which company makes the EV, and what does that company build?", True),
        ("Bikes run on one energy source; what is that source?", True),
        ("What is the definition of the vehicle whose energy comes from a battery?", True),
        ("What range does the car Voltia Motors makes reach?", True),
        ("The company behind the EV builds what else?", True),
        ("What is an electric car?", False),
        ("Is a bicycle a kind of vehicle?", False),
        ("Which company makes the electric car?", False),
        ("What is the difference between a car and a bicycle?", False),
        ("What does the EV run on?", False),
        # a possessive naming a kind, then a verb and its preposition
        ("What is Voltia's product used for?", True),
        ("What is Voltia's main product?", False),
        ("What's the top speed of Voltia's electric car?", False),
        ("How many trips does Voltia's car manage with one charge?", False),
        # a statement with an indefinite object, then a question about it by a pronoun
        ("Voltia Motors makes something. What is its energy source?", True),
        ("The EV is a car. What are its limits?", False),
        ("What is an EV? What are its limits?", False),
        ("I read about Voltia in a report. What does it mean?", False),
        # a relative clause with "made by"
        ("Who buys the car made by Voltia Motors?", True),
        # a definite phrase with a clause said first, then asked about by a pronoun
        ("The cars Voltia Motors makes, what are they powered by?", True),
        ("The electric car: what is it powered by?", False),  # a short name said first
    ],
)
def test_chained_questions_are_spotted_from_grammar(question: str, chained: bool) -> None:
    assert detect_intent(question).chained is chained


@pytest.mark.parametrize(
    ("question", "start", "reached"),
    [
        ("Which company makes the EV, and what does that company build?",
         "Electric Car", "Voltia Motors"),
        ("What range does the car Voltia Motors makes reach?", "Voltia Motors", "Electric Car"),
    ],
)
def test_chained_answer_entities_lead_with_what_the_hops_reach(
    vehicles, question: str, start: str, reached: str
) -> None:
    answer = vehicles.ask(question)
    assert not answer.abstained
    labels = [e.label for e in answer.entities]
    assert start in labels and reached in labels
    assert labels.index(reached) < labels.index(start), labels


def test_plain_question_keeps_its_named_concept_first(vehicles) -> None:
    answer = vehicles.ask("What is an electric car?")
    assert answer.entities[0].label == "Electric Car"


@pytest.mark.parametrize(
    ("question", "head"),
    [
        ("Voltia Motors makes one car; what is that car powered by?", "voltia motors makes one car"),
        ("What range does the car Voltia Motors makes reach?", "voltia motors makes reach"),
        ("What is the energy source of the car whose maker is Voltia Motors?",
         "maker is voltia motors"),
        ("What is an electric car?", ""),
    ],
)
def test_the_chain_starts_where_the_question_names_its_start(question: str, head: str) -> None:
    assert detect_intent(question).chain_head == head


@pytest.mark.parametrize(
    ("question", "hops"),
    [
        # hop 1 joins the named start to the car; hop 2 says what the graph holds on that car
        ("What range does the car Voltia Motors makes reach?",
         [("Voltia Motors", "Electric Car"), ("420",)]),
        ("Voltia Motors makes one car; what is that car powered by?",
         [("Voltia Motors", "Electric Car")]),
        ("Electric cars run on one energy source; what does that source store?",
         [("Electric Car", "Battery"), ("Battery",)]),
        ("What is the energy source of the car whose maker is Voltia Motors?",
         [("Voltia Motors", "Electric Car")]),
        ("The cars Voltia Motors makes, what are they powered by?",
         [("Voltia Motors", "Electric Car", "Battery")]),
    ],
)
def test_one_sentence_per_hop_in_the_question_order(
    vehicles, question: str, hops: list[tuple[str, ...]]
) -> None:
    lines = vehicles.ask(question).text.splitlines()
    for line, words in zip(lines, hops, strict=False):
        for w in words:
            assert w in line, (question, lines)


@pytest.mark.parametrize(
    ("question", "answered", "lacking"),
    [
        ("What is an electric car, and when was it first sold?",
         "Electric Car:", "when was it first sold"),
        ("Which company makes the EV, and when was it founded?",
         "Voltia Motors", "when was it founded"),
    ],
)
def test_two_part_question_answers_the_part_the_graph_holds(
    vehicles, question: str, answered: str, lacking: str
) -> None:
    answer = vehicles.ask(question)
    assert not answer.abstained
    body = answer.text.split("\nSources:")[0]
    assert answered in body.splitlines()[0]
    assert "no date" in body and f'"{lacking}"' in body  # says which part it lacks
    assert answer.reason


def test_a_one_part_question_for_a_missing_value_still_abstains(vehicles) -> None:
    answer = vehicles.ask("When was the electric car first sold?")
    assert answer.abstained
    assert "no date" in answer.text


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # the kind named on the way (an application) and the kind asked (an industry)
        ("In which industry is the application Netflix uses applied?",
         "Netflix uses Recommendation Systems, which are applied in E-commerce"),
        ("the application that Siemens uses is applied in which industry?",
         "Supply Chain, which is applied in Manufacturing"),
        # "make" names "is developed by", the products are passed on the way
        ("Which companies make the products that general developers use?",
         "Bard, which is developed by Google, and Copilot, which is developed by Microsoft"),
    ],
)
def test_two_relations_are_followed_and_said_in_the_first_sentence(
        engine, question: str, said: str) -> None:
    assert said in engine.ask(question).text.split("\n")[0]


def test_a_statement_then_a_question_about_its_object_is_answered_through_it(vehicles) -> None:
    # "X makes something. What is it powered by?": the thing made, then what powers it
    lead = vehicles.ask("Voltia Motors makes something. What is it powered by?").text
    assert "Electric Car, which is powered by Battery" in lead.split("\n")[0]


def test_a_name_said_first_is_no_chain(vehicles) -> None:
    # "The electric car, ...": the phrase is only the concept's name; its own link answers
    first = vehicles.ask("The electric car, what is it powered by?").text.splitlines()[0]
    assert "Battery" in first and "Voltia" not in first
