"""Questions through two different relations: "the application Netflix uses is applied in
which industry", "who develops the products used for code generation".

Each clause names a relation in its own words. The paths of two links from the topic are
read by their relations' phrases, compared in meaning with the question's words; the best
pair of relations (reaching the asked kind, when one is asked) is followed from the topic
through the concepts it passes to the end, and the answer names both in one sentence:
"Netflix uses Recommendation Systems, which are applied in E-commerce."
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import join_names
from kg.qa.text import stem
from kg.qa.walk import Walker
from kg.view.graph_view import GraphView
from kg.view.phrasing import agree, plural_object, predicate_phrase

__all__ = ["neighbours", "root", "two_hops"]

Hop = tuple[str, str, dict]  # an edge (subject, object, data) as the graph states it
_LINKS_MAX = 300  # links of one concept looked at (hubs have thousands)
_MIN_MEANING = 0.15  # each relation of a chain at least this close to the question's words
_MIDS_SHOWN = 4  # concepts passed that one sentence names
# words of a relation's phrase that name no relation ("is a use case of": use, case)
_FUNCTION = frozenset("is are a an the of by in to for on with at as".split())
_PREPOSITIONS = frozenset("for by in on to from with of at as into".split())
_PREPOSITION_WEIGHT = 0.1  # a relation's preposition said as the question says it
_RESCORED = 4  # the best chains read again, each relation against the words left to it


def _steps(view: GraphView, walker: Walker, node: str) -> list[tuple[str, Hop, bool]]:
    """``node``'s links that are not the hierarchy: (the node reached, the edge, whether
    the edge leaves ``node``). A link the graph states both ways is read leaving ``node``
    (its inverse, entering it, would lead back)."""
    out: dict[tuple[str, str], tuple[str, Hop, bool]] = {}
    for u, v, d in list(view.nx.out_edges(node, data=True))[:_LINKS_MAX]:
        if not d.get("hierarchy") and not walker.is_data(v) and view.is_concept(v):
            out.setdefault((v, d["predicate"]), (v, (u, v, d), True))
    leaving = {v for v, _ in out}
    for u, v, d in list(view.nx.in_edges(node, data=True))[:_LINKS_MAX]:
        if (u not in leaving and not d.get("hierarchy") and not walker.is_data(u)
                and view.is_concept(u)):
            out.setdefault((u, d["predicate"]), (u, (u, v, d), False))
    return list(out.values())


def root(word: str) -> str:
    """A word's stem with its "-ed" and final "e" gone: "use", "used", "uses" read alike."""
    base = stem(word.lower())
    for end in ("ied", "ies", "ed", "e", "y", "i"):
        if base.endswith(end) and len(base) > len(end) + 1:
            return base[: -len(end)]
    return base


def neighbours(view: GraphView, walker: Walker, node: str) -> set[str]:
    """The concepts one link (not the hierarchy) away from ``node``."""
    return {n for n, _, _ in _steps(view, walker, node)}


def _roots(phrase: str) -> set[str]:
    return {root(t) for t in re.findall(r"[a-z]+", phrase.lower()) if t not in _FUNCTION}


def _words_without(words: list[str], phrase: str, own: str) -> str:
    """The question's words less those only the other relation's ``phrase`` says, not
    this relation's ``own``: what is left to name this one."""
    said = _roots(phrase) - _roots(own)
    return " ".join(w for w in words if root(w) not in said) or " ".join(words)


def two_hops(view: GraphView, walker: Walker, start: str,
             kinds: tuple[set[str], set[str]], words: list[str],
             encode: Callable[[list[str]], np.ndarray],
             phrase_vector: Callable[[str], np.ndarray],
             said: list[str] | None = None) -> Fact | None:
    """The chain of two different relations from ``start`` that the question's ``words``
    name, reaching members of the asked kind (``kinds[0]``, any when empty) through members
    of a kind named on the way (``kinds[1]``, when some are), as one sentence naming the
    concepts passed and reached; None when no chain fits.

    ``said`` is every word of the question, prepositions kept ("used *for*"), when
    ``words`` leaves them out. Each relation is read against the words the other one does
    not say ("who makes the product whose use case is X": "is a use case of" takes "use
    case", leaving "makes" to name "is developed by", not "is used by")."""
    ends, passed = kinds
    chains: dict[tuple[str, bool, str, bool], list[tuple[Hop, Hop]]] = {}
    for mid, first, leaves in _steps(view, walker, start):
        for end, second, onward in _steps(view, walker, mid):
            p1, p2 = first[2]["predicate"], second[2]["predicate"]
            if end == start or p1 == p2 or (ends and end not in ends) or _back(
                    view, first, second, leaves, onward):
                continue
            chains.setdefault((p1, leaves, p2, onward), []).append((first, second))
    through = passed and any(_mid(f, le) in passed for (_, le, _, _), ps in chains.items()
                             for f, _ in ps)
    if through:
        chains = {k: kept for k, ps in chains.items()
                  if (kept := [(f, s) for f, s in ps if _mid(f, k[1]) in passed])}
    if not chains:
        return None
    question = encode([" ".join(words)])[0]
    first_pass = sorted(((float(phrase_vector(k[0]) @ question)
                          + float(phrase_vector(k[2]) @ question), k) for k in chains),
                        key=lambda x: (-x[0], x[1]))[:_RESCORED]
    texts = []
    for _, k in first_pass:
        one, two = predicate_phrase(view, k[0]), predicate_phrase(view, k[2])
        # the link at the topic claims its words; the one beyond is read on what is left
        texts += [_words_without(words, two, one), _words_without(words, one, "")]
    vectors = encode(texts)
    scored = []
    for n, (_, k) in enumerate(first_pass):
        s1 = float(phrase_vector(k[0]) @ vectors[2 * n])
        s2 = float(phrase_vector(k[2]) @ vectors[2 * n + 1])
        # (the first link needs no words of its own when the kind passed names where it
        # leads: "what does Spotify's product rely on")
        if s2 >= _MIN_MEANING and (s1 >= _MIN_MEANING or through):
            fit = _preposition_fit(predicate_phrase(view, k[0]), said or words) + (
                _preposition_fit(predicate_phrase(view, k[2]), said or words))
            scored.append((s1 + s2 + _PREPOSITION_WEIGHT * fit, k))
    if not scored:
        return None
    scored.sort(key=lambda x: (-x[0], x[1]))
    key = scored[0][1]
    return _said(view, walker, start, chains[key], key[1], key[3])


