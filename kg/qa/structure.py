"""Answers read off the graph's structure: one renderer per form of taxonomy question.

Narrower and broader terms (all of them), their counts, siblings, other names and labels in a
language are answered from the hierarchy and the labels, whatever the graph's wording: no
ranking decides what a complete list holds. Each renderer returns the lead facts of an answer
(empty when the form does not apply to the concept, so the ranked facts answer instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compare import Comparer
from kg.qa.forms import Lexicon
from kg.qa.walk import Walker
from kg.rdf.terms import RDF, RDFS, SKOS
from kg.view.graph_view import GraphView
from kg.view.paths import neighbours, shortest_path
from kg.view.phrasing import agree

__all__ = ["LIST_INLINE", "StructureRenderer", "chain_of"]

LIST_INLINE = 40  # names said inline before "and N more" (every name in a full answer)
_LIST_SLACK = 10  # a list this little longer is said whole ("and 1 more" saves nothing)
_PATH_EDGES = 4  # longer detours between two concepts explain little
_CHAIN_EDGES = 8  # ... but a chain of concepts (the hierarchy, related terms) says how they are
_PATH_FANOUT = 500  # links of one node a concept path looks at (hubs have thousands)
_PARENTS_MAX = 6  # parents whose other children a siblings answer names
_EXAMPLES = 8  # members an examples answer names (a full answer names every one)
_SUBCLASS = str(RDFS.subClassOf)
_TYPE = str(RDF.type)
_ALT = str(SKOS.altLabel)
_RELATED = str(SKOS.related)
_PREF = str(SKOS.prefLabel)


def chain_of(view: GraphView, facts: list[Fact]) -> list[str]:
    """The broader chain the lead states, when its hierarchy steps form one (labels)."""
    steps = [p for f in facts if f.kind == "hierarchy" for p in f.triples() if p.predicate]
    if not steps or any(a.object != b.subject for a, b in zip(steps, steps[1:], strict=False)):
        return []
    return [view.label(steps[0].subject), *(view.label(p.object) for p in steps)]


@dataclass(frozen=True)
class _Words:
    """How the hierarchy's members are called: SKOS concepts or OWL/RDFS classes."""

    narrower: tuple[str, str]  # singular, plural
    broader: tuple[str, str]


_CONCEPTS = _Words(("narrower concept", "narrower concepts"),
                   ("broader concept", "broader concepts"))
_CLASSES = _Words(("subclass", "subclasses"), ("superclass", "superclasses"))


_MEMBER = ("member", "members")


def _count(n: int, words: tuple[str, str]) -> str:
    return f"one {words[0]}" if n == 1 else f"{n} {words[1]}"


def _listed(names: list[str], full: bool) -> str:
    """Every name, joined; past ``LIST_INLINE`` names (unless ``full``, or only a few more)
    the rest counted."""
    shown = names if full or len(names) <= LIST_INLINE + _LIST_SLACK else names[:LIST_INLINE]
    more = len(names) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more (a full answer lists every one)"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() and not text[1:2].isupper() else text


