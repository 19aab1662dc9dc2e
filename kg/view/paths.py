"""Shortest undirected paths with a fixed neighbour order.

networkx's undirected view of a directed graph lists a node's neighbours from a set, so
between equally short paths it picks a different one from one process to the next (string
hashing is seeded per process) and the same question gets different answers. Here the
neighbours come in the graph's own insertion order (successors, then predecessors), which
the view builds sorted, so the path found is the same in every run.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

__all__ = ["neighbours", "shortest_path"]


def neighbours(g: nx.MultiDiGraph, node: str) -> Iterator[str]:
    """Successors then predecessors of ``node``, each once, in insertion order."""
    succ = g.succ[node]
    yield from succ
    yield from (p for p in g.pred[node] if p not in succ)


def shortest_path(g: nx.MultiDiGraph, a: str, b: str, max_edges: int) -> list[str] | None:
    """A shortest path from ``a`` to ``b`` ignoring edge direction, at most ``max_edges``
    long, or None. Bidirectional breadth-first search: the smaller frontier grows a whole
    level at a time, so a hub at one end does not flood the search."""
    if a not in g or b not in g:
        return None
    if a == b:
        return [a]
    parents = ({a: a}, {b: b})
    frontiers = ([a], [b])
    for _ in range(max_edges):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, theirs = parents[side], parents[1 - side]
        grown: list[str] = []
        for node in frontiers[side]:
            for nxt in neighbours(g, node):
                if nxt in mine:
                    continue
                mine[nxt] = node
                if nxt in theirs:
                    return _join(nxt, parents[0], parents[1])
                grown.append(nxt)
        if not grown:
            return None
        frontiers = (grown, frontiers[1]) if side == 0 else (frontiers[0], grown)
    return None


def _join(meet: str, from_a: dict[str, str], from_b: dict[str, str]) -> list[str]:
    """The path a .. meet .. b from the two parent maps."""
    head = [meet]
    while from_a[head[-1]] != head[-1]:
        head.append(from_a[head[-1]])
    tail = []
    node = meet
    while from_b[node] != node:
        node = from_b[node]
        tail.append(node)
    return head[::-1] + tail
