"""Linking names in a question to graph nodes, on small hand-made graphs and vocabularies (no
model); the typo repair on a large vocabulary gives exactly difflib's own choice over every
candidate while scanning only the plausible ones."""

from __future__ import annotations

import difflib
import random
from collections import Counter

import pytest
from helpers import concept_view
from rdflib import Graph

from kg.qa.linking import (
    LabelMatch,
    LabelMatcher,
    asks_for_kind,
    graph_vocabulary,
    not_titles,
    respelled,
)
from kg.qa.text import swapped
from kg.view.graph_view import build_view, view_from_triples

_TTL = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:Wine a skos:Concept ; skos:prefLabel "Wine"@en .
ex:Red a skos:Concept ; skos:prefLabel "Red Wine"@en ; skos:broader ex:Wine .
ex:White a skos:Concept ; skos:prefLabel "White Wine"@en ; skos:broader ex:Wine .
ex:Sparkling a skos:Concept ; skos:prefLabel "Sparkling Rose Wine"@en ; skos:broader ex:Wine .
ex:Still a skos:Concept ; skos:prefLabel "Still Rose Wine"@en ; skos:broader ex:Wine .
ex:RedColour a skos:Concept ; skos:prefLabel "Red"@en .
"""


@pytest.fixture(scope="module")
def matcher() -> LabelMatcher:
    return LabelMatcher(build_view(Graph().parse(data=_TTL, format="turtle")))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("red wine", ["Red"]),
        ("how does red and white wine differ", ["Red", "White"]),
        ("red or white wine", ["Red", "White"]),
        ("red vs white wine", ["Red", "White"]),
        ("sparkling and still rose wine", ["Sparkling", "Still"]),
        # a word before "and" that names nothing with the shared head stays unlinked
        ("cheese and white wine", ["White"]),
        ("red, white wine", ["RedColour", "White"]),  # no coordination: "red" names itself
        # an article before the second name; and a word that is a name alone ("Red", a
        # colour) still shares the head when the coordination names a concept with it
        ("a sparkling and a still rose wine", ["Sparkling", "Still"]),
        # the word before takes the place of all but the head ("rose" is no word of "red")
        ("red versus sparkling rose wine", ["Red", "Sparkling"]),
    ],
)
def test_a_coordination_shares_the_head_of_the_name(
    matcher: LabelMatcher, text: str, named: list[str]
) -> None:
    found = [m.iri.rsplit("/", 1)[1] for m in matcher.find(text)]
    assert found == named


# ------------------------------------------------------------ typo repair at scale
SYLLABLES = ["bo", "den", "fa", "la", "lo", "ka", "mi", "ner", "qui", "to", "va", "zel"]


def _words(count: int, seed: int = 3) -> list[str]:
    """Made-up words of shared syllables, as a large synthetic taxonomy has: many share
    their first letter, length and most letters, so the repair has thousands to compare."""
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < count:
        out.add(rng.choice("bd") + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(out)


def _matcher(words: list[str]) -> LabelMatcher:
    view = view_from_triples([], "en")
    return LabelMatcher.from_data(view, {"table": [], "retired": [], "known": words})


def _difflib_alone(word: str, known: list[str]) -> str:
    """The repair with no scan in front: difflib over the same first letter and lengths."""
    pool = [w for w in known if w[0] == word[0] and abs(len(w) - len(word)) <= 2]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.84)
    return close[0] if close else word


def test_repair_matches_difflib_over_every_candidate() -> None:
    known = _words(6000)
    sizes = Counter((w[0], len(w)) for w in known)
    assert max(sizes.values()) >= 500  # large enough for the scan, not only difflib
    matcher = _matcher(known)
    rng = random.Random(5)
    typos = []
    for word in rng.sample(known, 150):
        cut = rng.randrange(1, len(word))
        typos.append(word[:cut] + word[cut + 1 :])  # a letter dropped
        typos.append(word[:cut] + rng.choice("aeiou") + word[cut:])  # a letter added
        typos.append(word[0] + "".join(rng.sample(word[1:], len(word) - 1)))  # shuffled
    typos = [t for t in typos if len(t) >= 5 and t not in set(known)]
    # two neighbouring letters swapped back to a known word come first, then difflib
    kept = set(known)
    swaps = [next((w for w in swapped(t) if w in kept), None) for t in typos]
    expected = [w or _difflib_alone(t, known) for t, w in zip(typos, swaps, strict=True)]
    assert matcher.repair(typos) == expected
    assert sum(e != t for e, t in zip(expected, typos, strict=True)) > len(typos) // 3
    assert matcher.repair(typos) == expected  # remembered answers are the same


def test_repair_keeps_known_and_short_words() -> None:
    known = _words(600)
    matcher = _matcher(known)
    assert matcher.repair([known[0], "bofa", "zzzzzzzz"]) == [known[0], "bofa", "zzzzzzzz"]


def test_new_words_are_used_after_earlier_repairs() -> None:
    matcher = _matcher(_words(600))
    assert matcher.repair(["hybrrid"]) == ["hybrrid"]  # nothing close yet, and remembered
    matcher.extend_words({"hybrid"})
    assert matcher.repair(["hybrrid"]) == ["hybrid"]


def _graph_matcher(concepts: str) -> LabelMatcher:
    """A matcher over a few concepts written in Turtle (``ex:`` and ``skos:`` declared)."""
    return LabelMatcher(concept_view(concepts))


def test_a_name_typed_as_one_concepts_label_is_that_concept_not_its_stem_twin() -> None:
    # "oxides" and "oxide" share a stem: the label typed decides, the other is no match
    m = _graph_matcher("""
    ex:One a skos:Concept ; skos:prefLabel "nitrogen oxide"@en .
    ex:Many a skos:Concept ; skos:prefLabel "nitrogen oxides"@en .
    ex:Strategy a skos:Concept ; skos:prefLabel "Strategy"@en, "Strategie"@de .
    ex:Pricing a skos:Concept ; skos:prefLabel "Pricing strategy"@en .
    """)
    assert [x.iri for x in m.find("is NO2 one of the nitrogen oxides")] == [
        "http://example.org/Many"]
    assert [x.iri for x in m.find("the nitrogen oxide")] == ["http://example.org/One"]
    # a plural of a known word is no typo of another known word ("strategie")
    assert [x.iri for x in m.find("what pricing strategies are listed")] == [
        "http://example.org/Pricing"]


def test_a_name_starting_with_an_asking_word_does_not_cut_a_name_after_it() -> None:
    # "broader term of trade union": "term of trade" would cut "trade union" in two
    m = _graph_matcher("""
    ex:Terms a skos:Concept ; skos:prefLabel "Terms of trade"@en .
    ex:Union a skos:Concept ; skos:prefLabel "Trade union"@en .
    """)
    asks = {"term", "terms", "broader"}.__contains__
    assert [x.iri for x in m.find("broader term of trade union", asks)] == [
        "http://example.org/Union"]
    # alone, or without the asking words, the name is still found
    assert [x.iri for x in m.find("what are the terms of trade", asks)] == [
        "http://example.org/Terms"]
    assert [x.iri for x in m.find("broader term of trade union")] == [
        "http://example.org/Terms"]


def test_an_asking_word_hyphened_into_a_name_is_part_of_it() -> None:
    # "non" asks in "non-preferred terms", but "non-conventional energy" is one name, though
    # taking it leaves "types" without the "energy type" it would otherwise make
    m = _graph_matcher("""
    ex:Non a skos:Concept ; skos:prefLabel "non-conventional energy"@en .
    ex:Conv a skos:Concept ; skos:prefLabel "conventional energy"@en .
    ex:Type a skos:Concept ; skos:prefLabel "energy type"@en .
    """)
    asks = {"non", "types"}.__contains__
    assert [x.iri for x in m.find("non-conventional energy types", asks)] == [
        "http://example.org/Non"]
    assert [x.iri for x in m.find("non conventional energy types", asks)][0] != (
        "http://example.org/Non")  # said apart, "non" asks as before


def test_a_word_that_asks_is_no_typo_of_a_name() -> None:
    m = _graph_matcher("""
    ex:Contract a skos:Concept ; skos:prefLabel "contract"@en .
    ex:Didactics a skos:Concept ; skos:prefLabel "didactics"@en .
    """)
    text = "contrast didactics with teaching"
    assert "http://example.org/Contract" in {x.iri for x in m.find(text)}  # repaired
    assert [x.iri for x in m.find(text, {"contrast"}.__contains__)] == [
        "http://example.org/Didactics"]


def test_the_noun_of_a_one_word_name_names_it() -> None:
    m = _graph_matcher("""
    ex:Hairy a skos:Concept ; skos:prefLabel "hairy"@en .
    ex:Aneuploid a skos:Concept ; skos:prefLabel "aneuploid"@en .
    ex:Fragile a skos:Concept ; skos:prefLabel "fragile"@en .
    ex:Mosaic a skos:Concept ; skos:prefLabel "mosaic aneuploidy"@en .
    """)
    for text, name in (("types of hairiness", "Hairy"), ("kinds of aneuploidy", "Aneuploid"),
                       ("what is fragility", "Fragile")):
        assert [x.iri for x in m.find(text)] == [f"http://example.org/{name}"]
    # a name the word belongs to as typed wins over the derived one
    assert [x.iri for x in m.find("what is mosaic aneuploidy")] == [
        "http://example.org/Mosaic"]
    # short words and words that ask are never read as derived nouns
    assert m.find("kinds of aneuploidy", {"aneuploidy"}.__contains__) == []


def test_a_related_synonym_names_its_node_only_where_nothing_else_is_named() -> None:
    view = build_view(Graph().parse(format="turtle", data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix oio: <http://www.geneontology.org/formats/oboInOwl#> .
        @prefix ex: <http://example.org/> .
        ex:Big a skos:Concept ; skos:prefLabel "increased size"@en ;
            oio:hasRelatedSynonym "enlarged", "large" .
        ex:Long a skos:Concept ; skos:prefLabel "increased length"@en ;
            oio:hasRelatedSynonym "large" .
        ex:Swollen a skos:Concept ; skos:prefLabel "swollen"@en ;
            oio:hasRelatedSynonym "puffy" .
        ex:Puffy a skos:Concept ; skos:prefLabel "puffy"@en .
        """))
    matcher = LabelMatcher(view)

    def named(text: str) -> list[str]:
        found = matcher.find(text)
        return [m.iri.rsplit("/", 1)[1] for m in found or matcher.near(text, found)]

    assert named("the opposite of enlarged") == ["Big"]
    assert [m.iri for m in matcher.near("is swollen enlarged", matcher.find("swollen"))] == [
        "http://example.org/Big"]  # in the words a name leaves free
    assert named("is it large") == []  # two nodes have it
    assert named("puffy") == ["Puffy"]  # a label beats a related synonym


