"""Find the graph nodes a question names: exact label/alias matches plus typo repair.

Labels and alternative labels of every node are indexed as stem sequences, so "LLMs",
"large-language model" and "tumour detection" find "Large Language Models", "LLM" and
"Tumor Detection". Longer matches win over the shorter ones they contain.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kg.qa.text import STOPWORDS, stem, tokens, tokens_many
from kg.view.graph_view import GraphView

__all__ = ["LabelMatch", "LabelMatcher"]

_MAX_NGRAM = 8


@dataclass(frozen=True)
class LabelMatch:
    """One node named in the text, where, and by which surface form."""

    iri: str
    start: int
    end: int
    surface: str


class LabelMatcher:
    """Stem-sequence dictionary over node labels, with a vocabulary for typo repair."""

    def __init__(self, view: GraphView) -> None:
        self._view = view
        self._table: dict[tuple[str, ...], set[str]] = defaultdict(set)
        vocab: set[str] = set()
        named: list[tuple[str, str]] = []
        for iri, data in view.nx.nodes(data=True):
            if iri not in view.labels:
                continue  # nodes known only by their IRI are not names people type
            if not data.get("concept") and not data.get("alt_labels"):
                # data nodes (figures, table cells) are found by meaning, not by name
                continue
            names = [data.get("label", ""), *data.get("alt_labels", [])]
            named.extend((iri, name) for name in names)
        for (iri, _), words in zip(named, tokens_many([n for _, n in named]), strict=True):
            key = tuple(map(stem, words))
            if not key or len(key) > _MAX_NGRAM:
                continue
            if len(key) == 1 and (key[0] in STOPWORDS or len(key[0]) < 2):
                continue
            self._table[key].add(iri)
            vocab.update(t for t in words if len(t) >= 4)
        self._index_words(vocab)

    def to_data(self) -> dict[str, Any]:
        """The label table and known words as JSON-able lists (see :meth:`from_data`)."""
        return {
            "table": [[list(key), sorted(iris)] for key, iris in self._table.items()],
            "known": sorted(self._known),
        }

    @classmethod
    def from_data(cls, view: GraphView, data: dict[str, Any]) -> LabelMatcher:
        """A matcher restored from :meth:`to_data` output without tokenising the graph."""
        matcher = cls.__new__(cls)
        matcher._view = view
        matcher._table = defaultdict(set, {tuple(key): set(iris) for key, iris in data["table"]})
        matcher._index_words(set(data["known"]))
        return matcher

    @property
    def vocabulary(self) -> frozenset[str]:
        """Words known to the graph (used to repair typos)."""
        return frozenset(self._known)

    def _index_words(self, words: set[str]) -> None:
        self._known = set(words)
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._add_words(self._known)

    def _add_words(self, words: Iterable[str]) -> None:
        # Bucket order does not matter: difflib ranks candidates by score, then by the
        # word itself, so the repair is the same whatever order the words came in.
        for w in words:
            self._buckets[(w[0], len(w))].append(w)

    def extend_words(self, words: set[str]) -> None:
        """Add tokens (e.g. of definitions) to the typo-repair vocabulary."""
        new = {t for t in words if len(t) >= 5 and t.isalpha()} - self._known
        self._known |= new
        self._add_words(new)

    def repair(self, words: list[str]) -> list[str]:
        """Replace unknown words of 5+ letters by a close known word ("hybird" -> "hybrid").

        Candidates share the first letter and differ in length by at most two, which keeps
        the search small on large graphs (typos rarely change the first letter).
        """
        fixed = []
        for w in words:
            if len(w) >= 5 and w not in self._known and w not in STOPWORDS and w.isalpha():
                pool = [c for n in range(len(w) - 2, len(w) + 3)
                        for c in self._buckets.get((w[0], n), ())]
                close = difflib.get_close_matches(w, pool, n=1, cutoff=0.84)
                fixed.append(close[0] if close else w)
            else:
                fixed.append(w)
        return fixed

    def find(self, text: str) -> list[LabelMatch]:
        """Non-overlapping label matches, longest first, in order of appearance."""
        words = self.repair(tokens(text))
        keys = [stem(w) for w in words]
        taken = [False] * len(keys)
        found: list[LabelMatch] = []
        for size in range(min(_MAX_NGRAM, len(keys)), 0, -1):
            for start in range(0, len(keys) - size + 1):
                if any(taken[start : start + size]):
                    continue
                iris = self._table.get(tuple(keys[start : start + size]))
                if not iris:
                    continue
                for i in range(start, start + size):
                    taken[i] = True
                surface = " ".join(words[start : start + size])
                for iri in sorted(iris):
                    found.append(LabelMatch(iri, start, start + size, surface))
        return sorted(found, key=lambda m: (m.start, m.iri))
