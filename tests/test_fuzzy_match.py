"""The shared close-match lookup gives difflib's answers exactly, rapidfuzz only culling."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.fuzzy import close_matches

_WORDS = st.text(alphabet="abcdeéz -", min_size=0, max_size=12)


@settings(max_examples=400, deadline=None)
@given(word=_WORDS, pool=st.lists(_WORDS, max_size=40), n=st.integers(1, 4),
       cutoff=st.sampled_from([0.0, 0.5, 0.6, 0.75, 0.84, 1.0]))
def test_same_answers_as_difflib(word: str, pool: list[str], n: int, cutoff: float) -> None:
    assert close_matches(word, pool, n=n, cutoff=cutoff) == difflib.get_close_matches(
        word, pool, n=n, cutoff=cutoff)


def test_typo_repair_examples() -> None:
    pool = ["transformer", "transform", "translation", "tensor", "transformers"]
    assert close_matches("tranformer", pool, n=1, cutoff=0.84) == ["transformer"]
    assert close_matches("zzzzzz", pool, n=1, cutoff=0.84) == []
    # a score exactly at the cutoff is kept, as difflib keeps it (6 of 20 letters: 0.6)
    assert close_matches("bankaufsicot", ["basicity"], n=1, cutoff=0.6) == ["basicity"]
    # ties keep difflib's order (the larger string first), whatever order they came in
    assert close_matches("abcd", ["abce", "abcf"], n=2, cutoff=0.5) == ["abcf", "abce"]
    assert close_matches("abcd", iter(["abcf", "abce"]), n=2, cutoff=0.5) == ["abcf", "abce"]
