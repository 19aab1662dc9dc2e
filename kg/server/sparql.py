"""``/sparql``: the SPARQL 1.1 Protocol (query only) over the hardened query runner.

Everything about query safety lives in :mod:`kg.sparql.runner`; this module reads the
request (GET, form POST, direct POST), picks the result format, waits for a worker slot
within the query's own timeout and writes the status and headers.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from kg.errors import ForbiddenQueryError, QueryTimeoutError
from kg.server.describe import describe, service_description
from kg.server.errors import note
from kg.server.pages import PageParts, app_page
from kg.server.protocol import (
    content_type,
    decode_body,
    formats,
    media,
    merge,
    parse_params,
    prefers_html,
    query_params,
    read_body,
    require_utf8,
)
from kg.server.service import Service
from kg.sparql.runner import GRAPH_FORMATS, TABULAR_FORMATS

__all__ = ["sparql"]

_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
_READ_ONLY = "SPARQL Update is refused: this endpoint is read-only."


async def _params(request: Request, service: Service) -> dict[str, list[str]]:
    """URL parameters, plus the body's for POST (form or direct query)."""
    params = query_params(request)
    if request.method != "POST":
        return params
    ctype, charset = content_type(request)
    body = await read_body(request, service.settings.max_body)
    if ctype == "application/x-www-form-urlencoded":
        require_utf8(charset)
        return merge(params, parse_params(body, "request body"))
    if ctype == "application/sparql-query":
        return merge(params, {"query": [decode_body(body, charset)]})
    if ctype == "application/sparql-update":
        raise ForbiddenQueryError(_READ_ONLY)
    raise HTTPException(
        415,
        f"unsupported Content-Type {ctype or '(none)'!r}: send the query as "
        "application/x-www-form-urlencoded (query=...) or application/sparql-query.",
    )


async def sparql(request: Request, service: Service) -> Response:
    """Run one query, or describe the service when there is none."""
    arrived = time.monotonic()
    settings = service.settings
    params = await _params(request, service)
    if "update" in params:
        raise ForbiddenQueryError(_READ_ONLY)
    queries = params.get("query", [])
    if not queries:
        if request.method == "GET" and not any(p in params for p in _DATASET_PARAMS):
            if prefers_html(request) and "format" not in params:
                return app_page(PageParts(view="sparql"))  # a person: the query editor
            return describe(request, params, service, service_description)
        raise HTTPException(400, "missing query: pass the SPARQL query as 'query'.")
    if len(queries) > 1:
        raise HTTPException(400, "the 'query' parameter was given more than once; send one.")
    text = queries[0]
    size = len(text.encode("utf-8"))
    if size > settings.max_query:
        raise HTTPException(
            414 if request.method == "GET" else 413,
            f"the query is {size:,} bytes, over the limit of {settings.max_query:,} bytes.",
        )
    tabular, graph_fmt = formats(request, params)
    default_graphs = params.get("default-graph-uri")
    named_graphs = params.get("named-graph-uri")
    if default_graphs is not None or named_graphs is not None:
        default_graphs, named_graphs = default_graphs or [], named_graphs or []
    runner = service.query_runner()
    # relative IRIs resolve against this endpoint's own URL, as the protocol expects
    base = str(request.url.replace(query="", fragment=""))
    kwargs: dict[str, Any] = {"default_graphs": default_graphs, "named_graphs": named_graphs,
                              "base": base}
    result = runner.cached(text, tabular, graph_fmt, **kwargs)
    if result is None:
        deadline = arrived + settings.timeout  # waiting for a slot counts against it
        try:
            await asyncio.wait_for(service.slots.acquire(),
                                   timeout=max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise QueryTimeoutError(
                f"all query workers stayed busy for the query's whole timeout "
                f"({settings.timeout:g} s), so it was stopped before it started; try again."
            ) from None
        try:
            result = await run_in_threadpool(
                runner.run_serialized, text, tabular, graph_fmt, deadline=deadline, **kwargs
            )
        finally:
            service.slots.release()
    if result.format is None:
        names = TABULAR_FORMATS if result.kind in ("SELECT", "ASK") else GRAPH_FORMATS
        raise HTTPException(
            406,
            f"a {result.kind} result cannot be given in the requested format; acceptable "
            f"types: {', '.join(media(v) for v in names.values())}.",
        )
    headers = {"X-KG-Rows": str(result.count)}
    if result.truncated:
        headers["X-KG-Truncated"] = f"max-rows={settings.max_rows}"
    note(request, f"{result.kind} rows={result.count}" + (" truncated" if result.truncated
                                                            else ""))
    return Response(result.body, media_type=result.media_type, headers=headers)
