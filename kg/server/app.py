"""The HTTP face of the graph: a read-only SPARQL 1.1 Protocol endpoint plus ``/ask``.

Built on Starlette (run by uvicorn) rather than on rdflib-endpoint: rdflib-endpoint runs
each query on the event loop, where one slow query stalls every client and cannot be
stopped. Here queries go to :class:`kg.sparql.runner.QueryRunner` (forked workers killed at the
deadline) while the event loop keeps answering. Everything about query safety lives in
:mod:`kg.sparql.runner`; this module only speaks HTTP: parameters, bodies, content negotiation,
status codes, CORS, service description and VoID.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kg.errors import (
    ForbiddenQueryError,
    KgError,
    NotFoundError,
    QueryError,
    QueryTimeoutError,
)
from kg.sparql.runner import GRAPH_FORMATS, GRAPH_IRI, TABULAR_FORMATS, QueryRunner
from kg.workspace import Workspace

__all__ = ["STATUS", "ServerSettings", "create_app", "uvicorn_options"]

log = logging.getLogger("kg.server.app")

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")

#: Library error -> HTTP status; the first matching class wins.
STATUS: tuple[tuple[type[KgError], int], ...] = (
    (ForbiddenQueryError, 403),
    (QueryTimeoutError, 503),
    (QueryError, 400),
    (NotFoundError, 404),
    (KgError, 500),
)

# Media type -> format name, per kind of result, in order of preference.
_TABULAR_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
_GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
# ``format`` parameter (for browsers and SPARQLWrapper) -> (tabular, graph) format names.
_FORMAT_PARAM: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "xml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "table": ("table", None),
    "text": ("table", "ntriples"),
    "txt": ("table", "ntriples"),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "turtle"),
    "ntriples": (None, "ntriples"),
    "nt": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdf": (None, "xml"),
    "rdfxml": (None, "xml"),
    "rdf+xml": (None, "xml"),
}
_W3C_FORMAT = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")


@dataclass(frozen=True)
class ServerSettings:
    """Limits of the HTTP endpoint (the CLI fills these from its flags)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1 << 20
    max_query: int = 64 << 10
    workers: int = max(2, min(4, os.cpu_count() or 2))
    memory_limit: int | None = 2 << 30
    queue_timeout: float = 30.0  # how long a request may wait for a free worker


class _Service:
    """What the routes share: the runner, the graph statistics and the engine lock."""

    def __init__(self, workspace: Workspace, settings: ServerSettings) -> None:
        self.workspace = workspace
        self.settings = settings
        self.runner: QueryRunner | None = None
        self.slots = asyncio.Semaphore(settings.workers)
        self._stats: dict[str, Any] | None = None
        self._stats_lock = threading.Lock()
        self.ask_lock = threading.Lock()

    def start(self) -> None:
        graph = self.workspace.graph
        self.runner = QueryRunner(
            graph,
            workers=self.settings.workers,
            timeout=self.settings.timeout,
            max_rows=self.settings.max_rows,
            memory_limit=self.settings.memory_limit,
        )
        skipped = self.runner.data.skipped
        if skipped:
            log.warning(
                "%d triples hold IRIs that Oxigraph refuses (spaces or other characters IRIs "
                "may not contain); every query runs in rdflib instead, which is slower",
                skipped,
            )
        self.stats()

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None

    def stats(self) -> dict[str, Any]:
        """Counts for VoID and the service description, computed once."""
        with self._stats_lock:
            if self._stats is None:
                self._stats = _graph_stats(self.workspace.graph)
            return self._stats


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """Options uvicorn needs for these limits (shared by ``kg serve`` and the tests)."""
    return {
        # Let long query strings reach the app, which answers 414 with a readable message.
        "h11_max_incomplete_event_size": settings.max_query * 4 + 16384,
        "access_log": False,  # _AccessLog writes one line per request instead
        "timeout_graceful_shutdown": 2,
    }


def create_app(workspace: Workspace, settings: ServerSettings | None = None) -> Starlette:
    """Build the ASGI app serving ``workspace``'s graph; the graph loads at startup."""
    settings = settings or ServerSettings()
    service = _Service(workspace, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        try:
            yield
        finally:
            service.stop()

    routes = [
        Route("/", _index, methods=["GET"]),
        Route("/sparql", _bind(_sparql, service), methods=["GET", "POST"]),
        Route("/void", _bind(_void, service), methods=["GET"]),
        Route("/.well-known/void", _bind(_void, service), methods=["GET"]),
        Route("/ask", _bind(_ask, service), methods=["GET"]),
        Route("/healthz", _bind(_healthz, service), methods=["GET"]),
    ]
    middleware = [
        Middleware(_AccessLog),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["X-KG-Truncated", "X-KG-Rows"],
            max_age=600,
        ),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, KgError: _kg_error},
    )


