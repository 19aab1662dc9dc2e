"""The planning table: for each kind of question, the one step that puts its answer first.

:meth:`kg.qa.plan.Planner.plan` runs :data:`STEPS` in order over one :class:`Asked`. Each
step says which questions it serves and, when it serves this one, adds lead facts (or
reorders the candidates). To change how one kind of question is answered, change its step;
to add a kind, add a row. The order matters where steps build on each other: a comparison's
paired properties come before the definitions it falls back to, and a list found by one step
keeps later steps from leading with something else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.inherit import inherited_fact
from kg.qa.intent import Intent
from kg.qa.kinds import holds_kind
from kg.qa.reach import reached_kind
from kg.qa.walk import Context, Walker
from kg.view.graph_view import GraphView
from kg.view.phrasing import is_plural

if TYPE_CHECKING:
    from kg.qa.structure import StructureRenderer

__all__ = ["ALIKE", "STEPS", "Asked", "Plan", "Planning", "Step", "asks_two", "fact_key"]

# A comparison that asks what two things share rather than how they differ.
ALIKE = re.compile(r"\b(in common|similar|alike|both|share)")
# A question that sets two things side by side (not "X instead of Y" or "X rather than Y").
_APART = re.compile(r"\b(differ|difference|vs|versus|compar|contrast|distinguish|apart)")
_VALUE_SEARCH = 25  # candidate facts searched for the value a question asks for
SHORT_TAIL = 4  # "what is X a kind of?", "where does X sit in the hierarchy": words after
# "which models are built on ...", "what is a kind of ...": the asked things are the subject
_ASKS_UNDER = re.compile(r"(?:which|what)(?: [a-z-]+){0,2} (?:is|are) (?:an? )?(?:kinds? of|"
                         r"types? of|built on|based on|part of)\b")
_ASKING_FIRST = frozenset({"what", "which", "who", "how", "where", "when", "why"})
_CLASS_WORDS = 5  # words after "kinds of" that may name the asked class


@dataclass
class Plan:
    """What the answer must say first, the broader chain, and facts not worth speaking."""

    lead: list[Fact] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    quiet: set[tuple[str, str, str]] = field(default_factory=set)


class Planning(Protocol):
    """What the steps use of a planner (:class:`kg.qa.plan.Planner`): the graph and the
    planner's readings of it."""

    view: GraphView
    walker: Walker
    structure: StructureRenderer

    def kind_of_names(self, intent: Intent, named: list[str]) -> bool: ...
    def plan_hierarchy(self, ctx: Context, named: list[str], candidates: list[Fact],
                       out: Plan) -> None: ...
    def plan_contrast(self, a: str, b: str, candidates: list[Fact], out: Plan,
                      shared_first: bool) -> bool: ...
    def compared_definitions(self, compared: list[str], candidates: list[Fact]) -> None: ...
    def plan_paths(self, intent: Intent, named: list[str], candidates: list[Fact], out: Plan,
                   differs: bool = False) -> None: ...
    def named_in(self, iri: str, text: str) -> bool: ...
    def members(self, iri: str, intent: Intent) -> Fact | None: ...
    def outranked(self, ctx: Context, iri: str, candidates: list[Fact],
                  named: tuple[str, ...] = ()) -> bool: ...
    def prefer_answer_type(self, wanted: str, named: list[str],
                           candidates: list[Fact]) -> None: ...
    def asked_property(self, node: str, wanted: str, only: str = "") -> Fact | None: ...
    def asked_kinds(self, intent: Intent, hints: list[str]) -> set[str]: ...
    def asks_agent(self, intent: Intent) -> bool: ...
    def grouped(self, candidates: list[Fact], named: list[str], type_hints: list[str],
                intent: Intent) -> list[Fact]: ...
    def group(self, steps: list[Fact], text: str, kind: str) -> Fact: ...
    def aspect(self, ctx: Context, compared: list[str]) -> set[str]: ...
    def told_apart(self, a: str, b: str) -> list[Fact]: ...
    def plan_hops(self, intent: Intent, named: list[str], candidates: list[Fact],
                  out: Plan) -> None: ...
    def content_free(self, f: Fact, on_topic: set[str]) -> bool: ...


@dataclass
class Asked:
    """One question as the steps see it, and what they have decided so far."""

    ctx: Context
    named: list[str]
    hints: list[str]
    candidates: list[Fact]
    out: Plan
    differs: bool = False  # a comparison asking how two things differ (not what they share)
    paired: bool = False  # a property of both compared things was paired up
    defines: bool = False  # the definition leads
    on_topic: list[str] = field(default_factory=list)
    groups: list[Fact] = field(default_factory=list)  # list-like sentences, best first
    reached: list[Fact] = field(default_factory=list)  # the asked kind, reached by its links
    kind_first: bool = False  # "examples of <kind> <of the topic>": the kind's members asked

    @property
    def intent(self) -> Intent:
        return self.ctx.intent


@dataclass(frozen=True)
class Step:
    """One row of the table: the questions it serves and what it does for them."""

    name: str
    serves: str  # the questions, in words (for a reader of the table)
    run: Callable[[Planning, Asked], None]


