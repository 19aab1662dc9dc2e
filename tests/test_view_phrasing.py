"""How a label's number and a predicate's verb agree (kg/view/phrasing.py)."""

from __future__ import annotations

import pytest

from kg.view.phrasing import agree, is_plural, name_phrase


@pytest.mark.parametrize(
    ("name", "plural"),
    [
        ("Environmental taxes", True),
        ("LLMs", True),
        ("Diffusion Models (generative)", True),
        ("Tax", False),
        ("Analysis", False),
        ("The New York Times", False),  # a proper name is one thing
        ("The Times", True),  # too short to tell from a plain plural noun
    ],
)
def test_a_label_reads_as_plural_from_its_last_word(name: str, plural: bool) -> None:
    assert is_plural(name) is plural


def test_the_verb_agrees_with_the_subject() -> None:
    assert agree("Large Language Models", "is a kind of") == "are a kind of"
    assert agree("Large Language Models", "uses") == "use"
    assert agree("The New York Times", "uses") == "uses"


def test_an_adjective_before_a_preposition_takes_no_article() -> None:
    assert name_phrase("disjoint with") == "is disjoint with"
    assert name_phrase("adjacent to") == "is adjacent to"
    assert name_phrase("sub group of") == "is a sub group of"  # a noun keeps its article
