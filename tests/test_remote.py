"""--sparql-endpoint against real servers in other processes: `kg serve` with and without a
row cap (pages must still read every triple), one that never answers, and none at all.
The endpoint used in place (nodes fetched at question time) is tested in test_remote_view.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import free_port, serve_kg

from kg.config import Settings
from kg.errors import GraphLoadError
from kg.rdf.load import read_raw_triples
from kg.rdf.remote import Endpoint
from kg.view.graph_view import view_from_triples
from kg.workspace import Workspace
from kg_cli.main import cli

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
VEHICLES = DATA / "qa_vehicles.ttl"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_kg(VEHICLES, tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server that silently returns at most 7 rows per query."""
    yield from serve_kg(VEHICLES, tmp_path_factory.mktemp("serve-capped"), "--max-rows", "7")


@pytest.fixture(scope="module")
def silent() -> Iterator[str]:
    """A process that accepts connections and never answers (a hung server)."""
    port = free_port()
    code = ("import socket, time\n"
            f"s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen(8)\n"
            "held = []\n"
            "while True:\n    held.append(s.accept()[0])\n")
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _named(view) -> tuple:
    nodes = {n: d for n, d in view.nx.nodes(data=True) if not n.startswith("_:")}
    edges = sorted((u, v, d["predicate"]) for u, v, d in view.nx.edges(data=True)
                   if not (u.startswith("_:") or v.startswith("_:")))
    return nodes, edges, view.predicate_labels


def _local_view():
    return view_from_triples(read_raw_triples([VEHICLES]))


def test_pages_read_every_triple(server: str) -> None:
    endpoint = Endpoint(server, page=10)
    triples = list(endpoint.triples())
    assert len(triples) == endpoint.count() == len(list(read_raw_triples([VEHICLES])))
    assert len(set(triples)) == len(triples)  # no page overlaps another
    assert endpoint.requests >= len(triples) // 10
    assert _named(view_from_triples(triples)) == _named(_local_view())


def test_a_silent_row_cap_is_learnt_not_truncating(capped: str) -> None:
    endpoint = Endpoint(capped, page=1000)
    triples = list(endpoint.triples())
    assert len(triples) == len(list(read_raw_triples([VEHICLES])))
    assert len(set(triples)) == len(triples)
    assert _named(view_from_triples(triples)) == _named(_local_view())


def test_remote_answers_as_local(capped: str, vehicles, tmp_path: Path) -> None:
    """Used in place (tests/test_remote_view.py): the answer itself is the local one; the
    index, built from names and definitions only, can order the extra facts otherwise."""
    ws = Workspace(Settings(sparql_endpoint=capped, cache_dir=tmp_path))
    for question in ("what is a car?", "which vehicles have two wheels?",
                     "When was the bicycle invented?"):
        ours, local = ws.engine.ask(question), vehicles.ask(question)
        assert ours.text.split("\n")[0] == local.text.split("\n")[0]
        assert ours.abstained == local.abstained
    # the view the other commands read is the endpoint in place: each node as in the files
    local = _local_view()
    assert ws.view_source == "endpoint"
    for n, data in local.nx.nodes(data=True):
        if not n.startswith("_:"):
            assert ws.view.nx.nodes[n] == data, n


def test_a_silent_server_is_a_clear_error_not_a_hang(silent: str) -> None:
    with pytest.raises(GraphLoadError) as err:
        Endpoint(silent, timeout=1.0).count()
    assert silent in str(err.value) and "did not answer within 1 s" in str(err.value)


def test_a_server_that_is_down_is_named(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(GraphLoadError, match="did not answer") as err:
        list(Endpoint(url, timeout=2.0).triples())
    assert url in str(err.value)
    result = CliRunner().invoke(cli, ["ask", "what is a car?", "--sparql-endpoint", url,
                                      "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2 and url in result.output and "Traceback" not in result.output


def test_a_refused_query_reports_the_status(server: str) -> None:
    with pytest.raises(GraphLoadError, match="answered HTTP 400"):
        Endpoint(server).select("SELECT WHERE {")
