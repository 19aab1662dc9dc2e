"""The in-place figures of ``bench/remote.py --endpoint`` (see its docstring): paging cost
at the start and the end of a real endpoint, every command's answer in place against the
local file, and the quality questions asked both ways."""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _util import emit


def _timed(endpoint: Any, query: str) -> float:
    started = time.perf_counter()
    endpoint.select(query)
    return time.perf_counter() - started


def paging(url: str, graph: Path) -> str:
    """Per-page time (1,000 rows) of the setup read at its start and at its end, by subject
    (the keys of the last pages taken from the file) and by OFFSET: three pages each."""
    from kg.rdf.load import read_raw_triples
    from kg.rdf.remote import Endpoint, _keyset_query
    from kg.rdf.remote_graph import SETUP_PREDICATES, _values

    wanted = set(SETUP_PREDICATES)
    rows = sorted((s, p, o) for s, p, o, lit, _ in read_raw_triples([graph])
                  if p in wanted and not s.startswith("_:") and not o.startswith("_:"))
    body = f"VALUES ?p {{ {_values(SETUP_PREDICATES)} }} ?s ?p ?o FILTER(!isBlank(?o))"
    endpoint = Endpoint(url)
    ordered = f"SELECT ?s ?p ?o WHERE {{ {body} }} ORDER BY ?s ?p ?o LIMIT 1000"
    n = len(rows)
    figures = {
        "by subject, start": [_timed(endpoint, _keyset_query(
            "?s ?p ?o", body, "s", "?p ?o", rows[at - 1][0] if at else None, 1000))
            for at in (0, 1000, 2000)],
        "by subject, end": [_timed(endpoint, _keyset_query(
            "?s ?p ?o", body, "s", "?p ?o", rows[n - at][0], 1000))
            for at in (3000, 2000, 1000)],
        "by OFFSET, start": [_timed(endpoint, f"{ordered} OFFSET {at}") for at in (0, 1000, 2000)],
        "by OFFSET, end": [_timed(endpoint, f"{ordered} OFFSET {n - at}")
                           for at in (3000, 2000, 1000)],
    }
    ms = 1000.0
    out = (f"setup read: {n:,} rows; median of 3 pages of 1,000 rows\n\n"
           "| paging | first pages | last pages |\n|---|---:|---:|\n")
    for how in ("by subject", "by OFFSET"):
        out += (f"| {how} | {statistics.median(figures[how + ', start']) * ms:.0f} ms | "
                f"{statistics.median(figures[how + ', end']) * ms:.0f} ms |\n")
    return out


