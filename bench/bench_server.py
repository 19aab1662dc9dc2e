"""Benchmark (not a test): label lookups over HTTP, ``kg serve`` against plain rdflib-endpoint.

Both servers run on loopback in the same run, on the same graph (loaded through
``kg.rdf.load.load_graph``), both under uvicorn with its default HTTP stack, and both are
queried by the same client. Reported: queries per second and p50/p95 latency, for

* ``repeated``: the labels of a fixed set of concepts, cycled (what a UI or a notebook
  sends; both servers may reuse parsed queries, ``kg serve`` also reuses answers, which
  is sound because its graph is read-only);
* ``distinct``: every request text is new (a numbered comment is appended), so both
  servers parse and evaluate every request.

rdflib-endpoint is optional and not a project dependency; install it into the venv with
``.venv/bin/pip install rdflib-endpoint`` to compare, otherwise only ``kg serve`` runs.

Usage: ``.venv/bin/python bench/bench_server.py [--requests 1500] [--concurrency 8]
[--graph FILE]... [--json]``. Everything is bounded: a fixed number of requests, client
timeouts, and both servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.rdf.load import load_graph  # noqa: E402
from kg.rdf.namespaces import LABEL_PREDICATES  # noqa: E402

RDFLIB_ENDPOINT = """
import sys, uvicorn
from rdflib_endpoint import SparqlEndpoint
from kg.rdf.load import load_graph
port, paths = int(sys.argv[1]), sys.argv[2:]
graph = load_graph(paths or None).graph
app = SparqlEndpoint(graph=graph, path="/sparql")
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
"""
KG_SERVE = "from kg_cli.main import cli; cli()"
QUERY = "PREFIX {prefix}: <{ns}>\nSELECT ?c WHERE {{ ?c {prefix}:{local} {literal} }}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(name: str, argv: list[str], url: str) -> Iterator[str]:
    """Start one server process, wait (bounded) until it answers, stop it afterwards."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode}")
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{name} did not start within 120 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def label_queries(paths: list[str], count: int) -> list[str]:
    """Label lookups for up to ``count`` labelled resources of the graph, sorted."""
    graph = load_graph(paths or None).graph
    queries = []
    for predicate in LABEL_PREDICATES:
        prefix, ns, local = graph.namespace_manager.compute_qname(str(predicate))
        for literal in sorted(set(graph.objects(None, predicate)))[:count]:
            queries.append(QUERY.format(prefix=prefix or "p", ns=ns, local=local,
                                        literal=literal.n3()))
        if queries:
            break
    if not queries:
        raise SystemExit("the graph has no labels to look up")
    return queries


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    request: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection; the body is read by Content-Length."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(line.split(":", 1)[1]) for line in lines
                  if line.lower().startswith("content-length:"))
    return status, await reader.readexactly(length)


async def measure(url: str, texts: list[str], concurrency: int) -> dict[str, float]:
    """Send every text once over ``concurrency`` kept-alive connections; collect latencies.

    A minimal HTTP/1.1 client (like wrk) so that the client's own cost, which shares the
    CPUs with the servers, stays small and the same for both servers.
    """
    parts = urlsplit(url)
    latencies: list[float] = []
    failures = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for text in texts:
        queue.put_nowait(text)

    async def connection() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while not queue.empty():
                target = f"{parts.path}?{urlencode({'query': queue.get_nowait()})}"
                request = (f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                           "Accept: application/sparql-results+json\r\n\r\n").encode()
                start = time.perf_counter()
                status, body = await asyncio.wait_for(_exchange(reader, writer, request), 30)
                latencies.append(time.perf_counter() - start)
                if status != 200 or not json.loads(body)["results"]["bindings"]:
                    failures += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(texts),
        "failures": failures,
        "qps": len(texts) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
    }


def workloads(queries: list[str], requests: int) -> dict[str, list[str]]:
    repeated = [queries[i % len(queries)] for i in range(requests)]
    distinct = [f"{queries[i % len(queries)]}\n# request {i}" for i in range(requests)]
    return {"repeated": repeated, "distinct": distinct}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="per server and workload")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--labels", type=int, default=50, help="distinct labels looked up")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per workload")
    parser.add_argument("--graph", action="append", default=[], help="RDF file (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    queries = label_queries(args.graph, args.labels)
    loads = workloads(queries, args.requests)
    graph_args = [a for path in args.graph for a in ("--graph", path)]
    servers = {"kg serve": [sys.executable, "-c", KG_SERVE, "serve", "--port", "{port}",
                            *graph_args]}
    if importlib.util.find_spec("rdflib_endpoint") is not None:
        servers["rdflib-endpoint"] = [sys.executable, "-c", RDFLIB_ENDPOINT, "{port}",
                                      *args.graph]
    else:
        print("rdflib-endpoint is not installed, so it is skipped; to compare, run "
              "`.venv/bin/pip install rdflib-endpoint` (the project does not depend on it).",
              file=sys.stderr)

    results: dict[str, dict[str, dict[str, float]]] = {name: {} for name in servers}
    with contextlib.ExitStack() as stack:
        urls = {}
        for name, template in servers.items():
            port = free_port()
            argv = [part.replace("{port}", str(port)) for part in template]
            urls[name] = stack.enter_context(server(name, argv, f"http://127.0.0.1:{port}/sparql"))
            asyncio.run(measure(urls[name], queries * 2, args.concurrency))  # warm up
        # Alternate the servers in rounds so that background load on the machine falls
        # on both alike; report the median round.
        for load, texts in loads.items():
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
            size = len(texts) // args.rounds
            for r in range(args.rounds):
                chunk = texts[r * size:(r + 1) * size]
                for name, url in urls.items():
                    rounds[name].append(asyncio.run(measure(url, chunk, args.concurrency)))
            for name, figures in rounds.items():
                figures.sort(key=lambda f: f["qps"])
                median = dict(figures[len(figures) // 2])
                median["failures"] = sum(f["failures"] for f in figures)
                results[name][load] = median

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{len(queries)} label lookups, {args.requests} requests per workload in "
          f"{args.rounds} alternating rounds (median shown), {args.concurrency} in flight, "
          f"{os.cpu_count()} CPUs")
    print(f"{'server':<16} {'workload':<9} {'qps':>8} {'p50 ms':>8} {'p95 ms':>8} {'failed':>7}")
    for name, by_load in results.items():
        for load, figures in by_load.items():
            print(f"{name:<16} {load:<9} {figures['qps']:>8.0f} {figures['p50_ms']:>8.1f} "
                  f"{figures['p95_ms']:>8.1f} {figures['failures']:>7.0f}")
    if len(results) == 2:
        for load in loads:
            ratio = results["kg serve"][load]["qps"] / results["rdflib-endpoint"][load]["qps"]
            print(f"kg serve / rdflib-endpoint throughput, {load}: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