def _bind(handler: Callable[..., Any], service: _Service) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        return await handler(request, service)

    return endpoint


# --------------------------------------------------------------------------- errors


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    _note(request, str(exc.detail))
    return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code,
                             headers=exc.headers)


async def _kg_error(request: Request, exc: Exception) -> Response:
    status = next(code for cls, code in STATUS if isinstance(exc, cls))
    _note(request, type(exc).__name__)
    return PlainTextResponse(f"{exc}\n", status_code=status)


def _note(request: Request, text: str) -> None:
    request.state.kg_note = text.splitlines()[0][:120] if text else ""


# --------------------------------------------------------------------------- /sparql


async def _sparql(request: Request, service: _Service) -> Response:
    settings = service.settings
    params = _query_params(request)
    if request.method == "POST":
        ctype, charset = _content_type(request)
        body = await _read_body(request, settings.max_body)
        if ctype == "application/x-www-form-urlencoded":
            params = _merge(params, _parse_params(body, "request body"))
        elif ctype == "application/sparql-query":
            params = _merge(params, {"query": [_decode(body, charset)]})
        elif ctype == "application/sparql-update":
            raise ForbiddenQueryError("SPARQL Update is refused: this endpoint is read-only.")
        else:
            raise HTTPException(
                415,
                f"unsupported Content-Type {ctype or '(none)'!r}: send the query as "
                "application/x-www-form-urlencoded (query=...) or application/sparql-query.",
            )
    if "update" in params:
        raise ForbiddenQueryError("SPARQL Update is refused: this endpoint is read-only.")
    queries = params.get("query", [])
    if not queries:
        if request.method == "GET" and not any(p in params for p in _DATASET_PARAMS):
            return _describe(request, service, _service_description)
        raise HTTPException(400, "missing query: pass the SPARQL query as 'query'.")
    if len(queries) > 1:
        raise HTTPException(400, "the 'query' parameter was given more than once; send one.")
    text = queries[0]
    if len(text.encode("utf-8")) > settings.max_query:
        status = 414 if request.method == "GET" else 413
        raise HTTPException(
            status,
            f"the query is {len(text.encode('utf-8')):,} bytes, over the limit of "
            f"{settings.max_query:,} bytes.",
        )
    tabular, graph_fmt = _formats(request, params)
    default_graphs = params.get("default-graph-uri")
    named_graphs = params.get("named-graph-uri")
    if default_graphs is not None or named_graphs is not None:
        default_graphs, named_graphs = default_graphs or [], named_graphs or []
    runner = service.runner
    assert runner is not None
    kwargs: dict[str, Any] = {"default_graphs": default_graphs, "named_graphs": named_graphs}
    result = runner.cached(text, tabular, graph_fmt, **kwargs)
    if result is None:
        try:
            await asyncio.wait_for(service.slots.acquire(), timeout=settings.queue_timeout)
        except TimeoutError:
            raise QueryTimeoutError(
                f"all query workers stayed busy for {settings.queue_timeout:g} s; try again."
            ) from None
        try:
            result = await run_in_threadpool(
                runner.run_serialized, text, tabular, graph_fmt, **kwargs
            )
        finally:
            service.slots.release()
    if result.format is None:
        names = TABULAR_FORMATS if result.kind in ("SELECT", "ASK") else GRAPH_FORMATS
        raise HTTPException(
            406,
            f"a {result.kind} result cannot be given in the requested format; acceptable "
            f"types: {', '.join(_media(v) for v in names.values())}.",
        )
    headers = {"X-KG-Rows": str(result.count)}
    if result.truncated:
        headers["X-KG-Truncated"] = f"max-rows={settings.max_rows}"
    _note(request, f"{result.kind} rows={result.count}" + (" truncated" if result.truncated
                                                             else ""))
    return Response(result.body, media_type=result.media_type, headers=headers)


def _query_params(request: Request) -> dict[str, list[str]]:
    raw = request.scope.get("query_string", b"")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the URL query string is not valid UTF-8.") from None
    return _parse_params(text, "URL")


