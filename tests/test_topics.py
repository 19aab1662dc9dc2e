"""What linking found, as the router reads it (kg/qa/topics.py)."""

from __future__ import annotations

from kg.qa.topics import Topics, asks_kind, modifies_topic


def test_concepts_are_in_the_order_the_question_names_them() -> None:
    topics = Topics(named=["b", "a", "c"], named_at={"a": 0, "b": 4, "c": 2}, entities=[],
                    yes_no=False, words=[], unknown=frozenset(), spans=[])
    assert topics.in_order() == ["a", "c", "b"]


def test_a_name_after_which_or_how_many_names_the_kind_asked() -> None:
    words = "which other companies make x".split()
    assert asks_kind(words, 2)  # "which other companies": the kind asked for
    assert not asks_kind(words, 4)  # "x" is what the question is about
    assert asks_kind("how many tools".split(), 2)


def test_a_word_before_a_topic_that_no_form_accounts_for_narrows_it() -> None:
    assert modifies_topic("examples of renewable X", ["renewable"])
    assert not modifies_topic("X unlike Y", ["unlike"])  # between two topics it joins them
