"""Comparisons answer in their first sentence: the two concepts side by side, on the link
between them or the broader concept they share, each with what sets it apart."""

from __future__ import annotations

import pytest

from kg.qa.compare import definition_predicate, own_subject


@pytest.mark.parametrize(
    ("names", "definition", "predicate"),
    [
        (["Deep Learning"], "Subset of machine learning that stacks layers. More text.",
         "is a subset of machine learning that stacks layers"),
        (["increased size"], "A size quality which is relatively high.",
         "is a size quality which is relatively high"),
        (["Share repurchase"], "Share repurchase (buyback) refers to the buying of own shares.",
         "refers to the buying of own shares"),
        (["hairy"], "Having a surface covered with hairs.", "means having a surface covered "
         "with hairs"),
        (["air pollution"], "Pollution of the air by gases.", "is pollution of the air by gases"),
        (["Narrow AI"], "Type of AI built for one task: it is excellent at that job.",
         "is a type of AI built for one task"),
        (["Virtual Assistants"], "Software assistants that handle requests, e.g. Siri.",
         "is software assistants that handle requests"),
        # a note to the indexer says nothing of what the term is
        (["Bond"], "Use more specific descriptors whenever possible.", ""),
        (["Share repurchase"], "Buying back of shares of the own enterprise.",
         "is buying back of shares of the own enterprise"),
        # a sentence about another subject is no predicate of the term
        (["soil degradation"], "Soil may deteriorate by physical movement of soil particles.",
         ""),
        (["afterburning"], "An afterburner is a gadget fitted to exhaust flues.", ""),
        (["statistical data"], "No definition needed.", ""),
        # ... but a noun that looks like a verb after an article is still a head noun
        (["aluminium container"], "A can or box made of aluminium.",
         "is a can or box made of aluminium"),
        # the source's "a" before a vowel is not repeated
        (["opaque"], "A optical quality inhering in a bearer.",
         "is an optical quality inhering in a bearer"),
        # a name's possessive keeps its case and takes no article
        (["Tram X"], "Acme's light rail vehicle for city streets.",
         "is Acme's light rail vehicle for city streets"),
    ],
)
def test_a_definition_reads_as_what_it_says_of_its_term(
        names: list[str], definition: str, predicate: str) -> None:
    assert definition_predicate(names, definition) == predicate


def _first(text: str) -> str:
    return text.split("\n")[0]


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # a shared broader concept frames the two definitions
        ("supervised vs unsupervised learning",
         ["both kinds of Machine Learning", "labeled data", ", while Unsupervised Learning"]),
        # worded without any comparison cue word the regexes know
        ("In what way is supervised learning unlike reinforcement learning?",
         ["Supervised Learning", "Reinforcement Learning", "trial and error"]),
        # one filed under the other: that is the frame
        ("machine learning compared to deep learning",
         ["Deep Learning is a kind of Machine Learning", "while Deep Learning is"]),
    ],
)
def test_a_comparison_answers_in_its_first_sentence(engine, question: str,
                                                    said: list[str]) -> None:
    first = _first(engine.ask(question).text)
    for part in said:
        assert part in first


def test_an_aspect_said_of_both_is_answered_by_the_paired_facts(engine) -> None:
    """"X vs Y on cost" asks the aspect: the table's paired cells lead, not the contrast."""
    first = _first(engine.ask("compare deep learning and generative AI on cost").text)
    assert "investment" in first and "both kinds of" not in first


def test_a_thesaurus_without_definitions_is_compared_by_where_each_is_filed(vehicles) -> None:
    first = _first(vehicles.ask("What is the difference between a car and a bicycle?").text)
    assert "Car" in first and "Bicycle" in first
    assert ", while " in first or "both kinds of" in first


@pytest.mark.parametrize(
    ("definition", "own"),
    [
        ("Soil may deteriorate either by erosion or by depletion.", True),
        ("The petroleum industry is a complex industry.", True),
        ("Group V consists of two subgroups.", True),
        ("Rain having a pH less than 5.6.", False),
        ("A mass which is higher than normal.", False),
        ("Any means of communication sent to the eye and ear.", False),
    ],
)
def test_a_definition_with_a_subject_of_its_own_is_told_apart(definition: str,
                                                              own: bool) -> None:
    assert own_subject(definition) is own


@pytest.mark.parametrize("question", ["What separates a car from a bicycle?",
                                      "In what way is a car unlike a bicycle?",
                                      "Car versus bicycle: what's the difference?"])
def test_a_contrast_asked_in_other_words_is_a_comparison(vehicles, question: str) -> None:
    first = vehicles.ask(question).text.split("\n")[0].lower()
    assert "four-wheeled" in first and "two-wheeled" in first, first
