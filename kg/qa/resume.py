"""Questions in two steps, the second asked of what the first reaches.

"Bard comes from one company; which other things does that firm develop?", "warty sits under
a texture - what is the opposite of that texture?", "Find the maker of Fusion 360, then tell
me what technology they use": a first clause reaches a concept the question never names, and
a second clause asks of it by words that refer back ("that firm", "it", "they"). Each clause
alone is a question the engine answers well, so the first is asked as a question of its own
("Bard comes from which company?"), the concept its answer reaches takes the place of the
words that refer back, and the second is asked of it. The answer says the second answer
first, then the fact that led there; every sentence is still one fact of the graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass

from kg.qa import weights as W
from kg.qa.answer import Answer, Fact
from kg.qa.compose import compose
from kg.qa.text import stem
from kg.view.graph_view import GraphView

__all__ = ["TwoSteps", "answer_in_two", "two_steps"]

_REACHED_MAX = 4  # concepts the first step may reach for the second to be asked of each

# where one clause ends and the next begins
_SPLIT = re.compile(r"\s*(?:;|:|\s[-\u2013\u2014]+\s|[.?!]\s+|,?\s+then\s+|,\s+and\s+|"
                    r"(?:\s+and|,)\s+(?=(?:then|what|which|who|where|list|give|show|name|tell|"
                    r"find)\b))\s*", re.IGNORECASE)
# what tells that the asker knows the first clause ("I know X uses some method")
_KNOWN = re.compile(r"^(?:i|we)\s+(?:know|think|read|heard|believe|understand|learned|learnt|"
                    r"saw|see|guess|gather|noticed)\s+(?:that\s+)?", re.IGNORECASE)
# a clause about the asker, or one that is itself a question: no statement to ask of
_NOT_STATED = re.compile(r"^(?:i|i'm|im|i've|we|we're|my|our|me|us|is|are|was|were|does|do|"
                         r"did|can|could|should|would|will|what|which|who|whom|whose|where|"
                         r"when|why|how|please|thanks|thank|hi|hello)\b", re.IGNORECASE)
# a thing the first clause reaches without naming it ("uses some method", "under something")
_INDEFINITE = re.compile(r"\b(?:a|an|some|one|something|someone|somebody|somewhere)\b")
_COPULA = re.compile(r"\b(?:is|are|was|were|be|being)\s+$", re.IGNORECASE)
_WHAT = {"something": "what", "someone": "who", "somebody": "who", "somewhere": "where"}
# an imperative that opens a phrase naming where the chain goes first ("find the maker of X")
_ORDER = re.compile(r"^(?:(?:please\s+)?(?:find|take|get|fetch|look\s+up|start\s+(?:with|from)|"
                    r"go\s+to|first)(?:\s+out)?|(?:give|show|tell)\s+me)\s+", re.IGNORECASE)
_PHRASE = re.compile(r"^(?:the\s+\S+(?:\s+\S+)?\s+of\s+\S.*|\S.*'s?\s+\S+(?:\s+\S+)?)$",
                     re.IGNORECASE)
_EMBEDDED = re.compile(r"^(?:what|which|where|who)\s+\S.*$", re.IGNORECASE)
# a clause that names the one it speaks of by what it does ("whoever makes X")
_FREE = re.compile(r"^(whoever|whatever|whichever)\b", re.IGNORECASE)
_FREE_ASKED = {"whoever": "who", "whatever": "what", "whichever": "which"}
# a definite plural placed by a clause or a preposition ("the companies that offer X", "the
# models under X"): which ones, asked
_PLACED = re.compile(r"^(?:all\s+)?(?:the|those|these)\s+(?P<noun>[a-z-]+s)\s+(?P<how>that|which|"
                     r"who|under|in|below|beneath|within|above)\s+(?P<rest>\S.*)$", re.IGNORECASE)
# a concept named through another by a noun ("the maker of X", "the company behind X")
_OF_PHRASE = re.compile(r"the (\w+) (?:of|behind) (.+)$", re.IGNORECASE)
# a question whose subject comes after its auxiliary ("what else does <subject> develop")
_SUBJECT = re.compile(r"^(?P<pre>(?:what|which|who|how)\b[^,;:]*?\b(?:does|do|did|is|are|was|"
                      r"were|can)\s+)(?P<rest>\S.+)$", re.IGNORECASE)
# the same said with the subject first ("the maker of X uses what" -> "what does ...")
_FRONTED = re.compile(r"^(?P<phrase>the\s+\w+\s+(?:of|behind)\s+.+?)\s+(?P<verb>\w+?)s?\s+"
                      r"(?P<wh>what|which\s+\w+)$", re.IGNORECASE)
# words by which the second clause refers back to what the first reached
_PRONOUN = re.compile(r"\b(it|its|they|them|their)\b", re.IGNORECASE)
_DEMONSTRATIVE = re.compile(r"\b(that|this|those|these)\b(\s+(?:(?:kind|type|sort)s?\s+of\s+)?"
                            r"([a-z]+))?", re.IGNORECASE)  # ("that firm", "that kind of model")
# "X is a kind of model": the thing reached is said after the kind word
_KIND_OF = re.compile(r"\b(?:a|an|one|some)\s+(?:kind|type|sort|form|example|member|part)\s+of\s+",
                      re.IGNORECASE)
# words after which "that"/"those" points back rather than starting a relative clause
_POINTING = frozenset("of to in under for with from about on by at into beside among is are was "
                      "were does do did has have what which where list give show name find "
                      "and then".split())
# a word after "that" that is no noun of its own ("that is", "that related to")
_NOT_NOUN = frozenset("is are was were be been has have had does do did can could will would "
                      "should may might must which what who where when how sits sit falls fall "
                      "belongs belong comes come goes go".split())


@dataclass(frozen=True)
class TwoSteps:
    """A question read as two: ``first`` asked alone, then ``second`` (with ``{}`` where
    the concept the first reached is named, ``{}'s`` where it owns what is asked)."""

    first: str
    second: str


def two_steps(text: str, names: Callable[[list[str]], object] | None = None,
              agents: Container[str] = ()) -> TwoSteps | None:
    """The two steps of ``text``, or None when it is not a statement (or a phrase) followed
    by a question that refers back to what the statement reached; given ``names`` (true for
    words that are a name of the graph), also a question whose subject is a phrase of one
    ("what else does *the maker of Bard* develop?", "which categories does *nvidia's
    product* fall under?"); a phrase of an ``agents`` noun (stems) asks who stands in that
    role ("the maker of Bard": who makes Bard?")."""
    # "X's own product" is X's product
    said = re.sub(r"('s?) own\b", r"\1", text.strip().rstrip("?.! "), flags=re.IGNORECASE)
    inner = _inner(said, names, agents) if names is not None else None
    if inner is not None:
        return inner
    for m in _SPLIT.finditer(text):
        head, tail = text[:m.start()].strip(), text[m.end():].strip().rstrip("?.! ")
        if not head or not tail:
            continue
        second = _referred(tail) or _named_again(head, tail)
        if second is None:
            continue
        first = _asked(head, agents)
        return TwoSteps(first, second) if first else None
    return None


def _inner(text: str, names: Callable[[list[str]], object],
           agents: Container[str] = ()) -> TwoSteps | None:
    """A question whose subject is "the N of X" or "X's N" (X a name, N one word), with
    more said of it after: the phrase asked first, the rest of the question after."""
    m = _SUBJECT.match(text)
    if m is None:  # "the maker of X uses what": the phrase first, the question after it
        said = _FRONTED.match(text)
        return None if said is None else _inner(
            f"{said['wh']} does {said['phrase']} {said['verb']}", names, agents)
    before, rest = m["pre"], m["rest"]
    of = _OF_PHRASE.match(rest)
    if of is not None:
        words = of[2].split()
        for k in range(min(len(words) - 1, 4), 0, -1):  # the longest name, words after it
            if "'" not in " ".join(words[:k + 1]) and names(words[:k]):
                named = " ".join(words[:k])
                return TwoSteps(_role(of[1]) + named + "?" if stem(of[1]) in agents
                                else f"what is the {of[1]} of {named}?",
                                f"{before}{{}} {' '.join(words[k:])}?")
        return None
    owned = re.match(r"(.+?)'s? (\w+) (.+)$", rest)
    if owned is not None and names(owned[1].split()):
        return TwoSteps(f"what is {owned[1]}'s {owned[2]}?", f"{before}{{}} {owned[3]}?")
    return None


def _role(noun: str) -> str:
    """A "who" question's start asking for the one in the role ``noun`` names ("maker":
    "who makes "); any verb after "who" asks for an agent linked to what follows."""
    verb = noun[:-2] + "es" if noun.endswith("or") else noun[:-1] + "s"
    return f"who {verb} "


def _asked(head: str, agents: Container[str] = ()) -> str:
    """The first clause as a question: its indefinite thing asked for ("X uses some
    method" -> "X uses which method?"), or the phrase it names asked after ("find the maker
    of X" -> "who makes X?"); "" when the clause is neither."""
    head = _KNOWN.sub("", head.rstrip("?.!, ")).strip()
    ordered = _ORDER.match(head)
    if ordered:
        phrase = head[ordered.end():].strip()
        if _EMBEDDED.match(phrase):
            return phrase + "?"  # "find what X is under"
        return _phrase_asked(phrase, agents) if _PHRASE.match(phrase) else ""
    free = _FREE.match(head)
    if free:  # "whoever makes X": the one the clause names, asked for
        return f"{_FREE_ASKED[free[1].lower()]}{head[free.end(1):]}?"
    if _NOT_STATED.match(head):
        return ""
    kind = list(_KIND_OF.finditer(head))
    if kind and _COPULA.search(head[:kind[-1].start()]):
        at = kind[-1].end()  # "X is a kind of model" -> "X is a kind of which model?"
        return f"{head[:at]}which {head[at:]}?"
    if kind:  # "a weakness of some kind of AI" -> "a weakness of which kind of AI?"
        return f"{head[:kind[-1].start()]}which {head[kind[-1].start():].split(' ', 1)[1]}?"
    found = list(_INDEFINITE.finditer(head))
    if found:
        last = found[-1]
        if _COPULA.search(head[:last.start()]):
            return ""  # "X is one problem; which sit next to it": it is X, said again
        word = _WHAT.get(last[0], "which")
        return f"{head[:last.start()]}{word}{head[last.end():]}?"
    placed = _PLACED.match(head)
    if placed:  # "the companies that offer X" -> "which companies offer X?"
        how = placed["how"].lower()
        link = "" if how in ("that", "which", "who") else f"are {how} "  # "the models under"
        return f"which {placed['noun']} {link}{placed['rest']}?"
    return _phrase_asked(head, agents) if _PHRASE.match(head) else ""


def _phrase_asked(phrase: str, agents: Container[str]) -> str:
    """A phrase naming a concept through another ("the maker of X", "X's maker") as a
    question: who stands in the role when its noun is an agent's, else what the phrase is."""
    of = _OF_PHRASE.match(phrase)
    owned = None if of else re.match(r"(.+?)'s? (\w+)$", phrase)
    role, named = (of[1], of[2]) if of else (owned[2], owned[1]) if owned else ("", "")
    if role and stem(role.lower()) in agents:
        return _role(role.lower()) + named + "?"
    return f"what is {phrase}?"


def _referred(tail: str) -> str | None:
    """The second clause with its words that refer back marked (``{}``); None when it has
    none."""
    out, at, found = [], 0, False
    marks = sorted([*_PRONOUN.finditer(tail), *_DEMONSTRATIVE.finditer(tail)],
                   key=lambda m: m.start())
    for m in marks:
        word = m[1].lower()
        before = tail[:m.start()].split()
        if word in ("that", "this", "those", "these"):
            if before and before[-1].lower().split("'")[0] not in _POINTING:
                continue  # "the terms that fall under X": a relative clause
            noun = (m[3] or "").lower()
            end = m.end() if noun and noun not in _NOT_NOUN and not noun.endswith(
                "ed") and not _PRONOUN.fullmatch(noun) else m.end(1)
        else:
            end = m.end()
        if m.start() < at:
            continue
        out.append(tail[at:m.start()])
        out.append("{}'s" if word in ("its", "their") else "{}")
        at, found = end, True
    if not found:
        return None
    out.append(tail[at:])
    return "".join(out).strip() + "?"


def _named_again(head: str, tail: str) -> str | None:
    """The second clause with "the N" marked where the first said "a N" ("X has an
    opposite; where does the opposite sit?"); None when it does not say it again."""
    said = list(re.finditer(r"\b(?:a|an|some|one)\s+([a-z]+)\b", head, re.IGNORECASE))
    if not said:
        return None
    again = re.search(rf"\b(?:the|that|this)\s+{re.escape(said[-1][1])}\b", tail, re.IGNORECASE)
    if again is None:
        return None
    return f"{tail[:again.start()]}{{}}{tail[again.end():]}".strip() + "?"


def _reached(answer: Answer, start: set[str], view: GraphView) -> tuple[Fact | None, list[str]]:
    """The fact of ``answer`` that leads from the concepts it names (``start``) to others,
    and those others (the concepts the first step reached)."""
    for f in answer.facts:
        if not f.spoken:
            continue
        ends = [t.object if t.subject in start else t.subject for t in f.triples()
                if not t.object_is_literal and (t.subject in start) != (t.object in start)]
        ends = [n for n in dict.fromkeys(ends) if view.is_concept(n)]
        if ends:
            return f, ends
    return None, []


def answer_in_two(raw: str, steps: TwoSteps, ask: Callable[[str], Answer],
                  view: GraphView, whole: Answer) -> Answer | None:
    """The answer of the second step asked of what the first reached, with the fact that
    led there; None when either step is not answered from the graph, or when ``whole`` (the
    question answered as one) already says the second step in its first sentence."""
    first = ask(steps.first)
    if first.abstained:
        return None
    start = {e.iri for e in first.entities if e.how == "named"}
    led, ends = _reached(first, start, view)
    if led is None or len(ends) > _REACHED_MAX:
        return None
    leads, support = [], []
    for n in ends:
        second = ask(steps.second.replace("{}", view.label(n)))
        spoken = [f for f in second.facts if f.spoken]
        if second.abstained or not spoken or spoken[0].object_is_literal or not any(
                n == t.subject or (len(ends) == 1 and n == t.object)
                for t in spoken[0].triples()):
            continue  # the second step links this one to nothing (of several: not first)
        leads.append(spoken[0])
        support += spoken[1:]
    said = [] if whole.abstained else next(
        (f.triples() for f in whole.facts if f.spoken), [])  # the whole's first sentence
    if not leads or _said_in(said, leads, start) or _goes_on(said, led, ends, start):
        return None
    stated = {(t.subject, t.predicate, t.object) for t in led.triples()}
    # the fact that led there may already say the second step ("Spotify develops Discover
    # Weekly, which uses ..."): it is then the whole answer's lead, said once
    first_said = [led] if all((t.subject, t.predicate, t.object) in stated
                              for f in leads for t in f.triples()) else [*leads, led]
    composed = compose(first_said, support, quiet=set(), max_support=W.SUPPORT_MAX)
    answers = [first, whole]
    entities = list({e.iri: e for a in answers for e in a.entities}.values())
    return Answer(
        question=raw,
        text=composed.text,
        abstained=False,
        confidence=min(first.confidence, whole.confidence),
        entities=entities,
        facts=composed.supporting,
        intent=list(dict.fromkeys(k for a in answers for k in a.intent)),
        chain=[view.label(n) for n in ends],
    )


def _said_in(said: list[Fact], leads: list[Fact], start: set[str]) -> bool:
    """True when the triples ``said`` (the whole question's first sentence) already state a
    link the second step's answers lead with (other than links of where the first step
    started): the question was read as one chain, whose one sentence reads better."""
    pairs = {frozenset((t.subject, t.object)) for t in said}
    return any(frozenset((t.subject, t.object)) in pairs for f in leads for t in f.triples()
               if t.subject not in start and t.object not in start)


def _goes_on(said: list[Fact], led: Fact, ends: list[str], start: set[str]) -> bool:
    """True when the triples ``said`` (the whole question's first sentence) link what the
    first step reached to concepts other than the start the way the first step linked the
    start to it (other concepts under the same parent: "acid rain sits under some term;
    what else sits under it?" read as one chain): it answers the second step at once."""
    first = led.triples()
    under = {t.object for t in first if t.subject in start} & set(ends)  # start -> end
    over = {t.subject for t in first if t.object in start} & set(ends)  # end -> start
    return any((t.object in under and t.subject not in start) or (
        t.subject in over and t.object not in start) for t in said)
