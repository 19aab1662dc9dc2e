"""Every command in place over a real SPARQL server (`oxigraph serve-read-only`, from the
PyPI package `oxigraph`): the same output as the local file, without reading the whole
graph; paging by subject; streamed, resumable index documents; and the faults an endpoint
can show (an HTML page, a cut-off or malformed answer, a row cap it applies itself), each
one clear error naming it."""

from __future__ import annotations

import gzip
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from helpers import free_port, serve_kg
from rdflib import Graph

from cli.main import cli
from kg.config import Settings
from kg.errors import ConfigError, ForbiddenQueryError, GraphLoadError
from kg.qa.documents import build_documents
from kg.qa.stream import stream_documents
from kg.rdf.load import read_raw_triples
from kg.rdf.recount import recount, recount_later, remembered_count
from kg.rdf.remote import Endpoint
from kg.sparql.remote import RemoteRunner
from kg.view.concepts import describe, resolve
from kg.view.remote_view import RemoteStore
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"
VEHICLES = DATA / "qa_vehicles.ttl"
# A query that reads every triple of the graph: what the in-place mode never sends.
_WHOLE = re.compile(r"SELECT \?s \?p \?o WHERE \{ \?s \?p \?o (FILTER\(isIRI\(\?s\)\) )*[}F]")


