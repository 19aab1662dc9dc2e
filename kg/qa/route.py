"""Which renderer answers a question, once its form is read: the structure of the graph
(complete lists, counts, names, "is X a kind of Y") or the ranked facts around its topic.

A structural form answers only when the reading is sure, every word of the question is
accounted for by the form, and the question does not name one of the topic's own relations
("which group is acid rain in?" asks the relation "group", not the hierarchy).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from kg.qa import weights as W
from kg.qa.answer import NOT_IN_GRAPH, Answer, EntityRef, Fact
from kg.qa.chains import BROADER, RELATED, ChainReader
from kg.qa.compose import compose
from kg.qa.contrast import Contrasts
from kg.qa.filing import grouping, kind_child, one_member_of, one_parent_of, plural_alone
from kg.qa.forms import Lexicon, Reading
from kg.qa.hops import neighbours, two_hops
from kg.qa.intent import Intent
from kg.qa.kind_names import KindNames, named_at, uncounted
from kg.qa.plan import Planner
from kg.qa.relation_words import RelationWords
from kg.qa.steps import SHORT_TAIL
from kg.qa.structure import chain_of
from kg.qa.text import content_tokens, stem
from kg.qa.topics import Topics, asks_kind, for_what, kind_after, modifies_topic, qualifies
from kg.qa.values import value_named
from kg.qa.walk import Walker
from kg.rdf.terms import SKOS
from kg.view.graph_view import GraphView
from kg.view.phrasing import predicate_phrase

__all__ = ["FormRouter"]

# renderers whose lead a few ranked facts support (lists and names stand alone)
_SUPPORTED = frozenset({"kind_check", "path", "compare", "profile"})
# a relation named in other words: this far ahead of the next (W.RELATION_MIN close)
_RELATION_LEAD = 0.07
# ... or less close, but far ahead ("what does X need in order to work": "requires")
_RELATION_FAINT, _RELATION_CLEAR = 0.3, 0.1
# words that say nothing of the relation asked ("need" and "made" do, though common; "who"
# does too: it asks for an agent, "who uses X" is X "is used by")
_PARTICLES = frozenset({"for", "on", "by", "in", "with", "from", "to"})
_GRAMMAR = frozenset("""a an the of to for in on at by with from is are was were be been do does
did what which how it its this that these those there and or can could would should me please
tell else""".split())  # ("what else is X building": what X builds, less what is known)
# "how many N of X", "how many N are filed under X": N names the members of the topic counted
_COUNTED = re.compile(r"\bhow many (\w+) (?:of|(?:(?:are|is|there|listed|filed|recorded|defined|"
                      r"found|sit|fall|grouped) ){0,3}(?:under|in|within|below|beneath)) [XY]\b")
# a question that goes on after its first ask; after a semicolon, unless it asks about the
# first part by a pronoun ("X has related terms; what are their broader terms?")
_TWO_ASKS = re.compile(r"\w[?!]\s+\w|\w;\s+(?!.*\b(?:it|its|they|their|them|that|those|"
                       r"these|each)\b)\w")
# words that ask "is X a kind of Y" in so many words: a plain no answers them first
_KIND_WORDS = frozenset("kind type sort subtype subclass class category subcategory variety form "
                        "specy".split())  # stems
_SKOS_RELATED = str(SKOS.related)
_LEVELS = re.compile(r"\b(?:one|1) (?:level|step)\b")  # "X, one level up"
_KINDS_OF = re.compile(r"\b(\w+) of [XY]\b")  # "shades of X": maybe the kinds of X asked
# "the X groups", "X types", "groups of X": a plural by the topic names its members' kind
_KIND_AFTER = re.compile(r"\b[XY] ([a-z]{3,}[^s\W]s)\b|\b([a-z]{3,}[^s\W]s) of [XY]\b")
_BACK_REFERENCE = frozenset("their they them each those".split())  # to the members said
_KIND_BELOW = 60  # narrower concepts whose relations may be the one a question names
_ASKER = frozenset("i im my we our us if for when as".split())  # words that tell of the asker
_KINDS_ASKED = frozenset({"narrower", "examples", "count_narrower", "siblings"})
_MEMBERS = frozenset({"narrower", "examples", "count_narrower"})  # renderers asking for members


def _members_asked(reading: Reading) -> bool:
    """True when the question reads as asking for members."""
    return bool(reading.form) and reading.renderer in _KINDS_ASKED


class FormRouter:
    """Sends a read question to its structural renderer, when one answers it."""

    def __init__(self, view: GraphView, walker: Walker, planner: Planner,
                 lexicon: Lexicon,
                 encode: Callable[[list[str]], np.ndarray] | None = None) -> None:
        """``encode`` (texts to unit vectors) lets a relation be named in other words."""
        self._encode = encode
        self._phrase_vectors: dict[str, np.ndarray] = {}
        self.view = view
        self.walker = walker
        self.planner = planner
        self.lexicon = lexicon
        self.structure = planner.structure
        self.chains = ChainReader(view, walker, lexicon)
        self.kinds = KindNames(view, walker, encode)
        self.words = RelationWords(view)
        self._compares = lexicon.vocabulary.get("comparison", frozenset())
        self.contrasts = Contrasts(view, lexicon, planner.structure, encode, self._phrase_vector)

    def structural(self, raw: str, topics: Topics, reading: Reading,
                   full: bool) -> Answer | list[Fact] | None:
        """The answer of a form read off the graph's structure; or, for a form whose
        structural lead wants support ("is A a kind of B?", "how are A and B linked?"), the
        lead facts to rank support under; None when the ranked facts answer it."""
        renderer = reading.renderer
        chained = self._linked(raw, topics, reading, full)
        if chained is not None:
            return chained
        if reading.form == "comparison":
            return self.contrasts.compared(topics, reading)
        if reading.form == "definition":
            # a concept the graph does not define is described by where it is filed
            defined = self.read_topic(topics, reading) or self.topic(topics)  # (the one read)
            if defined is None or self.view.node(defined).get("description"):
                return None
            renderer = "profile"
        # a concept named but not taken for the topic leaves its words to account for
        # (one named twice is read: "every company in the organisations branch")
        read = self.read_topic(topics, reading) or self.topic(topics)
        again = [(a, b) for a, b in topics.spans if read and topics.span_names.get(a) == read]
        unread = len(set(topics.spans) - {*reading.spans, *again}) > 0 and not (
            topics.spans and (self.kinds.names_kind(  # (or the class of its members:
                topics, topics.spans[0][0], renderer == "siblings") or self.kinds.types_members(
                topics, topics.spans[0][0])))  # "every *model* filed under LLMs")
        unclaimed = [w for w in reading.unclaimed if w not in for_what(reading.masked)
                     and not any(w in topics.words[a:b] for a, b in again)]
        if unclaimed and renderer in _KINDS_ASKED | {"names"}:  # ("is X also called Y": a
            # name of its own) a word naming the kind of concepts near the topic ("drinks")
            near = self.kinds.words_near(read)
            named = {w for a, b in topics.spans for w in topics.words[a:b]  # topics, not kinds
                     if not self.kinds.names_kind(topics, a, renderer == "siblings")
                     and not self.kinds.types_members(topics, a)}
            unclaimed = [w for w in unclaimed if w in named or not (
                stem(w) in near or self.kinds.means_near(read, w))]
        if renderer in ("names", "count_names"):  # "a more technical synonym", "UK spelling"
            unclaimed = uncounted(reading.masked, [  # (nor a verb after "does X": "carry")
                w for w in unclaimed if not qualifies(reading.masked, w, self.lexicon.asking)])
        if reading.form.startswith("count") and reading.score >= W.READ_SURE:
            unclaimed = uncounted(reading.masked, unclaimed)
        # not "differ", nor "X and Y develop"
        if renderer == "path" and reading.score >= W.READ_SURE:
            said = {v for n in topics.named for p in self.words.relations(n)
                    for v in self.words.verb(p)}
            unclaimed = [w for w in unclaimed if stem(w) in self._compares or any(
                stem(w).startswith(v) for v in said if len(v) > 3)]  # ("developing")
        # "which image generation approaches ...": the kind asked for is no word of the form
        strict = (reading.form.startswith("count") or self.structure.pair(renderer) or unread
                  or bool(topics.asked and topics.asked in unclaimed))
        if unclaimed and modifies_topic(reading.masked, unclaimed):
            return None  # "examples of renewable X": the topic named is not what is asked
        counted = _COUNTED.search(reading.masked)
        kinds = {counted[1]} if renderer == "count_narrower" and counted else set()
        if renderer in _KINDS_ASKED:
            kinds |= {m[1] for m in _KINDS_OF.finditer(reading.masked)}
            # "all X groups" where X "is in the group", "X qualities" where X has only the
            # hierarchy: the plural names X's kinds; else it may ask a link ("X approaches")
            after = {m[1] or m[2] for m in _KIND_AFTER.finditer(reading.masked)}
            for named in topics.named if after else ():
                links = [p for p in self.words.relations(named) if p != _SKOS_RELATED]
                said = self.words.said_once(named, links)
                unclaimed = [w for w in unclaimed if not (
                    w in after and (stem(w) in said or not links))]
        # "how many shades of X are listed": a word the graph does not know names its kinds
        unclaimed = [w for w in unclaimed if w not in kinds or stem(w) not in topics.unknown]
        if not self.structure.handles(renderer) or (unclaimed and (
                strict or len(unclaimed) > 1 or reading.score < W.READ_SURE
                or any(stem(w) in topics.unknown for w in unclaimed))):
            # ranked facts answer it; or it asks more than the structure ("how many employees
            # does X have", "the population of Copenhagen": a word the graph does not know)
            return None
        if not self.structure.pair(renderer) and len({  # one concept named twice is one
                named_at(topics, start, end) for start, end in reading.spans
                if not self.kinds.names_kind(topics, start, renderer == "siblings")
                and not kind_after(self.view, topics, start)
                and not self.kinds.types_members(topics, start)}) > 1:
            # one concept asked of, a reading of two ("how many parameters does GPT-4 have")
            return None
        topic = self.read_topic(topics, reading) or self.topic(topics)
        says_kind = bool({stem(w) for w in topics.words} & _KIND_WORDS)  # "type", "kinds"
        if topic is not None and renderer in _MEMBERS:
            topic = grouping(self.view, topic, self._surface(topics, topic))
            if says_kind:  # "the kinds of X"
                topic = kind_child(self.view, topic, _KIND_WORDS)
        if topic is not None and renderer in _MEMBERS and any(
                not self.kinds.counts_under(topics, start, topic) for start, _ in reading.spans
                if self.kinds.names_kind(topics, start)):
            return None  # "how many parameters does GPT-4 have": no kind filed under GPT-4
        other = ""
        if self.structure.pair(renderer):
            named = topics.in_order()
            hints = [h for h in topics.hints if h not in named]
            if renderer == "kind_check" and len(named) == 1 and len(hints) == 1:
                named += hints  # "is X a kind of <class>?" (not "a model or a framework?")
            elif renderer == "kind_check" and len(named) == 1 and len(reading.spans) == 2 and (
                    topics.yes_no) and (said := self.structure.render("names", named[0])):
                # one concept by two of its names ("is a piano also called a fortepiano?")
                said[0].sentence = f"Yes: {said[0].sentence}"
                return self._answer(raw, said, reading, named[0])
            if len(named) < 2 or (renderer == "kind_check" and not topics.yes_no) or any(
                    asks_kind(topics.words, start) for start, _ in reading.spans):
                return None
            topic, other = named[:2]
            at = sorted((topics.named_at.get(topic, 0), topics.named_at.get(other, 0)))
            if renderer == "kind_check" and any(  # "does X include Y": is Y a kind of X
                    stem(w) in self.lexicon.directions.get("containing", ())
                    for w in topics.words[at[0] + 1:at[1]]):
                topic, other = other, topic
        # a relation the question names answers it, unless the form lists that relation's
        # kind whole (every related term, every other name); an unsure reading of members
        # gives way to a relation named by meaning ("all the parts of X": "has the component")
        named = None if topic is None or renderer == "related" else self.named_relation(
            topic, self.kinds.unparented(topic, reading.masked) if renderer == "siblings" else (
                reading.masked), by_meaning=reading.score < W.READ_SURE and len(topics.named) < 2
            and renderer in _MEMBERS,
            members=_members_asked(reading))
        if topic is None or (named is not None and not (
                renderer == "names" and named.kind == "property")):
            return None
        if reading.score < W.READ_SURE and not self.structure.holds(renderer, topic):
            return None  # an unsure reading whose answer would be "none": ranked facts
        lead = self.structure.render(renderer, topic, reading.lang, full, other)
        if not lead:
            return None
        if renderer == "kind_check" and lead[0].sentence.startswith("No:"):
            # not filed under it; but a link that joins the two says how they do relate
            # ("Generative AI builds on Machine Learning")
            direct = [(u, v, d) for u, v, d in self.view.nx.out_edges(topic, data=True)
                      if v == other and not d.get("hierarchy")] + [
                     (u, v, d) for u, v, d in self.view.nx.out_edges(other, data=True)
                     if v == topic and not d.get("hierarchy")]
            if direct:
                link = self.walker.edge_fact(*direct[0])
                link.score = lead[0].score
                if says_kind:
                    lead.insert(1, link)  # "is X a type of Y": no, then how they do relate
                else:  # "is X part of Y": the link says how it is, the hierarchy after
                    lead[0].sentence = lead[0].sentence.replace(
                        "No: the graph does not file", "As a kind, the graph does not file", 1)
                    lead.insert(0, link)
        if renderer in _SUPPORTED and not (other and other in topics.hints):
            return lead  # (a class named: its members around are no support)
        return self._answer(raw, lead, reading, topic)

    def members_instead(self, raw: str, lead: list[Fact], topics: Topics, reading: Reading,
                        full: bool) -> Answer | None:
        """All the members (or parents) of the one concept named, when no form (or members)
        was read and the answer would say one of them (kg.qa.filing), or only define the
        concept where a word of the question names the link ("X: each of its parents")."""
        said = [n for n in topics.named  # "mass qualities": quality names mass's kind
                if not kind_after(self.view, topics, topics.named_at.get(n, -1))]
        said = said or list(topics.hints)  # "which roles ...": the kind named
        guess = reading.form or max(reading.scores, key=reading.scores.__getitem__, default="")
        held = self.walker.definition(said[0]) if (
            len(said) == 1 and guess == "definition" and lead and lead[0].kind == "hierarchy"
            and not topics.yes_no) else None
        if held is not None:  # "could you tell me in plain words what an X is": defined
            return self._answer(raw, [held, lead[0]], reading, said[0])
        if len(said) == 1 and reading.form in ("", "definition") and plural_alone(
                self.view, topics, reading.masked, said[0],
                lambda w: w in _GRAMMAR or stem(w) in self.lexicon.grammar):
            # "directions in pato?": a concept's plural alone asks its members
            listed = self.structure.render("narrower", said[0], reading.lang, full, "")
            held = self.walker.definition(said[0]) if reading.form else None
            return self._answer(raw, [*([held] if held else []), *listed], reading, said[0])
        if (reading.form and reading.renderer not in _MEMBERS) or topics.yes_no or len(
                said) != 1 or not lead:
            return None  # (members read, but words left unaccounted: "the building blocks")
        links = {self.lexicon.links.get(w) for w in topics.words
                 if stem(w) not in _KIND_WORDS}  # "what kind of thing is X" names no link
        named = next((k for k in ("narrower", "broader") if (k,) in links), "")
        first, topic, renderer = lead[0], said[0], ""
        if first.kind == "definition" and first.nodes[:1] == (topic,):
            # "reptiles, what subgroups?", "mass qualities - list them": defined, one member
            if named and not reading.form and self.structure.holds(named, topic):
                renderer = named
            elif reading.form and len(lead) > 1 and one_member_of(self.view, lead[1], topic):
                renderer = "narrower"
        elif one_member_of(self.view, first, topic):
            renderer = "narrower"
        elif not reading.form and one_parent_of(self.view, first, topic):
            renderer = "broader"
        elif not reading.form and guess == "narrower" and first.kind in ("data", "text") and any(
                one_member_of(self.view, f, topic) for f in lead[1:3]):
            renderer = "narrower"  # "what are the X": leaning to members, one said below a
            # passage (a link of the graph said first answers as it is)
        if not renderer:
            return None
        listed = self.structure.render(renderer, topic, reading.lang, full, "")
        return self._answer(raw, listed, reading, topic) if listed else None

    def _answer(self, raw: str, lead: list[Fact], reading: Reading, topic: str) -> Answer:
        """The answer a structural lead gives on its own."""
        composed = compose(lead, [], quiet=set(), max_support=0, full=False)
        unheld = all(f.kind == "unheld" for f in lead)  # ("no Japanese label for X")
        return Answer(
            question=raw, abstained=unheld,
            text=f"{NOT_IN_GRAPH} {composed.text}" if unheld else composed.text,
            confidence=round(min(1.0, reading.score + 0.5), 4),
            entities=[EntityRef(topic, self.view.label(topic), 1.0, "named")],
            facts=composed.supporting,
            intent=[reading.form],
            chain=chain_of(self.view, lead),
        )

    def _masked(self, topics: Topics, topic: str) -> str:
        """The question's words with ``topic`` as X, a name of the kind asked for as K
        ("which *descriptors* is X associated with") and any other concept named as Y."""
        at = topics.named_at.get(topic)
        ends = dict(topics.spans)
        if at not in ends:
            return ""
        out, k = [], 0
        while k < len(topics.words):
            if k in ends and ends[k] > k and (k == at or not self.chains.says_link(
                    topics.words[k:ends[k]])):
                out.append("X" if k == at else "K" if self.kinds.names_kind(topics, k) else "Y")
                if k == at and self.kinds.said_plural(topic, topics.words[k:ends[k]]) and (
                        set(topics.words[ends[k]:]) & _BACK_REFERENCE):
                    out.append("kinds")  # "the fossil fuels, and their related terms"
                k = ends[k]
            else:
                out.append(topics.words[k])
                k += 1
        return " ".join(out)

    def _linked(self, raw: str, topics: Topics, reading: Reading, full: bool) -> Answer | None:
        """A chain of the taxonomy's own links ("the narrower terms of the broader term of
        X"), answered whole (kg.qa.chains); None when the question chains no two links."""
        topic = self.read_topic(topics, reading) or self.topic(topics)
        if topic is None or not reading.masked or _TWO_ASKS.search(raw.strip()):
            return None  # "X is under what? give every parent": one link asked twice
        # after what tells of the asker, the last clause alone ("I use X. What is it under?")
        told = reading.clause and topics.words[:1] and topics.words[0] in _ASKER
        said = reading.masked if told else self._masked(topics, topic)
        steps = self.chains.read(said or reading.masked, topic, least=1)
        if steps and reading.form == "siblings" and reading.score >= W.READ_SURE and all(
                s.kind == BROADER for s in steps):
            return None  # "which forest types share its parent": the siblings, no chain up
        if steps and len(steps) == 1:
            # "which descriptors is X associated with", "X - see also?": every related term;
            # "X, one level up" read as no form: the link it names
            kind = steps[0].kind if steps[0].kind == RELATED or not reading.form and (
                _LEVELS.search(reading.masked)) else ""
            said = kind in (RELATED, "broader", "narrower") and self.structure.render(
                kind, topic, reading.lang, full)
            return self._answer(raw, said, reading, topic) if said else None
        chain = self.chains.follow(topic, steps) if steps else None
        if chain is None or not chain.ends:
            return None  # the links lead nowhere: the ranked facts say what is near
        return self._answer(raw, [self.chains.answer(chain, full)], reading, topic)

    def asked_relation(self, topics: Topics, reading: Reading, intent: Intent) -> Fact | None:
        """The relation the question asks of its topic, as the fact that answers it: two
        relations in a chain (kg.qa.hops) when the question chains them or the kind it asks
        for is no neighbour of the topic; else one relation it names (in other words only
        when one concept is named: two ask how they relate). None when it names none."""
        topic = self.read_topic(topics, reading)
        if topic is None or reading.form == "comparison":
            return None
        # the kind asked for ("which industry", "who") ends the chain; a kind named
        # elsewhere ("the application X uses") is the one passed on the way
        asked = [h for h in topics.hints if asks_kind(topics.words, topics.named_at.get(h, 0))]
        ends = self.planner.asked_kinds(intent, asked)
        passed = {m for h in topics.hints if h not in asked for m in self.walker.kinds_of(h)}
        near = neighbours(self.view, self.walker, topic)
        # a chain starts at the concept its head names ("the kind of AI <X uses>"); a head
        # that names none, or a question that ends asking a kind ("..., and what is that a
        # branch of?": the hierarchy answers it), is no chain
        heads = [n for n in topics.in_order()
                 if intent.chain_head and self.planner.named_in(n, intent.chain_head)]
        start = heads[0] if heads else None if intent.chain_head else topic
        said = [w for w in intent.chain_head.split() if w not in ("all", "the", "those", "these")]
        if intent.fronted and heads and said and stem(said[0]) in content_tokens(
                self.view.label(heads[0])):
            # "The transformer architecture, what is it for?": a name, no clause; "The cars
            # Voltia makes, ...": the kind first, the chain starts at the name after it
            start = heads[1] if len(heads) > 1 else None
        at = topics.named_at.get(start, 0) if start is not None and intent.chain_head else 0
        if at and not passed:  # "what is the architecture <GPT-4 uses> good for": the noun
            # before the chain's start names the kind passed on the way
            noun = stem(topics.words[at - 1])
            passed = {m for t, label in self.view.type_labels.items()
                      if content_tokens(label) == [noun]
                      for m in self.view.members(t)}
        # "autodesk's product - what is it used for", "the product Spotify built": a kind
        # named next to the topic, of which the topic has neighbours, is passed on the way
        at = topics.named_at.get(topic, -9)
        end = dict(topics.spans).get(at, at + 1)
        words = topics.words
        beside = passed & near and any(  # "X's product", "the product X built"
            (h_at := topics.named_at.get(h, -9)) == end or (h_at and words[h_at - 1] in (
                "the", "that", "this") and (h_at + 1 == at or (  # "the products that X use"
                    h_at + 2 == at and words[h_at + 1] in ("that", "which"))))
            for h in topics.hints if h not in asked)
        if start is None and intent.chained and beside:
            start = topic
        if start is not None and not 0 <= intent.kind_of_tail <= SHORT_TAIL and (
                intent.chained or beside or (ends and not ends & near)):
            chain = self.chained(start, reading.masked, ends, passed)
            if chain is not None:
                return chain
        fact = self.named_relation(topic, reading.masked, by_meaning=len(topics.named) < 2,
                                   members=_members_asked(reading),
                                   faint=reading.form == "property")
        if fact is None and len(topics.named) < 2:  # "X comes from which company"; "which
            fact = (self.kinds.linked(topic, ends & near) if ends else None) or (  # industries
                self.kinds.through_kinds(topic, topics))  # use AI": those using kinds of AI
        elif fact is None and len(topics.named) == 2:  # "in healthcare, what is AI applied
            other = next(n for n in topics.named if n != topic)  # to": the other's relation,
            fact = self.named_relation(other, reading.masked)  # reaching kinds of the topic
            fact, topic = (fact, other) if fact and self.kinds.below(topic, fact) else (None, topic)
        others = set(topics.named) - {topic}
        if fact is not None and others and not any(
                o in fact.nodes or set(fact.nodes) & {*self.walker.members_of(o),
                                                      *self.view.narrower(o)} for o in others):
            return None  # "how are X and Y related": a link of X's alone says nothing of Y
        return fact

    def unlinked_kind(self, topics: Topics, reading: Reading, intent: Intent,
                      facts: list[Fact]) -> tuple[str, str] | None:
        """(the concept, why declined) when the question asks a kind of thing of one concept
        that the graph links to nothing of that kind (kg.qa.kind_names); else None."""
        if reading.renderer != "ranked" or intent.chained:
            return None
        if self.planner.asks_agent(intent):  # "who made X?"
            return self.kinds.no_agent(topics, facts, self.planner.asked_kinds(intent, []))
        return self.kinds.unlinked(topics, facts, lambda kinds: self.planner.asked_kinds(
            intent, kinds))

    @staticmethod
    def beside(asked: Fact, lead: list[Fact]) -> list[Fact]:
        """The leads that still say something next to the relation asked: not those it
        covers; and next to a chain of two relations, no other way from its start (the
        chain is the one the question's words name)."""
        covers = set(asked.nodes)
        chain = len({p.predicate for p in asked.triples()}) > 1
        return [f for f in lead if not set(f.nodes) <= covers and not (
            chain and f.kind == "group" and asked.nodes[0] in f.nodes)]

    def chained(self, start: str, masked: str, ends: set[str], passed: set[str]
                ) -> Fact | None:
        """Two relations from ``start`` whose phrases are closest in meaning to the
        question's words, followed to the end (members of ``ends`` when a kind is asked)."""
        said = masked.split()
        # a preposition after a word it makes a phrase with stays ("good for", "rely on")
        plain = [w.isalpha() and w not in ("X", "Y", "L") and w not in _GRAMMAR for w in said]
        words = [w for k, w in enumerate(said)
                 if plain[k] or (w in _PARTICLES and k and plain[k - 1])]
        if not any(w not in _PARTICLES for w in words) or self._encode is None:
            return None
        return two_hops(self.view, self.walker, start, (ends, passed), words, self._encode,
                        self._phrase_vector, said=masked.lower().split())

    def named_relation(self, iri: str, masked: str, by_meaning: bool = False,
                       members: bool = False, faint: bool = False) -> Fact | None:
        """The concept's own relation the question names, as the fact stating it ("which
        group is acid rain in?" where acid rain has a "group"; "the opposite of increased
        size" where it "is opposite of" another). With ``by_meaning``, a relation said in
        other words counts when its phrase is clearly the closest in meaning to the question's
        own words ("what does X need" where X "requires"); with ``faint`` (a property is
        read as asked), also one less close but far ahead. With ``members`` (the members are
        asked), a plural right after the topic names their kind, not a relation ("all X
        groups" where X is "in the group" of a theme). None when the question names none."""
        asked = {stem(w) for w in content_tokens(masked) if w not in ("x", "y", "l")}
        relations = self.words.relations(iri)
        said = self.words.said_once(iri, relations)  # "X groups", not "what X needs"
        kinds = {w for m in _KIND_AFTER.finditer(masked) if stem(w := m[1] or m[2]) in said} if (
            members and self.view.narrower(iri)) else set()
        asked -= self.lexicon.asking | {stem(w) for w in kinds}
        ends_of = masked.split()[-1:] in (["of"], ["by"])  # "X is an example of?"
        for predicate in sorted(relations, key=lambda p: (predicate_phrase(
                self.view, p).split()[-1:] in (["of"], ["by"])) != ends_of) if asked else ():
            for word in sorted(asked & self.words.verb(predicate)):
                fact = self.planner.asked_property(iri, word, predicate)
                if fact is not None:
                    return fact
        held = value_named(self.view, self.walker, iri, asked) if asked else None
        if held is not None:
            return held
        if not by_meaning or self._encode is None or not relations:
            return None
        words = [w for w in masked.split() if w not in ("X", "Y", "L") and (
            w not in _GRAMMAR or w in _PARTICLES)  # "used *for*" is no "uses"
                 and w.isalpha() and stem(w) not in self.lexicon.asking and w not in kinds]
        words = words if any(w not in _PARTICLES for w in words) else []
        if not words:
            return None
        question = self._encode([" ".join(words)])[0]
        scored = sorted(((float(self._phrase_vector(p) @ question), p) for p in relations),
                        reverse=True)
        best, predicate = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if (best < W.RELATION_MIN or best - runner_up < _RELATION_LEAD) and (
                not faint or best < _RELATION_FAINT or best - runner_up < _RELATION_CLEAR):
            return None  # neither close enough nor far enough ahead of the others
        return self.planner.asked_property(iri, "", predicate)

    def _phrase_vector(self, predicate: str) -> np.ndarray:
        vec = self._phrase_vectors.get(predicate)
        if vec is None and self._encode is not None:
            vec = self._phrase_vectors[predicate] = self._encode(
                [predicate_phrase(self.view, predicate)])[0]
        return vec

    def names_relation(self, words: list[str], iri: str) -> bool:
        """True when ``words`` (a name found in the question) say one of ``iri``'s own
        relations: in "the opposite of increased size", "opposite" asks the relation, even
        where the graph has a concept of that name."""
        said = {stem(w) for w in content_tokens(" ".join(words))}
        # the concept's own relations, or its kinds' ("the opposite of fertility": fertile
        # is opposite of sterile)
        near = [iri, *self.view.narrower(iri)[:_KIND_BELOW]]
        return bool(said) and any(said <= self.words.verb(p) for n in near
                                  for p in self.words.relations(n))

    @staticmethod
    def _surface(topics: Topics, topic: str) -> str:
        """The words the question named ``topic`` by."""
        at = topics.named_at.get(topic)
        end = dict(topics.spans).get(at) if at is not None else None
        return " ".join(topics.words[at:end]) if end else ""

    def read_topic(self, topics: Topics, reading: Reading) -> str | None:
        """The concept the reading took for the topic: the first span it masked, unless
        that span only says which kind of thing is asked ("which other colors are siblings
        of red": the topic is red)."""
        spans = list(reading.spans)
        if len(spans) > 1:
            spans = [s for s in spans if not self.kinds.names_kind(
                topics, s[0], reading.renderer == "siblings")] or spans
        for start, _ in spans:
            found = next((n for n, at in topics.named_at.items() if at == start
                          and n in topics.named), None)
            if found is not None:
                return found
        if reading.renderer in _MEMBERS and len(spans) == 1:
            # "some example companies?": the kind named is the one whose members are asked
            return next((n for n, at in topics.named_at.items() if at == spans[0][0]
                         and n in topics.hints), None)
        return None

    def topic(self, topics: Topics) -> str | None:
        """The concept a one-topic question is about: the first it names, else the closest
        concept by meaning when it is close enough to be what the words meant."""
        if topics.named:
            return topics.in_order()[0]
        best = next((e for e in topics.entities if self.view.is_concept(e.iri)), None)
        if best is not None and best.score >= W.TOPIC_GUESS:
            return best.iri
        return None
