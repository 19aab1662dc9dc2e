"""Collect and rank the graph facts around the linked nodes (the networkx walk).

Candidates come from typed-edge neighbourhoods (up to ``hops`` away), broader chains,
narrower lists, shortest paths between linked nodes and data nodes (figures, table cells,
claims: any non-concept node with a description) found by the dense retriever. Each
candidate is scored by how close its text or its far end is to the question (cosine on the
index vectors, never re-embedded), its word overlap with the question and intent cues.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.text import content_tokens
from kg.rdf.terms import RDFS, REPLACED_BY_PREDICATES, SKOS
from kg.view.graph_view import GraphView
from kg.view.paths import shortest_path
from kg.view.phrasing import agree, phrase

if TYPE_CHECKING:  # types only: kg path walks without numpy or the index (30-50 ms)
    import numpy as np

    from kg.qa.index import VectorIndex
    from kg.qa.intent import Intent

__all__ = ["INTENT_CUES", "Context", "Walker"]

# Words that, found in a node's type or broader labels, make it relevant to an intent.
INTENT_CUES: dict[str, tuple[str, ...]] = {
    "limitation": ("limitation", "problem", "risk", "challenge", "concern", "issue"),
    "statistic": ("figure", "statistic", "measure", "metric"),
    "example": (
        "organisation",
        "organization",
        "company",
        "product",
        "application",
        "industry",
        "example",
        "use case",
    ),
    "attribute": ("cell", "table", "feature", "attribute"),
    "membership": (),
    "comparison": ("cell", "table", "comparison"),
}
_DESC_IRI = str(SKOS.definition)
_BROADER = str(SKOS.broader)
_DENSE_ALL = 50_000  # up to this many nodes, score them all with one matrix product
_KEEP = 150       # candidates returned to the composer, best first
_BRIDGES = 12      # nodes per hop whose neighbourhoods are walked further
_MAX_EDGES = 600   # edges looked at per node (hubs in very large graphs)
_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass
class Context:
    qvec: np.ndarray
    qstems: set[str]
    intent: Intent
    linked: list[str]
    type_hints: tuple[str, ...] = ()
    hinted: set[str] | None = None  # members of the type hints, filled on first use
    boosts: dict[str, float] = field(default_factory=dict)  # intent boost per node
    cosines: np.ndarray | None = None  # question · every node vector, on small graphs


class Walker:
    """Fact collection and ranking over one graph view and its vector index."""

    def __init__(self, view: GraphView, index: VectorIndex) -> None:
        self.view = view
        self.index = index
        self._cue_cache: dict[str, str] = {}
        # Everything below depends only on the graph, so it is computed once per node or
        # edge, when a question first looks at it (never by scanning the whole graph: a
        # large view is read from disk node by node), and reused by every later question.
        self._data_nodes: dict[str, bool] = {}
        self._anchor_cache: dict[str, list[str]] = {}
        self._kinds_cache: dict[str, set[str]] = {}
        self._labelled: dict[str, bool] = {}
        self._fact_cache: dict[tuple[str, str, str], Fact] = {}
        self._stem_cache: dict[str, frozenset[str]] = {}
        self._edge_text: dict[tuple[str, str, str, str], str] = {}
        self._adjacency: dict[str, list[tuple[str, str, dict]]] = {}

    # ------------------------------------------------------------------ helpers
    def is_data(self, iri: str) -> bool:
        """A data node: not a taxonomy concept, but described in prose (figure, cell, claim)."""
        found = self._data_nodes.get(iri)
        if found is None:
            found = self._data_nodes[iri] = self.view.is_data(iri, carrying="description")
        return found

    def numeric(self, iri: str) -> bool:
        """True when the node carries a number (a figure)."""
        return any(_NUMERIC.match(v.strip()) for _, v in self.view.node(iri).get("literals", []))

    def cues(self, iri: str) -> str:
        """Type and broader labels of a node (for a data node, also of what it is about)."""
        if iri in self._cue_cache:
            return self._cue_cache[iri]
        nodes = [iri] + (self.anchors(iri) if self.is_data(iri) else [])
        words: list[str] = []
        for n in nodes:
            data = self.view.node(n)
            words += [self.view.type_labels.get(t, "") for t in data.get("types", [])]
            words += [self.view.label(b) for b in self.view.broader(n)]
        self._cue_cache[iri] = " ".join(words).lower()
        return self._cue_cache[iri]

    def anchors(self, node: str) -> list[str]:
        """The concepts a data node is attached to, in a stable order."""
        cached = self._anchor_cache.get(node)
        if cached is None:
            cached = sorted(
                {n for n in nx.all_neighbors(self.view.nx, node)
                 if not self.is_data(n) and self.labelled(n)}
            ) if node in self.view.nx else []
            self._anchor_cache[node] = cached
        return cached

    def labelled(self, iri: str) -> bool:
        """True when the graph gives the node a label or description of its own."""
        found = self._labelled.get(iri)
        if found is None:
            found = self._labelled[iri] = iri in self.view.labels or bool(
                self.view.node(iri).get("description"))
        return found

    def members_of(self, type_iri: str) -> set[str]:
        """Nodes typed with ``type_iri`` (used when a question names a class)."""
        return self.view.members(type_iri)

    def data_class(self, iri: str) -> bool:
        """A class whose members are all data nodes (e.g. "Figure"): schema, not subject."""
        members = self.members_of(iri)
        return bool(members) and all(self.is_data(m) for m in members)

    def kinds_of(self, iri: str) -> set[str]:
        """What "which <iri>" asks for: members of the class, or narrower concepts."""
        cached = self._kinds_cache.get(iri)
        if cached is None:
            cached = self.members_of(iri) | set(self.view.narrower(iri))
            self._kinds_cache[iri] = cached
        return cached

    def _sources(self, *iris: str) -> list[str]:
        sets = [set(self.view.node(i).get("sources", [])) for i in iris if i]
        sets = [s for s in sets if s]
        if not sets:
            return []
        common = set.intersection(*sets) if len(sets) > 1 else sets[0]
        # No section names both ends: cite the more specific node (the one cited less).
        return sorted(common or min(sets, key=len))

    def relevance(self, ctx: Context, iri: str) -> float:
        """How close a node is to the question (cosine of their vectors)."""
        return self._cos(ctx, iri)

    def _cos(self, ctx: Context, iri: str) -> float:
        """Cosine of a node's vector with the question (all nodes at once on small graphs)."""
        if ctx.cosines is None and len(self.index) <= _DENSE_ALL:
            ctx.cosines = self.index.vectors() @ ctx.qvec
        pos = self.index.position(iri)
        if pos is None:
            return 0.0
        if ctx.cosines is not None:
            return float(ctx.cosines[pos])
        return float(self.index.vectors()[pos] @ ctx.qvec)

    def _overlap(self, ctx: Context, text: str) -> float:
        stems = self._stem_cache.get(text)
        if stems is None:
            stems = frozenset(content_tokens(text))
            if len(self._stem_cache) < 500_000:
                self._stem_cache[text] = stems
        if not stems or not ctx.qstems:
            return 0.0
        return len(stems & ctx.qstems) / len(ctx.qstems)

    def replaced(self, old: str, new: str) -> Fact:
        """The lead saying that the question named a deprecated term ``old`` and which term
        (``new``) answers for it."""
        name = self.view.retired.get(old, ["", ""])[0] or "The term asked about"
        fact = self.make_fact(
            new, REPLACED_BY_PREDICATES[-1], name,
            f"{name} is deprecated in the graph; it is replaced by {self.view.label(new)}.",
            "replacement", literal=True,
        )
        fact.score = W.LEAD
        return fact

    def make_fact(
        self,
        s: str,
        p: str,
        o: str,
        sentence: str,
        kind: str,
        literal: bool = False,
        src: Iterable[str] = (),
    ) -> Fact:
        """A fact about ``s`` citing ``src`` (else the sections its nodes share)."""
        sources = sorted(set(src)) or self._sources(s, "" if literal else o)
        nodes = (s,) if literal else (s, o)
        return Fact(
            subject=s,
            predicate=p,
            object=o,
            sentence=sentence,
            object_is_literal=literal,
            sources=sources,
            source_labels=[self.view.label(x) for x in sources],
            kind=kind,
            nodes=nodes,
        )

    # ---------------------------------------------------------------- renderers
    def definition(self, iri: str) -> Fact | None:
        data = self.view.node(iri)
        desc = data.get("description")
        if not desc:
            return None
        label = data.get("label") or self.view.label(iri)
        if self.is_data(iri):
            sentence = _sentence(desc)
        else:
            sentence = f"{label}: {_sentence(desc)}"
        return self.make_fact(
            iri,
            _DESC_IRI if data.get("concept") else str(RDFS.comment),
            desc,
            sentence,
            "definition",
            literal=True,
            src=data.get("sources", []),
        )

    def edge_fact(self, s: str, o: str, edge: dict) -> Fact:
        """The fact one edge states (a fresh object the caller may change)."""
        return copy.copy(self._edge_template(s, o, edge))

    def _edge_template(self, s: str, o: str, edge: dict) -> Fact:
        """The fact one edge states, rendered once per graph and shared: never changed."""
        key = (s, edge["predicate"], o)
        template = self._fact_cache.get(key)
        if template is None:
            template = self._render_edge(s, o, edge)
            if len(self._fact_cache) < 500_000:
                self._fact_cache[key] = template
        return template

    def _render_edge(self, s: str, o: str, edge: dict) -> Fact:
        p = edge["predicate"]
        if edge.get("hierarchy"):
            name = self.view.label(s)
            sentence = f"{name} {agree(name, 'is a kind of')} {self.view.label(o)}."
            return self.make_fact(s, p, o, sentence, "hierarchy")
        if self.is_data(o) and not self.is_data(s):
            return self._data_fact(o, via=(s, p, o))
        if self.is_data(s) and not self.is_data(o):
            return self._data_fact(s, via=(s, p, o))
        sentence = phrase(self.view, s, p, o) + "."
        return self.make_fact(s, p, o, _capital(sentence), "relation")

    def _data_fact(self, node: str, via: tuple[str, str, str]) -> Fact:
        data = self.view.node(node)
        fact = self.make_fact(
            via[0],
            via[1],
            via[2],
            _sentence(data["description"]),
            "data",
            src=data.get("sources", []),
        )
        fact.nodes = tuple(dict.fromkeys((via[0], via[2], *self.anchors(node))))
        return fact

    # ---------------------------------------------------------------- collection
    def collect(
        self, ctx: Context, entities: list[str], data_hits: list[tuple[str, float]], hops: int
    ) -> list[Fact]:
        """Candidate facts with scores, best first, duplicates removed."""
        # Facts may be shared templates: keep (score, fact) pairs and copy only the facts
        # that are returned.
        seen: dict[tuple[str, str, str], list] = {}

        def add(fact: Fact | None, score: float) -> None:
            if fact is None:
                return
            key = (fact.subject, fact.predicate, fact.object)
            known = seen.get(key)
            if known is not None:
                known[0] = max(known[0], score)
            else:
                seen[key] = [score, fact]

        intent = ctx.intent
        self._read_ahead(entities)  # every entity's first hop in one read (in place)
        for rank, ent in enumerate(entities):
            weight = 1.0 - W.ENTITY_RANK_DECAY * rank
            d = self.definition(ent)
            base = (W.DEFINITION_BASE_ASKED if intent.has("definition") or not intent.kinds
                    else W.DEFINITION_BASE)
            if d:
                add(d, weight * (base + W.DEFINITION_OVERLAP * self._overlap(ctx, d.sentence)))
            # Breadth-first, hop by hop: a node reached through a relevant fact passes part of
            # that relevance on to the facts one hop further (multi-hop questions).
            reach: dict[str, float] = {ent: 1.0}
            frontier = [ent]
            for depth in range(1, max(1, hops) + 1):
                self._read_ahead(frontier)
                gained: dict[str, float] = {}
                for via in frontier:
                    for s, o, edge in self._edges(via):
                        fact = self._edge_template(s, o, edge)
                        far = o if s == via else s
                        score = self._score_edge(ctx, fact, far, depth, edge)
                        if depth > 1:
                            score = W.HOP_OWN * score + W.HOP_INHERITED * reach[via]
                        add(fact, weight * score)
                        if far not in reach and not self.is_data(far):
                            gained[far] = max(gained.get(far, 0.0), score)
                best = sorted(gained, key=lambda n: (-gained[n], n))[:_BRIDGES]
                reach.update({n: gained[n] for n in best})
                frontier = best
        for node, cos in data_hits:
            anchors = self.anchors(node)
            anchor = anchors[0] if anchors else node
            edge = (
                self.view.nx.get_edge_data(anchor, node)
                or self.view.nx.get_edge_data(node, anchor)
                or {}
            )
            edge_data = next(iter(edge.values()), None) if edge else None
            if edge_data and anchor != node:
                s, o = (anchor, node) if self.view.nx.has_edge(anchor, node) else (node, anchor)
                fact = self._data_fact(node, via=(s, edge_data["predicate"], o))
            else:
                fact = self.definition(node)
            if fact is not None:
                boost = W.DATA_ANCHOR * sum(1 for a in anchors if a in ctx.linked)
                add(
                    fact,
                    cos
                    + W.DATA_OVERLAP * self._overlap(ctx, fact.sentence)
                    + boost
                    + self._intent_boost(ctx, node),
                )
        best = sorted(seen.items(), key=lambda kv: (-kv[1][0], kv[0]))[:_KEEP]
        scored = []
        for _, (score, fact) in best:
            fact = copy.copy(fact)
            fact.score = score
            scored.append(fact)
        return _dedupe_sentences(scored)

    def _read_ahead(self, frontier: list[str]) -> None:
        """Let the view read the neighbours of a hop's nodes together: scoring their edges
        reads every neighbour, which costs a request per node over an endpoint used in
        place, and one per hop read ahead (a no-op for a view in memory)."""
        if type(self.view).prefetch is GraphView.prefetch:
            return  # a view in memory reads nothing ahead: no list of neighbours to build
        g = self.view.nx
        near = [n for via in frontier if via not in self._adjacency and via in g
                for n in [*g.succ[via], *g.pred[via]][:_MAX_EDGES]]
        if near:
            self.view.prefetch(near)

    def _edges(self, node: str) -> list[tuple[str, str, dict]]:
        """Edges in and out of a node between labelled nodes (hubs capped), cached."""
        cached = self._adjacency.get(node)
        if cached is None:
            g = self.view.nx
            edges = (list(g.out_edges(node, data=True)) + list(g.in_edges(node, data=True))
                     if node in g else [])
            cached = [(s, o, e) for s, o, e in edges[:_MAX_EDGES]
                      if self.labelled(s) and self.labelled(o)]
            if len(self._adjacency) < 200_000:
                self._adjacency[node] = cached
        return cached

    def _intent_boost(self, ctx: Context, node: str) -> float:
        cached = ctx.boosts.get(node)
        if cached is None:
            cached = ctx.boosts[node] = self._boost(ctx, node)
        return cached

    def _boost(self, ctx: Context, node: str) -> float:
        cues = self.cues(node)
        boost = 0.0
        for kind in ctx.intent.kinds:
            if any(c in cues for c in INTENT_CUES.get(kind, ())):
                boost += W.INTENT_CUE
        if ctx.intent.has("statistic") and self.numeric(node):
            boost += W.NUMERIC_CUE
        if ctx.type_hints:
            if ctx.hinted is None:
                ctx.hinted = set().union(*(self.kinds_of(t) for t in ctx.type_hints))
            nodes = [node] + (self.anchors(node) if self.is_data(node) else [])
            if any(n in ctx.hinted for n in nodes):
                boost += W.TYPE_HINT
        return boost

    def _score_edge(self, ctx: Context, fact: Fact, far: str, depth: int, edge: dict) -> float:
        if fact.kind == "data":
            data_node = far if self.is_data(far) else fact.object
            score = self._cos(ctx, data_node) + self._intent_boost(ctx, data_node)
        else:
            score = W.FAR_COSINE * self._cos(ctx, far) + self._intent_boost(ctx, far)
            if far in ctx.linked:
                score += W.FAR_LINKED
            if edge.get("hierarchy") and (
                ctx.intent.has("hierarchy") or ctx.intent.has("membership")
            ):
                score += W.HIERARCHY_EDGE
        key = (fact.subject, fact.predicate, fact.object, far)
        text = self._edge_text.get(key)
        if text is None:
            names = " ".join(self.view.node(far).get("alt_labels", []))
            text = self._edge_text[key] = f"{fact.sentence} {names}"
        score += W.EDGE_OVERLAP * self._overlap(ctx, text)
        return score * (1.0 if depth <= 1 else W.HOP_DECAY)

    def paths(self, linked: list[str], limit: int = 3) -> list[list[str]]:
        """Shortest undirected paths between pairs of linked nodes (concept hops only)."""
        out = []
        for i, a in enumerate(linked[:4]):
            for b in linked[i + 1 : 4]:
                path = shortest_path(self.view.nx, a, b, max_edges=4)
                if path is not None and len(path) > 1:
                    out.append(path)
        return out[:limit]

    def path_facts(self, path: list[str]) -> list[Fact]:
        """The facts along a path, in order."""
        facts = []
        for a, b in zip(path, path[1:], strict=False):
            data = self.view.nx.get_edge_data(a, b)
            if data:
                facts.append(self.edge_fact(a, b, next(iter(data.values()))))
                continue
            data = self.view.nx.get_edge_data(b, a)
            if data:
                facts.append(self.edge_fact(b, a, next(iter(data.values()))))
        return facts


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _dedupe_sentences(facts: list[Fact]) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for f in facts:
        key = f.sentence.lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
