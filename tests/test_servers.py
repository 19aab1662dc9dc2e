"""`--sparql-endpoint` against real engines started from packages (tests/servers.py):
Oxigraph server always, OpenLink Virtuoso where it is installed.

Each test reads or asks a graph in place and compares with the same graph read from its
file. Virtuoso is the engine large public graphs run on, and its dialect is what the client
must survive: an answer holds at most 10,000 rows, ``ORDER BY`` with ``OFFSET`` past
10,000 rows is refused (error SR353), and a query POSTed as ``application/sparql-query``
is never answered (openlink/virtuoso-opensource#842, Debian's 7.2.5 included): the client
sends queries form-encoded, reads long answers in batches of subjects, and checks a short
answer's end by asking one row past it.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_quality import judge, questions  # bench/ (path set in conftest)
from servers import ServerError, start_oxigraph, start_virtuoso, virtuoso_binaries
from synth import BASE, write_ntriples

from kg.config import Settings
from kg.errors import GraphLoadError
from kg.rdf.load import read_raw_triples
from kg.rdf.remote import Endpoint
from kg.view.graph_view import view_from_triples
from kg.workspace import Workspace
from kg_cli.main import cli

DATA = Path(__file__).parent / "data"
VEHICLES = DATA / "qa_vehicles.ttl"
QUESTIONS = ("what is a car?", "which vehicles have two wheels?",
             "When was the bicycle invented?")
# A request to Virtuoso that is never answered fails after this long (seconds).
VIRTUOSO_TIMEOUT = 10.0


def _synth(tmp_path_factory: pytest.TempPathFactory, triples: int) -> Path:
    """A synthetic SKOS taxonomy of ``triples`` triples in a file of its own."""
    buf = io.StringIO()
    write_ntriples(buf, triples)
    path = tmp_path_factory.mktemp("synth") / f"synth-{triples}.nt"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12,000 triples: more than one Virtuoso answer holds."""
    return _synth(tmp_path_factory, 12_000)


@pytest.fixture(scope="module")
def small_synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synth(tmp_path_factory, 1500)


def _named(triples) -> tuple:
    """What a graph's view holds between named nodes (blank-node ids differ by reader)."""
    view = view_from_triples(triples)
    nodes = {n: d for n, d in view.nx.nodes(data=True) if not n.startswith("_:")}
    edges = sorted((u, v, d["predicate"]) for u, v, d in view.nx.edges(data=True)
                   if not (u.startswith("_:") or v.startswith("_:")))
    return nodes, edges, view.predicate_labels


def _every_triple_read(url: str, path: Path, timeout: float = 30.0) -> None:
    """The endpoint holds exactly the file's triples, and reading it in pages of at most
    5,000 rows returns each once."""
    local = list(read_raw_triples([path]))
    endpoint = Endpoint(url, timeout=timeout, page=5_000)
    assert endpoint.count() == len(local)
    triples = list(endpoint.triples())
    assert len(triples) == len(set(triples)) == len(local)  # no page overlaps or skips
    assert set(triples) == set(local)
    assert endpoint.requests >= 3  # the reads really were paged


