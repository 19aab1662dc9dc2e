"""rdflib's memory store against Oxigraph (on disk, through oxrdflib) on the same graph and
the same SPARQL queries: load time, reopen time and per-query latency.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import DATA, emit, table, timed  # noqa: E402

QUERIES = {
    "count concepts": "SELECT (COUNT(?c) AS ?n) WHERE { ?c a skos:Concept }",
    "label lookup": 'SELECT ?c WHERE { ?c skos:prefLabel "Generative Ka ranking"@en }',
    "children of a node": "SELECT ?c ?l WHERE { ?c skos:broader <https://example.org/synth/c3> ;"
                          " skos:prefLabel ?l }",
    "broader+ chain": "SELECT ?a WHERE { <https://example.org/synth/c9000> skos:broader+ ?a }",
    "regex on labels": ('SELECT ?c WHERE { ?c skos:prefLabel ?l FILTER regex(?l, "^Sparse Lo") }'
                        " ORDER BY ?c LIMIT 20"),
}
PREFIX = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from synth import write_ntriples

    from kg.rdf.load import load_graph

    path = DATA / f"synth-{args.triples}.nt"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            write_ntriples(fh, args.triples)
    cache = DATA / "stores-cache"
    shutil.rmtree(cache, ignore_errors=True)
    rows = []
    t = time.perf_counter()
    mem = load_graph([path]).graph
    rows.append(("rdflib memory: parse", [time.perf_counter() - t], "s", "baseline"))
    t = time.perf_counter()
    ox = load_graph([path], store="oxigraph", store_dir=cache).graph
    rows.append(("Oxigraph: first load (bulk)", [time.perf_counter() - t], "s", ""))
    del ox
    reopen = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        ox = load_graph([path], store="oxigraph", store_dir=cache).graph
        reopen.append(time.perf_counter() - t)
    rows.append(("Oxigraph: reopen", reopen, "s", "rdflib memory must parse again"))
    for name, query in QUERIES.items():
        q = PREFIX + query
        a = sorted(map(str, (tuple(r) for r in mem.query(q))))
        b = sorted(map(str, (tuple(r) for r in ox.query(q))))
        same = "same rows" if a == b else f"DIFFERENT rows ({len(a)} vs {len(b)})"
        rows.append((f"{name}: rdflib memory", timed(lambda q=q: list(mem.query(q)),
                                                     args.repeat), "ms", "baseline"))
        rows.append((f"{name}: Oxigraph", timed(lambda q=q: list(ox.query(q)), args.repeat),
                     "ms", same))
    emit(table(f"Stores: rdflib memory vs Oxigraph ({args.triples:,} triples)", rows))


if __name__ == "__main__":
    main()
