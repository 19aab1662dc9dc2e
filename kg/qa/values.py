"""A short value a concept holds under a property the question names ("what is the notation
of X", "the related synonym of X"), said as a sentence: the answer to "the P of X" when P is
a property of X's own rather than a link to another concept."""

from __future__ import annotations

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.filing import groupings
from kg.qa.text import content_tokens
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView

__all__ = ["value_named"]

_VALUE_CHARS = 80  # a value longer than this is a text, not what "the P of X" asks


def value_named(view: GraphView, walker: Walker, iri: str, asked: set[str]) -> Fact | None:
    """The value ``iri`` holds (or the grouping of its name holds, "V.13.04 Wage" for
    "Wages") under a property one of the ``asked`` stems names; None when it holds none."""
    for node in [iri, *groupings(view, iri)]:
        for predicate, value in view.node(node).get("literals", []):
            name = view.predicate_label(predicate)
            if len(value) > _VALUE_CHARS or not asked & {
                    t for t in content_tokens(name) if len(t) > 3}:
                continue
            label = view.label(node).removeprefix(value).strip() or value
            said = name.replace("_", " ").lower().split()  # "has_related_synonym"
            noun = " ".join(said[1:] if len(said) > 1 and said[0] in ("has", "is") else said)
            fact = walker.make_fact(node, predicate, value, f"The {noun} of {label} is {value}.",
                                    "property", literal=True)
            fact.score = W.LEAD
            return fact
    return None
