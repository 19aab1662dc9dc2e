"""The answer plan: per intent, the facts that answer what was asked and must come first.

definition -> the asked concept's own definition; hierarchy -> the broader chain in one
sentence (with "yes" or what the graph lacks for "is X a Y?"); relation -> the direct edge or
every step of the path between the two concepts in one sentence; membership -> one sentence
naming every member (or "and N more"); list-like asks -> one sentence per subject and property
naming all objects. The rest of the answer is ranked support (see :mod:`kg.qa.compose`).
"""

from __future__ import annotations

import re

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.forms import Lexicon, lexicon
from kg.qa.intent import KIND_OF, Intent
from kg.qa.linking import derived_names
from kg.qa.steps import STEPS, Asked, Plan, fact_key
from kg.qa.structure import StructureRenderer
from kg.qa.text import content_tokens, first_sentence, norm, stem, tokens
from kg.qa.walk import INTENT_CUES, Context, Walker
from kg.rdf.terms import SKOS
from kg.view.graph_view import GraphView
from kg.view.paths import shortest_path
from kg.view.phrasing import agree, plural_object, predicate_phrase

__all__ = ["Plan", "Planner"]
# "who do I need ...", "who should ...": a person asks about themselves, not about an agent
_AUXILIARY = frozenset("do does did should can could would will might must shall".split())
_ASKED_OBJECTS = 40  # a relation the question asks for is said with this many objects

_BROADER = str(SKOS.broader)
# Clause breaks of a question: "..., and what kind of ...".
_CLAUSE = re.compile(r"[,;?]\s*|\s+and\s+(?=(?:what|which|how|who|where|when|why)\b)")
# Words that only ask for a comparison, whatever is compared.
_COMPARING = frozenset(stem(w) for w in (
    "differ different difference differences compare compared comparison contrast versus vs "
    "distinguish distinguishes apart set sets tell between each one two both whats main key "
    "better worse exactly really").split())


