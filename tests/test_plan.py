"""The answer plan reads the question's clauses: a "kind of" asked in one clause does not
make a hierarchy question of a concept named in another."""

from __future__ import annotations

from pathlib import Path

from kg.config import Settings
from kg.workspace import Workspace


def test_kind_of_in_another_clause_asks_no_chain(vehicles) -> None:  # noqa: ANN001
    # "what kind of energy" asks for a value of the second clause, not where the car sits.
    a = vehicles.ask("Who makes the electric car, and what kind of energy does it use?")
    assert not a.text.splitlines()[0].startswith("Electric Car is a kind of")
    b = vehicles.ask("The electric car is what kind of vehicle, and what is that a kind of?")
    first = b.text.splitlines()[0]  # the car's parent first, then what that is a kind of
    assert "Electric Car" in first and first.rstrip(" .[]1").endswith("Car")
    assert "Vehicle" in b.text.split("Sources:")[0]


def test_a_who_question_is_not_answered_by_a_list_of_uses(engine) -> None:  # noqa: ANN001
    # "what is X used for" asks for the list; "who uses X to ..." asks for an agent.
    listed = engine.ask("What is deep learning used for?").text.splitlines()[0]
    assert listed.startswith("Deep Learning is used for ")
    who = engine.ask("Who uses deep learning for fraud detection?").text.splitlines()[0]
    assert not who.startswith("Deep Learning is used for ")


def test_no_chain_between_two_named_leads_with_a_fact_about_both(engine) -> None:  # noqa: ANN001
    # "Is X part of Y?" with no broader chain from X to Y but a link between them: the link
    # answers first, then where the graph files X instead.
    lines = engine.ask("Is generative AI part of machine learning?").text.splitlines()
    assert "machine learning" in lines[0].lower() and "generative ai" in lines[0].lower()
    assert lines[1].startswith("As a kind, the graph does not file Generative AI under "
                               "Machine Learning"), lines


def test_a_difference_is_answered_by_the_contrast_and_a_likeness_by_what_is_shared(
    vehicles,  # noqa: ANN001
) -> None:
    # asked on an aspect ("what powers them"), the property that differs leads ...
    differ = vehicles.ask("How do a bicycle and a car differ in what powers them?").text
    assert differ.splitlines()[0].startswith("Bicycle is powered by Human Power; Car is")
    # ... asked on none, what each one is leads, side by side on what both are, and the
    # property follows
    plain = vehicles.ask("How does a bicycle differ from a car?").text.splitlines()
    assert plain[0].startswith("Bicycle and Car are both kinds of Vehicle: Bicycle is a "
                               "two-wheeled vehicle")
    assert ", while Car is a four-wheeled road vehicle" in plain[0]
    assert any(line.startswith("Bicycle is powered by Human Power; Car is") for line in plain)
    alike = vehicles.ask("What do bicycles and cars have in common?").text.splitlines()
    assert alike[0] == "Bicycle and Car are both kinds of Vehicle. [1]"


def test_how_many_kinds_is_answered_by_counting_the_narrower_concepts(vehicles) -> None:  # noqa: ANN001
    a = vehicles.ask("How many kinds of energy source are there?")
    assert not a.abstained
    assert a.text.splitlines()[0].startswith(
        "Energy Source has 3 narrower concepts: Battery, Combustion Engine and Human Power")
    one = vehicles.ask("how many types of car does the graph know?")
    assert one.text.splitlines()[0].startswith("Car has one narrower concept: Electric Car")


def test_two_siblings_compared_are_told_apart_by_their_definitions(vehicles) -> None:  # noqa: ANN001
    # No property differs between them: what each is tells them apart, not "both are P".
    lines = vehicles.ask("How does human power differ from a battery?").text.splitlines()
    assert lines[0].startswith("Human Power and Battery are both kinds of Energy Source: ")
    assert "supplied by the rider's muscles, while Battery is a store of electrical energy" \
        in lines[0]


def test_which_x_is_answered_by_the_relation_named_x(session_cache) -> None:  # noqa: ANN001
    # "Which theme ... belong to?" names a relation ("is in the theme"), not the hierarchy.
    graph = Path(__file__).parent / "data" / "qa_themes.ttl"
    engine = Workspace(Settings(graph_paths=(graph,), cache_dir=session_cache)).engine
    lines = engine.ask("Which theme does recycling belong to?").text.splitlines()
    assert lines[0] == "Recycling is in the theme resources."


def test_a_role_the_graph_does_not_record_is_declined_by_name(vehicles) -> None:  # noqa: ANN001
    a = vehicles.ask("who was the first chairman of Voltia Motors?")
    assert a.abstained
    assert "does not record the chairman of Voltia Motors" in a.text


def test_two_things_that_name_each_other_are_contrasted_once(session_cache) -> None:  # noqa: ANN001
    graph = Path(__file__).parent / "data" / "qa_themes.ttl"
    engine = Workspace(Settings(graph_paths=(graph,), cache_dir=session_cache)).engine
    assert engine.ask("How do recycling and landfilling differ?").text.count("opposite of") <= 1
    text = engine.ask("recycling vs landfilling: how are they opposed?").text
    assert text.splitlines()[0] == "Recycling is opposite of landfilling."
    assert text.count("opposite of") == 1


def test_a_yes_no_question_about_a_link_the_graph_lacks_is_declined(vehicles) -> None:  # noqa: ANN001
    no = vehicles.ask("Is the bicycle made by Voltia Motors?")
    assert no.abstained
    assert "The graph records no link between Bicycle and Voltia Motors. It holds: Bicycle:" in (
        no.text)
    yes = vehicles.ask("Is the electric car made by Voltia Motors?").text.splitlines()
    assert yes[0].startswith("Electric Car is made by Voltia Motors.")
