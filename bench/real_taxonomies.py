"""Answer quality on real published taxonomies, with gold answers read from each graph.

For the built-in graph and every RDF file in ``../shared/taxonomies/`` (or the files given
with ``--graph``), this script picks a fixed random sample of terms per question kind,
reads the gold answer for each from the rdflib graph with SPARQL (never from the engine's
view, so a bug in the view cannot make its own answers look right), asks the engine and
checks the answer:

* ``definition``: "What is <label>?" - the answer quotes one of the term's definitions
  (``skos:definition``, OBO ``IAO_0000115``, ``rdfs:comment``, ``dcterms:description``,
  ``schema:description``; compared as plain text);
* ``parent``: "What is <label> a kind of?" - the answer names a broader term;
* ``children``: "What are the kinds of <label>?" - every narrower term is named, or the
  ones named plus the "and N more" count make up all of them;
* ``alt label``: "What is <alternative label>?" - the term is the first entity (labels
  that name another term too are not asked);
* ``other language``: "What is <label in another language>?" - likewise;
* ``relation``: "How is <A> related to <B>?" for A and B joined by a non-hierarchy edge,
  or sharing a parent - the answer's facts chain A to B (a path through the facts' ends);
* ``unanswerable``: who first described X, when, and a quantity the graph has no figure
  for - the engine abstains.

Every answer is also checked for what must never reach a reader: a raw IRI or blank-node
id in the text, HTML markup, a fact stating a literal held on a blank node (notes,
change records), a deprecated term as an entity or fact end.

Usage: ``.venv/bin/python bench/real_taxonomies.py [--sample 40] [--graph FILE ...]``
(run from the repository root; the index of each graph is built once in the cache;
``KG_SHARED_DIR`` names ``shared/`` when it is not beside the checkout).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, emit  # noqa: E402

# ../shared beside the checkout, as in CI; KG_SHARED_DIR names it when it is elsewhere.
SHARED = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared") / "taxonomies"
RDF_SUFFIXES = {".ttl", ".owl", ".rdf", ".xml", ".nt", ".n3", ".jsonld", ".trig", ".nq"}
KINDS = ("definition", "parent", "children", "alt label", "other language", "relation",
         "unanswerable")
PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX oio: <http://www.geneontology.org/formats/oboInOwl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX schemahttp: <http://schema.org/>
"""
RAW_IRI = re.compile(r"\b(?:https?|ftp|urn):\S|(?<!\w)_:\w|\bN[0-9a-f]{32}\b")
HTML = re.compile(
    r"</?(?:a|abbr|b|br|code|div|em|i|img|li|ol|p|pre|span|strong|sub|sup|table|td|tr|"
    r"u|ul|h[1-6])\b[^<>]*>|&(?:amp|lt|gt|quot|nbsp|#\d+);",
    re.I,
)
MORE = re.compile(r"\band (\d+) more\b")


def q(graph, text: str) -> list[tuple]:  # noqa: ANN001
    return [tuple(row) for row in graph.query(PREFIXES + text)]


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def name_key(text: str) -> str:
    """A name as linking compares it (the engine's own light stems), so "Industry" and
    "Industries" count as one name: a question naming it is ambiguous, and not asked."""
    from kg.qa.text import stem, tokens

    return " ".join(stem(t) for t in tokens(text))


@dataclass
class Gold:
    """What the graph says, read with SPARQL."""

    labels: dict[str, str] = field(default_factory=dict)  # shown label (en, untagged, any)
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    definitions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    alts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    foreign: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    related: list[tuple[str, str]] = field(default_factory=list)
    deprecated: set[str] = field(default_factory=set)
    blank_texts: list[str] = field(default_factory=list)
    quantified: set[str] = field(default_factory=set)


