"""Where a thesaurus files the members a question asks for (kg/qa/filing.py), on a few
concepts written in Turtle."""

from __future__ import annotations

from rdflib import Graph

from kg.qa.answer import Fact
from kg.qa.filing import grouping, groupings, kind_child, one_member_of, one_parent_of
from kg.view.graph_view import build_view

_TTL = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:WageGroup a skos:Concept ; skos:prefLabel "V.13.04  Wage"@en .
ex:Wages a skos:Concept ; skos:prefLabel "Wages"@en ; skos:broader ex:WageGroup .
ex:Bonus a skos:Concept ; skos:prefLabel "Bonus"@en ; skos:broader ex:WageGroup .
ex:BankGroup a skos:Concept ; skos:prefLabel "W.14.01  Banking industry"@en .
ex:Bank a skos:Concept ; skos:prefLabel "Bank"@en ; skos:altLabel "Banking industry"@en ;
    skos:broader ex:BankGroup .
ex:SavingsBank a skos:Concept ; skos:prefLabel "Savings bank"@en ; skos:broader ex:Bank .
ex:Waste a skos:Concept ; skos:prefLabel "waste"@en .
ex:WasteType a skos:Concept ; skos:prefLabel "type of waste"@en ; skos:broader ex:Waste .
ex:Sludge a skos:Concept ; skos:prefLabel "sludge"@en ; skos:broader ex:WasteType .
ex:Recovery a skos:Concept ; skos:prefLabel "waste recovery"@en ; skos:broader ex:Waste .
ex:Compost a skos:Concept ; skos:prefLabel "composting"@en ; skos:broader ex:Recovery .
ex:Sludge skos:broader ex:Recovery .
ex:European a skos:Concept ; skos:prefLabel "European"@en ; skos:related ex:Europeans .
ex:Europeans a skos:Concept ; skos:prefLabel "Europeans"@en .
ex:Danes a skos:Concept ; skos:prefLabel "Danes"@en ; skos:broader ex:Europeans .
"""

EX = "http://example.org/"


def _view():
    return build_view(Graph().parse(data=_TTL, format="turtle"))


def test_a_grouping_of_the_same_name_files_a_concept_without_members() -> None:
    view = _view()
    assert groupings(view, EX + "Wages") == [EX + "WageGroup"]
    assert grouping(view, EX + "Wages") == EX + "WageGroup"
    # a concept with members of its own keeps them
    assert grouping(view, EX + "Bank") == EX + "Bank"


def test_a_concept_named_by_a_groupings_name_stands_for_that_grouping() -> None:
    view = _view()
    assert grouping(view, EX + "Bank", "banking industry") == EX + "BankGroup"
    assert grouping(view, EX + "Bank", "bank") == EX + "Bank"


def test_a_namesake_beside_a_concept_without_members_files_them() -> None:
    view = _view()
    assert grouping(view, EX + "European") == EX + "Europeans"  # related, named alike
    assert grouping(view, EX + "Danes") == EX + "Danes"  # no namesake: itself


def test_the_child_named_for_kinds_files_the_kinds() -> None:
    view = _view()
    kinds = frozenset({"type", "kind"})
    assert kind_child(view, EX + "Waste", kinds) == EX + "WasteType"
    # no child named for kinds: the concept itself
    assert kind_child(view, EX + "Bank", kinds) == EX + "Bank"


def test_one_member_filed_under_the_topic_is_told_from_other_facts() -> None:
    view = _view()
    filed = Fact(EX + "SavingsBank", "p", EX + "Bank", "Savings bank is a kind of Bank.",
                 kind="hierarchy", nodes=(EX + "SavingsBank", EX + "Bank"))
    assert one_member_of(view, filed, EX + "Bank")
    # the topic filed under its parent is no member of it; nor is a link that is no hierarchy
    assert not one_member_of(view, filed, EX + "SavingsBank")
    linked = Fact(EX + "SavingsBank", "p", EX + "Bank", "Savings bank is related to Bank.",
                  kind="relation", nodes=(EX + "SavingsBank", EX + "Bank"))
    assert not one_member_of(view, linked, EX + "Bank")


def test_one_parent_of_several_is_told_from_the_only_parent() -> None:
    view = _view()
    up = Fact(EX + "Sludge", "p", EX + "WasteType", "Sludge is a kind of type of waste.",
              kind="hierarchy", nodes=(EX + "Sludge", EX + "WasteType"))
    assert one_parent_of(view, up, EX + "Sludge")  # sludge is under recovery too
    only = Fact(EX + "Compost", "p", EX + "Recovery", "Composting is a kind of waste recovery.",
                kind="hierarchy", nodes=(EX + "Compost", EX + "Recovery"))
    assert not one_parent_of(view, only, EX + "Compost")  # its one parent is all of them


def test_a_plural_said_alone_of_a_concept_with_members_asks_for_them() -> None:
    from kg.qa.filing import plural_alone
    from kg.qa.topics import Topics

    view = build_view(Graph().parse(data=_TTL, format="turtle"))

    def topics(text: str, at: int, iri: str) -> Topics:
        return Topics(named=[iri], named_at={iri: at}, entities=[], yes_no=False,
                      words=text.split(), unknown=frozenset(), spans=[(at, at + 1)])

    nothing = {"in", "the", "thesaurus", "what", "are"}.__contains__
    banks = topics("banks in the thesaurus", 0, EX + "Bank")
    assert plural_alone(view, banks, "X in the thesaurus", EX + "Bank", nothing)
    bank = topics("bank", 0, EX + "Bank")  # said in the singular: a definition is asked
    assert not plural_alone(view, bank, "X", EX + "Bank", nothing)
    # another word asks something; or the label is plural itself
    assert not plural_alone(view, banks, "X in the thesaurus founded", EX + "Bank", nothing)
    wages = topics("wages", 0, EX + "Wages")
    assert not plural_alone(view, wages, "X", EX + "Wages", nothing)
