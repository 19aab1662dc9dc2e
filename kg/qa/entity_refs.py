"""The concepts an answer is about, in the order a client shows them: those the question
names, then those its chosen facts weigh most, then the nearest the index found. A multi-hop
answer leads with what the hops reach, not with where the question started."""

from __future__ import annotations

from collections.abc import Sequence

from kg.qa import weights as W
from kg.qa.answer import EntityRef, Fact
from kg.qa.intent import Intent
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView

__all__ = ["answer_entities"]


def answer_entities(view: GraphView, walker: Walker, entities: list[EntityRef],
                    type_hints: Sequence[str], chosen: list[Fact], top_k: int,
                    intent: Intent) -> list[EntityRef]:
    """Named concepts first, then the concepts the chosen facts weigh most, then the
    linked ``entities`` not said yet (at most twice ``top_k``, and at least ten)."""
    refs: dict[str, EntityRef] = {e.iri: e for e in entities if e.how == "named"}
    weight: dict[str, float] = {}
    for rank, f in enumerate(chosen):
        for n in f.nodes:
            if view.is_concept(n) and walker.labelled(n):
                weight[n] = weight.get(n, 0.0) + f.score * W.ANSWER_ENTITY_DECAY**rank
    hinted = {m for t in type_hints for m in walker.kinds_of(t)}
    hinted |= {n for f in chosen if f.kind == "membership" for n in f.nodes[1:]}
    bonus = {n: W.ANSWER_HINTED for n in hinted}
    for n in sorted(weight, key=lambda n: (-(weight[n] + bonus.get(n, 0.0)), n)):
        if n not in refs and n not in type_hints:
            refs[n] = EntityRef(n, view.label(n), min(1.0, weight[n]), "answer")
    ordered = list(refs.values())
    named = [e for e in ordered if e.how == "named"]
    found = [e for e in ordered if e.how != "named"]
    if intent.chained and found:
        # A multi-hop question names where it starts; the answer is what the hops reach.
        ordered = found + named
    elif len(named) >= 2 and not (intent.has("comparison") or intent.has("hierarchy")):
        # The question's own names are not the whole answer: let the two concepts the
        # facts are most about come right after the first name.
        ordered = named[:1] + found[:2] + named[1:] + found[2:]
    seen = {e.iri for e in ordered}
    ordered += [e for e in entities if e.iri not in seen]
    return ordered[: max(top_k, 5) * 2]
