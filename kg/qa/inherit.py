"""Facts inherited down the hierarchy: what is recorded on a broader concept answers a
question about a narrower one, and the answer says where it is recorded; failing that, what
its narrower concepts record answers for them all ("the limitations of AI").

"What are the limitations of LLMs?" on a graph that records limitations for deep learning
(which LLMs are a kind of) is answered with those, not with whatever else is near LLMs.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.intent import Intent
from kg.qa.walk import INTENT_CUES, Walker
from kg.view.graph_view import GraphView
from kg.view.phrasing import agree, plural_object, predicate_phrase

__all__ = ["inherited_fact"]

_INHERITED = ("limitation",)  # what a narrower concept shares with its broader ones
_LEVELS = 3  # broader (or, failing those, narrower) levels looked at
_KINDS_READ = 200  # narrower concepts of one level read for what they record


def _cued(view: GraphView, walker: Walker, node: str,
          cues: tuple[str, ...]) -> dict[str, list[tuple[str, dict]]]:
    """``node``'s relations to things the cues name (its problems), by predicate."""
    by: dict[str, list[tuple[str, dict]]] = {}
    for _, obj, edge in view.nx.out_edges(node, data=True):
        if edge.get("hierarchy") or walker.is_data(obj):
            continue
        if any(c in walker.cues(obj) for c in cues):
            by.setdefault(edge["predicate"], []).append((obj, edge))
    return by


def inherited_fact(
    view: GraphView, walker: Walker, iri: str, intent: Intent,
    group: Callable[[list[Fact], str, str], Fact],
) -> Fact | None:
    """The nearest broader concept's relations of the asked kind, in one sentence, when
    ``iri`` records none itself (None otherwise, or when no broader concept does)."""
    cues = tuple(c for k in _INHERITED if intent.has(k) for c in INTENT_CUES.get(k, ()))
    if not cues or _cued(view, walker, iri, cues):
        return None
    for path in sorted(view.ancestors(iri), key=len):
        for up in path[1 : _LEVELS + 1]:
            by = _cued(view, walker, up, cues)
            if not by:
                continue
            predicate, objects = max(sorted(by.items()), key=lambda kv: len(kv[1]))
            objects.sort(key=lambda o: view.label(o[0]))
            facts = [walker.edge_fact(up, o, e) for o, e in objects]
            name, where = view.label(iri), view.label(up)
            verb = plural_object(agree(where, predicate_phrase(view, predicate)), len(facts))
            listed = join_names([view.label(o) for o, _ in objects])
            text = (f"Recorded for {where}, which {name} {agree(name, 'is')} a kind of: "
                    f"{where} {verb} {listed}.")
            fact = group(facts, text, "group")
            fact.nodes = (iri, *fact.nodes)
            return fact
    return _from_kinds(view, walker, iri, cues, group)


def _from_kinds(view: GraphView, walker: Walker, iri: str, cues: tuple[str, ...],
                group: Callable[[list[Fact], str, str], Fact]) -> Fact | None:
    """What the nearest narrower concepts record, when no broader one does: "the
    limitations of AI" are those recorded for deep learning and generative AI, its kinds."""
    below = list(view.narrower(iri))
    for _ in range(_LEVELS):
        found = {n: by for n in below[:_KINDS_READ] if (by := _cued(view, walker, n, cues))}
        if found:
            kinds = sorted(found, key=view.label)
            edges = [(n, o, e) for n in kinds for objects in found[n].values() for o, e in objects]
            facts = [walker.edge_fact(n, o, e) for n, o, e in edges]
            listed = join_names(sorted({view.label(o) for _, o, _ in edges}, key=str.lower))
            where = join_names([view.label(n) for n in kinds])
            kind_of = f"{'a kind' if len(kinds) == 1 else 'kinds'} of {view.label(iri)}"
            said = {e["predicate"] for _, _, e in edges}
            verb = plural_object(agree(where if len(kinds) == 1 else "others", predicate_phrase(
                view, said.pop())), len(facts)) if len(said) == 1 else ""
            text = (f"{where}, {kind_of}, {verb} {listed}." if verb else
                    f"Recorded for {where}, {kind_of}: {listed}.")
            fact = group(facts, text, "group")
            fact.nodes = (iri, *fact.nodes)
            return fact
        below = [c for n in below for c in view.narrower(n)]
    return None