def _parse_params(data: bytes | str, where: str) -> dict[str, list[str]]:
    """Decode form/URL parameters strictly: bad percent-escapes or UTF-8 are a 400."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=200)
    except UnicodeDecodeError:
        raise HTTPException(400, f"the {where} parameters are not valid UTF-8.") from None
    except ValueError as exc:
        raise HTTPException(400, f"the {where} parameters are malformed: {exc}") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def _merge(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in a.items()}
    for key, values in b.items():
        out.setdefault(key, []).extend(values)
    return out


def _content_type(request: Request) -> tuple[str, str]:
    raw = request.headers.get("content-type", "")
    media, _, rest = raw.partition(";")
    charset = "utf-8"
    for part in rest.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return media.strip().lower(), charset


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset)
    except LookupError:
        raise HTTPException(415, f"unknown charset {charset!r}; send UTF-8.") from None
    except UnicodeDecodeError:
        raise HTTPException(400, f"the request body is not valid {charset.upper()}.") from None


async def _read_body(request: Request, limit: int) -> bytes:
    """Read at most ``limit`` bytes; drain (bounded) the rest so the 413 reaches the client."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > 64 * limit:
            break
    if size > limit:
        raise HTTPException(
            413, f"the request body is over the limit of {limit:,} bytes; send a smaller query."
        )
    return b"".join(chunks)


def _formats(request: Request, params: dict[str, list[str]]) -> tuple[str | None, str | None]:
    """The (tabular, graph) formats to answer in, from ``format`` or the Accept header."""
    names = params.get("format") or params.get("output")
    if names:
        name = names[0].strip().lower()
        if name in _FORMAT_PARAM:
            return _FORMAT_PARAM[name]
        if "/" not in name:
            raise HTTPException(
                406, f"unknown format {name!r}; use one of {', '.join(_FORMAT_PARAM)}."
            )
        accept = name
    else:
        accept = request.headers.get("accept", "")
    tabular = _negotiate(accept, _TABULAR_MEDIA, "json")
    graph_fmt = _negotiate(accept, _GRAPH_MEDIA, "turtle")
    if tabular is None and graph_fmt is None:
        offered = sorted(set(_TABULAR_MEDIA) | set(_GRAPH_MEDIA))
        raise HTTPException(406, f"cannot answer in {accept!r}; acceptable: {', '.join(offered)}.")
    return tabular, graph_fmt


def _negotiate(accept: str, table: dict[str, str], default: str) -> str | None:
    """Pick the format for the best acceptable media type (q-values honoured)."""
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept.split(",")):
        media, *options = (part.strip() for part in item.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranked.append((-quality, index, media.lower()))
    for _, _, media in sorted(ranked):
        if media in table:
            return table[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            major = media[:-1]
            for known, fmt in table.items():
                if known.startswith(major):
                    return fmt
    return None


def _media(value: str) -> str:
    return value.split(";")[0]


# --------------------------------------------------------------------------- descriptions


def _describe(
    request: Request, service: _Service, build: Callable[[Request, _Service], Graph]
) -> Response:
    params = _query_params(request)
    if params.get("format"):
        name = params["format"][0].lower()
        fmt = _FORMAT_PARAM.get(name, (None, None))[1]
    else:
        fmt = _negotiate(request.headers.get("accept", ""), _GRAPH_MEDIA, "turtle")
        if fmt is None and "text/html" in request.headers.get("accept", ""):
            fmt = "turtle"  # a browser: show Turtle rather than refuse
    if fmt is None:
        raise HTTPException(406, "the description is available as "
                            f"{', '.join(_media(v) for v in GRAPH_FORMATS.values())}.")
    graph = build(request, service)
    rdflib_name = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}[fmt]
    body = graph.serialize(format=rdflib_name, encoding="utf-8")
    return Response(body, media_type=GRAPH_FORMATS[fmt])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _service_description(request: Request, service: _Service) -> Graph:
    stats = service.stats()
    base = _base(request)
    endpoint = URIRef(f"{base}/sparql")
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS_NS)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((endpoint, SD.defaultEntailmentRegime,
           URIRef("http://www.w3.org/ns/entailment/Simple")))
    for name in _W3C_FORMAT.values():
        g.add((endpoint, SD.resultFormat, FORMATS_NS[name]))
    dataset = URIRef(f"{base}/void#dataset")
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    named = BNode()
    g.add((dataset, SD.namedGraph, named))
    g.add((named, RDF.type, SD.NamedGraph))
    g.add((named, SD.name, URIRef(GRAPH_IRI)))
    g.add((named, SD.graph, default_graph))
    return g


