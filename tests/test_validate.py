"""Validation: structural checks on any SKOS or OWL graph, SHACL with authored fix messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from kg.errors import ConfigError, GraphLoadError, NotFoundError
from kg.rdf.classes import concept_classes
from kg.rdf.load import builtin_shapes, builtin_sources, load_graph
from kg.rdf.validate import shapes_for, validate, validate_loaded

DATA = Path(__file__).parent / "data"
PREFIXES = """
@prefix ex:   <http://example.org/t/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .
"""


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def checks(report, check: str) -> list:
    return [v for v in report.violations if v.check == check]


def load(name: str):
    return load_graph([DATA / name])


def test_valid_skos_graph_is_clean():
    report = validate_loaded(load("inspect_skos.ttl"))
    assert report.conforms
    assert report.violations == []
    assert report.shapes is None  # a user graph gets no default shapes
    assert "shacl" not in report.checks


def test_owl_class_hierarchy_is_clean_and_restrictions_are_ignored():
    report = validate_loaded(load("inspect_owl.ttl"))
    assert report.violations == []


def test_cycle_is_reported_once_with_the_loop_drawn():
    report = validate_loaded(load("inspect_cycle.ttl"))
    assert not report.conforms
    [cycle] = checks(report, "hierarchy-cycle")
    assert cycle.severity == "violation"
    assert cycle.focus == "http://example.org/loop/A"
    assert cycle.focus_label == "Alpha"
    assert cycle.path_name == "skos:broader"
    assert "Alpha → Gamma → Beta → Alpha" in cycle.message
    assert "Delta" not in cycle.message
    assert "remove" in cycle.fix


def test_self_loop_via_narrower_and_subclass_cycle():
    graph = turtle(
        """
        ex:A a skos:Concept ; skos:prefLabel "A"@en ; skos:definition "a"@en ;
            skos:narrower ex:A .
        ex:X a owl:Class ; rdfs:label "X"@en ; rdfs:comment "x"@en ; rdfs:subClassOf ex:Y .
        ex:Y a owl:Class ; rdfs:label "Y"@en ; rdfs:comment "y"@en ; rdfs:subClassOf ex:X .
        """
    )
    found = checks(validate(graph), "hierarchy-cycle")
    assert len(found) == 2
    assert {v.path_name for v in found} == {"skos:narrower", "rdfs:subClassOf"}
    assert any("X → Y → X" in v.message for v in found)


def test_label_definition_reachability_and_dangling_problems():
    report = validate_loaded(load("inspect_two_labels.ttl"))
    by_focus = {(v.check, v.focus.rsplit("/", 1)[-1]): v for v in report.violations}
    assert set(by_focus) == {
        ("pref-label", "Apple"),
        ("pref-label", "Pear"),
        ("top-concept", "Quince"),
        ("definition", "Quince"),
        ("dangling", "Pear"),
    }
    two = by_focus[("pref-label", "Apple")]
    assert two.severity == "violation" and "'Eating apple'" in two.message
    assert "skos:altLabel" in two.fix
    assert "no English" in by_focus[("pref-label", "Pear")].message
    assert by_focus[("definition", "Quince")].severity == "warning"
    dangling = by_focus[("dangling", "Pear")]
    assert dangling.severity == "warning"
    assert dangling.value == "http://example.org/fruit/Aple"
    assert "http://example.org/fruit/Apple" in dangling.fix  # did-you-mean
    assert report.counts() == {"violation": 3, "warning": 2, "info": 0}
    assert list(report.by_severity()) == ["violation", "warning"]


def test_language_rules_for_pref_labels():
    graph = turtle(
        """
        ex:Plain a skos:Concept ; skos:prefLabel "Plain" ; skos:definition "d" .
        ex:Regional a skos:Concept ; skos:prefLabel "Colour"@en-GB , "Color"@en-US ;
            skos:definition "d"@en .
        """
    )
    assert checks(validate(graph), "pref-label") == []


def test_concepts_typed_by_a_subclass_of_skos_concept_are_checked():
    graph = turtle(
        """
        ex:Kind a owl:Class ; rdfs:label "Kind"@en ; rdfs:comment "k"@en ;
            rdfs:subClassOf skos:Concept .
        ex:Sub a owl:Class ; rdfs:label "Sub"@en ; rdfs:comment "s"@en ; rdfs:subClassOf ex:Kind .
        ex:thing a ex:Sub ; skos:prefLabel "One"@en , "Two"@en .
        """
    )
    report = validate(graph)
    assert [v.focus_label for v in checks(report, "pref-label")] == ["One"]
    assert [v.path_name for v in checks(report, "definition")] == ["skos:definition"]


def test_top_concept_check_only_when_tops_are_declared():
    report = validate_loaded(load("inspect_cycle.ttl"))
    assert checks(report, "top-concept") == []


def test_links_to_other_vocabularies_are_not_dangling():
    graph = turtle(
        """
        @prefix other: <http://other.example/vocab#> .
        ex:A a skos:Concept ; skos:prefLabel "A"@en ; skos:definition "d"@en ;
            skos:related other:Thing ; rdfs:seeAlso ex:Nowhere ;
            skos:exactMatch ex:AlsoNowhere .
        """
    )
    assert checks(validate(graph), "dangling") == []


def test_shacl_uses_the_shape_message_as_the_fix():
    report = validate_loaded(load("inspect_two_labels.ttl"), DATA / "inspect_shapes.ttl")
    assert report.checks[0] == "shacl"
    assert report.shapes.endswith("inspect_shapes.ttl")
    [result] = checks(report, "shacl")
    assert result.focus_label == "Quince"
    assert result.path_name == "skos:definition"
    assert result.severity == "violation"
    assert "at least 1" in result.message
    assert result.fix.startswith("Every concept needs a skos:definition")


def test_shacl_warning_without_message_still_says_what_to_fix():
    graph = turtle(
        """
        ex:Top a skos:Concept ; skos:prefLabel "Top"@en ; skos:definition "d"@en .
        ex:Other a skos:Concept ; skos:prefLabel "Other"@en ; skos:definition "d"@en .
        ex:Both a skos:Concept ; skos:prefLabel "Both"@en ; skos:definition "d"@en ;
            skos:broader ex:Top , ex:Other .
        """
    )
    shapes = load_graph([DATA / "inspect_shapes.ttl"]).graph
    report = validate(graph, shapes)
    [warning] = checks(report, "shacl")
    assert warning.severity == "warning"
    assert warning.focus_label == "Both"
    assert "ex:Both" in warning.message  # pyshacl's own message
    assert "skos:broader: allows at most 1 value(s)" in warning.fix
    assert report.conforms  # warnings alone do not fail


def test_unusable_shapes_raise_config_error():
    shapes = turtle(
        """
        ex:Bad a sh:NodeShape ; sh:targetClass skos:Concept ;
            sh:property [ sh:path skos:prefLabel ; sh:minCount "many" ] .
        """
    )
    with pytest.raises(ConfigError, match="SHACL shapes could not be used"):
        validate(turtle('ex:A a skos:Concept ; skos:prefLabel "A"@en .'), shapes)


def test_shapes_file_errors(tmp_path):
    loaded = load("inspect_skos.ttl")
    assert shapes_for(loaded) is None
    with pytest.raises(NotFoundError, match="--shapes"):
        shapes_for(loaded, tmp_path / "missing.ttl")
    bad = tmp_path / "bad-shapes.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y .\nsh:z\n")
    with pytest.raises(GraphLoadError) as err:
        shapes_for(loaded, bad)
    assert err.value.line is not None


def test_report_is_deterministic_json_and_graph_untouched():
    loaded = load("inspect_two_labels.ttl")
    before = Graph()
    for triple in loaded.graph:
        before.add(triple)
    first = validate_loaded(loaded, DATA / "inspect_shapes.ttl").to_dict()
    second = validate_loaded(loaded, DATA / "inspect_shapes.ttl").to_dict()
    assert json.dumps(first) == json.dumps(second)
    assert first["conforms"] is False and first["counts"]["violation"] == 4
    assert isomorphic(before, loaded.graph)


def test_builtin_graph_validates_clean():
    assert builtin_sources()
    loaded = load_graph()
    assert any(
        True
        for cls in concept_classes(loaded.graph)
        for _ in loaded.graph.subjects(RDF.type, URIRef(cls))
    )
    report = validate_loaded(loaded)
    if builtin_shapes().is_file():
        assert report.shapes == "built-in shapes"
    problems = [
        f"{v.focus_label} <{v.focus}>: {v.message} -> {v.fix}"
        for v in report.violations
        if v.severity == "violation"
    ]
    assert report.conforms, "\n".join(problems)
