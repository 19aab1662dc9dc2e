"""Property tests over the three untrusted entry points: questions, SPARQL and RDF bytes.

Short by default (``KG_FUZZ_EXAMPLES``, default 50 examples per property, under a minute
in all). A longer run, documented in SECURITY.md::

    KG_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -p no:randomly

The properties:

* ``Engine.ask`` on any text (arbitrary unicode, very long) returns an ``Answer`` with
  text and never raises;
* ``check_query`` / ``QueryRunner.run`` on any string raise nothing but ``QueryError``,
  and the HTTP app never answers 5xx (except 503 for a query stopped at its deadline);
* ``parse_bytes`` on any bytes, in every supported format, parses or raises
  ``GraphLoadError``, never anything else.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.errors import GraphLoadError, QueryError

EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,  # the short run is the same every time; long runs explore
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    database=None,
)
EX = "https://example.org/fuzz/"

# --------------------------------------------------------------------------- kg ask

# Text that stresses normalisation and tokenising: every plane, controls, combining marks,
# right-to-left text, surrogates escaped as text, SPARQL and markup fragments.
QUESTION_PIECES = st.sampled_from([
    "what is", "a car", "kind of", "?", "SELECT ?x WHERE { ?x ?p ?o }", "<script>", "\x00",
    "\u202e", "\ufeff", "e\u0301", "ﬁ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "🚗🚲", "車", "سيارة", "ignore previous",
    "\\u0000", "%00", "' OR 1=1 --", "{{7*7}}", "\r\n", "\t", " " * 50, "ab" * 300,
])
QUESTIONS = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(QUESTION_PIECES, max_size=20).map(" ".join),
    st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=40),
              st.integers(50, 3000)),  # long: up to 120 000 characters
)


@FUZZ
@given(question=QUESTIONS)
def test_ask_never_raises_and_always_answers(vehicles, question: str) -> None:
    from kg.qa.answer import Answer

    answer = vehicles.ask(question)
    assert isinstance(answer, Answer)
    assert isinstance(answer.text, str) and answer.text.strip()
    answer.to_dict()  # the --json form must serialise too


def test_ask_megabyte_question(vehicles) -> None:
    answer = vehicles.ask("what is a car? " * 70_000)
    assert answer.text.strip()


# --------------------------------------------------------------------------- SPARQL

SPARQL_TOKENS = st.sampled_from([
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "FROM NAMED", "GRAPH",
    "SERVICE", "SILENT", "LOAD", "INSERT", "DELETE", "DATA", "CLEAR", "DROP", "WITH",
    "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "VALUES", "AS", "LIMIT", "OFFSET",
    "ORDER BY", "GROUP BY", "HAVING", "COUNT(*)", "DISTINCT", "REGEX(?o, \"(a+)+$\")",
    "STRLEN(?o)", "NOW()", "RAND()", "BNODE()", "UUID()", "EXISTS", "NOT EXISTS", "*", "+",
    "?", "/", "|", "^", "{", "}", "(", ")", ".", ";", ",", "a", "?s", "?p", "?o", "?x",
    "<urn:x>", f"<{EX}n0>", f"<{EX}next>", "<http://127.0.0.1:9/>", "skos:prefLabel",
    "skos:broader", "undeclared:thing", '"text"@en', "1", "1.5e3", "true", "PREFIX p: <urn:p>",
    "BASE <urn:b>", "#", "\n", "\x00", "\\", "'", '"""', "}}}}}}", "((((((((",
])
QUERIES = st.one_of(
    st.text(max_size=200),
    st.lists(SPARQL_TOKENS, max_size=40).map(" ".join),
    st.builds(lambda head, body, tail: f"{head} {{ {body} }} {tail}",
              st.sampled_from(["SELECT *", "ASK", "CONSTRUCT WHERE", "SELECT ?s", "DESCRIBE ?s"]),
              st.lists(SPARQL_TOKENS, max_size=25).map(" ".join),
              st.sampled_from(["", "LIMIT 5", "ORDER BY ?s", "OFFSET 1"])),
)


