"""A small inverted index over node texts: word-overlap retrieval to pair with FAISS.

Dense retrieval blurs rare, decisive words ("providers", "thumbnails"); an IDF-weighted
overlap of stems catches them. Scores are the share of the question's IDF mass a text
covers, in [0, 1].
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from kg.qa.text import content_stems, content_tokens, tokens_many

__all__ = ["LexicalIndex"]


class LexicalIndex:
    """IDF-weighted stem overlap between a question and a fixed set of texts."""

    def __init__(self, texts: dict[str, str]) -> None:
        postings: dict[str, list[str]] = defaultdict(list)
        for key, words in zip(texts, tokens_many(list(texts.values())), strict=True):
            for stem in set(content_stems(words)):
                postings[stem].append(key)
        self._set(postings, len(texts))

    def _set(self, postings: Mapping[str, list[str]], count: int) -> None:
        """``postings`` is a dict, or a table read on demand (kg.qa.cache): then the IDF of
        each stem is worked out when a question first needs it."""
        self._postings = postings
        self._count = count
        n = max(1, count)
        self._idf: dict[str, float] = {}
        if isinstance(postings, dict):
            self._idf = {s: math.log(1 + n / len(keys)) for s, keys in postings.items()}
        self._default_idf = math.log(1 + n)

    def to_data(self) -> dict[str, Any]:
        """The postings as JSON-able data (see :meth:`from_data`)."""
        return {"postings": dict(self._postings), "count": self._count}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> LexicalIndex:
        """An index restored from :meth:`to_data` output without tokenising the texts."""
        index = cls.__new__(cls)
        postings = data["postings"]
        if isinstance(postings, dict):
            postings = {s: list(keys) for s, keys in postings.items()}
        index._set(postings, int(data["count"]))
        return index

    def idf(self, stem: str) -> float:
        """Inverse document frequency of a stem (unknown stems weigh the most)."""
        found = self._idf.get(stem)
        if found is None:
            keys = self._postings.get(stem)
            found = math.log(1 + max(1, self._count) / len(keys)) if keys else self._default_idf
            self._idf[stem] = found
        return found

    def search(self, question: str, k: int = 15, minimum: float = 0.2) -> list[tuple[str, float]]:
        """The ``k`` texts covering most of the question's IDF mass, best first."""
        # Sorted: a sum over a set would add in hash order, whose last-bit differences
        # reorder ties from one process to the next.
        stems = sorted(set(content_tokens(question)))
        if not stems:
            return []
        total = math.fsum(self.idf(s) for s in stems)
        scores: dict[str, float] = defaultdict(float)
        for s in stems:
            for key in self._postings.get(s, ()):
                scores[key] += self.idf(s)
        ranked = sorted(((key, v / total) for key, v in scores.items()),
                        key=lambda x: (-x[1], x[0]))
        return [(key, score) for key, score in ranked[:k] if score >= minimum]
