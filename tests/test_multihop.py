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
