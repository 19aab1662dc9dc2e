"""``kg serve`` and ``kg mcp`` over an endpoint used in place switch to its new data without a
restart (kg.switching), against a real Oxigraph server that accepts updates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import free_port
from servers import oxigraph_binary, start_oxigraph

from kg.config import Settings
from kg.mcp.tools import GraphTools
from kg.server.app import ServerSettings
from kg.server.service import Service
from kg.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
VEHICLES = ROOT / "tests" / "data" / "qa_vehicles.ttl"
QUESTION = "What is a cargo bike?"
NEW = ("PREFIX v: <http://example.org/vehicles/> "
       "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
       'INSERT DATA { v:CargoBike a skos:Concept ; skos:prefLabel "Cargo bike"@en ; '
       'skos:definition "A bicycle with a box in front for carrying loads."@en ; '
       "skos:broader v:Bicycle . }")
SAID = "box in front for carrying loads"


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[str]:
    """The vehicles graph in an Oxigraph server that takes updates (``/update``)."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    server = start_oxigraph([VEHICLES], tmp_path / "oxigraph", writable=True)
    try:
        yield server.url.removesuffix("/query")
    finally:
        server.stop()


def _update(base: str, text: str) -> None:
    body = urllib.parse.urlencode({"update": text}).encode()
    urllib.request.urlopen(urllib.request.Request(base + "/update", data=body), timeout=10).read()


def test_a_changed_endpoint_is_switched_to_beside_the_engine_in_use(writable: str,
                                                                    tmp_path: Path) -> None:
    ws = Workspace(Settings(sparql_endpoint=writable + "/query", cache_dir=tmp_path / "c",
                            sparql_recheck=3600))  # the thread waits: counted by hand below
    told: list[tuple[str, str | None, bool]] = []
    meanwhile: list[dict] = []

    def tell(message: str) -> None:  # called by the switch, in the recount's thread
        told.append((message, ws.changing, ws.engine is old))
        if ws.changing:  # an agent's question while the new data is read
            meanwhile.append(tools.ask(QUESTION))

    watch = ws.switch_on_change(tell)
    assert watch is not None
    service = Service(ws, ServerSettings(workers=1))
    tools = GraphTools(ws)
    old = ws.engine
    before = ws.endpoint_triples
    assert SAID not in old.ask(QUESTION).text
    assert service.stats()["triples"] == before
    tools.graph_summary()

    _update(writable, NEW)
    assert watch.check() == before + 4  # the recount: reads the new data, then switches

    assert "data changed" in told[0][0]
    assert told[0][1] and "data read before" in told[0][1]  # what answers say meanwhile
    assert told[0][2]  # the engine in use kept answering while the new one was built
    assert told[-1][0].startswith("now answering from the endpoint's new data")
    assert "data changed" in meanwhile[0]["notice"] and SAID not in meanwhile[0]["answer"]
    assert "notice" not in tools.ask(QUESTION)  # switched: answered from the new data
    assert ws.changing is None and ws.engine is not old
    assert ws.endpoint_triples == before + 4
    assert SAID in ws.engine.ask(QUESTION).text
    # only what changed was embedded: every other document's vector was reused
    manifest = ws.get_index().manifest
    assert manifest.reused_vectors >= len(ws.get_index()) - 3
    # what the faces derived from the old data is made again
    assert service.stats()["triples"] == before + 4
    assert tools._summary is None  # noqa: SLF001
    assert SAID not in old.ask(QUESTION).text  # a question that held the old engine


def test_a_failed_read_keeps_the_engine_and_is_tried_again(writable: str,
                                                           tmp_path: Path) -> None:
    ws = Workspace(Settings(sparql_endpoint=writable + "/query", cache_dir=tmp_path / "c",
                            sparql_recheck=3600))
    told: list[str] = []
    watch = ws.switch_on_change(told.append)
    assert watch is not None
    old = ws.engine
    _update(writable, NEW)
    # the fresh read goes to an endpoint that is down (the recount still sees the change)
    broken = Settings(sparql_endpoint="http://127.0.0.1:9/query", cache_dir=tmp_path / "c",
                      sparql_recheck=3600)
    real, ws.settings = ws.settings, broken
    try:
        watch.check()
    finally:
        ws.settings = real
    assert "could not be read" in told[-1]
    assert ws.engine is old and ws.changing  # answers still say the data changed
    assert watch.check() == watch.known  # tried again at the next recount: switched
    assert ws.engine is not old and ws.changing is None
    assert SAID in ws.engine.ask(QUESTION).text


def test_kg_serve_answers_the_new_concept_without_a_restart(writable: str,
                                                            tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path / "c"), "KG_SPARQL_RECHECK": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from cli.main import cli; cli()", "serve", "--port", str(port),
         "--sparql-endpoint", writable + "/query"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/ask?" + urllib.parse.urlencode({"q": QUESTION})

    def ask() -> dict:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return json.loads(answer.read())

    try:
        for _ in range(600):
            try:
                first = ask()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("kg serve exited: " + proc.stderr.read().decode()[-500:])
                time.sleep(0.1)
        else:
            pytest.fail("kg serve did not answer in 60 s")
        assert SAID not in first["answer"]
        _update(writable, NEW)
        deadline = time.monotonic() + 120
        while SAID not in (answer := ask())["answer"]:
            assert time.monotonic() < deadline, answer
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        err = proc.stderr.read().decode()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
    assert "now answering from the endpoint's new data" in err
