"""Where a thesaurus files the members a question asks for: a grouping named as the concept
is ("V.13.04 Wage" above "Wages"), a grouping named as the question named the concept
("banking industry" for Bank, under "W.14.01 Banking industry"), or a child named for the
concept's kinds ("energy type" under "energy", "type of waste" under "waste").

Thesauri file members in these places rather than under the concept itself, so "the kinds
of X" or "what does the X category include" is answered from there.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.qa.answer import Fact
from kg.qa.text import content_tokens, stem, tokens
from kg.qa.topics import Topics
from kg.view.graph_view import GraphView

__all__ = ["grouping", "groupings", "kind_child", "name_words", "one_member_of", "plural_alone",
           "one_parent_of"]


def name_words(label: str) -> frozenset[str]:
    """The words of a label, its notation left out ("V.13.02  Labour market theory")."""
    return frozenset(t for t in content_tokens(label) if t.isalpha() and len(t) > 1)


def groupings(view: GraphView, topic: str) -> list[str]:
    """The broader concepts of ``topic`` named as it is, a notation aside ("V.13.04 Wage"
    above "Wages")."""
    words = name_words(view.label(topic))
    return [b for b in view.broader(topic) if name_words(view.label(b)) == words]


def grouping(view: GraphView, topic: str, surface: str = "") -> str:
    """The concept whose members answer for ``topic``: a grouping above it named as the
    question named it (``surface``), when that is another of its names; itself when it has
    narrower concepts; else a grouping above it of the same name ("Labour market theory"
    under "V.13.02 Labour market theory") or a concept beside it named alike that has
    members ("Europeans" for "European"); else ``topic``."""
    said = name_words(surface)
    if said and said != name_words(view.label(topic)):
        named = [b for b in view.broader(topic) if name_words(view.label(b)) == said]
        if named:
            return named[0]
    if view.narrower(topic):
        return topic
    words = name_words(view.label(topic))  # "European" beside "Europeans", who have members
    same = [n for n in sorted({*view.nx.successors(topic), *view.nx.predecessors(topic)})
            if n != topic and name_words(view.label(n)) == words and view.narrower(n)]
    return next(iter(groupings(view, topic) + same), topic)


def kind_child(view: GraphView, topic: str, kind_words: frozenset[str]) -> str:
    """The narrower concept that files the kinds of ``topic`` under a word of kind (one of
    ``kind_words``, stems): "energy type" under "energy", "type of waste" under "waste".
    ``topic`` when it has none."""

    def words(iri: str) -> set[str]:  # every word, "type" and "of" included
        return {stem(t) for t in tokens(view.label(iri)) if t.isalpha()}

    own = words(topic)
    for child in view.narrower(topic):
        extra = words(child) - own - {"of"}
        if extra and extra <= kind_words and words(child) >= own and view.narrower(child):
            return child
    return topic


def one_parent_of(view: GraphView, fact: Fact, topic: str) -> bool:
    """True when ``fact`` only files ``topic`` under one of its several parents ("Light is a
    kind of radiation" where light is also filed under non-ionising radiation), alone or at
    the head of a chain up ("X is a kind of P, which is a kind of ...")."""
    parents = view.broader(topic)
    return (fact.kind == "hierarchy" and len(parents) > 1 and len(fact.nodes) >= 2
            and fact.nodes[0] == topic and fact.nodes[1] in parents
            and len(set(parents) & set(fact.nodes)) == 1)


def one_member_of(view: GraphView, fact: Fact, topic: str) -> bool:
    """True when ``fact`` only files one concept under ``topic`` ("Juvenile is a kind of
    maturity" for "Full list of maturity stages"): said first, one member would stand for
    the list a question naming the topic wants."""
    child = next((n for n in fact.nodes if n != topic), None)
    return (fact.kind == "hierarchy" and not fact.parts and child is not None
            and len(fact.nodes) == 2 and topic in view.broader(child))


def plural_alone(view: GraphView, topics: Topics, masked: str, topic: str,
                 says_nothing: Callable[[str], bool]) -> bool:
    """True when ``topic`` is named in the plural, its label in the singular, with no other
    word that asks anything ("currencies in STW?"), and it has narrower concepts: its
    members are asked for."""
    at = topics.named_at.get(topic, -1)
    said = topics.words[at:dict(topics.spans).get(at, at + 1)]
    label = view.label(topic).lower().split()
    return bool(said and label) and said[-1].endswith("s") and said[-1] != label[-1] and (
        not label[-1].endswith("s")) and all(
        w == "X" or says_nothing(w) for w in masked.split()) and bool(view.narrower(topic))
