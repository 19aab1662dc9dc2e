"""Graph stores: Oxigraph on disk (load once, reopen, same answers as rdflib's memory store),
raw-triple readers that skip rdflib, and --sparql-endpoint against a live `kg serve`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import free_port, serve_kg

from kg.errors import GraphLoadError
from kg.rdf.load import load_graph, read_raw_triples
from kg.view.graph_view import build_view, view_from_triples
from kg_cli.main import cli

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SKOS_Q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "


def _named(view) -> tuple:
    nodes = {n: d for n, d in view.nx.nodes(data=True) if not n.startswith("_:")}
    edges = sorted((u, v, d["predicate"]) for u, v, d in view.nx.edges(data=True)
                   if not (u.startswith("_:") or v.startswith("_:")))
    return nodes, edges, view.predicate_labels


def test_oxigraph_open_reopen_and_same_answers(tmp_path: Path) -> None:
    path = DATA / "qa_vehicles.ttl"
    memory = load_graph([path])
    first = load_graph([path], store="oxigraph", store_dir=tmp_path)
    assert first.store == "oxigraph" and first.content_hash == memory.content_hash
    assert len(first.graph) == len(memory.graph)
    store_path = first.extra["store_path"]
    del first
    again = load_graph([path], store="oxigraph", store_dir=tmp_path)  # reopen, no reload
    assert again.extra["store_path"] == store_path
    query = SKOS_Q + "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l } ORDER BY ?c"
    assert [tuple(map(str, r)) for r in again.graph.query(query)] == [
        tuple(map(str, r)) for r in memory.graph.query(query)]
    assert _named(build_view(again.graph)) == _named(build_view(memory.graph))


def test_oxigraph_interrupted_load_is_redone(tmp_path: Path) -> None:
    path = DATA / "qa_vehicles.ttl"
    folder = Path(load_graph([path], store="oxigraph", store_dir=tmp_path).extra["store_path"])
    (folder / "loaded.json").unlink()  # as if the process died before finishing
    loaded = load_graph([path], store="oxigraph", store_dir=tmp_path)
    assert len(loaded.graph) == len(load_graph([path]).graph)


def test_oxigraph_parse_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n",
                   encoding="utf-8")
    with pytest.raises(GraphLoadError) as err:
        load_graph([bad], store="oxigraph", store_dir=tmp_path / "s")
    assert "bad.ttl" in str(err.value)


def test_raw_triples_match_rdflib(tmp_path: Path) -> None:
    nt = tmp_path / "escapes.nt"
    nt.write_text(
        '<http://e/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "Caf\\u00E9 \\"x\\""@EN .\n'
        '<http://e/a> <http://www.w3.org/2004/02/skos/core#broader> <http://e/b> .\n'
        "# a comment\n\n"
        '<http://e/b> <http://www.w3.org/2004/02/skos/core#definition> "line\\nbreak" .\n'
        '_:x <http://e/p> <http://e/a> .\n',
        encoding="utf-8",
    )
    for paths in ([nt], [DATA / "qa_vehicles.ttl"], None):
        from_rdflib = build_view(load_graph(paths).graph)
        direct = view_from_triples(read_raw_triples(paths))
        assert _named(direct) == _named(from_rdflib)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_kg(DATA / "qa_vehicles.ttl", tmp_path_factory.mktemp("serve-cache"))


def test_sparql_endpoint_gives_the_same_view(live_server: str, tmp_path: Path) -> None:
    remote = load_graph(sparql_endpoint=live_server)
    local = load_graph([DATA / "qa_vehicles.ttl"])
    assert remote.store == "sparql" and len(remote.graph) == len(local.graph)
    assert _named(build_view(remote.graph)) == _named(build_view(local.graph))


def test_cli_reads_from_sparql_endpoint(live_server: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "Car", "--sparql-endpoint", live_server,
                                      "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Car" in result.output


def test_dead_endpoint_is_a_clean_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = CliRunner().invoke(cli, ["show", "Car", "--sparql-endpoint", url,
                                      "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "did not answer" in result.output


def test_graph_and_endpoint_together_are_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["show", "Car", "--graph", str(DATA / "qa_vehicles.ttl"),
                                      "--sparql-endpoint", "http://127.0.0.1:1/sparql"])
    assert result.exit_code == 2