class Planner:
    """Builds the lead sentences of an answer from the graph around the linked concepts."""

    def __init__(self, view: GraphView, walker: Walker,
                 structure: StructureRenderer | None = None,
                 lex: Lexicon | None = None) -> None:
        self.view = view
        self.walker = walker
        self.lexicon = lex or lexicon()
        # the lists of narrower concepts, in the words structural answers use
        self.structure = structure or StructureRenderer(view, walker, self.lexicon)
        self._agents: set[str] | None = None

    @staticmethod
    def asks_agent(intent: Intent) -> bool:
        """True for "who <verb> ..." ("who makes X?"): an agent linked to the topic is
        asked; not for "who do I need ...", where a person asks about themselves, nor "who
        or what is X", which asks what X is."""
        words = intent.text.split()
        return len(words) > 1 and words[0] == "who" and words[1] not in _AUXILIARY and (
            words[1] != "or")

    def asked_kinds(self, intent: Intent, hints: list[str]) -> set[str]:
        """The things the question asks for, by kind: the members of the kinds it names
        ("which companies"), or for "who ...", of the classes named as agents in the
        lexicon (organisations, people); empty when it names no kind."""
        if self.asks_agent(intent):
            # "who makes the product ...": an agent is asked; the product is the way there
            if self._agents is None:
                self._agents = {m for t, label in self.view.type_labels.items()
                                if any(stem(w) in self.lexicon.agents for w in tokens(label))
                                for m in self.view.members(t)}
            if self._agents:
                return self._agents
        return {m for t in hints for m in self.walker.kinds_of(t)}

    def plan(
        self, ctx: Context, named: list[str], type_hints: list[str], candidates: list[Fact]
    ) -> Plan:
        """The plan for one question; may add path steps to ``candidates`` (kept sorted).
        Each kind of question has its one step in the table :data:`kg.qa.steps.STEPS`."""
        asked = Asked(ctx, named, type_hints, candidates, Plan())
        for step in STEPS:
            step.run(self, asked)
        return asked.out

    def plan_hops(
        self, intent: Intent, named: list[str], candidates: list[Fact], out: Plan
    ) -> None:
        """A chained question: one sentence per hop, in the question's order. The first hop
        is the best fact joining the concept the question names first to one it does not
        name (not a mere "is a kind of"); the second is the best fact about that concept
        that leaves the start behind, so each sentence names its link to the one before."""
        text = intent.text
        heads = [n for n in named if self.named_in(n, intent.chain_head or text)]
        if not heads:
            return  # the part the chain starts from names no linked concept
        start = min(heads, key=lambda n: (self._position(n, text), named.index(n)))

        said = {stem(t) for t in content_tokens(text)}

        def reached(f: Fact) -> set[str]:  # concepts the question does not name, even loosely
            return {n for n in f.nodes if n not in named and self.view.is_concept(n)
                    and not self.named_in(n, text)
                    and not {stem(t) for t in content_tokens(self.view.label(n))} <= said}

        first = next((f for f in candidates
                      if f.kind != "hierarchy" and start in f.nodes and reached(f)), None)
        if first is None:
            return
        bridge = reached(first)
        second = next((f for f in candidates if f is not first and start not in f.nodes
                       and bridge & set(f.nodes)), None)
        hops = [first] + ([second] if second is not None else [])
        out.lead = hops + [f for f in out.lead if fact_key(f) not in {fact_key(h) for h in hops}]

    def _position(self, iri: str, text: str) -> int:
        """How many words into ``text`` the concept is first named (its length if never)."""
        words = text.split()
        return next((k for k in range(1, len(words) + 1)
                     if self.named_in(iri, " ".join(words[:k]))), len(words))

    def joined(self, a: str, b: str, candidates: list[Fact]) -> bool:
        """True when a fact speaks of both, or an edge or one go-between joins them: else a
        yes/no question about the two ("Is GPT-4 made by Google?") has no answer here."""
        if any(a in f.nodes and b in f.nodes for f in candidates):
            return True
        return shortest_path(self.view.nx, a, b, max_edges=2) is not None

    def aspect(self, ctx: Context, compared: list[str]) -> set[str]:
        """The question's words beyond the compared concepts' names and the wording of a
        comparison: "primary function" in "deep learning vs generative AI: primary function"."""
        names = {stem(t) for iri in compared
                 for label in [self.view.node(iri).get("label", ""),
                               *self.view.node(iri).get("alt_labels", [])]
                 for t in content_tokens(label)}
        return ctx.qstems - names - _COMPARING

    def outranked(self, ctx: Context, iri: str, candidates: list[Fact],
                  named: tuple[str, ...] = ()) -> bool:
        """True when the question asks more than the concept's name ("tasks deep learning
        can tackle") and a candidate fact scores above its definition: a link of the graph,
        or a passage far ahead or speaking of those further words (context no passage
        speaks of, "what is it, actually? I'd rather not ask him", leaves the definition)."""
        d = self.walker.definition(iri)
        if d is None:
            return False
        def names(n: str) -> set[str]:
            data = self.view.node(n)
            said = {t for label in [data.get("label", ""), *data.get("alt_labels", [])]
                    for t in content_tokens(label)}
            return said | {stem(t) for t in said}

        if not ctx.qstems - names(iri):
            return False  # the question says no more than the concept's name
        # (another concept named is no more a passage must speak of: "X in the AI context")
        more = ctx.qstems - names(iri) - {t for n in named for t in names(n)}
        own = next((f.score for f in candidates if fact_key(f) == fact_key(d)), 0.0)
        # (a link of the graph outranks it as before: "lilac is a shade of which colour")
        return any(f.score > own and (f.kind != "data" or f.score >= own + W.PASSAGE_AHEAD or (
            more & {stem(t) for t in content_tokens(f.sentence)})) for f in candidates
            if fact_key(f) != fact_key(d))

    # ----------------------------------------------------------------- hierarchy
    def plan_hierarchy(
        self, ctx: Context, named: list[str], candidates: list[Fact], out: Plan
    ) -> None:
        chain, steps, others = self._chain(ctx, named)
        out.chain = [self.view.label(n) for n in chain]
        candidates.extend(others)
        verdict = self._verdict(chain, named) if ctx.intent.yes_no else ""
        if verdict and verdict != "Yes":
            # No chain joins the two, but a fact about both says how they do relate: that
            # answers "is X part of Y?" better than what the graph lacks, which follows it.
            both = next((f for f in candidates if f.kind != "hierarchy"
                         and set(named[:2]) <= set(f.nodes)), None)
            if both is not None:
                out.lead.append(both)
        if not steps:
            if verdict and verdict != "Yes":
                out.lead.append(_said(verdict))
            return
        labels = out.chain
        text = f"{labels[0]} {agree(labels[0], 'is a kind of')} {labels[1]}"
        text += "".join(f", which is a kind of {c}" for c in labels[2:]) + "."
        if verdict == "Yes":
            text = "Yes: " + text
        elif verdict:
            text = text[:-1] + "; " + verdict[:1].lower() + verdict[1:]
        out.lead.append(self.group(steps, text, "hierarchy"))

    def _chain(self, ctx: Context, named: list[str]) -> tuple[list[str], list[Fact], list[Fact]]:
        """The chain to speak (between two named concepts if one is the other's ancestor,
        else the first concept's chain through its parent closest to the question), its
        edge facts, and the other parents' edges (support)."""
        view = self.view
        chain: list[str] = []
        for a in named:
            for b in named:
                if a != b and not chain:
                    path = next((p for p in view.ancestors(a) if b in p), None)
                    chain = path[: path.index(b) + 1] if path else []
        paths = [p for p in view.ancestors(named[0]) if len(p) > 1]
        if not chain and paths:
            chain = max(paths, key=lambda p: (self.walker.relevance(ctx, p[1]), -len(p)))
        pairs = zip(chain, chain[1:], strict=False)
        steps = [f for f in (self._edge(a, b) for a, b in pairs) if f]
        for f in steps:
            f.score = W.LEAD
        others = []
        for p in paths:
            if chain and p[1] != chain[1] and (f := self._edge(p[0], p[1])) is not None:
                f.score = W.HIERARCHY_EXTRA
                others.append(f)
        return chain, steps, others

    def _edge(self, a: str, b: str) -> Fact | None:
        data = self.view.nx.get_edge_data(a, b) or {}
        edge = next((d for d in data.values() if d.get("hierarchy")), None)
        return self.walker.edge_fact(a, b, edge) if edge else None

    def _verdict(self, chain: list[str], named: list[str]) -> str:
        """"Yes" when the chain joins the two named concepts; else what the graph lacks."""
        if len(named) < 2 or not chain:
            return ""
        if len(chain) > 1 and {chain[0], chain[-1]} <= set(named[:2]):
            return "Yes"
        a, b = (self.view.label(n) for n in named[:2])
        return f"The graph does not record {a} as a kind of {b} or the reverse."

    def prefer_answer_type(self, wanted: str, named: list[str], candidates: list[Fact]) -> None:
        """"Which bank ...": a fact naming a concept the question does not, whose label,
        type or definition opening calls it a bank, answers it better than facts about
        banks in general."""
        want = stem(wanted)
        for f in candidates:
            for n in f.nodes:
                if n in named or self.walker.is_data(n) or not self.walker.labelled(n):
                    continue
                data = self.view.node(n)
                opening = " ".join(data.get("description", "").split()[:6])
                about = f"{data.get('label', '')} {self.walker.cues(n)} {opening}"
                if want in content_tokens(about):
                    f.score += W.ANSWER_TYPE
                    break

    def asked_property(self, node: str, wanted: str, only: str = "") -> Fact | None:
        """"Which theme does X belong to?": the relation of X whose name is the asked word
        ("is in the theme") answers it, whatever X's place in the hierarchy. With ``only``,
        that relation, whatever its words."""
        want = stem(wanted)
        for predicate, facts in sorted(self._objects(node, _ASKED_OBJECTS).items()):
            if only and predicate != only:
                continue
            verb = predicate_phrase(self.view, predicate)
            if not only and want not in {stem(t) for t in content_tokens(verb)}:
                continue
            if len(facts) == 1:
                facts[0].score = W.LEAD
                return facts[0]
            names = join_names(sorted(self.view.label(f.object) for f in facts))
            label = self.view.label(node)
            verb = plural_object(agree(label, verb), len(facts))
            return self.group(facts, f"{label[:1].upper()}{label[1:]} {verb} {names}.", "group")
        return None

    # ---------------------------------------------------------------- comparison
    def plan_contrast(
        self, a: str, b: str, candidates: list[Fact], out: Plan, shared_first: bool
    ) -> bool:
        """What two compared concepts share (a parent) and how the same property differs
        between them: "A is powered by X; B is powered by Y.". What they share leads only
        when the question asks what they have in common: to "how does A differ from B?",
        "both are kinds of P" is context, not the answer. True when a property was paired."""
        view = self.view
        paired = False
        for parent in (p for p in view.broader(a) if p in view.broader(b)):
            steps = [f for f in (self._edge(a, parent), self._edge(b, parent)) if f]
            if len(steps) == 2:
                text = (f"{view.label(a)} and {view.label(b)} are both kinds of "
                        f"{view.label(parent)}.")
                shared = self.group(steps, text, "hierarchy")
                if shared_first:
                    out.lead.append(shared)
                else:
                    shared.score = W.SHARED_PARENT
                    candidates.append(shared)
        sides = [self._objects(a), self._objects(b)]
        for predicate in [p for p in sides[0] if p in sides[1]][: W.CONTRAST_MAX]:
            facts = [sides[0][predicate], sides[1][predicate]]
            if {f.object for f in facts[0]} == {f.object for f in facts[1]}:
                continue  # the same on both sides: not a contrast
            if {f.object for f in facts[0]} == {b} and {f.object for f in facts[1]} == {a}:
                # each names the other ("A is opposite of B", "B is opposite of A"): one fact
                facts[0][0].score = W.CONTRAST
                candidates.append(facts[0][0])
                paired = True
                continue
            verb = predicate_phrase(view, predicate)
            halves = [
                f"{view.label(x)} {plural_object(agree(view.label(x), verb), len(fs))} "
                f"{join_names([view.label(f.object) for f in fs])}"
                for x, fs in zip((a, b), facts, strict=True)
            ]
            parts = facts[0] + facts[1]
            pair = self.group(parts, halves[0][:1].upper() + halves[0][1:] + "; "
                               + halves[1] + ".", "group")
            pair.score = W.CONTRAST
            candidates.append(pair)
            paired = True
        return paired

    def _objects(self, node: str, most: int = W.CONTRAST_OBJECTS) -> dict[str, list[Fact]]:
        """A concept's relations to other concepts, by predicate (lists of ``most`` only)."""
        by: dict[str, list[Fact]] = {}
        for _, obj, edge in self.view.nx.out_edges(node, data=True):
            if edge.get("hierarchy") or self.walker.is_data(obj) or not self.walker.labelled(obj):
                continue
            by.setdefault(edge["predicate"], []).append(self.walker.edge_fact(node, obj, edge))
        return {p: fs for p, fs in by.items() if len(fs) <= most}

    # --------------------------------------------------------------------- paths
    def plan_paths(
        self, intent: Intent, named: list[str], candidates: list[Fact], out: Plan,
        differs: bool = False,
    ) -> None:
        """A path between two named concepts: the answer to how they relate. A path through
        a parent they share does not say how they differ (see _plan_contrast)."""
        for path in self.walker.paths(named):
            if len(path) > 4:
                continue  # long detours between two names explain little
            steps = self.walker.path_facts(path)
            if differs and self._via_parent(path):
                continue  # said by _plan_contrast, as context
            if intent.has("relation") and len(steps) == len(path) - 1 and not out.lead:
                out.lead.append(self._path_sentence(steps))
                continue
            if len(path) > 3:
                continue
            for f in steps:
                f.score = max(f.score, W.PATH_MIN)
                candidates.append(f)

    def _via_parent(self, path: list[str]) -> bool:
        """True for A -> P <- B where both steps are broader edges (siblings)."""
        if len(path) != 3:
            return False
        return path[1] in self.view.broader(path[0]) and path[1] in self.view.broader(path[2])

    def told_apart(self, a: str, b: str) -> list[Fact]:
        """How two things differ when no property of theirs pairs up, or when the question
        names no aspect: what each one is, in the first sentence of its definition (both,
        or neither: one side alone is no contrast)."""
        defs = [d for d in map(self.walker.definition, (a, b)) if d is not None]
        if len(defs) < 2:
            return []
        for d in defs:
            d.sentence = first_sentence(d.sentence)
            d.score = W.LEAD
        # a link between the two says how they stand to each other ("Fragile is opposite of
        # non-fragile."): after what each one is
        for u, v in ((a, b), (b, a)):
            data = self.view.nx.get_edge_data(u, v) or {}
            edge = next((d for d in data.values() if not d.get("hierarchy")), None)
            if edge is not None:
                link = self.walker.edge_fact(u, v, edge)
                link.score = W.LEAD - 0.01
                return [*defs, link]
        return defs

    def compared_definitions(self, compared: list[str], candidates: list[Fact]) -> None:
        """What each compared thing is belongs in a comparison's answer, as much as when a
        definition is asked for."""
        for iri in compared:
            d = self.walker.definition(iri)
            if d is None:
                continue
            own = next((f for f in candidates if fact_key(f) == fact_key(d)), None)
            if own is None:
                d.score = W.DEFINITION_BASE_ASKED
                candidates.append(d)
            else:
                own.score = max(own.score, W.DEFINITION_BASE_ASKED)

    def _path_sentence(self, steps: list[Fact]) -> Fact:
        """Every step of a path between two concepts, in order, in one sentence."""
        clauses = list(dict.fromkeys(f.sentence.rstrip(".") for f in steps))
        if len(steps) == 1:
            steps[0].score = W.LEAD
            return steps[0]
        if len(clauses) == 1:
            return self.group(steps, clauses[0] + ".", "group")
        return self.group(steps, "; ".join(clauses[:-1]) + "; and " + clauses[-1] + ".", "group")

    def group(self, steps: list[Fact], text: str, kind: str) -> Fact:
        """One sentence that states several triples (kept as its parts)."""
        group = self.walker.make_fact(
            steps[0].subject, steps[0].predicate, steps[-1].object, text, kind,
            src=[x for f in steps for x in f.sources],
        )
        group.parts, group.score = steps, W.LEAD
        group.nodes = tuple(dict.fromkeys(n for f in steps for n in f.nodes))
        return group

    # --------------------------------------------------------------------- lists
    def kind_of_names(self, intent: Intent, named: list[str]) -> bool:
        """True when a clause that asks "a kind of" names a linked concept: in "which
        model does X use, and what kind of data does it take?" no chain of X is asked."""
        clauses = _CLAUSE.split(intent.text)
        asking = [c for c in clauses if KIND_OF.search(c)]
        return len(clauses) < 2 or not asking or any(
            self.named_in(n, c) for c in asking for n in named)

    def named_in(self, iri: str, text: str) -> bool:
        data = self.view.node(iri)
        names = [data.get("label", ""), *data.get("alt_labels", [])]
        names += [d for n in names for d in derived_names(n)]  # "organize action"
        return any(n and f" {norm(n)}" in f" {text}" for n in names)

    def members(self, iri: str, intent: Intent) -> Fact | None:
        """Every narrower concept of ``iri`` in one sentence, with how many there are (the
        structural renderer's list: the same words whichever way the question came)."""
        if not self.view.narrower(iri):
            return None
        fact = self.structure.narrower(iri)[0]
        fact.score = W.MEMBERS
        return fact

    def grouped(
        self, candidates: list[Fact], named: list[str], type_hints: list[str], intent: Intent
    ) -> list[Fact]:
        """One sentence per (subject, predicate) listing every object, for list-like asks.

        "Bicycles have the problems Punctures, Theft and Rust." answers "what problems do
        bicycles have" better than three separate sentences.
        """
        wants = [k for k in ("limitation", "example", "membership") if intent.has(k)]
        if not wants or not named:
            return []
        cues = tuple(c for k in wants for c in INTENT_CUES.get(k, ()))
        hinted = {m for t in type_hints for m in self.walker.kinds_of(t)}
        buckets: dict[tuple[str, str], list[Fact]] = {}
        for f in candidates:
            if f.kind != "relation" or f.subject not in named:
                continue
            if not (f.object in hinted or any(c in self.walker.cues(f.object) for c in cues)):
                continue
            buckets.setdefault((f.subject, f.predicate), []).append(f)
        out = []
        for (subject, predicate), facts in buckets.items():
            # The ranking found the relation; the list itself is complete: every object the
            # subject has under that predicate, not only the ones that ranked high.
            known = {f.object for f in facts}
            for _, obj, edge in self.view.nx.out_edges(subject, data=True):
                if edge["predicate"] == predicate and obj not in known:
                    extra = self.walker.edge_fact(subject, obj, edge)
                    extra.score = min(f.score for f in facts)
                    facts.append(extra)
                    known.add(obj)
            if len(facts) < 2:
                continue
            facts = sorted(facts, key=lambda f: self.view.label(f.object))
            listed = join_names([self.view.label(f.object) for f in facts])
            verb = agree(self.view.label(subject), predicate_phrase(self.view, predicate))
            verb = plural_object(verb, len(facts))
            sentence = f"{self.view.label(subject)} {verb} {listed}."
            group = self.walker.make_fact(
                subject, predicate, facts[0].object, sentence[:1].upper() + sentence[1:],
                "group", src=[s for f in facts for s in f.sources],
            )
            group.score = sum(sorted((f.score for f in facts), reverse=True)[:3]) / 3
            group.nodes = (subject, *[f.object for f in facts])
            group.parts = facts
            out.append(group)
        return sorted(out, key=lambda f: -f.score)[:3]

    # ------------------------------------------------------------- content-free
    def content_free(self, f: Fact, on_topic: set[str]) -> bool:
        """A line with nothing for the reader: the definition of a concept the question
        does not ask to define, the gloss of a class (it speaks of members), the caption of
        a table (it speaks of cells)."""
        if f.kind == "definition":
            if self.walker.is_data(f.subject):  # a claim or figure: content, unless a caption
                return self._container(f.subject) or bool(self.walker.members_of(f.subject))
            return f.subject not in on_topic
        if f.kind == "data":
            return any(self._container(n) for n in (f.subject, f.object))
        return False

    def _container(self, node: str) -> bool:
        """A data node holding other data nodes (a table of cells): its text is a caption."""
        if not self.walker.is_data(node) or node not in self.view.nx:
            return False
        inner = [m for m in self.view.nx.successors(node) if self.walker.is_data(m)]
        return len(inner) >= 2


def _said(sentence: str) -> Fact:
    """A sentence of the plan that states no triple (a "no" verdict)."""
    return Fact(subject="", predicate="", object="", sentence=sentence, score=W.LEAD,
                kind="verdict")
