"""The forms scorer (bench/forms.py) reads answers as a person does: real answer shapes."""

from forms import (  # bench/forms.py (path set in conftest)
    clean,
    declines,
    first_sentence,
    leading_yes_no,
    says,
    says_number,
    score,
)


def test_names_match_across_case_plural_punctuation_and_diacritics():
    text = "Kinds of Tax: income taxes, Excise-tax and environmental tax."
    assert says(text, "Income tax")
    assert says(text, "Excise tax")
    assert says("Other industries: E-commerce, healthcare.", "Industries")
    assert says("Auf Deutsch: Äquivalenzprinzip.", "Aquivalenzprinzip")
    assert says("In French it is « pollution de l’eau ».", "pollution de l'eau")
    assert says("Straße", "Strasse")
    # a word inside another word is not the name
    assert not says("Hyperinflation is a kind of price movement.", "Inflation")
    assert not says("Taxation principle", "Tax types")


def test_qualifier_in_parentheses_may_be_left_out_but_not_the_head():
    assert says("Filed under law and seed.", "seed (product)")
    assert says("Filed under seed (product).", "seed (product)")
    assert not says("Filed under product.", "seed (product)")


def test_numbers_in_digits_or_words_and_not_inside_other_numbers():
    assert says_number("Taxation has 12 narrower concepts.", 12)
    assert says_number("There are seventeen colors.", 17)
    assert not says_number("There are 112 of them.", 12)
    assert not says_number("Version 12.5 of the file.", 12)
    assert says("Accuracy reaches 90% in tumor detection.", "90")
    assert says("An ROI within 6-9 months.", "9")
    assert not says("An ROI within 6-19 months.", "9")


def test_sources_and_marks_are_not_read():
    answer = "Deep Learning: a subset of ML. [1][2]\nSources: [1] Section: Machine Learning Basics"
    text = clean(answer)
    assert "Sources" not in text and "[1]" not in text
    assert not says(text, "Machine Learning Basics")


def test_first_sentence_stops_at_sentence_end_or_line_break_not_at_notations():
    assert first_sentence("V.09.04  Taxation has 12 narrower concepts: Tax, Tax types. More.") \
        == "V.09.04  Taxation has 12 narrower concepts: Tax, Tax types."
    assert first_sentence("Tax has 10 narrower concepts:\n- Income tax\n- Excise tax") \
        == "Tax has 10 narrower concepts:"


def test_yes_no_must_lead():
    assert leading_yes_no("Yes: GPT-4 is a kind of large language model.") == "yes"
    assert leading_yes_no("No, bias is not an industry.") == "no"
    assert leading_yes_no("Random Forests is a kind of Traditional Machine Learning.") is None
    assert leading_yes_no("Nobody knows.") is None


def test_abstention_is_read_from_the_words():
    assert declines("The knowledge graph does not hold the answer to this question.")
    assert declines("The graph has no figure for the price of Midjourney.")
    assert declines("That is not recorded in the graph.")
    assert not declines("Copyright law is filed under Intellectual property rights.")


def test_list_score_counts_names_said_and_first_sentence_needs_three_or_the_count():
    expect = {"names": ["Income tax", "Excise tax", "Environmental tax", "Local tax"]}
    full = score("narrower", expect,
                 "Tax has 4 narrower concepts:\n- Income tax\n- Excise tax\n"
                 "- Environmental tax\n- Local tax")
    assert full["right"] and full["complete"] == 1.0 and full["first"]
    cut = score("narrower", expect, "Income tax is a kind of Tax. Excise tax is too.")
    assert not cut["right"] and cut["complete"] == 0.5 and not cut["first"]


def test_count_yes_no_language_and_abstain_forms():
    assert score("count", {"count": 12}, "Taxation has 12 narrower concepts.")["right"]
    refusal = "The graph has no figure for the narrower for V.09.04  Taxation."
    r = score("count", {"count": 12}, refusal)
    assert not r["right"] and r["declined"]
    assert score("yesno", {"answer": "no"}, "No: Keras is a framework.")["right"]
    assert not score("yesno", {"answer": "yes"}, "Keras is a kind of framework.")["right"]
    lang = {"lang": "de", "labels": ["Äquivalenzprinzip"]}
    assert score("language", lang, "In German: Äquivalenzprinzip.")["right"]
    assert not score("language", lang, "Benefit principle is a kind of Taxation principle.")[
        "right"]
    assert score("abstain", {"abstain": True},
                 "The knowledge graph does not hold the answer to this question.")["right"]
    assert not score("abstain", {"abstain": True}, "Decreased size is a kind of size.")["right"]


def test_definition_path_and_comparison_forms():
    d = {"keywords": ["fog", "smoke"]}
    assert score("definition", d, "Smog: air pollution consisting of smoke and fog.")["right"]
    assert not score("definition", d, "Smog is a kind of air pollutant.")["right"]
    p = {"via_any": [["Income tax"], ["Corporate tax management"]], "hops": 2}
    assert score("path", p, "Wage tax is a kind of Income tax, which is a kind of Tax.")["right"]
    assert not score("path", p, "Wage tax and Tax are related.")["right"]
    c = {"names": ["hairy", "glabrous"], "keywords_a": ["hair"], "keywords_b": ["bristles"]}
    both = "Hairy: covered with hair. Glabrous: lacking hairs or bristles."
    assert score("comparison", c, both)["right"]
    assert not score("comparison", c, "Hairy is covered with hair.")["right"]
