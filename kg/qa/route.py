"""Which renderer answers a question, once its form is read: the structure of the graph
(complete lists, counts, names, "is X a kind of Y") or the ranked facts around its topic.

A structural form answers only when the reading is sure, every word of the question is
accounted for by the form, and the question does not name one of the topic's own relations
("which group is acid rain in?" asks the relation "group", not the hierarchy).
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.qa import weights as W
from kg.qa.answer import Answer, EntityRef, Fact
from kg.qa.compose import compose
from kg.qa.forms import Lexicon, Reading
from kg.qa.plan import Planner
from kg.qa.structure import StructureRenderer
from kg.qa.text import content_tokens, first_sentence, stem
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView

__all__ = ["FormRouter", "Topics"]


@dataclass(frozen=True)
class Topics:
    """What linking found: the concepts named, where each is first named, the ranked
    entities, and whether the question asks yes or no."""

    named: list[str]
    named_at: dict[str, int]
    entities: list[EntityRef]
    yes_no: bool


class FormRouter:
    """Sends a read question to its structural renderer, when one answers it."""

    def __init__(self, view: GraphView, walker: Walker, planner: Planner,
                 lexicon: Lexicon) -> None:
        self.view = view
        self.walker = walker
        self.planner = planner
        self.lexicon = lexicon
        self.structure = StructureRenderer(view, walker, lexicon)

    def structural(self, raw: str, topics: Topics, reading: Reading,
                   full: bool) -> Answer | None:
        """The answer of a form read off the graph's structure, or None when the ranked
        facts answer it."""
        renderer = reading.renderer
        if reading.form == "definition":
            # a concept the graph does not define is described by where it is filed
            defined = self.topic(topics)
            if defined is None or self.view.node(defined).get("description"):
                return None
            renderer = "profile"
        if not self.structure.handles(renderer) or len(reading.unclaimed) > (
                0 if reading.form.startswith("count") else 1):
            # ranked facts answer it; or it asks about more than the structure ("how many
            # employees does X have": a count of no hierarchy)
            return None
        topic = self.read_topic(topics, reading) or self.topic(topics)
        other = ""
        if self.structure.pair(renderer):
            named = sorted(topics.named, key=lambda n: topics.named_at.get(n, 0))
            if len(named) < 2 or (renderer == "kind_check" and not topics.yes_no):
                return None
            topic, other = named[:2]
        if topic is None or self.named_relation(topic, reading.masked) is not None:
            return None
        lead = self.structure.render(renderer, topic, reading.lang, full, other)
        if not lead:
            return None
        if other:  # "is A a kind of B?": what A is supports the verdict
            what = self.walker.definition(topic)
            if what is not None:
                what.sentence = first_sentence(what.sentence)
                lead.append(what)
        composed = compose(lead, [], quiet=set(), max_support=0, full=False)
        return Answer(
            question=raw,
            text=composed.text,
            abstained=False,
            confidence=round(min(1.0, reading.score + 0.5), 4),
            entities=[EntityRef(topic, self.view.label(topic), 1.0, "named")],
            facts=composed.supporting,
            intent=[reading.form],
            chain=[],
        )

    def named_relation(self, iri: str, masked: str) -> Fact | None:
        """The concept's own relation the question names, as the fact stating it ("which
        group is acid rain in?" where acid rain has a "group"; "the opposite of increased
        size" where it "is opposite of" another). None when the question names none."""
        for word in content_tokens(masked):
            if word not in ("x", "y", "l") and stem(word) not in self.lexicon.asking:
                fact = self.planner.asked_property(iri, word)
                if fact is not None:
                    return fact
        return None

    @staticmethod
    def read_topic(topics: Topics, reading: Reading) -> str | None:
        """The concept the reading took for the topic (the first span it masked)."""
        if not reading.spans:
            return None
        start = reading.spans[0][0]
        return next((n for n, at in topics.named_at.items() if at == start
                     and n in topics.named), None)

    def topic(self, topics: Topics) -> str | None:
        """The concept a one-topic question is about: the first it names, else the closest
        concept by meaning when it is close enough to be what the words meant."""
        if topics.named:
            return min(topics.named, key=lambda n: topics.named_at.get(n, 0))
        best = next((e for e in topics.entities if self.view.is_concept(e.iri)), None)
        if best is not None and best.score >= W.TOPIC_GUESS:
            return best.iri
        return None
