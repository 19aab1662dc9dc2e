"""Pages the server renders: complete without script, in every label language, escaped.

Plain HTTP GETs (no browser, no script run) of concept, scheme, top-level and A–Z pages
over a small multilingual thesaurus written here, plus the tree's organisation on the
built-in graph and the vehicles graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph
from starlette.testclient import TestClient

from kg.config import Settings
from kg.server.app import ServerSettings, create_app
from kg.server.taxonomy import COLLECTIONS, MODEL
from kg.workspace import Workspace

T = "https://example.org/thes/"
HTML = {"Accept": "text/html"}
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'

THESAURUS = f"""
@prefix t: <{T}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

t:scheme a skos:ConceptScheme ; skos:prefLabel "Water thesaurus"@en, "Thésaurus de l'eau"@fr ;
    skos:hasTopConcept t:water .
t:water a skos:Concept ; skos:topConceptOf t:scheme ;
    skos:prefLabel "water"@en, "eau"@fr, "Wasser"@de .
t:river a skos:Concept ; skos:inScheme t:scheme ; skos:broader t:water ;
    skos:prefLabel "river"@en, "rivière"@fr, "Fluss"@de ;
    skos:altLabel "stream"@en, "cours d'eau"@fr ;
    skos:definition "A natural stream of water flowing to the sea."@en ;
    skos:definition "Cours d'eau naturel qui se jette dans la mer."@fr ;
    skos:scopeNote "Use for flowing water only."@en ;
    skos:editorialNote "Check against the 2012 edition."@en ;
    skos:related t:lake ;
    skos:exactMatch <http://vocab.example.net/River> .
t:lake a skos:Concept ; skos:inScheme t:scheme ; skos:broader t:water ;
    skos:prefLabel "lake"@en, "lac"@fr, "See"@de .
t:pond a skos:Concept ; skos:broader t:water ; skos:prefLabel "pond"@en, "étang"@fr .
t:bad a skos:Concept ; skos:broader t:water ;
    skos:prefLabel {json.dumps(EVIL)}@en ;
    skos:definition "</script><script>alert(2)</script>"@en .
t:groups a skos:Collection ; rdfs:label "Groups"@en ; skos:member t:river, t:lake .
t:Claim a owl:Class ; rdfs:label "Claim"@en .
t:claim1 a t:Claim ; rdfs:label "A claim about rivers"@en ; t:about t:river .
"""


class _Parser(HTMLParser):
    """Collects every start tag, to check the page parses as the HTML it claims to be."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Parser()
    parser.feed(page)
    return parser.tags


def article(page: str) -> str:
    return re.search(r'<article id="concept"[^>]*>(.*?)</article>', page, re.S).group(1)


@pytest.fixture(scope="module")
def thesaurus(tmp_path_factory: pytest.TempPathFactory, session_cache: Path
              ) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("thes") / "water.ttl"
    path.write_text(THESAURUS, encoding="utf-8")
    workspace = Workspace(Settings(graph_paths=(path,), cache_dir=session_cache))
    with TestClient(create_app(workspace, ServerSettings(workers=1))) as client:
        yield client


def test_concept_page_is_complete_without_script(thesaurus: TestClient) -> None:
    page = thesaurus.get("/concept", params={"iri": T + "river"}, headers=HTML)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert re.search(r"<title>river</title>", html)
    body = article(html)
    assert '<h2 id="concept-title">river</h2>' in body
    assert "A natural stream of water flowing to the sea." in body
    # the broader concept is a link to its own page, as are the related one and the chain
    assert re.search(r'<section id="broader">.*href="/concept\?iri=https%3A%2F%2Fexample.org'
                     r'%2Fthes%2Fwater"[^>]*>water</a>', body, re.S)
    assert 'href="/concept?iri=https%3A%2F%2Fexample.org%2Fthes%2Flake"' in body
    # every label by language, the notes for readers (not the editor's), the mapping
    labels = re.search(r'<section id="labels">(.*?)</section>', body, re.S).group(1)
    for text in ("rivière", "Fluss", "cours d&#x27;eau", "stream"):
        assert text in labels, text
    assert "Use for flowing water only." in body and "2012 edition" not in body
    assert 'href="http://vocab.example.net/River"' in body
    # the view is shown without script; the other views stay hidden
    found = tags(html)
    sections = {a["id"]: "hidden" in a for t, a in found if t == "section" and a.get("id", "")
                .startswith("view-")}
    assert sections == {"view-ask": True, "view-browse": False, "view-sparql": True}