def test_a_name_said_the_other_way_round_with_of_is_found() -> None:
    m = _graph_matcher("""
    ex:WaterPollution a skos:Concept ; skos:prefLabel "water pollution"@en .
    ex:Water a skos:Concept ; skos:prefLabel "water"@en .
    ex:TermsOfTrade a skos:Concept ; skos:prefLabel "terms of trade"@en .
    ex:TradeTerms a skos:Concept ; skos:prefLabel "trade terms"@en .
    """)
    for text in ("kinds of pollution of water", "what is the pollution of the water"):
        assert [x.iri for x in m.find(text)] == ["http://example.org/WaterPollution"], text
    # a name said with "of" is itself a name: it is found as said
    assert [x.iri for x in m.find("the terms of trade")] == ["http://example.org/TermsOfTrade"]


def test_a_classical_plural_names_the_concept_of_its_singular() -> None:
    matcher = _graph_matcher("""
    ex:C a skos:Concept ; skos:prefLabel "Economic crisis"@en .
    ex:P a skos:Concept ; skos:prefLabel "Weather phenomenon"@en .
    ex:I a skos:Concept ; skos:prefLabel "Price index"@en .
    ex:V a skos:Concept ; skos:prefLabel "Volcano"@en .
    ex:M a skos:Concept ; skos:prefLabel "Mud volcanoes"@en .
    """)
    for text, iri in [("which economic crises are there", "http://example.org/C"),
                      ("list weather phenomena", "http://example.org/P"),
                      ("price indices", "http://example.org/I"),
                      # a plural some other name uses still names the singular's concept
                      ("where do volcanoes sit", "http://example.org/V")]:
        assert [m.iri for m in matcher.find(text)] == [iri], text
    # a word the graph knows as it is typed is left alone
    assert matcher.find("economic cases") == []


