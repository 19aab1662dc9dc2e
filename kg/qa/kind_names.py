"""Which names in a question say the kind of thing asked for, not what it is about: "how
many *architectures* are under deep learning", "other *polyploid* types next to hexaploid".
A name of a kind is not a second topic; the router reads the question with it set apart."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable

import numpy as np

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.filing import grouping
from kg.qa.hops import neighbours
from kg.qa.linking import asks_for_kind
from kg.qa.text import content_tokens, stem
from kg.qa.topics import Topics, asks_kind
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView
from kg.view.phrasing import agree, predicate_phrase

__all__ = ["KindNames", "named_at", "uncounted"]

_KIND_DEPTH = 2  # a concept this many levels above another named one says the kind asked
_KIND_BELOW = 60  # narrower concepts whose labels may name the kind of members asked
_MEANT_NEAR = 12  # concepts around a topic whose names a kind word is compared with
_MEANT_KEPT = 4096  # label vectors remembered between questions
_KIND_GAP = 4  # "which company makes X": the kind asked this close before the topic
_BELOW_MAX = 300  # kinds of a topic through which the members of a kind asked may link to it
# the noun phrase "how many" counts, up to its verb: its head is last
_COUNTED_PHRASE = re.compile(r"\bhow many ((?:[\w-]+ ){0,2}?[\w-]+)(?= (?:does|do|did|are|is|"
                             r"were|was|have|has|there|can|will)\b)")
# "how many tones are listed under red": whatever is counted, it is filed under a concept
_FILED_UNDER = re.compile(r"\bhow many (?:[\w-]+ ){1,3}(?:(?:are|is|there|listed|filed|recorded|"
                          r"grouped|classified|placed|found|sit|fall|come|go) ){0,3}"
                          r"(?:under|below|beneath)\b")


_AUXILIARY = frozenset("is are was were do does did has have can".split())
_COPULA = frozenset("is are was were".split())
_MODAL = frozenset("would could should will must might may".split())
_ASKER = frozenset("i we you one".split())  # the asker's own clause after the topic
# an article, or the entry's own noun, before a topic ("the X", "the concept X")
_BEFORE_TOPIC = frozenset("the a an this that its concept term entry descriptor heading "
                          "class".split())
_PREPOSITIONS = frozenset("in on at by for from with of".split())  # ("to weigh" is a verb)


def uncounted(masked: str, unclaimed: list[str]) -> list[str]:
    """The words of a count question left ``unclaimed`` that may say what is counted: not
    those after the topic and its auxiliary ("how many X are there to weigh", "how many
    labels does X carry"), unless a preposition leads them ("how many X are there in
    France"): only a word before the topic names what is counted."""
    said = masked.split()
    last = max((k for k, w in enumerate(said) if w in ("X", "Y")), default=len(said))
    first = last  # "does the X entry carry": the auxiliary before the topic's article
    while first > 0 and said[first - 1] in _BEFORE_TOPIC:
        first -= 1
    if not (set(said[last + 1:last + 2]) & _COPULA or set(said[first - 1:first]) & _AUXILIARY
            or (set(said[last + 1:last + 2]) & _AUXILIARY | _MODAL
                and set(said[last + 2:last + 3]) & _ASKER)):  # "how many X would I ..."
        return unclaimed  # ("how many X does France have": France is who has them)
    after = {w for k, w in enumerate(said[last + 1:], last + 1)
             if said[k - 1] not in _PREPOSITIONS}
    return [w for w in unclaimed if w not in after]


def named_at(topics: Topics, start: int, end: int) -> str:
    """What the words ``start:end`` name; failing that, a concept named earlier by the
    same words is that concept."""
    if start in topics.span_names:
        return topics.span_names[start]
    words = topics.words[start:end]
    for n, at in topics.named_at.items():
        span = next((s for s in topics.spans if s[0] == at), None)
        if at == start or (span and topics.words[span[0]:span[1]] == words):
            return n
    return " ".join(words)


class KindNames:
    """Reads the names and words of a question that say the kind of its answers."""

    def __init__(self, view: GraphView, walker: Walker,
                 encode: Callable[[list[str]], np.ndarray] | None = None) -> None:
        """``encode`` (texts to unit vectors) lets a kind be said in other words."""
        self.view = view
        self.walker = walker
        self._encode = encode
        self._label_vectors: dict[str, np.ndarray] = {}

    def means_near(self, topic: str | None, word: str) -> bool:
        """True when ``word`` says in other words the name of ``topic`` or of a concept up
        to two levels above it ("drinks" beside beer, filed under "beverages"): the kind
        of its siblings or members, not a word that narrows what is asked."""
        if topic is None or self._encode is None or not word.isalpha():
            return False
        up = self.view.broader(topic)
        near = [topic, *up, *(b for u in up for b in self.view.broader(u))][:_MEANT_NEAR]
        todo = [n for n in near if n not in self._label_vectors]
        vectors = self._encode([word, *(self.view.label(n) for n in todo)])
        if len(self._label_vectors) > _MEANT_KEPT:
            self._label_vectors.clear()
        self._label_vectors.update(zip(todo, vectors[1:], strict=True))
        return any(float(vectors[0] @ self._label_vectors[n]) >= W.KIND_MEANT for n in near)

    def linked(self, topic: str, reached: set[str]) -> Fact | None:
        """The one link from ``topic`` to a concept of the kind asked, whatever the words
        say of it: the kind alone says which link is meant. None unless exactly one."""
        edges = [(u, v, d) for u, v, d in self.view.nx.out_edges(topic, data=True)
                 if v in reached and not d.get("hierarchy")] + [
                (u, v, d) for u, v, d in self.view.nx.in_edges(topic, data=True)
                if u in reached and not d.get("hierarchy")]
        if len({u if v == topic else v for u, v, _ in edges}) != 1:
            return None
        return self.walker.edge_fact(*edges[0])

    def through_kinds(self, topic: str, topics: Topics) -> Fact | None:
        """The members of the kind the question asks for ("which industries", "a few
        industries", "examples of industries") that link, not to ``topic`` itself, but to
        kinds of it ("industries that use AI": those that apply deep learning, a kind of AI),
        in one sentence naming the kinds they link to; None when some link to the topic
        itself (the link is then said as it is) or none link to its kinds."""
        spans = dict(topics.spans)
        members = {m for h in topics.hints if h != topic and asks_for_kind(
            topics.words, (at := topics.named_at.get(h, 0)), spans.get(at, at + 1))
            for m in self.walker.kinds_of(h)}
        edges = [e for e in self._links(topic) if (e[0] in members) != (e[1] in members)]
        if edges or not members:
            return None
        below, seen, todo = [], {topic}, deque(self.view.narrower(topic))
        while todo and len(below) < _BELOW_MAX:  # its kinds, nearest first
            n = todo.popleft()
            if n not in seen:
                below.append(n)
                seen.add(n)
                todo += self.view.narrower(n)
        inside = set(below)
        edges = [e for n in below for e in self._links(n)
                 if (e[0] in members) != (e[1] in members) and (
                     e[0] if e[0] in members else e[1]) not in inside
                 and all(self.view.is_concept(x) and not self.walker.is_data(x) for x in e[:2])]
        if not edges:
            return None
        outward = [e for e in edges if e[0] in members]  # "Healthcare applies Deep Learning"
        predicates = {e[2]["predicate"] for e in outward}
        linked = sorted({e[0] if e[0] in members else e[1] for e in edges},
                        key=lambda n: self.view.label(n).lower())
        kinds = sorted({e[1] if e[0] in members else e[0] for e in edges},
                       key=lambda n: self.view.label(n).lower())
        # the kinds said are the highest reached ("Generative AI", not also "Bard" under it)
        kinds = [k for k in kinds if not any(a in kinds for chain in self.view.ancestors(k)
                                             for a in chain[1:])] or kinds
        names = join_names([self.view.label(n) for n in linked])
        reached = " or ".join([", ".join(self.view.label(k) for k in kinds[:-1]), self.view.label(
            kinds[-1])] if len(kinds) > 1 else [self.view.label(kinds[0])])
        kind_of = f"{'a kind' if len(kinds) == 1 else 'kinds'} of {self.view.label(topic)}"
        if len(outward) == len(edges) and len(predicates) == 1:
            verb = predicate_phrase(self.view, next(iter(predicates)))
            verb = agree(names if len(linked) == 1 else "others", verb)
            text = f"{names} {verb} {reached}, {kind_of}."
        else:
            text = f"{names} {'is' if len(linked) == 1 else 'are'} linked to {reached}, {kind_of}."
        parts = [self.walker.edge_fact(*e) for e in edges]
        fact = self.walker.make_fact(parts[0].subject, parts[0].predicate, parts[0].object,
                                     text[:1].upper() + text[1:], "group",
                                     src=[s for f in parts for s in f.sources])
        fact.parts = parts
        fact.nodes = tuple(dict.fromkeys([topic, *linked, *kinds]))
        fact.score = W.LEAD
        return fact

    def _links(self, node: str) -> list[tuple[str, str, dict]]:
        """``node``'s links other than the hierarchy, both ways."""
        return [e for e in [*self.view.nx.out_edges(node, data=True),
                            *self.view.nx.in_edges(node, data=True)]
                if not e[2].get("hierarchy")]

    def words_near(self, topic: str | None) -> frozenset[str]:
        """The stems of the labels around ``topic`` (itself, two levels up, one down), the
        other names of it and its parents, and the classes it and its members are typed
        with: the words that can name the kind of its members or siblings ("architectures"
        of deep learning's CNN, "problems" beside one filed under "key problems")."""
        if topic is None:
            return frozenset()
        up = self.view.broader(topic)
        below = (self.view.narrower(topic) or self.view.narrower(  # (or its namesake's:
            grouping(self.view, topic)))[:_KIND_BELOW]  # "European peoples", the Europeans)
        near = [topic, *up, *(b for u in up for b in self.view.broader(u)), *below]
        classes = {t for n in (topic, *below) for t in self.view.node(n).get("types", ())}
        labels = [self.view.label(n) for n in near] + [
            self.view.type_labels.get(t) or self.view.label(t) for t in classes] + [
            a for n in (topic, *up) for a in self.view.node(n).get("alt_labels", ())]
        return frozenset(t for label in labels for t in content_tokens(label))

    def names_kind(self, topics: Topics, start: int, sibling: bool = False) -> bool:
        """True when the name at ``start`` says which kind of thing is asked, not what the
        question is about: it follows "which"/"how many", or it names a broader concept of
        another concept named, when ``sibling`` ones are asked ("other polyploid types next to
        hexaploid": polyploid)."""
        if asks_kind(topics.words, start):
            return True
        if not sibling:
            return False
        here = {n for n, at in topics.named_at.items() if at == start}
        others = [n for n in topics.named if topics.named_at.get(n) != start]
        # the parent itself, or a name all of whose words the parent's label says ("other
        # kinds of water beside drinking water", filed under "water (substance)")
        said = [set(content_tokens(self.view.label(h))) for h in here]
        if any(here & set(self.view.node(n).get("types", [])) for n in others):
            return True  # the class the other is a member of ("its peer *algorithms*")
        return bool(here) and any(
            here & set(chain[1:_KIND_DEPTH + 1]) or any(
                w and w <= set(content_tokens(self.view.label(a)))
                for w in said for a in chain[1:_KIND_DEPTH + 1])
            for n in others for chain in self.view.ancestors(n))

    def below(self, kind: str, fact: Fact) -> bool:
        """True when a concept ``fact`` reaches (past its subject) is filed under ``kind``,
        at any depth: "AI" in "what AI does healthcare apply" names the kind reached."""
        return any(kind in chain[1:] for n in fact.nodes[1:] if n != kind
                   for chain in self.view.ancestors(n))

    def said_plural(self, topic: str, said: list[str]) -> bool:
        """True when the words ``said`` name ``topic``, which has narrower concepts, in
        the plural where its label is singular ("the fossil fuels" for "Fossil fuel"): its
        members are meant."""
        last = self.view.label(topic).split()[-1:]
        return bool(said and last and self.view.narrower(topic)) and said[-1] != last[
            0].lower() and said[-1].endswith("s") and stem(said[-1]) == stem(last[0].lower())

    def unparented(self, topic: str, masked: str) -> str:
        """``masked`` without the words of the topic's broader concepts and the plural they
        qualify: in "the components beside X", where X is filed under "Model Components", the
        word names X's class, not its relation "component of"; so do "groups" in "the other
        mammal groups" and "the other groups of vertebrates" (not the thesaurus's "group")."""
        parents = {w for b in self.view.broader(topic) for w in content_tokens(self.view.label(b))}
        words = masked.split()
        said = [stem(w) in parents for w in words]
        named = [w in ("X", "Y") for w in words] if {"X", "Y"} <= set(words) else said
        kind = [k for k, w in enumerate(words) if w.endswith("s") and (  # (or the parent named:
            (k and named[k - 1]) or (  # "which other Y groups sit next to X")
                k + 2 < len(words) and words[k + 1] == "of" and named[k + 2]))]
        return " ".join(w for k, w in enumerate(words) if not said[k] and k not in kind)

    def types_members(self, topics: Topics, start: int) -> bool:
        """True when the span at ``start`` names a class the narrower concepts of another
        concept named are members of ("the AI use cases under the *applications* heading"):
        it says their kind."""
        kind = topics.span_names.get(start)
        members = self.walker.members_of(kind) if kind else set()
        return bool(members) and any(
            members & set(self.view.narrower(n)) for n in topics.named if n != kind)

    def counts_under(self, topics: Topics, start: int, topic: str) -> bool:
        """True when the kind named at ``start`` ("how many *industries* are under industry")
        is the topic itself or a kind its narrower concepts are members of."""
        kinds = [n for n, at in topics.named_at.items() if at == start]
        if not kinds or topic in kinds or any(grouping(self.view, k) == topic for k in kinds):
            return True  # (or the kind's namesake that has the members: "European" peoples)
        below = set(self.view.narrower(topic))
        above = {a for chain in self.view.ancestors(topic) for a in chain[1:]}
        # the kind is one the topic's members are of, or one the topic itself is filed
        # under ("how many qualities are under process quality")
        return any(self.walker.kinds_of(k) & below or k in above for k in kinds)

    def counts_concepts(self, normed: str, measure: str, named: list[str],
                        asking: frozenset[str]) -> bool:
        """True when the "how many N" of a ``normed`` question counts concepts, not a
        quantity: N is made of ``asking`` words ("child terms"), names a concept named that
        has members, or is counted under one ("how many tones are listed under red")."""
        said = re.search(rf"\bhow many {re.escape(measure)}\b", normed)
        if not said and not _FILED_UNDER.search(normed):
            return False
        phrase = _COUNTED_PHRASE.search(normed)  # "how many top level branches does"
        head = phrase[1].split()[-1] if phrase else measure.split()[-1]
        asked = {stem(head)} - asking
        if not asked:
            return True
        if len(named) == 1 and _FILED_UNDER.search(normed) and self.view.narrower(
                grouping(self.view, named[0])):  # ("European peoples": the Europeans)
            return True
        # "how many position terms", "how many qualities ... under process quality"
        if len(named) == 2:  # the kind counted is one the other concept is filed under
            n, o = named if asked <= self._label_stems(named[0]) else named[::-1]
            return asked <= self._label_stems(n) and any(
                n in chain[1:] for chain in self.view.ancestors(o))
        group = grouping(self.view, named[0]) if len(named) == 1 else ""
        return bool(group) and asked <= self._label_stems(named[0]) | (  # ("how many
            self.words_near(group) if group != named[0] else set()) and (  # European peoples")
            bool(self.view.narrower(group) or self.walker.members_of(named[0])))

    def _label_stems(self, iri: str) -> set[str]:
        return set(content_tokens(self.view.label(iri)))  # stems already

    def unlinked(self, topics: Topics, facts: list[Fact],
                 asked_kinds: Callable[[list[str]], set[str]]) -> tuple[str, str] | None:
        """(the concept, why declined) when "which <kind> <verb> X" asks a kind of thing of
        one concept and the graph links nothing of that kind to it, a link away or in the
        ``facts`` about it (``asked_kinds``: the members the kinds asked cover); else None."""
        sought = [h for h in topics.hints if asks_kind(topics.words, topics.named_at.get(h, 0))
                  and topics.words[topics.named_at.get(h, 0) - 1] == "which"]  # (not "what
        about = [n for n in topics.named if n not in sought]  # role does X play")
        if len(sought) != 1 or len(about) != 1:
            return None
        kind, topic = sought[0], about[0]
        gap = topics.named_at.get(topic, 0) - topics.named_at.get(kind, 0)
        members = asked_kinds(sought)
        if not 0 < gap <= _KIND_GAP or not members or any(
                set(f.nodes) & members and topic in f.nodes for f in facts):
            return None
        reach = {topic, *neighbours(self.view, self.walker, topic)}
        if reach & members or any(kind in chain for n in reach for chain in
                                  self.view.ancestors(n)):
            return None  # (the kind is there, or its kinds are: "which AI do X use")
        return topic, (f"the graph links no {self.view.label(kind).lower()} to "
                       f"{self.view.label(topic)}")

    def no_agent(self, topics: Topics, facts: list[Fact],
                 agents: set[str]) -> tuple[str, str] | None:
        """(the concept, why declined) when "who <verb> X" asks of one concept that the graph
        links to no agent (a member of ``agents``, the organisations and people) a link away
        or in the ``facts`` about it; else None."""
        if len(topics.named) != 1 or topics.hints or not agents:
            return None
        topic = topics.named[0]
        if any(set(f.nodes) & agents and topic in f.nodes for f in facts) or (
                {topic, *neighbours(self.view, self.walker, topic)} & agents):
            return None
        return topic, f"the graph links no organisation or person to {self.view.label(topic)}"