def test_concept_page_names_its_rdf_forms_and_embeds_json_ld(thesaurus: TestClient) -> None:
    page = thesaurus.get("/concept", params={"iri": T + "river"}, headers=HTML)
    link = page.headers["link"]
    assert 'rel="alternate"; type="text/turtle"' in link
    assert 'rel="alternate"; type="application/ld+json"' in link
    alternates = [a for t, a in tags(page.text) if t == "link" and a.get("rel") == "alternate"]
    assert {a["type"] for a in alternates} == {"text/turtle", "application/ld+json"}
    turtle = thesaurus.get(alternates[0]["href"]).text if alternates[0]["type"] == "text/turtle" \
        else thesaurus.get(alternates[1]["href"]).text
    assert "Fluss" in turtle
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.text, re.S)
    graph = Graph().parse(data=data.group(1), format="json-ld")
    assert any("rivière" == str(o) for o in graph.objects())


def test_language_choice_relabels_the_page_and_is_kept_in_links(thesaurus: TestClient) -> None:
    page = thesaurus.get("/concept", params={"iri": T + "river", "lang": "fr"}, headers=HTML)
    html = page.text
    assert "<title>rivière</title>" in html
    body = article(html)
    assert "Cours d&#x27;eau naturel" in body  # the French definition
    assert re.search(r'href="/concept\?iri=[^"]*water&amp;lang=fr"[^>]*>eau</a>', body)
    switch = re.search(r'<form id="lang-form".*?</form>', html, re.S).group(0)
    assert re.findall(r'<option value="(\w+)"', switch) == ["en", "fr", "de"]
    assert '<option value="fr" selected>' in switch
    # an unknown language falls back to the graph's, never an error
    plain = thesaurus.get("/concept", params={"iri": T + "river", "lang": "xx"}, headers=HTML)
    assert plain.status_code == 200 and "<title>river</title>" in plain.text
    hits = thesaurus.get("/api/search", params={"q": "river", "lang": "fr"}).json()["results"]
    assert hits[0]["iri"] == T + "river" and hits[0]["label"] == "rivière"
    tree = thesaurus.get("/api/tree", params={"open": T + "river", "lang": "de"}).json()
    assert {"Fluss", "See"} <= {i["label"] for i in tree["children"][T + "water"]["items"]}


def test_top_level_scheme_and_index_pages(thesaurus: TestClient) -> None:
    top = thesaurus.get("/concept", headers=HTML)
    body = article(top.text)
    assert "water" in body and "Groups" in body and "Claim" in body
    scheme = thesaurus.get("/concept", params={"iri": T + "scheme"}, headers=HTML)
    assert scheme.status_code == 200 and "<title>Water thesaurus</title>" in scheme.text
    assert 'type="text/turtle"' in scheme.headers["link"]
    assert 'href="/concept?iri=https%3A%2F%2Fexample.org%2Fthes%2Fwater"' in article(scheme.text)
    index = thesaurus.get("/az", params={"letter": "R", "lang": "fr"}, headers=HTML).text
    assert ">rivière</a>" in article(index) and ">lac</a>" not in article(index)
    e_words = article(thesaurus.get("/az", params={"letter": "E", "lang": "fr"}, headers=HTML).text)
    assert ">eau</a>" in e_words and ">étang</a>" in e_words  # an accent files under E
    letters = re.findall(r'letter=([^"&]+)[^"]*" data-nav[^>]*>', article(index))
    assert "R" in letters and "L" in letters
    missing = thesaurus.get("/concept", params={"iri": T + "nope"}, headers=HTML)
    assert missing.status_code == 404 and "not in the graph" in missing.text


def test_tree_puts_collections_and_model_classes_aside(thesaurus: TestClient) -> None:
    top = [i["iri"] for i in thesaurus.get("/api/tree").json()["roots"]["items"]]
    assert top == [T + "water", COLLECTIONS, MODEL]  # the one scheme's top concept first
    model = thesaurus.get("/api/tree", params={"children": MODEL}).json()
    assert [i["label"] for i in model["children"][MODEL]["items"]] == ["Claim"]
    groups = thesaurus.get("/api/tree", params={"children": T + "groups"}).json()
    assert [i["label"] for i in groups["children"][T + "groups"]["items"]] == ["lake", "river"]


