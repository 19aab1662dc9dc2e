"""An rdflib graph over a SPARQL endpoint, read in place: each pattern is one query.

The commands that read the rdflib graph directly (a concept's card and its page ask for a
node's sources and OWL restrictions, the classes that make a concept, predicates' inverses)
get a :class:`rdflib.Graph` whose store is :class:`EndpointStore`. A pattern with a named
subject reads all of that subject's triples at once, with the blank nodes they reach
(restrictions, lists' first cells), and keeps them in a bounded cache, so the next patterns
on the same subject cost nothing; any other pattern is one query, its answer cached too.
Requests go through the endpoint's client (:class:`~kg.rdf.remote.Endpoint`), so they share
its connection, headers, timeouts and error messages. Reading every triple (``for t in
graph``) pages by subject, as a copy would.

Blank nodes keep the labels the endpoint gives them; a pattern naming a blank node is
answered from the cache only (SPARQL has no way to name one), which holds every blank
node reached from a subject read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.store import Store

from kg.rdf.namespaces import PREFIXES
from kg.rdf.remote import Endpoint, Row

__all__ = ["EndpointStore", "endpoint_graph", "term"]

_SUBJECTS = 4096  # subjects whose triples are kept
_PATTERNS = 1024  # other patterns' answers kept
_KEPT_ROWS = 10_000  # a longer answer (a predicate over the whole graph) is not kept
Triple = tuple[Any, Any, Any]


def term(value: dict[str, str]) -> Any:
    """One SPARQL JSON result term as an rdflib term."""
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    lang = value.get("xml:lang")
    datatype = value.get("datatype")
    return Literal(value.get("value", ""), lang=lang or None,
                   datatype=URIRef(datatype) if datatype and not lang else None)


def _sparql(node: Any) -> str:
    return node.n3()


class EndpointStore(Store):
    """A read-only rdflib store whose triples live in a SPARQL endpoint (see the module)."""

    context_aware = False
    formula_aware = False
    graph_aware = False
    transaction_aware = False

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__()
        self.endpoint = endpoint
        self._lock = threading.RLock()
        self._subjects: OrderedDict[Any, list[Triple]] = OrderedDict()
        self._patterns: OrderedDict[tuple[Any, Any, Any], list[Triple]] = OrderedDict()
        self._count: int | None = None

    # ------------------------------------------------------------ reading
    def prefetch(self, subjects: Iterable[Any]) -> None:
        """Read the triples of these named subjects, 64 to a query."""
        with self._lock:
            todo = [s for s in dict.fromkeys(subjects)
                    if isinstance(s, URIRef) and s not in self._subjects]
            for at in range(0, len(todo), 64):
                self._read_subjects(todo[at:at + 64])

    def _read_subjects(self, subjects: list[URIRef]) -> None:
        values = " ".join(_sparql(s) for s in subjects)
        query = (f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?s {{ {values} }} ?s ?p ?o }} UNION "
                 f"{{ VALUES ?t {{ {values} }} ?t ?q ?s FILTER(isBlank(?s)) ?s ?p ?o }} }} "
                 "ORDER BY ?s ?p ?o")
        found: dict[Any, list[Triple]] = {s: [] for s in subjects}
        for rows in self.endpoint.pages(query):
            for row in rows:
                triple = _triple(row)
                if triple is not None:
                    found.setdefault(triple[0], []).append(triple)
        for s, triples in found.items():
            self._subjects[s] = triples
            self._subjects.move_to_end(s)
        while len(self._subjects) > _SUBJECTS:
            self._subjects.popitem(last=False)

    def _pattern(self, s: Any, p: Any, o: Any) -> list[Triple]:
        """The triples of one pattern with no subject given: read without holding the
        store's lock (a long one, a predicate over the whole graph, must not hold up a
        concept's card), and kept when short."""
        key = (s, p, o)
        with self._lock:
            found = self._patterns.get(key)
            if found is not None:
                self._patterns.move_to_end(key)
                return found
        head = " ".join(f"?{n}" for n, t in zip("spo", key, strict=True) if t is None)
        where = " ".join(_sparql(t) if t is not None else f"?{n}"
                         for n, t in zip("spo", key, strict=True))
        found = []  # (the subject is never given here: a named one reads all its triples)
        for rows in self.endpoint.every(head, where, "s", head.replace("?s", "").strip()):
            for row in rows:
                try:
                    found.append(tuple(term(row[n]) if t is None else t
                                       for n, t in zip("spo", key, strict=True)))
                except KeyError:
                    continue
        if len(found) <= _KEPT_ROWS:
            with self._lock:
                self._patterns[key] = found
                while len(self._patterns) > _PATTERNS:
                    self._patterns.popitem(last=False)
        return found

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        """The triples matching ``(s, p, o)`` (None for any), as rdflib asks a store."""
        s, p, o = triple_pattern
        if s is None and p is None and o is None:
            for triple in self._every():
                yield triple, iter(())
            return
        with self._lock:
            if isinstance(s, BNode):
                found = [t for known in self._subjects.values() for t in known if t[0] == s]
            elif isinstance(s, URIRef):
                if s not in self._subjects:
                    self._read_subjects([s])
                found = [t for t in self._subjects[s] if t[0] == s]
            elif (s is not None or not isinstance(p, (URIRef, type(None)))
                  or isinstance(o, BNode)):
                found = []  # a literal subject has no triples; a blank node cannot be sent
            else:
                found = None
        if found is None:
            found = self._pattern(s, p, o)
        for t in found:
            if (p is None or t[1] == p) and (o is None or t[2] == o):
                yield t, iter(())

    def _every(self) -> Iterator[Triple]:
        for rows in self.endpoint.by_key("?s ?p ?o", "?s ?p ?o", "?s ?p ?o"):
            for row in rows:
                triple = _triple(row)
                if triple is not None:
                    yield triple
        query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s)) } ORDER BY ?s ?p ?o"
        for rows in self.endpoint.pages(query):
            for row in rows:
                triple = _triple(row)
                if triple is not None:
                    yield triple

    def __len__(self, context: Any = None) -> int:
        if self._count is None:
            self._count = self.endpoint.count()
        return self._count

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        """The project's prefixes (an endpoint does not say which its data uses)."""
        for prefix, iri in PREFIXES.items():
            yield prefix, URIRef(iri)

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        """Prefixes are not kept: the graph is read-only."""

    def namespace(self, prefix: str) -> URIRef | None:
        iri = PREFIXES.get(prefix)
        return URIRef(iri) if iri else None

    def prefix(self, namespace: Any) -> str | None:
        return next((p for p, i in PREFIXES.items() if i == str(namespace)), None)

    def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
        raise TypeError("a graph read from a SPARQL endpoint is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("a graph read from a SPARQL endpoint is read-only")


def _triple(row: Row) -> Triple | None:
    try:
        s, p, o = term(row["s"]), term(row["p"]), term(row["o"])
    except KeyError:
        return None
    return (s, p, o) if not isinstance(s, Literal) else None


def endpoint_graph(endpoint: Endpoint) -> Graph:
    """A read-only rdflib graph over ``endpoint`` (see the module docstring)."""
    return Graph(store=EndpointStore(endpoint))
