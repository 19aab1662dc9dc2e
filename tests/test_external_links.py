"""Links into other vocabularies stay links on their concept, and facts read as sentences.

The fixture is a five-resource thesaurus whose concepts map (``skos:exactMatch``,
``closeMatch``, ``relatedMatch``, ``owl:sameAs``, ``rdfs:seeAlso``) to resources the file
does not describe; one ``closeMatch`` joins two of its own concepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.config import Settings
from kg.rdf.load import load_graph
from kg.view.concepts import describe, resolve
from kg.view.graph_view import GraphView, build_view
from kg.view.phrasing import name_phrase, phrase, predicate_phrase
from kg.view.snapshot import load_snapshot, save_snapshot
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "thesaurus_mappings.ttl"
EX = "https://example.org/thes/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
EXTERNAL = {
    "http://vocab.example.net/terms/Pollution",
    "http://encyclopedia.example.org/resource/Pollution",
    "http://vocab.example.net/terms/AcidRain",
    "http://items.example.org/entity/Q71",
    "http://docs.example.org/acid-rain",
}


@pytest.fixture(scope="module")
def loaded():
    graph = load_graph([FIXTURE]).graph
    return graph, build_view(graph)


def test_undescribed_mapping_targets_are_not_nodes_but_links_on_their_concept(loaded):
    _, view = loaded
    assert sorted(view.nx.nodes) == sorted(
        EX + n for n in ("acidRain", "air", "pollution", "smog", "wastes"))
    assert not EXTERNAL & set(view.nx.nodes)
    links = {n: {o for _, o in d["external"]} for n, d in view.nx.nodes(data=True)}
    assert links[EX + "acidRain"] == {"http://vocab.example.net/terms/AcidRain",
                                      "http://items.example.org/entity/Q71",
                                      "http://docs.example.org/acid-rain"}
    assert links[EX + "pollution"] == {"http://vocab.example.net/terms/Pollution",
                                       "http://encyclopedia.example.org/resource/Pollution"}
    assert links[EX + "smog"] == {"http://vocab.example.net/terms/AcidRain"}
    assert links[EX + "air"] == set()
    # A mapping between two concepts the graph describes stays a relation.
    assert view.nx.has_edge(EX + "smog", EX + "acidRain")
    assert not any(o in EXTERNAL for _, o in view.nx.edges())


def test_external_links_survive_the_snapshot(loaded, tmp_path):
    _, view = loaded
    again = GraphView.from_data(view.to_data())
    assert dict(again.nx.nodes(data="external")) == dict(view.nx.nodes(data="external"))
    save_snapshot(tmp_path, "h" * 40, view)
    reopened = load_snapshot(tmp_path, "h" * 40)
    assert reopened is not None
    assert dict(reopened.nx.nodes(data="external")) == dict(view.nx.nodes(data="external"))


def test_card_lists_external_links(loaded):
    graph, view = loaded
    card = describe(view, graph, resolve(view, "acid rain"))
    assert [(x.predicate_label, x.iri) for x in card.external_links] == [
        ("see also", "http://docs.example.org/acid-rain"),
        ("same as", "http://items.example.org/entity/Q71"),
        ("exact match", "http://vocab.example.net/terms/AcidRain"),
    ]
    assert card.to_dict()["external_links"][0]["iri"] == "http://docs.example.org/acid-rain"
    related = {(r.predicate_label, r.label) for r in card.relations_out}
    assert ("is in the group", "WASTES, POLLUTANTS, POLLUTION") in related
    assert not any(r.iri in EXTERNAL for r in card.relations_out + card.relations_in)


def test_kg_show_prints_external_links(session_cache):
    from click.testing import CliRunner

    from kg_cli.main import cli

    result = CliRunner().invoke(cli, ["show", "--graph", str(FIXTURE), "Pollution"])
    assert result.exit_code == 0, result.output
    assert "External links" in result.output
    assert "exact match: http://vocab.example.net/terms/Pollution" in result.output


def test_the_walk_never_reaches_external_links(session_cache):
    ws = Workspace(Settings(graph_paths=(FIXTURE,), cache_dir=session_cache))
    for question in ("what is acid rain related to?", "what is acid rain?",
                     "which group is acid rain in?", "what does Pollution map to?"):
        answer = ws.engine.ask(question)
        mentioned = {x for f in answer.facts for x in (f.subject, f.object)}
        assert not mentioned & EXTERNAL, question
        assert not any(iri in answer.text for iri in EXTERNAL), question
    text = ws.engine.ask("which group is acid rain in?").text
    assert "Acid rain is in the group WASTES, POLLUTANTS, POLLUTION." in text, text
    text = ws.engine.ask("what is acid rain a member of?").text
    assert re.search(r"Acid rain is a member of (air|WASTES, POLLUTANTS, POLLUTION)\.", text), text
    assert "has the member acid rain" not in text.lower(), text


def test_member_reads_from_the_member_side(loaded):
    _, view = loaded
    assert phrase(view, EX + "wastes", SKOS + "member", EX + "acidRain") == (
        "acid rain is a member of WASTES, POLLUTANTS, POLLUTION")
    assert phrase(view, EX + "acidRain", EX + "group", EX + "wastes") == (
        "acid rain is in the group WASTES, POLLUTANTS, POLLUTION")
    assert phrase(view, EX + "acidRain", SKOS + "related", EX + "smog") == (
        "acid rain is related to smog")
    assert predicate_phrase(view, SKOS + "member") == "has the member"


@pytest.mark.parametrize("name, expected", [
    ("group", "is in the group"),
    ("theme", "is in the theme"),
    ("member", "has the member"),
    ("colour", "has the colour"),
    ("sub group of", "is a sub group of"),
    ("instance of", "is instance of"),
    ("example of", "is an example of"),
    ("developed by", "is developed by"),
    ("uses", "uses"),
    ("builds on", "builds on"),
    ("has part", "has part"),
    ("is about", "is about"),
])
def test_predicate_names_read_as_verb_phrases(name, expected):
    assert name_phrase(name) == expected


def test_labelled_predicates_keep_their_own_words(tmp_path):
    source = tmp_path / "labelled.ttl"
    source.write_text(
        "@prefix ex: <https://example.org/l/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        'ex:group rdfs:label "belongs to the family" .\n'
        'ex:a a skos:Concept ; skos:prefLabel "A" ; ex:group ex:b .\n'
        'ex:b a skos:Concept ; skos:prefLabel "B" .\n'
    )
    view = build_view(load_graph([source]).graph)
    assert phrase(view, "https://example.org/l/a", "https://example.org/l/group",
                  "https://example.org/l/b") == "A belongs to the family B"


def test_browser_app_card_lists_external_links(session_cache):
    from starlette.testclient import TestClient

    from kg.server.app import ServerSettings, create_app

    ws = Workspace(Settings(graph_paths=(FIXTURE,), cache_dir=session_cache))
    with TestClient(create_app(ws, ServerSettings(workers=1))) as client:
        card = client.get("/api/concept", params={"iri": EX + "pollution"}).json()
        page = client.get("/concept", params={"iri": EX + "pollution"},
                          headers={"Accept": "text/html"}).text
    assert {(x["predicate_label"], x["iri"]) for x in card["external_links"]} == {
        ("exact match", "http://vocab.example.net/terms/Pollution"),
        ("close match", "http://encyclopedia.example.org/resource/Pollution"),
    }
    # the concept page (rendered by the server) links out to both, under "Mappings"
    mappings = page.split('<section id="mappings">', 1)[1].split("</section>", 1)[0]
    for iri in ("http://vocab.example.net/terms/Pollution",
                "http://encyclopedia.example.org/resource/Pollution"):
        assert f'href="{iri}"' in mappings
