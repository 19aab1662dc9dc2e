"""Answer quality at scale: the real model's index on synthetic taxonomies (bench/synth.py).

``scale.py`` times large graphs with a hash encoder, because embedding a million
documents with the real model takes a long time on two cores. This script measures what
that leaves open: whether answers stay right as the graph grows. Per size it builds the
real all-MiniLM-L6-v2 index (the same build path as ``kg index build``), then asks
questions generated from the graph's own structure for a fixed random sample of
concepts, and checks each answer against the graph:

* ``definition``: "What is <label>?" - the concept is the first entity, and a fact
  carries its definition;
* ``alias``: "What is <alternative label>?" - the concept is among the first 5 entities;
* ``broader``: "What is <label> a kind of?" - a fact links it to its broader concept;
* ``typo``: "What is <label with one letter dropped>?" - the concept is among the first 5;
* ``unknown``: "Who invented the <made-up word> engine?" - the tool abstains.

The questions are made from the graph, not written for it, so they test linking and the
walk on names the model never saw; nothing here is tuned to them.

Usage: ``.venv/bin/python bench/scale_quality.py [--sizes 10000,100000] [--sample 200]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, emit  # noqa: E402

SKOS = "http://www.w3.org/2004/02/skos/core#"


def _drop_letter(label: str, rng: random.Random) -> str | None:
    words = label.split()
    long = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    w = words[i]
    cut = rng.randrange(2, len(w) - 1)  # keep the first letters, as typos usually do
    words[i] = w[:cut] + w[cut + 1 :]
    return " ".join(words)


def questions(view, sample: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """(kind, question, concept IRI, expected related IRI or "") from the graph itself."""
    rng = random.Random(seed)
    concepts = sorted(n for n, d in view.nx.nodes(data=True) if d.get("concept"))
    picked = rng.sample(concepts, min(sample, len(concepts)))
    out = []
    for iri in picked:
        data = view.node(iri)
        label = data["label"]
        out.append(("definition", f"What is {label}?", iri, ""))
        for alt in data.get("alt_labels", [])[:1]:
            out.append(("alias", f"What is {alt}?", iri, ""))
        for parent in view.broader(iri)[:1]:
            out.append(("broader", f"What is {label} a kind of?", iri, parent))
        typo = _drop_letter(label, rng)
        if typo:
            out.append(("typo", f"What is {typo}?", iri, ""))
    for i in range(max(10, sample // 10)):
        word = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4))
        out.append(("unknown", f"Who invented the {word.capitalize()} engine in {1900 + i}?",
                    "", ""))
    return out


def judge(kind: str, answer, iri: str, related: str) -> bool:
    """Whether the answer is right, read from its entities and fact triples."""
    entities = [e.iri for e in answer.entities]
    triples = [t for f in answer.facts for t in f.triples()]
    if kind == "unknown":
        return answer.abstained
    if answer.abstained:
        return False
    if kind == "definition":
        return bool(entities) and entities[0] == iri and any(
            t.subject == iri and t.predicate == SKOS + "definition" for t in triples
        )
    if kind == "broader":
        return any({t.subject, t.object} == {iri, related} for t in triples)
    return iri in entities[:5]


def run(size: int, sample: int) -> list[tuple]:
    from synth import write_ntriples

    from kg.config import Settings
    from kg.workspace import Workspace

    path = DATA / f"synth-{size}.nt"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as fh:
            write_ntriples(fh, size)
    cache = DATA / f"quality-cache-{size}"  # kept: a second run reuses the real index
    ws = Workspace(Settings(graph_paths=(str(path),), cache_dir=str(cache)))
    started = time.perf_counter()
    status = ws.index_status()
    engine = ws.engine
    build = time.perf_counter() - started
    qs = questions(ws.view, sample)
    by_kind: dict[str, list[bool]] = {}
    latencies = []
    misses = []
    for kind, text, iri, related in qs:
        t = time.perf_counter()
        answer = engine.ask(text)
        latencies.append(time.perf_counter() - t)
        ok = judge(kind, answer, iri, related)
        by_kind.setdefault(kind, []).append(ok)
        if not ok and len(misses) < 5:
            misses.append(f"{kind}: {text!r} -> {[e.label for e in answer.entities[:3]]}")
    concepts = sum(1 for _, d in ws.view.nx.nodes(data=True) if d.get("concept"))
    rows = [
        (f"{size:,} triples", f"{concepts:,} concepts, {len(ws.view.nx):,} nodes",
         f"index {'reused' if status.state == 'ready' else 'built'} + engine in {build:.0f} s"),
    ]
    for kind, oks in by_kind.items():
        rows.append((f"  {kind}", f"{sum(oks)}/{len(oks)}", f"{100 * sum(oks) / len(oks):.1f} %"))
    latencies.sort()
    rows.append(("  ask p50 / p95",
                 f"{latencies[len(latencies) // 2] * 1000:.0f} / "
                 f"{latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms", ""))
    for miss in misses:
        print("miss", size, miss, file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--sample", type=int, default=200, help="concepts asked about per size")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        rows.extend(run(size, args.sample))
    lines = ["### Answer quality on synthetic taxonomies (real model index)", "",
             "| graph / question kind | right | rate |", "|---|---:|---:|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    emit("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
