"""The same question gets the same answer in every process: a freshly prepared engine and
one started from the engine cache, under different string-hash seeds (set and dict order,
float sums and ties must not decide an answer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import islice
from pathlib import Path

import networkx as nx

from kg.qa.cache import engine_cache_path, load_prepared
from kg.view.paths import shortest_path
from kg.workspace import Workspace

ROOT = Path(__file__).parent.parent


def _questions(every: int) -> list[dict]:
    """Every shared dev question (when the set is beside the checkout) and every
    ``every``-th question of the project's own sets."""
    rows: list[dict] = []
    dev = ROOT.parent / "shared" / "eval" / "dev_qa.jsonl"
    sets = [(dev, 1)] if dev.is_file() else []
    sets += [(ROOT / "eval" / "own_qa.jsonl", every), (ROOT / "eval" / "heldout_qa.jsonl", every)]
    for path, step in sets:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += [json.loads(line) for line in lines[::step]]
    return [{"id": r["id"], "question": r["question"]} for r in rows]


def _tied_pairs(ws: Workspace, limit: int) -> list[dict]:
    """Relation questions between two concepts joined by several equally short paths: the
    answer walks one of them, and it must be the same one in every process."""
    view = ws.view
    concepts = sorted(n for n in view.nx.nodes if view.is_concept(n) and view.label(n))
    undirected = view.nx.to_undirected(as_view=True)
    out: list[dict] = []
    for a in concepts[::7]:
        for b in concepts[3::11]:
            if a == b or len(out) >= limit:
                continue
            try:
                paths = list(islice(nx.all_shortest_paths(undirected, a, b), 3))
            except nx.NetworkXNoPath:
                continue
            if len(paths) > 1 and 2 < len(paths[0]) <= 4:
                question = f"How is {view.label(a)} related to {view.label(b)}?"
                out.append({"id": f"pair{len(out)}", "question": question})
    return out


def _ask_all(batch: Path, cache: Path, seed: str) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(PYTHONHASHSEED=seed, KG_CACHE_DIR=str(cache), HF_HUB_OFFLINE="1")
    done = subprocess.run(
        [sys.executable, "-c", "from kg_cli.main import cli; cli()", "ask", "--json", "--batch",
         str(batch)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_fresh_and_cached_engines_answer_identically_across_processes(
    builtin_ws: Workspace, session_cache: Path, tmp_path: Path
) -> None:
    builtin_ws.get_index()  # the vectors are shared; only the engine is prepared anew
    path = engine_cache_path(session_cache, builtin_ws.engine_key)
    path.unlink(missing_ok=True)
    batch = tmp_path / "questions.jsonl"
    questions = _questions(every=3) + _tied_pairs(builtin_ws, 20)
    assert len(questions) >= 60
    batch.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    fresh = _ask_all(batch, session_cache, "1")
    assert load_prepared(session_cache, builtin_ws.engine_key) is not None  # written by it
    assert len(fresh) == len(questions)
    for seed in ("2", "3"):  # started from the cache, with other hash seeds
        cached = _ask_all(batch, session_cache, seed)
        for a, b in zip(fresh, cached, strict=True):
            assert a == b, a.get("question")


def test_shortest_path_picks_the_same_of_equal_paths_whatever_the_hash_order() -> None:
    g = nx.MultiDiGraph()
    g.add_edges_from([("a", "x"), ("y", "a"), ("x", "b"), ("b", "y"), ("b", "c")])
    # a-x-b and a-y-b are equally short: the smaller frontier grows first, in the
    # graph's insertion order, so it is always the one met from b's side (y).
    assert shortest_path(g, "a", "b", max_edges=4) == ["a", "y", "b"]
    assert shortest_path(g, "c", "a", max_edges=4) == ["c", "b", "x", "a"]
    assert shortest_path(g, "a", "c", max_edges=2) is None
    assert shortest_path(g, "a", "zz", max_edges=4) is None