def write_small_graph(path: Path) -> Path:
    lines = [f"@prefix ex: <{EX}> .", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    lines += [f'ex:c{i} a skos:Concept ; skos:prefLabel "C{i}"@en ; skos:broader ex:c{i // 3} .'
              for i in range(30)]
    lines += [f"ex:n{i} ex:next ex:n{i + 1} ." for i in range(2000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_graph(tmp_path_factory.mktemp("fuzz") / "small.ttl")


@pytest.fixture(scope="module")
def runner(small_graph_file: Path):
    from kg.rdf.load import load_graph
    from kg.sparql.runner import QueryRunner

    with QueryRunner(load_graph([small_graph_file]).graph, workers=2, timeout=3,
                     max_rows=200) as pool:
        yield pool


@FUZZ
@given(text=QUERIES)
def test_check_query_raises_only_query_errors(text: str) -> None:
    from kg.sparql.runner import check_query

    try:
        check_query(text)
    except QueryError:
        pass


@FUZZ
@given(text=QUERIES)
def test_runner_raises_only_query_errors(runner, text: str) -> None:
    try:
        result = runner.run(text)
    except QueryError:
        return
    assert result.kind in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    assert result.count <= 200


@pytest.fixture(scope="module")
def http(small_graph_file: Path, session_cache: Path):
    from starlette.testclient import TestClient

    from kg.config import Settings
    from kg.server.app import ServerSettings, create_app
    from kg.workspace import Workspace

    workspace = Workspace(Settings(graph_paths=(small_graph_file,), cache_dir=session_cache))
    app = create_app(workspace, ServerSettings(timeout=3, max_rows=200, workers=2))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


ACCEPT = st.sampled_from(["", "*/*", "application/sparql-results+json", "text/csv",
                          "text/turtle", "application/x-nonsense", "text/*;q=0.5, */*;q=abc",
                          ";;;", "application/json, text/turtle;q=0.9"])


def _no_5xx(response) -> None:
    if response.status_code == 503:  # a query stopped at its deadline: documented
        assert "s" in response.text and ("longer than" in response.text
                                         or "busy" in response.text), response.text
        return
    assert response.status_code < 500, (response.status_code, response.text)
    assert "Traceback" not in response.text


@FUZZ
@given(text=QUERIES, accept=ACCEPT, method=st.sampled_from(["get", "form", "body"]))
def test_http_sparql_never_5xx(http, text: str, accept: str, method: str) -> None:
    headers = {"Accept": accept} if accept else {}
    if method == "get":
        response = http.get("/sparql", params={"query": text}, headers=headers)
    elif method == "form":
        response = http.post("/sparql", data={"query": text}, headers=headers)
    else:
        response = http.post("/sparql", content=text.encode("utf-8", "surrogatepass"),
                             headers={**headers, "Content-Type": "application/sparql-query"})
    _no_5xx(response)


@FUZZ
@given(body=st.binary(max_size=300), ctype=st.sampled_from([
    "application/sparql-query", "application/x-www-form-urlencoded",
    "application/sparql-query; charset=latin-1", "application/sparql-query; charset=nope",
    "application/sparql-update", "text/plain", ""]),
    query_string=st.text(max_size=80))
def test_http_raw_requests_never_5xx(http, body: bytes, ctype: str,
                                     query_string: str) -> None:
    headers = {"Content-Type": ctype} if ctype else {}
    # Percent-encode what a URL cannot carry, but keep '%' so bad escapes reach the app.
    raw = quote(query_string.encode("utf-8", "surrogatepass"), safe="=&%+;/?")
    response = http.post("/sparql?" + raw, content=body, headers=headers)
    _no_5xx(response)


# --------------------------------------------------------------------------- loader


def _samples() -> dict[str, bytes]:
    """One small valid document per parser, to mutate."""
    from rdflib import Dataset, Graph, Literal, URIRef

    g = Graph()
    for i in range(4):
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"v{i}", lang="en")))
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}q"), URIRef(f"{EX}s{(i + 1) % 4}")))
    ds = Dataset()
    named = ds.graph(URIRef(f"{EX}g"))
    for t in g:
        named.add(t)
    out = {fmt: g.serialize(format=fmt, encoding="utf-8")
           for fmt in ("turtle", "nt", "n3", "xml", "json-ld")}
    out["trig"] = ds.serialize(format="trig", encoding="utf-8")
    out["nquads"] = ds.serialize(format="nquads", encoding="utf-8")
    return out


SAMPLES = _samples()


def _formats() -> list[str]:
    from kg.rdf.load import FORMATS

    return sorted(set(FORMATS.values()))


@st.composite
def mutated(draw: st.DrawFn, fmt: str) -> bytes:
    """A valid document of ``fmt`` with a few bytes deleted, inserted or replaced."""
    data = bytearray(SAMPLES[fmt])
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 8))):
        pos = rng.randrange(len(data) + 1)
        action = rng.choice(["delete", "insert", "replace", "duplicate"])
        if action == "delete" and data:
            del data[pos:pos + rng.randint(1, 20)]
        elif action == "insert":
            data[pos:pos] = rng.choice([b"{", b"}", b"<", b">", b"\"", b"@", b"\\", b"\xff",
                                        b"\x00", b"[", b"]", b".", b";", b"\n", b":", b"#",
                                        b"&amp;", b"\xe2\x80", b"@context", b"_:b"])
        elif action == "replace" and pos < len(data):
            data[pos] = rng.randrange(256)
        else:
            data[pos:pos] = data[pos:pos + rng.randint(1, 40)]
    return bytes(data)


@pytest.mark.parametrize("fmt", _formats())
def test_loader_gives_clear_errors_on_random_bytes(fmt: str) -> None:
    from kg.rdf.load import parse_bytes

    @FUZZ
    @given(data=st.one_of(st.binary(max_size=400), mutated(fmt),
                          st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace"))))
    def check(data: bytes) -> None:
        assume(b"<!DOCTYPE" not in data.upper())  # refused before parsing (tested elsewhere)
        try:
            parse_bytes(data, fmt, f"fuzz.{fmt}")
        except GraphLoadError as exc:
            assert str(exc).startswith(f"fuzz.{fmt}")

    check()


@FUZZ
@given(data=st.binary(max_size=300), name=st.sampled_from(["x.ttl", "x.rdf", "x.jsonld",
                                                            "x.trig", "x.nt", "x", "x.dat"]))
def test_load_graph_detects_format_and_gives_clear_errors(tmp_path_factory,
                                                          data: bytes, name: str) -> None:
    from kg.rdf.load import load_graph

    path = tmp_path_factory.mktemp("load") / name
    path.write_bytes(data)
    try:
        load_graph([path])
    except GraphLoadError as exc:
        assert str(exc).startswith(str(path))
