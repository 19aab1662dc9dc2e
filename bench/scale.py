"""Large graphs: synthetic SKOS taxonomies of 10k, 100k and 1M triples (bench/synth.py).

Per size, each step in a fresh process (so peak memory is the step's own):

* first load: view built straight from the file + snapshot written (target <= 10 s at 1M)
* Oxigraph first load: bulk load into the on-disk store (for SPARQL/validate/export)
* Oxigraph reopen: hash the file, open the existing store, answer one SPARQL query
  (target <= 1 s at 1M)
* view from snapshot: what every later `kg ask` pays instead of parsing
* baseline: rdflib memory store parse + view build (the old path), up to 100k
* ask: engine on the view + index, per-question latency p50 (target <= 50 ms at 1M) and
  the process's peak memory (target <= 4 GB at 1M)

The index at these sizes is built with bench/_util.HashEncoder (see its docstring); the
question is still encoded by the real NumPy model, so ask latency is the real one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import DATA, MAXRSS, emit, percentile, run_child, table  # noqa: E402

SETUP = """
import json, time, sys
LOOKUP = ('SELECT ?c WHERE {{ ?c <http://www.w3.org/2004/02/skos/core#broader> '
          '<https://example.org/synth/c3> }}')
sys.path.insert(0, 'bench')
from kg.config import Settings
from kg.workspace import Workspace
ws = Workspace(Settings(graph_paths=({path!r},), cache_dir={cache!r}, store={store!r},
                        snapshot={snapshot}))
"""
STEPS = {
    "first_load": "t=time.perf_counter(); ws.view; dt=time.perf_counter()-t",
    "ox_first": "t=time.perf_counter(); ws.loaded; dt=time.perf_counter()-t",
    "ox_reopen": "t=time.perf_counter(); g=ws.loaded.graph; list(g.query(LOOKUP)); "
                 "dt=time.perf_counter()-t",
    "snapshot_view": "t=time.perf_counter(); ws.view; dt=time.perf_counter()-t; "
                     "assert ws.view_source == 'snapshot'",
    "rdflib_memory": "t=time.perf_counter(); ws.loaded; from kg.view.graph_view import build_view; "
                     "build_view(ws.loaded.graph); dt=time.perf_counter()-t",
    "index": """
from _util import HashEncoder
from kg.qa.documents import build_documents
from kg.qa.index import build_index
t=time.perf_counter()
idx = build_index(build_documents(ws.view), HashEncoder(), ws.settings.resolved_cache_dir(),
                  ws.content_hash, batch_size=2048)
dt=time.perf_counter()-t
""",
    "ask": """
import random
t=time.perf_counter(); engine = ws.engine; build=time.perf_counter()-t
rng = random.Random(1)
names = sorted(v for k, v in ws.view.labels.items() if '/c' in k)
qs = []
for i in range(30):
    a, b = rng.choice(names), rng.choice(names)
    qs.append([f'what is {a}?', f'is {a} a kind of {b}?', f'how does {a} relate to {b}?'][i % 3])
engine.ask(qs[0])
lat = []
for q in qs:
    s = time.perf_counter(); engine.ask(q); lat.append(time.perf_counter() - s)
dt = build
""",
}


def step(name: str, path: Path, cache: Path, store: str = "memory", snapshot: bool = True,
         ) -> dict:
    code = (SETUP.format(path=str(path), cache=str(cache), store=store, snapshot=snapshot)
            + STEPS[name] + "\n" + MAXRSS + "\n"
            + "print(json.dumps({'dt': dt, 'rss': _rss, 'lat': locals().get('lat', [])}))")
    return run_child(code, {"HF_HUB_OFFLINE": "1"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-max", type=int, default=100_000,
                        help="largest size for the rdflib memory-store baseline")
    args = parser.parse_args()
    from synth import write_ntriples

    for n in (int(s) for s in args.sizes.split(",")):
        path = DATA / f"synth-{n}.nt"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8") as fh:
                write_ntriples(fh, n)
        rows = []
        first, rss = [], []
        for _ in range(args.repeat):
            cache = DATA / f"scale-cache-{n}"
            shutil.rmtree(cache, ignore_errors=True)
            r = step("first_load", path, cache)
            first.append(r["dt"])
            rss.append(r["rss"])
        rows.append(("first load: view from file + snapshot", first, "s",
                     "target <= 10 s at 1M" if n == 1_000_000 else ""))
        rows.append(("  peak memory", rss, "MB", ""))
        snap = [step("snapshot_view", path, cache)["dt"] for _ in range(args.repeat)]
        rows.append(("view from snapshot (later runs)", snap, "s", ""))
        if n <= args.baseline_max:
            base = [step("rdflib_memory", path, cache, snapshot=False) for _ in range(args.repeat)]
            rows.append(("baseline: rdflib memory parse + view", [b["dt"] for b in base], "s",
                         "old path"))
            rows.append(("  peak memory", [b["rss"] for b in base], "MB", ""))
        ox = step("ox_first", path, cache, store="oxigraph")
        rows.append(("Oxigraph first load (bulk)", [ox["dt"]], "s", ""))
        reopen = [step("ox_reopen", path, cache, store="oxigraph")
                  for _ in range(args.repeat)]
        rows.append(("Oxigraph reopen + one query", [r["dt"] for r in reopen], "s",
                     "target <= 1 s at 1M" if n == 1_000_000 else ""))
        idx = step("index", path, cache)
        rows.append(("index build (hash encoder, not timed target)", [idx["dt"]], "s", ""))
        asks = [step("ask", path, cache) for _ in range(args.repeat)]
        lat = [x for a in asks for x in a["lat"]]
        rows.append(("engine build (cold, from snapshot)", [a["dt"] for a in asks], "s", ""))
        rows.append(("ask p50 per run", [percentile(a["lat"], 50) for a in asks], "ms",
                     "target <= 50 ms at 1M" if n == 1_000_000 else ""))
        rows.append(("ask, all questions", lat, "ms", f"p95 {percentile(lat, 95) * 1000:.0f} ms"))
        rows.append(("peak memory: view + index + engine + asks", [a["rss"] for a in asks],
                     "MB", "target <= 4096 MB at 1M" if n == 1_000_000 else ""))
        emit(table(f"Scale: {n:,} triples ({path.stat().st_size / 1e6:.0f} MB N-Triples)", rows))
        print(json.dumps({"size": n, "done": True}), file=sys.stderr)


if __name__ == "__main__":
    main()
