"""Which way a question's words point in the hierarchy (kg/qa/pointing.py), given the
directions of the English lexicon."""

from __future__ import annotations

from kg.qa.forms import lexicon
from kg.qa.pointing import pointing


def test_a_concept_placed_under_others_points_up_and_what_is_under_it_down() -> None:
    d = lexicon().directions
    assert pointing(d, "the headings X is filed under") == "broader"
    assert pointing(d, "what is under X") == "narrower"
    assert pointing(d, "what is X") == ""
    assert pointing(d, "no topic masked here") == ""