def test_builtin_tree_has_no_modelling_classes_at_top(builtin_ws: Workspace) -> None:
    with TestClient(create_app(builtin_ws, ServerSettings(workers=1))) as client:
        top = client.get("/api/tree").json()["roots"]["items"]
        labels = [i["label"] for i in top]
        assert "Artificial Intelligence" in labels and labels[-1] == "Model"
        assert not {"Claim", "Comparison Table", "concept", "entity"} & set(labels)
        model = client.get("/api/tree", params={"children": MODEL}).json()
        inside = {i["label"] for i in model["children"][MODEL]["items"]}
        assert {"Claim", "Comparison Table"} <= inside


def test_pages_weigh_under_300_kb(builtin_ws: Workspace) -> None:
    """Every page of the built-in graph, script, style and JSON-LD included, under 300 kB."""
    view = builtin_ws.view
    with TestClient(create_app(builtin_ws, ServerSettings(workers=1))) as client:
        sizes = {"/": len(client.get("/", headers=HTML).content),
                 "/concept": len(client.get("/concept", headers=HTML).content),
                 "/az": len(client.get("/az", headers=HTML).content)}
        for iri in sorted(view.nx, key=lambda n: -view.nx.degree(n))[:15]:
            page = client.get("/concept", params={"iri": iri}, headers=HTML)
            sizes[iri] = len(page.content)
    assert max(sizes.values()) < 300_000, max(sizes.items(), key=lambda kv: kv[1])


def test_graph_text_is_escaped_everywhere(thesaurus: TestClient) -> None:
    for url, params in [("/concept", {"iri": T + "bad"}), ("/concept", {}),
                        ("/az", {"letter": "<"}), ("/concept", {"iri": T + "water"}),
                        ("/concept", {"iri": '"><script>alert(3)</script>'})]:
        page = thesaurus.get(url, params=params, headers=HTML)
        assert page.status_code in (200, 404)
        html = page.text
        # the app's own script, the JSON-LD block: nothing else is a script or a handler
        scripts = [a for t, a in tags(html) if t == "script"]
        assert len(scripts) <= 2 and all(a.get("type") in (None, "application/ld+json")
                                         for a in scripts), (url, scripts)
        assert not any(k.startswith("on") for _, a in tags(html) for k in a), url
        assert "<img" not in html and "alert(1)</script>" not in html
        assert html.count("</script>") == len(scripts)
    bad = thesaurus.get("/concept", params={"iri": T + "bad"}, headers=HTML).text
    assert "&lt;script&gt;alert(&quot;x&quot;)" in bad
    card = thesaurus.get("/api/card", params={"iri": T + "bad"}).json()
    assert "<script" not in card["html"] and "&lt;script&gt;" in card["html"]


SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "taxonomies"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "first", "groups", "languages"), [
    ("gemet.ttl", 109, [COLLECTIONS], {"en", "fr", "de", "es"}),
    ("stw.ttl", 7, [MODEL], {"en", "de"}),
    ("pato-simple.owl", 1, [], {"no language"}),  # PATO's labels carry no language tag
])
def test_real_taxonomies_browse_by_their_structure(name: str, first: int, groups: list[str],
                                                   languages: set[str],
                                                   session_cache: Path) -> None:
    """The same code on three graphs nobody here wrote: the first level holds the top
    concepts, collections and model classes sit under their own entries, and a concept's
    page lists its labels in every language the graph holds."""
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"../shared/taxonomies/{name} is not beside the checkout")
    workspace = Workspace(Settings(graph_paths=(path,), cache_dir=session_cache))
    with TestClient(create_app(workspace, ServerSettings(workers=1))) as client:
        top = [i["iri"] for i in client.get("/api/tree").json()["roots"]["items"]]
        assert len(top) == first + len(groups) and top[first:] == groups
        concept = client.get("/api/tree", params={"children": top[0]}).json()
        iri = concept["children"][top[0]]["items"][0]["iri"]
        page = client.get("/concept", params={"iri": iri}, headers=HTML)
        assert page.status_code == 200
        body = article(page.text)
        assert re.search(r'<section id="broader">.*href="/concept\?iri=', body, re.S)
        table = re.search(r'<section id="labels">(.*?)</section>', body, re.S).group(1)
        assert set(re.findall(r'<th scope="row">([\w -]+)</th>', table)) == languages