def _hierarchy(p: Planning, a: Asked) -> None:
    i = a.intent
    asks_under = _ASKS_UNDER.match(i.text)
    if asks_under and not i.yes_no and a.named and p.named_in(a.named[0],
                                                              i.text[asks_under.end():]):
        return  # "which models are built on X": what is under X is asked, not X's chain
    if a.named and i.has("hierarchy") and (
        i.yes_no or 0 <= i.kind_of_tail <= SHORT_TAIL
    ) and p.kind_of_names(i, a.named):
        p.plan_hierarchy(a.ctx, a.named, a.candidates, a.out)


def _comparison(p: Planning, a: Asked) -> None:
    i = a.intent
    a.differs = i.has("comparison") and not ALIKE.search(i.text)
    if len(a.named) >= 2 and i.has("comparison"):
        a.paired = p.plan_contrast(a.named[0], a.named[1], a.candidates, a.out,
                                    shared_first=not a.differs)
        p.compared_definitions(a.named[:2], a.candidates)


def _paths(p: Planning, a: Asked) -> None:
    i = a.intent
    if len(a.named) >= 2 and (i.has("comparison") or i.has("relation") or not i.kinds):
        p.plan_paths(i, a.named, a.candidates, a.out, a.differs)


def _members(p: Planning, a: Asked) -> None:
    i = a.intent
    if i.members_after < 0:
        return
    # the asked class is named right after "kinds of": in "what kinds of data do
    # convolutional networks make deep learning good at", data is asked, not DL
    tail = " ".join(i.text[i.members_after :].split()[:_CLASS_WORDS])
    asked = [n for n in a.named + a.hints if p.named_in(n, tail)]
    words = tail.split()
    first = {n: next(k for k in range(1, len(words) + 1) if p.named_in(n, " ".join(words[:k])))
             for n in asked}
    asked.sort(key=lambda n: first[n])
    if len(asked) > 1 and asked[0] in a.hints and asked[1] not in a.hints:
        # "examples of industries using AI": the kind is asked, its members that reach the
        # topic (the lists step), not the topic's own kinds
        a.kind_first = True
        return
    member = p.members(asked[0], i) if asked else None
    if member:
        a.out.lead.append(member)


def _definition(p: Planning, a: Asked) -> None:
    # The definition answers a question that asks nothing more specific (membership, a
    # figure, a problem ...) and does not ask "which X" (an entity, not a meaning). A
    # question of no known kind that asks more than the name ("tasks deep learning can
    # tackle") is answered by the fact that outranks the definition and speaks of more.
    i = a.intent
    a.on_topic = a.named[: 2 if asks_two(i) else 1]
    a.defines = i.primary == "definition" and not (
        a.hints or i.asks_which
        or (not i.kinds and a.on_topic and p.outranked(a.ctx, a.on_topic[0], a.candidates,
                                                        tuple(a.named)))
    )
    if a.defines:
        for iri in reversed(a.on_topic):
            d = p.walker.definition(iri)
            if d is not None:
                d.score = W.LEAD
                a.out.lead.insert(0, d)


def _answer_type(p: Planning, a: Asked) -> None:
    wanted = a.intent.answer_type
    if wanted:
        p.prefer_answer_type(wanted, a.named, a.candidates)
        asked = p.asked_property(a.named[0], wanted) if a.named else None
        if asked is not None:
            a.out.lead.insert(0, asked)


def _asked_value(p: Planning, a: Asked) -> None:
    # "when was X founded?": the fact about X that holds a value of the asked kind leads
    kind = a.intent.asked
    if kind is None or kind.name == "quantity" or not a.named or any(
            holds_kind(kind, [f.sentence], [], []) for f in a.out.lead):
        return
    held = next((f for f in a.candidates[:_VALUE_SEARCH] if a.named[0] in f.nodes
                 and holds_kind(kind, [f.sentence], [p.view.predicate_label(f.predicate)], [])),
                None)
    if held is not None:
        held.score = W.LEAD
        a.out.lead.insert(0, held)


def _lists(p: Planning, a: Asked) -> None:
    i = a.intent
    a.groups = p.grouped(a.candidates, a.named, a.hints, i)
    # "which <kinds> ...", "examples of <kinds> ...", "<kinds> using X": members are asked
    said = i.text.split()
    opening = " ".join(said[:2]) if said and said[0] not in _ASKING_FIRST else ""
    plural = a.hints and (is_plural(i.answer_type) or a.kind_first or any(
        p.named_in(h, opening) for h in a.hints))
    if (plural or p.asks_agent(i)) and a.named and not a.out.lead:
        # "which <kinds> ...", "who ...": every member of the kind linked to the topic, also
        # two links away ("organisations that use what healthcare applies", "who makes the
        # product whose use case is image generation")
        kinds = p.asked_kinds(i, a.hints)
        # the topic, not the kind asked for when it is named first ("in which industries ...")
        topic = next((n for n in a.named if n not in a.hints), a.named[0])
        # what is linked to the kinds of the topic stands for the topic, when it is the one
        # concept named ("industries using AI"), not one of two ("... in manufacturing")
        one = len([n for n in a.named if n not in a.hints]) == 1
        a.reached = reached_kind(p.view, p.walker, topic, kinds, i.chained, under=one,
                                 near_only=not plural and not i.chained)  # "who made X
        a.out.lead.extend(a.reached)
        if a.kind_first and not a.reached:
            # "examples of trends in AI" where no trend is linked to AI: the kind's members
            member = p.members(a.hints[0], i)
            if member:
                a.out.lead.append(member)


