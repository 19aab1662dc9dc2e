"""The concepts an answer is about, in the order shown (kg/qa/entity_refs.py), on the small
vehicles taxonomy."""

from __future__ import annotations

from kg.qa.answer import EntityRef, Fact
from kg.qa.entity_refs import answer_entities
from kg.qa.intent import detect_intent

V = "http://example.org/vehicles/"


def _fact(s: str, o: str, score: float) -> Fact:
    return Fact(V + s, "p", V + o, f"{s} p {o}.", score=score, nodes=(V + s, V + o))


def test_named_first_then_what_the_facts_weigh_most(vehicles) -> None:
    named = [EntityRef(V + "Car", "Car", 1.0, "named")]
    chosen = [_fact("Car", "Engine", 0.9), _fact("ElectricCar", "Battery", 0.5)]
    refs = answer_entities(vehicles.view, vehicles.walker, named, (), chosen, 5,
                           detect_intent("What powers a car?"))
    iris = [r.iri.removeprefix(V) for r in refs]
    assert iris[0] == "Car"
    assert iris.index("Engine") < iris.index("Battery")


def test_a_chained_question_leads_with_what_the_hops_reach(vehicles) -> None:
    named = [EntityRef(V + "Voltia", "Voltia Motors", 1.0, "named")]
    chosen = [_fact("ElectricCar", "Voltia", 0.9)]
    intent = detect_intent("What range does the car Voltia Motors makes reach?")
    refs = answer_entities(vehicles.view, vehicles.walker, named, (), chosen, 5, intent)
    assert refs[0].iri == V + "ElectricCar" and refs[-1].iri == V + "Voltia"
