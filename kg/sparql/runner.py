"""Read-only SPARQL with a deadline: a pool of forked workers that run checked queries.

Queries come from untrusted places (the command line, HTTP clients), so three rules hold
for every query, whoever runs it:

* **read-only**: every SPARQL Update form is refused (:mod:`kg.sparql.check`), and the
  engines are only ever asked to *query*;
* **no network, no files**: ``SERVICE`` is refused, ``FROM`` / ``FROM NAMED`` (and the
  protocol's ``default-graph-uri`` / ``named-graph-uri``) only *select* the loaded graph,
  and as a second wall each worker gives up the right to open any new file or socket
  once it is ready, so even an engine bug cannot reach out;
* **bounded**: no engine can cancel a running query from Python, so queries run in
  forked worker processes that already hold the graph and are killed at the deadline;
  rows are capped and the cap is reported, never applied silently.

Checking lives in :mod:`kg.sparql.check`, evaluation in :mod:`kg.sparql.evaluate` and result
writers in :mod:`kg.sparql.results`. This module knows nothing of HTTP; :mod:`kg.server.sparql`
and ``kg sparql`` both use :class:`QueryRunner`.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from kg.errors import ConfigError, ForbiddenQueryError, QueryError, QueryTimeoutError
from kg.sparql.check import GRAPH_IRI, CheckedQuery, check_query, screen_query
from kg.sparql.evaluate import Evaluator, QueryData
from kg.sparql.results import (
    GRAPH_FORMATS,
    TABULAR_FORMATS,
    TABULAR_KINDS,
    SerializedResult,
    SparqlResult,
    default_format,
    serialize,
)
from kg.sparql.results import serialized as serialized_result

__all__ = [
    "GRAPH_IRI",
    "GRAPH_FORMATS",
    "TABULAR_FORMATS",
    "CheckedQuery",
    "QueryRunner",
    "SerializedResult",
    "SparqlResult",
    "check_query",
    "default_format",
    "run_query",
    "screen_query",
    "serialize",
]


@dataclass
class _Reply:
    """A worker's answer: ``status`` is ok, forbidden or error."""

    status: str
    payload: Any  # SparqlResult / SerializedResult, or the error message
    triples: list[tuple[Node, Node, Node]] | None = None
    restart: bool = False  # the worker exits after sending this
    cacheable: bool = False


def _handle(engine: Evaluator, request: tuple[Any, ...]) -> _Reply:
    """Answer one request inside a worker; every failure becomes an error reply."""
    text, default_graphs, named_graphs, max_rows, formats, base = request
    try:
        result, checked = engine.run(text, default_graphs, named_graphs, max_rows, base)
        if formats is None:
            if result.graph is None:
                return _Reply("ok", result)
            triples = list(result.graph)  # rdflib graphs travel as plain triples
            result.graph = None
            return _Reply("ok", result, triples=triples)
        serialized = serialized_result(result, *formats, engine.namespaces)
        return _Reply("ok", serialized, cacheable=not checked.volatile)
    except ForbiddenQueryError as exc:
        return _Reply("forbidden", str(exc), cacheable=True)
    except QueryError as exc:
        return _Reply("error", str(exc), cacheable=True)
    except MemoryError:
        return _Reply(
            "error", "the query needed more memory than it may use; narrow it.", restart=True
        )
    except RecursionError:
        return _Reply("error", "the query recursed too deeply; simplify it.")
    except Exception as exc:  # an engine bug must not kill the worker silently
        return _Reply("error", f"the query failed: {type(exc).__name__}: {exc}", restart=True)


def _worker_main(data: QueryData, conn: Any, others: list[Any], memory_limit: int | None) -> None:
    """Loop of a worker process: receive a request, answer it, until the pipe closes."""
    import rdflib.plugins.sparql as rdflib_sparql

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for other in others:  # this pipe's parent end and siblings' pipes, inherited by fork
        other.close()
    _limit_memory(memory_limit)
    # This process only ever evaluates our own datasets, whose default graph is explicit.
    rdflib_sparql.SPARQL_DEFAULT_GRAPH_UNION = False
    engine = Evaluator(data)
    _seal_descriptors()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        reply = _handle(engine, request)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        if reply.restart:
            return  # after MemoryError or an engine bug, start afresh


def _limit_memory(limit: int | None) -> None:
    """Cap the worker's address space ``limit`` bytes above what it inherited (Linux)."""
    if not limit:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + limit
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):
        return


def _lowest_free_descriptor() -> int:
    """The lowest file descriptor number not in use by this process."""
    fd = 0
    while True:
        try:
            os.fstat(fd)
        except OSError:
            return fd
        fd += 1


