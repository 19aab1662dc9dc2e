"""``/concept?iri=IRI``: one URL per concept, for people and for RDF clients alike.

Browsers get the concept's page, rendered here and complete without script (see
:mod:`kg.server.html`); RDF clients get the concept's own triples and the labels of what
they mention (Turtle, N-Triples, JSON-LD, RDF/XML); plain JSON clients get the concept
card. ``/concept`` without an IRI is the top level, ``/az`` the alphabetical index.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.rdf.describe import describe_resource
from kg.server.browse import concept_card
from kg.server.describe import graph_title, rdf_response
from kg.server.html import (
    PageContext,
    alternates,
    az_html,
    card_payload,
    concept_html,
    esc,
    group_html,
    head_html,
    jsonld,
    link_header,
    page_kind,
    top_html,
    tree_html,
)
from kg.server.pages import PageParts, app_page
from kg.server.protocol import FORMAT_PARAM, GRAPH_MEDIA, negotiate, prefers_html, query_params
from kg.server.service import Service
from kg.sparql.runner import GRAPH_FORMATS

__all__ = ["api_card", "api_concept", "az", "concept", "page_context"]

_JSON = "application/json"


def _iri(params: dict[str, list[str]]) -> str:
    values = params.get("iri", [])
    if len(values) != 1 or not values[0].strip():
        raise HTTPException(400, "pass the concept as one 'iri' parameter, e.g. "
                            "/concept?iri=https%3A%2F%2Fexample.org%2FCar")
    return values[0].strip()


def page_context(service: Service, params: dict[str, list[str]]) -> PageContext:
    """The view, graph, chosen language and its labels, for one request."""
    lang = service.lang(params)
    return PageContext(
        view=service.workspace.view,
        graph=service.workspace.graph,
        lang=lang,
        default_lang=service.workspace.settings.lang,
        label=service.labeller(lang),
        structure=service.structure(),
        languages=[tag for tag, _ in service.languages()],
    )


def langs_html(ctx: PageContext, path: str, keep: dict[str, str]) -> str:
    """The language switch: a GET form (works without script; the script submits it on
    change), listing the label languages the graph holds."""
    tags = [t for t in ctx.languages if t]
    if len(tags) < 2:
        return ""
    options = "".join(
        f'<option value="{esc(t)}"' + (" selected" if t == ctx.lang else "") + f">{esc(t)}</option>"
        for t in tags)
    hidden = "".join(f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">'
                     for k, v in keep.items() if v)
    return (f'<form id="lang-form" method="get" action="{esc(path)}">'
            f'<label for="lang">Labels</label><select id="lang" name="lang">{options}</select>'
            f"{hidden}<noscript><button type=\"submit\">Show</button></noscript></form>")


def _browse_page(service: Service, params: dict[str, list[str]], iri: str | None) -> Response:
    ctx = page_context(service, params)
    cap = service.settings.max_items
    head, headers, status = "", {}, 200
    if not iri:
        title, article = "Browse · kg", top_html(ctx, graph_title(service))
    else:
        kind = page_kind(ctx, iri)
        if kind == "concept":
            title, article = concept_html(ctx, iri)
            links = alternates(ctx, iri)
            head = head_html(links, jsonld(ctx.graph, iri))
            headers["Link"] = link_header(links)
        elif kind == "group":
            title, article = group_html(ctx, iri)
            if iri in ctx.structure.schemes:  # a scheme of the graph has RDF forms too
                links = alternates(ctx, iri)
                head = head_html(links, jsonld(ctx.graph, iri))
                headers["Link"] = link_header(links)
        else:
            status = 404
            title = "Not found · kg"
            article = (f'<h2 id="concept-title">Not in the graph</h2><p class="status error">'
                       f"&lt;{esc(iri)}&gt; is not in the graph; search for it by its label "
                       "instead.</p>")
    parts = PageParts(view="browse", title=title, head=head, article=article,
                      tree=tree_html(ctx, iri if iri and status == 200 else None, cap),
                      langs=langs_html(ctx, "/concept", {"iri": iri or ""}))
    return app_page(parts, status=status, headers=headers)


async def concept(request: Request, service: Service) -> Response:
    """The concept in the form the client asked for (HTML, RDF or the JSON card)."""
    params = query_params(request)
    names = params.get("format")
    accept = request.headers.get("accept", "")
    if not names and prefers_html(request):
        iri = (params.get("iri") or [""])[0].strip() or None
        return await run_in_threadpool(_browse_page, service, params, iri)
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
    if iri not in view.nx and not service.structure().is_group(iri):
        concept_card(service, iri)  # raises the NotFoundError with its advice
    graph = await run_in_threadpool(describe_resource, service.workspace.graph, iri)
    return rdf_response(graph, fmt)


async def az(request: Request, service: Service) -> Response:
    """``/az?letter=A``: the concepts whose label (in the chosen language) starts so."""
    params = query_params(request)

    def build() -> Response:
        ctx = page_context(service, params)
        letter = (params.get("letter") or [""])[0].strip()
        title, article = az_html(ctx, letter)
        if not prefers_html(request) and "format" not in params:
            return JSONResponse({"title": title, "html": article})
        return app_page(PageParts(view="browse", title=f"{title} · kg", article=article,
                                  tree=tree_html(ctx, None, service.settings.max_items),
                                  langs=langs_html(ctx, "/az", {"letter": letter})))

    return await run_in_threadpool(build)


async def api_concept(request: Request, service: Service) -> Response:
    """``/api/concept?iri=`` -> the concept card as JSON (what the app's page draws)."""
    iri = _iri(query_params(request))
    return JSONResponse(await run_in_threadpool(concept_card, service, iri))


async def api_card(request: Request, service: Service) -> Response:
    """``/api/card?iri=&lang=`` -> the concept page's title and article (the HTML the
    server renders), so the script swaps concepts in without reloading the page."""
    params = query_params(request)
    iri = _iri(params) if params.get("iri") else ""

    def build() -> dict[str, Any]:
        ctx = page_context(service, params)
        if not iri:
            return {"iri": "", "title": "Browse · kg", "html": top_html(ctx, graph_title(service))}
        if not page_kind(ctx, iri):
            concept_card(service, iri)  # raises the NotFoundError with its advice
        return card_payload(ctx, iri)

    return JSONResponse(await run_in_threadpool(build))
