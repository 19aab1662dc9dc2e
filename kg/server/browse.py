"""Small JSON routes the browser app loads on demand: search, tree, neighbourhood, card.

The page never downloads the graph: each route answers about one node (or a handful) and
caps its rows at ``ServerSettings.max_items``, saying when it did, so a million-triple
graph browses as fast as a small one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.errors import NotFoundError
from kg.rdf.terms import RDFS, SKOS
from kg.server.describe import graph_title
from kg.server.drawing import Edge, answer_triples, layered
from kg.server.protocol import int_param, query_params, read_body
from kg.server.service import Service
from kg.view.concepts import describe
from kg.view.graph_view import GraphView

__all__ = ["answer_drawing", "concept_card", "drawing", "info", "neighbourhood", "search",
           "subgraph", "tree"]

_MAX_SUBGRAPH = 150
_BROADER = {str(SKOS.broader), str(RDFS.subClassOf)}
_NARROWER = str(SKOS.narrower)


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name, [])
    if len(values) != 1 or not values[0].strip():
        raise HTTPException(400, f"pass one '{name}' parameter.")
    return values[0].strip()


def _node(view: GraphView, iri: str) -> str:
    if iri not in view.nx:
        raise NotFoundError(f"<{iri}> is not in the graph; search for it by its label instead.")
    return iri


def _kind(view: GraphView, iri: str) -> str:
    """The node's most telling type, for colouring: a vocabulary's own class before Concept."""
    types = view.node(iri).get("types", [])
    labels = sorted({(view.type_labels.get(t) or view.label(t)) for t in types},
                    key=lambda name: (name.casefold() == "concept", name.casefold()))
    if labels:
        return labels[0][:1].upper() + labels[0][1:]
    return "Concept" if view.is_concept(iri) else ""


def _item(service: Service, label: Callable[[str], str], iri: str) -> dict[str, Any]:
    """A tree row: the node, its label and how many children the tree shows under it."""
    view = service.workspace.view
    return {"iri": iri, "label": label(iri), "children": service.structure().count(view, iri)}


async def info(request: Request, service: Service) -> Response:
    """What the page shows in its header and SPARQL editor: title, size, prefixes, languages."""
    runner = service.query_runner()
    languages = await run_in_threadpool(service.languages)
    return JSONResponse({
        "title": graph_title(service),
        "triples": service.stats()["triples"],
        "prefixes": dict(sorted(runner.namespaces.items())),
        "max_rows": service.settings.max_rows,
        "timeout": service.settings.timeout,
        "languages": [tag for tag, _ in languages if tag],
        "lang": service.workspace.settings.lang,
    })


async def search(request: Request, service: Service) -> Response:
    """``?q=`` -> labels and alternative labels that fit, as the user types."""
    params = query_params(request)
    text = (params.get("q") or [""])[0]
    most = service.settings.max_items
    limit = int_param(params, "limit", min(10, most), 1, most)
    lang = service.lang(params)

    def hits() -> list[dict[str, Any]]:
        found = [c.to_dict() for c in service.completer().complete(text, limit)]
        if lang != service.workspace.settings.lang:  # shown in the chosen language
            label = service.labeller(lang)
            for hit in found:
                hit["label"] = label(hit["iri"])
        return found

    return JSONResponse({"query": text, "results": await run_in_threadpool(hits)})


def _children(service: Service, label: Callable[[str], str], iri: str, cap: int
              ) -> dict[str, Any]:
    children = service.structure().children(service.workspace.view, iri)
    return {"items": [_item(service, label, n) for n in children[:cap]],
            "total": len(children)}


async def tree(request: Request, service: Service) -> Response:
    """The hierarchy around one node, loaded level by level (see kg.server.taxonomy).

    ``?children=IRI`` -> what the tree shows under IRI. ``?open=IRI`` -> the first level
    plus, for every node on IRI's path, its children (the tree opened on IRI). No
    parameter -> the first level only. ``lang`` picks the labels' language.
    """
    params = query_params(request)
    cap = service.settings.max_items

    def build() -> dict[str, Any]:
        view = service.workspace.view
        shape = service.structure()
        label = service.labeller(service.lang(params))
        if "children" in params:
            iri = _one(params, "children")
            if not shape.is_group(iri):
                _node(view, iri)
            return {"children": {iri: _children(service, label, iri, cap)}}
        top = shape.top()
        out: dict[str, Any] = {
            "roots": {"items": [_item(service, label, r) for r in top[:cap]],
                      "total": len(top)},
            "path": [],
            "children": {},
        }
        if "open" in params:
            iri = _one(params, "open")
            path = [iri] if shape.is_group(iri) else shape.path(view, _node(view, iri))
            out["path"] = path
            for node, below in zip(path, path[1:], strict=False):
                block = _children(service, label, node, cap)
                if not any(item["iri"] == below for item in block["items"]):
                    block["items"].append(_item(service, label, below))
                out["children"][node] = block
            if path[0] not in top[:cap]:
                out["roots"]["items"].append(_item(service, label, path[0]))
        return out

    return JSONResponse(await run_in_threadpool(build))


def _edges(view: GraphView, iri: str, cap: int) -> tuple[list[dict[str, str]], int]:
    edges: list[dict[str, str]] = []
    total = 0
    for u, v, data in list(view.nx.out_edges(iri, data=True)) + list(
            view.nx.in_edges(iri, data=True)):
        if u.startswith("_:") or v.startswith("_:"):
            continue
        total += 1
        if len(edges) < cap:
            edges.append({"s": u, "p": data["predicate"], "o": v, "label": data["label"],
                          "hierarchy": bool(data.get("hierarchy"))})
    return edges, total


def _nodes(view: GraphView, iris: list[str], label: Callable[[str], str]
           ) -> list[dict[str, str]]:
    return [{"iri": n, "label": label(n), "kind": _kind(view, n)} for n in iris]


async def neighbourhood(request: Request, service: Service) -> Response:
    """``?iri=`` -> the node, its direct neighbours and the edges between (capped), laid
    out in layers (kg.server.drawing)."""
    params = query_params(request)
    most = service.settings.max_items
    cap = int_param(params, "limit", min(40, most), 1, most)

    def build() -> dict[str, Any]:
        view = service.workspace.view
        iri = _node(view, _one(params, "iri"))
        label = service.labeller(service.lang(params))
        edges, total = _edges(view, iri, cap)
        iris = list(dict.fromkeys([iri] + [e["s"] for e in edges] + [e["o"] for e in edges]))
        drawn = layered(_nodes(view, iris, label),
                        [Edge(e["s"], e["p"], e["o"], e["label"], e["hierarchy"]) for e in edges],
                        centre=iri)
        return {"center": iri, **drawn, "total": total, "truncated": total > len(edges)}

    return JSONResponse(await run_in_threadpool(build))


async def subgraph(request: Request, service: Service) -> Response:
    """``?iri=A&iri=B...`` -> those nodes and the edges among them; ``p=`` names predicates."""
    params = query_params(request)
    iris = list(dict.fromkeys(params.get("iri", [])))[:_MAX_SUBGRAPH]

    def build() -> dict[str, Any]:
        view = service.workspace.view
        label = service.labeller(service.lang(params))
        present = [n for n in iris if n in view.nx]
        chosen = set(present)
        edges = [
            {"s": u, "p": d["predicate"], "o": v, "label": d["label"],
             "hierarchy": bool(d.get("hierarchy"))}
            for u, v, d in view.nx.subgraph(present).edges(data=True)
            if u in chosen and v in chosen
        ][: service.settings.max_items]
        predicates = {p: view.predicate_label(p) for p in params.get("p", [])[:_MAX_SUBGRAPH]}
        return {"nodes": _nodes(view, present, label), "edges": edges, "predicates": predicates}

    return JSONResponse(await run_in_threadpool(build))


def answer_drawing(service: Service, answer: dict[str, Any], lang: str | None = None
                   ) -> dict[str, Any]:
    """The drawing of an answer (its JSON form): the triples its spoken facts state,
    between the concepts they name, laid out in layers."""
    view = service.workspace.view
    label = service.labeller(lang)
    # Data nodes (claims, table cells, figures) speak through the answer's sentences: the
    # drawing keeps the concepts they are about.
    iris, triples = answer_triples(answer, lambda n: n in view.nx and not n.startswith("_:")
                                   and not view.is_data(n))
    iris = iris[:_MAX_SUBGRAPH]
    edges = []
    for s, p, o in triples:
        hierarchy = any(d.get("hierarchy") for d in (view.nx.get_edge_data(s, o) or {}).values()
                        if d.get("predicate") == p) or p in _BROADER
        if p == _NARROWER:
            s, o, p = o, s, str(SKOS.broader)
        edges.append(Edge(s, p, o, "" if hierarchy else view.predicate_label(p), hierarchy))
    return layered(_nodes(view, iris, label), edges)


async def drawing(request: Request, service: Service) -> Response:
    """``POST /api/drawing`` with an answer's JSON (what ``/ask`` returned) -> its drawing."""
    params = query_params(request)
    body = await read_body(request, service.settings.max_body)
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        raise HTTPException(400, "send the answer as JSON, as /ask returned it.") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("facts", []), list):
        raise HTTPException(400, "send the answer as JSON, as /ask returned it.")
    lang = service.lang(params)
    return JSONResponse(await run_in_threadpool(answer_drawing, service, answer, lang))


def concept_card(service: Service, iri: str) -> dict[str, Any]:
    """The concept card (kg.view.concepts) as JSON, with the first broader chain's IRIs."""
    view = service.workspace.view
    card = describe(view, service.workspace.graph, _node(view, iri)).to_dict()
    chains = view.ancestors(iri)
    card["chain"] = [{"iri": n, "label": view.label(n)} for n in reversed(chains[0])] \
        if chains else []
    return card