def _preposition_fit(phrase: str, words: list[str]) -> int:
    """+1 when the question says the phrase's verb with the phrase's own preposition ("used
    for" and "is used for"), -1 when with another one ("used for" and "is used by"): the
    preposition sets the direction that meaning alone hardly tells apart; 0 otherwise."""
    said = re.findall(r"[a-z]+", phrase.lower())
    own = {(root(a), b) for a, b in zip(said, said[1:], strict=False)
           if a not in _FUNCTION and b in _PREPOSITIONS}
    if not own:
        return 0
    asked = {(root(a), b) for a, b in zip(words, words[1:], strict=False)
             if b in _PREPOSITIONS}
    if own & asked:
        return 1
    verbs = {v for v, _ in own}
    return -1 if any(v in verbs for v, _ in asked) else 0


def _back(view: GraphView, first: Hop, second: Hop, leaves: bool, onward: bool) -> bool:
    """True when the second link is the first one's way back: the end stands to the
    concept passed as the start does ("X is an example of N, which has the example Y":
    Y is X's sibling, not a thing further on)."""
    mid = _mid(first, leaves)
    end = second[1] if onward else second[0]
    p1 = first[2]["predicate"]
    edges = view.nx.get_edge_data(end, mid) if leaves else view.nx.get_edge_data(mid, end)
    return any(d.get("predicate") == p1 for d in (edges or {}).values())


def _mid(first: Hop, leaves: bool) -> str:
    return first[1] if leaves else first[0]


def _verb(view: GraphView, subject: str, edge: Hop, count: int) -> str:
    """The edge's predicate as a verb of ``subject``, for ``count`` objects."""
    return plural_object(agree(view.label(subject), predicate_phrase(view, edge[2]["predicate"])),
                         count)


def _said(view: GraphView, walker: Walker, start: str, paths: list[tuple[Hop, Hop]],
          leaves: bool, onward: bool) -> Fact:
    """One sentence: the start's link to each concept passed, and each one's link on
    ("Netflix uses Recommendation Systems, which are applied in E-commerce")."""
    by_mid: dict[str, list[tuple[Hop, Hop]]] = {}
    for first, second in paths:
        by_mid.setdefault(first[1] if leaves else first[0], []).append((first, second))
    mids = sorted(by_mid, key=lambda m: (-len(by_mid[m]), view.label(m).lower()))
    mids = sorted(mids[:_MIDS_SHOWN], key=lambda m: view.label(m).lower())
    clauses = []
    for mid in mids:
        ends = sorted({s[1] if onward else s[0] for _, s in by_mid[mid]},
                      key=lambda n: view.label(n).lower())
        names = join_names([view.label(e) for e in ends])
        edge = by_mid[mid][0][1]
        if onward:
            clauses.append(f"{view.label(mid)}, which {_verb(view, mid, edge, len(ends))} "
                           f"{names}")
        else:
            verb = agree("others" if len(ends) > 1 else names,
                         predicate_phrase(view, edge[2]["predicate"]))
            clauses.append(f"{view.label(mid)}, which {names} {verb}")
    body = clauses[0] if len(clauses) == 1 else (
        ", ".join(clauses[:-1]) + ", and " + clauses[-1])
    first = by_mid[mids[0]][0][0]
    if leaves:
        text = f"{view.label(start)} {_verb(view, start, first, len(mids))} {body}"
    else:
        # the first link enters the start: "Codex and Copilot have the use case X: ..."
        names = join_names([view.label(m) for m in mids])
        verb = agree("others" if len(mids) > 1 else names,
                     predicate_phrase(view, first[2]["predicate"]))
        text = f"{names} {verb} {view.label(start)}: {body}"
    parts = [walker.edge_fact(*e) for m in mids for pair in by_mid[m] for e in pair]
    parts = list({(p.subject, p.predicate, p.object): p for p in parts}.values())
    fact = walker.make_fact(parts[0].subject, parts[0].predicate, parts[-1].object,
                            text[:1].upper() + text[1:] + ".", "group",
                            src=[s for p in parts for s in p.sources])
    fact.parts = parts
    fact.nodes = tuple(dict.fromkeys([start, *mids, *(n for p in parts for n in p.nodes)]))
    fact.score = W.LEAD
    return fact
