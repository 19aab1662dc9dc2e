"""Untrusted input and faults (issue 7), end to end through real processes.

* the index survives SIGKILL at random points of a build, and two ``kg index build`` runs
  at once;
* hostile RDF files given to ``--graph`` (entity bomb, remote JSON-LD context, oversized
  files, syntax errors in every format) give one clear message and exit code 2;
* ``kg sparql`` never reaches the network (SERVICE, FROM, FROM NAMED, LOAD), reports
  truncation, honours ``--timeout`` and turns RecursionError into a clear error.

Network checks use a listener on 127.0.0.1 that counts the connections it receives; the
tests pass only when it received none. Run this file as a script (``python
tests/test_security.py build ...``) to get the child process the kill test uses.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from helpers import BOMB, Listener

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EX = "https://example.org/sec/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHAIN = 3000  # long enough for rdflib's recursive * property paths to overflow the stack


# --------------------------------------------------------------------------- helpers


class HashEncoder:
    """A deterministic NumPy encoder (token hashing): index mechanics without the model.

    The real NumPy MiniLM needs about a minute for a few hundred texts on a busy 2-CPU
    machine, which would leave no time for twenty kills; the index code does not care.
    """

    model_id = "test/hash-encoder"
    dim = 64

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")
                out[row, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else np.eye(self.dim, dtype=np.float32)[0]
        return out


def write_taxonomy(path: Path, concepts: int) -> Path:
    """A generated SKOS taxonomy with ``concepts`` distinctly described concepts."""
    lines = [f"@prefix ex: <{EX}> .", f"@prefix skos: <{SKOS}> .",
             'ex:root a skos:Concept ; skos:prefLabel "Root"@en .']
    for i in range(concepts):
        parent = "ex:root" if i < 8 else f"ex:c{i // 8 - 1}"
        lines.append(
            f'ex:c{i} a skos:Concept ; skos:prefLabel "Concept {i} w{i}x"@en ; '
            f'skos:broader {parent} ; skos:definition "Topic t{i}t about q{i % 13}q and '
            f'r{i % 7}r." .'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def graph_documents(graph) -> list:
    """One text per labelled node (label and definition), sorted: the index's input.

    Built here rather than with kg.qa.documents so the kill test depends only on the loader
    and the index.
    """
    from rdflib import URIRef

    from kg.qa.documents import Document

    label, definition = URIRef(SKOS + "prefLabel"), URIRef(SKOS + "definition")
    return [Document(str(s), f"{o}. {graph.value(s, definition) or ''}")
            for s, o in sorted(graph.subject_objects(label))]


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


def kg_command() -> list[str]:
    """How to start ``kg`` in a subprocess (the venv's script, else through Python)."""
    script = Path(sys.executable).with_name("kg")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from kg_cli.main import cli; cli()"]


def kg_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_CACHE_DIR=str(cache), HF_HUB_OFFLINE="1", KG_BUILD_ENCODER="numpy",
               PYTHONPATH=str(ROOT), **extra)
    return env


def run_kg(args: list[str], cache: Path, timeout: float = 120, **extra: str):
    return subprocess.run(kg_command() + args, cwd=ROOT, env=kg_env(cache, **extra),
                          capture_output=True, text=True, timeout=timeout)


ASK = "ASK { ?s ?p ?o }"


def load_args(path: Path) -> list[str]:
    """A command that always parses the graph: ``kg index status`` only hashes the bytes."""
    return ["sparql", ASK, "--graph", str(path)]


def invoke(args: list[str], **env: str):
    """Run ``kg`` in this process (CliRunner); exceptions other than exits propagate."""
    from click.testing import CliRunner

    from kg_cli.main import cli

    return CliRunner().invoke(cli, args, env=env or None, catch_exceptions=False)


# --------------------------------------------------------------------------- kill test

KILLS = 20
KILL_SEED = 20240607
KILL_DOCS = 320
FSYNC_DELAY = 0.03  # the child's fsync is slowed so kills also land inside the writes


