"""The kind of value a question asks for, and whether facts hold one (kg/qa/kinds.py)."""

from __future__ import annotations

import pytest

from kg.qa.kinds import (
    LANGUAGE,
    PRICE,
    RANKING,
    asked_kind,
    evidence,
    figure_asked,
    holds_kind,
    missing,
    names_kind,
)


@pytest.mark.parametrize(
    ("question", "name", "what"),
    [
        ("what does an nvidia ai chip cost", "price", "price"),
        ("how expensive is the subscription", "price", "price"),
        ("at what temperature does a substance become vaporizable", "quantity",
         "figure for the temperature"),
        ("what is the diameter of a red blood cell in micrometres", "quantity",
         "figure in micrometres"),
        ("what was the unemployment rate in france", "quantity",
         "figure for the unemployment rate"),
        ("how much co2 does a refinery emit", "quantity", "figure for the co2"),
        ("which lake is the deepest in europe", "ranking", "figure to rank by"),
        ("how loud is a jet engine in decibels", "quantity", "figure in decibels"),
        ("what is the tallest mountain", "ranking", "figure to rank by"),
    ],
)
def test_the_value_asked_is_read_from_the_question(question: str, name: str, what: str) -> None:
    kind = asked_kind(question)
    assert kind is not None and (kind.name, kind.what) == (name, what)


def test_no_value_is_asked_by_a_plain_question() -> None:
    assert asked_kind("what is a refinery") is None
    assert asked_kind("which costs does deep learning bring") is None


def test_digits_in_a_name_or_a_notation_are_no_figure() -> None:
    co2 = asked_kind("how much co2 does a refinery emit")
    assert not holds_kind(co2, ["Refineries emit CO2 and other gases."], [], [])
    assert holds_kind(co2, ["A refinery emits 5 million tonnes of CO2 a year."], [], [])
    rate = asked_kind("what was the unemployment rate in france")
    assert not holds_kind(rate, ["Unemployment rate is a kind of V.13.01.01 Unemployment."],
                          [], [])
    assert holds_kind(rate, ["The unemployment rate in France was 7.4%."], [], [])


def test_a_figure_asked_is_no_year() -> None:
    figure = figure_asked()
    assert not holds_kind(figure, ["Germany as a state from 1949 on."], [], [])
    assert holds_kind(figure, ["It cut editorial work by 30%."], [], [])


def test_a_concept_named_by_the_kind_asked_is_not_its_subject() -> None:
    assert names_kind(PRICE, "Price")
    assert not names_kind(PRICE, "Peat")


def test_identifiers_are_no_evidence() -> None:
    values, predicates = evidence([
        ("http://example.org/gvkppn", "091393051"),
        ("http://www.geneontology.org/formats/oboInOwl#id", "PATO:0000001"),
        ("http://www.w3.org/2004/02/skos/core#notation", "V.13.01"),
        ("http://example.org/population", "8,000,000 people"),
    ])
    assert values == ["8,000,000 people"] and predicates == ["http://example.org/population"]


def test_a_figure_per_unit_is_a_value_asked() -> None:
    kind = asked_kind("what's the minimum wage in switzerland per hour")
    assert kind is not None and kind.what == "figure per hour"
    assert not holds_kind(kind, ["Minimum wage is a kind of Wages."], [], [])
    assert holds_kind(kind, ["The minimum wage is 24 francs an hour."], [], [])
    # a notation's digits are no figure per hour
    assert not holds_kind(kind, ["Minimum wage is a kind of V.13.04 Wage."], [], [])


def test_the_average_of_a_measure_is_a_figure_asked() -> None:
    kind = asked_kind("what is the average life span of a fruit fly")
    assert kind is not None and kind.what == "figure for the life span"
    assert not holds_kind(kind, ["Life span is a kind of time quality."], [], [])
    assert holds_kind(kind, ["Its life span is 40 days on average."], [], [])
    assert asked_kind("what is the average of the terms") is None  # no measure named


def test_the_languages_of_a_concepts_labels_are_no_programming_language_asked() -> None:
    assert asked_kind("which language is the library written in") is LANGUAGE
    assert asked_kind("in which languages is the term labelled") is None


def test_a_share_and_a_ranking_of_places_are_figures_asked() -> None:
    share = asked_kind("what share of japan's exports are cars")
    assert share is not None and share.name == "quantity"
    assert asked_kind("which country recycles the most plastic") is RANKING
    assert asked_kind("what is the most general term for smog") is None


def test_advice_is_asked_and_only_words_of_advice_evidence_it() -> None:
    kind = asked_kind("best paint colour for a small bedroom")
    assert kind is not None and kind.name == "advice"
    assert asked_kind("which bank should i choose") is not None
    assert asked_kind("which frameworks are there") is None
    assert kind.text.search("PyTorch is best suited to research")
    assert not kind.text.search("Colour is a composite chromatic quality")


def test_a_price_needs_a_figure() -> None:
    assert PRICE.text.search("sold at a price of 20 euros")
    assert not PRICE.text.search("Gasoline is related to Gasoline price")


def test_a_superlative_after_which_ranks_unless_it_names_a_level() -> None:
    kind = asked_kind("which hair dye gives the most vivid red?")
    assert kind is not None and kind.name == "ranking"
    assert asked_kind("which term is the most general for red?") is None


def test_a_typical_value_fees_and_fines_are_figures_asked() -> None:
    normal = asked_kind("what is the normal ph of human blood")
    assert normal is not None and normal.what == "figure for the ph"
    assert asked_kind("what is the normal distribution") is None  # a name, not a value
    mean = asked_kind("average salary of a data scientist in berlin")
    assert mean is not None and mean.what == "figure for the salary"
    assert asked_kind("what's the fine for fly-tipping in the uk") is PRICE
    assert asked_kind("what is a fine") is None
    assert asked_kind("which energies count as non-conventional") is None  # "count" a verb


def test_a_number_of_dimensions_is_no_figure() -> None:
    height = asked_kind("what is the average height of a man")
    assert not holds_kind(height, ["Height: a 1-D extent quality of vertical extension."], [], [])
    assert holds_kind(height, ["Their average height is 1.8 m."], [], [])


def test_what_is_missing_is_said_alone_when_nothing_is_named() -> None:
    assert missing(asked_kind("when is bin collection day"), "") == "the graph has no date"
    assert missing(RANKING, "") == "the graph states no figures to rank"
    assert missing(PRICE, "Peat") == "the graph has no price for Peat"


def test_by_what_percent_asks_a_percentage() -> None:
    kind = asked_kind("by what percent did the app raise engagement")
    assert kind is not None and kind.name == "quantity"
    assert holds_kind(kind, ["It raised engagement by 35%."], [], [])
    assert not holds_kind(kind, ["It raised engagement."], [], [])


def test_what_time_asks_a_date() -> None:
    kind = asked_kind("what time is it in tokyo")
    assert kind is not None and kind.name == "date"
    assert asked_kind("what is a time series") is None


def test_a_version_asked_is_of_a_release_not_of_a_language() -> None:
    assert asked_kind("what is the latest version of pytorch") is not None
    assert asked_kind("how does the spanish version of the thesaurus render smog") is None