def _oxigraph() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the `oxigraph` command is missing: pip install oxigraph (a test extra)")
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The vehicles graph in a real Oxigraph server, read-only."""
    db = tmp_path_factory.mktemp("oxigraph") / "db"
    subprocess.run([_oxigraph(), "load", "--location", str(db), "--file", str(VEHICLES)],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    proc = subprocess.Popen([_oxigraph(), "serve-read-only", "--location", str(db),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(200):
            try:
                Endpoint(url, timeout=1).count()
                break
            except GraphLoadError:
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph serve-read-only did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_batched_pages_read_every_triple_and_skip_only_within_a_batch(oxigraph: str
                                                                     ) -> None:
    endpoint = Endpoint(oxigraph, page=5)  # far below the graph, and below one node's triples
    triples = list(endpoint.triples())
    assert sorted(triples) == sorted(read_raw_triples([VEHICLES]))
    # the subjects listed once, unordered; their triples read a few subjects at a time
    batches = [q for q in endpoint.sent if "VALUES ?s" in q]
    assert len(batches) > 5
    # nothing sorts or skips rows of the whole graph: only one batch's rows (a node with
    # more triples than a page) and the blank nodes' short read
    ordered = [q for q in endpoint.sent if "ORDER BY" in q or "OFFSET" in q]
    assert all("VALUES ?s" in q or "isBlank(?s)" in q for q in ordered)


def test_the_triple_count_is_remembered_and_never_counted_on_the_path(oxigraph: str,
                                                                      tmp_path: Path) -> None:
    """A count scans the whole store: once one is remembered, no command waits on it; one
    past the interval is used all the same, and marked due for a recount after the command."""
    path = tmp_path / "counts.json"
    first = Endpoint(oxigraph)
    n = remembered_count(first, path).triples
    assert n == len(list(read_raw_triples([VEHICLES]))) and first.requests == 1
    again = Endpoint(oxigraph)
    fresh = remembered_count(again, path)
    assert (fresh.triples, fresh.due, fresh.before) == (n, False, None) and again.requests == 0
    late = Endpoint(oxigraph)
    old = remembered_count(late, path, max_age=1e-9)
    assert (old.triples, old.due) == (n, True) and late.requests == 0
    strict = Endpoint(oxigraph)  # an interval of 0: counted before every command
    assert remembered_count(strict, path, max_age=0).triples == n and strict.requests == 1


def _stale(path: Path, url: str, triples: int) -> None:
    """Remember a count an hour old that the store no longer has (its data changed since)."""
    path.write_text(json.dumps({url: [triples, time.time() - 3600]}))


def test_a_recount_remembers_the_change_and_the_next_command_says_it(oxigraph: str,
                                                                     tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    path = cache / "endpoint-counts.json"
    n = Endpoint(oxigraph).count()
    _stale(path, oxigraph, n + 7)
    said: list[str] = []
    ws = Workspace(Settings.from_env({}, sparql_endpoint=oxigraph, cache_dir=cache),
                   notify=said.append)
    assert ws.endpoint_count.triples == n + 7 and ws.endpoint_count.due  # used, not waited on
    assert ws.endpoint.requests == 0
    assert ws.remote_store.local is not None and said == []  # names read, kept at n + 7
    counted = recount(Endpoint(oxigraph), path)
    assert (counted.triples, counted.before) == (n, n + 7)
    again = recount(Endpoint(oxigraph), path)  # the same count: the change stays remembered
    assert (again.triples, again.before) == (n, n + 7)
    after = Workspace(Settings.from_env({}, sparql_endpoint=oxigraph, cache_dir=cache),
                      notify=said.append)
    assert after.endpoint_count.triples == n and not after.endpoint_count.due
    assert after.remote_key != ws.remote_key  # a new key: the names are read again ...
    after.remote_store  # noqa: B018 - built for what it says
    assert said == [f"the endpoint's data changed ({n + 7:,} triples, now {n:,}): "
                    "reading its names again"]  # ... and the command says why
    said.clear()
    third = Workspace(Settings.from_env({}, sparql_endpoint=oxigraph, cache_dir=cache),
                      notify=said.append)
    assert third.remote_store.local is not None and said == []  # read once: said once
    fresh = tmp_path / "fresh"  # a change remembered, but no names read before it: not said
    fresh.mkdir()
    _stale(fresh / "endpoint-counts.json", oxigraph, n + 7)
    recount(Endpoint(oxigraph), fresh / "endpoint-counts.json")
    other = Workspace(Settings.from_env({}, sparql_endpoint=oxigraph, cache_dir=fresh),
                      notify=said.append)
    assert other.endpoint_count.before == n + 7
    assert other.remote_store.local is not None and said == []


def _until(check: Callable[[], bool]) -> bool:
    for _ in range(600):
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_due_count_is_counted_again_by_a_detached_process(oxigraph: str,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "counts.json"
    n = Endpoint(oxigraph).count()
    _stale(path, oxigraph, n + 1)
    recount_later(oxigraph, {}, 10.0, path, at_exit=False)
    assert _until(lambda: json.loads(path.read_text())[oxigraph][:1] == [n])
    assert _until(lambda: not (tmp_path / "counts.json.recounting").exists())
    assert json.loads(path.read_text())[oxigraph][2] == n + 1  # the count it replaced


def test_a_long_running_process_recounts_in_a_thread(oxigraph: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    n = Endpoint(oxigraph).count()
    _stale(cache / "endpoint-counts.json", oxigraph, n + 3)
    changes: list[tuple[int, int]] = []
    ws = Workspace(Settings.from_env({}, sparql_endpoint=oxigraph, cache_dir=cache))
    watch = ws.watch_endpoint(lambda before, now: changes.append((before, now)))
    assert watch is not None
    try:
        assert ws.endpoint_triples == n + 3  # the remembered count serves at once
        assert _until(lambda: changes == [(n + 3, n)])  # the thread found the change
    finally:
        watch.stop()
    strict = Settings.from_env({"KG_SPARQL_RECHECK": "0"}, sparql_endpoint=oxigraph,
                               cache_dir=cache)
    assert strict.sparql_recheck == 0 and Workspace(strict).watch_endpoint(print) is None
    with pytest.raises(ConfigError):
        Settings.from_env({"KG_SPARQL_RECHECK": "-1"})


def test_nodes_fetched_are_reused_by_the_next_process_for_a_while(oxigraph: str,
                                                                   tmp_path: Path) -> None:
    """A node's read is kept on disk under the store's key, and reused (without a request)
    by a later process only while it is younger than the recheck interval."""
    car, bike = "http://example.org/vehicles/Car", "http://example.org/vehicles/Bicycle"

    def store(recheck: str) -> RemoteStore:
        env = {"KG_SPARQL_RECHECK": recheck}
        return Workspace(Settings.from_env(env, sparql_endpoint=oxigraph,
                                           cache_dir=tmp_path)).remote_store

    def read(s: RemoteStore) -> tuple:
        return s.node(car), s.out_edges(car), s.in_edges(car)

    first = store("600")
    known = read(first)
    assert first.fetches == 1 and known[0] is not None and known[1]
    first.close()
    second = store("600")  # a new process: the same read, from disk, no request
    assert read(second) == known
    assert second.fetches == 0 and second.nodes is not None and second.nodes.hits >= 1
    second.node(bike)  # not kept: fetched (and kept from now on)
    assert second.fetches == 1
    second.close()
    strict = store("0")  # no interval: nothing kept, every process fetches
    assert strict.nodes is None and read(strict) == known and strict.fetches == 1
    time.sleep(0.05)
    late = store("0.01")  # kept longer ago than the interval: fetched again
    assert read(late) == known and late.fetches == 1
    late.close()
    assert list((tmp_path / "snapshot").glob("*.nodes.sqlite"))
    Workspace(Settings.from_env({}, sparql_endpoint=oxigraph, cache_dir=tmp_path)).clear_cache()
    assert not list((tmp_path / "snapshot").glob("*.nodes.sqlite*"))  # kg index clear


def test_commands_in_place_print_what_the_file_gives(oxigraph: str, tmp_path: Path) -> None:
    remote = ["--sparql-endpoint", oxigraph, "--cache-dir", str(tmp_path / "remote")]
    local = ["--graph", str(VEHICLES), "--cache-dir", str(tmp_path / "local")]
    commands = [
        ["show", "car"],
        ["show", "Electric car", "--json"],
        # (a table would abbreviate IRIs with the file's own prefixes, which an endpoint
        # does not say: the project's prefixes are used instead)
        ["sparql", "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l } ORDER BY ?l",
         "--format", "csv"],
        ["sparql", "ASK { ?c skos:prefLabel \"Car\" }"],
        ["export", "--format", "mermaid", "--focus", "car", "--depth", "1", "-o", "-",
         "--title", "Vehicles"],
    ]
    for command in commands:
        assert _run(*command, *remote) == _run(*command, *local), command
    # graph results hold the same triples (lines in rdflib's set order, either way)
    construct = ["sparql", "CONSTRUCT WHERE { ?c skos:broader ?b }", "--format", "ntriples"]
    assert sorted(_run(*construct, *remote).splitlines()) == sorted(
        _run(*construct, *local).splitlines())
    # the same triples (Turtle names prefixes as the file did, or as the project does)
    rdf = ["export", "--format", "turtle", "--focus", "electric car", "-o", "-"]
    ours, theirs = (Graph().parse(data=_run(*rdf, *where), format="turtle")
                    for where in (remote, local))
    assert len(ours) > 5 and set(ours) == set(theirs)


def test_path_in_place_loads_no_question_answering_stack(oxigraph: str, tmp_path: Path
                                                         ) -> None:
    # kg path walks the endpoint and phrases the links: no encoder, index or numpy (whose
    # imports were a third of a cold path at ten million triples)
    args = ["path", "electric car", "bicycle", "--sparql-endpoint", oxigraph,
            "--cache-dir", str(tmp_path)]
    probe = ("import sys; from cli.main import cli; cli(sys.argv[1:], standalone_mode=False); "
             "print([m for m in ('numpy', 'faiss', 'kg.qa.index', 'kg.qa.engine') "
             "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.splitlines()[-1] == "[]"
    assert out.split("\n", 1)[0] == _run(*args).split("\n", 1)[0]
    assert "Path 1" in out


def test_a_card_in_place_reads_the_node_not_the_graph(oxigraph: str, tmp_path: Path) -> None:
    here = Workspace(Settings(graph_paths=(VEHICLES,), cache_dir=tmp_path / "local"))
    there = Workspace(Settings(sparql_endpoint=oxigraph, cache_dir=tmp_path / "remote"))
    iri = resolve(there.names, "electric cars")  # typo-tolerant, from the local names
    assert iri == resolve(here.view, "electric cars")
    before = there.endpoint.requests
    assert describe(there.view, there.graph, iri) == describe(here.view, here.graph, iri)
    assert there.endpoint.requests - before < 15
    assert not any(_WHOLE.search(q) for q in there.endpoint.sent)
    with pytest.raises(Exception, match="Did you mean"):
        resolve(there.names, "bicyclle")


def test_documents_stream_resume_and_equal_the_files(oxigraph: str, tmp_path: Path) -> None:
    here = Workspace(Settings(graph_paths=(VEHICLES,), cache_dir=tmp_path / "local"))
    there = Workspace(Settings(sparql_endpoint=oxigraph, cache_dir=tmp_path / "remote"))
    store, folder = there.remote_store, tmp_path / "docs"
    docs = stream_documents(store, folder, chunk=4)
    assert docs == build_documents(here.view)  # relations included, as the files give
    chunks = sorted(folder.glob("*.json"))
    assert len(chunks) == -(-len(docs) // 4) > 2
    chunks[-1].unlink()  # as if the build stopped before the last chunk
    before = store.endpoint.requests
    assert stream_documents(store, folder, chunk=4) == docs
    assert store.endpoint.requests - before == 1  # only the missing chunk is read again


def test_queries_pass_through_with_the_local_checks(oxigraph: str) -> None:
    endpoint = Endpoint(oxigraph)
    runner = RemoteRunner(endpoint, max_rows=2)
    for query in ("INSERT DATA { <a:s> <a:p> <a:o> }",
                  "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
                  "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"):
        with pytest.raises(ForbiddenQueryError):
            runner.run(query)
    assert endpoint.requests == 0  # refused before anything was sent
    result = runner.run("SELECT ?c WHERE { ?c a skos:Concept }")
    assert len(result.rows) == 2 and result.truncated
    result = runner.run("CONSTRUCT { <s> <p> 1 } WHERE {}", base="http://kg.example/sparql")
    assert {str(t[0]) for t in result.graph} == {"http://kg.example/s"}


def test_serve_resolves_relative_iris_against_its_own_url(tmp_path: Path) -> None:
    servers = serve_kg(VEHICLES, tmp_path / "serve")
    url = next(servers)
    try:
        answer = httpx.post(url, content="CONSTRUCT { <s> <p> 1 } WHERE {}", headers={
            "Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
        assert answer.status_code == 200, answer.text
        base = url.rsplit("/", 1)[0]
        assert f"<{base}/s> <{base}/p>" in answer.text
    finally:
        servers.close()


def test_serve_in_place_answers_healthz_and_a_concept_card(oxigraph: str,
                                                           tmp_path: Path) -> None:
    """`kg serve --sparql-endpoint`: ready (its /healthz names no local query workers) and
    the concept page's card read in place."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from kg_cli.main import cli; cli()",
                             "serve", "--port", str(port), "--sparql-endpoint", oxigraph,
                             "--cache-dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()[-800:]
                time.sleep(0.1)
        else:
            pytest.fail("kg serve --sparql-endpoint did not start in 60 s")
        assert health.status_code == 200, health.text
        assert health.json()["workers"] == 0 and health.json()["triples"] > 50
        card = httpx.get(f"{base}/api/concept",
                         params={"iri": "http://example.org/vehicles/Car"}, timeout=30)
        assert card.status_code == 200, card.text
        assert card.json()["label"] == "Car"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()  # type: ignore[union-attr]