def commands(url: str, graph: Path, cache: Path, sample: int) -> str:
    """How many of each command's answers in place equal the local file's."""
    from kg.config import Settings
    from kg.errors import KgError
    from kg.export import export
    from kg.qa.search import connect, search
    from kg.qa.stream import stream_documents
    from kg.rdf.remote import Endpoint
    from kg.sparql.remote import RemoteRunner
    from kg.sparql.runner import run_query, serialize
    from kg.view.concepts import describe, resolve
    from kg.workspace import Workspace

    here = Workspace(Settings(graph_paths=(graph,), cache_dir=cache))
    there = Workspace(Settings(sparql_endpoint=url, cache_dir=cache))
    view = here.view
    named = sorted(n for n in view.nx if view.is_concept(n) and not n.startswith("_:"))
    picked = named[:: max(1, len(named) // sample)][:sample]
    rows: list[tuple[str, int, int]] = []
    same = sum(resolve(there.names, view.label(n)) == resolve(view, view.label(n))
               for n in picked)
    rows.append(("names resolved (kg show LABEL)", same, len(picked)))
    started = time.perf_counter()
    same = sum(describe(there.view, there.graph, n) == describe(view, here.graph, n)
               for n in picked)
    card_s = (time.perf_counter() - started) / len(picked)
    rows.append(("concept cards (kg show)", same, len(picked)))
    here_engine, there_engine = here.engine, there.engine
    same = sum(search(there_engine, view.label(n), 10) == search(here_engine, view.label(n), 10)
               for n in picked)
    rows.append(("search, top 10 (kg search)", same, len(picked)))
    pairs = list(zip(picked[: sample // 5], reversed(picked[-(sample // 5):]), strict=True))
    started = time.perf_counter()
    def path(engine: Any, a: str, b: str, names: Any = None) -> Any:
        try:
            return [c.to_dict() for c in connect(engine, a, b, names=names)]
        except KgError as exc:  # not connected: the same message is the same answer
            return str(exc)

    same = sum(path(there_engine, a, b, there.names) == path(here_engine, a, b)
               for a, b in pairs)
    path_s = (time.perf_counter() - started) / max(1, len(pairs))
    rows.append(("paths (kg path)", same, len(pairs)))
    queries = [
        "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l } ORDER BY ?c ?l LIMIT 50",
        "SELECT (COUNT(*) AS ?n) WHERE { ?c skos:broader ?b }",
        "ASK { ?c a skos:Concept }",
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
    ]
    runner = RemoteRunner(Endpoint(url))
    same = sum(serialize(runner.run(q), "json") == serialize(run_query(here.graph, q), "json")
               for q in queries)
    rows.append(("SPARQL results, JSON (kg sparql)", same, len(queries)))
    same = 0
    for n in picked[:10]:
        outs = []
        for ws in (there, here):
            buf = io.StringIO()
            export(ws, "mermaid", buf, focus=n, depth=1, title="t", graph=ws.graph)
            outs.append(buf.getvalue())
        same += outs[0] == outs[1]
    rows.append(("focus exports, depth 1 (kg export --focus)", same, 10))
    from kg.qa.documents import build_documents

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        endpoint = there.endpoint
        before = endpoint.requests
        docs = stream_documents(there.remote_store, Path(tmp))
        stream_s = time.perf_counter() - started
        requests = endpoint.requests - before
    local_docs = build_documents(view)
    rows.append(("index documents (streamed)", sum(a == b for a, b in zip(docs, local_docs,
                                                                          strict=False)),
                 len(local_docs)))
    table = "| answers in place equal to the file's | same / asked |\n|---|---:|\n"
    table += "".join(f"| {name} | {a} / {b} |\n" for name, a, b in rows)
    table += (f"\nin process, remote: {card_s * 1000:.0f} ms per card, {path_s * 1000:.0f} ms "
              f"per path; {len(docs):,} documents streamed in {stream_s:.1f} s, {requests} "
              f"requests ({stream_s / max(1, len(docs)) * 1000:.2f} s per thousand)\n")
    return table


def quality(url: str, files: list[Path], cache: Path) -> str:
    """Every quality question asked in place and locally."""
    from kg.config import Settings
    from kg.qa.evaluate import load_questions, run_eval
    from kg.workspace import Workspace

    here = Workspace(Settings(cache_dir=cache))
    there = Workspace(Settings(sparql_endpoint=url, cache_dir=cache))
    out = ("| question set | identical answers | score local / in place |\n"
           "|---|---:|---:|\n")
    for path in files:
        items = load_questions(path)
        same = sum(here.engine.ask(q["question"]).text == there.engine.ask(q["question"]).text
                   for q in items)
        scores = [run_eval(ws, items, path, None, ("graph",))[0].metrics["score"]
                  for ws in (here, there)]
        out += (f"| {path.name} | {same} / {len(items)} | {scores[0]:.1f} / "
                f"{scores[1]:.1f} |\n")
    return out


def report(args: Any) -> None:
    """Print the tables for what was asked."""
    cache = args.cache_dir or Path(tempfile.mkdtemp())
    if args.endpoint:
        emit(f"### In place over {args.endpoint} vs {args.graph.name}\n\n"
             + paging(args.endpoint, args.graph) + "\n"
             + commands(args.endpoint, args.graph, cache, args.sample))
    if args.quality_endpoint:
        emit("### Quality questions in place vs the built-in files\n\n"
             + quality(args.quality_endpoint, args.questions, cache))
