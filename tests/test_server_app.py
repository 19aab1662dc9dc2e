"""The app's routes without a browser: the page, content negotiation and the small JSON routes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from starlette.testclient import TestClient

from kg.config import Settings
from kg.server.app import ServerSettings, create_app
from kg.workspace import Workspace

V = "http://example.org/vehicles/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(vehicles_ws: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(vehicles_ws, ServerSettings(workers=1, max_items=2))) as c:
        yield c


def test_browsers_get_the_page_and_programs_get_json(client: TestClient) -> None:
    page = client.get("/", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy
    html = page.text
    # self-contained: no external script, style, font or image; no address of another origin
    assert "<script src" not in html and 'rel="stylesheet"' not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    for slot in ("script", "style"):
        body = re.search(rf"<{slot}>(.*?)</{slot}>", html, re.S).group(1)
        assert len(body) > 1000 and "'sha256-" in policy
    for accept in ("application/json", "", "*/*"):
        listing = client.get("/", headers={"Accept": accept})
        assert listing.headers["content-type"] == "application/json"
        assert listing.json()["sparql"].endswith("/sparql")


def test_sparql_editor_for_browsers_service_description_for_rdf_clients(client: TestClient) -> None:
    assert client.get("/sparql", headers={"Accept": BROWSER}).headers["content-type"].startswith(
        "text/html")
    for accept in ("text/turtle", "application/rdf+xml", ""):
        description = client.get("/sparql", headers={"Accept": accept})
        assert description.status_code == 200
        assert "text/html" not in description.headers["content-type"]
    assert client.get("/sparql", params={"format": "turtle"},
                      headers={"Accept": BROWSER}).headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", "turtle"),
                                             ("application/n-triples", "nt"),
                                             ("application/ld+json", "json-ld"),
                                             ("application/rdf+xml", "xml")])
def test_concept_rdf_by_content_negotiation(client: TestClient, vehicles_ws: Workspace,
                                            accept: str, fmt: str) -> None:
    response = client.get("/concept", params={"iri": V + "Car"}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    got = Graph().parse(data=response.content, format=fmt)
    car = URIRef(V + "Car")
    own = set(vehicles_ws.graph.triples((car, None, None)))
    assert own and own <= set(got)
    # labels of what the triples mention, and nothing else about those nodes
    assert (URIRef(V + "Vehicle"), SKOS.prefLabel, Literal("Vehicle", lang="en")) in got
    assert (URIRef(V + "poweredBy"), RDFS.label, Literal("is powered by")) in got
    assert not list(got.triples((URIRef(V + "Vehicle"), SKOS.definition, None)))
    assert {s for s in got.subjects()} <= {car} | {o for _, _, o in own} | {p for _, p, _ in own}


def test_concept_page_card_and_errors(client: TestClient) -> None:
    page = client.get("/concept", params={"iri": V + "Car"}, headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")
    card = client.get("/concept", params={"iri": V + "Car"}, headers={"Accept": "application/json"})
    assert card.json()["label"] == "Car" and card.json()["alt_labels"] == ["automobile"]
    api = client.get("/api/concept", params={"iri": V + "ElectricCar"}).json()
    assert [n["label"] for n in api["chain"]] == ["Vehicle", "Car", "Electric Car"]
    assert api["figures"][0]["label"] == "Electric car range: 420 km"
    missing = client.get("/concept", params={"iri": V + "Nope"}, headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and "not in the graph" in missing.text
    assert client.get("/concept", headers={"Accept": "text/turtle"}).status_code == 400
    assert client.get("/concept", params={"iri": V + "Car"},
                      headers={"Accept": "image/png"}).status_code == 406


def test_search_as_you_type(client: TestClient) -> None:
    def labels(text: str) -> list[str]:
        response = client.get("/api/search", params={"q": text})
        assert response.status_code == 200
        return [hit["label"] for hit in response.json()["results"]]

    assert labels("car")[0] == "Car"  # the whole name first
    assert labels("ele") == ["Electric Car"]  # an unfinished word
    assert labels("automob") == ["Car"]  # an alternative label
    assert labels("electirc ca") == ["Electric Car"]  # a typo in a finished word
    assert labels("batery") == ["Battery"] and labels("bicylce") == ["Bicycle"]  # one word
    hit = client.get("/api/search", params={"q": "bike"}).json()["results"][0]
    assert hit == {"iri": V + "Bicycle", "label": "Bicycle", "matched": "bike",
                   "broader": "Vehicle"}
    assert labels("") == [] and labels("zzzz qqqq") == []
    assert len(client.get("/api/search", params={"q": "e", "limit": 2}).json()["results"]) <= 2
    assert client.get("/api/search", params={"q": "e", "limit": 500}).status_code == 400


def test_tree_loads_level_by_level_with_row_caps(client: TestClient) -> None:
    top = client.get("/api/tree").json()
    # max_items=2 here: two of the three top concepts, and the total says so
    assert top["roots"]["total"] == 3 and len(top["roots"]["items"]) == 2
    opened = client.get("/api/tree", params={"open": V + "ElectricCar"}).json()
    assert opened["path"] == [V + "Vehicle", V + "Car", V + "ElectricCar"]
    assert V + "Vehicle" in [i["iri"] for i in opened["roots"]["items"]]  # the path's root kept
    assert [i["iri"] for i in opened["children"][V + "Car"]["items"]] == [V + "ElectricCar"]
    children = client.get("/api/tree", params={"children": V + "EnergySource"}).json()
    block = children["children"][V + "EnergySource"]
    assert block["total"] == 3 and len(block["items"]) == 2
    assert client.get("/api/tree", params={"children": V + "Nope"}).status_code == 404


def test_neighbourhood_and_subgraph_are_capped(client: TestClient) -> None:
    hood = client.get("/api/node", params={"iri": V + "ElectricCar"}).json()
    assert hood["center"] == V + "ElectricCar" and hood["total"] == 5
    assert len(hood["edges"]) == 2 and hood["truncated"] is True  # max_items=2
    full = client.get("/api/node", params={"iri": V + "Car", "limit": 2}).json()
    assert {n["iri"] for n in full["nodes"]} >= {V + "Car"}
    sub = client.get("/api/subgraph", params=[("iri", V + "Car"), ("iri", V + "Vehicle"),
                                              ("iri", "urn:not-there"), ("p", V + "poweredBy")])
    data = sub.json()
    assert [n["label"] for n in data["nodes"]] == ["Car", "Vehicle"]
    assert [(e["s"], e["o"], e["hierarchy"]) for e in data["edges"]] == [
        (V + "Car", V + "Vehicle", True)]
    assert data["predicates"] == {V + "poweredBy": "is powered by"}


def test_info_names_the_graph_and_its_prefixes(client: TestClient) -> None:
    info = client.get("/api/info").json()
    assert info["title"] == "Graph merged from qa_vehicles.ttl" and info["triples"] > 50
    assert info["prefixes"]["skos"] == str(SKOS) and info["prefixes"]["v"] == V


def test_ask_errors_are_not_hidden(tmp_path: Path, session_cache: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine that fails is a 500 with a message, never a silent 501 'not available'."""
    graph = tmp_path / "g.ttl"
    graph.write_text("<urn:a> <urn:p> <urn:b> .\n")
    workspace = Workspace(Settings(graph_paths=(graph,), cache_dir=session_cache))

    def broken(self: Workspace) -> object:
        raise ImportError("No module named 'faiss'")

    monkeypatch.setattr(Workspace, "engine", property(broken))
    with TestClient(create_app(workspace, ServerSettings(workers=1)),
                    raise_server_exceptions=False) as c:
        response = c.get("/ask", params={"q": "what is a?"})
    assert response.status_code == 500
    assert json.dumps(response.text).count("not available") == 0