class StructureRenderer:
    """The lead facts of the structural forms, from the view's hierarchy and labels."""

    def __init__(self, view: GraphView, walker: Walker, lexicon: Lexicon) -> None:
        self.view = view
        self.walker = walker
        self.comparer = Comparer(view, walker)
        self.language_names: dict[str, str] = {}
        self.own = next(iter(lexicon.languages.values()), "")  # the lexicon's language: first
        for name, tag in lexicon.languages.items():
            self.language_names.setdefault(tag, name.capitalize())
        self._renderers: dict[str, Callable[[str, str, bool], list[Fact]]] = {
            "narrower": self.narrower,
            "examples": self.examples,
            "count_narrower": self.narrower,
            "broader": self.broader,
            "count_broader": self.counted_broader,
            "siblings": self.siblings,
            "names": self.names,
            "count_names": self.counted_names,
            "language_label": self.language_label,
            "related": self.related,
            "profile": self.profile,
        }
        # the renderers that answer about two concepts ("is X a kind of Y?")
        self._pairs: dict[str, Callable[[str, str], list[Fact]]] = {
            "kind_check": self.kind_check,
            "path": self.path,
            "compare": self.compare,
        }

    def handles(self, renderer: str) -> bool:
        return renderer in self._renderers or renderer in self._pairs

    def holds(self, renderer: str, topic: str) -> bool:
        """False when the graph holds nothing for the renderer to list about ``topic``."""
        if renderer in ("narrower", "examples", "count_narrower"):  # (a class: its members)
            return bool(self.view.narrower(topic) or self.walker.members_of(topic))
        if renderer in ("broader", "count_broader"):
            return bool(self.view.broader(topic))
        if renderer in ("names", "count_names"):  # (related synonyms are names too)
            return any(kind in ("alt", "related") for _, kind, _ in self._names(topic))
        if renderer == "siblings":
            return any(len(self.view.narrower(b)) > 1 for b in self.view.broader(topic))
        return True

    def pair(self, renderer: str) -> bool:
        """True when the renderer answers about two concepts ("is X a kind of Y?")."""
        return renderer in self._pairs

    def render(self, renderer: str, iri: str, lang: str = "", full: bool = False,
               other: str = "") -> list[Fact]:
        """The lead facts answering ``renderer``'s form about ``iri`` (and ``other``)."""
        if renderer in self._pairs:
            return self._pairs[renderer](iri, other)
        return self._renderers[renderer](iri, lang, full)

    def _chain_to(self, start: str, goal: str) -> list[tuple[str, str, dict]] | None:
        """The shortest chain of broader edges from ``start`` up to ``goal`` (None if none)."""
        came: dict[str, tuple[str, str, dict] | None] = {start: None}
        frontier = [start]
        while frontier and goal not in came and len(came) < 20_000:
            nxt = []
            for node in frontier:
                for edge in self._up_edges(node):
                    if edge[1] not in came:
                        came[edge[1]] = edge
                        nxt.append(edge[1])
            frontier = nxt
        if goal not in came:
            return None
        chain = []
        node = goal
        while (edge := came[node]) is not None:
            chain.append(edge)
            node = edge[0]
        return chain[::-1]

    def _ups(self, a: str) -> dict[str, str]:
        """Every concept above ``a``, each with the one below it on a shortest way up."""
        came, frontier = {a: a}, [a]
        while frontier and len(came) < 20_000:
            grown = []
            for node in frontier:
                for _, v, _ in self._up_edges(node):
                    if v not in came:
                        came[v] = node
                        grown.append(v)
            frontier = grown
        return came

    def _common_path(self, a: str, b: str) -> list[str] | None:
        """Up from ``a`` to the nearest concept both are filed under, then down to ``b``
        (however deep: "how does mature relate to old" meets six levels up)."""
        up_a, up_b = self._ups(a), self._ups(b)

        def way(came: dict[str, str], node: str) -> list[str]:
            out = [node]
            while out[-1] != came[out[-1]]:
                out.append(came[out[-1]])
            return out  # node ... start

        common = [c for c in up_a if c in up_b]
        if not common:
            return None
        best = min(common, key=lambda c: (len(way(up_a, c)) + len(way(up_b, c)), c))
        return way(up_a, best)[::-1] + way(up_b, best)[1:]

    def _hierarchy_path(self, a: str, b: str) -> list[str] | None:
        """The shortest path from ``a`` to ``b`` along broader and narrower links only."""
        return self._path_by(a, b, lambda node: [
            v if u == node else u for u, v, _ in [*self._up_edges(node),
                                                  *self._down_edges(node)]])

    def _filed_or_linked(self, a: str, b: str) -> list[str] | None:
        """The path along the hierarchy, or through related terms where that is shorter
        (not where one is filed under the other: "how is GPT-4 connected to AI")."""
        filed = self._hierarchy_path(a, b)
        if any(m in chain[1:] for n, m in ((a, b), (b, a)) for chain in self.view.ancestors(n)):
            return filed
        return min((r for r in (filed, self._concept_path(a, b)) if r), key=len, default=None)

    def _concept_path(self, a: str, b: str) -> list[str] | None:
        """The shortest path from ``a`` to ``b`` through concepts only (the hierarchy and
        links such as related terms), not through the groups and themes that file them: two
        concepts in one theme of hundreds say little about how they connect."""
        return self._path_by(a, b, lambda node: [
            n for n in islice(neighbours(self.view.nx, node), _PATH_FANOUT)
            if self.view.is_concept(n)], _CHAIN_EDGES)

    def _path_by(self, a: str, b: str, step: Callable[[str], list[str]],
                 edges: int = _PATH_EDGES + 2) -> list[str] | None:
        """The shortest path from ``a`` to ``b`` of at most ``edges`` edges, where ``step``
        gives a node's neighbours."""
        came: dict[str, str] = {a: a}
        frontier = [a]
        for _ in range(edges):
            grown = []
            self.view.prefetch(frontier)  # in place: the level in a request, not one a node
            for node in frontier:
                for nxt in step(node):
                    if nxt not in came:
                        came[nxt] = node
                        grown.append(nxt)
            if b in came or not grown or len(came) > 20_000:
                break
            frontier = grown
        if b not in came:
            return None
        route = [b]
        while route[-1] != a:
            route.append(came[route[-1]])
        return route[::-1]

    def path(self, a: str, b: str) -> list[Fact]:
        """How two concepts connect: every step of the shortest path between them, in one
        sentence (or that the graph joins them by no short path)."""
        # a direct link; how the two are filed, or a shorter way by related terms; any path
        route = shortest_path(self.view.nx, a, b, max_edges=1) or self._filed_or_linked(
            a, b) or self._common_path(a, b) or shortest_path(
            self.view.nx, a, b, max_edges=_PATH_EDGES)
        steps = self.walker.path_facts(route) if route else []
        if not steps:
            text = (f"The graph records no link between {self.view.label(a)} and "
                    f"{self.view.label(b)} within {_PATH_EDGES} steps.")
            return [self._group([], a, text, "verdict")]
        return [self.steps(steps)]

    def steps(self, steps: list[Fact]) -> Fact:
        """Every step of a path, in order, in one sentence."""
        clauses = list(dict.fromkeys(self._lowered(f).rstrip(".") for f in steps))
        text = clauses[0] if len(clauses) == 1 else (
            "; ".join(clauses[:-1]) + "; and " + clauses[-1])
        fact = self.walker.make_fact(steps[0].subject, steps[0].predicate, steps[-1].object,
                                     _upper(text) + ".", "group",
                                     src=[x for f in steps for x in f.sources])
        fact.parts = steps
        fact.nodes = tuple(dict.fromkeys(n for f in steps for n in f.nodes))
        fact.score = W.LEAD
        return fact

    def _lowered(self, fact: Fact) -> str:
        """A step's sentence with its subject's label as the graph writes it: a label in
        lower case is not capitalised in the middle of the path's one sentence."""
        label = self.view.label(fact.subject)
        if label[:1].islower() and fact.sentence.startswith(_upper(label)):
            return label + fact.sentence[len(label):]
        return fact.sentence

    def compare(self, a: str, b: str) -> list[Fact]:
        """"X vs Y": one sentence setting the two side by side (see :mod:`kg.qa.compare`)."""
        return self.comparer.contrast(a, b)

    def kind_check(self, a: str, b: str) -> list[Fact]:
        """"Is A a kind of B?": yes with the chain that joins them, or no with where the graph
        files A (the reverse is said when B is the narrower one)."""
        name_a, name_b = self.view.label(a), self.view.label(b)
        chain = self._chain_to(a, b)
        if chain:
            above = ", which is a kind of ".join(self.view.label(v) for _, v, _ in chain)
            text = f"Yes: {name_a} {agree(name_a, 'is a kind of')} {above}."
            return [self._group(chain, a, text, "hierarchy")]
        if b in self.view.node(a).get("types", ()):  # "is Google an organisation?": typed
            fact = self.walker.make_fact(a, _TYPE, b, f"Yes: the graph types {name_a} as "
                                         f"{name_b}.", "hierarchy")
            fact.score = W.LEAD
            return [fact]
        reverse = self._chain_to(b, a)
        if reverse:
            above = ", which is a kind of ".join(self.view.label(v) for _, v, _ in reverse)
            text = (f"No: it is the other way round; {name_b} "
                    f"{agree(name_b, 'is a kind of')} {above}.")
            return [self._group(reverse, b, text, "hierarchy")]
        ups = self._up_edges(a)
        parents = self._sorted([v for _, v, _ in ups])
        text = f"No: the graph does not file {name_a} under {name_b}"
        if parents:
            names = _listed([self.view.label(p) for p in parents], False)
            text += f"; {name_a} {agree(name_a, 'comes')} under {names}."
        else:
            text += "."
        return [self._group(ups, a, text, "hierarchy")]

    # ------------------------------------------------------------------ helpers
    def _words(self, iri: str) -> _Words:
        edges = [*self._up_edges(iri), *self._down_edges(iri)]
        if edges and all(d.get("predicate") == _SUBCLASS for _, _, d in edges):
            return _CLASSES
        return _CONCEPTS

    def _up_edges(self, iri: str) -> list[tuple[str, str, dict]]:
        return [(u, v, d) for u, v, d in self.view.nx.out_edges(iri, data=True)
                if d.get("hierarchy")]

    def _down_edges(self, iri: str) -> list[tuple[str, str, dict]]:
        return [(u, v, d) for u, v, d in self.view.nx.in_edges(iri, data=True)
                if d.get("hierarchy")]

    def _sorted(self, iris: list[str]) -> list[str]:
        return sorted(dict.fromkeys(iris), key=lambda n: (self.view.label(n).lower(), n))

    def _group(self, edges: list[tuple[str, str, dict]], subject: str, text: str,
               kind: str) -> Fact:
        """One sentence stating several hierarchy edges (kept as its parts)."""
        parts = [self.walker.edge_fact(u, v, d) for u, v, d in edges]
        if not parts:
            # what the graph lacks states no triple (its sources are the concept's own)
            fact = self.walker.make_fact(subject, "", "", text, "verdict", literal=True)
        else:
            fact = self.walker.make_fact(parts[0].subject, parts[0].predicate,
                                         parts[0].object, text, kind,
                                         src=[s for f in parts for s in f.sources])
            fact.parts = parts
            fact.nodes = tuple(dict.fromkeys([subject, *(n for f in parts for n in f.nodes)]))
        fact.score = W.LEAD
        return fact

    # ---------------------------------------------------------------- renderers
    def narrower(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """Every narrower concept, with how many there are."""
        label = self.view.label(iri)
        edges = self._down_edges(iri)
        words = self._words(iri)
        if not edges:
            # a class with no narrower concepts may still have members ("which frameworks")
            typed = self._sorted([m for m in self.view.members(iri) if self.view.is_concept(m)])
            text = (f"{_upper(label)} {agree(label, 'has')} {_count(len(typed), _MEMBER)}: "
                    f"{_listed([self.view.label(m) for m in typed], full)}." if typed else
                    f"The graph records no {words.narrower[1]} under {label}.")
            return [self._group([], iri, text, "membership")]
        kids = self._sorted([u for u, _, _ in edges])
        edges.sort(key=lambda e: kids.index(e[0]))
        names = _listed([self.view.label(k) for k in kids], full)
        count = _count(len(kids), words.narrower)
        text = f"{_upper(label)} {agree(label, 'has')} {count}: {names}."
        return [self._group(edges, iri, text, "membership")]

    def examples(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """A few members of ``iri`` (its narrower concepts, or a class's members), the best
        connected first, with how many there are; none when it has no members (the ranked
        facts answer then)."""
        edges = self._down_edges(iri)
        if not edges:  # a class: its members ("name some frameworks")
            return self.narrower(iri, lang, full) if any(
                self.view.is_concept(m) for m in self.view.members(iri)) else []
        label = self.view.label(iri)
        degree = self.view.nx.degree
        kids = sorted(dict.fromkeys(u for u, _, _ in edges),
                      key=lambda n: (-degree(n), self.view.label(n).lower(), n))
        shown = kids if full else kids[:_EXAMPLES]
        edges = sorted((e for e in edges if e[0] in shown), key=lambda e: shown.index(e[0]))
        names = _listed([self.view.label(k) for k in shown], True)
        text = f"Examples of {label}: {names}."
        if len(shown) < len(kids):
            text = (f"Examples of {label}: {names}; the graph files {len(kids)} in all "
                    "(a full answer lists every one).")
        return [self._group(edges, iri, text, "membership")]

    def broader(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """Every direct parent; with one parent, the chain above it in a second sentence."""
        label = self.view.label(iri)
        edges = self._up_edges(iri)
        words = self._words(iri)
        if not edges:
            text = f"{_upper(label)} is at the top of its hierarchy: the graph records no " \
                   f"{words.broader[1]} for it."
            return [self._group([], iri, text, "hierarchy")]
        parents = self._sorted([v for _, v, _ in edges])
        names = _listed([self.view.label(p) for p in parents], full)
        if len(parents) == 1:
            text = f"The {words.broader[0]} of {label} is {names}."
        else:
            text = (f"{_upper(label)} {agree(label, 'has')} "
                    f"{_count(len(parents), words.broader)}: {names}.")
        out = [self._group(edges, iri, text, "hierarchy")]
        if len(parents) == 1:
            chain = self._chain_above(parents[0])
            if chain:
                out.append(chain)
        return out

    def counted_broader(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """"How many parents does X have?": every direct parent, the number said even when
        it is one ("X has one broader concept: Y")."""
        edges = self._up_edges(iri)
        if len(edges) != 1:
            return self.broader(iri, lang, full)
        label, words = self.view.label(iri), self._words(iri)
        text = (f"{_upper(label)} {agree(label, 'has')} {_count(1, words.broader)}: "
                f"{self.view.label(edges[0][1])}.")
        return [self._group(edges, iri, text, "hierarchy")]

    def _chain_above(self, iri: str) -> Fact | None:
        """"P in turn is a kind of Q, which is a kind of R." along the single chain above."""
        steps: list[tuple[str, str, dict]] = []
        node = iri
        while len(steps) < 8:
            ups = self._up_edges(node)
            if len(ups) != 1 or ups[0][1] in {iri, *(u for u, _, _ in steps)}:
                break
            steps.append(ups[0])
            node = ups[0][1]
        if not steps:
            return None
        first = self.view.label(iri)
        above = ", which is a kind of ".join(self.view.label(v) for _, v, _ in steps)
        text = f"{_upper(first)} in turn {agree(first, 'is a kind of')} {above}."
        fact = self._group(steps, iri, text, "hierarchy")
        fact.score = W.LEAD - 0.01
        return fact

    def related(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """Every concept linked to ``iri`` by a related-term link (either direction)."""
        label = self.view.label(iri)
        edges = [(u, v, d) for u, v, d in [*self.view.nx.out_edges(iri, data=True),
                                           *self.view.nx.in_edges(iri, data=True)]
                 if d.get("predicate") == _RELATED]
        if not edges:
            return []  # no related-term links: the ranked facts say what is near it
        others = self._sorted([v if u == iri else u for u, v, _ in edges])
        names = _listed([self.view.label(o) for o in others], full)
        text = (f"{_upper(label)} {agree(label, 'is')} related to "
                f"{_count(len(others), ('concept', 'concepts'))}: {names}.")
        fact = self._group(edges, iri, text, "group")
        fact.predicate = _RELATED
        return [fact]

    def profile(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """What a concept without a definition is, from where the graph files it: its
        broader concepts, then its narrower ones."""
        label = self.view.label(iri)
        ups = self._up_edges(iri)
        downs = self._down_edges(iri)
        out: list[Fact] = []
        if ups:
            parents = self._sorted([v for _, v, _ in ups])
            names = _listed([self.view.label(p) for p in parents], full)
            text = (f"The graph gives no definition of {label}; it files {label} under "
                    f"{names}.")
            out.append(self._group(ups, iri, text, "hierarchy"))
        if downs:
            out.extend(self.narrower(iri, lang, full))
        return out

    def siblings(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """For each parent, the other concepts filed under it."""
        label = self.view.label(iri)
        out: list[Fact] = []
        ups = self._up_edges(iri)
        for _, parent, up in sorted(ups, key=lambda e: self.view.label(e[1]))[:_PARENTS_MAX]:
            others = [e for e in self._down_edges(parent) if e[0] != iri]
            if not others:
                continue
            kids = self._sorted([u for u, _, _ in others])
            others.sort(key=lambda e: kids.index(e[0]))
            names = _listed([self.view.label(k) for k in kids], full)
            text = (f"{_upper(label)} {agree(label, 'shares')} the broader concept "
                    f"{self.view.label(parent)} with {names}.")
            out.append(self._group([(iri, parent, up), *others], iri, text, "membership"))
        if not out:
            text = f"The graph records no concept filed under the same broader concept as {label}."
            out.append(self._group([], iri, text, "membership"))
        return out

    def _names(self, iri: str) -> list[tuple[str, str, str]]:
        data = self.view.node(iri)
        rows = data.get("lang_labels") or []
        if not rows:
            rows = [("", "pref", data.get("label", ""))]
            rows += [("", "alt", a) for a in data.get("alt_labels", [])]
        return [tuple(r) for r in rows]  # type: ignore[misc]

    def _language(self, tag: str) -> str:
        base = tag.split("-")[0].lower()
        return self.language_names.get(base, tag)

    def names(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """Every other name (alternative labels in each language, related synonyms apart);
        hidden labels are for search, never said."""
        label = self.view.label(iri)
        rows = self._names(iri)
        shown = [g for g, k, t in rows if k == "pref" and t == label]  # (a label the same in
        shown_lang = self.own if self.own in shown else next(iter(shown), "")  # two languages)
        alts: dict[str, list[str]] = {}
        related: list[str] = []
        for g, kind, text in rows:
            if kind == "alt" and text != label:
                alts.setdefault(g, []).append(text)
            elif kind == "related":
                related.append(text)
        out: list[Fact] = []
        mine = sorted(set(alts.pop(shown_lang, []) + (alts.pop("", []) if shown_lang else [])),
                      key=str.lower)
        if mine:
            out.append(self._said(iri, _ALT, mine, f"{_upper(label)} "
                                  f"{agree(label, 'is')} also called {_listed(mine, full)}."))
        for g in sorted(alts):
            names = sorted(set(alts[g]), key=str.lower)
            owner = "Its" if out else _upper(label) + ("'" if label.endswith("s") else "'s")
            lead = f"{owner} other names in {self._language(g)}"  # ("Goods' other names")
            out.append(self._said(iri, _ALT, names, f"{lead}: {_listed(names, full)}."))
        if related:
            names = sorted(set(related), key=str.lower)
            if len(out) == 1:  # said in the same sentence as the other names
                said = "synonyms are" if len(names) > 1 else "synonym is"
                out[0].sentence = (f"{out[0].sentence[:-1]}; its related {said} "
                                   f"{_listed(names, full)}.")
            else:
                out.append(self._said(iri, _ALT, names, f"Related synonyms of {label}: "
                                      f"{_listed(names, full)}."))
        if not out:
            out.append(self._said(iri, _ALT, [], f"The graph records no other name for {label}."))
        return out

    def counted_names(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """How many other names a concept has (alternative labels, every language), then
        the names."""
        label = self.view.label(iri)
        rows = self._names(iri)
        shown = next((g for g, k, t in rows if k == "pref" and t == label), "")
        alts = {(g or shown, t) for g, k, t in rows if k == "alt" and t != label}
        n = len(alts)
        related = len({t for _, k, t in rows if k == "related"})
        out = self.names(iri, lang, full)
        if n + related:
            count = "one other name" if n + related == 1 else f"{n + related} other names"
            tags = sorted({g for g, _ in alts}, key=lambda g: (g != shown, g))
            if related and n:
                count += (" (one of them a related synonym)" if related == 1 else
                          f" ({related} of them related synonyms)")
            elif len(tags) > 1 and all(tags):  # "6 other names (5 in English, 1 in German)"
                count += " (" + ", ".join(f"{sum(g == t for g, _ in alts)} in "
                                          f"{self._language(t)}" for t in tags) + ")"
            out[0].sentence = f"{_upper(label)} {agree(label, 'has')} {count}. {out[0].sentence}"
        return out

    def language_label(self, iri: str, lang: str = "", full: bool = False) -> list[Fact]:
        """The label of a concept in the asked language (every language when none is named;
        each of several asked: "de fr")."""
        if " " in lang:
            return [f for tag in lang.split() for f in self.language_label(iri, tag, full)]
        label = self.view.label(iri)
        rows = self._names(iri)
        by: dict[str, dict[str, list[str]]] = {}
        for g, kind, text in rows:
            if kind in ("pref", "alt"):
                by.setdefault(g.split("-")[0].lower(), {}).setdefault(kind, []).append(text)
        if lang:
            got = by.get(lang)
            if not got or not got.get("pref"):
                held = ", ".join(self._language(g) for g in sorted(by) if g)
                text = (f"The graph holds no {self._language(lang)} label for {label}; " + (
                    f"its labels are in {held}." if held else "its labels name no language."))
                unheld = self._said(iri, _PREF, [], text)
                unheld.kind = "unheld"  # the graph does not hold what is asked
                return [unheld]
            prefs = sorted(set(got["pref"]))
            text = f"In {self._language(lang)}, {label} is {_listed(prefs, full)}."
            out = [self._said(iri, _PREF, prefs, text)]
            alts = sorted(set(got.get("alt", [])) - set(prefs))
            if alts:
                out.append(self._said(iri, _ALT, alts, f"Other {self._language(lang)} names: "
                                      f"{_listed(alts, full)}."))
            return out
        parts = [f"{self._language(g)}: {', '.join(sorted(set(v['pref'])))}"
                 for g, v in sorted(by.items()) if g and v.get("pref")]
        if not parts:
            return []
        return [self._said(iri, _PREF, [], f"The labels of {label}: " + "; ".join(parts) + ".")]

    def _said(self, iri: str, predicate: str, values: list[str], text: str) -> Fact:
        fact = self.walker.make_fact(iri, predicate if values else "",
                                     values[0] if values else "", _upper(text),
                                     "names" if values else "verdict", literal=True)
        fact.score = W.LEAD
        return fact
