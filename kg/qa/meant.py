"""Names said in other words: "weather phenomena" for the concept labelled "meteorological
phenomenon", "UV radiation" for "ultraviolet radiation", "alcoholic drinks" for "alcoholic
beverage".

People who do not know a taxonomy's exact labels name its concepts in their own words. The
label matcher finds only the words it knows, often a shorter concept inside the phrase
("weather"), or nothing. Here a run of content words that the matcher leaves partly unread
is compared by meaning with the labels of the concepts the index finds nearest to it; a
label close enough, and clearly closer than the shorter name the matcher found, names the
concept meant. The threshold is high: a phrase linked to the wrong concept answers another
question, while a phrase not linked still gets the ranked answer it gets today.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Container, Sequence

import numpy as np

from kg.qa import weights as W
from kg.qa.linking import LabelMatch
from kg.qa.text import STOPWORDS, stem
from kg.view.graph_view import GraphView

__all__ = ["MeantNames"]

_RUN_MAX = 4  # words of one phrase read by meaning (longer runs are clauses, not names)
_HITS = 8  # concepts nearest to the phrase whose names are compared
_NAMES_PER_HIT = 4  # the label and the first alternative labels of each
_KEPT = 4096  # name vectors remembered between questions


class MeantNames:
    """Concepts named by a phrase whose words are not one of their names."""

    def __init__(self, view: GraphView,
                 search: Callable[[np.ndarray, int], list[tuple[str, float]]],
                 encode: Callable[[list[str]], np.ndarray]) -> None:
        self.view = view
        self._search = search
        self._encode = encode
        self._vectors: dict[str, np.ndarray] = {}

    def phrases(self, words: Sequence[str], matches: Sequence[LabelMatch],
                plain: Callable[[str], bool], known: Container[str]) -> list[tuple[int, int]]:
        """The runs of content words worth reading by meaning: each holds a word no name
        covers, and either another word ("weather phenomena", "alcoholic drinks") or is
        one the graph does not know ("fridge"). ``plain`` tells a word that carries no name
        (it asks, names a relation, or is grammar); ``known`` holds the graph's word stems."""
        covered = {k for m in matches for k in range(m.start, m.end)}
        runs: list[tuple[int, int]] = []
        k = 0
        while k < len(words):
            if not self._content(words[k], plain):
                k += 1
                continue
            end = k
            while end < len(words) and self._content(words[end], plain):
                end += 1
            free = [i for i in range(k, end) if i not in covered]
            if end - k <= _RUN_MAX and free and (end - k > 1 or any(
                    stem(words[i]) not in known and len(words[i]) > 2 for i in free)):
                runs.append((k, end))
            k = end
        return runs

    def relinked(self, text: str, words: Sequence[str], matches: list[LabelMatch],
                 plain: Callable[[str], bool], known: Container[str]
                 ) -> tuple[list[LabelMatch], np.ndarray | None]:
        """``matches`` with the concepts named by meaning in place of the names inside
        their phrases, and the vector of ``text`` when it was encoded with the phrases (one
        encoder call); ``(matches, None)`` when no phrase is worth reading."""
        runs = self.phrases(words, matches, plain, known)
        if not runs:
            return matches, None
        vectors = self._encode([text, *(" ".join(words[a:b]) for a, b in runs)])
        meant = self.find(words, runs, vectors[1:], matches)
        kept = [m for m in matches if not any(
            n.start <= m.start and m.end <= n.end for n in meant)]
        return sorted([*kept, *meant], key=lambda m: (m.start, m.end)), vectors[0]

    @staticmethod
    def _content(word: str, plain: Callable[[str], bool]) -> bool:
        return word not in STOPWORDS and word.isalnum() and not word.isdigit() and not plain(
            word)

    def find(self, words: Sequence[str], runs: Sequence[tuple[int, int]],
             vectors: np.ndarray, matches: Sequence[LabelMatch]) -> list[LabelMatch]:
        """The concepts the ``runs`` (with their ``vectors``) name by meaning, each replacing
        the names found inside its run."""
        out: list[LabelMatch] = []
        for (start, end), vec in zip(runs, vectors, strict=True):
            inside = [m for m in matches if start <= m.start and m.end <= end]
            best = self._closest(vec, {m.iri for m in inside}, words[end - 1])
            if best is not None:
                out.append(LabelMatch(best, start, end, " ".join(words[start:end])))
        return out

    def _closest(self, vec: np.ndarray, found: set[str], head: str) -> str | None:
        """The concept whose name is nearest ``vec``, when near enough and clearly nearer
        than the names already ``found`` inside the phrase; a name whose last word is the
        phrase's ``head`` made into another kind of noun counts for nothing ("image
        generators" are no "image generation")."""
        near_by = [iri for iri, _ in self._search(vec, _HITS)]
        self.view.prefetch(near_by)  # in place: their names in one request
        hits = [i for i in near_by if self.view.is_concept(i) and not self.view.is_data(i)]
        names = {iri: self._names(iri) for iri in dict.fromkeys([*hits, *found])}
        self._remember([n for ns in names.values() for n in ns])
        near = {iri: max((float(self._vectors[n] @ vec) for n in ns
                          if iri in found or not _apart(head, n)), default=0.0)
                for iri, ns in names.items()}
        ranked = sorted((iri for iri in hits if iri not in found), key=lambda i: -near[i])
        if not ranked or near[ranked[0]] < W.MEANT_NAME:
            return None
        if any(near[ranked[0]] < near[iri] + W.MEANT_LEAD for iri in found):
            return None  # "Google products": the name said is as near as any other
        if any(ranked[0] in chain for iri in found for chain in self.view.ancestors(iri)):
            return None  # "multi-colored patterns": a colour pattern, named with its kind
        return ranked[0]

    def _names(self, iri: str) -> list[str]:
        data = self.view.node(iri)
        return list(dict.fromkeys([self.view.label(iri), *data.get("alt_labels", [])]))[
            :_NAMES_PER_HIT]

    def _remember(self, names: list[str]) -> None:
        todo = [n for n in dict.fromkeys(names) if n not in self._vectors]
        if not todo:
            return
        if len(self._vectors) + len(todo) > _KEPT:
            self._vectors.clear()
        for name, vec in zip(todo, self._encode(todo), strict=True):
            self._vectors[name] = np.asarray(vec, dtype=np.float32)


_AGENT = re.compile(r"(?:er|or|ist)s?$")  # "generator", "developers": one who does it


def _apart(head: str, name: str) -> bool:
    """True when ``name``'s last word shares its root with ``head`` but one names who does
    something and the other not ("generators", "generation"; "computer", "computing")."""
    last = (name.lower().split() or [""])[-1]
    head = head.lower()
    if len(os.path.commonprefix([head, last])) < 4 or stem(head) == stem(last):
        return False
    return bool(_AGENT.search(head)) != bool(_AGENT.search(last))
