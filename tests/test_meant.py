"""Names said in other words (kg.qa.meant): a phrase that is no label of the graph links the
concept whose name means the same, and only when that name is clearly nearer than any
shorter name found inside the phrase."""

from __future__ import annotations

from kg.qa.linking import LabelMatch
from kg.qa.text import tokens


def _named(engine, question: str) -> list[str]:
    return [e.label for e in engine.ask(question).entities if e.how == "named"]


def test_a_phrase_meaning_a_label_links_that_concept_not_the_shorter_name_inside(vehicles):
    # "automobile" names Car; "electric automobile" means the concept Electric Car
    assert _named(vehicles, "what is an electric automobile") == ["Electric Car"]
    assert vehicles.ask("what is an electric automobile").text.startswith("Electric Car")


def test_words_meaning_no_label_keep_the_names_found(vehicles):
    assert set(_named(vehicles, "what is a battery powered car")) >= {"Battery", "Car"}


def test_only_runs_with_a_free_word_are_read_by_meaning(vehicles):
    words = tokens("is the electric car made by a manufacturer")
    found = vehicles.matcher.find(" ".join(words))
    runs = vehicles.meant.phrases(words, found, vehicles._plain, vehicles._vocab)
    assert runs == []  # every content word is a name already
    free = tokens("what is an electric automobile")
    car = [m for m in vehicles.matcher.find("automobile") if m.end == 1]
    car = [LabelMatch(m.iri, 4, 5, m.surface) for m in car]
    assert car
    assert vehicles.meant.phrases(free, car, vehicles._plain, vehicles._vocab) == [(3, 5)]


def test_a_word_the_graph_does_not_know_is_read_alone(vehicles):
    words = tokens("tell me about zeppelins")
    runs = vehicles.meant.phrases(words, [], vehicles._plain, vehicles._vocab)
    assert runs == [(3, 4)]
    # nothing in the graph means an airship: no concept is linked by meaning
    vectors = vehicles.encode_all(["zeppelins"])
    assert vehicles.meant.find(words, runs, vectors, []) == []


def test_a_word_made_into_another_kind_of_noun_is_no_name_of_the_same_concept() -> None:
    from kg.qa.meant import _apart
    assert _apart("generators", "Image Generation")
    assert _apart("computer", "cloud computing")
    assert not _apart("phenomena", "meteorological phenomenon")
    assert not _apart("drinks", "Alcoholic beverage")
    assert not _apart("papers", "paper")
