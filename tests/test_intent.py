"""Intent and asked-for kind, table-driven: the wording decides, no graph involved."""

from __future__ import annotations

import pytest

from kg.qa.intent import detect_intent
from kg.qa.kinds import asked_kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is a hovercraft?", "definition"),
        ("define photosynthesis", "definition"),
        ("is a tram a robot or something else", "definition"),  # the answer left open
        ("Is a tram a kind of train?", "hierarchy"),
        ("what does the okapi belong to", "hierarchy"),
        ("How do violins differ from violas?", "comparison"),
        ("What kinds of cheese are there?", "membership"),
        ("Who uses lidar?", "example"),
        ("How many moons does Mars have?", "statistic"),
        ("What are the drawbacks of nuclear power?", "limitation"),
        ("which company is behind the Walkman", "relation"),
        ("What key features does Rust offer?", "attribute"),
        ("name some famous bridges", "membership"),
        ("what are the subtypes of odour?", "membership"),
        ("what are some uses of copper", "membership"),
        ("we need a one-line description of the okapi", "definition"),
        ("what does the term okapi stand for", "definition"),
        ("what does a tram need", "attribute"),
    ],
)
def test_intent_from_wording(question: str, kind: str) -> None:
    assert kind in detect_intent(question).kinds


@pytest.mark.parametrize(
    ("question", "flag", "value"),
    [
        ("Is a tram a kind of train?", "yes_no", True),
        ("What is a tram?", "yes_no", False),
        ("oblate - is that a spheroid?", "yes_no", True),
        ("why is it that trams run on rails?", "yes_no", False),
        ("Would a tram count as a kind of train?", "yes_no", True),
        # a polite request that embeds a wh-question asks that question
        ("Could someone tell me in a sentence or two what trams are?", "yes_no", False),
        ("can you tell me if a tram is a kind of train?", "yes_no", True),
        # an answer left open asks what the thing is
        ("is a tram a train or something else?", "yes_no", False),
        ("true or false: a tram is a kind of train", "yes_no", True),
        ("T or F: a tram is a kind of train", "yes_no", True),
        ("a tram a kind of train?", "yes_no", True),  # the verb left out
        ("a tram a kind of train", "yes_no", True),  # ... and the question mark
        ("name a kind of train", "yes_no", False),  # a command asks for one
        ("tram: a kind of train? y/n", "yes_no", True),
        ("tram - a train? yes or no", "yes_no", True),
        ("what is a kind of train?", "yes_no", False),
        ("a tram is a train, right?", "yes_no", True),
        ("which is right", "yes_no", False),
        ("What is the okapi a kind of?", "kind_of_tail", 0),
        ("what kind of fuel do rockets burn to reach orbit", "kind_of_tail", 7),
        ("Which bank lends to farmers?", "answer_type", "bank"),
        ("What is a bank?", "answer_type", ""),
        ("Which small regional banks are insured?", "answer_type", "banks"),
        ("which tools opened metalwork to hobbyists", "answer_type", "tools"),
        # a thing said indefinitely, then asked of by a pronoun: a chain, unless the thing
        # is the asker's own ("I'm reading a chapter on trams. What are they?")
        ("A tram maker builds something. What is its top speed?", "chained", True),
        ("I'm reading a chapter on trams in my language. What is it for?", "chained", False),
    ],
)
def test_question_shape(question: str, flag: str, value: object) -> None:
    assert getattr(detect_intent(question), flag) == value


def test_members_of_points_after_the_plural_kind_words() -> None:
    intent = detect_intent("What kinds of cheese are there?")
    assert intent.text[intent.members_after :].strip().startswith("cheese")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was the telescope invented?", "date"),
        ("In what year did the bridge open?", "date"),
        ("Who first described the okapi?", "person"),
        ("who invented the bicycle?", "person"),
        ("inventor of the zipper", "person"),
        ("Who is the CEO of Voltia Motors?", "person"),
        ("who was the head gardener at Kew", "person"),
        ("who is the market leader in tea", None),
        ("How much does a season ticket cost?", "price"),
        ("price of a flight to Oslo", "price"),
        ("How long does a lithium battery last?", "duration"),
        ("What programming language is Redis written in?", "language"),
        ("What is the latest version of Postgres?", "version"),
        ("How many parameters does the model have?", "quantity"),
        ("What is the melting point of tungsten in kelvin?", "quantity"),
        ("how tall is the tower", "quantity"),
        ("What context window length does the model support?", "quantity"),
        ("What is a bicycle?", None),
        ("who makes the Walkman", None),
        ("Is it the one for precision, and which is for speed of content?", None),
    ],
)
def test_asked_kind(question: str, kind: str | None) -> None:
    found = asked_kind(detect_intent(question).text)
    assert (found.name if found else None) == kind


def test_a_measure_names_what_is_measured() -> None:
    found = asked_kind(detect_intent("What context window length does it support?").text)
    assert found is not None and found.measure == "context window length"


@pytest.mark.parametrize(
    ("question", "counts"),
    [("How many kinds of cheese are there?", True), ("What kinds of cheese are there?", False),
     ("how many moons does Mars have", False), ("the number of types of rock", True)],
)
def test_a_count_of_members_is_asked_by_how_many_before_the_kind_word(
    question: str, counts: bool
) -> None:
    assert detect_intent(question).counts_members is counts


def test_a_definition_asked_by_its_noun_comes_first() -> None:
    assert detect_intent("we need a one-line description of rust").kinds[0] == "definition"


def test_a_pronoun_asking_what_a_term_means_chains_nothing() -> None:
    assert not detect_intent("The memo names a tariff. What does that mean?").chained
    assert detect_intent("A firm makes the tariff tool. What else does that firm make?").chained
