"""`kg mcp` through the official SDK's own client, against spawned server processes.

One stdio server is spawned for the module (SPARQL timeout 3 s, two query workers) and
driven from a blocking portal, so tests stay synchronous. What is checked: the tool list
and schemas, every tool on real inputs, every update form refused with the data unchanged,
a SERVICE/FROM/LOAD aimed at a loopback listener that must receive nothing, a runaway
query stopped while the next call is answered, and bad inputs as tool errors.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from click.testing import CliRunner
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult

from kg_cli.main import cli
from tests.test_sparql import UPDATES

ROOT = Path(__file__).parent.parent
LAUNCH = "from kg_cli.main import cli; cli(prog_name='kg')"
TOOLS = {"ask", "search_concepts", "get_concept", "get_hierarchy", "find_path",
         "sparql_query", "graph_summary"}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Session:
    """A connected SDK client, called synchronously through a portal."""

    def __init__(self, portal: BlockingPortal, client: Client) -> None:
        self.portal = portal
        self.client = client

    def call(self, tool: str, args: dict[str, Any] | None = None) -> CallToolResult:
        return self.portal.call(self.client.call_tool, tool, args or {})

    def ok(self, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.call(tool, args)
        assert not result.is_error, result.content
        data = result.structured_content
        assert isinstance(data, dict)
        assert json.loads(result.content[0].text) == data  # text mirrors the structure
        return data

    def error(self, tool: str, args: dict[str, Any] | None = None) -> str:
        result = self.call(tool, args)
        assert result.is_error, result.structured_content
        return result.content[0].text


def _env(cache: Path) -> dict[str, str]:
    return {"KG_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}


@contextmanager
def _stdio(args: list[str], cache: Path, log: Path) -> Iterator[Session]:
    """Spawn `kg mcp ARGS` and connect the SDK's stdio client to it."""
    params = StdioServerParameters(command=sys.executable, args=["-c", LAUNCH, "mcp", *args],
                                   env=_env(cache), cwd=str(ROOT))
    with log.open("w") as errlog, start_blocking_portal() as portal:
        client = Client(stdio_client(params, errlog=errlog), read_timeout_seconds=180)
        with portal.wrap_async_context_manager(client):
            yield Session(portal, client)


