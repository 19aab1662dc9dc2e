"""Search-as-you-type over labels and alternative labels, for people typing in a box.

A search box sees half-typed words ("deep lea"), so exact linking alone is not enough:
every query word must begin a word of the name, the last one possibly unfinished. Whole
words go through the same typo repair and stem-sequence linking as questions
(:class:`kg.qa.linking.LabelMatcher`), so "generativ adversarial" and "hybird" still find
their concepts. Word prefixes are looked up by bisection in one sorted word list, so a
keystroke costs milliseconds on a graph of a million triples.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from kg.fuzzy import close_matches
from kg.qa.linking import LabelMatcher
from kg.qa.text import norm, tokens, tokens_many
from kg.view.graph_view import GraphView

__all__ = ["Completer", "Completion", "NameIndex"]

#: index entries scanned per query word at most (a one-letter prefix on a huge graph)
_SCAN = 20_000


@dataclass(frozen=True)
class Completion:
    """One hit: the node, its label, and the alternative label that matched (if any)."""

    iri: str
    label: str
    matched: str
    broader: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


class NameIndex:
    """The search box's ranking over an index of names, wherever the index is held.

    Names are numbered; an index says which names have a word starting with a prefix,
    which words start with a letter, and each name's node, text and normalised text. The
    ranking (and typo repair, and linking as a last resort) is the same for every index:
    :class:`Completer` holds it in memory, :class:`kg.server.search_store.StoreCompleter`
    reads it from tables on disk.
    """

    def __init__(self, view: GraphView, matcher: Callable[[], LabelMatcher]) -> None:
        self._view = view
        self._matcher = matcher

    def _scan(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """``(word, name number)`` of the indexed words starting with ``prefix``, in word
        order, at most ``limit``."""
        raise NotImplementedError

    def _rows(self, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        """Names by number: ``(iri, name, normalised name)``."""
        raise NotImplementedError

    def _rows_of(self, iris: list[str]) -> list[tuple[int, str, str, str]]:
        """Every name of these nodes, ``(number, iri, name, normalised name)`` in order."""
        raise NotImplementedError

    def _with_prefix(self, prefix: str) -> set[int]:
        """Names having a word that starts with ``prefix``."""
        return {i for _, i in self._scan(prefix, _SCAN)}

    def _close_word(self, word: str) -> str | None:
        """The indexed word closest to ``word`` (same first letter, length within one)."""
        if len(word) < 3:
            return None
        pool = {w for w, _ in self._scan(word[0], 20 * _SCAN) if abs(len(w) - len(word)) <= 1}
        found = close_matches(word, sorted(pool), n=1, cutoff=0.75)
        return found[0] if found else None

    def _prefix_hits(self, words: list[str]) -> set[int]:
        hits: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # the rarest (longest) first
            found = self._with_prefix(word)
            hits = found if hits is None else hits & found
            if not hits:
                return set()
        return hits or set()

    def complete(self, text: str, limit: int = 10) -> list[Completion]:
        """Up to ``limit`` nodes whose label or alternative label fits ``text``, best first.

        Ranked: the whole name typed, then names that start with the text, then names with
        every word begun, then names linked only after typo repair; shorter names first.
        """
        words = tokens(text)
        if not words or limit < 1:
            return []
        typed = " ".join(words)
        hits = self._prefix_hits(words)
        if not hits and len(words) > 1:
            # whole words (all but the last) may hold typos: repair them and try again
            repaired = self._matcher().repair(words[:-1]) + words[-1:]
            hits = self._prefix_hits(repaired)
        if not hits:
            # a short word with a typo ("colr"): the closest indexed words, as whole words
            close = [self._close_word(w) for w in words]
            if all(close):
                fixed = [w for w in close if w]
                hits = self._prefix_hits(fixed)
                typed = " ".join(fixed)
        ranked: dict[str, tuple[tuple[int, int, str], int]] = {}
        names = self._rows(sorted(hits))

        def offer(iri: str, index: int, tier: int, name: str) -> None:
            key = (tier, len(name), name)
            if iri not in ranked or key < ranked[iri][0]:
                ranked[iri] = (key, index)

        for index in sorted(hits):
            iri, _, name = names[index]
            offer(iri, index, 0 if name == typed else 1 if name.startswith(typed) else 2, name)
        if len(ranked) < limit:
            linked = sorted({m.iri for m in self._matcher().find(text)} - set(ranked))
            for index, iri, name, normed in self._rows_of(linked):
                names[index] = (iri, name, normed)
                if iri not in ranked:  # the node's first name
                    offer(iri, index, 3, normed)
        best = sorted(ranked.items(), key=lambda kv: kv[1])[:limit]
        return [self._completion(iri, names[index][1]) for iri, (_, index) in best]

    def _completion(self, iri: str, name: str) -> Completion:
        label = self._view.label(iri)
        broader = self._view.broader(iri)
        return Completion(
            iri=iri,
            label=label,
            matched="" if norm(name) == norm(label) else name,
            broader=self._view.label(broader[0]) if broader else "",
        )


class Completer(NameIndex):
    """Prefix index over the names people type (concepts and nodes with alt labels), in
    memory: one sorted list of every word, read by bisection."""

    def __init__(self, view: GraphView, matcher: LabelMatcher) -> None:
        super().__init__(view, lambda: matcher)
        names: list[tuple[str, str]] = []  # (iri, name)
        for iri, data in view.nx.nodes(data=True):
            if iri not in view.labels:
                continue
            if not data.get("concept") and not data.get("alt_labels"):
                continue
            names.extend((iri, n) for n in [data.get("label", ""), *data.get("alt_labels", [])]
                         if n)
        self._names = names
        self._norms = [" ".join(words) for words in tokens_many([n for _, n in names])]
        pairs = sorted((w, i) for i, text in enumerate(self._norms) for w in set(text.split()))
        self._words = [w for w, _ in pairs]
        self._owners = [i for _, i in pairs]

    def _scan(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        start = bisect.bisect_left(self._words, prefix)
        out = []
        for k in range(start, min(len(self._words), start + limit)):
            if not self._words[k].startswith(prefix):
                break
            out.append((self._words[k], self._owners[k]))
        return out

    def _rows(self, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        return {i: (*self._names[i], self._norms[i]) for i in ids}

    def _rows_of(self, iris: list[str]) -> list[tuple[int, str, str, str]]:
        wanted = set(iris)
        return [(i, iri, name, self._norms[i]) for i, (iri, name) in enumerate(self._names)
                if iri in wanted]
