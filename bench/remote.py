"""`--sparql-endpoint` against the local files: the same questions, the same answers?

A synthetic graph (``bench/synth.py``, default 10k triples) is served by ``kg serve`` in another
process with a row cap far below the graph's size (``--max-rows``, default 1,000), and
read by a workspace with ``--sparql-endpoint``: the triples in pages, then the view and the
real model's index built locally. The questions of ``scale_quality.py`` (definitions,
aliases, broader links, typos, unknown names) are asked of both the remote and the local
workspace; the table gives the time to read the graph, the pages it took, how many answers
are identical, and each side's score with ``scale_quality.judge``.

Usage: ``.venv/bin/python bench/remote.py [--triples 10000] [--max-rows 1000] [--sample 100]``.
"""

from __future__ import annotations

import argparse
import os
import socket
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

from _util import DATA, PYTHON, emit  # noqa: E402
from scale_quality import judge, questions  # noqa: E402


def _serve(graph: Path, cache: Path, max_rows: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [PYTHON, "-c", "from cli.main import cli; cli()", "serve", "--port", str(port),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--max-rows", type=int, default=1_000)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()

    from synth import write_ntriples

    from kg.config import Settings
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
            nodes = len(remote.view.nx)
            read = time.perf_counter() - started
            pages = remote.endpoint.requests
            qs = questions(local.view, args.sample)
            same = right_local = right_remote = 0
            for kind, text, iri, related in qs:
                a, b = local.engine.ask(text), remote.engine.ask(text)
                same += a.text == b.text
                right_local += judge(kind, a, iri, related)
                right_remote += judge(kind, b, iri, related)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    n = len(qs)
    emit(f"### `--sparql-endpoint` vs local files ({args.triples:,} triples, endpoint capped at "
         f"{args.max_rows:,} rows)\n\n| figure | value |\n|---|---:|\n"
         f"| read the graph in pages (count + pages + cap checks) | {read:.2f} s, {nodes:,} nodes, "
         f"{pages} requests |\n"
         f"| answers identical to the local files' | {same}/{n} |\n"
         f"| right (scale_quality judge), local / remote | {right_local}/{n} / "
         f"{right_remote}/{n} |\n")


if __name__ == "__main__":
    main()
