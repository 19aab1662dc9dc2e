"""Answers two links away: the things of the asked kind that the topic reaches through one
other concept.

"Which organisations use the technologies that healthcare applies?" names healthcare and asks
for organisations; no organisation is linked to healthcare, but the concepts healthcare
applies are used by some. The answer says each concept passed and who is linked to it, one
sentence per concept passed, so every step is a fact of the graph.
"""

from __future__ import annotations

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView
from kg.view.phrasing import agree, plural_object, predicate_phrase

__all__ = ["reached_kind"]

_PASSED_MAX = 3  # concepts passed on the way that an answer names
_LINKS_MAX = 400  # links of one concept looked at (hubs have thousands)
_DEPTH = 3  # levels under the topic whose links count as the topic's
_UNDER_MAX = 300  # concepts of one level under the topic looked at


def _links(view: GraphView, walker: Walker, node: str) -> dict[str, tuple[str, str, dict]]:
    """``node``'s neighbours over links that are not the hierarchy, with one edge each
    (the edge leaving ``node`` when there are both)."""
    out: dict[str, tuple[str, str, dict]] = {}
    for u, v, d in list(view.nx.out_edges(node, data=True))[:_LINKS_MAX]:
        if not d.get("hierarchy") and not walker.is_data(v):
            out.setdefault(v, (u, v, d))
    for u, v, d in list(view.nx.in_edges(node, data=True))[:_LINKS_MAX]:
        if not d.get("hierarchy") and not walker.is_data(u):
            out.setdefault(u, (u, v, d))
    return out


def _by_relation(node: str, edges: list[tuple[str, str, dict]]
                 ) -> list[list[tuple[str, str, dict]]]:
    """``node``'s edges grouped by predicate and direction, the largest group first."""
    groups: dict[tuple[str, bool], list[tuple[str, str, dict]]] = {}
    for e in edges:
        groups.setdefault((e[2]["predicate"], e[0] == node), []).append(e)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0][2]["predicate"]))


def _stated(view: GraphView, walker: Walker, mid: str,
            edges: list[tuple[str, str, dict]]) -> Fact:
    """One sentence for the links between ``mid`` and several others of one predicate."""
    predicate = edges[0][2]["predicate"]
    verb = predicate_phrase(view, predicate)
    leaving = edges[0][0] == mid
    others = sorted((v if leaving else u for u, v, _ in edges), key=lambda n: view.label(n))
    names = join_names([view.label(n) for n in others])
    if leaving:
        said = plural_object(agree(view.label(mid), verb), len(others))
        text = f"{view.label(mid)} {said} {names}"
    else:
        text = f"{names} {agree('others' if len(others) > 1 else names, verb)} {view.label(mid)}"
    parts = [walker.edge_fact(u, v, d) for u, v, d in edges]
    fact = walker.make_fact(parts[0].subject, predicate, parts[0].object,
                            text[:1].upper() + text[1:] + ".", "group",
                            src=[s for f in parts for s in f.sources])
    fact.parts = parts
    fact.nodes = tuple(dict.fromkeys([mid, *others]))
    return fact


def reached_kind(view: GraphView, walker: Walker, start: str, kinds: set[str],
                 chained: bool, under: bool = True, near_only: bool = False) -> list[Fact]:
    """Lead facts naming the members of ``kinds`` linked to ``start``: one sentence per
    relation when some are one link away (and the question is not chained), else for each
    concept passed on the way, the link to it and its links to the members. Empty when none
    is within two links. With ``under`` (and not ``chained``), the members linked to the
    concepts filed under ``start`` when none is within two links. With ``near_only``, only
    the members one link away ("who made X?": an agent of something X uses did not make X)."""
    kinds = kinds - {start}
    near = _links(view, walker, start)
    if not kinds:
        return []
    if not chained and kinds & set(near):
        # one link away: the members of the kind, by relation ("Healthcare and Finance
        # apply Deep Learning")
        groups = _by_relation(start, [e for n, e in near.items() if n in kinds])
        out = [_stated(view, walker, start, g) for g in groups[:2]]
        for k, fact in enumerate(out):
            fact.score = W.LEAD - 0.01 * k
        return out
    passed: list[tuple[str, tuple[str, str, dict], list[tuple[str, str, dict]]]] = []
    for mid, first in near.items() if not near_only else ():
        if mid in kinds or not view.is_concept(mid):
            continue
        hits = [e for n, e in _links(view, walker, mid).items() if n in kinds and n != start]
        if hits:
            passed.append((mid, first, hits))
    if not passed:
        return _under(view, walker, start, kinds) if under and not (chained or near_only) else []
    passed.sort(key=lambda x: (-len(x[2]), view.label(x[0]).lower()))
    out: list[Fact] = []
    for mid, first, hits in passed[:_PASSED_MAX]:
        step = walker.edge_fact(*first)
        # the largest group of one predicate and direction says who is reached
        second = _stated(view, walker, mid, _by_relation(mid, hits)[0])
        joined = walker.make_fact(step.subject, step.predicate, step.object,
                                  f"{step.sentence.rstrip('.')}; {second.sentence}",
                                  "group", src=[*step.sources, *second.sources])
        joined.parts = [step, second]
        joined.nodes = tuple(dict.fromkeys([*step.nodes, *second.nodes]))
        joined.score = W.LEAD - 0.01 * len(out)
        out.append(joined)
    return out


def _under(view: GraphView, walker: Walker, start: str, kinds: set[str]) -> list[Fact]:
    """The members of ``kinds`` linked to the concepts filed under ``start`` (down to
    ``_DEPTH`` levels): what uses a kind of the topic uses the topic ("industries using
    AI" are those applying deep learning, a kind of AI). One sentence names every member
    reached, then one per concept under the topic that reaches the most; empty when none."""
    by_node: dict[str, list[tuple[str, str, dict]]] = {}
    level, seen = [start], {start}
    for _ in range(_DEPTH):
        level = [n for node in level for n in view.narrower(node) if n not in seen][:_UNDER_MAX]
        seen.update(level)
        for node in level:
            hits = [e for n, e in _links(view, walker, node).items() if n in kinds]
            if hits:
                by_node[node] = _by_relation(node, hits)[0]
    members = sorted({m for edges in by_node.values() for u, v, _ in edges
                      for m in (u, v) if m in kinds}, key=lambda n: view.label(n).lower())
    if len(members) < 2:
        return []  # one member is no list of the kind: its members say more
    ranked = sorted(by_node, key=lambda n: (-len(by_node[n]), view.label(n).lower()))
    said = [_stated(view, walker, n, by_node[n]) for n in ranked[:_PASSED_MAX]]
    parts = [p for f in said for p in f.parts]
    names = join_names([view.label(m) for m in members])
    summary = walker.make_fact(parts[0].subject, parts[0].predicate, parts[0].object,
                               f"{names} are linked to kinds of {view.label(start)} "
                               f"({join_names([view.label(n) for n in ranked], limit=4)}).",
                               "group",
                               src=[s for p in parts for s in p.sources])
    summary.parts = parts
    summary.nodes = tuple(dict.fromkeys([start, *members, *ranked]))
    out = [summary, *said]
    for k, fact in enumerate(out):
        fact.score = W.LEAD - 0.01 * k
    return out