def _ask(url: str, question: str, cache: Path, env: dict[str, str] | None = None) -> dict:
    result = CliRunner().invoke(cli, ["ask", question, "--json", "--sparql-endpoint", url,
                                      "--cache-dir", str(cache)], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _asks_as_local(url: str, vehicles, cache: Path, env: dict[str, str] | None = None) -> None:
    """`kg ask --sparql-endpoint` gives the local answer (its first line: the remote index
    is built from names and definitions only, which can order the extra facts otherwise)."""
    for question in QUESTIONS:
        ours, local = _ask(url, question, cache, env), vehicles.ask(question)
        assert ours["answer"].split("\n")[0] == local.text.split("\n")[0], question
        assert ours["abstained"] == local.abstained


# ------------------------------------------------------------------ Oxigraph
def test_oxigraph_serves_the_file_and_pages_read_every_triple(oxigraph_endpoint,
                                                              big_file: Path) -> None:
    _every_triple_read(oxigraph_endpoint(big_file), big_file)


def test_oxigraph_view_read_in_pages_equals_the_local_view(oxigraph_endpoint) -> None:
    url = oxigraph_endpoint(VEHICLES)
    assert _named(Endpoint(url, page=10).triples()) == _named(read_raw_triples([VEHICLES]))


def test_oxigraph_ask_in_place_answers_as_the_local_file(oxigraph_endpoint, vehicles,
                                                         tmp_path: Path) -> None:
    _asks_as_local(oxigraph_endpoint(VEHICLES), vehicles, tmp_path)


def test_oxigraph_index_builds_in_place_then_is_ready(oxigraph_endpoint,
                                                      tmp_path: Path) -> None:
    url = oxigraph_endpoint(VEHICLES)
    runner = CliRunner()
    args = ["--sparql-endpoint", url, "--cache-dir", str(tmp_path)]
    before = runner.invoke(cli, ["index", "status", *args])
    assert before.exit_code == 1 and "missing" in before.output.lower(), before.output
    built = runner.invoke(cli, ["index", "build", *args])
    assert built.exit_code == 0, built.output
    after = runner.invoke(cli, ["index", "status", *args])
    assert after.exit_code == 0 and "ready" in after.output.lower(), after.output


def test_oxigraph_in_place_answers_the_synthetic_questions_as_local(
        oxigraph_endpoint, small_synth: Path, tmp_path: Path) -> None:
    """The quality questions of bench/scale_quality.py on a generated taxonomy: the same
    direct answer, judged the same, as from the file."""
    local = Workspace(Settings(graph_paths=(small_synth,), cache_dir=tmp_path / "local"))
    remote = Workspace(Settings(sparql_endpoint=oxigraph_endpoint(small_synth),
                                cache_dir=tmp_path / "remote"))
    for kind, text, iri, related in questions(local.view, 12):
        ours, theirs = remote.engine.ask(text), local.engine.ask(text)
        assert ours.text.split("\n")[0] == theirs.text.split("\n")[0], text
        assert judge(kind, ours, iri, related) == judge(kind, theirs, iri, related), text


def test_oxigraph_show_on_the_endpoint_shows_the_local_card(oxigraph_endpoint,
                                                            tmp_path: Path) -> None:
    url = oxigraph_endpoint(VEHICLES)
    runner = CliRunner()
    remote = runner.invoke(cli, ["show", "Car", "--json", "--sparql-endpoint", url,
                                 "--cache-dir", str(tmp_path / "remote")])
    local = runner.invoke(cli, ["show", "Car", "--json", "--graph", str(VEHICLES),
                                "--cache-dir", str(tmp_path / "local")])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_a_file_oxigraph_cannot_load_fails_with_its_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://ex/a> <http://ex/b> .\n", encoding="utf-8")
    with pytest.raises(ServerError, match="oxigraph load failed") as err:
        start_oxigraph([bad], tmp_path / "server")
    assert re.search(r"bad\.ttl|line 1|column", str(err.value)), str(err.value)


# ------------------------------------------------------------------ Virtuoso
def test_virtuoso_pages_read_every_triple_past_its_row_cap(virtuoso_endpoint,
                                                           big_file: Path) -> None:
    _every_triple_read(virtuoso_endpoint(big_file), big_file, VIRTUOSO_TIMEOUT)


def test_virtuoso_ask_in_place_answers_as_the_local_file(virtuoso_endpoint, vehicles,
                                                         tmp_path: Path) -> None:
    _asks_as_local(virtuoso_endpoint(VEHICLES), vehicles, tmp_path,
                   {"KG_QUERY_TIMEOUT": str(VIRTUOSO_TIMEOUT)})


def test_virtuoso_refusing_a_query_is_named_with_its_status(virtuoso_endpoint) -> None:
    url = virtuoso_endpoint(VEHICLES)
    with pytest.raises(GraphLoadError, match=r"answered HTTP [45]\d\d") as err:
        Endpoint(url, timeout=VIRTUOSO_TIMEOUT).select("SELECT WHERE {")
    assert url in str(err.value)


def test_virtuoso_serves_the_file_in_a_graph_of_its_own(virtuoso_endpoint,
                                                        big_file: Path) -> None:
    """The fixture itself, through a GET (which Virtuoso answers): the URL's default graph
    holds exactly the file, not Virtuoso's own system graphs."""
    import urllib.parse
    import urllib.request

    url = virtuoso_endpoint(big_file)
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    request = urllib.request.Request(f"{url}&{query}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        rows = json.loads(response.read())["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == 12_000
    assert virtuoso_endpoint(big_file) == url  # loaded once per session


def test_a_file_virtuoso_cannot_load_fails_with_its_message(tmp_path: Path) -> None:
    if virtuoso_binaries() is None:
        pytest.skip("OpenLink Virtuoso is not installed: `make system-deps`.")
    bad = tmp_path / "bad.ttl"
    bad.write_text("garbage <<\n", encoding="utf-8")
    server = start_virtuoso(tmp_path / "server")
    try:
        with pytest.raises(ServerError, match=r"could not load .*bad\.ttl") as err:
            server.load(bad, "urn:kg:bad")
        assert "syntax error" in str(err.value).lower()
    finally:
        server.stop()


# ------------------------------------------------------------------ what a command reads
class _Counting:
    """A loopback HTTP proxy in front of an endpoint that counts the bytes of the answers
    it relays (decompressed): what a command really read, whatever its queries look like."""

    def __init__(self, upstream: str) -> None:
        import http.client
        import http.server
        import threading
        import urllib.parse
        import zlib

        target = urllib.parse.urlsplit(upstream)
        counter = self
        self.bytes = 0
        self.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
                conn.request(self.command, target.path + self.path[len(target.path):], body,
                             headers)
                answer = conn.getresponse()
                data = answer.read()
                conn.close()
                plain = data
                if answer.getheader("Content-Encoding", "") in ("gzip", "deflate"):
                    plain = zlib.decompress(data, 47)
                counter.bytes += len(plain)
                counter.requests += 1
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("connection", "content-length",
                                           "transfer-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _relay

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{target.path}"
        if target.query:
            self.url += f"?{target.query}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_show_and_path_in_place_read_a_small_part_of_the_graph(oxigraph_endpoint,
                                                               big_file: Path,
                                                               tmp_path: Path) -> None:
    """With what the first command reads kept in the cache, a later `kg show` or `kg path`
    process reads its concepts' surroundings, not the graph (under a tenth of a full read)."""
    proxy = _Counting(oxigraph_endpoint(big_file))
    try:
        args = ["--sparql-endpoint", proxy.url, "--cache-dir", str(tmp_path)]
        runner = CliRunner()
        whole = Endpoint(proxy.url)
        assert len(list(whole.triples())) == 12_000
        full, proxy.bytes = proxy.bytes, 0
        first = runner.invoke(cli, ["show", f"{BASE}c5", *args])
        assert first.exit_code == 0, first.output
        for command in (["show", f"{BASE}c40"], ["path", f"{BASE}c40", f"{BASE}c3"]):
            proxy.bytes = 0
            result = runner.invoke(cli, [*command, *args])
            assert result.exit_code == 0, result.output
            assert proxy.bytes < full / 10, (command, proxy.bytes, full)
    finally:
        proxy.close()