def _child_build(cache: str, graph: str) -> None:
    """The child of the kill test: load the graph, then build its index (may be killed)."""
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:  # a slow disk: widens the write phase, same logic
        time.sleep(FSYNC_DELAY)
        real_fsync(fd)

    os.fsync = slow_fsync
    import faiss  # noqa: F401 - imported before "go" so the kill window is the build itself

    from kg.qa.index import build_index
    from kg.rdf.load import load_graph

    print("go", flush=True)
    start = time.perf_counter()
    loaded = load_graph([graph])
    docs = graph_documents(loaded.graph)
    # The same documents in another order: a build that finds its exact documents already
    # indexed rewrites nothing, and this test needs every build to really write.
    shift = time.monotonic_ns() % len(docs)
    build_index(docs[shift:] + docs[:shift], HashEncoder(), Path(cache), loaded.content_hash)
    print(f"done {time.perf_counter() - start:.4f}", flush=True)


def _spawn_child(cache: Path, graph: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, __file__, "build", str(cache), str(graph)],
        cwd=ROOT, env=kg_env(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )


def _check_searches(index, docs, encoder: HashEncoder) -> None:
    assert sorted(index.ids) == sorted(d.iri for d in docs)  # builds differ in order only
    picks = docs[:: max(1, len(docs) // 12)]
    hits = index.search(encoder.encode([d.text for d in picks]), 1)
    assert [h[0][0] for h in hits] == [d.iri for d in picks]


def test_sigkill_during_index_build_never_leaves_a_broken_index(tmp_path: Path) -> None:
    from kg.qa.index import ensure_index, index_status
    from kg.rdf.load import load_graph

    cache = tmp_path / "cache"
    graph = write_taxonomy(tmp_path / "generated.ttl", KILL_DOCS)
    loaded = load_graph([graph])
    docs = graph_documents(loaded.graph)
    assert len(docs) > 300
    encoder = HashEncoder()
    gh, mid, dim = loaded.content_hash, encoder.model_id, encoder.dim

    # One unkilled build: the complete old index, and how long a build takes.
    child = _spawn_child(cache, graph)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    build_time = float(out.split()[-1])
    assert index_status(cache, gh, mid, dim).state == "ready"

    rng = random.Random(KILL_SEED)
    seen: Counter[str] = Counter()
    log: list[str] = []
    for round_ in range(KILLS):
        before = index_status(cache, gh, mid, dim).manifest
        assert before is not None
        delay = rng.uniform(0.0, build_time * 1.15)
        child = _spawn_child(cache, graph)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "go", child.stderr.read()
            time.sleep(delay)
            child.kill()  # SIGKILL
        finally:
            child.wait(10)
            child.stdout.close()  # type: ignore[union-attr]
            child.stderr.close()  # type: ignore[union-attr]
        status = index_status(cache, gh, mid, dim)
        if status.state == "ready":
            assert status.manifest is not None
            kind = "ready-old" if status.manifest.built_at == before.built_at else "ready-new"
        else:
            kind = status.state
        seen[kind] += 1
        log.append(f"#{round_}: kill at {delay * 1000:.0f} ms -> {kind} ({status.detail})")
        summary = f"{dict(seen)}; build {build_time * 1000:.0f} ms; " + "; ".join(log)
        assert status.state in ("ready", "missing", "corrupt"), summary
        rebuilt: list[str] = []
        index = ensure_index(lambda: docs, lambda: encoder, cache, gh, mid, dim,
                             on_rebuild=rebuilt.append)
        if status.state == "ready":
            assert not rebuilt, f"a ready index was rebuilt: {rebuilt}; {summary}"
        else:
            assert rebuilt, f"a {status.state} index was used without a rebuild; {summary}"
        _check_searches(index, docs, encoder)
        assert index_status(cache, gh, mid, dim).state == "ready", summary

    litter = len(list((cache / "index").rglob(".*.tmp")))  # temp files the kills left behind
    summary = (f"{dict(seen)}; build {build_time * 1000:.0f} ms; {litter} temp files left; "
               + "; ".join(log))
    print(f"\n20 SIGKILLs of an index build: {summary}")
    assert sum(seen.values()) == KILLS, summary
    assert seen["missing"] + seen["corrupt"] > 0, f"no kill landed inside a build: {summary}"


# --------------------------------------------------------------------------- concurrency


def test_two_kg_processes_building_at_once(tmp_path: Path) -> None:
    from kg.config import Settings
    from kg.qa.embeddings import MODEL_ID
    from kg.qa.index import index_status, load_index
    from kg.workspace import Workspace

    cache = tmp_path / "cache"
    graph = write_taxonomy(tmp_path / "small.ttl", 12)
    gh = Workspace(Settings(graph_paths=(graph,), cache_dir=cache)).index_key
    args = ["index", "build", "--json", "--graph", str(graph)]
    procs = [subprocess.Popen(kg_command() + args, cwd=ROOT, env=kg_env(cache),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    states: Counter[str] = Counter()
    # Meanwhile, a reader: whatever it sees is missing or ready, and ready always loads.
    while any(p.poll() is None for p in procs):
        status = index_status(cache, gh, MODEL_ID, 384)
        states[status.state] += 1
        assert status.state in ("missing", "ready"), status.detail
        if status.state == "ready":
            try:
                assert len(load_index(cache, gh, MODEL_ID, 384)) == 13
            except Exception as exc:  # a rebuild may replace files between check and read
                states[f"load failed: {exc}"] += 1
        time.sleep(0.05)
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert json.loads(out)["count"] == 13
    assert not [s for s in states if s.startswith("load failed")], states
    assert index_status(cache, gh, MODEL_ID, 384).state == "ready"
    assert len(load_index(cache, gh, MODEL_ID, 384)) == 13
    status = run_kg(["index", "status", "--graph", str(graph)], cache)
    assert status.returncode == 0 and status.stdout.startswith("ready"), status.stdout


# --------------------------------------------------------------------------- loader


STORES = ["memory", "oxigraph"]


@pytest.mark.parametrize("store", STORES)
def test_entity_bomb_refused_fast_through_the_cli(tmp_path: Path, store: str) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(BOMB, encoding="utf-8")
    assert len(BOMB.encode()) < 1024  # 705 bytes: the ~620-byte bomb of the issue, plus RDF
    start = time.perf_counter()
    out = invoke(load_args(bomb), KG_CACHE_DIR=str(tmp_path), KG_STORE=store)
    in_process = time.perf_counter() - start
    start = time.perf_counter()
    proc = run_kg(load_args(bomb), tmp_path, timeout=30, KG_STORE=store)
    whole = time.perf_counter() - start
    timing = f"refused in {in_process * 1000:.1f} ms in-process, {whole:.2f} s as a new process"
    print(f"\nentity bomb ({store} store): {timing}")
    assert out.exit_code == 2, out.output
    assert "bomb.rdf" in out.output and "entity" in out.output, out.output
    assert proc.returncode == 2, proc.stderr
    assert "entity" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
    assert whole < 10, timing  # Python start-up included; rdflib alone needs minutes


def test_entity_bomb_in_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb16.rdf"
    text = BOMB.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    bomb.write_bytes(text.encode("utf-16-le"))  # expat detects UTF-16 from "<\0?\0"
    try:
        proc = run_kg(load_args(bomb), tmp_path, timeout=4)
    except subprocess.TimeoutExpired:
        pytest.fail("still expanding entities after 4 s (rdflib needs minutes)")
    assert proc.returncode == 2 and "entity" in proc.stderr


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("layout", ["top", "list", "nested", "import", "no-extension"])
def test_remote_jsonld_context_is_never_fetched(tmp_path: Path, listener: Listener,
                                                layout: str, store: str) -> None:
    remote = f"{listener.url}/context.jsonld"
    docs = {
        "top": {"@context": remote, "@id": "ex:a", "ex:p": "v"},
        "list": {"@context": [{"ex": "http://ex/"}, remote], "@id": "ex:a", "ex:p": "v"},
        "nested": {"@context": {"ex": "http://ex/"}, "@graph": [
            {"@id": "ex:a", "ex:p": {"@context": remote, "@id": "ex:b"}}]},
        "import": {"@context": {"@import": remote, "ex": "http://ex/"}, "@id": "ex:a"},
        "no-extension": {"@context": remote, "@id": "ex:a", "ex:p": "v"},
    }
    path = tmp_path / ("graph" if layout == "no-extension" else "graph.jsonld")
    path.write_text(json.dumps(docs[layout]), encoding="utf-8")
    out = invoke(load_args(path), KG_CACHE_DIR=str(tmp_path), KG_STORE=store)
    time.sleep(0.1)
    assert listener.connections == 0, "the loader fetched the remote @context"
    assert out.exit_code == 2, out.output
    assert str(path) in out.output and "network" in out.output, out.output


def test_xml_external_entity_is_never_fetched(tmp_path: Path, listener: Listener) -> None:
    path = tmp_path / "xxe.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE r [ <!ENTITY xxe SYSTEM "{listener.url}/secret"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://ex/">\n'
        '<rdf:Description rdf:about="http://ex/a"><ex:p>&xxe;</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n", encoding="utf-8")
    out = invoke(load_args(path), KG_CACHE_DIR=str(tmp_path))
    time.sleep(0.1)
    assert listener.connections == 0
    assert out.exit_code == 2 and "xxe.rdf:2" in out.output, out.output


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write_taxonomy(tmp_path / "big.ttl", 40)
    size = path.stat().st_size
    for args in (load_args(path), ["index", "status", "--graph", str(path)]):
        out = invoke(args, KG_CACHE_DIR=str(tmp_path), KG_MAX_GRAPH_BYTES=str(size - 1))
        assert out.exit_code == 2, out.output
        assert f"{size:,} bytes" in out.output and "KG_MAX_GRAPH_BYTES" in out.output
    ok = invoke(load_args(path), KG_CACHE_DIR=str(tmp_path), KG_MAX_GRAPH_BYTES=str(size))
    assert ok.exit_code == 0 and ok.stdout.strip() == "true", ok.output
    bad = invoke(load_args(path), KG_MAX_GRAPH_BYTES="lots")
    assert bad.exit_code == 2 and "KG_MAX_GRAPH_BYTES" in bad.output


# name, text, line of the error
BROKEN = [
    ("bad.ttl", "@prefix ex: <http://ex/> .\nex:a ex:p ex:b .\nex:c ex:p ;; .\n", 3),
    ("bad.nt", "<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> x .\n", 3),
    ("bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
                '"http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a>\n</rdf:RDF>\n', 4),
    ("bad.owl", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
                '"http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description '
                'rdf:about="http://a"\n</rdf:RDF>\n', 4),
    ("bad.jsonld", '{\n  "@id": "http://a",\n  "http://b": [1, 2,]\n}\n', 3),
    ("bad.trig", "@prefix ex: <http://ex/> .\nex:g { ex:a ex:p ex:b . }\n"
                 "ex:h { ex:c ex:p ;; . }\n", 3),
    ("bad_utf8.ttl", b'<http://a> <http://b> "ok" .\n<http://a> <http://b> "\xff\xfe" .\n', 2),
    ("bad.nq", "<http://a> <http://b> <http://c> <http://g> .\n"
               "<http://a> <http://b> .\n", 2),
]


@pytest.mark.parametrize(("name", "text", "line"), BROKEN)
def test_parse_errors_name_file_and_line_exit_2_no_traceback(tmp_path: Path, name: str,
                                                             text: str | bytes,
                                                             line: int) -> None:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    out = invoke(load_args(path), KG_CACHE_DIR=str(tmp_path))
    assert out.exit_code == 2, out.output
    assert f"{path}:{line}:" in out.output, out.output
    assert "Traceback" not in out.output


@pytest.mark.parametrize(("name", "data"), [
    ("deep.ttl", b"<http://a> <http://b> " + b"(" * 50_000 + b")" * 50_000 + b" .\n"),
    ("deep.jsonld", b"[" * 100_000 + b"]" * 100_000),
])
def test_deeply_nested_input_is_a_load_error(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    out = invoke(load_args(path), KG_CACHE_DIR=str(tmp_path))
    assert out.exit_code == 2 and str(path) in out.output, out.output


def test_parse_error_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(BROKEN[0][1], encoding="utf-8")
    proc = run_kg(load_args(path), tmp_path, timeout=60)
    assert proc.returncode == 2
    assert f"{path}:3:" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


# --------------------------------------------------------------------------- kg sparql


@pytest.fixture(scope="module")
def chain_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("security") / "chain.ttl"
    lines = [f"@prefix ex: <{EX}> .", f"@prefix skos: <{SKOS}> ."]
    lines += [f'ex:c{i} a skos:Concept ; skos:prefLabel "C{i}"@en .' for i in range(40)]
    lines += [f"ex:n{i} ex:next ex:n{i + 1} ." for i in range(CHAIN)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def egress_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"ASK FROM <{url}/a.ttl> FROM NAMED <{url}/b.ttl> {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"LOAD <{url}/data.ttl>",
        f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>",
    ]


def test_kg_sparql_never_reaches_the_network(chain_graph: Path, listener: Listener) -> None:
    refused = []
    for query in egress_queries(listener.url):
        out = invoke(["sparql", query, "--graph", str(chain_graph)])
        refused.append((query, out.exit_code, out.output.strip().splitlines()[-1]))
        assert out.exit_code == 2, out.output
        assert "Traceback" not in out.output
        assert re.search(r"refused|read-only", out.output), out.output
    # Queries that are allowed but name the listener's IRIs as plain data fetch nothing either.
    for query in (f"DESCRIBE <{listener.url}/x>",
                  f"SELECT * WHERE {{ <{listener.url}/x> ?p ?o }}"):
        out = invoke(["sparql", query, "--graph", str(chain_graph)])
        assert out.exit_code == 0, out.output
    time.sleep(0.2)
    assert listener.connections == 0, refused


def test_kg_sparql_row_cap_is_reported(chain_graph: Path) -> None:
    out = invoke(["sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--max-rows", "25",
                  "--format", "csv", "--graph", str(chain_graph)])
    assert out.exit_code == 0, out.output
    assert len(out.stdout.splitlines()) == 26  # header + 25 rows
    assert "cut at 25 rows" in out.stderr
    env = invoke(["sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "ntriples",
                  "--graph", str(chain_graph)], KG_MAX_ROWS="7")
    assert len(env.stdout.splitlines()) == 7 and "cut at 7 triples" in env.stderr
    exact = invoke(["sparql", "SELECT ?s WHERE { ?s a skos:Concept }", "--max-rows", "40",
                    "--graph", str(chain_graph)])
    assert "cut" not in exact.stderr and "(40 rows)" in exact.stdout


def test_kg_sparql_timeout_is_honoured(chain_graph: Path) -> None:
    start = time.perf_counter()
    out = invoke(["sparql", RUNAWAY, "--timeout", "1", "--graph", str(chain_graph)])
    elapsed = time.perf_counter() - start
    assert out.exit_code == 2, out.output
    assert "longer than 1 s" in out.output and "Traceback" not in out.output
    assert elapsed < 8, f"a 1 s timeout took {elapsed:.1f} s"  # graph load + fork + kill
    env = invoke(["sparql", RUNAWAY, "--graph", str(chain_graph)], KG_QUERY_TIMEOUT="0.5")
    assert env.exit_code == 2 and "longer than 0.5 s" in env.output


def test_kg_sparql_long_property_path_is_a_clear_error(chain_graph: Path) -> None:
    query = f"SELECT (COUNT(?o) AS ?n) WHERE {{ <{EX}n0> <{EX}next>* ?o }}"
    fast = invoke(["sparql", query, "--graph", str(chain_graph), "--format", "csv"])
    assert fast.exit_code == 0, fast.output  # Oxigraph walks paths without recursion
    assert int(fast.stdout.split()[-1]) > 1000
    # A text naming "service" runs in rdflib, which recurses: a clear error, not a crash.
    out = invoke(["sparql", "# service\n" + query, "--graph", str(chain_graph)])
    assert out.exit_code == 2, out.output
    assert "recursed too deeply" in out.output and "Traceback" not in out.output
    bounded = invoke(["sparql", f"ASK {{ <{EX}n0> <{EX}next>/<{EX}next> <{EX}n2> }}",
                      "--graph", str(chain_graph)])
    assert bounded.exit_code == 0 and bounded.stdout.strip() == "true"


def test_kg_sparql_default_timeout_and_row_cap() -> None:
    """The documented defaults (SECURITY.md): 30 s and 10 000 rows for ``kg sparql``."""
    from kg.config import Settings

    settings = Settings.from_env({})
    assert settings.query_timeout == 30.0 and settings.max_rows == 10_000
    assert settings.max_graph_bytes == 1 << 30


def test_kg_serve_default_limits() -> None:
    """The documented defaults (SECURITY.md): 10 s per query and a 1 MB body for ``kg serve``."""
    from kg.server.app import ServerSettings
    from kg_cli.serve import parse_size, serve_command

    defaults = {p.name: p.default for p in serve_command.params}
    assert defaults["timeout"] == 10.0 and defaults["host"] == "127.0.0.1"
    assert parse_size(defaults["max_body"]) == 1_000_000  # "1MB" on the command line
    assert ServerSettings().timeout == 10.0 and ServerSettings().max_body == 1 << 20
    assert ServerSettings().max_query == 64 << 10


# --------------------------------------------------------------------------- offline, no pickle


def test_model_loads_and_encodes_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.qa.embeddings import NumpyMiniLM

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors = NumpyMiniLM().encode(["offline"])
    assert vectors.shape == (1, 384)


def test_no_pickle_anywhere_in_the_cache(vehicles, session_cache: Path) -> None:
    """After a question (index + snapshot written), no cache file is a pickle."""
    vehicles.ask("what is a car?")
    files = [f for f in session_cache.rglob("*") if f.is_file()]
    assert files
    for file in files:
        head = file.read_bytes()[:2]
        assert not (len(head) == 2 and head[0] == 0x80 and head[1] <= 5), file
        assert file.suffix not in (".pkl", ".pickle", ".joblib"), file


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "build":
    _child_build(sys.argv[2], sys.argv[3])


# --------------------------------------------------------------------------- browser pages


def test_server_rendered_pages_escape_hostile_graph_text(tmp_path: Path) -> None:
    """Labels, definitions, notes and IRIs from the graph reach the HTML the server renders
    (concept, scheme, A–Z, card, Link header) only as text: no element, attribute or
    script of theirs survives, and the CSP keeps inline script to the app's own hash."""
    from starlette.testclient import TestClient

    from kg.config import Settings
    from kg.server.app import ServerSettings, create_app
    from kg.workspace import Workspace

    hostile = '"><svg onload=alert(1)><script>alert(2)</script>'
    graph = tmp_path / "hostile.ttl"
    graph.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<urn:x:s> a skos:ConceptScheme ; skos:prefLabel " + json.dumps(hostile) + "@en ;\n"
        "    skos:hasTopConcept <urn:x:a> .\n"
        "<urn:x:a> a skos:Concept ; skos:prefLabel " + json.dumps(hostile) + "@en, "
        + json.dumps(hostile) + "@fr ;\n    skos:definition " + json.dumps(hostile) + " ;\n"
        "    skos:scopeNote " + json.dumps(hostile) + " ;\n"
        "    skos:exactMatch <javascript:alert(3)> .\n"
        "<urn:x:b> a skos:Concept ; skos:prefLabel \"b\"@en ; skos:broader <urn:x:a> .\n",
        encoding="utf-8")
    workspace = Workspace(Settings(graph_paths=(graph,), cache_dir=tmp_path / "cache"))
    html_accept = {"Accept": "text/html"}
    with TestClient(create_app(workspace, ServerSettings(workers=1))) as client:
        pages = [client.get("/concept", params={"iri": iri, "lang": lang}, headers=html_accept)
                 for iri in ("urn:x:a", "urn:x:b", "urn:x:s") for lang in ("en", "fr")]
        pages += [client.get("/concept", headers=html_accept),
                  client.get("/az", headers=html_accept),
                  client.get("/az", params={"letter": "\""}, headers=html_accept)]
        card = client.get("/api/card", params={"iri": "urn:x:a"}).json()["html"]
    for page in pages:
        assert page.status_code == 200
        text = page.text
        where = str(page.url)
        assert "<svg" not in text and "<script>alert" not in text, where
        assert not re.search(r"<[^>]*\sonload=", text), where
        assert 'href="javascript:' not in text
        assert "'unsafe-inline'" not in page.headers["content-security-policy"]
        assert "\n" not in page.headers.get("link", "")
    assert "&lt;svg onload=alert(1)&gt;" in pages[0].text
    assert "<svg" not in card and "&lt;script&gt;" in card
