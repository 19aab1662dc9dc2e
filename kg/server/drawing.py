"""Drawings the app shows: an answer's stated facts, a concept's neighbourhood.

Laid out here, deterministically, in layers (broader above narrower; a relation's subject
above its object), so the page only draws: no force simulation in the browser, and the
same question always gives the same picture. Every node's label gets a box as wide as its
text; boxes in one row are placed side by side and a row too wide for the figure wraps,
so no two labels overlap (``tests/test_server_drawing.py`` measures it, and the browser
test measures the drawn boxes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = ["CHAR_W", "LABEL_CHARS", "Edge", "answer_triples", "label_box", "layered"]

#: Labels longer than this are cut (the full label is the node's tooltip).
LABEL_CHARS = 28
#: Width of one character of an 11 px label, on the generous side of common fonts.
CHAR_W = 6.6
_GAP = 18.0  # between two labels in a row
_ROW = 46.0  # between wrapped rows of one layer
_LAYER = 84.0  # between layers
_MAX_ROW = 620.0  # wider rows wrap
_PAD = 16.0


@dataclass(frozen=True)
class Edge:
    """A drawn edge: subject, predicate, object, its words and whether it is hierarchy."""

    s: str
    p: str
    o: str
    label: str
    hierarchy: bool


def short(label: str) -> str:
    """The label as drawn: cut at :data:`LABEL_CHARS` with an ellipsis."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def label_width(label: str) -> float:
    """The drawn width of a label (px), from its length."""
    return max(24.0, len(short(label)) * CHAR_W + 6)


