"""Questions whose concepts the graph names but whose shape asks for what it cannot hold.

Two shapes name known concepts and still ask for something a taxonomy does not record:

* "what is the N of X" where N is itself a concept ("the population of Germany", "the capital
  of France"): the graph answers it only when something joins N and X: a link between them,
  a neighbour of X (or of a concept X is filed under) that is N or filed under N, or a
  property of X named like N. Otherwise the facts about N or X answer another question.
* "how do I V X" / "how to V X" asks for a method; the graph holds one only when some fact
  about X says the verb (outside X's own name).
* "why is X Y" asks for a reason; the graph may hold one only when some fact about X (or a
  concept X is filed under) says one of the words asked (outside X's own name). A definition
  of X that never speaks of them answers "what is X", not "why".

Each check returns the reason to decline in words a user reads, or "" when the graph may
hold the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import islice

from kg.qa.answer import Fact
from kg.qa.text import STOPWORDS, content_stems, content_tokens
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView
from kg.view.labels import strip_qualifier

__all__ = ["Unheld"]

# "why is ...", "why do ...", "why can't ...": a reason is asked of what follows
_WHY = re.compile(r"\bwhy (?:is|are|was|were|do|does|did|can|cannot|can't|could|would|should|"
                  r"has|have|had|will|must|might|isn't|aren't|don't|doesn't|didn't)\b")
# words that ask why X has its name or its place: the name and the filing are the answer held
_NAMING = frozenset("call called calls name named names term termed known mean means meaning "
                    "considered count counted counts class classed classified group grouped "
                    "filed listed placed defined kind type sort part".split())
_NEXT_ASK = frozenset({"what", "which", "who", "how", "where", "when", "why"})
# "how do I reduce ...", "how can we measure ...", "how to start ...": the verb asked
_HOW_TO = re.compile(r"\bhow (?:(?:do|can|could|should|would|might|may) (?:i|we|you|one|people|"
                     r"a person|someone|anyone)|to) ([a-z]+)\b")
_ARTICLES = frozenset({"a", "an", "the", "my", "our", "your", "their", "some"})
# "is A a kind of B", "true or false: A is a type of B": A and B
_KIND_OF = r"(?:an? )?(?:kind|type|sort|subtype|subclass|variety) of (?:an? |the )?(?P<b>[a-z])"
_KIND_CHECKS = tuple(re.compile(p + _KIND_OF) for p in (
    r"^(?:true or false |t or f )?(?:is|are) (?:an? |the )?(?P<a>[a-z][a-z -]{0,40}?) ",
    r"^(?:true or false |t or f )?(?:an? |the )?(?P<a>[a-z][a-z -]{0,40}?) (?:is|are) "))
_CHOICE = frozenset({"between", "or", "and", "vs", "versus", "against"})
_BEFORE = frozenset({"the", "a", "an"})  # "what is the N of X"
_DEPTH = 3  # levels below N searched for what X is linked to
_BELOW = 500  # concepts below N read at most
_EDGES = 400  # a hub's links read at most
_THING_WORDS = 3  # words of a thing the graph has no concept for, said back at most
_SAID = 12  # words of the question repeated in the refusal, at most
_ABOUT = 25  # facts about X searched for the verb asked
# verbs that say little on their own: "get started with X" asks about starting
_LIGHT = frozenset({"get", "make", "do", "have", "be", "go", "take", "keep"})


class Unheld:
    """Says when a question's shape asks for what its named concepts cannot hold."""

    def __init__(self, view: GraphView, walker: Walker,
                 asking: Callable[[str], bool]) -> None:
        """``asking`` is true for a word that says what is asked ("term", "definition"):
        such an N asks for the structure, which the graph holds."""
        self.view = view
        self.walker = walker
        self.asking = asking

    def attribute(self, words: list[str], spans: dict[str, tuple[int, int]], raw: str = ""
                  ) -> tuple[str, str]:
        """Why "the N of X" cannot be answered ("" when it may be) and X (or N, when X is
        no concept): ``spans`` gives the words each named concept was found at, ``raw`` the
        question as typed (to say a name back as it was written)."""
        by_start = {s: iri for iri, (s, _) in spans.items()}
        for n_iri, (start, end) in spans.items():
            after = end + 1  # "the N of X", "the N of the X"
            while after < len(words) and words[after] in _ARTICLES:
                after += 1
            if end >= len(words) or words[end] != "of" or (
                    start == 0 or words[start - 1] not in _BEFORE):
                continue
            if after not in by_start:
                # "the population of Germany" where no concept is named Germany: the graph
                # holds no N of a thing it has no concept for
                thing = self._unnamed(words, after, spans)
                typed = re.search(re.escape(thing), raw, re.IGNORECASE) if thing else None
                thing = typed.group(0) if typed else thing
                if thing and not all(self.asking(w) for w in words[start:end]):
                    name = strip_qualifier(self.view.label(n_iri)) or self.view.label(n_iri)
                    return (f"the graph records no {name.lower()} of {thing}: it has no "
                            f"concept of that name", n_iri)
                continue
            x_iri = by_start[after]
            if all(self.asking(w) for w in words[start:end]) or self._joined(n_iri, x_iri):
                continue
            name = strip_qualifier(self.view.label(n_iri)) or self.view.label(n_iri)
            return (f"the graph records no {name.lower()} of "
                    f"{self.view.label(x_iri)}", x_iri)
        return "", ""

    def shape(self, words: list[str], spans: dict[str, tuple[int, int]], raw: str = ""
              ) -> tuple[str, str]:
        """Why the question's shape asks for what the graph cannot hold, and of which concept
        ("" when it may hold it): the N of X (``attribute``), else the reason why (``reason``)."""
        said, of = self.attribute(words, spans, raw)
        if not said:
            said, of = self.unnamed_kind(words, spans, raw)
        return (said, of) if said else self.reason(words, spans)

    def unnamed_kind(self, words: list[str], spans: dict[str, tuple[int, int]], raw: str = ""
                     ) -> tuple[str, str]:
        """Why "is A a kind of B?" cannot be answered when B is a concept and A names none
        ("is round a kind of shape" where no concept is called "round"), and B; else ""."""
        said = " ".join(words)
        found = next((m for m in (p.match(said) for p in _KIND_CHECKS) if m), None)
        if found is None:
            return "", ""
        start = len(found.string[:found.start("a")].split())
        end = start + len(found["a"].split())
        b = len(found.string[:found.start("b")].split())
        named_b = next((iri for iri, (s, _) in spans.items() if s == b), "")
        if not named_b or any(s < end and e > start for s, e in spans.values()) or all(
                self.asking(w) or w in STOPWORDS for w in found["a"].split()):
            return "", ""
        typed = re.search(re.escape(found["a"]).replace(r"\ ", r"\W+"), raw, re.IGNORECASE)
        return f'the graph has no concept named "{typed[0] if typed else found["a"]}"', named_b

    def reason(self, words: list[str], spans: dict[str, tuple[int, int]]) -> tuple[str, str]:
        """Why "why is X Y" cannot be answered, and X ("" when some fact about X, or about a
        concept X is filed under, says a word asked: Y, or any word of the clause outside
        X's name and the words that ask about its name or place)."""
        found = _WHY.search(" ".join(words))
        if found is None:
            return "", ""
        start = len(" ".join(words)[:found.start()].split())
        after = sorted((s, iri) for iri, (s, e) in spans.items() if start < s)
        if not after or _NEXT_ASK & set(words[start + 2:]):
            # ("why would anyone burn a forest? what is controlled burning": the why is context)
            return "", ""
        topic = after[0][1]
        own = set(content_tokens(self.view.label(topic)))
        taken = range(*spans[topic])
        clause = [w for k, w in enumerate(words) if k >= start + 2 and k not in taken
                  and w.isalpha() and w not in STOPWORDS and w not in _NAMING
                  and not any(_same_root(w, o) for o in own)]
        asked = set(content_stems(clause)) - _LIGHT
        if not asked:
            return "", ""
        for text in self._said_about(topic):
            said = set(content_tokens(text)) - own
            if any(_same_root(a, w) for a in asked for w in said):
                return "", ""
        return (f"the graph does not say why: nothing it records about "
                f"{self.view.label(topic)} speaks of {' '.join(clause[:_SAID])}", topic)

    def _said_about(self, topic: str) -> Iterable[str]:
        """The texts of what the graph records about ``topic`` and the concepts it is filed
        under: its definition and other names, and the facts their links state (a broader
        concept's definition says what it is, not why its narrower concepts are as they are)."""
        node = self.view.node(topic)
        yield str(node.get("description") or "")
        yield " ".join(node.get("alt_labels", ()))
        g = self.view.nx
        for iri in [topic, *self.view.broader(topic)]:
            if iri not in g:
                continue
            for s, o, edge in [*islice(g.out_edges(iri, data=True), _EDGES),
                               *islice(g.in_edges(iri, data=True), _EDGES)]:
                yield self.walker.edge_fact(s, o, edge).sentence

    def _unnamed(self, words: list[str], at: int, spans: dict[str, tuple[int, int]]) -> str:
        """The words from ``at`` that name no concept (up to the next word of grammar), when
        none of them is a word that asks; "" otherwise."""
        taken = {k for s, e in spans.values() for k in range(s, e)}
        out = []
        for k in range(at, min(len(words), at + _THING_WORDS)):
            w = words[k]
            if k in taken or not w.isalpha() or w in STOPWORDS:
                break
            if self.asking(w):
                return ""
            out.append(w)
        return " ".join(out)

    def method(self, words: list[str], spans: dict[str, tuple[int, int]],
               facts: Iterable[Fact]) -> str:
        """Why "how do I V X" cannot be answered ("" when some fact about X says what is
        asked: V and the words up to X, light verbs aside)."""
        if len(spans) > 1 and _CHOICE & set(words):
            return ""  # "how do I decide between X and Y": a choice the facts may guide
        joined = " ".join(words)
        found = _HOW_TO.search(joined)
        if found is None:
            return ""
        verb_at = len(joined[:found.start(1)].split())
        after = sorted((s, iri) for iri, (s, _) in spans.items() if s > verb_at)
        if not after:
            return ""
        at, topic = after[0]
        own = set(content_tokens(self.view.label(topic)))
        asked = set(content_stems(words[verb_at:at])) - own - _LIGHT
        if not asked:
            return ""
        for fact in islice((f for f in facts if topic in f.nodes), _ABOUT):
            said = set(content_tokens(fact.sentence)) - own
            if any(_same_root(a, w) for a in asked for w in said):
                return ""
        return f"the graph does not say how to {' '.join(words[verb_at:verb_at + _SAID])}"

    def _joined(self, n_iri: str, x_iri: str) -> bool:
        """True when something in the graph joins the asked attribute N to X, or to a
        concept filed under X ("the black box problem of AI": recorded for deep learning)."""
        below = self._below(n_iri)
        if x_iri in below:
            return True
        for iri in [*self.view.broader(x_iri), *self._below(x_iri)]:
            edges = [*islice(self.view.nx.out_edges(iri), _EDGES),
                     *islice(self.view.nx.in_edges(iri), _EDGES)]
            if any(v in below or u in below for u, v in edges):
                return True
        asked = set(content_tokens(self.view.label(n_iri)))
        literals = self.view.node(x_iri).get("literals", [])
        return any(asked & set(content_tokens(_local(p))) for p, _ in literals)

    def _below(self, iri: str) -> set[str]:
        """N, its members and the concepts filed up to ``_DEPTH`` levels below it."""
        seen = {iri, *self.walker.members_of(iri)}
        level = [iri]
        for _ in range(_DEPTH):
            level = [c for n in level for c in self.view.narrower(n) if c not in seen]
            seen.update(level)
            if len(seen) > _BELOW or not level:
                break
        return seen


def _local(predicate: str) -> str:
    """A predicate IRI's local name as words ("hasPopulation" -> "has Population")."""
    name = re.split(r"[#/:]", predicate)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", name)


def _same_root(a: str, b: str) -> bool:
    """True when two words share their root ("recharge", "recharged"; "reduce",
    "reduction"): all but the last letter of the shorter one begins the longer."""
    short, long_ = sorted((a, b), key=len)
    keep = max(3, len(short) - 1)
    return len(short) >= 3 and long_.startswith(short[:keep])