def read_gold(graph) -> Gold:  # noqa: ANN001
    """Labels, definitions, hierarchy, relations and deprecated terms, by SPARQL."""
    g = Gold()
    g.deprecated = {str(r[0]) for r in q(graph, """
        SELECT DISTINCT ?c WHERE {
          { ?c owl:deprecated ?d FILTER(str(?d) = "true" || str(?d) = "1") }
          UNION { ?c obo:IAO_0100001 ?x } UNION { ?c dcterms:isReplacedBy ?x }
          UNION { ?c rdfs:label|skos:prefLabel ?l FILTER(regex(str(?l), "^obsolete ", "i")) }
          FILTER(isIRI(?c)) }""")}
    rows = q(graph, """
        SELECT ?c ?p ?l WHERE {
          VALUES ?p { skos:prefLabel rdfs:label schema:name schemahttp:name }
          ?c ?p ?l .
          { ?c a skos:Concept } UNION { ?c a owl:Class } UNION { ?c a rdfs:Class }
          FILTER(isIRI(?c) && isLiteral(?l)) }""")
    rank = {"prefLabel": 0, "label": 1, "name": 2}
    best: dict[str, tuple] = {}
    for c, p, lit in rows:
        c = str(c)
        if c in g.deprecated:
            continue
        lang = (lit.language or "").lower()
        tier = 0 if lang.startswith("en") else 1 if not lang else 2
        key = (tier, rank.get(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1], 3), str(lit))
        if c not in best or key < best[c]:
            best[c] = key
        if tier < 2:
            g.names[c].add(str(lit))
        else:
            g.foreign[c].add(str(lit))
    g.labels = {c: key[2] for c, key in best.items()}
    for c, lit in q(graph, """
        SELECT ?c ?d WHERE {
          VALUES ?p { skos:definition obo:IAO_0000115 rdfs:comment dcterms:description
                      schema:description schemahttp:description }
          ?c ?p ?d FILTER(isIRI(?c) && (lang(?d) = "" || langMatches(lang(?d), "en"))) }"""):
        if str(c) in g.labels:
            g.definitions[str(c)].append(str(lit))
    for c, lit in q(graph, """
        SELECT ?c ?a WHERE {
          VALUES ?p { skos:altLabel oio:hasExactSynonym obo:IAO_0000118 }
          ?c ?p ?a FILTER(isIRI(?c) && (lang(?a) = "" || langMatches(lang(?a), "en"))) }"""):
        if str(c) in g.labels:
            g.alts[str(c)].add(str(lit))
    for c, b in q(graph, """
        SELECT DISTINCT ?c ?b WHERE {
          { ?c skos:broader ?b } UNION { ?b skos:narrower ?c } UNION { ?c rdfs:subClassOf ?b }
          FILTER(isIRI(?c) && isIRI(?b) && ?c != ?b) }"""):
        if str(c) in g.labels and str(b) in g.labels:
            g.parents[str(c)].add(str(b))
    for a, b in q(graph, """
        SELECT DISTINCT ?a ?b WHERE {
          ?a ?p ?b FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b)
          FILTER(?p NOT IN (skos:broader, skos:narrower, rdfs:subClassOf, rdf:type,
                 skos:inScheme, skos:topConceptOf, skos:hasTopConcept, skos:member,
                 skos:exactMatch, skos:closeMatch, skos:broadMatch, skos:narrowMatch,
                 skos:relatedMatch, owl:equivalentClass, owl:sameAs, rdfs:seeAlso,
                 rdfs:isDefinedBy, obo:IAO_0100001, dcterms:isReplacedBy, owl:disjointWith,
                 dcterms:source)) }"""):
        if str(a) in g.labels and str(b) in g.labels:
            g.related.append((str(a), str(b)))
    g.blank_texts = sorted({str(o) for (o,) in q(graph, """
        SELECT DISTINCT ?o WHERE { ?b ?p ?o FILTER(isBlank(?b) && isLiteral(?o))
          FILTER(?p NOT IN (owl:annotatedTarget, rdf:value, rdfs:label, skos:prefLabel))
          FILTER(strlen(str(?o)) >= 25) }""")})
    g.quantified = {str(c) for (c,) in q(graph, """
        SELECT DISTINCT ?c WHERE { ?c ?p ?v FILTER(isLiteral(?v) && (
          datatype(?v) IN (<http://www.w3.org/2001/XMLSchema#decimal>,
                           <http://www.w3.org/2001/XMLSchema#integer>,
                           <http://www.w3.org/2001/XMLSchema#double>,
                           <http://www.w3.org/2001/XMLSchema#date>,
                           <http://www.w3.org/2001/XMLSchema#gYear>))) }""")}
    return g


def children_of(g: Gold) -> dict[str, set[str]]:
    kids: dict[str, set[str]] = defaultdict(set)
    for c, ps in g.parents.items():
        for p in ps:
            kids[p].add(c)
    return kids


