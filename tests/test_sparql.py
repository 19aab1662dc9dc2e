"""Read-only SPARQL: refusals, limits, results and their serialisations, and ``kg sparql``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from rdflib.query import Result

from kg.errors import ForbiddenQueryError, QueryError, QueryTimeoutError
from kg.rdf.load import load_graph
from kg.sparql.evaluate import Evaluator, QueryData
from kg.sparql.runner import (
    GRAPH_FORMATS,
    GRAPH_IRI,
    TABULAR_FORMATS,
    QueryRunner,
    check_query,
    run_query,
    screen_query,
    serialize,
)
from kg_cli.main import cli
from tests.helpers import Listener

EX = "https://example.org/t/"
CHAIN = 3000  # long enough for rdflib's recursive property paths to overflow the stack

# One query per SPARQL Update form, each valid in the update grammar.
UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "LOAD SILENT <http://127.0.0.1:9/x.ttl> INTO GRAPH <urn:g>",
    "CLEAR ALL",
    "CLEAR DEFAULT",
    "DROP GRAPH <urn:g>",
    "DROP ALL",
    "CREATE GRAPH <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nINSERT DATA { <urn:a> skos:b 1 }",
]

SERVICES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "ASK { { ?s ?p ?o } UNION { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]


def write_graph(path: Path, concepts: int = 60) -> Path:
    """A small SKOS taxonomy (a few hundred triples) plus a long chain."""
    lines = [
        f"@prefix ex: <{EX}> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "ex:root a skos:Concept ; skos:prefLabel \"Root\"@en .",
    ]
    for i in range(concepts):
        parent = "ex:root" if i < 5 else f"ex:c{i // 5 - 1}"
        lines.append(
            f'ex:c{i} a skos:Concept ; skos:prefLabel "Concept {i}"@en ; '
            f'skos:broader {parent} ; skos:definition "Definition of concept {i}." ; '
            f"ex:rank {i} ."
        )
    lines.append('ex:odd skos:prefLabel "tab\there, \\"quoted\\", comma, newline\\nend" .')
    for i in range(CHAIN):
        lines.append(f"ex:n{i} ex:next ex:n{i + 1} .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_graph(tmp_path_factory.mktemp("sparql") / "tiny.ttl")


@pytest.fixture(scope="module")
def graph(graph_file: Path) -> Graph:
    return load_graph([graph_file]).graph


@pytest.fixture(scope="module")
def runner(graph: Graph) -> QueryRunner:
    with QueryRunner(graph, workers=2, timeout=5, max_rows=1000) as pool:
        yield pool


# --------------------------------------------------------------------------- check_query


@pytest.mark.parametrize("text", UPDATES)
def test_every_update_form_is_forbidden(text: str) -> None:
    with pytest.raises(ForbiddenQueryError, match="read-only"):
        check_query(text)


def test_malformed_update_is_still_called_an_update() -> None:
    with pytest.raises(ForbiddenQueryError, match="INSERT looks like a SPARQL Update"):
        check_query("INSERT DATA { <urn:a> <urn:b> }")
    with pytest.raises(QueryError):  # neither a query nor an update: refused all the same
        check_query("SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }")


@pytest.mark.parametrize("text", SERVICES)
def test_service_is_forbidden_anywhere(text: str) -> None:
    with pytest.raises(ForbiddenQueryError, match="SERVICE .* never makes network requests"):
        check_query(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        f"SELECT * FROM <{GRAPH_IRI}> FROM <urn:other> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_from_names_only_loaded_graphs(text: str) -> None:
    with pytest.raises(ForbiddenQueryError, match="never fetches graphs"):
        check_query(text)


def test_syntax_error_names_line_and_column() -> None:
    with pytest.raises(QueryError) as info:
        check_query("SELECT ?s\nWHERE { ?s ?p }")
    message = str(info.value)
    assert "line 2, column" in message and "Hint:" in message
    assert not isinstance(info.value, ForbiddenQueryError)


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment", "PREFIX ex: <urn:x>"])
def test_empty_queries_are_errors(text: str) -> None:
    with pytest.raises(QueryError):
        check_query(text)


def test_unknown_prefix_is_explained() -> None:
    with pytest.raises(QueryError, match="unknown prefix 'nope'.*PREFIX nope:"):
        check_query("SELECT * WHERE { ?s nope:p ?o }")


def test_predeclared_prefixes_and_kinds() -> None:
    assert check_query("SELECT ?c WHERE { ?c a skos:Concept }").kind == "SELECT"
    assert check_query("ASK { ai:x rdfs:label ?l }").kind == "ASK"
    assert check_query("CONSTRUCT WHERE { ?s schema:name ?n }").kind == "CONSTRUCT"
    assert check_query("DESCRIBE ai:x").kind == "DESCRIBE"
    assert check_query("SELECT * WHERE { ?s ?p ?o FILTER(RAND() < 1) }").volatile


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "SELECT * WHERE { " + "{ " * 400 + "?s ?p ?o" + " }" * 400 + " }"
    with pytest.raises(QueryError):
        check_query(text)


# --------------------------------------------------------------------------- running


def test_select_rows(runner: QueryRunner) -> None:
    result = runner.run(
        f"SELECT ?c ?l WHERE {{ ?c skos:broader <{EX}root> ; skos:prefLabel ?l }} ORDER BY ?c"
    )
    assert result.kind == "SELECT" and result.vars == ["c", "l"]
    assert len(result.rows) == 5 and not result.truncated
    assert result.rows[0] == (URIRef(EX + "c0"), Literal("Concept 0", lang="en"))


def test_ask_construct_describe(runner: QueryRunner, graph: Graph) -> None:
    assert runner.run(f"ASK {{ <{EX}c7> skos:broader+ <{EX}root> }}").boolean is True
    assert runner.run(f"ASK {{ <{EX}root> skos:broader <{EX}c7> }}").boolean is False
    built = runner.run("CONSTRUCT WHERE { ?s skos:broader ?o }").graph
    expected = Graph()
    expected += graph.triples((None, SKOS.broader, None))
    assert isomorphic(built, expected)
    described = runner.run(f"DESCRIBE <{EX}c3>").graph
    assert (URIRef(EX + "c3"), SKOS.prefLabel, Literal("Concept 3", lang="en")) in described


def test_rows_are_capped_and_reported(runner: QueryRunner) -> None:
    result = runner.run("SELECT ?s WHERE { ?s ?p ?o }", max_rows=7)
    assert result.truncated and len(result.rows) == 7
    exact = runner.run(f"SELECT ?c WHERE {{ ?c skos:broader <{EX}root> }}", max_rows=5)
    assert not exact.truncated and len(exact.rows) == 5
    graph = runner.run("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=10)
    assert graph.truncated and len(graph.graph) == 10


def test_long_path_is_answered_by_oxigraph(runner: QueryRunner) -> None:
    result = runner.run(f"SELECT (COUNT(?o) AS ?n) WHERE {{ <{EX}n0> <{EX}next>* ?o }}")
    assert int(result.rows[0][0]) == CHAIN + 1


def test_long_path_recursion_in_rdflib_is_a_query_error(runner: QueryRunner) -> None:
    # A text mentioning "service" runs in rdflib, which recurses on long paths.
    with pytest.raises(QueryError, match="recursed too deeply"):
        runner.run(f"# no service here\nSELECT ?o WHERE {{ <{EX}n0> <{EX}next>* ?o }}")
    assert runner.run("ASK { ?s ?p ?o }").boolean  # the worker is still fine


def test_timeout_kills_the_query_and_the_runner_recovers(graph: Graph) -> None:
    with QueryRunner(graph, workers=1, timeout=1) as pool:
        with pytest.raises(QueryTimeoutError, match="longer than 1 s"):
            pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert pool.run("ASK { ?s ?p ?o }").boolean


def test_run_query_refuses_before_running(graph: Graph) -> None:
    with pytest.raises(ForbiddenQueryError):
        run_query(graph, "DROP ALL", timeout=5)
    assert len(graph) > CHAIN


def test_dataset_selection(runner: QueryRunner) -> None:
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    total = int(runner.run(count.format("")).rows[0][0])
    assert int(runner.run(count.format(f"FROM <{GRAPH_IRI}>")).rows[0][0]) == total
    # FROM NAMED alone: the default graph is empty, the named graph is there.
    assert int(runner.run(count.format(f"FROM NAMED <{GRAPH_IRI}>")).rows[0][0]) == 0
    named = runner.run(f"SELECT DISTINCT ?g FROM NAMED <{GRAPH_IRI}> WHERE {{ GRAPH ?g {{}} }}")
    assert named.rows == [(URIRef(GRAPH_IRI),)]
    graphs = runner.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(graphs.rows[0][0]) == total
    # The protocol's dataset overrides FROM; a graph the runner does not hold is empty
    # (as in Oxigraph and Fuseki), never fetched and never an error.
    over = runner.run(count.format(f"FROM <{GRAPH_IRI}>"), default_graphs=[], named_graphs=[])
    assert int(over.rows[0][0]) == 0
    unknown = runner.run(count.format(""), default_graphs=["http://127.0.0.1:9/g"])
    assert int(unknown.rows[0][0]) == 0
    both = runner.run(count.format(""), default_graphs=["http://127.0.0.1:9/g", GRAPH_IRI])
    assert int(both.rows[0][0]) == total
    named_unknown = runner.run("SELECT ?g WHERE { GRAPH ?g { } }",
                               named_graphs=["http://127.0.0.1:9/g"])
    assert named_unknown.rows == []


def test_waiting_for_a_worker_counts_against_the_timeout(graph: Graph) -> None:
    """Three runaway queries on one worker: each is stopped by its own deadline."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    timeout = 1.0
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with QueryRunner(graph, workers=1, timeout=timeout) as runner:
        def one(_: int) -> tuple[str, float]:
            start = time.monotonic()
            try:
                runner.run_serialized(runaway, "json", "turtle")
            except QueryTimeoutError as exc:
                return str(exc), time.monotonic() - start
            return "answered", time.monotonic() - start

        with ThreadPoolExecutor(max_workers=3) as pool:
            outcomes = list(pool.map(one, range(3)))
    assert all("stopped" in message for message, _ in outcomes), outcomes
    assert max(elapsed for _, elapsed in outcomes) < 2 * timeout, outcomes


