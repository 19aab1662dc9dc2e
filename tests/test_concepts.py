"""Resolving what people type to a concept, and the card describing it (any SKOS/OWL graph)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import NotFoundError
from kg.rdf.load import load_graph
from kg.view.concepts import describe, graph_prefixes, normalise, resolve, suggest
from kg.view.graph_view import build_view

DATA = Path(__file__).parent / "data"
EX = "http://example.org/vehicles/"
ZOO = "http://example.org/zoo#"


@pytest.fixture(scope="module")
def skos():
    graph = load_graph([DATA / "inspect_skos.ttl"]).graph
    return build_view(graph), graph


@pytest.fixture(scope="module")
def owl():
    graph = load_graph([DATA / "inspect_owl.ttl"]).graph
    return build_view(graph), graph


def view_of(turtle: str):
    graph = Graph().parse(data=turtle, format="turtle")
    return build_view(graph), graph


def test_normalise_ignores_case_hyphens_camel_case_and_plurals():
    assert normalise("Deep-Learning models") == normalise("deepLearningModel")
    assert normalise("Transformers") == normalise("transformer")
    assert normalise("LLMs") == normalise("LLM")
    assert normalise("Categories") == normalise("category")
    assert normalise("analysis") == "analysis"


@pytest.mark.parametrize(
    "text, local",
    [
        ("Car", "Car"),
        ("car", "Car"),
        ("CARS", "Car"),
        ("road-vehicles", "RoadVehicle"),
        ("Road Vehicle", "RoadVehicle"),
        ("automobiles", "Car"),  # alt label, plural
        ("Motor car", "Car"),
        ("ElectricCar", "ElectricCar"),  # local name
        ("ex:ElectricCar", "ElectricCar"),  # prefixed name from the file's own prefixes
        (EX + "Bicycle", "Bicycle"),
        (f"<{EX}Bicycle>", "Bicycle"),
        ("  combustion engines ", "CombustionEngine"),
        ("typical top speed of a car", "carSpeedFigure"),  # data nodes resolve too
    ],
)
def test_resolve_accepts_every_way_of_naming(skos, text, local):
    view, graph = skos
    assert resolve(view, text, graph_prefixes(graph)) == EX + local


def test_prefixed_name_with_unknown_prefix_falls_back_to_local_name(skos):
    view, _graph = skos
    assert resolve(view, "vehicles:Bicycle") == EX + "Bicycle"


def test_unknown_name_suggests_close_labels(skos):
    view, _graph = skos
    with pytest.raises(NotFoundError, match=r"Did you mean: Car\?") as err:
        resolve(view, "carr")
    assert err.value.exit_code == 1
    with pytest.raises(NotFoundError, match="Vehicle, Road vehicle"):
        resolve(view, "vehic")


def test_nothing_close_says_what_to_do(skos):
    view, _graph = skos
    with pytest.raises(NotFoundError, match="Check the spelling") as err:
        resolve(view, "xylophone quartet")
    assert "Did you mean" not in str(err.value)
    with pytest.raises(NotFoundError, match="no concept given"):
        resolve(view, "   ")


def test_suggestions_are_capped_at_five():
    turtle = (
        "@prefix ex: <http://e.org/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    )
    turtle += "".join(
        f'ex:c{i} a skos:Concept ; skos:prefLabel "Model {i}"@en .\n' for i in range(9)
    )
    view, _graph = view_of(turtle)
    assert len(suggest(view, "model")) == 5
    with pytest.raises(NotFoundError) as err:
        resolve(view, "modl")
    assert str(err.value).count("Model ") <= 5


def test_ambiguous_label_lists_the_candidates_and_concepts_beat_data_nodes():
    view, _graph = view_of(
        """
        @prefix a: <http://a.org/> . @prefix b: <http://b.org/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        a:Jaguar a skos:Concept ; skos:prefLabel "Jaguar"@en .
        b:Jaguar a skos:Concept ; skos:prefLabel "Jaguar"@en .
        a:Puma a skos:Concept ; skos:prefLabel "Puma"@en .
        b:puma rdfs:label "Puma"@en ; rdfs:comment "A shoe brand."@en .
        """
    )
    with pytest.raises(NotFoundError, match="matches 2 nodes") as err:
        resolve(view, "jaguar")
    assert "http://a.org/Jaguar" in str(err.value) and "http://b.org/Jaguar" in str(err.value)
    assert resolve(view, "Puma") == "http://a.org/Puma"


def test_card_of_a_skos_concept(skos):
    view, graph = skos
    card = describe(view, graph, EX + "Car")
    assert card.label == "Car"
    assert card.alt_labels == ["Automobile", "Motor car"]
    assert card.definition.startswith("A road vehicle with four wheels")
    assert card.broader_chains == [["Vehicle", "Road vehicle", "Car"]]
    assert [r.label for r in card.broader] == ["Road vehicle"]
    assert [r.label for r in card.narrower] == ["Electric car"]
    assert [(r.predicate_label, r.label) for r in card.relations_out] == [
        ("is powered by", "Combustion engine"),
        ("is related to", "Bicycle"),
    ]
    assert card.relations_in == []
    [figure] = card.figures
    assert figure.label == "Typical top speed of a car"
    assert figure.description == "Top speed of an ordinary family car."
    assert figure.predicate_label == "has figure"
    assert {a.name: a.value for a in figure.attributes} == {"value": "180", "unit text": "km/h"}
    assert [(s.title, s.iri) for s in card.sources] == [("Section 2: Cars", EX + "sectionCars")]
    assert card.is_concept


def test_relation_stated_once_shows_from_both_ends(skos):
    view, graph = skos
    bicycle = describe(view, graph, EX + "Bicycle")
    assert [(r.label, r.predicate_label) for r in bicycle.relations_in] == [("Car", "is related to")]
    engine = describe(view, graph, EX + "CombustionEngine")
    assert [(r.label, r.predicate_label) for r in engine.relations_in] == [("Car", "is powered by")]


def test_relation_stated_both_ways_is_shown_once():
    view, graph = view_of(
        """
        @prefix ex: <http://e.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ex:uses owl:inverseOf ex:usedBy ; rdfs:label "uses" .
        ex:usedBy rdfs:label "is used by" .
        ex:A a skos:Concept ; skos:prefLabel "A" ; ex:uses ex:B ; skos:related ex:B .
        ex:B a skos:Concept ; skos:prefLabel "B" ; ex:usedBy ex:A ; skos:related ex:A .
        ex:C a skos:Concept ; skos:prefLabel "C" ; ex:uses ex:B .
        """
    )
    card = describe(view, graph, "http://e.org/B")
    assert [(r.predicate_label, r.label) for r in card.relations_out] == [
        ("is related to", "A"),
        ("is used by", "A"),
    ]
    assert [(r.predicate_label, r.label) for r in card.relations_in] == [("uses", "C")]


def test_card_to_dict_is_json_ready_and_stable(skos):
    view, graph = skos
    first = describe(view, graph, EX + "Car").to_dict()
    assert json.loads(json.dumps(first)) == first
    assert first["figures"][0]["attributes"][0].keys() == {"predicate", "name", "value"}
    assert describe(view, graph, EX + "Car").to_dict() == first


def test_card_of_an_owl_class_hides_restriction_nodes(owl):
    view, graph = owl
    card = describe(view, graph, resolve(view, "fruit bats"))
    assert card.iri == ZOO + "Fruitbat"
    assert card.types == ["class"]
    assert card.broader_chains == [["Animal", "Mammal", "Bat", "Fruit bat"]]
    assert [r.label for r in card.broader] == ["Bat"]
    assert [(r.predicate_label, r.label) for r in card.relations_out] == [("eats (some)", "Animal")]


def test_card_of_an_individual_shows_its_values(owl):
    view, graph = owl
    card = describe(view, graph, resolve(view, "Ziggy"))
    assert card.types == ["Bat"]
    assert [(a.name, a.value) for a in card.attributes] == [("age in years", "4")]
    assert not card.is_concept
    bat = describe(view, graph, ZOO + "Bat")
    assert [(r.predicate_label, r.label) for r in bat.relations_out] == [("eats", "Insect")]
    assert [r.label for r in bat.narrower] == ["Fruit bat"]


def test_several_broader_chains_and_literal_sources():
    view, graph = view_of(
        """
        @prefix ex: <http://e.org/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        ex:Top a skos:Concept ; skos:prefLabel "Top"@en .
        ex:Left a skos:Concept ; skos:prefLabel "Left"@en ; skos:broader ex:Top .
        ex:Right a skos:Concept ; skos:prefLabel "Right"@en ; skos:broader ex:Top .
        ex:Leaf a skos:Concept ; skos:prefLabel "Leaf"@en ; skos:broader ex:Left , ex:Right ;
            dcterms:source "Chapter 4" .
        """
    )
    card = describe(view, graph, "http://e.org/Leaf")
    assert sorted(card.broader_chains) == [["Top", "Left", "Leaf"], ["Top", "Right", "Leaf"]]
    assert [(s.title, s.iri) for s in card.sources] == [("Chapter 4", None)]
    assert card.attributes == []  # the literal citation is a source, not a value


def test_concept_typed_by_a_subclass_of_skos_concept_is_not_a_data_node():
    view, graph = view_of(
        """
        @prefix ex: <http://e.org/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ex:Product rdfs:subClassOf skos:Concept .
        ex:Tool a ex:Product ; rdfs:label "Tool"@en ; ex:releaseYear "2020" .
        ex:Maker rdfs:label "Maker"@en ; ex:makes ex:Tool .
        """
    )
    card = describe(view, graph, "http://e.org/Maker")
    assert card.figures == []
    assert [r.label for r in card.relations_out] == ["Tool"]
    assert describe(view, graph, "http://e.org/Tool").is_concept


def test_describe_unknown_iri(skos):
    view, graph = skos
    with pytest.raises(NotFoundError, match="not in the graph"):
        describe(view, graph, EX + "Nothing")
