"""Members of an asked kind linked to the topic, one or two links away (kg/qa/reach.py),
through the whole engine on the built-in graph and directly on its view."""

from __future__ import annotations

from kg.qa.reach import reached_kind

AIT = "https://w3id.org/aitax/id/"


def first(text: str) -> str:
    return text.split("\n")[0]


def test_two_links_away_each_concept_passed_is_said_with_who_it_reaches(engine):
    view, walker = engine.view, engine.walker
    kinds = walker.kinds_of(AIT + "Organisations")
    facts = reached_kind(view, walker, AIT + "Healthcare", kinds, chained=True)
    assert facts, "healthcare reaches organisations through what it applies"
    lead = facts[0].sentence
    assert lead.startswith("Healthcare applies Deep Learning; Deep Learning is used by")
    for name in ("DeepMind", "Netflix", "Siemens"):
        assert name in lead
    # every step is a fact of the graph: both links are kept as parts
    assert len(facts[0].parts) == 2


def test_one_link_away_the_members_of_the_kind_only(engine):
    view, walker = engine.view, engine.walker
    kinds = walker.kinds_of(AIT + "Industries")
    facts = reached_kind(view, walker, AIT + "DeepLearning", kinds, chained=False)
    lead = facts[0].sentence
    for name in ("Finance", "Healthcare", "Manufacturing"):
        assert name in lead
    # one sentence per relation: the members only, no concept of another kind
    assert all(n == AIT + "DeepLearning" or n in kinds for n in facts[0].nodes)


def test_a_kind_nothing_links_to_gives_nothing(engine):
    view, walker = engine.view, engine.walker
    assert reached_kind(view, walker, AIT + "Healthcare", set(), chained=False) == []


def test_which_plural_kind_question_leads_with_the_reached_members(engine):
    answer = engine.ask("Which organisations use the technologies that healthcare applies?")
    lead = first(answer.text)
    # the chain in one sentence: the concept passed, then who is linked to it
    assert "Deep Learning, which is used by" in lead and "Google Health" in lead
    # a singular kind asks for one thing: no list of members two links away
    single = first(engine.ask("What role do activation functions play inside a neural "
                              "net?").text)
    assert "Data Scientists" not in single


def test_who_asks_for_an_agent_reached_through_the_thing_named(engine):
    # "who makes the products used for code generation": the organisations two links away
    answer = first(engine.ask("who makes the products used for code generation?").text)
    assert "Codex, which is developed by OpenAI" in answer
    assert "Copilot, which is developed by Microsoft" in answer
    # "who do I need ...": a person asks about themselves, no agent is reached
    lead = first(engine.ask("Who do I need on my team for a deep learning project?").text)
    assert "is used by" not in lead


def test_members_linked_to_the_kinds_of_the_topic_stand_for_the_topic(engine):
    # no industry is linked to AI itself; those applying deep learning or generative AI,
    # kinds of AI, are the industries that use AI
    view, walker = engine.view, engine.walker
    kinds = walker.kinds_of(AIT + "Industries")
    facts = reached_kind(view, walker, AIT + "ArtificialIntelligence", kinds, chained=False)
    assert facts and "linked to kinds of Artificial Intelligence" in facts[0].sentence
    for name in ("Finance", "Healthcare", "Automotive"):
        assert name in facts[0].sentence
    # each concept under the topic is said with the members it reaches
    assert any(f.sentence.startswith("Deep Learning is applied in") for f in facts[1:])
    assert reached_kind(view, walker, AIT + "ArtificialIntelligence", kinds, chained=False,
                        under=False) == []


def test_examples_of_a_kind_named_before_the_topic_are_its_members(engine):
    lead = first(engine.ask("name a few example industries that make use of AI").text)
    assert sum(n in lead for n in ("Finance", "Healthcare", "Automotive", "Marketing")) >= 3
    assert not lead.startswith("Artificial Intelligence has")  # not the kinds of AI


def test_which_things_are_built_on_a_concept_is_not_its_own_chain(engine):
    # "which models are based on X" asks for what stands on X, not what X is a kind of
    lead = first(engine.ask("what models are based on transformers?").text)
    assert "Large Language Models" in lead and "ChatGPT" in lead
    assert "is a kind of Machine Learning" not in lead


def test_a_kind_said_first_then_a_clause_asks_its_members(engine):
    # "<kinds> using X": the industries are asked, not what AI is
    lead = first(engine.ask("industries making use of AI").text)
    assert sum(n in lead for n in ("Finance", "Healthcare", "Automotive", "Marketing")) >= 3
    # a question that opens with its asking word is read as before
    assert "Finance" not in first(engine.ask("what is AI used for?").text)


def test_who_did_something_to_one_concept_is_an_agent_a_link_away_or_none(engine):
    # an organisation that uses what ChatGPT uses did not make ChatGPT
    answer = engine.ask("who made ChatGPT?")
    assert answer.abstained and "links no organisation or person to ChatGPT" in answer.text
    # an agent linked to the concept itself answers
    assert first(engine.ask("who makes Bard?").text).startswith("Bard is developed by Google.")
