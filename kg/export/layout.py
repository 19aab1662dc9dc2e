"""A top-down tree drawing of the hierarchy: positions for the formats that carry coordinates.

Computed once here so GraphML, GEXF, Cytoscape.js and the HTML viewer open on the same
picture.
"""

from __future__ import annotations

from kg.export.model import Subgraph

__all__ = ["tree_layout"]


def tree_layout(sub: Subgraph, dx: float = 160.0, dy: float = 90.0) -> dict[str, tuple[float,
                                                                                       float]]:
    """Positions for a top-down tree drawing of the hierarchy (other nodes under a neighbour).

    Each node hangs under its first broader node; nodes without one are roots, and nodes
    outside the hierarchy hang under their first neighbour when it is placed. Leaves are
    spaced ``dx`` apart, levels ``dy`` apart; a parent sits above the middle of its children.
    """
    labels = {n.id: n.label.casefold() for n in sub.nodes}
    parent: dict[str, str] = {}
    for e in sub.edges:
        if e.hierarchy and e.source not in parent and e.source != e.target:
            parent[e.source] = e.target
    neighbours: dict[str, list[str]] = {}
    for e in sub.edges:
        if not e.hierarchy:
            neighbours.setdefault(e.source, []).append(e.target)
            neighbours.setdefault(e.target, []).append(e.source)
    in_hierarchy = set(parent) | set(parent.values())
    for n in sorted(labels):
        if n not in in_hierarchy:
            for m in sorted(neighbours.get(n, ())):
                if m in in_hierarchy:
                    parent[n] = m
                    break
    children: dict[str | None, list[str]] = {}
    for n in labels:
        children.setdefault(parent.get(n), []).append(n)
    for kids in children.values():
        kids.sort(key=lambda n: (labels[n], n))
    pos: dict[str, tuple[float, float]] = {}
    next_x = 0.0
    roots = list(children.get(None, []))
    # Nodes caught in a broader-cycle have no root: break the cycle at one of them.
    reached: set[str] = set()
    placed_under: dict[str, list[str]] = {}
    order = roots + sorted(labels, key=lambda n: (labels[n], n))
    for root in order:
        if root in reached:
            continue
        reached.add(root)
        stack: list[tuple[str, int, bool]] = [(root, 0, False)]
        while stack:
            n, depth, done = stack.pop()
            if done:
                xs = [pos[k][0] for k in placed_under.get(n, [])]
                if xs:
                    pos[n] = ((min(xs) + max(xs)) / 2, depth * dy)
                else:
                    pos[n] = (next_x, depth * dy)
                    next_x += dx
                continue
            stack.append((n, depth, True))
            kids = [k for k in children.get(n, []) if k not in reached]
            reached.update(kids)
            placed_under[n] = kids
            stack.extend((k, depth + 1, False) for k in reversed(kids))
    return pos
