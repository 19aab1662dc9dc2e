"""Answers read off the graph's structure, on a small multilingual thesaurus with a
polyhierarchy and a long list (tests/data/qa_instruments.ttl), through the whole engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.qa.structure import LIST_INLINE
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def instruments(session_cache):
    ws = Workspace(Settings(graph_paths=(DATA / "qa_instruments.ttl",), cache_dir=session_cache))
    return ws.engine


def first(text: str) -> str:
    return text.split("\n")[0]


def _engine_over(path: Path, turtle: str, cache: Path):
    """The engine over a small graph written in Turtle to ``path``."""
    path.write_text(turtle, encoding="utf-8")
    return Workspace(Settings(graph_paths=(path,), cache_dir=cache)).engine


def test_narrower_terms_are_listed_in_full_with_their_number(instruments):
    answer = instruments.ask("Which narrower concepts fall under keyboard instruments?")
    lead = first(answer.text)
    assert "3 narrower concepts" in lead
    for name in ("Harpsichord", "Piano", "Pipe organ"):
        assert name in lead


def test_a_long_list_says_how_many_it_leaves_out_and_a_full_answer_lists_all(instruments):
    short = first(instruments.ask("list the subtypes of folk instruments").text)
    assert "57 narrower concepts" in short
    assert f"and {57 - LIST_INLINE} more" in short
    full = instruments.ask("list the subtypes of folk instruments", full=True).text
    for name in ("Alphorn", "Udu", "Zurna", "Washboard"):
        assert name in full


def test_a_list_only_a_few_past_the_inline_limit_is_said_whole() -> None:
    from kg.qa.structure import _listed

    assert "more" not in _listed([f"n{k}" for k in range(LIST_INLINE + 5)], full=False)
    assert "more" in _listed([f"n{k}" for k in range(LIST_INLINE + 30)], full=False)


def test_every_parent_of_a_concept_filed_twice(instruments):
    lead = first(instruments.ask("What broader categories is the piano filed under?").text)
    assert "2 broader concepts" in lead
    assert "Keyboard instruments" in lead and "String instruments" in lead


def test_counts_are_answers_not_refusals(instruments):
    answer = instruments.ask("How many narrower concepts does percussion have?")
    assert not answer.abstained
    assert "2 narrower concepts" in first(answer.text)
    # a count of one is said as a number too, not as the parent alone
    assert "has one broader concept: Percussion" in first(
        instruments.ask("How many parents does gong have?").text)


def test_other_names_in_every_language_without_hidden_labels(instruments):
    text = instruments.ask("What other names does the piano go by?").text
    assert "Pianoforte" in text and "Fortepiano" in text
    assert "Flügel" in text and "German" in text
    assert "pianno" not in text  # a hidden label is for search, never said


def test_a_label_in_the_language_asked_for(instruments):
    assert "Klavier" in first(instruments.ask("What is piano called in German?").text)
    assert "Clavecin" in first(instruments.ask("french label of harpsichord").text)
    missing = instruments.ask("What is the gong called in French?")
    assert "no French label" in first(missing.text)
    assert missing.abstained  # the graph does not hold what is asked: said plainly


def test_siblings_under_each_parent(instruments):
    text = instruments.ask("Which concepts share a parent with the violin?").text
    assert "Piano" in text  # the piano is a string instrument too


def test_is_a_kind_of_answers_yes_or_no_first(instruments):
    assert first(instruments.ask("Is the violin a kind of musical instrument?").text).startswith(
        "Yes")
    no = first(instruments.ask("Is a drum a type of keyboard instrument?").text)
    assert no.startswith("No") and "Percussion" in no


def test_a_word_that_asks_is_not_taken_for_a_topic(instruments):
    # "concepts" and "parent" are asking words: the topic is the violin
    lead = first(instruments.ask("What is the parent concept of the violin?").text)
    assert "String instruments" in lead


def test_plural_labels_agree_with_their_verb(instruments):
    lead = first(instruments.ask("What are the synonyms of string instruments?").text)
    assert lead.startswith("String instruments are also called")


def test_the_concept_card_lists_every_language_and_no_hidden_label(instruments):
    from kg.view.concepts import describe

    ws = Workspace(Settings(graph_paths=(DATA / "qa_instruments.ttl",)))
    card = describe(ws.view, ws.graph, "https://example.org/instruments/piano")
    assert card.names_by_language["de"] == {"pref": ["Klavier"], "alt": ["Flügel"]}
    assert card.names_by_language["fr"] == {"pref": ["Piano"]}
    assert "pianno" not in card.alt_labels and "Pianoforte" in card.alt_labels


def test_a_language_named_in_its_own_words_is_the_asked_language(instruments):
    # "auf Deutsch", "en français": the language's own name and its own "in"
    assert "Klavier" in first(instruments.ask("piano auf Deutsch?").text)
    assert "Instruments à cordes" in first(
        instruments.ask("string instruments en francais").text)
    # written with its accents, as its speakers write it
    assert "Instruments à cordes" in first(
        instruments.ask("string instruments en français").text)


_GROUPED = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix g: <http://example.org/grouped/> .
g:Rivers a skos:Collection ; skos:prefLabel "RIVERS AND LAKES"@en ;
    skos:member g:delta, g:lagoon .
g:delta a skos:Concept ; skos:prefLabel "delta"@en ; skos:related g:sediment .
g:sediment a skos:Concept ; skos:prefLabel "sediment"@en ; skos:related g:sandbar .
g:sandbar a skos:Concept ; skos:prefLabel "sandbar"@en ; skos:related g:lagoon .
g:lagoon a skos:Concept ; skos:prefLabel "lagoon"@en .
"""