# --------------------------------------------------------------------------- faults
class _Faulty(http.server.BaseHTTPRequestHandler):
    """Answers by path: each one fault an endpoint can show."""

    seen: list[dict[str, str]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - the standard library's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append(dict(self.headers))
        rows = {"head": {"vars": ["n"]}, "results": {"bindings": [
            {"n": {"type": "literal", "value": "1"}}, {"n": {"type": "literal", "value": "2"}}]}}
        json_type = "application/sparql-results+json"
        answers = {
            "/html": (200, "text/html", b"<html><body><h1>Login required</h1></body></html>"),
            "/error": (500, "text/html",
                       b"<html><head><style>x</style></head><body>Internal error</body></html>"),
            "/bad": (200, json_type, b'{"head": {"vars": ["n"]}, "results": {"bind'),
            "/xml": (200, "application/sparql-results+xml", (
                b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                b'<head><variable name="n"/></head><results><result><binding name="n">'
                b'<literal>7</literal></binding></result></results></sparql>')),
            "/capped": (200, json_type, json.dumps(rows).encode()),
            "/gzip": (200, json_type, gzip.compress(json.dumps(rows).encode())),
        }
        if self.path == "/cut":  # says 5000 bytes, sends 20, hangs up
            self.send_response(200)
            self.send_header("Content-Type", json_type)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": ["')
            self.wfile.flush()
            self.connection.close()
            return
        status, media, body = answers[self.path]
        self.send_response(status)
        self.send_header("Content-Type", media)
        if self.path == "/capped":
            self.send_header("X-SPARQL-MaxRows", "2")
        if self.path == "/gzip":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def faulty() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Faulty)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.mark.parametrize(("path", "said"), [
    ("/html", "answered with an HTML page, not SPARQL results (Login required)"),
    ("/error", "answered HTTP 500 (Internal error)"),
    ("/bad", "returned malformed or cut-off SPARQL JSON results"),
    ("/cut", "closed the connection mid-answer"),
])
def test_each_fault_is_one_error_naming_the_endpoint(faulty: str, path: str, said: str) -> None:
    with pytest.raises(GraphLoadError) as err:
        Endpoint(faulty + path, timeout=5).count()
    assert str(err.value).startswith(faulty + path) and said in str(err.value)


