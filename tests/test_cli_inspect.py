"""``kg validate`` and ``kg show`` end to end through click, including bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_cli.main import cli

DATA = Path(__file__).parent / "data"
SKOS_FILE = str(DATA / "inspect_skos.ttl")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_GRAPH", raising=False)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def malformed(tmp_path) -> str:
    path = tmp_path / "broken.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n",
        encoding="utf-8",
    )
    return str(path)


def test_both_commands_are_registered_with_help():
    result = run("--help")
    assert "validate" in result.output and "show" in result.output
    for name in ("validate", "show"):
        assert "Examples" in run(name, "--help").output


def test_show_prints_a_readable_card():
    result = run("show", "cars", "--graph", SKOS_FILE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Car  <http://example.org/vehicles/Car>")
    assert "Also called: Automobile, Motor car" in out
    assert "Vehicle → Road vehicle → Car" in out
    assert "- Electric car" in out
    assert "Car — is powered by → Combustion engine" in out
    assert "Typical top speed of a car: Top speed of an ordinary family car." in out
    assert "value: 180" in out and "unit text: km/h" in out
    assert "Section 2: Cars" in out


def test_show_top_concept_and_json():
    text = run("show", "vehicle", "--graph", SKOS_FILE)
    assert "Broader: (top of the hierarchy)" in text.output
    result = run("show", "ex:ElectricCar", "--json", "--graph", SKOS_FILE)
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert card["iri"] == "http://example.org/vehicles/ElectricCar"
    assert card["broader_chains"] == [["Vehicle", "Road vehicle", "Car", "Electric car"]]


def test_show_unknown_concept_suggests_and_exits_1():
    result = run("show", "bicycel", "--graph", SKOS_FILE)
    assert result.exit_code == 1
    assert "no concept matches 'bicycel'" in result.output
    assert "Did you mean: Bicycle?" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["show", "car"], ["validate"]])
def test_malformed_graph_names_file_and_line_and_exits_2(command, malformed):
    result = run(*command, "--graph", malformed)
    assert result.exit_code == 2
    assert f"{malformed}:3:" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["show", "car"], ["validate"]])
def test_missing_graph_file(command, tmp_path):
    missing = str(tmp_path / "nope.ttl")
    result = run(*command, "--graph", missing)
    assert result.exit_code == 1
    assert f"{missing}: no such file" in result.output


def test_validate_clean_graph_exits_0():
    result = run("validate", "--graph", SKOS_FILE)
    assert result.exit_code == 0, result.output
    assert "structural checks only" in result.output
    assert "valid: 0 violation(s), 0 warning(s)" in result.output


def test_validate_cycle_exits_1_with_node_message_and_fix():
    result = run("validate", "--graph", str(DATA / "inspect_cycle.ttl"))
    assert result.exit_code == 1
    out = result.output
    assert "Violations (1)" in out
    assert "✗ Alpha <http://example.org/loop/A>" in out
    assert "problem:  hierarchy cycle" in out and "fix:" in out
    assert "NOT valid: 1 violation(s)" in out


def test_validate_groups_by_severity_and_uses_shape_messages():
    result = run(
        "validate",
        "--graph",
        str(DATA / "inspect_two_labels.ttl"),
        "--shapes",
        str(DATA / "inspect_shapes.ttl"),
    )
    assert result.exit_code == 1
    out = result.output
    assert out.index("Violations (4)") < out.index("Warnings (2)")
    assert "fix:      Every concept needs a skos:definition" in out


def test_validate_json():
    result = run("validate", "--json", "--graph", str(DATA / "inspect_two_labels.ttl"))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    assert report["counts"] == {"violation": 3, "warning": 2, "info": 0}
    assert {"severity", "focus", "focus_label", "path", "message", "fix"} <= set(
        report["violations"][0]
    )


def test_warnings_alone_do_not_fail(tmp_path):
    path = tmp_path / "undefined.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'ex:A a skos:Concept ; skos:prefLabel "A"@en .\n',
        encoding="utf-8",
    )
    result = run("validate", "--graph", str(path))
    assert result.exit_code == 0, result.output
    assert "Warnings (1)" in result.output and "no definition" in result.output


def test_validate_missing_shapes_file(tmp_path):
    result = run("validate", "--graph", SKOS_FILE, "--shapes", str(tmp_path / "none.ttl"))
    assert result.exit_code == 1
    assert "Check the path given to --shapes" in result.output