def test_two_neighbouring_letters_typed_the_wrong_way_round_are_repaired(
        matcher: LabelMatcher) -> None:
    assert matcher.repair(["sparkilng"]) == ["sparkling"]  # (below difflib's cutoff alone)
    assert matcher.repair(["sparkling"]) == ["sparkling"]


def test_a_word_with_two_letters_swapped_is_unswapped_only_to_a_known_word(
        matcher: LabelMatcher) -> None:
    assert matcher.unswapped("sparkilng") == "sparkling"
    assert matcher.unswapped("sparkling") is None  # known already
    assert matcher.unswapped("precisely") is None  # no swap of it is a word of the graph


def test_a_name_after_a_few_or_a_number_or_list_is_the_kind_asked() -> None:
    for said in ("a few industries where ai is used", "couple of industries where ai is used",
                 "list industries using ai", "name three industries that use ai"):
        words = said.split()
        at = words.index("industries")
        assert asks_for_kind(words, at, at + 1), said
    # an indefinite "some" stands for one thing ("made by some company"); a subject is no kind
    words = "bard was made by some company".split()
    assert not asks_for_kind(words, 5, 6)
    words = "industries adopt ai at different speeds".split()
    assert not asks_for_kind(words, 0, 1)


def test_a_name_between_the_and_thesaurus_is_the_vocabulary_not_a_topic() -> None:
    words = "which animals does the economics thesaurus have".split()
    found = [LabelMatch("ex:animals", 1, 2, "animals"), LabelMatch("ex:economics", 4, 5, "economics")]
    assert [m.iri for m in not_titles(found, words)] == ["ex:animals"]
    # the subject named as a topic stays one ("economics in the thesaurus")
    words = "what is under economics in the thesaurus".split()
    found = [LabelMatch("ex:economics", 3, 4, "economics")]
    assert not_titles(found, words) == found