# --------------------------------------------------------------------------- screening


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT ?s WHERE { ?s skos:prefLabel ?l }", "SELECT"),
        ("PREFIX ex: <urn:ex:>\n# a comment\nASK { ?s ex:p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", "CONSTRUCT"),
        ("describe <urn:a>", "DESCRIBE"),
    ],
)
def test_plain_queries_are_cleared_without_parsing(text: str, kind: str) -> None:
    checked = screen_query(text)
    assert checked.query is None and not checked.rdflib_only
    assert checked.kind == kind


@pytest.mark.parametrize("text", SERVICES + [
    # Disguises: case, codepoint escapes (undone before any engine reads the text).
    "SELECT * WHERE { sErViCe <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVIC\\U00000045 <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_screen_never_clears_service(text: str) -> None:
    with pytest.raises((ForbiddenQueryError, QueryError)):
        screen_query(text)


def test_screen_sends_service_and_from_words_to_the_full_check() -> None:
    literal = screen_query('SELECT ?s WHERE { ?s ?p "customer service" }')
    assert literal.query is not None and literal.rdflib_only
    named = screen_query(f"SELECT ?s FROM <{GRAPH_IRI}> WHERE {{ ?s ?p ?o }}")
    assert named.query is not None and not named.rdflib_only
    assert named.from_graphs == (GRAPH_IRI,)
    with pytest.raises(ForbiddenQueryError, match="FROM <urn:other>"):
        screen_query("SELECT ?s FROM <urn:other> WHERE { ?s ?p ?o }")


def test_screen_marks_volatile_queries_and_adds_only_missing_prefixes() -> None:
    assert screen_query("SELECT (RAND() AS ?r) WHERE {}").volatile
    assert not screen_query("SELECT ?random WHERE { ?s ?p ?random }").volatile
    own = screen_query("PREFIX skos: <urn:mine#>\nSELECT ?s WHERE { ?s skos:x ?o . ?s rdfs:label ?l }")
    assert "skos" not in own.prefixes and "rdfs" in own.prefixes


def test_update_and_syntax_errors_are_worded_by_the_full_check(runner: QueryRunner) -> None:
    with pytest.raises(QueryError, match="line 1, column"):
        runner.run("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="unknown prefix 'nope'"):
        runner.run("SELECT ?s WHERE { ?s nope:p ?o }")
    with pytest.raises(ForbiddenQueryError, match="read-only"):
        runner.run("CLEAR ALL")


AGREEMENT = [
    "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l ; skos:broader ?b . ?b skos:prefLabel ?bl }",
    "SELECT ?c (COUNT(?n) AS ?k) WHERE { ?n skos:broader ?c } GROUP BY ?c",
    "SELECT ?c WHERE { ?c skos:broader+ <https://example.org/t/root> }",
    "SELECT ?c ?r WHERE { ?c <https://example.org/t/rank> ?r FILTER(?r > 40) }",
    "SELECT ?c ?d WHERE { ?c skos:prefLabel ?l OPTIONAL { ?c skos:definition ?d } }",
    "SELECT ?l WHERE { ?c skos:prefLabel ?l FILTER(LANG(?l) = 'en' && CONTAINS(?l, '1')) }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s skos:broader ?o } } GROUP BY ?g",
    "ASK { <https://example.org/t/c7> skos:broader/skos:broader <https://example.org/t/root> }",
]


@pytest.mark.parametrize("text", AGREEMENT)
def test_oxigraph_and_rdflib_give_the_same_answers(runner: QueryRunner, text: str) -> None:
    fast = runner.run(text)
    slow = runner.run("# the word service sends this text to rdflib\n" + text)
    assert fast.kind == slow.kind
    if fast.kind == "ASK":
        assert fast.boolean == slow.boolean
    else:
        assert fast.vars == slow.vars and fast.rows
        assert sorted(map(str, fast.rows)) == sorted(map(str, slow.rows))


def _service_from_child(data: QueryData, url: str, seal: bool, conn) -> None:
    from kg.sparql.runner import _seal_descriptors

    if seal:
        _seal_descriptors()
    try:
        rows = list(data.store.query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"))
        conn.send(f"answered {len(rows)}")
    except Exception as exc:  # noqa: BLE001 - reporting whatever Oxigraph raised
        conn.send(f"{type(exc).__name__}: {exc}")


def test_sealed_worker_cannot_connect_even_if_a_service_clause_slipped_through(
    graph: Graph,
) -> None:
    """The second wall: run a SERVICE query in Oxigraph directly, checks bypassed."""
    import multiprocessing

    data = QueryData(graph)
    ctx = multiprocessing.get_context("fork")
    listener = Listener()
    try:
        outcomes = {}
        for seal in (True, False):
            before = listener.connections
            parent, child = ctx.Pipe()
            process = ctx.Process(target=_service_from_child, args=(data, listener.url, seal, child))
            process.start()
            assert parent.poll(20)
            outcomes[seal] = (parent.recv(), listener.connections - before)
            process.join(5)
        assert outcomes[True][1] == 0, outcomes  # sealed: nothing reached the listener
        assert "Too many open files" in outcomes[True][0] or "Errno 24" in outcomes[True][0]
        # Unsealed, Oxigraph really does connect: the wall is what stops it.
        assert outcomes[False][1] >= 1, outcomes
    finally:
        listener.close()


def test_evaluator_copies_the_graph_into_the_named_graph(graph: Graph) -> None:
    data = QueryData(graph)
    assert data.skipped == 0 and len(data.store) == len(graph)
    result, _ = Evaluator(data).run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", None, None, 10)
    assert int(result.rows[0][0]) == len(graph)


# --------------------------------------------------------------------------- serialising


@pytest.fixture(scope="module")
def select_result(runner: QueryRunner):
    return runner.run(
        f"SELECT ?s ?l ?rank WHERE {{ ?s skos:prefLabel ?l OPTIONAL {{ ?s <{EX}rank> ?rank }} }}"
        " ORDER BY ?s"
    )


def _parsed_rows(result: Result) -> set[tuple[str, ...]]:
    return {tuple("" if v is None else str(v) for v in row) for row in result}


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_tabular_formats_parse_back(select_result, fmt: str) -> None:
    body = serialize(select_result, fmt)
    parsed = Result.parse(io.BytesIO(body), format=fmt)
    expected = {tuple("" if v is None else str(v) for v in row) for row in select_result.rows}
    assert [str(v) for v in parsed.vars] == ["s", "l", "rank"]
    assert _parsed_rows(parsed) == expected


def test_csv_parses_back(select_result) -> None:
    rows = list(csv.reader(io.StringIO(serialize(select_result, "csv").decode("utf-8"))))
    assert rows[0] == ["s", "l", "rank"]
    assert len(rows) == len(select_result.rows) + 1
    assert [EX + "odd", "tab\there, \"quoted\", comma, newline\nend", ""] in rows


def test_ask_in_every_tabular_format(runner: QueryRunner) -> None:
    result = runner.run("ASK { ?s ?p ?o }")
    assert json.loads(serialize(result, "json")) == {"head": {}, "boolean": True}
    assert Result.parse(io.BytesIO(serialize(result, "xml")), format="xml").askAnswer is True
    assert serialize(result, "csv").decode().split() == ["_askResult", "true"]
    assert serialize(result, "table") == b"true\n"


def test_table_is_readable(select_result) -> None:
    text = serialize(select_result, "table", {"ex": EX}).decode("utf-8")
    assert [cell.strip() for cell in text.splitlines()[0].split(" | ")] == ["s", "l", "rank"]
    assert "ex:c1" in text and '"Concept 1"@en' in text
    assert text.rstrip().endswith(f"({len(select_result.rows)} rows)")


@pytest.mark.parametrize("fmt", list(GRAPH_FORMATS))
def test_graph_formats_parse_back(runner: QueryRunner, fmt: str) -> None:
    result = runner.run("CONSTRUCT WHERE { ?s skos:prefLabel ?l }")
    rdflib_name = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}[fmt]
    back = Graph().parse(data=serialize(result, fmt), format=rdflib_name)
    assert isomorphic(back, result.graph)


def test_format_must_fit_the_kind(runner: QueryRunner, select_result) -> None:
    with pytest.raises(QueryError, match="CONSTRUCT/DESCRIBE"):
        serialize(select_result, "turtle")
    with pytest.raises(QueryError, match="SELECT/ASK"):
        serialize(runner.run("CONSTRUCT WHERE { ?s ?p 1 }"), "csv")
    assert set(TABULAR_FORMATS) >= {"table", "json", "xml", "csv", "tsv"}


# --------------------------------------------------------------------------- kg sparql


def _kg(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_cli_table_by_default(graph_file: Path) -> None:
    out = _kg("sparql", f"SELECT ?c WHERE {{ ?c skos:broader <{EX}root> }}",
              "--graph", str(graph_file))
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0].strip() == "c" and "(5 rows)" in out.stdout


def test_cli_file_stdin_and_formats(graph_file: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?l WHERE { ?s skos:prefLabel ?l } LIMIT 3", encoding="utf-8")
    out = _kg("sparql", f"@{query}", "--format", "csv", "--graph", str(graph_file))
    assert out.exit_code == 0 and out.stdout.splitlines()[0] == "l"
    out = _kg("sparql", "-", "--format", "json", "--graph", str(graph_file),
              stdin="ASK { ?s ?p ?o }")
    assert json.loads(out.stdout)["boolean"] is True
    out = _kg("sparql", "CONSTRUCT WHERE { ?s skos:broader ?o }", "--graph", str(graph_file))
    assert len(Graph().parse(data=out.stdout, format="turtle")) == 60


def test_cli_truncation_note_on_stderr(graph_file: Path) -> None:
    out = _kg("sparql", "SELECT * WHERE { ?s ?p ?o }", "--max-rows", "4", "--format", "tsv",
              "--graph", str(graph_file))
    assert out.exit_code == 0
    assert len(out.stdout.splitlines()) == 5
    assert "cut at 4 rows" in out.stderr and "cut" not in out.stdout


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { ?s ?p }", "syntax error at line 1"),
        ("DROP ALL", "read-only"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("@/no/such/file.rq", "cannot read"),
    ],
)
def test_cli_bad_input_exits_2_without_traceback(graph_file: Path, query: str,
                                                 message: str) -> None:
    out = _kg("sparql", query, "--graph", str(graph_file))
    assert out.exit_code == 2
    assert message in out.output and "Traceback" not in out.output


def test_cli_timeout(graph_file: Path) -> None:
    out = _kg("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
              "--timeout", "0.5", "--graph", str(graph_file))
    assert out.exit_code == 2 and "stopped" in out.output


def test_cli_wrong_format_for_kind(graph_file: Path) -> None:
    out = _kg("sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle",
              "--graph", str(graph_file))
    assert out.exit_code == 2 and "CONSTRUCT/DESCRIBE" in out.output


def test_smoke_builtin_graph() -> None:
    out = _kg("sparql", "SELECT ?c WHERE { ?c a skos:Concept } LIMIT 3", "--format", "json")
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.stdout)["results"]["bindings"]) == 3


def test_on_disk_store_is_queried_in_place(graph_file: Path, graph: Graph, tmp_path: Path) -> None:
    loaded = load_graph([graph_file], store="oxigraph", store_dir=tmp_path)
    data = QueryData(loaded.graph)
    assert data.store is loaded.graph.store._store  # no copy of the on-disk store
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    with QueryRunner(loaded.graph, workers=1, timeout=10) as pool:
        on_disk = pool.run(count).rows[0][0]
        path = pool.run(f"SELECT (COUNT(?o) AS ?n) WHERE {{ <{EX}n0> <{EX}next>+ ?o }}")
    assert int(on_disk) == len(graph)
    assert int(path.rows[0][0]) == CHAIN


def test_triples_oxigraph_cannot_hold_send_every_query_to_rdflib() -> None:
    graph = Graph()
    graph.add((URIRef("urn:x:a"), SKOS.prefLabel, Literal("kept")))
    graph.add((URIRef("http://example.org/with space"), SKOS.prefLabel, Literal("odd IRI")))
    data = QueryData(graph)
    assert data.skipped == 1  # Oxigraph refuses the IRI with a space
    result, _ = Evaluator(data).run("SELECT ?l WHERE { ?s skos:prefLabel ?l }", None, None, 10)
    assert sorted(str(row[0]) for row in result.rows) == ["kept", "odd IRI"]


def test_query_workers_end_when_the_process_that_forked_them_dies(tmp_path: Path) -> None:
    # a server stopped by a signal must not leave its forked workers behind
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "hold.py"
    script.write_text(
        "import sys, time\n"
        "from rdflib import Graph\n"
        "from kg.sparql.runner import QueryRunner\n"
        "g = Graph().parse(data='<urn:a> <urn:b> <urn:c> .', format='turtle')\n"
        "runner = QueryRunner(g, workers=2, timeout=5)\n"
        "print(' '.join(str(w.process.pid) for w in runner._all), flush=True)\n"
        "time.sleep(60)\n", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)}) as proc:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    deadline = time.monotonic() + 10
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if _running(p)]
    assert not alive


def _running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its reaper counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"