def _inherited(p: Planning, a: Asked) -> None:
    if not a.groups and a.named and not a.out.lead:
        inherited = inherited_fact(p.view, p.walker, a.named[0], a.intent, p.group)
        if inherited is not None:
            a.out.lead.append(inherited)


def _list_leads(p: Planning, a: Asked) -> None:
    i, out, groups = a.intent, a.out, a.groups
    if groups and i.members_word == "examples" and out.lead and out.lead[-1].kind == (
        "membership"
    ):
        a.candidates.append(out.lead.pop())  # "examples of X": the examples, not the kinds
    if groups and not out.lead and not set(groups[0].nodes[1:]) & set(a.named) and (
        not i.text.startswith("who ")
    ):
        # The list is the answer, unless it names the ask, or the question asks who did
        # something (an agent, not the things the concept is used for).
        out.lead.append(groups.pop(0))
    a.candidates.extend(groups)
    a.candidates.sort(key=lambda f: -f.score)


def _told_apart(p: Planning, a: Asked) -> None:
    if len(a.named) >= 2 and a.differs and not a.out.lead and _APART.search(a.intent.text) and (
        not a.paired or not p.aspect(a.ctx, a.named[:2])
    ):
        # No property pairs up, or the question names no aspect to compare them on
        # ("X vs Y: what's the difference?"): what each one is, side by side, tells them
        # apart (kg.qa.compare); with words beyond the two names and the comparing ("how
        # does X Y compare with rule-based ones"), each one's definition
        side_by_side = [] if p.aspect(a.ctx, a.named[:2]) else p.structure.compare(
            a.named[0], a.named[1])
        a.out.lead.extend(side_by_side or p.told_apart(a.named[0], a.named[1]))
    if len(a.named) >= 2 and a.intent.has("comparison") and not a.out.lead:
        _balance(a.named[0], a.named[1], a.candidates)


def _hops(p: Planning, a: Asked) -> None:
    i = a.intent
    if i.chained and a.named and not i.has("hierarchy") and not a.reached:
        p.plan_hops(i, a.named, a.candidates, a.out)


def _quiet(p: Planning, a: Asked) -> None:
    spoken = set(a.on_topic) if a.defines else set()
    if a.intent.has("comparison"):
        spoken |= set(a.named[:2])  # what each compared thing is: part of the contrast
    a.out.quiet = {fact_key(f) for f in a.candidates if p.content_free(f, spoken)}


STEPS: tuple[Step, ...] = (
    Step("hierarchy", "is X a kind of Y? what is X a kind of?: the broader chain", _hierarchy),
    Step("comparison", "X vs Y: a property of both, paired up", _comparison),
    Step("paths", "how do X and Y relate?: the link or every step between them", _paths),
    Step("members", "what kinds of X are there?: every narrower concept", _members),
    Step("definition", "what is X?: its definition", _definition),
    Step("answer type", "which theme is X in? who develops X?: the relation asked for",
         _answer_type),
    Step("asked value", "when was X founded? how much does X cost?: the fact holding it",
         _asked_value),
    Step("lists", "which Xs does Y use?: every object of the relation, or of the asked "
         "kind one or two links away", _lists),
    Step("inherited", "the limitations of X, recorded on a broader concept", _inherited),
    Step("list leads", "the list found leads, unless it names the ask", _list_leads),
    Step("told apart", "how do X and Y differ?, nothing paired: what each one is",
         _told_apart),
    Step("hops", "the X of the Y that Z: one sentence per hop", _hops),
    Step("quiet", "facts not worth saying for this question", _quiet),
)


def asks_two(intent: Intent) -> bool:
    """True when the question is about two named concepts alike ("X vs Y", "X and Y")."""
    return intent.has("comparison") or intent.has("relation") or " and " in f" {intent.text} "


def _balance(a: str, b: str, candidates: list[Fact]) -> None:
    """A comparison answer speaks of both sides: when the best fact is about one of the two
    only, the best fact about the other alone is ranked right after it."""
    if not candidates:
        return
    top = candidates[0]
    sides = [n for n in (a, b) if n in top.nodes]
    if len(sides) != 1:
        return
    other = b if sides[0] == a else a
    best = next((f for f in candidates[1:] if other in f.nodes and sides[0] not in f.nodes
                 and f.score >= W.SUPPORT_FLOOR), None)
    if best is not None and best is not candidates[1]:
        best.score = max(best.score, candidates[1].score + W.ANSWER_TYPE_MARGIN)
        candidates.sort(key=lambda f: -f.score)


def fact_key(f: Fact) -> tuple[str, str, str]:
    """The triple a fact states (facts stating the same triple are one)."""
    return (f.subject, f.predicate, f.object)
