"""A value the question names by its property ("the notation of X"), read off the concept or
off the grouping of the same name, and questions worded as one of a form's own phrasings
(kg/qa/route.py, kg/qa/forms.py), on a small thesaurus through the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.workspace import Workspace

_TTL = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:Econ a skos:Concept ; skos:prefLabel "Economics"@en ; skos:notation "E" .
ex:WageGroup a skos:Concept ; skos:prefLabel "Wage"@en ; skos:notation "E.4" ;
    skos:broader ex:Econ .
ex:Wages a skos:Concept ; skos:prefLabel "Wages"@en ; skos:broader ex:WageGroup .
ex:MinWage a skos:Concept ; skos:prefLabel "Minimum wage"@en ; skos:broader ex:Wages .
ex:RealWages a skos:Concept ; skos:prefLabel "Real wages"@en ; skos:broader ex:Wages .
ex:Youth a skos:Concept ; skos:prefLabel "Youth policy"@en ; skos:broader ex:Econ .
ex:Child a skos:Concept ; skos:prefLabel "Child protection"@en ; skos:broader ex:Youth .
ex:Welfare a skos:Concept ; skos:prefLabel "Youth welfare"@en ; skos:broader ex:Youth .
ex:WaterTheme a skos:Concept ; skos:prefLabel "Water"@en .
ex:Water a skos:Concept ; skos:prefLabel "Water (substance)"@en ; skos:broader ex:Econ .
ex:Drinking a skos:Concept ; skos:prefLabel "Drinking water"@en ; skos:broader ex:Water .
ex:Mineral a skos:Concept ; skos:prefLabel "Mineral water"@en ; skos:broader ex:Water .
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, session_cache: Path):
    path = tmp_path_factory.mktemp("values") / "econ.ttl"
    path.write_text(_TTL, encoding="utf-8")
    return Workspace(Settings(graph_paths=(path,), cache_dir=session_cache)).engine


def test_a_value_named_by_its_property_is_the_answer(engine) -> None:
    answer = engine.ask("What is the notation of the wage category?")
    assert answer.text.startswith("The notation of Wage is E.4.")


def test_a_value_is_read_off_the_grouping_of_the_same_name(engine) -> None:
    # "Wages" holds no notation; the grouping "Wage" it is filed under does
    answer = engine.ask("notation for wages")
    assert answer.text.startswith("The notation of Wage is E.4.")


def test_a_question_worded_as_a_phrasing_is_read_as_its_form(engine) -> None:
    reading = engine.forms.read("what does youth policy include", [(2, 4)])
    assert (reading.form, reading.score) == ("narrower", 1.0)
    answer = engine.ask("what does youth policy include")
    assert "Child protection" in answer.text and "Youth welfare" in answer.text


def test_a_name_the_parents_label_says_asks_for_the_siblings(engine) -> None:
    # "water" names the concept Water, but here it says the parent "Water (substance)"
    answer = engine.ask("drinking water: what other kinds of water sit beside it?")
    assert "Mineral water" in answer.text.split(".")[0]


def test_a_concept_named_twice_is_one_topic(engine) -> None:
    # "wages" twice: one concept, whose narrower ones are counted
    answer = engine.ask("how many types of wages sit directly under wages")
    assert answer.text.startswith("Wages have 2 narrower concepts")


_OBO = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oio: <http://www.geneontology.org/formats/oboInOwl#> .
@prefix q: <http://example.org/quality/> .
q:Q1 a owl:Class ; rdfs:label "quality" .
q:Q2 a owl:Class ; rdfs:subClassOf q:Q1 ; rdfs:label "abnormal" ;
    oio:hasRelatedSynonym "aberrant", "atypical" .
oio:hasRelatedSynonym a owl:AnnotationProperty ; rdfs:label "has_related_synonym" .
"""


def test_a_synonym_property_named_asks_every_other_name(tmp_path, session_cache) -> None:
    path = tmp_path / "obo.ttl"
    path.write_text(_OBO, encoding="utf-8")
    obo = Workspace(Settings(graph_paths=(path,), cache_dir=session_cache)).engine
    # "related synonyms" names the property, but the names form lists them all
    lead = obo.ask("What are the exact or related synonyms of abnormal?").text.split("\n")[0]
    assert "aberrant" in lead and "atypical" in lead
    assert "has_related_synonym" not in lead
