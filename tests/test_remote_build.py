"""The store of an endpoint used in place is written a chunk of nodes at a time
(kg.view.remote_build): it must hold exactly what the store of the whole skeleton view
holds, row for row and in the same order, with chunks far smaller than the graph."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import kg.view.remote_build as remote_build
from kg.rdf.load import read_raw_triples
from kg.rdf.remote_graph import SETUP_PREDICATES
from kg.view.graph_view import view_from_triples
from kg.view.remote_build import write_streamed
from kg.view.sqlite_store import open_store, write_store

DATA = Path(__file__).parent / "data"
KEY = "c" * 64
_TABLES = {
    "nodes": "SELECT iri, data FROM nodes ORDER BY id",
    "labels": "SELECT iri, label FROM labels ORDER BY iri",
    "edges": "SELECT u, v, p, h FROM edges ORDER BY rowid",
    "types": "SELECT type, iri FROM types ORDER BY type, iri",
    "names": "SELECT key, iri FROM names ORDER BY key, iri",
}


_XL_FORM = "http://www.w3.org/2008/05/skos-xl#literalForm"


def _setup(path: Path) -> list:
    """The triples an endpoint's setup read gives for this file (setup predicates, SKOS-XL
    labels through their label resources)."""
    wanted = set(SETUP_PREDICATES)
    triples = list(read_raw_triples([path]))
    forms = {s: (o, lang) for s, p, o, lit, lang in triples if lit and p == _XL_FORM}
    out = [t for t in triples if t[1] in wanted and (t[3] or not t[2].startswith("_:"))]
    links = [t for t in triples if "skos-xl#" in t[1] and t[1] != _XL_FORM and t[2] in forms]
    for n, (s, p, o, _, _) in enumerate(links):
        out.append((s, p, f"_:xl{n}", False, ""))
        out.append((f"_:xl{n}", _XL_FORM, forms[o][0], True, forms[o][1]))
    return out


def _rows(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in _TABLES.items()}
    finally:
        con.close()


@pytest.mark.parametrize("name", ["vocab_thesaurus.ttl", "vocab_obo.ttl", "qa_vehicles.ttl",
                                  "thesaurus_mappings.ttl"])
def test_streamed_store_equals_the_whole_views(name: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    triples = _setup(DATA / name)
    assert triples
    view = view_from_triples(triples, "en")
    whole = write_store(tmp_path / "whole", KEY, view, setup=triples)
    assert whole is not None
    monkeypatch.setattr(remote_build, "CHUNK", 3)  # many chunks, even on a small file
    seen: list[int] = []

    def figures(count, labels, iris, label):  # noqa: ANN001, ANN202
        seen.append(count)
        assert list(iris()) == list(view.nx)
        return {"predicate_labels": labels, "degrees": []}

    streamed = write_streamed(tmp_path / "streamed", KEY, "en", iter(triples), figures)
    assert seen == [len(view.nx)]
    assert _rows(streamed) == _rows(whole)
    a, b = open_store(tmp_path / "whole", KEY), open_store(tmp_path / "streamed", KEY)
    assert a is not None and b is not None
    try:
        for entry in ("predicate_labels", "type_labels", "retired", "node_count"):
            assert b.meta[entry] == a.meta[entry], entry
        nodes = set(view.nx)
        assert sorted(b.setup_triples(nodes)) == sorted(a.setup_triples(nodes))
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("name", ["vocab_thesaurus.ttl", "qa_vehicles.ttl"])
def test_labels_by_language_come_from_the_store_as_from_the_graph(name: str,
                                                                  tmp_path: Path) -> None:
    """What an in-place `kg serve` shows in another language (one indexed read a label)
    equals the table read from the whole graph."""
    from rdflib import Graph

    from kg.view.languages import label_languages, labels_in

    graph = Graph().parse(DATA / name)
    triples = _setup(DATA / name)
    write_streamed(tmp_path, KEY, "en", iter(triples),
                   lambda *_: {"degrees": []})
    store = open_store(tmp_path, KEY)
    assert store is not None
    try:
        languages = label_languages(graph)
        assert store.label_languages() == languages
        assert len(languages) > 1 or name == "qa_vehicles.ttl"
        iris = {s for s, *_ in triples}
        for tag, _ in languages:
            table = labels_in(graph, tag)
            assert table
            assert {i: store.label_in(i, tag) for i in iris if store.label_in(i, tag)} == table
    finally:
        store.close()


@pytest.mark.parametrize("name", ["vocab_thesaurus.ttl", "qa_vehicles.ttl"])
def test_search_box_from_tables_answers_as_the_completer(name: str, tmp_path: Path) -> None:
    """The in-place server's search box (tables on disk) ranks as the in-memory completer:
    prefixes, whole names, several words, typos repaired."""
    from kg.qa.complete import Completer
    from kg.qa.linking import LabelMatcher
    from kg.server.search_store import open_completer
    from kg.view.lazy import lazy_view

    triples = _setup(DATA / name)
    view = view_from_triples(triples, "en")
    write_streamed(tmp_path, KEY, "en", iter(triples), lambda *_: {"degrees": []})
    store = open_store(tmp_path, KEY)
    assert store is not None
    try:
        matcher = LabelMatcher(view)
        memory = Completer(view, matcher)
        tables = open_completer(store, lazy_view(store), KEY, lambda: matcher)
        labels = sorted({view.label(n) for n in view.nx if n in view.labels})[:40]
        typed = [*labels, *(label[:3] for label in labels), *(label[:-1] for label in labels),
                 *(label[1:] for label in labels), "ca", "e", "vehicle", "cra", "moto cycle"]
        hits = 0
        for text in typed:
            expected = memory.complete(text, 8)
            assert tables.complete(text, 8) == expected, text
            hits += bool(expected)
        assert hits > len(typed) // 2
        again = open_completer(store, lazy_view(store), KEY, lambda: matcher)
        assert again.complete(labels[0]) == memory.complete(labels[0])
    finally:
        store.close()
