"""Small JSON routes the browser app loads on demand: search, tree, neighbourhood, card.

The page never downloads the graph: each route answers about one node (or a handful) and
caps its rows at ``ServerSettings.max_items``, saying when it did, so a million-triple
graph browses as fast as a small one.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kg.errors import NotFoundError
from kg.server.describe import graph_title
from kg.server.protocol import int_param, query_params
from kg.server.service import Service
from kg.view.concepts import describe
from kg.view.graph_view import GraphView

__all__ = ["concept_card", "info", "neighbourhood", "search", "subgraph", "tree"]

_MAX_SUBGRAPH = 150


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


def _item(view: GraphView, iri: str) -> dict[str, Any]:
    """A tree row: the node, its label and how many narrower nodes it has."""
    return {"iri": iri, "label": view.label(iri), "children": len(view.narrower(iri))}


async def info(request: Request, service: Service) -> Response:
    """What the page shows in its header and SPARQL editor: title, size, prefixes."""
    runner = service.query_runner()
    return JSONResponse({
        "title": graph_title(service),
        "triples": service.stats()["triples"],
        "prefixes": dict(sorted(runner.namespaces.items())),
        "max_rows": service.settings.max_rows,
        "timeout": service.settings.timeout,
    })


async def search(request: Request, service: Service) -> Response:
    """``?q=`` -> labels and alternative labels that fit, as the user types."""
    params = query_params(request)
    text = (params.get("q") or [""])[0]
    most = service.settings.max_items
    limit = int_param(params, "limit", min(10, most), 1, most)
    found = await run_in_threadpool(lambda: service.completer().complete(text, limit))
    return JSONResponse({"query": text, "results": [c.to_dict() for c in found]})


def _roots(service: Service) -> list[str]:
    """Top nodes of the hierarchy: concepts with no broader node (computed once)."""
    view = service.workspace.view
    roots = service.memo.get("roots")
    if roots is None:
        roots = sorted(
            (n for n in view.nx if view.is_concept(n) and not n.startswith("_:")
             and not view.broader(n)),
            key=lambda n: (view.label(n).casefold(), n),
        )
        service.memo["roots"] = roots
    return roots


def _children(view: GraphView, iri: str, cap: int) -> dict[str, Any]:
    narrower = [n for n in view.narrower(iri) if not n.startswith("_:")]
    return {"items": [_item(view, n) for n in narrower[:cap]], "total": len(narrower)}


async def tree(request: Request, service: Service) -> Response:
    """The hierarchy around one node, loaded level by level.

    ``?children=IRI`` -> the narrower nodes of IRI. ``?open=IRI`` -> the top nodes plus,
    for every node on IRI's first broader chain, its narrower nodes (the tree opened on
    IRI). No parameter -> the top nodes only.
    """
    params = query_params(request)
    cap = service.settings.max_items

    def build() -> dict[str, Any]:
        view = service.workspace.view
        if "children" in params:
            iri = _node(view, _one(params, "children"))
            return {"children": {iri: _children(view, iri, cap)}}
        roots = _roots(service)
        out: dict[str, Any] = {
            "roots": {"items": [_item(view, r) for r in roots[:cap]], "total": len(roots)},
            "path": [],
            "children": {},
        }
        if "open" in params:
            iri = _node(view, _one(params, "open"))
            chains = view.ancestors(iri)
            path = list(reversed(chains[0])) if chains else [iri]
            out["path"] = path
            for node in path[:-1]:
                out["children"][node] = _children(view, node, cap)
                if not any(item["iri"] == path[path.index(node) + 1]
                           for item in out["children"][node]["items"]):
                    out["children"][node]["items"].append(
                        _item(view, path[path.index(node) + 1]))
            if path[0] not in roots[:cap]:
                out["roots"]["items"].append(_item(view, path[0]))
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


def _nodes(view: GraphView, iris: list[str]) -> list[dict[str, str]]:
    return [{"iri": n, "label": view.label(n), "kind": _kind(view, n)} for n in iris]


async def neighbourhood(request: Request, service: Service) -> Response:
    """``?iri=`` -> the node, its direct neighbours and the edges between (capped)."""
    params = query_params(request)
    most = service.settings.max_items
    cap = int_param(params, "limit", min(40, most), 1, most)

    def build() -> dict[str, Any]:
        view = service.workspace.view
        iri = _node(view, _one(params, "iri"))
        edges, total = _edges(view, iri, cap)
        iris = list(dict.fromkeys([iri] + [e["s"] for e in edges] + [e["o"] for e in edges]))
        return {"center": iri, "nodes": _nodes(view, iris), "edges": edges, "total": total,
                "truncated": total > len(edges)}

    return JSONResponse(await run_in_threadpool(build))


async def subgraph(request: Request, service: Service) -> Response:
    """``?iri=A&iri=B...`` -> those nodes and the edges among them; ``p=`` names predicates.

    The app draws an answer with it: the answer names the nodes, this gives their labels
    and kinds, plus the labels of the predicates its facts use.
    """
    params = query_params(request)
    iris = list(dict.fromkeys(params.get("iri", [])))[:_MAX_SUBGRAPH]

    def build() -> dict[str, Any]:
        view = service.workspace.view
        present = [n for n in iris if n in view.nx]
        chosen = set(present)
        edges = [
            {"s": u, "p": d["predicate"], "o": v, "label": d["label"],
             "hierarchy": bool(d.get("hierarchy"))}
            for u, v, d in view.nx.subgraph(present).edges(data=True)
            if u in chosen and v in chosen
        ][: service.settings.max_items]
        predicates = {p: view.predicate_label(p) for p in params.get("p", [])[:_MAX_SUBGRAPH]}
        return {"nodes": _nodes(view, present), "edges": edges, "predicates": predicates}

    return JSONResponse(await run_in_threadpool(build))


def concept_card(service: Service, iri: str) -> dict[str, Any]:
    """The concept card (kg.view.concepts) as JSON, with the first broader chain's IRIs."""
    view = service.workspace.view
    card = describe(view, service.workspace.graph, _node(view, iri)).to_dict()
    chains = view.ancestors(iri)
    card["chain"] = [{"iri": n, "label": view.label(n)} for n in reversed(chains[0])] \
        if chains else []
    return card