def unique_names(g: Gold) -> dict[str, set[str]]:
    """Which terms each normalised name belongs to (ambiguous names are not asked)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for c in g.labels:
        for name in g.names[c] | g.alts[c] | g.foreign[c]:
            owners[name_key(name)].add(c)
    return owners


def questions(g: Gold, sample: int, seed: int = 13) -> list[tuple[str, str, dict]]:
    """(kind, question, what the check needs) for a fixed random sample per kind."""
    rng = random.Random(seed)
    owners = unique_names(g)
    kids = children_of(g)
    out: list[tuple[str, str, dict]] = []

    def pick(items: list) -> list:
        items = sorted(items)
        return rng.sample(items, min(sample, len(items)))

    live = sorted(c for c in g.labels if len(owners[name_key(g.labels[c])]) == 1)
    for c in pick([c for c in live if g.definitions.get(c)]):
        out.append(("definition", f"What is {g.labels[c]}?", {"c": c}))
    for c in pick([c for c in live if g.parents.get(c)]):
        out.append(("parent", f"What is {g.labels[c]} a kind of?", {"c": c}))
    for c in pick([c for c in live if len(kids.get(c, ())) >= 2]):
        out.append(("children", f"What are the kinds of {g.labels[c]}?",
                    {"c": c, "kids": sorted(kids[c])}))
    alts = [(c, a) for c in live for a in sorted(g.alts.get(c, ()))
            if len(owners[name_key(a)]) == 1 and name_key(a) != name_key(g.labels[c])
            and len(a) > 2]
    for c, a in pick(alts):
        out.append(("alt label", f"What is {a}?", {"c": c}))
    foreign = [(c, f) for c in live for f in sorted(g.foreign.get(c, ()))
               if len(owners[name_key(f)]) == 1 and name_key(f) != name_key(g.labels[c])]
    for c, f in pick(foreign):
        out.append(("other language", f"What is {f}?", {"c": c}))
    direct = [(a, b) for a, b in g.related if a in live and b in live]
    siblings = []
    for cs in kids.values():
        cs = sorted(x for x in cs if x in live)
        if len(cs) >= 2:
            siblings.append((cs[0], cs[-1]))
    half = max(1, sample // 2)
    for a, b in pick(direct)[:half] + pick(siblings)[: sample - min(half, len(direct))]:
        out.append(("relation", f"How is {g.labels[a]} related to {g.labels[b]}?",
                    {"a": a, "b": b}))
    templates = ("Who first described {}?", "When was {} first described?",
                 "What is the melting point of {} in kelvin?")
    for i, c in enumerate(pick([c for c in live if c not in g.quantified])):
        out.append(("unanswerable", templates[i % 3].format(g.labels[c]), {"c": c}))
    return out


def names_in(text: str, g: Gold, c: str) -> bool:
    low = text.lower()
    return any(n.lower() in low for n in g.names[c] | {g.labels[c]})


def chained(answer, a: str, b: str) -> bool:  # noqa: ANN001
    """True when the answer's facts connect ``a`` to ``b`` through their ends."""
    links: dict[str, set[str]] = defaultdict(set)
    for f in answer.facts:
        parts = [f, *getattr(f, "parts", [])]
        for part in parts:
            ends = [part.subject] + ([] if part.object_is_literal else [part.object])
            ends += list(getattr(part, "nodes", ()))
            for x in ends:
                for y in ends:
                    if x != y:
                        links[x].add(y)
    seen, stack = {a}, [a]
    while stack:
        for y in links[stack.pop()]:
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return b in seen


def right(kind: str, answer, need: dict, g: Gold) -> bool:  # noqa: ANN001
    from kg.rdf.literals import plain_text

    if kind == "unanswerable":
        return answer.abstained
    if answer.abstained:
        return False
    text = answer.text
    if kind == "definition":
        said = norm(text)
        return any(norm(plain_text(d))[:60] in said for d in g.definitions[need["c"]])
    if kind == "parent":
        return any(names_in(text, g, p) for p in g.parents[need["c"]])
    if kind == "children":
        kids = need["kids"]
        named = sum(1 for k in kids if names_in(text, g, k))
        more = sum(int(m) for m in MORE.findall(text))
        return named == len(kids) or (more and named + more >= len(kids))
    if kind in ("alt label", "other language"):
        return bool(answer.entities) and answer.entities[0].iri == need["c"]
    if kind == "relation":
        return chained(answer, need["a"], need["b"])
    return False