def test_a_path_goes_through_concepts_before_a_group_that_files_both(tmp_path, session_cache):
    # two concepts in one group of many say little of how they connect: the links between
    # concepts do, even when the way through the group is shorter
    engine = _engine_over(tmp_path / "grouped.ttl", _GROUPED, session_cache)
    lead = first(engine.ask("how is delta connected to lagoon?").text)
    assert "sediment" in lead and "sandbar" in lead
    assert "RIVERS AND LAKES" not in lead


_FILED = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix f: <http://example.org/filed/> .
f:Group a skos:Concept ; skos:prefLabel "B.01  Brass instruments"@en .
f:Horn a skos:Concept ; skos:prefLabel "Horn"@en ; skos:altLabel "brass instruments"@en ;
    skos:broader f:Group .
f:Tuba a skos:Concept ; skos:prefLabel "Tuba"@en ; skos:broader f:Group .
f:Trumpet a skos:Concept ; skos:prefLabel "Trumpet"@en ; skos:broader f:Group .
f:Flugelhorn a skos:Concept ; skos:prefLabel "Flugelhorn"@en ; skos:broader f:Horn .
"""


def test_a_name_a_grouping_above_shares_asks_for_the_grouping(tmp_path, session_cache):
    # "brass instruments" is another name of Horn and the name of the grouping above it:
    # asked for its members, the grouping's are meant
    engine = _engine_over(tmp_path / "filed.ttl", _FILED, session_cache)
    lead = first(engine.ask("what does the brass instruments category include?").text)
    assert "Tuba" in lead and "Trumpet" in lead
    # named by its own label, the concept's own members are meant
    assert "Flugelhorn" in first(engine.ask("what kinds of horn are there?").text)


_KIND_CHILD = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix k: <http://example.org/kinds/> .
k:Waste a skos:Concept ; skos:prefLabel "waste"@en .
k:TypeOfWaste a skos:Concept ; skos:prefLabel "type of waste"@en ; skos:broader k:Waste .
k:Recovery a skos:Concept ; skos:prefLabel "waste recovery"@en ; skos:broader k:Waste .
k:Sludge a skos:Concept ; skos:prefLabel "sludge"@en ; skos:broader k:TypeOfWaste .
k:Scrap a skos:Concept ; skos:prefLabel "scrap"@en ; skos:broader k:TypeOfWaste .
k:Compost a skos:Concept ; skos:prefLabel "composting"@en ; skos:broader k:Recovery .
"""


