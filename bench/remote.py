"""`--sparql-endpoint` used in place, against the local files: the same questions, the same answers?

A synthetic graph (``bench/synth.py``, default 10k triples) is served by ``kg serve`` in another
process with a row cap far below the graph's size (``--max-rows``, default 1,000), and
used in place by a workspace with ``--sparql-endpoint``: names, definitions, types and
hierarchy links read once in pages (the setup), the label tables and the real model's index
built from them, each question's neighbourhood fetched by SPARQL. The questions of
``scale_quality.py`` (definitions, aliases, broader links, typos, unknown names) are asked
of the remote and the local workspace. Printed:

* the setup: time, rows and requests, against the triples the graph holds and against
  copying every triple in pages (the path ``Workspace.view`` still takes for exports);
* answers identical to the local files', and each side's score with ``scale_quality.judge``;
  the same with the local index, which shows what the remote documents (names and
  definitions only, no relations) change, apart from reading nodes at question time;
* cold ``kg ask`` (a fresh process, setup and index cached) remote and local, and the warm
  per-question latency in process (first questions on fresh nodes, then again on nodes
  already fetched), with requests per question.

Usage: ``.venv/bin/python bench/remote.py [--triples 10000] [--max-rows 1000] [--sample 100]``.

With ``--endpoint URL --graph FILE`` (a real server holding FILE, e.g. ``oxigraph
serve-read-only`` over STW) it measures instead, against the same file used locally:

* paging: the per-page time of the setup read at the start and at the end of the graph,
  paged by subject (what kg does) and by ``OFFSET`` (what it did), and of reading every
  triple by subject;
* every command in place gives the file's answer: concept cards (``kg show``), search hits,
  paths, SPARQL results, focus exports, index documents, over a sample of concepts;
* with ``--quality-endpoint URL`` (a server holding the built-in ontology), every question
  of the quality sets (``--questions``) asked in place and locally: identical answers, and
  each side's score by the built-in scorer.

Usage: ``.venv/bin/python bench/remote.py --endpoint URL --graph ../shared/taxonomies/stw.ttl
[--quality-endpoint URL --questions ../shared/eval/dev_qa.jsonl eval/*.jsonl]``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from _util import DATA, PYTHON, emit, percentile  # noqa: E402
from scale_quality import judge, questions  # noqa: E402


def _serve(graph: Path, cache: Path, max_rows: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [PYTHON, "-c", "from kg_cli.main import cli; cli()", "serve", "--port", str(port),
         "--graph", str(graph), "--max-rows", str(max_rows)],
        cwd=ROOT, env={**os.environ, "KG_CACHE_DIR": str(cache)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            return proc, url + "/sparql"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("kg serve did not start")


def _cold(args: list[str], cache: Path, question: str, runs: int = 3) -> float:
    """Median wall seconds of ``kg ask`` in a fresh process (caches already built)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", "from kg_cli.main import cli; cli()", "ask", question,
                        *args, "--cache-dir", str(cache)], cwd=ROOT, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--max-rows", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--endpoint", help="a server holding --graph: measure it in place")
    parser.add_argument("--graph", type=Path, help="the file the endpoint holds")
    parser.add_argument("--cache-dir", type=Path, help="caches of both sides (kept)")
    parser.add_argument("--quality-endpoint", help="a server holding the built-in ontology")
    parser.add_argument("--questions", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    if args.endpoint or args.quality_endpoint:
        from remote_inplace import report

        report(args)
        return

    from synth import write_ntriples

    from kg.config import Settings
    from kg.qa.embeddings import get_encoder
    from kg.qa.engine import Engine
    from kg.rdf.remote import Endpoint
    from kg.view.lazy import lazy_view
    from kg.workspace import Workspace

    graph = DATA / f"synth-{args.triples}.nt"
    if not graph.is_file():
        graph.parent.mkdir(parents=True, exist_ok=True)
        with graph.open("w", encoding="utf-8") as fh:
            write_ntriples(fh, args.triples)
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = _serve(graph, Path(tmp) / "serve", args.max_rows)
        try:
            local = Workspace(Settings(graph_paths=(graph,), cache_dir=Path(tmp) / "local"))
            remote = Workspace(Settings(sparql_endpoint=url, cache_dir=Path(tmp) / "remote"))
            started = time.perf_counter()
            store = remote.remote_store
            setup = time.perf_counter() - started
            setup_rows, setup_requests = remote.endpoint.rows, remote.endpoint.requests
            triples = remote.endpoint.count()
            started = time.perf_counter()
            remote.engine  # noqa: B018 - the index and label tables from the names
            index_s = time.perf_counter() - started
            copy = Endpoint(url)
            started = time.perf_counter()
            copied = sum(1 for _ in copy.triples())
            copy_s = time.perf_counter() - started

            qs = questions(local.view, args.sample)
            same = first_same = right_local = right_remote = 0
            before = remote.endpoint.requests
            first: list[float] = []
            for kind, text, iri, related in qs:
                a = local.engine.ask(text)
                t = time.perf_counter()
                b = remote.engine.ask(text)
                first.append(time.perf_counter() - t)
                same += a.text == b.text
                first_same += a.text.split("\n")[0] == b.text.split("\n")[0]
                right_local += judge(kind, a, iri, related)
                right_remote += judge(kind, b, iri, related)
            per_question = (remote.endpoint.requests - before) / len(qs)
            again = []
            for _, text, _, _ in qs:
                t = time.perf_counter()
                remote.engine.ask(text)
                again.append(time.perf_counter() - t)
            local_warm = []
            for _, text, _, _ in qs:
                t = time.perf_counter()
                local.engine.ask(text)
                local_warm.append(time.perf_counter() - t)
            # The remote view with the local index and label tables: only the reads differ.
            mixed = Engine(lazy_view(store), local.engine.index, get_encoder,
                           local.engine.prepared_data())
            same_index = sum(local.engine.ask(text).text == mixed.ask(text).text
                             for _, text, _, _ in qs)
            question = qs[0][1]
            cold_remote = _cold(["--sparql-endpoint", url], Path(tmp) / "remote", question)
            cold_local = _cold(["--graph", str(graph)], Path(tmp) / "local", question)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    n = len(qs)
    ms = 1000.0
    emit(f"### `--sparql-endpoint` used in place vs local files ({triples:,} triples, "
         f"endpoint capped at {args.max_rows:,} rows)\n\n| figure | value |\n|---|---:|\n"
         f"| setup: names, definitions, types, hierarchy (+ predicates, degree counts) | "
         f"{setup:.2f} s, {setup_rows:,} rows, {setup_requests} requests |\n"
         f"| copying every triple in pages instead (exports) | {copy_s:.2f} s, {copied:,} rows, "
         f"{copy.requests} requests |\n"
         "| index and label tables from the names (real model; a fresh cache, so with the "
         f"model's one-time ONNX export) | {index_s:.2f} s |\n"
         f"| answers identical to the local files' | {same}/{n} |\n"
         f"| first line identical (the direct answer; later lines are extra facts) | "
         f"{first_same}/{n} |\n"
         f"| right (scale_quality judge), local / remote | {right_local}/{n} / "
         f"{right_remote}/{n} |\n"
         f"| answers identical with the local index (reads alone) | {same_index}/{n} |\n"
         f"| cold `kg ask`, remote / local (median of 3) | {cold_remote:.2f} s / "
         f"{cold_local:.2f} s |\n"
         f"| ask, nodes fetched at question time: p50 / p95 | {percentile(first, 50) * ms:.0f} / "
         f"{percentile(first, 95) * ms:.0f} ms, {per_question:.1f} requests per question |\n"
         f"| ask again, nodes already fetched: p50 / p95 | {percentile(again, 50) * ms:.1f} / "
         f"{percentile(again, 95) * ms:.1f} ms |\n"
         f"| local warm ask: p50 / p95 | {percentile(local_warm, 50) * ms:.1f} / "
         f"{percentile(local_warm, 95) * ms:.1f} ms |\n")


if __name__ == "__main__":
    main()