def _seal_descriptors() -> None:
    """Forbid this process any new file descriptor: no socket, no file (POSIX).

    The open-files limit is lowered to the lowest free descriptor number, so every
    ``socket()`` or ``open()`` fails with EMFILE, while the descriptors already open (the
    pipe to the parent, an on-disk store) keep working. A SERVICE clause that got past
    the checks could therefore still not connect anywhere.
    """
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (_lowest_free_descriptor(), hard))
    except (ImportError, OSError, ValueError):
        return


# Queries that take every path a worker can take, run once before forking so that no
# sealed worker needs to import a module (which would mean opening a file).
_WARM_UP_QUERIES = (
    "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(STRLEN(STR(?o)) > 0) } ORDER BY ?s LIMIT 1",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE ?s WHERE { ?s ?p ?o } LIMIT 1",
    'SELECT ?s FROM <urn:x-kg:graph> WHERE { GRAPH ?g { ?s ?p "service" } }',
    'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o != "service") }',
    'ASK { FILTER(REGEX("service", "^s")) }',
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p }",
    "SELECT * WHERE { ?s nope:p ?o }",
    "DROP ALL",
)


def _warm_up() -> None:
    """Import what workers need, and exercise every writer, before forking."""
    from rdflib import Literal, URIRef

    graph = Graph()
    graph.add((URIRef("urn:x-kg:a"), URIRef("urn:x-kg:p"), Literal("service")))
    engine = Evaluator(QueryData(graph))
    for text in _WARM_UP_QUERIES:
        _handle(engine, (text, None, None, 10, ("json", "turtle"), None))
        reply = _handle(engine, (text, None, None, 10, None, None))
        if reply.status != "ok":
            continue
        result: SparqlResult = reply.payload
        formats = TABULAR_FORMATS if result.kind in TABULAR_KINDS else GRAPH_FORMATS
        if reply.triples is not None:
            result.graph = Graph()
            for triple in reply.triples:
                result.graph.add(triple)
        for fmt in formats:
            serialize(result, fmt)


@dataclass
class _Worker:
    process: Any
    conn: Any