def test_the_kinds_of_x_are_those_of_its_child_named_for_kinds(tmp_path, session_cache):
    # a thesaurus files the kinds of waste under "type of waste", not beside it
    engine = _engine_over(tmp_path / "kinds.ttl", _KIND_CHILD, session_cache)
    lead = first(engine.ask("what kinds of waste are there?").text)
    assert "sludge" in lead and "scrap" in lead
    # asked for its narrower terms, the concept's own children are meant
    lead = first(engine.ask("what are the narrower terms of waste?").text)
    assert "waste recovery" in lead and "sludge" not in lead


def test_a_class_without_narrower_concepts_lists_its_members(tmp_path, session_cache):
    engine = _engine_over(tmp_path / "tools.ttl", """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix ex: <http://example.org/tools/> .
        ex:Tool a owl:Class ; rdfs:label "Tool" ; rdfs:comment "Something used for a job." .
        ex:Hammer a skos:Concept, ex:Tool ; skos:prefLabel "Hammer"@en ;
            skos:definition "A tool for driving nails."@en .
        ex:Saw a skos:Concept, ex:Tool ; skos:prefLabel "Saw"@en ;
            skos:definition "A tool for cutting wood."@en .
        """, session_cache)
    lead = first(engine.ask("Which tools are listed?").text)
    assert "Hammer" in lead and "Saw" in lead
    # asked for examples (a few of them), the members are the examples
    lead = first(engine.ask("name some tools").text)
    assert "Hammer" in lead and "Saw" in lead
    # words that ask ("a few instances") are no words the graph fails to know
    lead = first(engine.ask("which tools are there, a few instances").text)
    assert "Hammer" in lead and "Saw" in lead


def _renderer(turtle: str):  # noqa: ANN202
    """A structure renderer over a graph written in Turtle (no index read)."""
    from rdflib import Graph

    from kg.qa.forms import lexicon
    from kg.qa.structure import StructureRenderer
    from kg.qa.walk import Walker
    from kg.view.graph_view import build_view

    view = build_view(Graph().parse(format="turtle", data=turtle))
    return StructureRenderer(view, Walker(view, None), lexicon("en"))  # type: ignore[arg-type]


def test_a_path_through_a_far_common_parent_is_found_however_deep() -> None:
    chain = "".join(f"ex:A{k} skos:broader ex:A{k + 1} . ex:B{k} skos:broader ex:B{k + 1} .\n"
                    for k in range(4))
    structure = _renderer(f"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        {chain}
        ex:A4 skos:broader ex:Top . ex:B4 skos:broader ex:Top .
        """)
    lead = structure.path("http://example.org/A0", "http://example.org/B0")[0]
    assert "records no link" not in lead.sentence
    assert [n.rsplit("/", 1)[1] for n in lead.nodes][:6] == ["A0", "A1", "A2", "A3", "A4", "Top"]


def test_a_long_chain_of_concepts_is_the_path_before_a_group_that_files_both() -> None:
    # seven links through concepts say how the two connect; one group of many does not
    chain = "".join(f"ex:C{k} a skos:Concept ; skos:prefLabel \"c{k}\"@en ; "
                    f"skos:related ex:C{k + 1} ; ex:group ex:Big .\n" for k in range(7))
    structure = _renderer(f"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:Big a skos:Collection ; skos:prefLabel "BIG GROUP"@en .
        {chain}
        ex:C7 a skos:Concept ; skos:prefLabel "c7"@en ; ex:group ex:Big .
        """)
    lead = structure.path("http://example.org/C0", "http://example.org/C7")[0]
    assert "BIG GROUP" not in lead.sentence
    assert [n.rsplit("/", 1)[1] for n in lead.nodes] == [f"C{k}" for k in range(8)]


