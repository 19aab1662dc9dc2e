"""An endpoint used in place, against `kg serve` processes with a row cap far below the
graph's size: every node fetched at question time reads exactly as in the local view; the
setup reads only names, definitions, types and hierarchy links (never every triple);
answers equal the local files' (real model); an endpoint that goes down or hangs at
question time is a clear error naming it."""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from helpers import serve_kg
from scale_quality import judge, questions  # bench/ (path set in conftest)
from synth import BASE, write_ntriples

from kg.config import Settings
from kg.errors import GraphLoadError
from kg.qa.embeddings import get_encoder
from kg.qa.engine import Engine
from kg.rdf.load import read_raw_triples
from kg.rdf.remote import Endpoint
from kg.rdf.remote_graph import SETUP_PREDICATES
from kg.view.lazy import lazy_view
from kg.view.remote_view import RemoteStore, build_remote_store
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"
VEHICLES = DATA / "qa_vehicles.ttl"
KEY = "e" * 64
# A query that reads every triple of the graph: the copy the in-place mode never makes.
_WHOLE = re.compile(r"SELECT \?s \?p \?o WHERE \{ \?s \?p \?o \}")


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth.nt"
    buf = io.StringIO()
    write_ntriples(buf, 1500)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def synth_server(synth_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The synthetic graph behind a server that silently returns at most 50 rows."""
    yield from serve_kg(synth_file, tmp_path_factory.mktemp("serve-synth"), "--max-rows", "50")


@pytest.fixture(scope="module")
def vehicles_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_kg(VEHICLES, tmp_path_factory.mktemp("serve-vehicles"), "--max-rows", "7")


def _local(path: Path, cache: Path) -> Workspace:
    return Workspace(Settings(graph_paths=(path,), cache_dir=cache))


def _store(url: str, cache: Path) -> RemoteStore:
    return build_remote_store(Endpoint(url, page=1000), cache, KEY, "en")


@pytest.mark.parametrize("graph", ["vehicles", "synth"])
def test_every_node_reads_as_in_the_local_view(graph: str, request: pytest.FixtureRequest,
                                               tmp_path: Path) -> None:
    path = VEHICLES if graph == "vehicles" else request.getfixturevalue("synth_file")
    url = request.getfixturevalue(f"{graph}_server")
    full = _local(path, tmp_path / "local").view
    store = _store(url, tmp_path / "remote")
    remote = lazy_view(store)
    g, h = full.nx, remote.nx
    for n in reversed(list(g)):
        assert n in h and h.nodes[n] == g.nodes[n], n
        assert list(h.out_edges(n, keys=True, data=True)) == list(
            g.out_edges(n, keys=True, data=True))
        assert list(h.in_edges(n, keys=True, data=True)) == list(
            g.in_edges(n, keys=True, data=True))
        assert remote.label(n) == full.label(n)
        assert (remote.broader(n), remote.narrower(n)) == (full.broader(n), full.narrower(n))
    # resources the view leaves out (schemes, properties, provenance targets) stay out
    named = {t[0] for t in read_raw_triples([path])} | {
        t[2] for t in read_raw_triples([path]) if not t[3]}
    for iri in sorted(named - set(g))[:40]:
        assert iri not in h, iri
    assert remote.degree_at(0.97) == full.degree_at(0.97)
    assert remote.degree_at(0.5) == full.degree_at(0.5)
    for t in {t for _, d in g.nodes(data=True) for t in d["types"]}:
        assert remote.members(t) == full.members(t)
    assert remote.type_labels == full.type_labels and remote.retired == full.retired
    assert all(remote.predicate_labels[p] == label for p, label in full.predicate_labels.items())


def test_setup_reads_names_not_the_graph(synth_file: Path, synth_server: str,
                                         tmp_path: Path) -> None:
    store = _store(synth_server, tmp_path)
    sent = list(store.endpoint.sent)
    assert not any(_WHOLE.search(q) for q in sent)
    triples = list(read_raw_triples([synth_file]))
    setup = [t for t in triples if t[1] in SETUP_PREDICATES]
    assert len(store.local.all_setup()) == len(setup)
    # the rows read: the setup triples, their subjects (twice at most: the first list cut
    # by the cap, then by key order, each page's last subject read again), and a few
    # figures (predicates, degree counts)
    subjects = len({t[0] for t in setup})
    pages = len(setup) // 50 + 4
    assert len(setup) <= store.endpoint.rows < len(setup) + 2 * subjects + 4 * pages + 40
    assert store.endpoint.rows < len(triples)
    # triples read in batches of subjects: only a batch's own rows are ever skipped by
    # offset (a short answer's end is checked by asking one row past it)
    skipping = [q for q in sent if "OFFSET" in q and "LIMIT 1 OFFSET" not in q
                and q.startswith("SELECT ?s ?p ?o")]
    assert all("VALUES ?s" in q for q in skipping)
    assert store.endpoint.page == 50  # the cap was learnt, not a truncated read
    # a question reads only neighbourhoods: a node, then all its neighbours in one request
    before = len(store.endpoint.sent)
    remote = lazy_view(store)
    node = f"{BASE}c3"
    assert remote.broader(node) == [f"{BASE}c0"]
    near = list(nx.all_neighbors(remote.nx, node))
    assert len(near) > 5
    for n in near:
        assert remote.node(n)["label"]
        remote.nx.succ[n], remote.nx.pred[n]  # noqa: B018 - their edges too
    asked = list(store.endpoint.sent)[before:]
    assert asked and all(q.startswith("SELECT ?s ?p ?o WHERE { { VALUES ?s {") for q in asked)
    assert store.fetches == 2


def test_a_second_workspace_reads_nothing_until_asked(synth_server: str,
                                                     tmp_path: Path) -> None:
    """Everything set up is in the cache, the triple count included (trusted for a while:
    counting scans the whole store)."""
    settings = Settings(sparql_endpoint=synth_server, cache_dir=tmp_path)
    first = Workspace(settings)
    first.engine.ask("What is Adaptive Ka learning?")
    again = Workspace(settings)
    engine = again.engine
    assert list(again.endpoint.sent) == []
    assert engine.ask("What is a kind of thing?").text


def test_clearing_the_cache_removes_what_was_kept(synth_server: str, tmp_path: Path) -> None:
    ws = Workspace(Settings(sparql_endpoint=synth_server, cache_dir=tmp_path))
    ws.get_index()
    path = ws.remote_store.path
    assert path.is_file()
    done = ws.clear_cache()
    assert done.indexes == 1 and done.snapshots == 1 and not path.exists()


def test_in_place_answers_as_the_local_files(synth_file: Path, synth_server: str,
                                             tmp_path: Path) -> None:
    local = _local(synth_file, tmp_path / "local")
    remote = Workspace(Settings(sparql_endpoint=synth_server, cache_dir=tmp_path / "remote"))
    qs = questions(local.view, 12)
    # With the same index the answers are identical: the reads change nothing.
    same_index = Engine(lazy_view(remote.remote_store), local.engine.index, get_encoder,
                        local.engine.prepared_data())
    for kind, text, iri, related in qs:
        ours, theirs = remote.engine.ask(text), local.engine.ask(text)
        assert same_index.ask(text).text == theirs.text
        # The remote index is built from names and definitions only (no relations), which
        # can reorder the extra facts; the answer itself is the same, and right.
        assert ours.text.split("\n")[0] == theirs.text.split("\n")[0], text
        assert judge(kind, ours, iri, related) == judge(kind, theirs, iri, related), text
    assert not any(_WHOLE.search(q) for q in remote.endpoint.sent)
    assert remote.view_source == "endpoint"  # the whole graph was never copied


def _silent_on(port: int) -> subprocess.Popen:
    """A process on ``port`` that accepts connections and never answers."""
    code = ("import socket\n"
            "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            f"s.bind(('127.0.0.1', {port})); s.listen(8)\n"
            "held = []\n"
            "while True:\n    held.append(s.accept()[0])\n")
    proc = subprocess.Popen([sys.executable, "-c", code])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    pytest.fail("the silent listener did not start")


def test_an_endpoint_down_or_hung_at_question_time_is_named(tmp_path: Path) -> None:
    servers = serve_kg(VEHICLES, tmp_path / "serve")
    url = next(servers)
    settings = Settings(sparql_endpoint=url, cache_dir=tmp_path, query_timeout=1.0)
    # the setup, kept (with the default timeout: a busy machine can take over 1 s a page)
    setup = Settings(sparql_endpoint=url, cache_dir=tmp_path)
    assert Workspace(setup).engine.ask("what is a car?").text
    for kept in tmp_path.glob("snapshot/*.nodes.sqlite*"):  # the nodes that question read,
        kept.unlink()  # kept on disk for later commands: this one must fetch them
    ws = Workspace(settings)
    engine = ws.engine  # ready: nothing fetched yet
    servers.close()  # the server process ends
    with pytest.raises(GraphLoadError, match="did not answer") as err:
        engine.ask("what is a car?")
    assert url in str(err.value)
    silent = _silent_on(int(url.split(":")[2].split("/")[0]))
    try:
        with pytest.raises(GraphLoadError, match="did not answer within 1 s") as err:
            engine.ask("what is a car?")
        assert url in str(err.value)
    finally:
        silent.kill()
        silent.wait(timeout=10)


def _above(view, iri: str) -> set[str]:
    found: set[str] = set()
    level = [iri]
    while level:
        level = [b for n in level for b in view.broader(n) if b not in found]
        found.update(level)
    return found


def test_concepts_told_and_chains_climbed_from_the_setup(synth_file: Path, synth_server: str,
                                                        tmp_path: Path) -> None:
    """Whether a node is a concept comes from the setup read (no node fetched); a node
    missed is fetched with the chain above it, so climbing that chain costs no request."""
    full = _local(synth_file, tmp_path / "local").view
    store = _store(synth_server, tmp_path / "remote")
    remote = lazy_view(store)
    nodes = [*list(full.nx)[:400], f"{BASE}nothing", f"{BASE}scheme"]
    assert [remote.is_concept(n) for n in nodes] == [full.is_concept(n) for n in nodes]
    assert store.fetches == 0
    assert [remote.is_data(n, "description") for n in nodes] == [
        full.is_data(n, "description") for n in nodes]
    deep = max((n for n in full.nx if len(_above(full, n)) <= 16),
               key=lambda n: (len(_above(full, n)), n))
    assert len(_above(full, deep)) >= 3
    remote.broader(deep)
    fetched = store.fetches
    for n in sorted(_above(full, deep)):
        assert remote.broader(n) == full.broader(n)
        assert remote.node(n) == full.node(n)
    assert store.fetches == fetched
