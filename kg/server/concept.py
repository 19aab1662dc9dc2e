"""``/concept?iri=IRI``: one URL per concept, for people and for RDF clients alike.

Browsers get the app opened on the concept's page; RDF clients get the concept's own
triples and the labels of what they mention (Turtle, N-Triples, JSON-LD, RDF/XML); plain
JSON clients get the concept card.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.rdf.describe import describe_resource
from kg.server.browse import concept_card
from kg.server.describe import rdf_response
from kg.server.pages import app_page
from kg.server.protocol import FORMAT_PARAM, GRAPH_MEDIA, negotiate, prefers_html, query_params
from kg.server.service import Service
from kg.sparql.runner import GRAPH_FORMATS

__all__ = ["api_concept", "concept"]

_JSON = "application/json"


def _iri(params: dict[str, list[str]]) -> str:
    values = params.get("iri", [])
    if len(values) != 1 or not values[0].strip():
        raise HTTPException(400, "pass the concept as one 'iri' parameter, e.g. "
                            "/concept?iri=https%3A%2F%2Fexample.org%2FCar")
    return values[0].strip()


async def concept(request: Request, service: Service) -> Response:
    """The concept in the form the client asked for (HTML, RDF or the JSON card)."""
    params = query_params(request)
    names = params.get("format")
    accept = request.headers.get("accept", "")
    if not names and prefers_html(request):
        return app_page()
    if names:
        name = names[0].lower()
        if name == "json":
            fmt: str | None = "card"
        else:
            fmt = FORMAT_PARAM.get(name, (None, None))[1]
    else:
        fmt = negotiate(accept, {**GRAPH_MEDIA, _JSON: "card"}, "turtle")
    if fmt is None:
        offered = ", ".join([_JSON, *GRAPH_FORMATS.values(), "text/html"])
        raise HTTPException(406, f"a concept is available as {offered}.")
    iri = _iri(params)
    if fmt == "card":
        return JSONResponse(await run_in_threadpool(concept_card, service, iri))
    view = service.workspace.view
    if iri not in view.nx:
        concept_card(service, iri)  # raises the NotFoundError with its advice
    graph = await run_in_threadpool(describe_resource, service.workspace.graph, iri)
    return rdf_response(graph, fmt)


async def api_concept(request: Request, service: Service) -> Response:
    """``/api/concept?iri=`` -> the concept card as JSON (what the app's page draws)."""
    iri = _iri(query_params(request))
    return JSONResponse(await run_in_threadpool(concept_card, service, iri))
