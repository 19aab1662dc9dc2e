"""Two concepts set side by side in one sentence, from the graph's structure.

A person asking "X vs Y" wants the contrast first: what each one is, side by side, on what
joins them. The frame is the graph's own link between the two (one is filed under the other,
or an edge joins them), else the broader concept they share; each side is its definition
trimmed to a predicate (its head clause, without the term restated), or where the graph
defines neither, the broader concepts only that side is filed under. So a thesaurus without
definitions is compared as well as a glossary: "Both are kinds of Z: X is ..., while Y is
...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.text import first_sentence, norm
from kg.qa.walk import Walker
from kg.rdf.terms import SKOS
from kg.view.graph_view import GraphView
from kg.view.phrasing import agree, is_plural

__all__ = ["Comparer", "definition_predicate"]

_SCOPE = str(SKOS.scopeNote)
_RELATED = str(SKOS.related)
_EDGES = 400  # a concept's links read for its related terms (a hub has thousands)
_UP_STEPS = 2  # a broader concept this many steps above each side is what they share
_LINK_STEPS = 3  # "X is a kind of Y" said through at most this many broader links
_PREDICATE_WORDS = 28  # a definition's head clause is cut at a comma past this many words
_MIN_CLAUSE = 6  # ... but never shorter than this
# words that open a clause a long definition may be cut before ("..., so that ...")
_CLAUSE_START = frozenset("so while whereas and especially including".split())
_NAMES_MAX = 3  # broader concepts one side names
_VERBS = ("refers to", "is used for", "is", "are", "was", "were", "means", "denotes",
          "describes", "comprises", "consists of", "includes")
# the definition restates the term: "<term> (…) is …", "<term>, also …, refers to …"
_RESTATED = re.compile(r"^(?:the |an? )?(?P<term>[^,;:()]{1,80}?)\s*(?:\([^)]*\)\s*)?"
                       r"(?:,[^,;]{0,60},\s*)?\s(?P<verb>" + "|".join(_VERBS)
                       + r")\s+(?P<rest>.+)$", re.IGNORECASE)
# a clause that only sets the field ("In remote sensing, ...")
_FIELD = re.compile(r"^in [^,]{3,40},\s+", re.IGNORECASE)
_CUT = re.compile(r"\s*(?:;|:\s|\s[-–—]\s|,?\s(?:e\.g|i\.e|etc)\b)")
_ASIDE = re.compile(r"\s*\([^()]*\)")  # a remark in brackets, left out of the head clause
# words that end a definition's head noun phrase
_AFTER_HEAD = frozenset("""of that which who whose in for with by from to on used built where
when as at into between under over than whereby""".split())
# the verbs a thesaurus's notes to its indexers open with ("Use ...", "See ...")
_INSTRUCTIONS = frozenset("use see prefer cf".split())
# the words that open a relative clause ("paradigm that ...", "paradigm in which ...")
_RELATIVE = frozenset("that which who whose where".split())
# words after a verb in -ing that make it the head ("buying back of shares")
_PARTICLES = frozenset("back out up down off of in on".split())
# words after an opening verb in -ing ("Having a ...", "Pertaining to ...")
_AFTER_VERB = frozenset("a an the to no one more less many few in on at its their some two".split())
_ARTICLES = ("a ", "an ", "the ", "any ", "one ", "that ", "all ", "each ", "some ")
# openings written with a vowel but said with a consonant ("a use", "a unit", "a one-off")
_SAID_WITH_Y = ("use", "usu", "uni", "uti", "eu", "one", "ure")
# heads that read without an article ("pollution of the air", "machine learning that ...")
_MASS = ("tion", "sion", "ing", "ness", "ism", "ology", "ics", "ware", "ledge")
# verbs that make a definition's opening a sentence with a subject of its own ("Soil may
# deteriorate ...", "An afterburner is a gadget ...") rather than a predicate of the term
_FINITE = frozenset("""is are was were may might can could will would must should shall has
have had does do consists comprises refers occurs includes contains describes""".split())
_OPENING = 5  # words a definition's own subject may take before its verb


@dataclass(frozen=True)
class Side:
    """What one compared concept is, as a clause about it ("is a subset of ...")."""

    clause: str  # without the subject ("" when only the note says it)
    facts: tuple[Fact, ...]  # what the clause states
    note: Fact | None = None  # a definition said as its own sentence (it names another subject)


def own_subject(definition: str) -> bool:
    """True when a definition opens as a sentence about a subject of its own ("Soil may
    deteriorate ...", "An afterburner is a gadget ..."): its verb comes within a few words,
    before any word that would qualify a head noun. Read as a predicate of the term, it
    would say "soil degradation is a soil may deteriorate"."""
    words = re.findall(r"[A-Za-z][\w'-]*|[,;:()]", first_sentence(definition))
    for k, w in enumerate(words[:_OPENING + 1]):
        low = w.lower()
        if low in _FINITE and not (k and f"{words[k - 1].lower()} " in _ARTICLES):
            return k > 0  # (after an article it is a noun: "a can", "any means")
        if low in _AFTER_HEAD or low in _RELATIVE or not w[:1].isalpha():
            return False
    return False


def _a_or_an(phrase: str) -> str:
    """"a optical quality" reads "an optical quality" (a source's slip is not repeated)."""
    first, _, rest = phrase.partition(" ")
    if first.lower() not in ("a", "an") or not rest:
        return phrase
    vowel = rest[:1].lower() in "aeiou" and not rest.lower().startswith(_SAID_WITH_Y)
    return f"{'an' if vowel else 'a'} {rest}"


def _lower_first(text: str) -> str:
    """"Subset of" reads "subset of"; "NLP", "Python" and "iPhone" keep their case."""
    word = text.split(" ", 1)[0]
    if word.endswith(("'s", "’s")):
        return text  # "Google's generative AI assistant": a name's possessive
    if word in ("A", "An", "The", "Any", "One", "That", "All", "Each", "Some"):
        return text[:1].lower() + text[1:]
    if word[:1].isupper() and word[1:2].islower() and not any(c.isupper() for c in word[1:]):
        return text[:1].lower() + text[1:]
    return text


def _head(phrase: str) -> str:
    """The head noun of a noun phrase: the word before its first qualifier."""
    words = re.findall(r"[A-Za-z][\w'-]*|;", phrase)
    head = ""
    for k, w in enumerate(words[:8]):
        after = words[k + 1].lower() if k + 1 < len(words) else ""
        if w == ";" or w.lower() in _AFTER_HEAD or (k and w.endswith("ed") and (
                after in _AFTER_HEAD or not after)):
            break  # "stems removed for ..." (not "unwanted sounds")
        head = w
    return head.lower()


def _gerund(words: list[str], head: str) -> bool:
    """True when an opening word in -ing is a verb with its object ("burying waste in the
    ground", "buying back of shares"), not a noun's modifier ("learning paradigm that")."""
    if len(words) < 2 or not words[0].endswith("ing") or len(words[0]) < 5:
        return False
    if words[1] in _PARTICLES:
        return True
    at = words.index(head) if head in words else -1
    after = words[at + 1:at + 3] if at > 0 else []
    return not (after and (after[0] in _RELATIVE or after[-1] in _RELATIVE))


def _article(phrase: str) -> str:
    """"a ", "an " or "" before a noun phrase that opens without an article."""
    head = _head(phrase)
    words = phrase.lower().split()
    if not head or is_plural(head) or head.endswith(_MASS) or _gerund(words, head):
        return ""  # "pollution of ...", "burying waste in the ground"
    first = phrase.lower()
    vowel = first[:1] in "aeiou" and not first.startswith(_SAID_WITH_Y)
    return "an " if vowel or first.startswith(("hour", "honest", "honou")) else "a "


def _trim(text: str) -> str:
    """The head clause of a definition: without remarks in brackets, up to a semicolon, a
    colon or a dash, and at a comma once it is long."""
    text = _ASIDE.sub("", text)
    cut = _CUT.search(text)
    if cut and len(text[: cut.start()].split()) >= _MIN_CLAUSE // 2:
        text = text[: cut.start()]
    words = text.split()
    if len(words) > _PREDICATE_WORDS:
        for k in range(_PREDICATE_WORDS, _MIN_CLAUSE - 1, -1):
            if words[k - 1].endswith(",") or words[k].lower() in _CLAUSE_START:
                return " ".join(words[:k]).rstrip(",")
    return text.rstrip(" ,")


def definition_predicate(names: list[str], definition: str) -> str:
    """A definition read as what it says of its term: "is a subset of machine learning
    that ...", "means having hairs" (a definition opening with a verb), "" when it says
    nothing. ``names`` are the term's own names (a restated term is left out)."""
    text = first_sentence(" ".join(definition.split())).rstrip(". ")
    words = text.lower().split()
    if len(words) < 2 or (words[0] in _INSTRUCTIONS and words[1] not in _AFTER_HEAD):
        return ""  # a note to the indexer ("Use more specific descriptors"), no definition
    match = _RESTATED.match(text)
    if match and norm(match.group("term")) in {norm(n) for n in names if n}:
        verb = match.group("verb").lower()
        return f"{verb} {_trim(match.group('rest'))}"
    if (words[0] == "no" and "definition" in words[:3]) or own_subject(text):
        # a note ("no definition needed"), or a sentence about something else ("Soil may
        # deteriorate ...", "Whistleblowers are people who ..."): no predicate of the term
        return ""
    text = _trim(_FIELD.sub("", text))
    first, _, after = text.partition(" ")
    if first.lower() == "to" or (first.lower().endswith("ing") and first[:1].isupper()
                                 and after.split(" ", 1)[0].lower() in _AFTER_VERB):
        return f"means {_lower_first(text)}"  # "having hairs", "to reduce ..."
    lowered = _lower_first(text)
    if lowered.lower().startswith(_ARTICLES):
        return f"is {_a_or_an(lowered)}"
    if lowered.split(" ", 1)[0].endswith(("'s", "’s")):
        return f"is {lowered}"  # "is Google's assistant": a possessive takes no article
    return f"is {_article(lowered)}{lowered}"


class Comparer:
    """The lead of a comparison: one sentence setting two concepts side by side."""

    def __init__(self, view: GraphView, walker: Walker) -> None:
        self.view = view
        self.walker = walker

    # ---------------------------------------------------------------- structure
    def _ups(self, iri: str) -> list[tuple[str, str, dict]]:
        return [(u, v, d) for u, v, d in self.view.nx.out_edges(iri, data=True)
                if d.get("hierarchy")]

    def _above(self, iri: str, steps: int) -> dict[str, list[tuple[str, str, dict]]]:
        """The broader concepts up to ``steps`` links above ``iri``, each with the chain of
        edges that reaches it (the shortest)."""
        found: dict[str, list[tuple[str, str, dict]]] = {}
        frontier = [(iri, [])]
        for _ in range(steps):
            grown = []
            for node, chain in frontier:
                for edge in self._ups(node):
                    if edge[1] not in found and edge[1] != iri:
                        found[edge[1]] = [*chain, edge]
                        grown.append((edge[1], found[edge[1]]))
            frontier = grown
        return found

    def _sorted(self, iris: list[str]) -> list[str]:
        return sorted(dict.fromkeys(iris), key=lambda n: (self.view.label(n).lower(), n))

    def _names(self, iris: list[str]) -> str:
        return join_names([self.view.label(n) for n in self._sorted(iris)], limit=_NAMES_MAX)

    def _edges(self, chain: list[tuple[str, str, dict]]) -> list[Fact]:
        return [self.walker.edge_fact(u, v, d) for u, v, d in chain]

    def _kind_link(self, a: str, b: str) -> tuple[str, list[Fact]] | None:
        """One filed under the other, as a clause ("X is a kind of Y")."""
        for x, y in ((a, b), (b, a)):
            chain = self._above(x, _LINK_STEPS).get(y)
            if chain:
                name = self.view.label(x)
                via = "".join(f"{self.view.label(v)}, which is a kind of "
                              for _, v, _ in chain[:-1])
                return f"{name} {agree(name, 'is a kind of')} {via}{self.view.label(y)}", \
                    self._edges(chain)
        return None

    def _edge_link(self, a: str, b: str) -> tuple[str, list[Fact], bool] | None:
        """An edge between the two (not the hierarchy), as a clause, and whether the graph
        states it both ways alike ("X contrasts with Y" and "Y contrasts with X": it says
        little more than the question)."""
        for x, y in ((a, b), (b, a)):
            edge = next(((u, v, d) for u, v, d in self.view.nx.out_edges(x, data=True)
                         if v == y and not d.get("hierarchy")), None)
            if edge is not None:
                back = any(d.get("predicate") == edge[2].get("predicate")
                           for _, v, d in self.view.nx.out_edges(y, data=True) if v == x)
                fact = self.walker.edge_fact(*edge)
                return fact.sentence.rstrip("."), [fact], back
        return None

    def _shared(self, a: str, b: str) -> tuple[list[str], list[Fact]]:
        """The nearest broader concepts both are filed under (within ``_UP_STEPS``)."""
        above = {n: self._above(n, _UP_STEPS) for n in (a, b)}
        both = [p for p in above[a] if p in above[b]]
        if not both:
            return [], []
        nearest = min(len(above[a][p]) + len(above[b][p]) for p in both)
        shared = self._sorted([p for p in both
                               if len(above[a][p]) + len(above[b][p]) == nearest])
        facts = [f for p in shared for n in (a, b) for f in self._edges(above[n][p])]
        return shared, facts

    # -------------------------------------------------------------------- sides
    def side(self, iri: str, other: str, shared: list[str]) -> Side | None:
        """What sets ``iri`` apart: its definition as a predicate, else the broader
        concepts it is filed under that ``other`` is not."""
        data = self.view.node(iri)
        desc = data.get("description", "")
        note = None
        if desc and (_SCOPE, desc) not in {(str(p), str(t)) for p, t in data.get("literals", [])}:
            # (a scope note tells an indexer how to use the term: it does not say what it is)
            names = [data.get("label", ""), self.view.label(iri), *data.get("alt_labels", [])]
            clause = definition_predicate(names, desc)
            fact = self.walker.definition(iri)
            if clause and fact is not None:
                return Side(agree(self.view.label(iri), clause), (fact,))
            if fact is not None and own_subject(desc):
                # a definition about another subject is said whole, as its own sentence
                fact.sentence = f"{self.view.label(iri)}: {first_sentence(desc).strip()}"
                fact.sentence += "" if fact.sentence.endswith((".", "!", "?")) else "."
                fact.score = W.LEAD - 0.01
                note = fact
        theirs = {v for _, v, _ in self._ups(other)}
        ups = [e for e in self._ups(iri) if e[1] not in theirs and e[1] not in shared
               and e[1] != other]
        if not ups:
            # filed alike ("Inflation" and "Deflation" under "Price level"): the related
            # terms only this side has tell it apart
            mine = self._related(iri, other)
            if mine:
                names = self._names([n for n, _ in mine])
                return Side(f"{agree(self.view.label(iri), 'is')} related to {names}",
                            tuple(self.walker.edge_fact(*e) for _, e in mine), note)
            return Side("", (), note) if note else None
        names = self._names([v for _, v, _ in ups])
        label = self.view.label(iri)
        also = "also " if shared else ""
        return Side(f"{also}{agree(label, 'comes')} under {names}", tuple(self._edges(ups)),
                    note)

    def _related(self, iri: str, other: str) -> list[tuple[str, tuple[str, str, dict]]]:
        """The concepts a related-term link joins to ``iri`` and not to ``other`` (with the
        edge), ``other`` itself left out."""
        def linked(node: str) -> dict[str, tuple[str, str, dict]]:
            out = {}
            for u, v, d in [*islice(self.view.nx.out_edges(node, data=True), _EDGES),
                            *islice(self.view.nx.in_edges(node, data=True), _EDGES)]:
                if d.get("predicate") == _RELATED:
                    out.setdefault(v if u == node else u, (u, v, d))
            return out
        theirs = linked(other)
        return [(n, e) for n, e in linked(iri).items() if n not in theirs and n != other]

    # ------------------------------------------------------------------ the lead
    def contrast(self, a: str, b: str) -> list[Fact]:
        """The contrast sentence (and nothing when the graph says nothing of either):
        the frame (their link, else what they share), then each side."""
        name_a, name_b = self.view.label(a), self.view.label(b)
        # the frame: one filed under the other; else an edge that says how they stand;
        # else what both are kinds of; else an edge both ways alike ("contrasts with")
        frame, facts = self._kind_link(a, b) or ("", [])
        edge = self._edge_link(a, b) if not frame else None
        if edge is not None and not edge[2]:
            frame, facts = edge[0], edge[1]
        shared, shared_facts = ([], []) if frame else self._shared(a, b)
        if shared:
            frame = f"{name_a} and {name_b} are both kinds of {self._names(shared)}"
            facts = shared_facts
        elif edge is not None and not frame:
            frame, facts = edge[0], edge[1]
        sides = [self.side(a, b, shared), self.side(b, a, shared)]
        notes = [s.note for s in sides if s and s.note]
        said = [f"{n} {s.clause}" for n, s in ((name_a, sides[0]), (name_b, sides[1]))
                if s and s.clause]
        if not frame and not said:
            return notes
        if len(said) == 2:
            body = f"{said[0]}, while {said[1]}"
        elif said and frame:
            body = said[0]  # the other side is what the frame says of it
        elif said and not notes:
            missing = name_b if sides[0] and sides[0].clause else name_a
            body = f"{said[0]}; the graph gives no definition of {missing}"
        elif said:
            body = said[0]
        else:
            body = ""
        text = f"{frame}: {body}" if frame and body else (frame or body)
        parts = [*facts, *(f for s in sides if s for f in s.facts)]
        fact = self.walker.make_fact(a, parts[0].predicate if parts else "", b,
                                     text[:1].upper() + text[1:] + ".", "group",
                                     src=[x for f in parts for x in f.sources])
        fact.parts = [p for f in parts for p in f.triples()]
        fact.nodes = tuple(dict.fromkeys([a, b, *(n for f in parts for n in f.nodes)]))
        fact.score = W.LEAD
        return [fact, *notes]
