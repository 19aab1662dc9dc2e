"""Evaluating checked queries inside a worker: Oxigraph for speed, rdflib where it must.

Oxigraph (Rust) parses and answers a label lookup in tens of microseconds, where
rdflib's pyparsing grammar alone takes milliseconds. So queries run in Oxigraph, with
one exception: Oxigraph follows a ``SERVICE`` clause over HTTP, so a text that mentions
"service" anywhere (say in a string) runs in rdflib, whose own parse found no SERVICE
clause in it (see :mod:`kg.sparql.check`). Both engines see the same dataset: the loaded
graph as the default graph and as the one named graph ``GRAPH_IRI``.

:class:`QueryData` is made once, in the parent process, before the workers fork, so the
workers share it without copying.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from itertools import islice
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError
from kg.gcpause import gc_paused
from kg.rdf.namespaces import PREFIXES
from kg.sparql.check import GRAPH_IRI, CheckedQuery, check_query, screen_query
from kg.sparql.results import SparqlResult

__all__ = ["Evaluator", "QueryData"]

_XSD_STRING = str(XSD.string)


class QueryData:
    """The graph prepared for querying: the rdflib graph and an Oxigraph store of it.

    A graph already held by Oxigraph (``--store oxigraph``) is queried in place; any
    other graph is copied once into an in-memory Oxigraph store. A graph read from a
    remote endpoint is first copied locally, so that no query ever goes back out.
    """

    def __init__(self, graph: Graph) -> None:
        from kg.rdf.store import oxigraph_of

        if type(graph.store).__name__ == "SPARQLStore":
            local = Graph()
            for prefix, iri in graph.namespaces():
                local.bind(prefix, iri)
            local += graph
            graph = local
        self.graph = graph
        self.namespaces = {**{p: str(n) for p, n in graph.namespaces()}, **PREFIXES}
        self.graph_name = ox.NamedNode(GRAPH_IRI)
        inner = oxigraph_of(graph)
        #: triples Oxigraph cannot hold (IRIs it finds invalid, say with spaces); when
        #: there are any, every query runs in rdflib, so that no answer misses them
        self.skipped = 0
        if inner is not None:
            self.store = inner
        else:
            self.store, self.skipped = _copy_to_oxigraph(graph, self.graph_name)


@gc_paused()
def _copy_to_oxigraph(graph: Graph, name: Any) -> tuple[Any, int]:
    store = ox.Store()
    cache: dict[Node, Any] = {}
    quads = []
    skipped = 0
    for s, p, o in graph:
        try:
            quads.append(ox.Quad(_ox_term(s, cache), _ox_term(p, cache), _ox_term(o, cache), name))
        except (ValueError, TypeError):
            skipped += 1
    store.extend(quads)
    return store, skipped


def _ox_term(term: Node, cache: dict[Node, Any]) -> Any:
    found = cache.get(term)
    if found is not None:
        return found
    if isinstance(term, URIRef):
        made = ox.NamedNode(str(term))
    elif isinstance(term, BNode):
        made = ox.BlankNode(str(term))
    elif isinstance(term, Literal):
        if term.language:
            made = ox.Literal(str(term), language=term.language)
        elif term.datatype is not None:
            made = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        else:
            made = ox.Literal(str(term))
    else:
        raise TypeError(f"unsupported term {term!r}")
    if len(cache) < 200_000:
        cache[term] = made
    return made


def _rdflib_term(term: Any) -> Node | None:
    """An Oxigraph term as the rdflib term the result writers take."""
    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if kind is ox.BlankNode:
        return BNode(term.value)
    return Literal(str(term))  # an RDF-star quoted triple, shown as text


def _dataset(
    checked: CheckedQuery,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
) -> tuple[bool, bool]:
    """Whether the loaded graph is the default graph, and whether it is a named graph.

    The protocol's ``default-graph-uri`` / ``named-graph-uri`` override FROM clauses. A
    name the server does not hold stands for an empty graph (as in Oxigraph and Fuseki):
    it is never fetched and never an error. FROM clauses were checked when parsed.
    """
    if default_graphs is None and named_graphs is None:
        default_graphs, named_graphs = checked.from_graphs, checked.from_named
        if not default_graphs and not named_graphs:
            return True, True
    return GRAPH_IRI in (default_graphs or ()), GRAPH_IRI in (named_graphs or ())


class Evaluator:
    """Runs checked queries in-process; lives inside a worker process."""

    def __init__(self, data: QueryData, cache_size: int = 256) -> None:
        self.data = data
        self.namespaces = data.namespaces
        self._checked: OrderedDict[str, CheckedQuery] = OrderedDict()
        self._cache_size = cache_size
        self._datasets: dict[tuple[bool, bool], Dataset] = {}

    def check(self, text: str) -> CheckedQuery:
        """screen_query with an LRU cache (a full parse costs milliseconds)."""
        checked = self._checked.get(text)
        if checked is not None:
            self._checked.move_to_end(text)
            return checked
        checked = screen_query(text, self.namespaces)
        self._checked[text] = checked
        if len(self._checked) > self._cache_size:
            self._checked.popitem(last=False)
        return checked

    def run(
        self,
        text: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        max_rows: int,
        base: str | None = None,
    ) -> tuple[SparqlResult, CheckedQuery]:
        """Check, then evaluate with rows capped at ``max_rows``; relative IRIs resolve
        against ``base`` (the endpoint's own URL, as the SPARQL protocol expects).

        Raises:
            ForbiddenQueryError, QueryError.
        """
        start = time.perf_counter()
        checked = self.check(text)
        use_default, use_named = _dataset(checked, default_graphs, named_graphs)
        if checked.rdflib_only or self.data.skipped:
            if checked.query is None:  # cleared by the screen, never parsed: parse it now
                checked = check_query(text, self.namespaces)
            result = self._run_rdflib(checked, use_default, use_named, max_rows)
        else:
            result = self._run_oxigraph(checked, use_default, use_named, max_rows, base)
        result.elapsed = time.perf_counter() - start
        return result, checked

    # ------------------------------------------------------------------ Oxigraph
    def _run_oxigraph(
        self, checked: CheckedQuery, use_default: bool, use_named: bool, max_rows: int,
        base: str | None = None,
    ) -> SparqlResult:
        name = self.data.graph_name
        try:
            out = self.data.store.query(
                checked.text,
                base_iri=base,
                prefixes=checked.prefixes or None,
                default_graph=[name] if use_default else [],
                named_graphs=[name] if use_named else [],
            )
        except SyntaxError as exc:
            if checked.query is None:
                check_query(checked.text, self.namespaces)  # words the error, or refuses
            raise QueryError(f"SPARQL syntax error: {exc}.") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed while running: {exc}") from None
        try:
            return _collect(out, checked.kind, max_rows)
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"the query failed while running: {exc}") from None

    # ------------------------------------------------------------------ rdflib
    def _run_rdflib(
        self, checked: CheckedQuery, use_default: bool, use_named: bool, max_rows: int
    ) -> SparqlResult:
        from rdflib.plugins.sparql.evaluate import evalQuery

        target = self._target(checked, use_default, use_named)
        result = SparqlResult(kind=checked.kind)
        try:
            out = evalQuery(target, checked.query)
            if checked.kind == "SELECT":
                result.vars = [str(v) for v in out["vars_"]]
                variables = list(out["vars_"])
                for binding in islice(out["bindings"], max_rows + 1):
                    if len(result.rows) == max_rows:
                        result.truncated = True
                        break
                    result.rows.append(tuple(binding.get(v) for v in variables))
            elif checked.kind == "ASK":
                result.boolean = bool(out["askAnswer"])
            else:
                graph: Graph = out["graph"]
                if len(graph) > max_rows:
                    kept = Graph()
                    kept += islice(graph, max_rows)
                    graph, result.truncated = kept, True
                result.graph = graph
        except RecursionError:
            raise QueryError(
                "the query recursed too deeply (a * or + property path over a long chain "
                "does this); bound the path length or walk the chain step by step."
            ) from None
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(f"the query failed while running: {exc}") from None
        return result

    def _target(self, checked: CheckedQuery, use_default: bool, use_named: bool) -> Graph:
        graph = self.data.graph
        if not checked.uses_graph:
            return graph if use_default else Graph()
        key = (use_default, use_named)
        if key not in self._datasets:
            # Built once per worker, and only for queries that use GRAPH.
            dataset = Dataset(default_union=False)
            if use_default:
                dataset.default_graph += graph
            if use_named:
                named = dataset.graph(URIRef(GRAPH_IRI))
                named += graph
            self._datasets[key] = dataset
        return self._datasets[key]


def _collect(out: Any, kind: str, max_rows: int) -> SparqlResult:
    """Read an Oxigraph result into a SparqlResult, rows capped at ``max_rows``."""
    if isinstance(out, ox.QueryBoolean):
        return SparqlResult(kind="ASK", boolean=bool(out))
    if isinstance(out, ox.QuerySolutions):
        result = SparqlResult(kind="SELECT")
        variables = list(out.variables)
        result.vars = [v.value for v in variables]
        for solution in out:
            if len(result.rows) == max_rows:
                result.truncated = True
                break
            result.rows.append(tuple(_rdflib_term(solution[v]) for v in variables))
        return result
    result = SparqlResult(kind=kind if kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT")
    graph = Graph()
    for triple in out:
        if len(graph) == max_rows:
            result.truncated = True
            break
        graph.add(
            (
                _rdflib_term(triple.subject),
                _rdflib_term(triple.predicate),
                _rdflib_term(triple.object),
            )
        )
    result.graph = graph
    return result
