"""Questions that want the members of a concept, in shapes the form reader is unsure of or
with a word that is also a relation's (kg/qa/route.py), asked through the real engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.workspace import Workspace

MEMBERS = ("amphibian", "bird", "fish", "mammal")


@pytest.fixture(scope="module")
def animals(session_cache: Path):
    graph = Path(__file__).parent / "data" / "qa_groups.ttl"
    return Workspace(Settings(graph_paths=(graph,), cache_dir=session_cache)).engine


def _first(text: str) -> str:
    return text.split("\n")[0]


def test_a_plural_after_the_topic_names_its_members_not_a_relation(animals) -> None:
    # "groups" is a word of "is in the group", but "the vertebrate groups" are its kinds
    answer = animals.ask("all vertebrate groups please")
    assert all(m in _first(answer.text) for m in MEMBERS)
    assert "BIOSPHERE" not in _first(answer.text)
    # ... and so are "the groups of vertebrates", the plural said before the topic
    answer = animals.ask("what groups of vertebrates are in the thesaurus")
    assert all(m in _first(answer.text) for m in MEMBERS)


def test_the_relation_is_still_asked_when_it_is_the_question(animals) -> None:
    answer = animals.ask("Which group is vertebrate in?")
    assert "BIOSPHERE" in _first(answer.text)


def test_a_terse_list_question_gets_every_member_not_one(animals) -> None:
    answer = animals.ask("vertebrate, e.g.?")
    assert not answer.abstained
    assert all(m in _first(answer.text) for m in MEMBERS)


def test_a_plural_in_ies_links_the_concept_its_singular_names(animals) -> None:
    # "aneuploidies": the plural of "aneuploidy", the noun of the name "aneuploid"
    answer = animals.ask("all aneuploidies")
    assert not answer.abstained
    assert "monosomy" in answer.text and "trisomy" in answer.text


def test_a_verb_after_the_topic_asks_its_relation_not_its_kinds(animals) -> None:
    # "needs" follows the topic as "groups" does, but names no relation's word: by meaning
    # it asks what the vertebrate "requires"
    first = _first(animals.ask("Complete list of what vertebrate needs.").text)
    assert "oxygen" in first and "water" in first
    assert "amphibian" not in first


def test_a_word_for_members_gets_all_of_them_after_the_definition(animals) -> None:
    answer = animals.ask("vertebrates, what subgroups?")
    assert all(m in answer.text.split("\n")[0] for m in MEMBERS)
