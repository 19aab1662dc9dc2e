"""Names that say the kind of thing asked for (kg/qa/kind_names.py)."""

from __future__ import annotations

from rdflib import Graph

from kg.qa.kind_names import KindNames, named_at
from kg.qa.topics import Topics
from kg.qa.walk import Walker
from kg.view.graph_view import build_view

EX = "http://example.org/"
_GRAPH = """
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix ex: <http://example.org/> .
    ex:Method a rdfs:Class ; rdfs:label "method"@en .
    ex:Uses a skos:Concept ; skos:prefLabel "use cases"@en ; skos:altLabel "applications"@en .
    ex:Sorting a skos:Concept, ex:Method ; skos:prefLabel "sorting"@en ; skos:broader ex:Uses .
    ex:Search a skos:Concept, ex:Method ; skos:prefLabel "search"@en ; skos:broader ex:Uses .
    ex:Tools a skos:Concept ; skos:prefLabel "tools"@en .
    ex:European a skos:Concept ; skos:prefLabel "European"@en ; skos:related ex:Europeans .
    ex:Europeans a skos:Concept ; skos:prefLabel "Europeans"@en .
    ex:Danes a skos:Concept ; skos:prefLabel "Danes"@en ; skos:broader ex:Europeans .
    ex:Swiss a skos:Concept ; skos:prefLabel "Swiss people"@en ; skos:broader ex:Europeans .
    ex:Fuel a skos:Concept ; skos:prefLabel "Fossil fuel"@en .
    ex:Coal a skos:Concept ; skos:prefLabel "Coal"@en ; skos:broader ex:Fuel .
    """


def _kinds() -> KindNames:
    view = build_view(Graph().parse(format="turtle", data=_GRAPH))
    return KindNames(view, Walker(view, None))  # type: ignore[arg-type]  # no index read


def _topics(words: str, at: dict[int, str]) -> Topics:
    return Topics(named=list(dict.fromkeys(at.values())),
                  named_at={n: a for a, n in sorted(at.items(), reverse=True)}, entities=[],
                  yes_no=False, words=words.split(), unknown=frozenset(),
                  spans=[(a, a + 1) for a in sorted(at)], span_names=at)


def test_a_class_the_members_of_another_topic_are_typed_with_names_their_kind() -> None:
    kinds = _kinds()
    topics = _topics("how many uses are under the method heading",
                     {2: EX + "Uses", 6: EX + "Method"})
    assert kinds.types_members(topics, 6)  # sorting and search are methods
    assert not kinds.types_members(topics, 2)  # "uses" is what is counted under
    other = _topics("how many tools are under the method heading",
                    {2: EX + "Tools", 6: EX + "Method"})
    assert not kinds.types_members(other, 6)  # no tool is a method


def test_the_classes_of_the_members_are_words_that_name_their_kind() -> None:
    near = _kinds().words_near(EX + "Uses")
    assert "method" in near and "sorting" in near
    assert "tool" not in near
    assert "application" in _kinds().words_near(EX + "Sorting")  # its parent's other name


def test_each_span_names_what_linking_found_there() -> None:
    topics = _topics("ai use cases under applications", {0: EX + "Uses", 4: EX + "Method"})
    assert named_at(topics, 4, 5) == EX + "Method"  # not the words, nor the first concept



def test_words_after_a_counted_topic_and_its_verb_say_nothing_of_what_is_counted() -> None:
    from kg.qa.kind_names import uncounted

    assert uncounted("how many X are there to weigh", ["weigh"]) == []
    assert uncounted("how many labels does X carry", ["carry"]) == []
    assert uncounted("how many X are there in france", ["france"]) == ["france"]
    assert uncounted("how many employees does X have", ["employees"]) == ["employees"]
    assert uncounted("how many X wheat species", ["wheat", "species"]) == ["wheat", "species"]
    assert uncounted("how many X does france have", ["france"]) == ["france"]  # who has them


def test_the_one_link_to_a_concept_of_the_kind_asked_answers() -> None:
    view = build_view(Graph().parse(format="turtle", data="""
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix ex: <http://example.org/> .
    ex:Acme a skos:Concept ; skos:prefLabel "Acme"@en .
    ex:Beta a skos:Concept ; skos:prefLabel "Beta"@en .
    ex:Tool a skos:Concept ; skos:prefLabel "tool"@en ; ex:madeBy ex:Acme ; ex:soldBy ex:Beta .
    """))
    kinds = KindNames(view, Walker(view, None))  # type: ignore[arg-type]
    fact = kinds.linked(EX + "Tool", {EX + "Acme"})
    assert fact is not None and (fact.subject, fact.object) == (EX + "Tool", EX + "Acme")
    # two concepts of the kind: the kind alone does not say which link is meant
    assert kinds.linked(EX + "Tool", {EX + "Acme", EX + "Beta"}) is None
    assert kinds.linked(EX + "Tool", set()) is None


def test_a_word_that_names_a_concept_above_in_other_words_names_the_kind() -> None:
    from kg.qa.embeddings import get_encoder

    view = build_view(Graph().parse(format="turtle", data="""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:Bev a skos:Concept ; skos:prefLabel "Beverages"@en .
        ex:Beer a skos:Concept ; skos:prefLabel "Beer"@en ; skos:broader ex:Bev .
        """))
    kinds = KindNames(view, Walker(view, None), get_encoder().encode)  # type: ignore[arg-type]
    assert kinds.means_near(EX + "Beer", "drinks")  # beer's siblings are drinks
    assert not kinds.means_near(EX + "Beer", "cheap")  # a word that narrows them
    assert not _kinds().means_near(EX + "Sorting", "applications")  # no encoder: words only


