"""Cold `kg ask` on a large synthetic graph (default 1M triples), this checkout against
another revision of the project in the same run.

Setup (once, kept in ``$KG_BENCH_DIR``): the graph from ``bench/synth.py``, its view snapshot, an
index built with ``bench/_util.HashEncoder`` (the real model would take about 10 minutes
for 119k documents; questions are still encoded by the real model) and the engine cache.
Then each revision answers the same questions in fresh ``kg ask`` processes, alternating.
Each revision gets its own copy of that cache (hard links: written files are replaced, never
changed in place), so caches one revision writes in its own format (an engine cache stamped
with its code, an on-disk view store) never make the other rebuild; one untimed question per
revision lets it write them first. ``--baseline REV`` is exported with ``git archive`` into a
temporary folder and run from there.

Usage: ``.venv/bin/python bench/cold_large.py [--triples 1000000] [--runs 5] [--baseline REV]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, PYTHON, emit, table  # noqa: E402

QUESTIONS = ["What is {a}?", "Is {a} a kind of {b}?", "How does {a} relate to {b}?"]


def setup(triples: int) -> tuple[Path, Path, list[str]]:
    from _util import HashEncoder
    from synth import write_ntriples

    from kg.config import Settings
    from kg.qa.documents import build_documents
    from kg.qa.index import build_index
    from kg.workspace import Workspace

    path = DATA / f"synth-{triples}.nt"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            write_ntriples(fh, triples)
    cache = DATA / f"cold-large-{triples}"
    ws = Workspace(Settings(graph_paths=(path,), cache_dir=cache))
    if ws.index_status().state != "ready":
        build_index(build_documents(ws.view), HashEncoder(), cache, ws.content_hash,
                    batch_size=4096)
    ws.get_engine()  # writes the engine cache
    names = sorted(v for k, v in ws.view.labels.items() if "/c" in k)[:400:40]
    qs = [q.format(a=names[i], b=names[-1 - i]) for i, q in
          zip(range(len(names)), QUESTIONS * 4, strict=False)]
    return path, cache, qs


def ask(tree: Path, graph: Path, cache: Path, question: str) -> tuple[float, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    proc = subprocess.run(
        [PYTHON, "-c", "from kg_cli.main import cli; cli()", "ask", "--graph", str(graph),
         "--cache-dir", str(cache), question],
        cwd=tree, env=env, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-2000:])
    return wall, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", help="a git revision to compare with, e.g. HEAD~3")
    args = parser.parse_args()
    graph, cache, questions = setup(args.triples)
    trees = {"this checkout": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            base = Path(tmp) / "baseline"
            base.mkdir()
            archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT,
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            trees[f"revision {args.baseline}"] = base
        caches = {}
        for i, (name, tree) in enumerate(trees.items()):
            caches[name] = Path(tmp) / f"cache-{i}"
            subprocess.run(["cp", "-al", str(cache), str(caches[name])], check=True)
            ask(tree, graph, caches[name], questions[-1])  # writes its own caches
        times: dict[str, list[float]] = {name: [] for name in trees}
        answers: dict[str, list[str]] = {name: [] for name in trees}
        for i in range(args.runs):
            question = questions[i % len(questions)]
            for name, tree in trees.items():
                wall, out = ask(tree, graph, caches[name], question)
                times[name].append(wall)
                answers[name].append(out)
        same = len({tuple(a) for a in answers.values()}) == 1
        emit(table(f"Cold `kg ask`, {args.triples:,}-triple synthetic graph (fresh processes, "
                   f"load average {os.getloadavg()[0]:.1f})",
                   [(name, vals, "s", "answers identical" if same else "ANSWERS DIFFER")
                    for name, vals in times.items()]))


if __name__ == "__main__":
    main()
