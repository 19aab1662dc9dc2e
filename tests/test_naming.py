"""Which label matches name a question's topics (kg/qa/naming.py): verbs, adjectives, words
for the answer and the kind the topic is said to be are not topics."""

from __future__ import annotations

from helpers import concept_view

from kg.qa.linking import LabelMatch, LabelMatcher
from kg.qa.naming import appositions, not_verbs, plural_only
from kg.qa.text import tokens


def test_one_word_between_two_names_after_how_does_is_a_verb() -> None:
    m = LabelMatcher(concept_view("""
    ex:Drought a skos:Concept ; skos:prefLabel "drought"@en .
    ex:Lead a skos:Concept ; skos:prefLabel "lead"@en .
    ex:Desert a skos:Concept ; skos:prefLabel "desertification"@en .
    """))
    text = "how does drought lead to desertification"
    kept = not_verbs(m.find(text), tokens(text))
    assert [x.iri.rsplit("/", 1)[1] for x in kept] == ["Drought", "Desert"]
    # without a name after it, or without "how does", the word stays a name
    # one word that ends the clause after "what does <name>" is its verb too
    text = "what does drought lead into"
    assert [x.iri.rsplit("/", 1)[1] for x in not_verbs(m.find(text), tokens(text))] == [
        "Drought"]
    for text in ("why does drought lead", "is drought lead to desertification"):
        assert "http://example.org/Lead" in {x.iri for x in not_verbs(m.find(text),
                                                                      tokens(text))}


def test_a_word_before_a_noun_that_names_a_plural_only_label_is_an_adjective() -> None:
    view = concept_view("""
        ex:Goods a skos:Concept ; skos:prefLabel "Goods"@en .
        """)
    matcher = LabelMatcher(view)
    for text, named in (("a good recipe", []), ("what are goods", ["Goods"]),
                        ("is a good a kind of product", ["Goods"]),
                        ("good vegetarian restaurants", []),  # before a word it does not know
                        ("good goods", ["Goods", "Goods"]),  # a word it knows
                        ("the good recipe", ["Goods"])):  # a noun before a noun
        words = tokens(text)
        found = not_verbs(matcher.find(text), words, view.label, matcher.knows)
        assert [m.iri.rsplit("/", 1)[1] for m in found] == named, text


def test_one_word_between_a_name_and_a_determiner_is_a_verb() -> None:
    words = "which other market structures share its parent".split()
    structures = LabelMatch("ex:structure", 2, 4, "market structures")
    share = LabelMatch("ex:share", 4, 5, "share")
    assert not_verbs([structures, share], words) == [structures]
    # a name after a name, not before a determiner, stays a name
    words = "which other market structures share prices".split()
    prices = LabelMatch("ex:prices", 5, 6, "prices")
    assert not_verbs([structures, share, prices], words) == [structures, share, prices]
    # one word before "its" is a verb even with no name before it
    words = "beer and which other drinks share its parent".split()
    beer, share = LabelMatch("ex:beer", 0, 1, "beer"), LabelMatch("ex:share", 5, 6, "share")
    assert not_verbs([beer, share], words) == [beer]
    # a name after "of" is no verb ("the opposite of aerobic -> its parent")
    words = "opposite of aerobic its parent".split()
    aerobic = LabelMatch("ex:aerobic", 2, 3, "aerobic")
    assert not_verbs([aerobic], words) == [aerobic]


def test_a_word_that_says_how_the_answer_should_be_is_no_topic() -> None:
    words = "a short gloss on erythema".split()
    short = LabelMatch("ex:short", 1, 2, "short")
    erythema = LabelMatch("ex:erythema", 4, 5, "erythema")
    describes = {"gloss", "definition"}.__contains__
    assert not_verbs([short, erythema], words, describes=describes) == [erythema]
    # alone it is the topic; before a word that describes nothing it stays a name
    assert not_verbs([short], words, describes=describes) == [short]
    words = "a short film on erythema".split()
    assert not_verbs([short, erythema], words, describes=describes) == [short, erythema]


def test_a_name_that_says_the_kind_of_the_topic_is_no_topic() -> None:
    view = concept_view("""
        ex:Colour a skos:Concept ; skos:prefLabel "colour"@en .
        ex:Brown a skos:Concept ; skos:prefLabel "brown"@en ; skos:broader ex:Colour .
        ex:Bronze a skos:Concept ; skos:prefLabel "bronze"@en ; skos:broader ex:Brown .
        ex:Metal a skos:Concept ; skos:prefLabel "metal"@en .
        """)
    matcher = LabelMatcher(view)

    def named(text: str) -> list[str]:
        found = appositions(matcher.find(text), tokens(text), view.ancestors)
        return [m.iri.rsplit("/", 1)[1] for m in found]

    assert named("what is the colour bronze") == ["Bronze"]
    assert named("define bronze as a colour") == ["Bronze"]
    # a name the topic is not filed under is a topic of its own
    assert named("the metal bronze") == ["Metal", "Bronze"]
    assert named("bronze and colour") == ["Bronze", "Colour"]


def test_a_name_before_a_word_of_grammar_stays_a_name() -> None:
    words = "is a herbicide a biocide".split()
    herbicide = LabelMatch("ex:herbicide", 2, 3, "herbicide")
    biocide = LabelMatch("ex:biocide", 4, 5, "biocide")
    describes = {"a", "gloss"}.__contains__  # even where the asking words hold "a"
    assert not_verbs([herbicide, biocide], words, describes=describes) == [herbicide, biocide]


def test_a_label_said_in_the_plural_with_a_singular_name_beside_it_is_no_adjective() -> None:
    view = concept_view("""
        ex:Goods a skos:Concept ; skos:prefLabel "Goods"@en .
        ex:T a skos:Concept ; skos:prefLabel "Transformers"@en ; skos:altLabel "Transformer"@en .
        """)
    assert plural_only(view, "http://example.org/Goods") == "Goods"
    assert plural_only(view, "http://example.org/T") == ""
    matcher = LabelMatcher(view)
    text = "who asks for transformer experience"
    found = not_verbs(matcher.find(text), tokens(text), lambda i: plural_only(view, i),
                      matcher.knows)
    assert [m.iri for m in found] == ["http://example.org/T"]  # a noun before a noun