async def _void(request: Request, service: _Service) -> Response:
    return _describe(request, service, _void_graph)


def _void_graph(request: Request, service: _Service) -> Graph:
    stats = service.stats()
    base = _base(request)
    dataset = URIRef(f"{base}/void#dataset")
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.add((dataset, RDF.type, VOID.Dataset))
    loaded = service.workspace.loaded
    title = ("The built-in AI taxonomy" if loaded.builtin
             else "Graph merged from " + ", ".join(os.path.basename(p) for p in loaded.sources))
    g.add((dataset, DCTERMS.title, Literal(title)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    for key in ("triples", "distinctSubjects", "distinctObjects", "properties", "classes",
                "entities"):
        g.add((dataset, VOID[key], Literal(stats[key], datatype=XSD.integer)))
    for vocabulary in stats["vocabularies"]:
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for cls, count in stats["class_partitions"]:
        part = BNode()
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in stats["property_partitions"]:
        part = BNode()
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    return g


def _graph_stats(graph: Graph, top: int = 100) -> dict[str, Any]:
    """One pass over the graph for the VoID figures."""
    subjects: set[Any] = set()
    objects: set[Any] = set()
    properties: Counter[Any] = Counter()
    classes: Counter[Any] = Counter()
    typed: set[Any] = set()
    triples = 0
    for s, p, o in graph:
        triples += 1
        subjects.add(s)
        objects.add(o)
        properties[p] += 1
        if p == RDF.type:
            classes[o] += 1
            typed.add(s)
    vocabularies = sorted(
        {str(ns) for _, ns in graph.namespaces()
         if any(str(p).startswith(str(ns)) for p in properties)}
    )
    return {
        "triples": triples,
        "distinctSubjects": len(subjects),
        "distinctObjects": len(objects),
        "properties": len(properties),
        "classes": len(classes),
        "entities": len(typed),
        "vocabularies": vocabularies,
        "class_partitions": sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top],
        "property_partitions": sorted(properties.items(),
                                      key=lambda kv: (-kv[1], str(kv[0])))[:top],
    }


# --------------------------------------------------------------------------- other routes


async def _index(request: Request) -> Response:
    base = _base(request)
    return JSONResponse({
        "sparql": f"{base}/sparql",
        "void": f"{base}/void",
        "ask": f"{base}/ask?q=...",
        "health": f"{base}/healthz",
    })


async def _healthz(request: Request, service: _Service) -> Response:
    runner = service.runner
    return JSONResponse({
        "status": "ok",
        "triples": len(service.workspace.graph),
        "workers": runner.workers if runner else 0,
    })


async def _ask(request: Request, service: _Service) -> Response:
    params = _query_params(request)
    questions = params.get("q", [])
    if len(questions) != 1 or not questions[0].strip():
        raise HTTPException(400, "pass one question as 'q', e.g. /ask?q=what+is+deep+learning")
    settings = service.workspace.settings
    top_k = _int_param(params, "top_k", settings.top_k, 1, 50)
    hops = _int_param(params, "hops", settings.hops, 1, 4)

    def answer() -> dict[str, Any]:
        with service.ask_lock:  # the engine is built once and is not known to be thread-safe
            try:
                engine = service.workspace.engine  # type: ignore[attr-defined]
            except (AttributeError, ImportError) as exc:
                raise HTTPException(501, f"question answering is not available: {exc}") from None
            return engine.ask(questions[0], top_k=top_k, hops=hops).to_dict()

    return JSONResponse(await run_in_threadpool(answer))


def _int_param(
    params: dict[str, list[str]], name: str, default: int, low: int, high: int
) -> int:
    values = params.get(name)
    if not values:
        return default
    try:
        value = int(values[0])
    except ValueError:
        raise HTTPException(400, f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise HTTPException(400, f"{name} must be between {low} and {high}.")
    return value


# --------------------------------------------------------------------------- logging


class _AccessLog:
    """Pure ASGI middleware: one log line per HTTP request, without the query text."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        size = 0

        async def capture(message: dict[str, Any]) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            client = scope.get("client") or ("-", 0)
            note = scope.get("state", {}).get("kg_note", "")
            log.info(
                '%s "%s %s" %d %dB %.1fms %s',
                client[0], scope["method"], scope["path"], status, size,
                (time.perf_counter() - start) * 1000, note,
            )