def test_xml_gzip_headers_and_an_announced_cap(faulty: str) -> None:
    _Faulty.seen.clear()
    endpoint = Endpoint(faulty + "/xml", headers={"Authorization": "Bearer s3cret"})
    assert endpoint.count() == 7
    assert Endpoint(faulty + "/gzip").count() == 1
    sent = _Faulty.seen[0]
    assert sent["User-Agent"].startswith("kg/") and "gzip" in sent["Accept-Encoding"]
    assert sent["Authorization"] == "Bearer s3cret"
    capped = Endpoint(faulty + "/capped")
    result = RemoteRunner(capped).run("SELECT ?n WHERE { ?n ?p ?o }")
    assert capped.cap == 2 and len(result.rows) == 2 and result.truncated


def test_header_option_and_variable(faulty: str, tmp_path: Path, monkeypatch) -> None:
    result = CliRunner().invoke(cli, ["show", "car", "--sparql-endpoint", faulty + "/xml",
                                      "--sparql-header", "no colon here"])
    assert result.exit_code == 2 and "is not a header" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setenv("KG_SPARQL_HEADERS", "X-Api-Key: k1\nX-Team: t")
    settings = Settings.from_env(sparql_endpoint=faulty + "/xml",
                                 sparql_headers=("Authorization: Bearer b",))
    assert Workspace(settings).endpoint.headers == {
        "X-Api-Key": "k1", "X-Team": "t", "Authorization": "Bearer b"}
    with pytest.raises(ConfigError, match="sets this header itself"):
        Workspace(Settings(sparql_endpoint=faulty, sparql_headers=("User-Agent: x",))).endpoint  # noqa: B018