def test_a_shorter_way_through_related_terms_is_the_path_before_the_filing() -> None:
    # filed: A under P under Top over Q over B (four links); related: A - M - B (two)
    structure = _renderer("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:A skos:broader ex:P . ex:P skos:broader ex:Top .
        ex:B skos:broader ex:Q . ex:Q skos:broader ex:Top .
        ex:A skos:related ex:M . ex:M skos:related ex:B .
        ex:A a skos:Concept . ex:B a skos:Concept . ex:M a skos:Concept .
        """)
    lead = structure.path("http://example.org/A", "http://example.org/B")[0]
    assert [n.rsplit("/", 1)[1] for n in lead.nodes] == ["A", "M", "B"]
    # as long as the filing, the filing says it
    structure = _renderer("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:A skos:broader ex:Top . ex:B skos:broader ex:Top .
        ex:A skos:related ex:M . ex:M skos:related ex:B .
        ex:A a skos:Concept . ex:B a skos:Concept . ex:M a skos:Concept . ex:Top a skos:Concept .
        """)
    lead = structure.path("http://example.org/A", "http://example.org/B")[0]
    assert [n.rsplit("/", 1)[1] for n in lead.nodes] == ["A", "Top", "B"]
    # one filed under the other: the line of the filing, however long
    structure = _renderer("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/> .
        ex:A skos:broader ex:P . ex:P skos:broader ex:Q . ex:Q skos:broader ex:Top .
        ex:A skos:related ex:M . ex:M skos:related ex:Top . ex:M a skos:Concept .
        ex:A a skos:Concept . ex:P a skos:Concept . ex:Q a skos:Concept . ex:Top a skos:Concept .
        """)
    lead = structure.path("http://example.org/A", "http://example.org/Top")[0]
    assert [n.rsplit("/", 1)[1] for n in lead.nodes] == ["A", "P", "Q", "Top"]


def test_a_concept_with_related_synonyms_alone_holds_other_names() -> None:
    structure = _renderer("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix oio: <http://www.geneontology.org/formats/oboInOwl#> .
        @prefix q: <http://example.org/q/> .
        q:Top a owl:Class ; rdfs:label "quality" .
        q:R a owl:Class ; rdfs:subClassOf q:Top ; rdfs:label "response to" ;
            oio:hasRelatedSynonym "reactivity" .
        q:N a owl:Class ; rdfs:subClassOf q:Top ; rdfs:label "nameless" .
        """)
    assert structure.holds("names", "http://example.org/q/R")
    assert not structure.holds("names", "http://example.org/q/N")


def test_a_name_the_asker_guesses_is_answered_with_every_other_name(instruments):
    # "is X also called Y": Y is one of X's own names, no word left unread
    first_line = first(instruments.ask("is piano also called fortepiano or something").text)
    assert "Fortepiano" in first_line and "Pianoforte" in first_line


def test_one_concept_asked_by_two_of_its_names_is_yes_with_every_name(instruments):
    first_line = first(instruments.ask("is a piano also called a fortepiano?").text)
    assert first_line.startswith("Yes: Piano is also called")
    assert "Fortepiano" in first_line and "Pianoforte" in first_line


def test_a_concept_named_by_an_asking_word_is_the_topic_after_of(tmp_path, session_cache):
    # "tree" asks ("the tree of X"), but "what kinds of tree" names nothing else
    engine = _engine_over(tmp_path / "woods.ttl", """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <http://example.org/woods/> .
        ex:Tree a skos:Concept ; skos:prefLabel "tree"@en .
        ex:Oak a skos:Concept ; skos:prefLabel "oak"@en ; skos:broader ex:Tree .
        ex:Pine a skos:Concept ; skos:prefLabel "pine"@en ; skos:broader ex:Tree .
        """, session_cache)
    lead = first(engine.ask("what kinds of tree are there").text)
    assert "oak" in lead and "pine" in lead