def label_box(node: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a laid-out node's label, as the page draws it."""
    half = node["w"] / 2
    return (node["x"] - half, node["y"] - 26, node["x"] + half, node["y"] - 9)


def _layers(iris: Sequence[str], edges: Sequence[Edge]) -> dict[str, int]:
    """Layer of each node: the longest path from a top node along "downward" edges
    (broader -> narrower, subject -> object), cycles broken where a walk meets them."""
    down = nx.DiGraph()
    down.add_nodes_from(iris)
    for e in edges:
        a, b = (e.o, e.s) if e.hierarchy else (e.s, e.o)
        if a != b and not down.has_edge(b, a):
            down.add_edge(a, b)
    while True:
        try:
            cycle = nx.find_cycle(down)
        except nx.NetworkXNoCycle:
            break
        down.remove_edge(*cycle[-1][:2])
    layer: dict[str, int] = {}
    for depth, generation in enumerate(nx.topological_generations(down)):
        for n in generation:
            layer[n] = depth
    # Pull a lone top node down next to what it points at, so nothing dangles far above.
    for n in iris:
        below = [layer[m] for m in down.successors(n)]
        if below and not any(True for _ in down.predecessors(n)):
            layer[n] = min(below) - 1
    low = min(layer.values(), default=0)
    return {n: d - low for n, d in layer.items()}


def _order(rows: dict[int, list[str]], edges: Sequence[Edge]) -> None:
    """Order each layer by the mean position of its neighbours in the layer above, then
    below (two sweeps of the barycentre heuristic), so edges cross less."""
    neighbours: dict[str, set[str]] = {}
    for e in edges:
        neighbours.setdefault(e.s, set()).add(e.o)
        neighbours.setdefault(e.o, set()).add(e.s)
    place: dict[str, float] = {}
    for depth in sorted(rows):
        place.update((n, float(i)) for i, n in enumerate(rows[depth]))
    for sweep in (sorted(rows), sorted(rows, reverse=True)) * 2:
        for depth in sweep:
            row = rows[depth]
            inside = set(row)
            keys = {}
            for n in row:
                known = [place[m] for m in neighbours.get(n, ()) if m not in inside]
                keys[n] = sum(known) / len(known) if known else place[n]
            row.sort(key=lambda n: (keys[n], n))
            place.update((n, float(i)) for i, n in enumerate(row))


def layered(
    nodes: Iterable[Mapping[str, Any]],
    edges: Sequence[Edge],
    centre: str | None = None,
) -> dict[str, Any]:
    """Positions for ``nodes`` (dicts with ``iri`` and ``label``) joined by ``edges``.

    Returns ``{"nodes": [..., x, y, w, row], "edges": [..., show], "width", "height"}``:
    ``x`` is a node's centre, ``y`` its dot (the label sits above it), ``w`` its label's
    width, ``row`` which row of its layer it sits in when the layer wrapped (0: the first);
    ``show`` says whether an edge's words are drawn (hierarchy edges are shown by their
    arrow alone; parallel edges share one label).
    """
    items = [dict(n) for n in nodes]
    iris = [n["iri"] for n in items]
    known = set(iris)
    edges = [e for e in edges if e.s in known and e.o in known and e.s != e.o]
    layer = _layers(iris, edges)
    rows: dict[int, list[str]] = {}
    for n in sorted(iris, key=lambda i: (layer[i], i)):
        rows.setdefault(layer[n], []).append(n)
    _order(rows, edges)
    if centre in known:  # the centre in the middle of its row
        row = rows[layer[centre]]
        row.remove(centre)
        row.insert(len(row) // 2, centre)
    width_of = {n["iri"]: label_width(n["label"]) for n in items}
    placed: dict[str, tuple[float, float]] = {}
    y = _PAD + 26
    lines: list[tuple[float, list[str], float]] = []  # (y, iris, row width)
    wrapped: dict[str, int] = {}  # node -> which row of its layer it sits in
    for depth in sorted(rows):
        line: list[str] = []
        used = 0.0
        sub = 0
        for n in rows[depth]:
            w = width_of[n] + _GAP
            if line and used + w > _MAX_ROW:
                lines.append((y, line, used - _GAP))
                y += _ROW
                line, used = [], 0.0
                sub += 1
            line.append(n)
            wrapped[n] = sub
            used += w
        lines.append((y, line, used - _GAP))
        y += _LAYER
    full = max((w for _, _, w in lines), default=0.0)
    for row_y, line, row_w in lines:
        x = _PAD + (full - row_w) / 2
        for n in line:
            placed[n] = (x + width_of[n] / 2, row_y)
            x += width_of[n] + _GAP
    for n in items:
        n["x"], n["y"] = (round(v, 1) for v in placed[n["iri"]])
        n["w"] = round(width_of[n["iri"]], 1)
        n["row"] = wrapped[n["iri"]]
    boxes = [label_box(n) for n in items]
    seen_pairs: set[frozenset[str]] = set()
    out_edges = []
    for e in edges:
        pair = frozenset((e.s, e.o))
        item: dict[str, Any] = {"s": e.s, "p": e.p, "o": e.o, "label": e.label,
                                "hierarchy": e.hierarchy, "show": False}
        if not e.hierarchy and pair not in seen_pairs and e.label:
            seen_pairs.add(pair)
            spot = _edge_label_spot(_end(placed[e.s], placed[e.o]), _end(placed[e.o], placed[e.s]),
                                    e.label, boxes)
            if spot is not None:
                item["show"] = True
                item["lx"], item["ly"] = spot
                boxes.append(_edge_box(spot, e.label))
        out_edges.append(item)
    return {"nodes": items, "edges": out_edges, "width": round(full + 2 * _PAD, 1),
            "height": round(y - _LAYER + 16 + _PAD, 1)}


_EDGE_CHAR_W = 5.4  # a 9 px edge label


def _end(at: tuple[float, float], other: tuple[float, float]) -> tuple[float, float]:
    """Where an edge meets a node, as the page draws it: the top of the lower node's
    label, the dot of the upper one (and of both in one row)."""
    return (at[0], at[1] - 26) if other[1] < at[1] - 1 else at


def _edge_box(spot: tuple[float, float], label: str) -> tuple[float, float, float, float]:
    half = len(label) * _EDGE_CHAR_W / 2 + 2
    return (spot[0] - half, spot[1] - 8, spot[0] + half, spot[1] + 3)


def _edge_label_spot(a: tuple[float, float], b: tuple[float, float], label: str,
                     boxes: list[tuple[float, float, float, float]]
                     ) -> tuple[float, float] | None:
    """Where along the edge its words fit without covering a label (or None: the words
    are left to the edge's tooltip)."""
    for share in (0.5, 0.38, 0.62, 0.28, 0.72):
        spot = (round(a[0] + (b[0] - a[0]) * share, 1), round(a[1] + (b[1] - a[1]) * share + 3, 1))
        mine = _edge_box(spot, label)
        if not any(mine[0] < right and left < mine[2] and mine[1] < bottom and top < mine[3]
                   for left, top, right, bottom in boxes):
            return spot
    return None


def answer_triples(answer: Mapping[str, Any], is_node: Callable[[str], bool]
                   ) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The nodes and node-to-node triples an answer states, from its JSON form.

    Only the facts the answer speaks (``spoken``) count; their grouped parts each give a
    triple. A spoken fact about a literal (a definition, a value) draws its subject alone.
    When no fact is spoken (an abstention), nothing is drawn. Nodes keep answer order.
    """
    nodes: dict[str, None] = {}
    triples: dict[tuple[str, str, str], None] = {}
    for fact in answer.get("facts", []):
        if not fact.get("spoken"):
            continue
        parts = fact.get("triples") or [fact]
        for t in parts:
            s, p, o = t.get("subject", ""), t.get("predicate", ""), t.get("object", "")
            if not is_node(s):
                continue
            nodes.setdefault(s)
            if is_node(o) and o != s:
                nodes.setdefault(o)
                triples.setdefault((s, p, o))
    return list(nodes), list(triples)
