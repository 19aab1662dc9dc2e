"""When two named concepts are answered side by side (kg/qa/contrast.py), asked of the small
vehicles taxonomy through the real engine."""

from __future__ import annotations


def test_a_bare_contrast_is_answered_side_by_side(vehicles) -> None:
    first = vehicles.ask("bicycle vs car").text.splitlines()[0]
    assert first.startswith("Bicycle and Car are both kinds of Vehicle: ")
    assert "pedalling" in first and "engine" in first


def test_an_aspect_said_of_both_is_answered_by_the_paired_facts(vehicles) -> None:
    # "powers" is said of both (each "is powered by" something): the pairing leads
    for question in ("bicycle vs car: what powers them?",
                     "how do a bicycle and a car differ in what powers them"):
        first = vehicles.ask(question).text.splitlines()[0]
        assert first.startswith("Bicycle is powered by Human Power; Car is powered by"), first
