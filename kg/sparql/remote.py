"""Read-only SPARQL passed through to a remote endpoint, with the local runner's checks.

With ``--sparql-endpoint``, ``kg sparql``, ``kg serve``'s ``/sparql`` and the MCP tool send
the query to the endpoint instead of copying its graph. The same rules hold as for a
local graph (:mod:`kg.sparql.runner`): the text is parsed first and every update form,
``SERVICE``, ``LOAD`` and dataset clause (``FROM``, ``default-graph-uri``) is refused before
anything is sent; the endpoint is given the query's timeout; rows beyond the row cap are
dropped and the cut reported. When the endpoint itself cuts the answer at its own cap
(Virtuoso says so in ``X-SPARQL-MaxRows``, or the answer is exactly its known cap), the
result is marked truncated too, never passed on as if whole.

Results come back as SPARQL JSON (SELECT/ASK) or N-Triples/Turtle (CONSTRUCT/DESCRIBE) and
are turned into the same :class:`~kg.sparql.results.SparqlResult` a local query gives, so
every output format is written by the same code.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from rdflib import Graph

from kg.errors import ForbiddenQueryError, QueryError, QueryTimeoutError
from kg.rdf.namespaces import PREFIXES
from kg.rdf.remote import Endpoint
from kg.rdf.remote_store import term
from kg.sparql.check import check_query, missing_prefixes
from kg.sparql.results import (
    TABULAR_KINDS,
    SerializedResult,
    SparqlResult,
    serialized,
)

__all__ = ["RemoteRunner"]

_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RDF_FORMATS = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
                "application/x-turtle": "turtle", "application/rdf+xml": "xml",
                "application/ld+json": "json-ld"}


class RemoteRunner:
    """The :class:`~kg.sparql.runner.QueryRunner` interface over a remote endpoint."""

    #: no local query workers: the endpoint runs every query (``/healthz`` says 0)
    workers = 0

    def __init__(self, endpoint: Endpoint, *, timeout: float = 30.0, max_rows: int = 10_000,
                 cache_entries: int = 256) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.max_rows = max_rows
        self.namespaces = dict(PREFIXES)
        self._cache: OrderedDict[tuple[Any, ...], SerializedResult | QueryError] = OrderedDict()
        self._entries = cache_entries
        self._lock = threading.Lock()

    def __enter__(self) -> RemoteRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to stop: the endpoint runs the queries."""

    def run(self, text: str, *, timeout: float | None = None, max_rows: int | None = None,
            default_graphs: Sequence[str] | None = None,
            named_graphs: Sequence[str] | None = None,
            deadline: float | None = None, base: str | None = None) -> SparqlResult:
        """Check ``text``, run it on the endpoint and return its rows or graph.

        Raises:
            ForbiddenQueryError: an update, SERVICE, LOAD or a dataset clause.
            QueryTimeoutError: the endpoint did not answer within the timeout.
            QueryError: the query is malformed, or the endpoint failed (named).
        """
        checked = check_query(text, self.namespaces)
        if checked.from_graphs or checked.from_named or default_graphs or named_graphs:
            raise ForbiddenQueryError(
                "FROM, FROM NAMED and the dataset parameters are not passed to a SPARQL "
                "endpoint used in place: query its default graph, or use GRAPH ?g { ... }.")
        declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in
                           missing_prefixes(checked.text, self.namespaces).items())
        if base:  # relative IRIs resolve against our URL, not the endpoint's
            declared = f"BASE <{base}>\n{declared}"
        limit = max_rows or self.max_rows
        wait = timeout or self.timeout
        if deadline is not None:
            wait = max(0.001, min(wait, deadline - time.monotonic()))
        started = time.perf_counter()
        kept = self.endpoint.timeout
        self.endpoint.timeout = wait
        try:
            tabular = checked.kind in TABULAR_KINDS
            reply = self.endpoint.request(
                declared + checked.text,
                "application/sparql-results+json" if tabular else _GRAPH_ACCEPT)
        except Exception as exc:
            if f"did not answer within {wait:g} s" in str(exc):
                raise QueryTimeoutError(
                    f"{self.endpoint.url} did not answer within {wait:g} s; narrow the query "
                    "(add LIMIT, bind more variables) or raise the timeout.") from None
            if "answered HTTP 4" in str(exc):
                raise QueryError(f"{exc}") from None
            raise
        finally:
            self.endpoint.timeout = kept
        result = (self._rows(checked.kind, reply, limit) if tabular
                  else self._graph(checked.kind, reply, limit))
        result.elapsed = time.perf_counter() - started
        return result

    def _rows(self, kind: str, reply: Any, limit: int) -> SparqlResult:
        if kind == "ASK":
            try:
                boolean = json.loads(reply.body)["boolean"]
            except (ValueError, KeyError, TypeError):
                raise self.endpoint.fail("answered an ASK query without a boolean") from None
            return SparqlResult(kind="ASK", boolean=bool(boolean))
        rows = self.endpoint.parse(reply)
        try:
            names = list(json.loads(reply.body)["head"]["vars"])
        except (ValueError, KeyError, TypeError):
            names = sorted({n for r in rows for n in r})
        capped = _capped(self.endpoint, len(rows), reply)
        kept = [tuple(term(r[n]) if n in r else None for n in names) for r in rows[:limit]]
        return SparqlResult(kind=kind, vars=names, rows=kept,
                            truncated=len(rows) > limit or capped)

    def _graph(self, kind: str, reply: Any, limit: int) -> SparqlResult:
        fmt = _RDF_FORMATS.get(reply.media)
        if fmt is None:
            raise self.endpoint.fail(f"answered a {kind} query with {reply.media or 'no type'}, "
                                     "not RDF")
        whole = Graph()
        try:
            whole.parse(data=reply.body, format=fmt)
        except Exception:
            raise self.endpoint.fail(f"answered a {kind} query with malformed or cut-off "
                                     "RDF") from None
        graph = Graph()
        for prefix, iri in self.namespaces.items():
            graph.bind(prefix, iri)
        for n, triple in enumerate(sorted(whole)):
            if n >= limit:
                break
            graph.add(triple)
        return SparqlResult(kind=kind, graph=graph,
                            truncated=len(whole) > limit or _capped(self.endpoint, len(whole),
                                                                     reply))

    def run_serialized(self, text: str, tabular_format: str | None, graph_format: str | None,
                       *, timeout: float | None = None, max_rows: int | None = None,
                       default_graphs: Sequence[str] | None = None,
                       named_graphs: Sequence[str] | None = None,
                       deadline: float | None = None,
                       base: str | None = None) -> SerializedResult:
        """Run a query and write the result in the format for its kind (cached)."""
        key = self._key(text, tabular_format, graph_format, max_rows, default_graphs,
                        named_graphs, base)
        try:
            result = self.run(text, timeout=timeout, max_rows=max_rows,
                              default_graphs=default_graphs, named_graphs=named_graphs,
                              deadline=deadline, base=base)
        except (ForbiddenQueryError, QueryTimeoutError):
            raise
        except QueryError as exc:
            self._remember(key, exc)
            raise
        done = serialized(result, tabular_format, graph_format, self.namespaces)
        self._remember(key, done)
        return done

    def cached(self, text: str, tabular_format: str | None, graph_format: str | None, *,
               max_rows: int | None = None, default_graphs: Sequence[str] | None = None,
               named_graphs: Sequence[str] | None = None,
               base: str | None = None) -> SerializedResult | None:
        """The answer this runner gave the same request lately, or None.

        Answers are kept for a short while only: the endpoint's data can change."""
        key = self._key(text, tabular_format, graph_format, max_rows, default_graphs,
                        named_graphs, base)
        with self._lock:
            found = self._cache.get(key)
        if isinstance(found, QueryError):
            raise found
        return found

    def _key(self, *parts: Any) -> tuple[Any, ...]:
        return tuple(tuple(p) if isinstance(p, list) else p for p in parts)

    def _remember(self, key: tuple[Any, ...], value: SerializedResult | QueryError) -> None:
        if isinstance(value, SerializedResult) and len(value.body) > 4 << 20:
            return
        with self._lock:
            self._cache[key] = value
            self._cache.move_to_end(key)
            while len(self._cache) > self._entries:
                self._cache.popitem(last=False)


def _capped(endpoint: Endpoint, count: int, reply: Any) -> bool:
    """Whether the endpoint cut this answer at its own row cap."""
    cap = reply.cap or endpoint.cap
    return bool(cap) and count >= cap
