""""X vs Y", however worded: when the two are answered side by side in one sentence, and
when the question asks more than the contrast (an aspect both have, the link between them).

The side-by-side sentence itself is a structural renderer (``kg.qa.compare``); this module
only decides whether it answers.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

import numpy as np

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.forms import Lexicon, Reading
from kg.qa.hops import root
from kg.qa.steps import ALIKE
from kg.qa.structure import StructureRenderer
from kg.qa.text import content_tokens, stem
from kg.qa.topics import Topics, asks_kind, modifies_topic
from kg.view.graph_view import GraphView

__all__ = ["Contrasts"]

_EDGES = 400  # a hub's links read for it (thesaurus top concepts have thousands)
_LITERALS = 8  # a neighbour's literals read for the aspect a comparison asks about


class Contrasts:
    """Decides whether two named concepts are answered as a contrast."""

    def __init__(self, view: GraphView, lexicon: Lexicon, structure: StructureRenderer,
                 encode: Callable[[list[str]], np.ndarray] | None,
                 phrase_vector: Callable[[str], np.ndarray]) -> None:
        """``phrase_vector`` gives a predicate's phrase as a unit vector (cached by the
        caller, shared with the relations it reads)."""
        self.view = view
        self.lexicon = lexicon
        self.structure = structure
        self._encode = encode
        self._phrase_vector = phrase_vector

    def compared(self, topics: Topics, reading: Reading) -> list[Fact] | None:
        """"X vs Y", however worded: the two side by side in one sentence (kg.qa.compare),
        unless the question asks them compared on an aspect the graph states of both
        ("X vs Y on cost": the paired facts answer), or names the kind asked for."""
        named = topics.in_order()[:2]
        if len(named) < 2 or any(asks_kind(topics.words, start) for start, _ in reading.spans):
            return None
        if ALIKE.search(reading.masked) or any(
                a[1] == b[0] for a, b in zip(topics.spans, topics.spans[1:], strict=False)):
            # what the two share is asked (ranked facts say it); or two names side by side
            # are one thing ("deep learning fraud detection")
            return None
        if reading.unclaimed and (
                reading.score < W.READ_SURE or len(reading.unclaimed) > 1
                or modifies_topic(reading.masked, reading.unclaimed)
                or self._aspect(named, reading.unclaimed)
                or self._link_named(named, reading.unclaimed)):
            # ... or more than the contrast ("how do I decide between X and Y for a project")
            return None
        return self.structure.render("compare", named[0], other=named[1]) or None

    def _link_named(self, compared: list[str], words: list[str]) -> bool:
        """True when the words the comparison form leaves say, in meaning, the link the
        graph holds between the two ("how are they opposed": "is opposite of"): that link
        is what is asked."""
        a, b = compared
        links = {d["predicate"] for u, v, d in [*self.view.nx.out_edges(a, data=True),
                                                *self.view.nx.out_edges(b, data=True)]
                 if {u, v} == {a, b} and not d.get("hierarchy")}
        if not links or self._encode is None:
            return False
        said = self._encode([" ".join(words)])[0]
        return any(float(self._phrase_vector(p) @ said) >= W.RELATION_MIN for p in links)

    def _aspect(self, compared: list[str], words: list[str]) -> bool:
        """True when a word the comparison form does not account for is said of each
        compared concept (a relation, a neighbour's name or a table's aspect): the question
        asks them compared on it. "What separates them" names nothing either has."""
        # read by roots: "what powers them" asks what each "is powered by"
        asked = {root(w) for w in words if stem(w) not in self.lexicon.asking}
        if not asked:
            return False
        for iri in compared:
            said: set[str] = set()
            edges = [*islice(self.view.nx.out_edges(iri, data=True), _EDGES),
                     *islice(self.view.nx.in_edges(iri, data=True), _EDGES)]
            for u, v, d in edges:
                other = v if u == iri else u
                text = " ".join([d.get("label", ""), self.view.label(other),
                                 *(str(x) for _, x in self.view.node(other).get(
                                     "literals", [])[:_LITERALS])])
                said |= {root(t) for t in content_tokens(text)}
            if not asked & said:
                return False
        return True
