"""Closest concepts to a text, and how two concepts connect: thin queries over the engine."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import networkx as nx

from kg.errors import NotFoundError
from kg.qa.answer import Fact

__all__ = ["Connection", "connect", "search"]


def search(engine, text: str, k: int = 10) -> list[tuple[str, str, float]]:
    """The ``k`` nodes whose documents are closest to ``text``: (iri, label, cosine)."""
    if not text.strip():
        return []
    vec = engine.encode(text)[None, :]
    named = [m.iri for m in engine.matcher.find(text)]
    hits = engine.index.search(vec, k + len(named))[0]
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    for iri in named:
        if iri not in seen:
            seen.add(iri)
            out.append((iri, engine.view.label(iri), 1.0))
    for iri, score in hits:
        if iri not in seen:
            seen.add(iri)
            out.append((iri, engine.view.label(iri), score))
    return out[:k]


@dataclass
class Connection:
    """A path between two nodes, as node IRIs and the facts along it."""

    nodes: list[str]
    labels: list[str]
    facts: list[Fact]

    def to_dict(self) -> dict:
        return {
            "nodes": [{"iri": n, "label": lab} for n, lab in zip(self.nodes, self.labels,
                                                                 strict=True)],
            "facts": [f.to_dict() for f in self.facts],
        }


def connect(engine, source: str, target: str, max_paths: int = 3,
            names=None) -> list[Connection]:  # noqa: ANN001
    """Up to ``max_paths`` shortest paths between two concepts, ignoring edge direction.

    ``names`` is the view to resolve names in (default the engine's); over an endpoint
    used in place the search walks out level by level, fetching only what it reaches."""
    from kg.view.concepts import resolve
    from kg.view.remote_view import RemoteStore, shortest_paths

    a = resolve(names or engine.view, source)
    b = resolve(names or engine.view, target)
    try:
        if isinstance(getattr(engine.view, "store", None), RemoteStore):
            found = sorted(shortest_paths(engine.view, a, b))[:max_paths]
        else:
            # The undirected view lists neighbours from a set (an order that changes from
            # one process to the next): take a bounded batch and sort it, so the same
            # paths show.
            undirected = engine.view.nx.to_undirected(as_view=True)
            found = sorted(islice(nx.all_shortest_paths(undirected, a, b), 200))[:max_paths]
    except nx.NetworkXNoPath:
        raise NotFoundError(
            f"{engine.view.label(a)} and {engine.view.label(b)} are not connected in the graph."
        ) from None
    return [
        Connection(p, [engine.view.label(n) for n in p], engine.walker.path_facts(p))
        for p in found
    ]
