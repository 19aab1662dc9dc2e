"""Questions that chain the taxonomy's own links: "the narrower terms of the broader term of
X", "concepts related to the children of X", "the grandparents of X", "the opposites of the
subclasses of X".

The words that name a link are data (``[links]`` in ``kg/qa/lang/<lang>.toml``): each names
one step (broader, narrower, related, siblings) or several ("grandparents": two broader
steps). A relation of the graph's own (an antonym link, a theme) is named by the words of its
phrase. English nests the steps outward from the topic: "the A of the B of X" takes B first,
then A; "X's B's A" takes B, then A; a link said of the whole phrase after it ("what is the
opposite of X a subclass of") comes last, read from its side ("a subclass of" asks up). The
steps are followed over the graph, and one sentence names every concept reached, with the
concepts passed on the way, so the whole chain is answered at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.forms import Lexicon
from kg.qa.text import STOPWORDS, stem
from kg.qa.walk import Walker
from kg.rdf.terms import RDFS, SKOS
from kg.view.graph_view import GraphView
from kg.view.phrasing import predicate_phrase

__all__ = ["RELATED", "Chain", "ChainReader"]

BROADER, NARROWER, RELATED, SIBLINGS = "broader", "narrower", "related", "siblings"
_HIERARCHY = frozenset({BROADER, NARROWER})
_INVERSE = {BROADER: NARROWER, NARROWER: BROADER}
_RELATED_P = str(SKOS.related)
_SUBCLASS = str(RDFS.subClassOf)
_LINKS_MAX = 300  # links of one concept read (a thesaurus's top concepts have thousands)
_NEIGHBOURS_READ = 60  # concepts one link away whose relations may name a step
_REACHED_MAX = 400  # concepts one step may reach before the chain is too wide to say
_PASSED_SHOWN = 6  # concepts passed on the way that the sentence names
_ENDS_SHOWN = 40  # concepts reached said inline (a full answer says every one)
_PARTS_MAX = 80  # edges kept as the sentence's triples
# words between two links of a possessive chain ("X's parent concept's related terms")
_FILLER = frozenset("concept concepts term terms node nodes class classes topic topics its "
                    "their".split())
_OWNER = frozenset({"X", "its", "their"})  # what a possessive link follows
_HAS = frozenset({"has", "have"})
_NUMBERS = {2: "two", 3: "three", 4: "four"}
_COUNTS = {**{v: k for k, v in _NUMBERS.items()}, "one": 1, "1": 1, "2": 2, "3": 3, "4": 4}
_LEVELS = "levels"  # the mark of a link said with a number of levels ("two levels up")
_DIRECTIONS = frozenset({"up", "down", "above", "below", "higher", "lower"})
_TIMES = {"twice": "two", "thrice": "three"}
_FURTHER = frozenset({"further", "more", "extra", "additional"})
_PLACING = frozenset({"above"})  # a link said as a place, which may restate the one before
# a link said as an adjective, which the noun after it restates ("narrower terms")
_QUALIFYING = frozenset({"narrower", "broader", "more", "individual", "superordinate",
                         "subordinate"})
_ASKING = frozenset({"which", "what", "many"})  # ("how many broader terms" asks the kind)
_LEADING = frozenset({"all", "the", "those", "these"})
_OBJECT_LEAD = frozenset({"what", "which", "a", "an", "the", "some", "one", "more", "than"})
_CLAUSE = frozenset({"which", "what", "how", "who"})  # "and what ...": a second question
# words after a link said of the phrase before it ("X related to", "X narrower than")
_SAID_OF = frozenset("to with of than under from".split())
# words of a predicate's phrase that name no relation of their own
_FUNCTION = frozenset("is are a an the of by in to for on with at as has have be about".split())
# a pronoun that takes up a phrase said before ("the opposite of X: list its subclasses")
_PRONOUNS = frozenset("it its they their them".split())
_BACK = frozenset("that those these each".split())  # "..., what is the broader term of that"
_SINGULAR = frozenset("it its that this".split())  # refer back to the topic, not to a set
# words that open the question after such a phrase
_QUESTION_STARTS = frozenset("which what how who where list name give show and then".split())
_WHATEVER = frozenset({"whatever", "whichever"})  # "the children of whatever X is under"


@dataclass(frozen=True)
class Step:
    """One link followed: a structural one (broader, narrower, related, siblings) or a
    predicate of the graph (its IRI)."""

    kind: str
    predicate: str = ""


@dataclass(frozen=True)
class _Mention:
    at: int  # word position in the masked question
    size: int  # words it takes ("falls under": two)
    steps: tuple[Step, ...]
    possessive: bool  # "X's parent", "its parent": read outward from the topic
    asked: bool  # right after "which"/"what": it may name the kind asked for
    framed: bool = False  # "under which ... does <phrase> sit": said of the whole phrase


@dataclass
class Chain:
    """A chain read and followed: its steps, the concepts each step reached (with the edges
    that reached them), and the concepts at its end (the topic left out)."""

    start: str
    steps: list[Step]  # as read (a siblings step is two levels: up, then down)
    levels: list[dict[str, list[tuple[str, str, dict]]]]  # node -> the edges reaching it
    ends: list[str]

    def level_of(self) -> list[int]:
        """The level each step ends at."""
        out, at = [], -1
        for step in self.steps:
            at += 2 if step.kind == SIBLINGS else 1
            out.append(at)
        return out


class ChainReader:
    """Reads a chain of two or more links from a masked question and answers it."""

    def __init__(self, view: GraphView, walker: Walker, lexicon: Lexicon) -> None:
        self.view = view
        self.walker = walker
        self.lexicon = lexicon
        self.words: dict[str, tuple[str, ...]] = {}
        self.pairs: dict[tuple[str, str], tuple[str, ...]] = {}
        for phrase, steps in lexicon.links.items():
            words = phrase.split()
            if len(words) == 2:
                self.pairs[(stem(words[0]), stem(words[1]))] = steps
            else:
                self.words[stem(phrase)] = steps

    # ------------------------------------------------------------------ reading
    def says_link(self, words: list[str]) -> bool:
        """True when ``words`` (a name found in the question) only name a link ("associated"
        where the graph has a concept "Associates"): they ask the link, not the concept."""
        stems = [stem(w) for w in words]
        return bool(stems) and all(s in self.words for s in stems) or (
            len(stems) == 2 and (stems[0], stems[1]) in self.pairs)

    def _predicates(self, start: str, near: bool = True) -> dict[str, str]:
        """The stems of the words that name the relations (not the hierarchy, not related
        terms) of ``start`` and (``near``) of the concepts one link away: word -> predicate."""
        out: dict[str, str] = {}
        nodes = [start, *(islice(self._neighbours(start), _NEIGHBOURS_READ) if near else ())]
        self.view.prefetch(nodes)  # in place: one request for them all, not one a node
        for node in nodes:
            for _, _, d in islice(self.view.nx.out_edges(node, data=True), _LINKS_MAX):
                p = d["predicate"]
                if d.get("hierarchy") or p == _RELATED_P:
                    continue
                for w in predicate_phrase(self.view, p).lower().split():
                    if w.isalpha() and w not in _FUNCTION:
                        out.setdefault(stem(w), p)
        return out

    def _neighbours(self, node: str) -> Iterable[str]:
        for _, v, _ in islice(self.view.nx.out_edges(node, data=True), _LINKS_MAX):
            yield v
        for u, _, _ in islice(self.view.nx.in_edges(node, data=True), _LINKS_MAX):
            yield u

    def _mentions(self, words: list[str], predicates: dict[str, str]) -> list[_Mention]:
        stems = [w if w in ("X", "Y") else stem(w) for w in words]
        out: list[_Mention] = []
        k = 0
        while k < len(words):
            pair = self.pairs.get((stems[k], stems[k + 1])) if k + 1 < len(words) else None
            size = 2 if pair else 1
            kinds = pair or self.words.get(stems[k])
            steps: tuple[Step, ...] = ()
            levels = bool(kinds) and kinds[-1] == _LEVELS
            if levels:
                # "two levels up": the step as many times as the number before it says
                times = _COUNTS.get(words[k - 1], 0) if k else 0
                if not times:
                    k += size
                    continue
                steps = tuple(Step(kinds[0]) for _ in range(times))
                out.append(_Mention(k, size, steps, True, False))
                k += size
                continue
            if kinds:
                steps = tuple(Step(s) for s in kinds)
            elif stems[k] in predicates:
                steps = (Step("predicate", predicates[stems[k]]),)
            if not steps and words[k] == "under" and k + 1 < len(words) and (
                    words[k + 1] in _ASKING):
                # "under which classes does the opposite of X sit": the phrase is under them
                out.append(_Mention(k, 1, (Step(NARROWER),), False, False, framed=True))
                k += 1
                continue
            if not steps and words[k] == "under":
                steps = _said_under(words, k, out)
            if steps and out and out[-1].at + out[-1].size == k and out[-1].steps == steps and (
                    steps[0].kind == "predicate"):
                k += size  # "use cases": two words of one relation's phrase, one step
                continue
            if steps and out and out[-1].steps == steps and (
                    (words[k] in _PLACING and k - out[-1].at - out[-1].size <= 1) or (
                        words[out[-1].at] in _QUALIFYING and out[-1].at + out[-1].size == k)):
                k += size  # "every superclass directly above it", "the more specific kinds
                continue  # of X": one link, said twice (not "X's parent's parent")
            if steps:
                before = k - 1
                while before >= 0 and words[before] in _FILLER and words[before] not in _OWNER:
                    before -= 1
                said = before - (before >= 0 and words[before] in ("a", "an", "some"))
                if said >= 1 and words[said] in _HAS and words[said - 1] in _OWNER:
                    before = said - 1  # "X has children", "X has a parent": X's
                owner = size == 1 and before >= 0 and (words[before] in _OWNER or (
                    out and out[-1].possessive and out[-1].at == before)) and (
                    k + size >= len(words) or words[k + size] not in _SAID_OF)
                after_topic = "X" in words[:k]
                out.append(_Mention(k, size, steps, bool(after_topic and owner),
                                    k > 0 and words[k - 1] in _ASKING))
            k += size
        return out

    def read(self, masked: str, start: str, least: int = 2) -> list[Step] | None:
        """The steps a question about ``start`` chains (``least`` or more), in the order
        they are followed; None when it names fewer links of the graph, or a word the links
        do not account for (other than the kind asked for).

        A phrase said first and asked about after by a pronoun ("the opposite of X: which
        terms sit under it?") is read as two: the phrase's steps, then the question's steps
        from what the phrase reached."""
        words = _counted_levels(masked.split())
        if "X" not in words or "Y" in words:
            return None
        split = _resumed(words, lambda w: stem(w) in self.words)
        if split is not None:
            head = split[0]
            while head and head[0] != "X" and self._unread(head, 0):
                head = head[1:]  # "take the opposite of X": the phrase starts at "the"
            head = self._read_words(head, start, 1, alone=False)
            tail = self._read_words(split[1], start, 1, alone=False) if head else None
            if head and tail and len(head) + len(tail) >= least and any(
                    s.kind != "predicate" for s in head + tail):
                return head + tail
        return self._read_words(words, start, least)

    def _read_words(self, words: list[str], start: str, least: int,
                    alone: bool = True) -> list[Step] | None:
        if any(a == "and" and b in _CLAUSE for a, b in zip(words, words[1:], strict=False)):
            return None  # "what is the parent of X and what are its children": two questions
        at = words.index("X")
        if alone and not self._mentions(words, {}) and not (
                "of" in words and self._mentions(words, self._predicates(start, near=False))):
            return None  # no word of a link: nothing to read (and no relation to look up)
        mentions = self._mentions(words, self._predicates(start))
        kind = _kind_after(words, at)
        if kind and self.view.narrower(start) and not any(
                m.at == kind or m.steps[0].kind in _HIERARCHY for m in mentions):
            # "the X models: what are they related to": a plural after X names its members
            mentions = sorted([*mentions, _Mention(kind, 1, (Step(NARROWER),), True, False)],
                              key=lambda m: m.at)
        # "X belongs to what themes", "X sits under a broader term": a verb and its object
        # name one link: the object when it is a relation of the graph ("themes"), else the
        # verb, which says the direction ("sits under")
        pairs = [(m, o) for m, o in zip(mentions, mentions[1:], strict=False)
                 if m.at > at and not m.possessive
                 and all(w in _OBJECT_LEAD for w in words[m.at + m.size:o.at])]
        dropped = {id(m) if o.steps[0].kind == "predicate" else id(o) for m, o in pairs}
        mentions = [m for m in mentions if id(m) not in dropped]
        if alone and not any(s.kind != "predicate" for m in mentions for s in m.steps) and (
                len(mentions) < 2 or any(m.at > at for m in mentions)):
            # a chain of the graph's own relations said as verbs: kg.qa.hops reads those by
            # meaning; nested nouns ("the limitations of the foundation of X") are read here
            return None
        covered = {m.at + n for m in mentions for n in range(m.size)}
        if any(self._unread(words, k) for k in range(len(words)) if k not in covered):
            return None  # "which companies use the children of X": more than links is asked
        hops = sum(len(m.steps) for m in mentions if m.steps[0].kind != SIBLINGS) + sum(
            1 for m in mentions if m.steps[0].kind == SIBLINGS)
        if hops < least:
            return None
        outward = [m for m in mentions if m.at > at and m.possessive]
        nested = [m for m in mentions if m.at < at and not m.framed][::-1]
        said_of = [m for m in mentions if m.framed or (m.at > at and not m.possessive)]
        ordered = [*outward, *nested, *said_of]
        if any(w in _WHATEVER for w in words[max(0, at - 2):at]) or (
                at >= 2 and words[at - 2] == "the" and words[at - 1].isalpha()
                and words[at - 1] not in _FILLER and any(m.at > at for m in said_of)):
            # "the children of whatever X is related to", "what is related to the country X
            # belongs to": the clause on X comes first
            ordered = [*outward, *said_of, *nested]
        # "which broader concepts is X a narrower term of": the kind asked repeats the link
        asked = [m for m in ordered if m.asked]
        for m in asked:
            same = [o for o in ordered if o is not m and self._flat(o, said=o in said_of)
                    == self._flat(m, said=False)]
            if same and len(ordered) > 1:
                ordered.remove(m)
        steps = [s for m in ordered for s in self._flat(m, said=m in said_of)]
        if len(steps) < least or (len(ordered) < 2 and steps[0].kind == SIBLINGS):
            return None
        return steps

    def _unread(self, words: list[str], k: int) -> bool:
        """True when word ``k`` is something the links do not account for: not the topic,
        no word of asking, and not the kind asked for right after "which"/"what"."""
        w = words[k]
        if w in ("X", "K", "L") or w in STOPWORDS or not w.isalpha() or w in _FILLER or (
                w in _COUNTS or w in _WHATEVER):
            return False
        if self.lexicon.says_ask(w) or stem(w) in self.lexicon.grammar:
            return False
        if k and words[k - 1] in ("you", "i", "we"):
            return False  # "where do you *land*", "what do I *reach*": the asker's verb
        if k and all(words[j] in _LEADING for j in range(k)):
            return False  # "the metals related to X": the kind of what the phrase reaches
        if (k and words[k - 1] == "the" and words[k + 1:k + 2] == ["X"]) or (
                words[k + 1:k + 3] == ["that", "X"]):
            return False  # "the country X belongs to": the kind of what the clause reaches
        return not any(words[j] in _ASKING for j in range(max(0, k - 2), k))

    @staticmethod
    def _flat(m: _Mention, said: bool) -> tuple[Step, ...]:
        """A mention's steps; said of the phrase before it ("X is a subclass of ..."), a
        link of the hierarchy is read from the other side."""
        if not said:
            return m.steps
        return tuple(Step(_INVERSE.get(s.kind, s.kind), s.predicate) for s in m.steps)

    # ---------------------------------------------------------------- following
    def _edges(self, node: str, step: Step) -> list[tuple[str, str, str, dict]]:
        """(the node reached, u, v, data) for each edge ``step`` follows from ``node``."""
        view = self.view
        if step.kind == BROADER:
            return [(v, u, v, d) for u, v, d in view.nx.out_edges(node, data=True)
                    if d.get("hierarchy")]
        if step.kind == NARROWER:
            return [(u, u, v, d) for u, v, d in view.nx.in_edges(node, data=True)
                    if d.get("hierarchy")]
        predicate = _RELATED_P if step.kind == RELATED else step.predicate
        out = [(v, u, v, d) for u, v, d in islice(view.nx.out_edges(node, data=True),
                                                   _LINKS_MAX) if d["predicate"] == predicate]
        back = [(u, u, v, d) for u, v, d in islice(view.nx.in_edges(node, data=True),
                                                   _LINKS_MAX) if d["predicate"] == predicate]
        seen = {n for n, *_ in out}
        return out + [e for e in back if e[0] not in seen and step.kind == RELATED] if out \
            else back

    def follow(self, start: str, steps: list[Step]) -> Chain | None:
        """Each step from every concept the one before reached (the start never counts
        as reached); None when a step reaches too many concepts to say."""
        flat: list[Step] = []
        for s in steps:
            flat += [Step(BROADER), Step(NARROWER)] if s.kind == SIBLINGS else [s]
        levels: list[dict[str, list[tuple[str, str, dict]]]] = []
        here = [start]
        for n, step in enumerate(flat):
            reached: dict[str, list[tuple[str, str, dict]]] = {}
            for node in here:
                for got, u, v, d in self._edges(node, step):
                    if got != start and got != node:
                        reached.setdefault(got, []).append((u, v, d))
            if len(reached) > _REACHED_MAX:
                return None
            if n and flat[n - 1].kind == BROADER and step.kind == NARROWER:
                # down again from a parent: not back to where the chain came from
                came = set(levels[n - 2]) if n >= 2 else {start}
                reached = {k: e for k, e in reached.items() if k not in came}
            levels.append(reached)
            here = sorted(reached)
            if not here:
                break
        ends = sorted(levels[-1], key=lambda k: (self.view.label(k).lower(), k)) if len(
            levels) == len(flat) else []
        return Chain(start, list(steps), levels, ends)

    # --------------------------------------------------------------- answering
    def _classes(self, start: str) -> bool:
        edges = [d for _, _, d in [*self.view.nx.out_edges(start, data=True),
                                   *self.view.nx.in_edges(start, data=True)]
                 if d.get("hierarchy")]
        return bool(edges) and all(d["predicate"] == _SUBCLASS for d in edges)

    def _noun(self, step: Step, count: int, classes: bool) -> str:
        """What a step reaches, named for ``count`` of them ("broader concepts")."""
        one = count == 1
        if step.kind == BROADER:
            return ("superclass" if one else "superclasses") if classes else (
                "broader concept" if one else "broader concepts")
        if step.kind == NARROWER:
            return ("subclass" if one else "subclasses") if classes else (
                "narrower concept" if one else "narrower concepts")
        if step.kind == RELATED:
            return "related concept" if one else "related concepts"
        if step.kind == SIBLINGS:
            return "sibling" if one else "siblings"
        phrase = predicate_phrase(self.view, step.predicate).lower().split()
        while phrase and phrase[0] in _FUNCTION:
            phrase = phrase[1:]
        while phrase and phrase[-1] in _FUNCTION:
            phrase = phrase[:-1]
        noun = " ".join(phrase) or "linked concept"
        return noun if one else _plural(noun)

    def _reach(self, run: list[Step], count: int, classes: bool, of: str) -> str:
        """``of`` (a noun phrase) taken one run of steps further: "the broader concepts of
        X", "the concept two levels above X"."""
        if len(run) == 1:
            return f"the {self._noun(run[0], count, classes)} of {of}"
        noun = "concept" if count == 1 else "concepts"
        if classes:
            noun = "class" if count == 1 else "classes"
        levels = _NUMBERS.get(len(run), str(len(run)))
        side = "above" if run[0].kind == BROADER else "below"
        return f"the {noun} {levels} levels {side} {of}"

    def _passed(self, chain: Chain) -> list[list[str]]:
        """The concepts of each level before the last that lead on to the end."""
        keep = set(chain.ends)
        out: list[list[str]] = []
        for n in range(len(chain.levels) - 1, 0, -1):
            keep = {_other(e, k) for k in keep for e in chain.levels[n].get(k, [])}
            out.insert(0, sorted(keep or chain.levels[n - 1],
                                 key=lambda k: (self.view.label(k).lower(), k)))
        return out

    def answer(self, chain: Chain, full: bool = False) -> Fact:
        """One sentence: the concepts the chain ends at, named as what they are to the
        topic, with the concepts passed on the way ("The related concepts of the narrower
        concepts of landfill (domestic waste landfill, hazardous waste dump) are domestic
        waste and hazardous waste.")."""
        view = self.view
        classes = self._classes(chain.start)
        passed = self._passed(chain)
        # runs of one hierarchy step read as levels ("two levels above X")
        runs: list[list[int]] = []  # indexes of the steps read
        for n, step in enumerate(chain.steps):
            if runs and step.kind in _HIERARCHY and chain.steps[runs[-1][-1]].kind == step.kind:
                runs[-1].append(n)
            else:
                runs.append([n])
        ends_at = chain.level_of()
        sizes = [len(level) for level in passed] + [max(1, len(chain.ends))]

        def named(level: int) -> str:
            return join_names([view.label(k) for k in passed[level]], limit=_PASSED_SHOWN)

        phrase = view.label(chain.start)
        for n, run in enumerate(runs):
            steps = [chain.steps[k] for k in run]
            phrase = self._reach(steps, sizes[ends_at[run[-1]]], classes, phrase)
            if n == len(runs) - 2:
                phrase += f" ({named(ends_at[run[-1]])})"
        if len(runs[-1]) > 1:
            phrase += f" (through {named(ends_at[runs[-1][-2]])})"
        elif chain.steps[-1].kind == SIBLINGS and len(runs) == 1:
            phrase += f" (under {named(ends_at[-1] - 1)})"
        if not chain.ends:
            text = f"The graph records nothing for {phrase}."
        else:
            names = [view.label(k) for k in chain.ends]
            shown = join_names(names, limit=len(names) if full else _ENDS_SHOWN)
            if len(names) > _ENDS_SHOWN and not full:
                shown += " (a full answer lists every one)"
            verb = "is" if len(names) == 1 else "are"
            text = f"{_upper(phrase)} {verb} {shown}."
        parts = self._parts(chain)
        if not parts:
            fact = self.walker.make_fact(chain.start, "", "", _upper(text), "verdict",
                                         literal=True)
        else:
            fact = self.walker.make_fact(parts[0].subject, parts[0].predicate,
                                         parts[-1].object, _upper(text), "group",
                                         src=[s for p in parts for s in p.sources])
            fact.parts = parts
            fact.nodes = tuple(dict.fromkeys([chain.start, *(n for p in parts
                                                             for n in p.nodes)]))
        fact.score = W.LEAD
        return fact

    def _parts(self, chain: Chain) -> list[Fact]:
        """The edges on the ways from the start to the concepts at the end."""
        keep = set(chain.ends)
        edges: list[tuple[str, str, dict]] = []
        for level in reversed(chain.levels):
            step = [e for k in sorted(keep) for e in level.get(k, [])]
            edges = step + edges
            keep = {_other(e, k) for k in keep for e in level.get(k, [])}
        seen: dict[tuple[str, str, str], Fact] = {}
        for u, v, d in edges[:_PARTS_MAX]:
            seen.setdefault((u, d["predicate"], v), self.walker.edge_fact(u, v, d))
        return list(seen.values())


def _resumed(words: list[str], links: Callable[[str], bool]
             ) -> tuple[list[str], list[str]] | None:
    """A phrase naming the topic, then a question that refers to the phrase by a pronoun
    ("the terms related to X, what are their broader terms"): (the phrase, the question
    with the pronoun as X); None when the question has no such shape. A first question
    asking a link of the hierarchy (``links``) and a second by "its" are two asks; one
    asking a relation of the graph's own is resumed ("what is the opposite of X, and what
    are its parents": the opposite's)."""
    at = words.index("X")
    for k in range(at + 1, len(words)):
        if words[k] in _PRONOUNS or (words[k] in _BACK and k > at + 2):
            starts = [j for j in range(at + 1, k) if words[j] in _QUESTION_STARTS]
            if not starts:
                return None
            head = words[:starts[0]]
            if head[0] in _QUESTION_STARTS and words[k] in _SINGULAR and any(
                    links(w) for w in head):
                return None  # "what is the parent of X and what are its children": two asks
            # (but "what is X related to, and what are those filed under": the second asks
            # of what the first reached)
            tail = words[starts[0]:]
            tail = ["X" if w in _PRONOUNS or w in _BACK else w
                    for w in tail[tail[0] in ("and", "then"):]]
            return (head, tail) if "X" in head else None
    return None


def _other(edge: tuple[str, str, dict], node: str) -> str:
    """The end of ``edge`` that is not ``node``: where the step came from."""
    return edge[0] if edge[1] == node else edge[1]


def _plural(noun: str) -> str:
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() and not text[1:2].isupper() else text


def _said_under(words: list[str], k: int, out: list[_Mention]) -> tuple[Step, ...]:
    """The link "under" at ``k`` says alone: up from what a relation reached ("limitations
    of X: what are they under") or from X asked last ("what are X under"), down from X
    ("the models under X"); none where another word says the link ("the narrower terms
    under X")."""
    if k and words[k - 1] == "X" and (
            (out and out[-1].steps[0].kind == "predicate") or k == len(words) - 1):
        return (Step(BROADER),)
    # "under X", or "under the opposite of X": down from what the phrase reaches (not "under
    # the same parent as X", said of X's siblings)
    nested = words[k + 1:k + 2] == ["the"] and any(
        words[j:j + 2] == ["of", "X"] for j in range(k + 3, min(k + 5, len(words))))
    if (words[k + 1:k + 2] == ["X"] or nested) and not out and (
            k == 0 or words[k - 1] not in _FILLER):
        return (Step(NARROWER),)
    return ()


def _kind_after(words: list[str], at: int) -> int:
    """Where a plural right after the topic, said first with only "the" before it, names the
    kind of the topic's members ("the X models ..."); 0 when there is none."""
    k = at + 1
    if k >= len(words) or not all(w in _LEADING for w in words[:at]):
        return 0
    w = words[k]
    return k if w.isalpha() and len(w) > 3 and w.endswith("s") and not w.endswith("ss") and (
        w not in STOPWORDS) else 0


def _counted_levels(words: list[str]) -> list[str]:
    """The number of levels said before its direction, as the links read it: "up two
    levels" and "up twice" are "two levels up"."""
    out: list[str] = []
    k = 0
    while k < len(words):
        w, nxt = words[k], words[k + 1] if k + 1 < len(words) else ""
        after = words[k + 2] if k + 2 < len(words) else ""
        if w in _COUNTS and nxt in _FURTHER and after in ("level", "levels", "step", "steps"):
            out.append(w)  # "one further level down": one level down, beyond what was said
            k += 2
            continue
        if w in _DIRECTIONS and nxt in _COUNTS and after in ("levels", "steps"):
            out += [nxt, after, w]
            k += 3
        elif w in _DIRECTIONS and nxt in _TIMES:
            out += [_TIMES[nxt], "levels", w]
            k += 2
        else:
            out.append(w)
            k += 1
    return out