@pytest.fixture(scope="module")
def mcp(engine, session_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """`kg mcp` over stdio on the built-in graph (its index already built by `engine`)."""
    log = tmp_path_factory.mktemp("mcp") / "stderr.log"
    with _stdio(["--timeout", "3", "--workers", "2"], session_cache, log) as session:
        yield session


# ------------------------------------------------------------------------ the surface


def test_help_teaches() -> None:
    result = CliRunner().invoke(cli, ["mcp", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for needle in ("stdio", "--http", "--graph", "--timeout", "127.0.0.1", "Examples:",
                   *TOOLS):
        assert needle in text, needle


def test_tools_are_listed_with_schemas_and_are_read_only(mcp: Session) -> None:
    tools = mcp.portal.call(mcp.client.list_tools).tools
    assert {t.name for t in tools} == TOOLS
    for tool in tools:
        assert len(tool.description or "") > 80, tool.name  # tells an agent when to use it
        assert tool.input_schema["type"] == "object"
        assert tool.output_schema and tool.output_schema["type"] == "object", tool.name
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.open_world_hint is False
    sparql = next(t for t in tools if t.name == "sparql_query")
    assert sparql.input_schema["properties"]["max_rows"]["maximum"] == 1000
    assert "truncated" in sparql.output_schema["properties"]


def test_resources_and_prompt(mcp: Session) -> None:
    uris = {str(r.uri) for r in mcp.portal.call(mcp.client.list_resources).resources}
    assert {"kg://graph/schema", "kg://sparql/examples", "kg://graph/summary"} <= uris
    examples = json.loads(mcp.portal.call(mcp.client.read_resource, "kg://sparql/examples")
                          .contents[0].text)
    for example in examples:  # every example runs as given
        if "<IRI>" not in example["query"]:
            mcp.ok("sparql_query", {"query": example["query"], "max_rows": 5})
    schema = json.loads(mcp.portal.call(mcp.client.read_resource, "kg://graph/schema")
                        .contents[0].text)
    assert any(p["iri"].endswith("core#broader") for p in schema["properties"])
    prompts = mcp.portal.call(mcp.client.list_prompts).prompts
    assert [p.name for p in prompts] == ["answer_with_citations"]


# ------------------------------------------------------------------------ every tool


def test_ask_answers_with_cited_facts(mcp: Session) -> None:
    data = mcp.ok("ask", {"question": "is an LLM a kind of deep learning?"})
    assert not data["abstained"] and data["confidence"] > 0.5
    assert data["facts"] and data["sources"]
    for fact in data["facts"]:
        assert fact["subject"].startswith("http") and fact["predicate"].startswith("http")
        assert fact["object"] and fact["text"]
    cited = {i for f in data["facts"] for i in f["source_iris"]}
    assert {s["iri"] for s in data["sources"]} == cited
    assert f"[1] {data['sources'][0]['title']}" in data["answer"]
    # The supporting query returns rows from the graph itself.
    rows = mcp.ok("sparql_query", {"query": data["sparql"], "max_rows": 1000})
    assert rows["count"] >= 1


def _stated(fact: dict[str, str]) -> str:
    """An ASK query true when the fact's triple is in the graph (literals by their text)."""
    s, p, o = fact["subject"], fact["predicate"], fact["object"]
    if o.startswith(("http://", "https://", "urn:")) and " " not in o:
        return f"ASK {{ <{s}> <{p}> <{o}> }}"
    text = json.dumps(o)  # a JSON string is a valid SPARQL string literal here
    return f"ASK {{ <{s}> <{p}> ?o FILTER(STR(?o) = {text}) }}"


def test_every_spoken_fact_is_a_triple_of_the_graph(mcp: Session) -> None:
    lines = (ROOT / "eval" / "own_qa.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    checked = 0
    for question in questions:
        data = mcp.ok("ask", {"question": question})
        for fact in data["facts"]:
            assert mcp.ok("sparql_query", {"query": _stated(fact)})["boolean"], (question, fact)
            checked += 1
    assert checked > len(questions)


def test_ask_abstains_plainly(mcp: Session) -> None:
    data = mcp.ok("ask", {"question": "When was PyTorch first released?"})
    assert data["abstained"] and data["confidence"] == 0
    assert data["reason"] and not data["facts"]


def test_search_get_hierarchy_and_path(mcp: Session) -> None:
    hits = mcp.ok("search_concepts", {"text": "picture generation", "limit": 3})["hits"]
    assert 1 <= len(hits) <= 3 and all(h["iri"] and h["label"] for h in hits)
    card = mcp.ok("get_concept", {"concept": hits[0]["iri"]})
    assert card["iri"] == hits[0]["iri"] and card["label"] == hits[0]["label"]
    card = mcp.ok("get_concept", {"concept": "deep-learning"})
    assert card["definition"] and card["broader"] and card["narrower"] and card["sources"]
    tree = mcp.ok("get_hierarchy", {"concept": card["iri"], "max_down": 1, "max_nodes": 3})
    assert tree["broader_chains"][0][0]["iri"] == card["broader"][0]["iri"]
    assert len(tree["descendants"]) == 3 and tree["truncated"]
    assert {d["iri"] for d in tree["descendants"]} <= {n["iri"] for n in card["narrower"]}
    top = tree["broader_chains"][0][-1]
    path = mcp.ok("find_path", {"source": tree["descendants"][0]["iri"], "target": top["iri"]})
    nodes = path["paths"][0]["nodes"]
    assert nodes[0]["iri"] == tree["descendants"][0]["iri"] and nodes[-1]["iri"] == top["iri"]
    assert len(path["paths"][0]["facts"]) == len(nodes) - 1


def test_sparql_rows_are_capped_with_a_flag(mcp: Session) -> None:
    data = mcp.ok("sparql_query", {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
                                   "max_rows": 7})
    assert data["count"] == 7 and len(data["rows"]) == 7 and data["truncated"]
    assert set(data["rows"][0]) == {"s", "p", "o"}
    small = mcp.ok("sparql_query", {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"})
    assert small["count"] == 2 and not small["truncated"]
    assert mcp.ok("sparql_query", {"query": "ASK { ?s ?p ?o }"})["boolean"] is True
    graph = mcp.ok("sparql_query", {"query": "CONSTRUCT WHERE { ?s skos:broader ?o }",
                                    "max_rows": 4})
    assert graph["kind"] == "CONSTRUCT" and graph["count"] == 4 and graph["truncated"]


def test_summary(mcp: Session) -> None:
    data = mcp.ok("graph_summary")
    assert data["triples"] == int(mcp.ok("sparql_query", {"query": COUNT})["rows"][0]["n"])
    assert data["concepts"] > 100 and data["schemes"] and data["top_concepts"]
    assert data["prefixes"]["skos"] == "http://www.w3.org/2004/02/skos/core#"


# ------------------------------------------------------------------------ read-only


def test_every_update_form_is_refused_and_the_data_unchanged(mcp: Session) -> None:
    before = mcp.ok("sparql_query", {"query": COUNT})["rows"]
    for text in UPDATES:
        message = mcp.error("sparql_query", {"query": text})
        assert "read-only" in message or "refused" in message, (text, message)
    for _ in range(3):  # every worker still holds the same data
        assert mcp.ok("sparql_query", {"query": COUNT})["rows"] == before
    assert not mcp.ok("sparql_query", {"query": "ASK { <urn:a> ?p ?o }"})["boolean"]


def test_nothing_reaches_a_loopback_listener(mcp: Session) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        queries = [
            f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ BIND(<{url}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
            f"LOAD <{url}/data.ttl>",
        ]
        for text in queries:
            result = mcp.call("sparql_query", {"query": text})
            assert result.is_error or result.structured_content["count"] == 0, text
        mcp.ok("ask", {"question": f"what is at {url}/sparql ?"})
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()


def test_runaway_query_is_stopped_while_the_next_call_is_answered(mcp: Session) -> None:
    runaway = mcp.portal.start_task_soon(mcp.client.call_tool, "sparql_query",
                                         {"query": RUNAWAY})
    time.sleep(0.3)  # let it reach a worker
    assert mcp.ok("sparql_query", {"query": "ASK { ?s ?p ?o }"})["boolean"] is True
    assert mcp.ok("get_concept", {"concept": "deep learning"})["label"]
    assert not runaway.done()  # the answers above came while the runaway still ran
    result = runaway.result(timeout=60)
    assert result.is_error and "longer than 3 s" in result.content[0].text
    assert mcp.ok("sparql_query", {"query": "ASK { ?s ?p ?o }"})["boolean"] is True


# ------------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(("tool", "args", "needle"), [
    ("ask", {"question": "   "}, "question is empty"),
    ("ask", {"question": "x" * 2001}, "2000"),
    ("sparql_query", {"query": "SELEC ?s WHERE { ?s ?p ?o }"}, "line"),
    ("sparql_query", {"query": ""}, "query is empty"),
    ("sparql_query", {"query": "SELECT * WHERE { ?s ?p ?o }", "max_rows": 0}, "max_rows"),
    ("get_concept", {"concept": "Deep Lerning"}, "Did you mean: Deep Learning"),
    ("get_concept", {"concept": "zzqqxx"}, "no concept matches"),
    ("get_hierarchy", {"concept": ""}, "concept is empty"),
    ("find_path", {"source": "deep learning", "target": "zzqqxx"}, "no concept matches"),
    ("search_concepts", {"text": ""}, "search text is empty"),
    ("no_such_tool", {}, "no_such_tool"),
])
def test_bad_inputs_are_tool_errors(mcp: Session, tool: str, args: dict, needle: str) -> None:
    assert needle in mcp.error(tool, args)


def test_the_server_survives_bad_inputs(mcp: Session) -> None:
    mcp.error("sparql_query", {"query": "SELECT * WHERE {" * 5000})
    assert mcp.ok("graph_summary")["triples"] > 0


# ------------------------------------------------------------------------ other graphs


def test_any_taxonomy_with_graph_file(vehicles, session_cache: Path, tmp_path: Path) -> None:
    graph = ROOT / "tests" / "data" / "qa_vehicles.ttl"
    with _stdio(["--graph", str(graph), "--no-preload"], session_cache,
                tmp_path / "stderr.log") as mcp:
        summary = mcp.ok("graph_summary")
        assert [s["label"] for s in summary["top_concepts"]] == ["Energy Source", "Manufacturer",
                                                                    "Vehicle"]
        assert summary["prefixes"]["v"] == "http://example.org/vehicles/"
        tree = mcp.ok("get_hierarchy", {"concept": "v:Vehicle"})
        assert {"Bicycle", "Car", "Electric Car"} <= {d["label"] for d in tree["descendants"]}
        assert mcp.ok("get_concept", {"concept": "EV"})["label"] == "Electric Car"
        answer = mcp.ok("ask", {"question": "Who makes electric cars?"})
        assert not answer["abstained"] and "Voltia" in answer["answer"]
        assert answer["sources"][0]["title"] == "Owner's manual, chapter 1"
        rows = mcp.ok("sparql_query", {"query": "SELECT ?c WHERE { ?c skos:broader v:Car }"})
        assert rows["rows"] == [{"c": "http://example.org/vehicles/ElectricCar"}]


def test_a_bad_graph_file_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["mcp", "--graph", str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl" in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------------ HTTP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_streamable_http_on_loopback(session_cache: Path, tmp_path: Path) -> None:
    import subprocess

    port = _free_port()
    log = (tmp_path / "stderr.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "mcp", "--http", "--port", str(port), "--no-preload"],
        cwd=ROOT, env={**_os_env(), **_env(session_cache)}, stdout=log, stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "stderr.log").read_text()
                time.sleep(0.2)
        with start_blocking_portal() as portal:
            client = Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=60)
            with portal.wrap_async_context_manager(client):
                session = Session(portal, client)
                assert {t.name for t in portal.call(client.list_tools).tools} == TOOLS
                assert session.ok("sparql_query", {"query": "ASK { ?s ?p ?o }"})["boolean"]
                assert "read-only" in session.error("sparql_query", {"query": "CLEAR ALL"})
        # DNS rebinding: a page on another host name cannot drive the loopback server.
        import httpx

        hello = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        response = httpx.post(f"http://127.0.0.1:{port}/mcp", json=hello,
                              headers={"Host": "attacker.example",
                                       "Accept": "application/json, text/event-stream"})
        assert response.status_code == 421 and "Host" in response.text
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def _os_env() -> dict[str, str]:
    import os

    return dict(os.environ)


# ------------------------------------------------------------------------ engine warm-up


def test_a_question_during_warm_up_gets_an_actionable_error(builtin_ws) -> None:  # noqa: ANN001
    """While the engine is prepared in the background, questions wait a bounded time and
    then say what is going on; the graph tools keep answering."""
    import threading

    from kg.errors import KgError
    from kg.mcp.tools import GraphTools, ToolLimits
    from kg.workspace import Workspace

    release = threading.Event()

    class SlowWorkspace(Workspace):
        def get_engine(self, progress=None, notify=None):  # noqa: ANN001, ANN201
            if progress is not None:  # the background warm-up: an index build under way
                progress(10, 400)
                release.wait(30)
            return super().get_engine()

    tools = GraphTools(SlowWorkspace(builtin_ws.settings), ToolLimits(engine_wait=0.2))
    warming = threading.Thread(target=tools.warm)
    warming.start()
    try:
        time.sleep(0.1)
        with pytest.raises(KgError, match="10 of 400 documents"):
            tools.ask("what is deep learning?")
        assert tools.get_concept("deep learning")["label"] == "Deep Learning"
    finally:
        release.set()
        warming.join(30)
    try:
        assert not tools.ask("what is deep learning?")["abstained"]
    finally:
        tools.close()  # the SPARQL workers the concept lookup's prefixes started
