"""The one close-match lookup behind every fuzzy name matcher (typo repair, the search box,
"did you mean", the validator's hints).

:func:`close_matches` returns exactly what :func:`difflib.get_close_matches` returns, found
in C: rapidfuzz's Indel similarity, ``2 * LCS / (len(a) + len(b))``, is never below
difflib's ratio (difflib's matching blocks are one common subsequence), so every candidate
rapidfuzz drops is one difflib would reject, and difflib itself ranks the few left. Same
answers, same scores, same order of ties; measured in ``bench/fuzzy.py``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["close_matches"]

# rapidfuzz compares its cutoff after its own float steps (a score of exactly 0.6 was
# dropped at a cutoff of 0.6 - 1e-9): the margin only lets a few more words reach difflib
_ROUNDING = 1e-5


def close_matches(word: str, candidates: Iterable[str], n: int = 3,
                  cutoff: float = 0.6) -> list[str]:
    """The ``n`` candidates most like ``word`` with a similarity of at least ``cutoff``
    (0-1), best first: :func:`difflib.get_close_matches`'s answer."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    pool = candidates if isinstance(candidates, list) else list(candidates)
    kept = [found for found, _, _ in process.extract(
        word, pool, scorer=Indel.normalized_similarity, processor=None,
        score_cutoff=max(cutoff - _ROUNDING, 0.0), limit=None)]
    return difflib.get_close_matches(word, kept, n=n, cutoff=cutoff)
