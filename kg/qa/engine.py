"""Answer a question from the graph: link entities, walk, rank, compose, or abstain.

No language model runs here. Every sentence of an answer is a graph fact (see
:mod:`kg.qa.answer`); when the graph does not hold what was asked, the engine says so and
offers the nearest concepts instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from kg.gcpause import gc_paused
from kg.qa import weights as W
from kg.qa.answer import NOT_IN_GRAPH, Answer, EntityRef, Fact
from kg.qa.compose import compose, same_triple, select
from kg.qa.embeddings import Encoder
from kg.qa.entity_refs import answer_entities
from kg.qa.forms import FormReader, lexicon, with_graph_names
from kg.qa.index import VectorIndex
from kg.qa.intent import Intent, detect_intent, strip_markup
from kg.qa.kinds import RANKING, evidence, figure_asked, holds_kind, missing, names_kind
from kg.qa.lexical import LexicalIndex
from kg.qa.linking import LabelMatch, LabelMatcher, asks_for_kind, coordinated, graph_vocabulary
from kg.qa.meant import MeantNames
from kg.qa.naming import appositions, not_verbs, plural_only
from kg.qa.plan import Planner
from kg.qa.question import QUOTED, Linked, Question, unanswerable
from kg.qa.resume import answer_in_two, two_steps
from kg.qa.route import FormRouter
from kg.qa.screen import (
    clean_question,
    final_question,
    of_the_asker,
    refusal_of,
    set_in,
)
from kg.qa.structure import StructureRenderer, chain_of
from kg.qa.text import STOPWORDS, content_tokens, first_sentence, sentences, stem, tokens
from kg.qa.topics import Topics, asks_kind
from kg.qa.typed import readable
from kg.qa.unheld import Unheld
from kg.qa.walk import Context, Walker
from kg.view.graph_view import GraphView

__all__ = ["Engine", "NOT_IN_GRAPH"]

# forms whose answer a field the question is set in does not change (not "uses", "property")
_SET_APART = frozenset({"definition", "narrower", "broader", "count_narrower", "count_broader",
                        "count_names", "siblings", "names", "language_label", "examples",
                        "kind_check", "path", "comparison"})
_WH_FIRST = re.compile(r"\W*(?:what|which|who|whom|whose|where|when|why|how)\b", re.IGNORECASE)


class Engine:
    """Question answering over one graph view and its vector index."""

    @gc_paused()
    def __init__(
        self,
        view: GraphView,
        index: VectorIndex,
        encoder: Callable[[], Encoder],
        prepared: dict[str, Any] | None = None,
    ) -> None:
        """``prepared`` is :meth:`prepared_data` of an engine on the same view: it skips
        tokenising every label and description (seconds on a million-triple graph)."""
        self.view = view
        self.index = index
        self._encoder = encoder
        self.walker = Walker(view, index)
        self.forms = FormReader(self.encode_all, with_graph_names(lexicon(), view.labels))
        self.planner = Planner(view, self.walker,
                               StructureRenderer(view, self.walker, self.forms.lexicon),
                               self.forms.lexicon)
        self.router = FormRouter(view, self.walker, self.planner, self.forms.lexicon,
                                 self.encode_all)
        self.unheld = Unheld(view, self.walker, self.forms.lexicon.says_ask)
        self.meant = MeantNames(view, lambda v, k: self.index.search(v[None, :], k)[0],
                                self.encode_all)
        if prepared is not None:
            self.matcher = LabelMatcher.from_data(view, prepared["matcher"])
            vocab = prepared["vocabulary"]  # a list, or a table read on demand (kg.qa.cache)
            self._vocab = vocab if isinstance(vocab, Mapping) else set(vocab)
            self.lexical = LexicalIndex.from_data(prepared["lexical"])
        else:
            self.matcher = LabelMatcher(view)
            self._vocab = graph_vocabulary(view, self.matcher)
            self.lexical = LexicalIndex({
                iri: f"{data.get('label', '')} {data.get('description', '')}"
                for iri, data in view.nx.nodes(data=True)
                if self.walker.is_data(iri)
            })
        self._hub_degree = view.degree_at(W.HUB_PERCENTILE)
        # words of the graph's relation and class names: "which group ..." asks a relation
        self._relation_words = {stem(t) for label in [*view.predicate_labels.values(),
                                                      *view.type_labels.values()]
                                for t in tokens(label)}

    def _plain(self, word: str) -> bool:
        """True when ``word`` names no concept: it asks, is grammar, or names a relation."""
        lex, s = self.forms.lexicon, stem(word)
        return lex.says_ask(word) or s in lex.grammar or s in self._relation_words or (
            word in lex.languages)

    def prepared_data(self) -> dict[str, Any]:
        """What a later engine on the same view can start from (JSON-able; see __init__)."""
        return {
            "matcher": self.matcher.to_data(),
            "vocabulary": sorted(self._vocab),
            "lexical": self.lexical.to_data(),
        }

    # ------------------------------------------------------------------ public
    def encode(self, text: str) -> np.ndarray:
        """The unit vector of one text (the encoder is loaded on first use)."""
        return self.encode_all([text])[0]

    def encode_all(self, texts: list[str]) -> np.ndarray:
        """The unit vectors of several texts, in one encoder call."""
        return self._encoder().encode(texts)

    def ask(self, question: str, top_k: int = 5, hops: int = 2, full: bool = False) -> Answer:
        """Answer ``question``; never raises on any text input.

        The steps: screen the text, link it to graph nodes, collect and rank candidate
        facts, plan what the answer must say first, compose the sentences. With ``full``
        the answer lists every ranked fact with its score instead of a short answer. A
        question in two steps ("X comes from a company; what else does it make?") is asked
        as two (kg.qa.resume)."""
        raw = question if isinstance(question, str) else str(question)
        whole = self._ask_one(raw, top_k, hops, full)
        steps = two_steps(strip_markup(clean_question(raw)), self.matcher.names,
                          self.forms.lexicon.agents)
        two = steps and answer_in_two(raw, steps, lambda q: self._ask_one(q, top_k, hops, full),
                                      self.view, whole)
        return two or whole

    def _ask_one(self, raw: str, top_k: int, hops: int, full: bool) -> Answer:
        """Answer one question (the steps of :meth:`ask`)."""
        clean = readable(raw, self.forms.lexicon, self._vocab, self.matcher)
        intent = detect_intent(clean)
        refusal = refusal_of(clean, intent)
        if refusal:
            return self._abstain(raw, intent, refusal, [])
        text = strip_markup(clean)
        asked = final_question(text)  # the question after sentences of context, when it names
        setting = set_in(text, asked)  # "In hydrology, what is an aquifer?"
        if setting and self.forms.lexicon.languages_in(tokens(setting)):
            asked = text  # "In French, what is ...": the language is asked
        q = self.link(asked, ask_intent := detect_intent(asked), top_k) if asked != text else None
        if q is not None and q.linked.named and ((self.forms.read(
                asked, q.linked.spans, ask_intent.yes_no).form in _SET_APART) if setting else (
                of_the_asker(text, asked) or any(not (self.walker.members_of(n) or asks_kind(
                    q.normed.split(), q.linked.named_at.get(n, 0))) for n in q.linked.named))):
            # a concept, not only the kind asked ("X: which themes?"); a field the question
            # is set in changes no definition, but where X is used ("In healthcare, how ...")
            text, intent = asked, ask_intent
        else:
            q = self.link(text, intent, top_k)
            if asked != text and not setting:  # "... about desertification. What does the
                # word mean?": the question names nothing; the context's subject ("life
                # insurance is one line of insurance. What are the others?"), else what it
                # names last, is its topic
                q.linked.named.sort(key=lambda n: (q.linked.named_at.get(n, 0) != 0,
                                                   -q.linked.named_at.get(n, 0)))
        undated = [y for y in _YEAR.findall(text) if y not in self._vocab]
        if undated:  # a fact of a year the graph never mentions is not in it ("in 2022")
            held = self.walker.definition(q.linked.named[0]) if q.linked.named else None
            return self._abstain(raw, intent, f"the graph mentions nothing of {undated[0]}",
                                 q.linked.entities, held)
        words = q.normed.split()  # the question's tokens
        at = {n: next(s for s in q.linked.spans if s[0] == i)
              for n, i in q.linked.named_at.items() if n in q.linked.named}
        unheld, of = self.unheld.shape(words, at, text)
        if unheld:  # "the population of Germany": nothing joins them; "why": no reason held
            return self._abstain(raw, intent, unheld, q.linked.entities,
                                 self.walker.definition(of))
        reading = self.forms.read(text, q.linked.spans, intent.yes_no)
        intent.yes_no |= reading.form == "kind_check" and reading.score >= W.CHECK_SURE and (
            "?" in text and not _WH_FIRST.match(text))  # "X IS-A Y?", "X => Y? (is-a)"
        span = next((s for s in q.linked.spans if q.linked.named and s[0] == q.linked.named_at.get(
            q.linked.named[0])), None)  # "I write to a pen pal about X; what's the French word?"
        last = asked if asked != text else sentences(text)[-1]  # ("The memo names X. What
        alone = self.forms.read_alone(last, words[span[0]:span[1]], span) if (  # is it?")
            last != text and (reading.unclaimed or not reading.form) and span) else None
        if alone is not None and alone.form and (
                not reading.form or len(alone.unclaimed) < len(reading.unclaimed)) and (
                asked != text or alone.form == "definition"):  # ("... List everything.")
            reading = alone
        if reading.form == "definition" and (reading.score >= W.DEFINES_SURE or (
                reading is alone)) and not intent.yes_no:
            # read surely as "what is X?" ("what is the black box problem": no limitation),
            # or so read alone after the context naming X ("... X. What are they?")
            intent.kinds = ["definition", *(k for k in intent.kinds if k != "definition")]
            # the one read as X leads ("a chatbot *hallucinates*", "... a share buyback. What
            # does that mean?"), not one a pronoun was guessed for ("Is that what it says?")
            x_at = reading.spans[0][0] if reading.spans and (
                not reading.clause or _WH_FIRST.match(reading.masked)) else None
            q.linked.named.sort(key=lambda n: x_at is None or q.linked.named_at.get(n) != x_at)
        measure = intent.asked.measure if intent.asked is not None else ""
        if measure and self.router.kinds.counts_concepts(
                q.normed, measure, q.linked.named, self.forms.lexicon.asking):
            intent.asked = None  # "how many child terms", "how many organisations are named"
        if intent.asked is None and reading.form == "statistic" and (
                reading.score >= W.FIGURE_SURE):  # "what is X's GDP?": a figure is asked
            intent.asked = figure_asked()
        topics = Topics(q.linked.named, q.linked.named_at, q.linked.entities, intent.yes_no,
                        words, frozenset(q.unknown), q.linked.spans,
                        intent.answer_type, tuple(q.linked.type_hints), q.linked.span_names)
        structural = self.router.structural(raw, topics, reading, full)
        if isinstance(structural, Answer):
            return structural
        unclaimed = {stem(w) for w in reading.unclaimed} if reading.form else None
        why_not = "" if structural else unanswerable(
            q, unclaimed, self.forms.lexicon, self.matcher, self._vocab, self._relation_words)
        if why_not:
            return self._abstain(raw, intent, why_not, q.linked.entities)
        candidates = self.collect(q, top_k, hops)
        why_not = "" if structural else self._unsupported(
            intent, candidates, q.unknown, q.linked) or self.unheld.method(
            words, at, candidates)
        if why_not and intent.asked is not None:
            subject = self.view.label(q.linked.named[0]) if q.linked.named else ""
            part = self._answer_part(raw, why_not, subject, top_k, hops, full)
            if part is not None:
                return part
        named = q.linked.named
        if (not why_not and not structural and intent.yes_no and len(named) >= 2
                and not intent.has("hierarchy")
                and not self.planner.joined(named[0], named[1], candidates)):
            a, b = (self.view.label(n) for n in named[:2])
            why_not = f"the graph records no link between {a} and {b}"
        if why_not:
            held = None
            if named:
                # say what the graph does hold of the concept asked about (not of "price")
                of = next((n for n in named if intent.asked is None or not names_kind(
                    intent.asked, self.view.label(n))), named[0])
                held = self.walker.definition(of) or next(
                    (f for f in candidates if of in f.nodes), None)
            return self._abstain(raw, intent, why_not, q.linked.entities, held)
        plan = self.planner.plan(q.ctx, q.linked.named, q.linked.type_hints, candidates)
        if structural:
            plan.lead, plan.chain = structural, chain_of(self.view, structural)
        # a relation of the topic the question names leads, whatever form it was read as
        # ("what is the opposite of X" reads like a definition), or two relations in a chain
        asked = self.router.asked_relation(topics, reading, intent)
        kinds = self.planner.asked_kinds(intent, q.linked.type_hints) if asked else set()
        if kinds and asked is not None and not kinds & set(asked.nodes[1:]):
            # "which organisations use what X applies": the relation named must reach the
            # kind asked for, or it is only the way there
            asked = None
        if asked is not None and not any(same_triple(asked, f) for f in plan.lead[:1]):
            # the relation the question names comes first; a lead it already covers goes
            plan.lead = [asked, *self.router.beside(asked, [
                f for f in plan.lead if not same_triple(asked, f)])]
        unlinked = None if asked or structural else self.router.unlinked_kind(
            topics, reading, intent, [*plan.lead, *candidates[:10]])
        if unlinked is not None:  # "which company makes X": the graph links X to none
            return self._abstain(raw, intent, unlinked[1], q.linked.entities,
                                 self.walker.definition(unlinked[0]))
        for old, new in reversed(q.linked.retired):
            plan.lead.insert(0, self.walker.replaced(old, new))
        chosen = select(plan.lead, candidates, limit=8 if intent.has("comparison") else 6)
        if not chosen:
            return self._abstain(raw, intent, "the graph holds no facts close enough to the "
                                 "question", q.linked.entities)
        lead_ids = {id(f) for f in plan.lead}
        composed = compose(
            [f for f in chosen if id(f) in lead_ids],
            candidates if full else [f for f in chosen if id(f) not in lead_ids],
            quiet=plan.quiet,
            # a comparison led by one sentence gets one more to cover the other side
            max_support=W.SUPPORT_MAX + (
                1 if intent.has("comparison") and len(plan.lead) < 2 else 0),
            full=full,
            meaning=self.meaning,
        )
        listed = None if intent.has("comparison") else self.router.members_instead(
            raw, composed.spoken, topics, reading, full)
        if listed is not None:
            return listed
        return Answer(
            question=raw,
            text=composed.text,
            abstained=False,
            confidence=self._confidence(q.linked, chosen),
            entities=answer_entities(self.view, self.walker, q.linked.entities,
                                     q.linked.type_hints, chosen, top_k, intent),
            facts=composed.supporting,
            intent=intent.kinds,
            chain=plan.chain,
        )

    def meaning(self, fact: Fact) -> np.ndarray | None:
        """The stored vector of the node a prose fact speaks (no new embedding per answer)."""
        return self.index.vector(fact.nodes[-1]) if fact.nodes else None

    # ------------------------------------------------------------------- steps
    def link(self, text: str, intent: Intent, top_k: int) -> Question:
        """Step 1: the question's vector, linked concepts, data hits and unknown words."""
        words = tokens(text)
        # a concept named only by words that say what is asked ("Parents", "Concept") is not
        # what the question is about; one named by a language is, when it is all that is named
        found, lex = self.matcher.find(text, self.forms.lexicon.says_ask), self.forms.lexicon
        matches = [m for m in found if not lex.asks_only(words[m.start:m.end])] or [
            m for m in found if lex.names_language(words[m.start:m.end])  # "the Germans",
            or words[m.start - 1:m.start] == ["of"]]  # "what kinds of tree", all else asking
        matches = not_verbs(matches, words, lambda i: plural_only(self.view, i),  # (a word
                            lambda w: self.matcher.knows(w) or lex.says_ask(w))  # that
        # asks is known)
        self.view.prefetch([m.iri for m in matches])  # each read below, in place, at once
        # a name that says a relation of another concept named is the relation asked for
        # (unless the other is filed under it: "besides bias, what other limitations")
        matches = [m for m in matches if not any(
            o.iri != m.iri and (o.start >= m.end or o.end <= m.start)
            and m.iri not in self.view.broader(o.iri)
            and self.router.names_relation(words[m.start:m.end], o.iri) for o in matches)]
        matches = appositions(matches, words, self.view.ancestors)  # "the quality X"
        near = self.matcher.near(text, matches)  # "enlarged - its opposite?" (a guess,
        # not taken where the question speaks of more the graph does not know)
        if near and all(self.router.names_relation(words[m.start:m.end], near[0].iri)
                        for m in matches) and (matches or sum(
                            w not in STOPWORDS and stem(w) not in self._vocab
                            and not self.forms.lexicon.says_ask(w) for w in words) < 2):
            matches = near[:1]
        matches, said = self.meant.relinked(  # names in other words ("weather phenomena")
            text, words, coordinated(matches, words), self._plain, self._vocab)
        spans = sorted({(m.start, m.end) for m in matches})
        masks = self.forms.unseen(text, spans)  # read by kg.qa.forms; one call for all
        todo = [text, *masks] if said is None else masks
        vectors = self.encode_all(todo) if todo else []
        self.forms.remember(masks, vectors[len(vectors) - len(masks):])
        qvec = vectors[0] if said is None else said
        linked = self._link(text, qvec, top_k, matches, spans)
        quoted = [t for q in QUOTED.findall(text) for t in [" ".join(tokens(q))] if t]
        if quoted and len(linked.named) > 1:  # "... something about 'Stagflation' ...": the
            # term quoted is what the question is about, before the others it names
            spans_at = dict(spans)
            said = {n: " ".join(words[a:spans_at.get(a, a + 1)])
                    for n, a in linked.named_at.items()}
            inside = [n for n in linked.named if said.get(n) and any(
                f" {said[n]} " in f" {t} " for t in quoted)]
            if inside and len(linked.named) > 2:
                linked.named[:] = inside  # a long question's other names are its context
            elif inside:
                linked.named.sort(key=lambda n: n not in inside)
        words = self.matcher.repair([t for t in tokens(text) if t not in STOPWORDS])
        qstems = {stem(w) for w in words if any(c.isalpha() for c in w)}
        unknown = sorted(w for w in qstems if w not in self._vocab and len(w) > 2)
        ctx = Context(
            qvec=qvec,
            qstems=self._residual(content_tokens(" ".join(words)), linked.named),
            intent=intent,
            linked=linked.named,
            type_hints=tuple(linked.type_hints),
        )
        return Question(text, " ".join(tokens(text)), intent, linked, ctx, qstems, unknown)

    def collect(self, q: Question, top_k: int, hops: int) -> list[Fact]:
        """Step 2: candidate facts around the linked concepts, best first."""
        entity_iris = [e.iri for e in q.linked.entities if self.view.is_concept(e.iri)][
            : max(top_k, 4)
        ]
        return self.walker.collect(q.ctx, entity_iris[:4], q.linked.data_hits, hops)

    # ----------------------------------------------------------------- linking
    def _link(self, text: str, qvec: np.ndarray, top_k: int, matches: list[LabelMatch],
              spans: list[tuple[int, int]]) -> Linked:
        words = tokens(text)
        named: list[str] = []
        hints: list[str] = []
        for m in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
            if len(matches) > 1 and self.walker.data_class(m.iri):
                continue  # "claim", "figure": words about the schema, not the subject
            is_class = bool(self.walker.members_of(m.iri))
            grouping = is_class or not self.view.broader(m.iri)
            if (is_class and len(matches) > 1) or (
                grouping and self.walker.kinds_of(m.iri) and asks_for_kind(words, m.start, m.end)
            ):
                if m.iri not in hints:
                    hints.append(m.iri)  # "which framework ...": a type to look for
            elif m.iri not in named:
                named.append(m.iri)
        hits = self.index.search(qvec[None, :], max(30, top_k * 4))[0]
        # read ahead together (one request, remote) what the question may walk from: a
        # hit too weak to be an entity matters only if it is a data node, never a concept
        self.view.prefetch([*named, *hints, *(iri for iri, cos in hits if cos >= W.RETRIEVED_MIN
                                              or not self.view.is_concept(iri))])
        best = hits[0][1] if hits else 0.0
        refs: dict[str, EntityRef] = {}
        for i, iri in enumerate(named):
            refs[iri] = EntityRef(iri, self.view.label(iri), 1.0 - W.NAMED_RANK_STEP * i, "named")
        dense: dict[str, float] = {}
        for iri, cos in hits:
            if self.walker.is_data(iri):
                dense[iri] = cos
                continue
            if iri not in refs and cos >= W.RETRIEVED_MIN and not self.walker.data_class(iri):
                refs[iri] = EntityRef(iri, self.view.label(iri), cos, "retrieved")
        lexical = dict(self.lexical.search(text))
        merged: dict[str, float] = {}
        for iri in sorted(set(dense) | set(lexical)):
            cos = dense.get(iri)
            if cos is None:
                vec = self.index.vector(iri)
                cos = float(vec @ qvec) if vec is not None else 0.0
            merged[iri] = cos + W.LEXICAL_WEIGHT * lexical.get(iri, 0.0)
        data_hits = sorted(((i, v) for i, v in merged.items() if v >= W.DATA_HIT_MIN),
                           key=lambda x: (-x[1], x[0]))
        ranked = sorted(refs.values(), key=lambda e: (-e.score, e.iri))
        # Specific concepts first: a hub such as "AI" says less about what is asked.
        named.sort(key=lambda n: self.view.nx.degree(n) > self._hub_degree)
        retired = list(dict.fromkeys((m.replaces, m.iri) for m in matches if m.replaces))
        return Linked(named, hints, ranked, data_hits[: W.DATA_HITS_KEEP], best, retired,
                       spans, {m.iri: m.start for m in reversed(matches)},
                       {m.start: m.iri for m in reversed(matches)})

    # --------------------------------------------------------------- abstention
    def _counts_members(self, intent: Intent, linked: Linked) -> bool:
        """True for "how many kinds of X are there?" about an X with narrower concepts: the
        graph holds that count (the plan says it), though no figure states it."""
        return (intent.counts_members and intent.members_after >= 0
                and any(self.view.narrower(n) for n in linked.named[:2]))

    def _unsupported(
        self, intent: Intent, candidates: list[Fact], unknown: list[str], linked: Linked
    ) -> str:
        near = candidates[:40]
        if intent.asked is not None and not self._counts_members(intent, linked):
            named = [n for n in linked.named if not names_kind(intent.asked, self.view.label(n))]
            named = named or linked.named  # "the price of peat": peat's price is asked
            about = [f for f in near[:25] if set(f.nodes) & set(named)]
            if not intent.asked.subject_bound or not named:  # "how long do companies spend
                about += near[:5]  # ...": the best facts may be about what is only implied
            # a ranking is held by figures the graph states, not by digits in a definition
            texts = [f.sentence for f in about if intent.asked != RANKING or f.kind == "data"]
            labels = [self.view.predicate_label(f.predicate) for f in about]
            labels += [self.view.type_labels.get(t, "") for f in about for n in f.nodes
                       for t in self.view.node(n).get("types", [])]
            datatypes = []
            for n in named[:2]:
                values, predicates = evidence(self.view.node(n).get("literals", []))
                texts += values
                datatypes += predicates
            if not holds_kind(intent.asked, texts, labels, datatypes):
                return missing(intent.asked, self.view.label(named[0]) if named else "")
        unknown = [u for u in unknown if u not in self.forms.lexicon.asking]  # "superclass"
        if intent.has("statistic") and unknown and not any(
            f.kind == "data" and re.search(r"\d", f.sentence) for f in near[:25]
        ):
            return "the graph holds no figure for this"
        return ""

    def _residual(self, stems: list[str], named: list[str]) -> set[str]:
        """The question's words minus the names of its linked concepts: what is asked about
        them. Word overlap is scored on these, so facts are not rewarded for merely naming
        the entity."""
        names: set[str] = set()
        for iri in named:
            data = self.view.node(iri)
            for label in [data.get("label", ""), *data.get("alt_labels", [])]:
                names.update(content_tokens(label))
        rest = {s for s in stems if s not in names}
        return rest or set(stems)

    def _answer_part(
        self, raw: str, lacking: str, subject: str, top_k: int, hops: int, full: bool
    ) -> Answer | None:
        """A two-part question whose one part asks for a value the graph lacks: answer the
        other part, then say which part the graph does not hold (None: not such a question)."""
        parts = [p for p in _PARTS.split(raw) if p and p.strip(" ,;?")]
        asking = [p for p in parts if detect_intent(p).asked is not None]
        rest = [p for p in parts if detect_intent(p).asked is None]
        if len(parts) < 2 or len(asking) != 1 or not rest:
            return None
        other = " ".join(p.strip(" ,;?") for p in rest)
        if subject:  # "..., and which company is behind it": "it" is the concept asked about
            other = _PRONOUN.sub(lambda m: subject + ("'s" if m.group(0).lower() == "its"
                                                      else ""), other)
        answer = self.ask(other + "?", top_k, hops, full)
        if answer.abstained:
            return None
        said = asking[0].strip(" ,;?")
        note = f"{lacking[:1].upper()}{lacking[1:]}, so it cannot answer \"{said}\"."
        body, sep, sources = answer.text.partition("\nSources:")
        answer.text = f"{body}\n{note}{sep}{sources}"
        answer.question = raw
        answer.reason = lacking
        return answer

    def _abstain(
        self, raw: str, intent: Intent, reason: str, nearest: list[EntityRef],
        held: Fact | None = None,
    ) -> Answer:
        """Say plainly that the graph lacks the answer, why, and what it holds nearby."""
        concepts = [e for e in nearest if self.view.is_concept(e.iri)][:5]
        if held is not None:
            said = first_sentence(held.sentence)  # what it holds, not all it knows
            text = f"{NOT_IN_GRAPH} {reason[:1].upper()}{reason[1:]}. It holds: {said}"
            if held.sources:
                text += " [1]\nSources: [1] " + "; ".join(held.source_labels[: W.SOURCES_SHOWN])
        else:
            text = f"{NOT_IN_GRAPH} ({reason}.)"
            if concepts:
                text += " Nearest concepts: " + ", ".join(e.label for e in concepts) + "."
        return Answer(question=raw, text=text, abstained=True, confidence=0.0, entities=[],
                      facts=[], intent=intent.kinds, reason=reason, suggestions=concepts)

    # --------------------------------------------------------------- composing
    def _confidence(self, linked: Linked, chosen: list[Fact]) -> float:
        best_fact = max((f.score for f in chosen), default=0.0)
        named = W.CONFIDENCE_NAMED if linked.named else 0.0
        evidence = min(1.0, max(best_fact, linked.best_cos))
        return float(min(1.0, named + W.CONFIDENCE_EVIDENCE * evidence))


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")  # a year a question dates its fact by

# Where a question splits into parts: "X ..., and when was it ...", "...; who ...".
_PARTS = re.compile(r"\s*[,;]\s*(?:and\s+)?(?=(?:what|which|how|who|where|when|why|is|are|does|"
                    r"do)\b)|\s+and\s+(?=(?:what|which|how|who|where|when|why)\b)", re.IGNORECASE)

_PRONOUN = re.compile(r"\b(?:it|its|they|them)\b", re.IGNORECASE)