def faults(answer, g: Gold) -> list[str]:  # noqa: ANN001
    """What must never reach a reader, found in one answer."""
    out = []
    shown = " ".join([answer.text, *(e.label for e in answer.entities)])
    if RAW_IRI.search(shown):
        out.append("raw IRI")
    if HTML.search(answer.text):
        out.append("HTML")
    ends = {x for f in answer.facts for x in (f.subject, f.object)}
    if any(x.startswith("_:") for x in ends) or any(
        t[:60] in answer.text for t in g.blank_texts
    ):
        out.append("blank-node fact")
    if ({e.iri for e in answer.entities} | ends) & g.deprecated:
        out.append("deprecated entity")
    return out


def run(path: Path | None, sample: int, cache: Path) -> tuple[str, list[str], list[str]]:
    from kg.config import Settings
    from kg.workspace import Workspace

    name = path.name if path else "built-in"
    ws = Workspace(Settings(graph_paths=(path,) if path else (), cache_dir=cache))
    started = time.perf_counter()
    engine = ws.engine
    ready = time.perf_counter() - started
    gold = read_gold(ws.graph)
    qs = questions(gold, sample)
    scores: dict[str, list[bool]] = defaultdict(list)
    clean: dict[str, list[bool]] = defaultdict(list)
    kinds_of_fault: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    latencies: list[float] = []
    for kind, text, need in qs:
        t = time.perf_counter()
        answer = engine.ask(text)
        latencies.append(time.perf_counter() - t)
        ok = right(kind, answer, need, gold)
        bad = faults(answer, gold)
        scores[kind].append(ok)
        clean[kind].append(not bad)
        for b in bad:
            kinds_of_fault[b] += 1
        if not ok or bad:
            first = answer.text.splitlines()[0][:140] if answer.text else ""
            misses.append(f"{name} | {kind} | {text} | {'; '.join(bad) or 'wrong'} | {first}")
    concepts = len(gold.labels)
    rows = [f"| **{name}** | {concepts:,} live labelled terms, {len(gold.deprecated):,} "
            f"deprecated | engine ready in {ready:.0f} s | |"]
    for kind in KINDS:
        oks, cl = scores.get(kind, []), clean.get(kind, [])
        if not oks:
            rows.append(f"| {kind} | 0 asked (the graph has none) | | |")
            continue
        rows.append(f"| {kind} | {len(oks)} | {100 * sum(oks) / len(oks):.1f} % | "
                    f"{100 * sum(cl) / len(cl):.1f} % |")
    latencies.sort()
    faults_note = ", ".join(f"{k}: {v}" for k, v in sorted(kinds_of_fault.items())) or "none"
    rows.append(f"| faults | {faults_note} | p50 ask {latencies[len(latencies) // 2] * 1000:.0f}"
                f" ms | |")
    return name, rows, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=40, help="questions per kind and graph")
    parser.add_argument("--graph", action="append", default=[], help="RDF file (repeatable)")
    parser.add_argument("--no-builtin", action="store_true", help="skip the built-in graph")
    parser.add_argument("--cache-dir", default=str(DATA / "real-cache"),
                        help="where each graph's index is kept between runs")
    parser.add_argument("--misses", type=int, default=12, help="wrong answers printed per graph")
    args = parser.parse_args()
    files = [Path(p) for p in args.graph] or sorted(
        p for p in SHARED.glob("*") if p.suffix.lower() in RDF_SUFFIXES
    )
    graphs: list[Path | None] = ([] if args.no_builtin else [None]) + files
    lines = ["### Answer quality on real taxonomies (gold answers read from each graph)", "",
             "| graph / question kind | asked | right | free of IRI, HTML, blank-node facts, "
             "deprecated terms |", "|---|---:|---:|---:|"]
    for path in graphs:
        name, rows, misses = run(path, args.sample, Path(args.cache_dir))
        lines += rows
        for miss in misses[: args.misses]:
            print("miss", miss, file=sys.stderr)
        print(f"{name}: {len(misses)} answers wrong or unclean", file=sys.stderr)
    emit("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
