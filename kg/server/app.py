"""The HTTP face of the graph: SPARQL 1.1 Protocol, ``/ask`` and the browser app.

Built on Starlette (run by uvicorn) rather than on rdflib-endpoint: rdflib-endpoint runs
each query on the event loop, where one slow query stalls every client and cannot be
stopped. Here queries go to :class:`kg.sparql.runner.QueryRunner` (forked workers killed at
the deadline) while the event loop keeps answering. This module only wires the routes;
each has its own module: :mod:`~kg.server.sparql`, :mod:`~kg.server.describe`,
:mod:`~kg.server.ask`, :mod:`~kg.server.concept`, :mod:`~kg.server.browse`,
:mod:`~kg.server.pages`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kg.errors import KgError
from kg.server import browse
from kg.server.access_log import AccessLog
from kg.server.ask import ask
from kg.server.concept import api_card, api_concept, az, concept
from kg.server.describe import describe, void
from kg.server.errors import http_error, kg_error
from kg.server.pages import index
from kg.server.protocol import query_params
from kg.server.service import ServerSettings, Service, uvicorn_options
from kg.server.sparql import sparql
from kg.workspace import Workspace

__all__ = ["ServerSettings", "create_app", "uvicorn_options"]

Handler = Callable[[Request, Service], Awaitable[Response]]


def create_app(workspace: Workspace, settings: ServerSettings | None = None) -> Starlette:
    """Build the ASGI app serving ``workspace``'s graph; the graph loads at startup."""
    settings = settings or ServerSettings()
    service = Service(workspace, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        try:
            yield
        finally:
            service.stop()

    def bind(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await handler(request, service)

        return endpoint

    async def void_route(request: Request, service: Service) -> Response:
        return describe(request, query_params(request), service, void)

    async def healthz(request: Request, service: Service) -> Response:
        runner = service.runner
        return JSONResponse({
            "status": "ok",
            "triples": len(service.workspace.graph),
            "workers": runner.workers if runner else 0,
        })

    get = ["GET"]
    routes = [
        Route("/", index, methods=get),
        Route("/sparql", bind(sparql), methods=["GET", "POST"]),
        Route("/void", bind(void_route), methods=get),
        Route("/.well-known/void", bind(void_route), methods=get),
        Route("/ask", bind(ask), methods=get),
        Route("/concept", bind(concept), methods=get),
        Route("/az", bind(az), methods=get),
        Route("/healthz", bind(healthz), methods=get),
        Route("/api/info", bind(browse.info), methods=get),
        Route("/api/search", bind(browse.search), methods=get),
        Route("/api/tree", bind(browse.tree), methods=get),
        Route("/api/node", bind(browse.neighbourhood), methods=get),
        Route("/api/subgraph", bind(browse.subgraph), methods=get),
        Route("/api/concept", bind(api_concept), methods=get),
        Route("/api/card", bind(api_card), methods=get),
        Route("/api/drawing", bind(browse.drawing), methods=["POST"]),
    ]
    middleware = [
        Middleware(AccessLog),
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
        exception_handlers={HTTPException: http_error, KgError: kg_error},
    )
