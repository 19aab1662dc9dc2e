"""What linking found in a question, as the router reads it: the concepts named and where,
the ranked entities, the question's words, and the kinds it names as asked for."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field

from kg.qa.answer import EntityRef
from kg.qa.text import stem
from kg.view.graph_view import GraphView

__all__ = ["Topics", "asks_kind", "for_what", "kind_after", "modifies_topic", "qualifies"]

# what the answer is for, said last ("every parent of X for an index", "... for my table")
_FOR_WHAT = re.compile(r"\bfor (?:a|an|my|our|the|this|your) ([a-z]+(?: [a-z]+)?)\W*$")

_WH = frozenset({"which", "what"})
# words between "which"/"how many" and the kind asked ("how many narrower regions")
_OTHER = frozenset({"other", "more", "further", "else", "narrower", "broader", "direct",
                    "immediate", "specific", "general"})


@dataclass(frozen=True)
class Topics:
    """What linking found: the concepts named, where each is first named, the ranked
    entities, and whether the question asks yes or no."""

    named: list[str]
    named_at: dict[str, int]
    entities: list[EntityRef]
    yes_no: bool
    words: list[str]  # the question's words, as linking read them
    unknown: frozenset[str]  # stems of its words the graph does not know
    spans: list[tuple[int, int]]  # every span that names a concept
    asked: str = ""  # the noun a "which ..." question asks for ("approaches"), if any
    hints: tuple[str, ...] = ()  # concepts named as the kind asked for ("which companies")
    span_names: dict[int, str] = field(default_factory=dict)  # what the span at each start names

    def in_order(self) -> list[str]:
        """The concepts named, in the order the question names them."""
        return sorted(self.named, key=lambda n: self.named_at.get(n, 0))


def asks_kind(words: list[str], start: int) -> bool:
    """True when the name at ``start`` follows "which"/"what"/"how many" (and "other"), or
    is joined by "and"/"or" to a word that does: it names the kind of thing asked for, not
    the topic."""
    k = start - 1
    while k >= 0 and words[k] in _OTHER:
        k -= 1
    if k >= 2 and words[k] in ("and", "or"):  # "how many architectures and models"
        return asks_kind(words, k - 1)
    if k < 0 and start > 0:  # "narrower qualities under X": said first, after "narrower"
        return True
    return k >= 0 and (words[k] in _WH or (words[k] == "many" and k >= 1
                                            and words[k - 1] == "how"))


def for_what(masked: str) -> set[str]:
    """The words of a closing "for an index", "for my table": what the answer is for,
    not what is asked (a topic there is masked, and no such phrase)."""
    said = _FOR_WHAT.search(masked)
    return set(said[1].split()) if said else set()


def qualifies(masked: str, word: str, asking: Container[str]) -> bool:
    """True when ``word`` stands right before a word that asks: it qualifies what is asked
    ("a more *technical* synonym", "the *British* spelling"), not what it is asked of."""
    said = masked.split()
    return any(a == word and stem(b) in asking
               for a, b in zip(said, said[1:], strict=False))


def modifies_topic(masked: str, unclaimed: list[str]) -> bool:
    """True when a word no form accounts for stands right before a topic ("renewable X"):
    it narrows the topic to something the graph did not name. A lone word between the two
    topics joins them ("X unlike Y"), it narrows neither."""
    words = masked.split()
    return any(w in unclaimed and words[k + 1] in ("X", "Y")
               and not (k and words[k - 1] in ("X", "Y"))
               for k, w in enumerate(words[:-1]))


def kind_after(view: GraphView, topics: Topics, start: int) -> bool:
    """True when the name at ``start`` follows another name straight after and is one of
    its broader concepts: "the finance sector" where finance is filed under industries
    (the kind of the concept before it, not a second topic)."""
    here = [n for n, at in topics.named_at.items() if at == start]
    before = [n for n, at in topics.named_at.items() if dict(topics.spans).get(at) == start]
    return any(h in chain[1:] for h in here for b in before for chain in view.ancestors(b))
