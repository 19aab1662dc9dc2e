"""The words that say a concept's own relations ("is opposite of": opposite), read once per
predicate: what a question's words are matched against when they may name a relation."""

from __future__ import annotations

from collections import Counter

from kg.qa.text import content_tokens, stem
from kg.view.graph_view import GraphView
from kg.view.phrasing import predicate_phrase

__all__ = ["RelationWords"]


class RelationWords:
    """The stems of each predicate's phrase, and which of a concept's relations they name."""

    def __init__(self, view: GraphView) -> None:
        self.view = view
        self._stems: dict[str, frozenset[str]] = {}  # predicate -> its phrase's stems

    def relations(self, iri: str) -> list[str]:
        """The predicates of ``iri``'s own links that are not the hierarchy."""
        return sorted({d["predicate"] for _, _, d in self.view.nx.out_edges(iri, data=True)
                       if not d.get("hierarchy")})

    def verb(self, predicate: str) -> frozenset[str]:
        """The stems of the words that say a predicate ("is opposite of": opposite)."""
        words = self._stems.get(predicate)
        if words is None:
            words = self._stems[predicate] = frozenset(
                stem(t) for t in content_tokens(predicate_phrase(self.view, predicate)))
        return words

    def said_once(self, iri: str, predicates: list[str]) -> set[str]:
        """The words of those of ``iri``'s relations that reach one concept: a plural of
        one ("ungulate groups") names its kinds, of a relation reaching several ("deep
        learning's limitations") the relation."""
        count = Counter(d["predicate"] for _, _, d in self.view.nx.out_edges(iri, data=True))
        return {v for p in predicates if count[p] < 2 for v in self.verb(p)}