_FLEET = """
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix ex: <http://example.org/> .
    ex:Vehicle a skos:Concept ; skos:prefLabel "vehicles"@en .
    ex:Car a skos:Concept ; skos:prefLabel "cars"@en ; skos:broader ex:Vehicle .
    ex:Ecar a skos:Concept ; skos:prefLabel "electric cars"@en ; skos:broader ex:Car .
    ex:Bike a skos:Concept ; skos:prefLabel "bikes"@en ; skos:broader ex:Vehicle .
    ex:Trades a skos:Concept ; skos:prefLabel "trades"@en .
    ex:Taxi a skos:Concept ; skos:prefLabel "taxi service"@en ; skos:broader ex:Trades ;
        ex:uses ex:Ecar .
    ex:Post a skos:Concept ; skos:prefLabel "post office"@en ; skos:broader ex:Trades ;
        ex:uses ex:Bike .
    ex:Bakery a skos:Concept ; skos:prefLabel "bakery"@en ; skos:broader ex:Trades .
    ex:uses skos:prefLabel "uses"@en .
    """


def _fleet_topics(words: str) -> Topics:
    said = words.split()
    at = {said.index("trades"): EX + "Trades", said.index("vehicles"): EX + "Vehicle"}
    topics = _topics(words, at)
    return Topics(named=[EX + "Vehicle"], named_at=topics.named_at, entities=[],
                  yes_no=False, words=topics.words, unknown=frozenset(), spans=topics.spans,
                  hints=(EX + "Trades",), span_names=at)


def test_members_of_the_kind_asked_that_link_to_kinds_of_the_topic_answer() -> None:
    view = build_view(Graph().parse(format="turtle", data=_FLEET))
    kinds = KindNames(view, Walker(view, None))  # type: ignore[arg-type]
    fact = kinds.through_kinds(EX + "Vehicle", _fleet_topics("which trades use vehicles"))
    assert fact is not None
    assert fact.sentence.startswith("Post office and taxi service use bikes or electric cars")
    assert fact.sentence.endswith("kinds of vehicles.")
    assert {(t.subject, t.object) for t in fact.triples()} == {
        (EX + "Taxi", EX + "Ecar"), (EX + "Post", EX + "Bike")}
    # linked to the topic itself, the link is said as it is, not through its kinds
    assert kinds.through_kinds(EX + "Ecar", _fleet_topics("which trades use vehicles")) is None


def test_an_article_before_the_counted_topic_leaves_its_verb_unread() -> None:
    from kg.qa.kind_names import uncounted
    assert uncounted("how many names does the X entry carry", ["entry", "carry"]) == []
    assert uncounted("how many names does the concept X carry", ["carry"]) == []
    assert uncounted("how many names does the X have in france", ["france"]) == ["france"]


def test_the_namesake_with_members_is_counted_for_a_concept_without_any() -> None:
    # "how many European peoples": "European" has no members, "Europeans" beside it has
    kinds = _kinds()
    asking = frozenset({"many", "list"})
    assert kinds.counts_concepts("how many european peoples are listed", "european",
                                 [EX + "European"], asking)
    assert not kinds.counts_concepts("how many european tools are listed", "european",
                                     [EX + "European"], asking)
    assert "people" in kinds.words_near(EX + "European")  # the words of its namesake's members
    topics = _topics("how many european peoples are listed", {2: EX + "European"})
    assert kinds.counts_under(topics, 2, EX + "Europeans")


def test_a_class_the_other_concept_is_typed_with_names_its_siblings_kind() -> None:
    # "apart from sorting, what are its peer methods": sorting is a method
    topics = _topics("apart from sorting what are its peer methods",
                     {2: EX + "Sorting", 7: EX + "Method"})
    kinds = _kinds()
    assert kinds.names_kind(topics, 7, sibling=True)
    assert not kinds.names_kind(topics, 2, sibling=True)


def test_the_words_of_the_topics_parent_are_no_relation_of_its_siblings() -> None:
    # "the cases beside X", where X is filed under "use cases": its class, not a relation
    assert _kinds().unparented(EX + "Sorting", "the cases beside X") == "the beside X"
    assert _kinds().unparented(EX + "Tools", "the cases beside X") == "the cases beside X"
    # ... nor the plural they qualify: "other case groups", "other groups of cases"
    assert _kinds().unparented(EX + "Sorting", "other case groups beside X") == "other beside X"
    assert _kinds().unparented(EX + "Sorting", "X and other groups of cases") == "X and other of"


def test_a_concept_said_in_the_plural_of_its_singular_label_means_its_members() -> None:
    kinds = _kinds()
    assert kinds.said_plural(EX + "Fuel", ["fossil", "fuels"])
    assert not kinds.said_plural(EX + "Fuel", ["fossil", "fuel"])
    assert not kinds.said_plural(EX + "Europeans", ["europeans"])  # the label's own plural
    assert not kinds.said_plural(EX + "Coal", ["coals"])  # nothing filed under it


def test_the_askers_own_clause_after_a_counted_topic_says_nothing_of_what_is_counted() -> None:
    from kg.qa.kind_names import uncounted
    assert uncounted("how many X would i have to cover in a slide", ["cover", "slide"]) == []
    assert uncounted("how many X do we need to list", ["need", "list"]) == []
    # a clause about someone else still says who has them
    assert uncounted("how many X would france have", ["france"]) == ["france"]