class QueryRunner:
    """A small pool of forked worker processes that answer queries with a deadline.

    Each worker is forked from this process and so shares the graph without copying it.
    A worker that overruns its deadline is killed and replaced; the other workers keep
    answering meanwhile. Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        workers: int = 2,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        memory_limit: int | None = 2 << 30,
        cache_entries: int = 512,
        cache_bytes: int = 64 << 20,
    ) -> None:
        if workers < 1:
            raise ConfigError(f"workers={workers}: use at least one query worker.")
        self.data = QueryData(graph)
        self.graph = self.data.graph
        self.timeout = timeout
        self.max_rows = max_rows
        self.workers = workers
        self._memory_limit = memory_limit
        self._ctx = multiprocessing.get_context("fork")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: list[_Worker] = []
        self._spawn_lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], _Reply] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_entries = cache_entries
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self._closed = False
        self.namespaces = self.data.namespaces
        _warm_up()
        for _ in range(workers):
            self._idle.put(self._spawn())

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            if self._closed:
                raise QueryError("the query runner is closed.")
            parent, child = self._ctx.Pipe(duplex=True)
            # the child closes every end that is not its own, this pipe's parent end too:
            # when this process dies, the worker's recv() then ends instead of waiting
            others = [w.conn for w in self._all] + [parent]
            process = self._ctx.Process(
                target=_worker_main,
                args=(self.data, child, others, self._memory_limit),
                daemon=True,
                name="kg-sparql-worker",
            )
            with warnings.catch_warnings():
                # Python 3.12+ warns about fork in a threaded process (the server's). The
                # child runs only engine code whose modules _warm_up imported beforehand,
                # and never touches the parent's threads or their locks.
                warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
                process.start()
            child.close()
            worker = _Worker(process, parent)
            self._all.append(worker)
            return worker

    def _retire(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        with self._spawn_lock:
            if worker in self._all:
                self._all.remove(worker)

    def _call(self, request: tuple[Any, ...], timeout: float,
              deadline: float | None = None) -> _Reply:
        """Send ``request`` to a free worker; waiting for one counts against the deadline.

        ``deadline`` (a ``time.monotonic()`` instant) defaults to ``timeout`` from now; a
        caller that already waited (an HTTP request queued for a slot) passes its own, so
        no query ever runs past its timeout however long it queued.
        """
        if deadline is None:
            deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeoutError(
                f"all {self.workers} query workers stayed busy for the whole timeout "
                f"({timeout:g} s), so the query was stopped before it started; try again "
                "shortly."
            ) from None
        replace = True
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeoutError(
                    f"the query ran longer than {timeout:g} s and was stopped; narrow it "
                    "(add LIMIT, bind more variables) or raise the timeout."
                )
            reply = worker.conn.recv()
            replace = reply.restart
            return reply
        except (EOFError, OSError):
            raise QueryError("the query engine stopped unexpectedly; try again.") from None
        finally:
            if replace:
                self._retire(worker)
                if not self._closed:
                    self._idle.put(self._spawn())
            else:
                self._idle.put(worker)

    @staticmethod
    def _raise(reply: _Reply) -> None:
        if reply.status == "forbidden":
            raise ForbiddenQueryError(reply.payload)
        if reply.status == "error":
            raise QueryError(reply.payload)

    def run(
        self,
        text: str,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> SparqlResult:
        """Run a query and return its rows or graph.

        ``default_graphs`` / ``named_graphs`` (the protocol's dataset) override the
        query's FROM clauses when either is given; they only select loaded graphs.

        Raises:
            ForbiddenQueryError, QueryTimeoutError, QueryError.
        """
        request = (
            text,
            _tuple(default_graphs),
            _tuple(named_graphs),
            max_rows or self.max_rows,
            None,
            None,
        )
        reply = self._call(request, timeout or self.timeout)
        self._raise(reply)
        result: SparqlResult = reply.payload
        if reply.triples is not None:
            graph = Graph()
            for prefix, iri in self.namespaces.items():
                graph.bind(prefix, iri)
            for triple in reply.triples:
                graph.add(triple)
            result.graph = graph
        return result

    def run_serialized(
        self,
        text: str,
        tabular_format: str | None,
        graph_format: str | None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        deadline: float | None = None,
        base: str | None = None,
    ) -> SerializedResult:
        """Run a query and write the result in the worker, in the format for its kind.

        ``SerializedResult.format`` is None when the format for the query's kind is None
        (the caller could not accept it). Relative IRIs resolve against ``base`` (the
        endpoint's own URL for ``/sparql``). Results that cannot change (the graph is
        read-only and the query uses no NOW/RAND/UUID/BNODE) are cached. ``deadline``
        (``time.monotonic()``) bounds waiting and running together.
        """
        request = self._request(
            text, tabular_format, graph_format, max_rows, default_graphs, named_graphs, base
        )
        with self._cache_lock:
            reply = self._cache.get(request)
            if reply is not None:
                self._cache.move_to_end(request)
        if reply is None:
            reply = self._call(request, timeout or self.timeout, deadline)
            self._remember(request, reply)
        self._raise(reply)
        return reply.payload

    def cached(
        self,
        text: str,
        tabular_format: str | None,
        graph_format: str | None,
        *,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base: str | None = None,
    ) -> SerializedResult | None:
        """The cached answer of :meth:`run_serialized`, or None; never blocks for long.

        Raises the cached error when the same query was refused before.
        """
        request = self._request(
            text, tabular_format, graph_format, max_rows, default_graphs, named_graphs, base
        )
        with self._cache_lock:
            reply = self._cache.get(request)
            if reply is None:
                return None
            self._cache.move_to_end(request)
        self._raise(reply)
        return reply.payload

    def _request(
        self,
        text: str,
        tabular_format: str | None,
        graph_format: str | None,
        max_rows: int | None,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base: str | None = None,
    ) -> tuple[Any, ...]:
        return (
            text,
            _tuple(default_graphs),
            _tuple(named_graphs),
            max_rows or self.max_rows,
            (tabular_format, graph_format),
            base,
        )

    def _remember(self, request: tuple[Any, ...], reply: _Reply) -> None:
        size = _reply_size(reply)
        if not reply.cacheable or size > self._cache_bytes // 16:
            return
        with self._cache_lock:
            if request in self._cache:
                return
            self._cache[request] = reply
            self._cached_bytes += size
            while len(self._cache) > self._cache_entries or self._cached_bytes > self._cache_bytes:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= _reply_size(old)

    def close(self) -> None:
        """Stop every worker."""
        with self._spawn_lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)


def _reply_size(reply: _Reply) -> int:
    payload = reply.payload
    return len(payload.body) if isinstance(payload, SerializedResult) else len(str(payload))


def _tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def run_query(
    graph: Graph,
    text: str,
    *,
    timeout: float = 30.0,
    max_rows: int = 10_000,
) -> SparqlResult:
    """Run one query in a forked worker with a wall-clock deadline (for one-shot use)."""
    with QueryRunner(graph, workers=1, timeout=timeout, max_rows=max_rows) as runner:
        return runner.run(text)