def test_one_connection_is_kept_for_the_process(oxigraph: str) -> None:
    endpoint = Endpoint(oxigraph)
    endpoint.count()
    from kg.net import http_client

    client = http_client()
    for _ in range(5):
        endpoint.count()
    assert http_client() is client
    pool = client._transport.plain._pool  # noqa: SLF001 - httpcore's pool, to count connections
    assert len(pool.connections) == 1
    assert client._transport.tls is None  # noqa: SLF001 - no TLS set up for a plain endpoint


def test_https_is_verified_and_httpx_cli_not_imported() -> None:
    import ssl
    import sys

    from kg.net import http_client

    client = http_client()
    with pytest.raises(httpx.HTTPError):
        client.get("https://127.0.0.1:9/", timeout=2)  # nothing listens: no connection
    context = client._transport.tls._pool._ssl_context  # noqa: SLF001
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    # a fresh process makes its client without httpx's command-line module (rich, pygments)
    probe = ("import sys; from kg.net import http_client; http_client(); "
             "print(sys.modules.get('httpx._main') is None, 'rich' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "False"]


def test_mcp_tools_in_place(oxigraph: str, tmp_path: Path) -> None:
    from kg.mcp.tools import GraphTools

    here = GraphTools(Workspace(Settings(graph_paths=(VEHICLES,), cache_dir=tmp_path / "l")))
    there = GraphTools(Workspace(Settings(sparql_endpoint=oxigraph, cache_dir=tmp_path / "r")))
    for tools in (here, there):
        tools.start()
    try:
        assert there.get_concept("electric car") == here.get_concept("electric car")
        assert there.get_hierarchy("car") == here.get_hierarchy("car")
        query = "SELECT ?c WHERE { ?c skos:broader ?b } ORDER BY ?c"
        ours, theirs = there.sparql_query(query), here.sparql_query(query)
        assert ours["rows"] == theirs["rows"] and ours["count"] > 2
        assert not any(_WHOLE.search(q) for q in there.workspace.endpoint.sent)
    finally:
        for tools in (here, there):
            tools.close()


@pytest.mark.parametrize("together", [0, 3, 128])
@pytest.mark.parametrize("seed", range(60))
def test_paths_walked_from_both_ends_are_networkx_s(seed: int, together: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-place path search (both ends, a level at a time; both ends in one step while
    their frontiers are small, the smaller alone past that) finds exactly the shortest
    paths networkx finds over the whole graph, or none when there are none."""
    import networkx as nx

    from kg.view import remote_view
    from kg.view.graph_view import GraphView
    from kg.view.remote_view import shortest_paths

    monkeypatch.setattr(remote_view, "BOTH_MAX", together)

    g = nx.gnm_random_graph(30, 40 + seed % 20, seed=seed, directed=True)
    g = nx.MultiDiGraph(nx.relabel_nodes(g, {i: f"n{i:02d}" for i in g}))
    a, b = f"n{seed % 30:02d}", f"n{(seed * 7 + 3) % 30:02d}"
    try:
        want = sorted(nx.all_shortest_paths(g.to_undirected(as_view=True), a, b))
    except nx.NetworkXNoPath:
        want = None
    try:
        got = sorted(shortest_paths(GraphView(nx=g, labels={}, predicate_labels={}), a, b))
    except nx.NetworkXNoPath:
        got = None
    assert got == want


def test_the_nodes_read_in_place_are_a_bounded_cache(oxigraph: str, tmp_path: Path,
                                                     monkeypatch) -> None:
    from kg.view import remote_view

    monkeypatch.setattr(remote_view, "KNOWN_MAX", 4)
    there = Workspace(Settings(sparql_endpoint=oxigraph, cache_dir=tmp_path / "remote"))
    here = Workspace(Settings(graph_paths=(VEHICLES,), cache_dir=tmp_path / "local"))
    store = there.remote_store
    iris = sorted(here.view.nx.nodes)[:12]
    cards = [store.node(i) for i in iris]  # more nodes than the cache keeps
    assert store.kept <= 4
    assert [store.node(i) for i in iris] == cards  # dropped nodes are read again, the same


def test_void_figures_in_place_are_the_files_and_bounded_when_large(
        oxigraph: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """VoID counted by the endpoint equals VoID counted from the file; a large store leaves
    out the distinct subject and object counts (a scan of every term), and an optional
    figure the endpoint cannot count in time is left out, not the whole description."""
    from kg.rdf.remote_graph import SPLIT_MIN, endpoint_stats
    from kg.server.stats import void_stats

    graph = Graph().parse(VEHICLES)
    local = void_stats(graph)
    there = endpoint_stats(Endpoint(oxigraph), triples=len(graph))
    for key in ("triples", "distinctSubjects", "distinctObjects", "properties", "classes",
                "entities"):
        assert there[key] == local[key], key
    assert dict(there["property_partitions"]) == dict(local["property_partitions"])
    assert dict(there["class_partitions"]) == dict(local["class_partitions"])

    endpoint = Endpoint(oxigraph)
    large = endpoint_stats(endpoint, triples=SPLIT_MIN)
    assert large["distinctSubjects"] is None and large["distinctObjects"] is None
    assert not any("COUNT(DISTINCT ?o)" in q for q in endpoint.sent)
    assert large["triples"] == local["triples"] and large["entities"] == local["entities"]

    select = Endpoint.select

    def slow_distinct(self: Endpoint, query: str) -> list:
        if "COUNT(DISTINCT" in query:
            raise self.fail("did not answer within 30 s")
        return select(self, query)

    monkeypatch.setattr(Endpoint, "select", slow_distinct)
    partial = endpoint_stats(Endpoint(oxigraph), triples=len(graph))
    assert partial["entities"] is None and partial["distinctSubjects"] is None
    assert partial["triples"] == local["triples"] and partial["classes"] == local["classes"]
