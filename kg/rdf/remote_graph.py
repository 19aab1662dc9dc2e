"""What a remote SPARQL endpoint is asked for when it is used in place, not copied.

A graph served by a SPARQL endpoint is read in two parts (every query in pages within the
endpoint's row cap, see :class:`~kg.rdf.remote.Endpoint`):

* once, what the label tables and the index need (:func:`setup_triples`): labels,
  alternative labels (SKOS-XL ones through their label resources), definitions and
  descriptions, types, hierarchy links, deprecation marks; plus a few figures about the
  whole graph that are not triples of one node: the predicates that link resources
  (:func:`link_predicates`), the provenance targets (:func:`provenance_targets`) and how
  many resources have each number of links (:func:`degree_histogram`, one ``GROUP BY``, on
  a small graph; on a large one :func:`sampled_degrees`, a few thousand nodes counted);
* at question time, the triples in and out of the nodes a question touches
  (:func:`neighbourhood`), with ``VALUES`` so several nodes cost one request.

No query here reads every triple of the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import GraphLoadError
from kg.rdf.remote import Endpoint, raw_triple
from kg.rdf.terms import (
    ALT_LABEL_PREDICATES,
    BROADER_PREDICATES,
    DEPRECATED,
    DESCRIPTION_PREDICATES,
    LABEL_PREDICATES,
    META_PREDICATES,
    NOTE_PREDICATES,
    RDF,
    REPLACED_BY_PREDICATES,
    SKOSXL,
    SOURCE_PREDICATES,
    XL_LABEL_PREDICATES,
)
from kg.rdf.triples import RawTriple

__all__ = [
    "DEGREE_SAMPLE",
    "EXACT_DEGREES_MAX",
    "NOT_LINKS",
    "PROVENANCE_HOLDER",
    "SETUP_PREDICATES",
    "SPLIT_MIN",
    "degree_histogram",
    "endpoint_stats",
    "link_predicates",
    "neighbourhood",
    "provenance_targets",
    "sampled_degrees",
    "sampled_links",
    "setup_triples",
    "writable_iri",
]

#: The predicates read at setup: what names, describes, types, ranks or retires a node.
SETUP_PREDICATES: tuple[str, ...] = tuple(str(p) for p in (
    *LABEL_PREDICATES, *ALT_LABEL_PREDICATES, *DESCRIPTION_PREDICATES, RDF.type, DEPRECATED,
    *REPLACED_BY_PREDICATES, *(p for p, _ in BROADER_PREDICATES),
))
#: The subject given to the provenance targets read at setup (never a node: it has no label).
PROVENANCE_HOLDER = "urn:kg:remote:provenance"
_XL_FORM = str(SKOSXL.literalForm)
_XL = tuple(str(p) for p in XL_LABEL_PREDICATES)
#: Predicates whose resource objects are never a link between two nodes of the view (kept
# in step with kg.view.graph_view, which decides what becomes an edge).
NOT_LINKS: tuple[str, ...] = tuple(str(p) for p in (
    *META_PREDICATES, *NOTE_PREDICATES, *REPLACED_BY_PREDICATES, *XL_LABEL_PREDICATES,
))
_BAD_IRI = set('<>"{}|^`\\ \t\n\r')


def writable_iri(iri: str) -> bool:
    """Whether ``iri`` can be written as ``<iri>`` in a query (blank nodes cannot)."""
    return bool(iri) and not iri.startswith("_:") and not (_BAD_IRI & set(iri))


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _triples(endpoint: Endpoint, query: str) -> Iterator[RawTriple]:
    for rows in endpoint.pages(query):
        for row in rows:
            triple = raw_triple(row)
            if triple is not None:
                yield triple


def _keyed(endpoint: Endpoint, pattern: str, bound: str, parts: Iterable[str] = ()
           ) -> Iterator[RawTriple]:
    """The ``?s ?p ?o`` rows of ``pattern`` for named subjects, in batches of subjects
    (``bound``: the pattern for a subject given by ``VALUES``; ``parts``: ``pattern`` split
    by predicate, counted and listed one at a time)."""
    for rows in endpoint.by_key("?s ?p ?o", pattern, bound, parts=tuple(parts)):
        for row in rows:
            triple = raw_triple(row)
            if triple is not None:
                yield triple


def _among(predicates: Iterable[str]) -> str:
    return ", ".join(f"<{p}>" for p in predicates)


def setup_triples(endpoint: Endpoint, split: bool = False) -> Iterator[RawTriple]:
    """The triples of :data:`SETUP_PREDICATES` between named resources, then SKOS-XL labels
    as ``(s, xl:prefLabel, _:xlN)`` and ``(_:xlN, xl:literalForm, text)`` pairs, and the
    provenance targets as triples of :data:`PROVENANCE_HOLDER`. Both reads come in batches
    of subjects (:meth:`~kg.rdf.remote.Endpoint.by_key`), so they stay linear on a large
    store: the subjects are listed from the predicates' index (``VALUES ?p``; with
    ``split``, for a large store, counted and listed one predicate at a time: an aggregate
    over several predicates makes an engine scan the whole store), each batch is read with
    the predicates as a filter (an engine joins two ``VALUES`` blocks slowly)."""
    among = f"?p IN ({_among(SETUP_PREDICATES)})"
    if split:  # unfiltered per predicate (a filter costs a look at every term); blank
        # objects, read with their subjects' rows, are left out here
        parts = [f"?s <{p}> ?o" for p in dict.fromkeys(SETUP_PREDICATES)]
        yield from (t for t in _keyed(endpoint, "", f"?s ?p ?o FILTER({among})", parts)
                    if t[3] or not t[2].startswith("_:"))
    else:
        yield from _keyed(endpoint, f"VALUES ?p {{ {_values(SETUP_PREDICATES)} }} ?s ?p ?o "
                                    "FILTER(!isBlank(?o))",
                          f"?s ?p ?o FILTER({among} && !isBlank(?o))")
    pattern = f"VALUES ?p {{ {_values(_XL)} }} ?s ?p ?l . ?l <{_XL_FORM}> ?o"
    bound = f"?s ?p ?l FILTER(?p IN ({_among(_XL)})) ?l <{_XL_FORM}> ?o"
    parts = (f"?s <{p}> ?l . ?l <{_XL_FORM}> ?o" for p in (dict.fromkeys(_XL) if split else ()))
    for n, (s, p, text, _, lang) in enumerate(_keyed(endpoint, pattern, bound, parts)):
        yield s, p, f"_:xl{n}", False, ""
        yield f"_:xl{n}", _XL_FORM, text, True, lang
    for target in provenance_targets(endpoint, split):
        yield PROVENANCE_HOLDER, str(SOURCE_PREDICATES[0]), target, False, ""


def provenance_targets(endpoint: Endpoint, split: bool = False) -> list[str]:
    """The resources some node names as its source (they stay out of the view unless
    something else links to them); with ``split`` one read per source predicate, merged
    here (no query joins several predicates with the whole store)."""
    sources = _values(str(p) for p in SOURCE_PREDICATES)
    found: set[str] = set()
    for where in ([f"?s <{p}> ?o" for p in dict.fromkeys(map(str, SOURCE_PREDICATES))]
                  if split else [f"VALUES ?p {{ {sources} }} ?s ?p ?o"]):
        query = (f"SELECT DISTINCT ?o WHERE {{ {where} FILTER(isIRI(?s) && isIRI(?o)) }} "
                 "ORDER BY ?o")
        found.update(row["o"]["value"] for rows in endpoint.pages(query) for row in rows
                     if "o" in row)
    return sorted(found)


def link_predicates(endpoint: Endpoint) -> list[str]:
    """The predicates that link one named resource to another: the graph's predicates (one
    ``DISTINCT``), then one ``ASK`` each, so no query scans and filters the whole graph."""
    query = "SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p"
    every = [row["p"]["value"] for rows in endpoint.pages(query) for row in rows if "p" in row]
    # (a predicate of literals fails the first, cheaper test after one scan of its triples)
    return [p for p in every if writable_iri(p) and p not in NOT_LINKS
            and endpoint.ask(f"ASK {{ ?s <{p}> ?o FILTER(isIRI(?o)) }}")
            and endpoint.ask(f"ASK {{ ?s <{p}> ?o FILTER(isIRI(?s) && isIRI(?o)) }}")]


#: Triples from which the setup is counted and listed one predicate at a time
# (:func:`setup_triples` ``split``): Oxigraph counted the subjects of all setup predicates at
# once in 195 s at ten million triples, each predicate's in a few seconds.
SPLIT_MIN = 500_000
#: Nodes whose degrees are counted one by one for the hub threshold of a large graph.
DEGREE_SAMPLE = 4096
#: Named nodes up to which the whole-store aggregate is cheap (about 200k triples).
EXACT_DEGREES_MAX = 20_000
_DEGREE_BATCH = 256  # sampled nodes counted in one request


def _not_links() -> str:
    return ", ".join(f"<{p}>" for p in NOT_LINKS)


def degree_histogram(endpoint: Endpoint) -> dict[int, int]:
    """How many named resources have each number of links to other named resources
    (predicates that never make an edge left out), counted by the endpoint: the hub
    threshold without reading a single link. One aggregate over the whole store: only for
    a small graph (:func:`sampled_degrees` for a large one)."""
    query = (
        "SELECT ?d (COUNT(?n) AS ?c) WHERE { { SELECT ?n (COUNT(*) AS ?d) WHERE { "
        "{ ?n ?p ?x } UNION { ?x ?p ?n } "
        f"FILTER(isIRI(?n) && isIRI(?x) && ?p NOT IN ({_not_links()}))"
        " } GROUP BY ?n } } GROUP BY ?d ORDER BY ?d"
    )
    counts: dict[int, int] = {}
    for rows in endpoint.pages(query):
        for row in rows:
            try:
                counts[int(row["d"]["value"])] = int(row["c"]["value"])
            except (KeyError, ValueError):
                continue
    return counts


def sampled_degrees(endpoint: Endpoint, nodes: list[str], total: int) -> dict[int, int]:
    """The degree histogram of :func:`degree_histogram` estimated from the degrees of
    ``nodes`` (a sample of the ``total`` named nodes), scaled to ``total``: a few indexed
    requests of ``_DEGREE_BATCH`` nodes each, whatever the size of the store. The hub
    threshold is a quantile of the degrees, which a sample of thousands estimates well;
    a whole-store ``GROUP BY`` would not be answered within a request's timeout at ten
    million triples."""
    named = [n for n in nodes if writable_iri(n)]
    found: dict[str, int] = {}
    for at in range(0, len(named), _DEGREE_BATCH):
        batch = _values(named[at:at + _DEGREE_BATCH])
        query = (
            f"SELECT ?n (COUNT(*) AS ?d) WHERE {{ VALUES ?n {{ {batch} }} "
            "{ ?n ?p ?x } UNION { ?x ?p ?n } "
            f"FILTER(isIRI(?x) && ?p NOT IN ({_not_links()})) }} GROUP BY ?n"
        )
        for row in endpoint.select(query):
            try:
                found[row["n"]["value"]] = int(row["d"]["value"])
            except (KeyError, ValueError):
                continue
    sample: dict[int, int] = {}
    for n in named:
        d = found.get(n, 0)
        sample[d] = sample.get(d, 0) + 1
    scale = total / max(1, len(named))
    return {d: max(1, round(c * scale)) for d, c in sorted(sample.items())}


def sampled_links(endpoint: Endpoint, nodes: list[str]) -> list[str]:
    """The predicates that link one of ``nodes`` (a sample of the named nodes) to another
    named resource, in a few indexed requests: :func:`link_predicates` needs one
    ``DISTINCT`` over every triple, which Oxigraph did not answer in five minutes on ten
    million triples. A predicate no sampled node uses is learnt when a fetched node has it."""
    named = [n for n in nodes if writable_iri(n)]
    found: set[str] = set()
    for at in range(0, len(named), _DEGREE_BATCH):
        batch = _values(named[at:at + _DEGREE_BATCH])
        query = (f"SELECT DISTINCT ?p WHERE {{ VALUES ?n {{ {batch} }} "
                 "{ ?n ?p ?x } UNION { ?x ?p ?n } FILTER(isIRI(?x)) }")
        found.update(row["p"]["value"] for row in endpoint.select(query) if "p" in row)
    return sorted(p for p in found if writable_iri(p) and p not in NOT_LINKS)


#: Predicates whose triples say nothing about their object in the view (a type is the
# subject's attribute; scheme membership and schema links make no edge): a class or a
# scheme with thousands of members is fetched without them.
_NOT_ABOUT_OBJECT = ", ".join(f"<{p}>" for p in dict.fromkeys(
    str(p) for p in (RDF.type, *META_PREDICATES)))


def neighbourhood(endpoint: Endpoint, iris: Iterable[str]) -> list[RawTriple]:
    """Every triple whose subject is one of ``iris`` (literals included), and every one
    whose object is, but those that tell the view nothing about their object."""
    named = sorted({i for i in iris if writable_iri(i)})
    if not named:
        return []
    values = _values(named)
    query = (f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?s {{ {values} }} ?s ?p ?o }} UNION "
             f"{{ VALUES ?o {{ {values} }} ?s ?p ?o FILTER(?p NOT IN ({_NOT_ABOUT_OBJECT})) }} }}")
    found = []
    for rows in endpoint.short(query, "?s ?p ?o"):
        found += [t for t in map(raw_triple, rows) if t is not None]
    return found


def endpoint_stats(endpoint: Endpoint, top: int = 100, triples: int | None = None
                   ) -> dict[str, Any]:
    """The VoID figures of :func:`kg.server.stats.graph_stats`, counted by the endpoint
    (a few aggregate queries) instead of reading every triple.

    Bounded on a large store (``triples``, the remembered count, from ``SPLIT_MIN`` on):
    the distinct subjects and objects, which make the engine compare every term of the
    store (7.6 s and 17.6 s in Oxigraph at ten million triples, more than the two
    partitions together), are left out, as VoID allows. A figure besides the property
    partition whose query fails (past the timeout) is left out too (None), instead of the
    whole description; the property partition is required (it gives the triple count)."""
    from rdflib import URIRef

    from kg.rdf.namespaces import PREFIXES

    def one(query: str) -> int | None:
        try:
            rows = endpoint.select(query)
        except GraphLoadError:  # an optional figure the endpoint could not count in time
            return None
        try:
            return int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise endpoint.fail("did not answer a count query with a number") from None

    def partition(query: str) -> list[tuple[Any, int]]:
        found = []
        for rows in endpoint.pages(query):
            for row in rows:
                try:
                    found.append((URIRef(row["k"]["value"]), int(row["n"]["value"])))
                except (KeyError, ValueError):
                    continue
        return found

    properties = partition("SELECT ?k (COUNT(*) AS ?n) WHERE { ?s ?k ?o } GROUP BY ?k "
                           "ORDER BY DESC(?n) ?k")
    try:
        classes: list[tuple[Any, int]] | None = partition(
            f"SELECT ?k (COUNT(*) AS ?n) WHERE {{ ?s <{RDF.type}> ?k }} GROUP BY ?k "
            "ORDER BY DESC(?n) ?k")
    except GraphLoadError:
        classes = None
    large = triples is not None and triples >= SPLIT_MIN
    return {
        "triples": sum(n for _, n in properties),
        "distinctSubjects": None if large else one(
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "distinctObjects": None if large else one(
            "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        "properties": len(properties),
        "classes": None if classes is None else len(classes),
        "entities": one(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?o }}"),
        "vocabularies": sorted({ns for ns in PREFIXES.values()
                                if any(str(p).startswith(ns) for p, _ in properties)}),
        "class_partitions": (classes or [])[:top],
        "property_partitions": properties[:top],
    }
