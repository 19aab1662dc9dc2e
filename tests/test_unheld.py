"""Questions whose concepts the graph names but whose shape asks for what it cannot hold
(kg/qa/unheld.py), asked of the small vehicles taxonomy through the real engine."""

from __future__ import annotations


def test_the_n_of_x_is_declined_when_nothing_joins_n_to_x(vehicles) -> None:
    answer = vehicles.ask("What is the battery of a bicycle?")
    assert answer.abstained
    assert "no battery of Bicycle" in answer.text
    # what the graph does hold of the bicycle is said
    assert "two-wheeled" in answer.text


def test_the_n_of_a_thing_the_graph_has_no_concept_for_is_declined(vehicles) -> None:
    answer = vehicles.ask("What is the battery of the Voyager probe?")
    assert answer.abstained
    assert "no battery of Voyager probe" in answer.text  # said back as typed
    # a word that asks is no such thing: "the kinds of battery" is the structure
    assert not vehicles.ask("What are the kinds of battery?").abstained


def test_the_n_of_x_is_answered_when_x_links_to_n_or_to_a_kind_of_n(vehicles) -> None:
    # an electric car is powered by a battery: the link answers
    direct = vehicles.ask("What is the battery of an electric car?")
    assert not direct.abstained
    # a battery is an energy source: the energy source of an electric car is held
    kind = vehicles.ask("What is the energy source of the electric car?")
    assert not kind.abstained and "Battery" in kind.text
    # a car is no battery's, but a kind of car is powered by one: the graph holds it below
    below = vehicles.ask("What is the battery of a car?")
    assert not below.abstained and "Battery" in below.text


def test_how_to_is_declined_when_no_fact_about_x_says_it(vehicles) -> None:
    answer = vehicles.ask("How do I paint a bicycle?")
    assert answer.abstained
    assert "how to paint a bicycle" in answer.text


def test_how_to_is_answered_when_a_fact_about_x_says_it(vehicles) -> None:
    answer = vehicles.ask("How can I recharge a battery?")
    assert not answer.abstained
    assert "recharged" in answer.text



def test_why_is_declined_when_nothing_about_x_speaks_of_what_is_asked(vehicles) -> None:
    answer = vehicles.ask("Why are bicycles so popular?")
    assert answer.abstained
    assert "does not say why" in answer.text and "popular" in answer.text
    # the definition of what is asked about is said as what the graph does hold
    assert "two-wheeled" in answer.text


def test_why_is_answered_when_a_fact_about_x_or_its_link_says_it(vehicles) -> None:
    # the electric car's definition speaks of electricity; its link names the battery
    assert not vehicles.ask("Why does an electric car need electricity?").abstained
    assert not vehicles.ask("Why does an electric car have a battery?").abstained
    # a why clause that is only context for the question asked after it is not declined
    context = vehicles.ask("Why are bicycles so popular, and what is a bicycle?")
    assert not context.abstained


def test_how_many_of_asking_words_or_of_a_named_grouping_is_a_count(vehicles) -> None:
    # "child terms" asks the hierarchy, not a quantity the graph would have to state
    answer = vehicles.ask("How many child terms does vehicle have?")
    assert not answer.abstained and "2" in answer.text.split(".")[0]


def test_a_ranking_is_declined_without_figures_and_answered_with_them(vehicles) -> None:
    slow = vehicles.ask("Which bicycle is the fastest?")
    assert slow.abstained and "no figures to rank Bicycle by" in slow.text
    # the graph states a range for the electric car: a figure to rank by
    far = vehicles.ask("Which car has the longest range?")
    assert not far.abstained and "420" in far.text


def test_is_a_kind_of_is_declined_when_the_first_names_no_concept(vehicles) -> None:
    for question in ("Is a Hoverboard a kind of vehicle?",
                     "True or false: a hoverboard is a type of vehicle."):
        answer = vehicles.ask(question)
        assert answer.abstained, answer.text
        assert 'no concept named "' in answer.text and "overboard" in answer.text
    # both named: the filing answers
    assert vehicles.ask("Is a bicycle a kind of vehicle?").text.startswith("Yes")