def test_an_unknown_name_counts_only_in_the_question_asked_not_in_context_before_it() -> None:
    m = _graph_matcher('ex:Swot a skos:Concept ; skos:prefLabel "SWOT analysis"@en .')
    known = {"swot", "analysis", "what", "is", "it"}.__contains__
    assert m.unknown_names("What is the SWOT analysis of Zorbia?", known) == ["Zorbia"]
    told = "My boss wants a SWOT analysis by Friday \u2014 what is it?"
    assert m.unknown_names(told, known) == []


def test_the_thesaurus_said_as_the_vocabulary_itself_is_no_topic() -> None:
    # "the Spanish version of the thesaurus", where the graph has a concept "thesaurus"
    words = "how does the spanish version of the thesaurus render smog".split()
    found = [LabelMatch("ex:thesaurus", 7, 8, "thesaurus"), LabelMatch("ex:smog", 9, 10, "smog")]
    assert [m.iri for m in not_titles(found, words)] == ["ex:smog"]
    words = "what is a thesaurus".split()
    found = [LabelMatch("ex:thesaurus", 3, 4, "thesaurus")]
    assert not_titles(found, words) == found


def test_a_name_said_as_the_setting_of_another_is_no_topic() -> None:
    words = "what is a token in chatgpt terms".split()
    found = [LabelMatch("ex:token", 3, 4, "token"), LabelMatch("ex:chatgpt", 5, 6, "chatgpt")]
    assert [m.iri for m in not_titles(found, words)] == ["ex:token"]
    # alone, the setting is what is asked about
    assert not_titles(found[1:], words) == found[1:]


def test_the_graph_vocabulary_holds_the_stems_of_labels_and_definitions() -> None:
    view = build_view(Graph().parse(format="turtle", data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:R a skos:Concept ; skos:prefLabel "Rivers"@en ;
            skos:definition "Water flowing downhill."@en .
        """))
    vocab = graph_vocabulary(view, LabelMatcher(view))
    assert {"river", "water", "flowing", "downhill"} <= vocab
    assert "ocean" not in vocab


def test_a_british_or_american_spelling_names_the_concept_spelled_the_other_way() -> None:
    assert "fertiliser" in respelled("fertilizer") and "color" in respelled("colour")
    assert "centre" in respelled("center") and "sulphur" in respelled("sulfur")
    assert respelled("tree") == []  # short words are left alone
    m = _graph_matcher("""
    ex:F a skos:Concept ; skos:prefLabel "fertiliser"@en .
    ex:C a skos:Concept ; skos:prefLabel "city centre"@en .
    ex:Col a skos:Concept ; skos:prefLabel "color"@en .
    """)
    for text, iri in (("types of fertilizer", "F"), ("what is a city center", "C"),
                      ("which colours are there", "Col")):
        assert [x.iri.rsplit("/", 1)[1] for x in m.find(text)] == [iri], text


def test_the_verb_of_a_noun_names_the_concept_of_the_noun() -> None:
    m = _graph_matcher("""
    ex:H a skos:Concept ; skos:prefLabel "Hallucinations"@en .
    ex:P a skos:Concept ; skos:prefLabel "pollution"@en .
    """)
    for text, iri in (("when a model hallucinates", "H"), ("a factory polluting a river", "P")):
        assert [x.iri.rsplit("/", 1)[1] for x in m.find(text)] == [iri], text
