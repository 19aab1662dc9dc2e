"""What linking found, as the router reads it (kg/qa/topics.py)."""

from __future__ import annotations

from kg.qa.topics import Topics


def test_concepts_are_in_the_order_the_question_names_them() -> None:
    topics = Topics(named=["b", "a", "c"], named_at={"a": 0, "b": 4, "c": 2}, entities=[],
                    yes_no=False, words=[], unknown=frozenset(), spans=[])
    assert topics.in_order() == ["a", "c", "b"]
