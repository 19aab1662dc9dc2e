"""Which relation a question asks for (kg/qa/route.py), on the built-in graph."""

from __future__ import annotations

AIT = "https://w3id.org/aitax/id/"


def first(text: str) -> str:
    return text.split("\n")[0]


def test_a_relation_asked_in_other_words_leads_with_all_its_objects(engine):
    # "need" is no word of "requires": the relation is found by meaning
    lead = first(engine.ask("What does deep learning need to run?").text)
    assert lead.startswith("Deep Learning requires")
    for name in ("Data Scientists", "GPU Clusters", "TPU"):
        assert name in lead


def test_words_close_to_no_relation_name_none(engine):
    router = engine.router
    assert router.named_relation(AIT + "DeepLearning", "what is X", by_meaning=True) is None
    # two concepts named: how they relate is asked, not a relation in other words
    lead = first(engine.ask("deep learning and machine learning - which one contains the "
                            "other?").text)
    assert "combined in" not in lead


def test_a_relation_named_by_a_word_of_its_phrase_leads(engine):
    # "developing" says NVIDIA's relation "develops"; the answer states it
    answer = engine.ask("What is NVIDIA developing?").text
    assert "NVIDIA develops AI Chips" in answer


def test_who_asks_for_the_agent_relation_and_its_verb_is_no_name(engine):
    # "who" keeps its meaning: "who uses X" is X "is used by", not "has use case"
    lead = first(engine.ask("who uses deep learning").text)
    assert lead.startswith("Deep Learning is used by") and "Siemens" in lead
    # "develops" after "who" is the question's verb, not the concept "General Developers"
    answer = engine.ask("who develops GPT-4?").text
    assert "General Developers" not in answer


def test_one_concept_named_twice_in_a_coordination_is_one_topic(engine):
    # "companies" and "organisations" name one concept: its members are asked, not a path
    lead = first(engine.ask("Which companies and organisations does the graph know about? "
                            "Name them all.").text)
    assert "narrower concepts" in lead
    for name in ("Adobe", "NVIDIA", "Siemens"):
        assert name in lead


def test_a_sure_definition_reading_puts_the_definition_first(engine):
    # "problem" is a limitation cue word, but the question asks what the black box is
    lead = first(engine.ask("What is meant by the black box problem?").text)
    assert lead.startswith("Black Box:")


def test_a_kind_named_without_hierarchy_words_lists_its_members(engine):
    lead = first(engine.ask("name the software frameworks").text)
    for name in ("Keras", "PyTorch", "TensorFlow"):
        assert name in lead
    lead = first(engine.ask("what industries are covered").text)
    assert "Healthcare" in lead and "Manufacturing" in lead


def test_the_parent_named_beside_its_member_asks_for_the_siblings(engine):
    # "roles" is the parent of Artists: it says which kind of siblings, it is no second topic
    lead = first(engine.ask("what other roles are there apart from artists").text)
    assert "Artists share the broader concept Roles" in lead and "Designers" in lead


def test_words_the_form_accounts_for_are_not_unknown(engine):
    answer = engine.ask("Tell me what is meant by misinformation here.")
    assert not answer.abstained and first(answer.text).startswith("Misinformation")
    lead = first(engine.ask("hi, quick one: federated learning, what is it exactly").text)
    assert lead.startswith("Federated Learning:")


def test_a_kind_check_asked_after_the_topic(engine):
    assert first(engine.ask("gemini - is that deep learning?").text).startswith("Yes")


def test_a_value_the_graph_lacks_is_declined_and_one_it_holds_is_answered(engine):
    answer = engine.ask("what does an NVIDIA AI chip cost?")
    assert answer.abstained and "no price for NVIDIA" in answer.text
    answer = engine.ask("how much does predictive maintenance help factories")
    assert not answer.abstained and "30%" in first(answer.text)


def test_is_x_a_kind_of_a_class_asks_whether_the_graph_types_it_so(engine):
    # "organisation" names the class the organisations are typed with, not a concept
    assert first(engine.ask("is google a kind of organisation?").text).startswith("Yes")
    lead = first(engine.ask("is discover weekly a kind of organisation?").text)
    assert lead.startswith("No") and "Recommendation Systems" in lead


def test_a_kind_named_next_to_the_topic_is_passed_on_the_way(engine):
    # "product" names the kind of what Adobe develops; the question asks one link further
    lead = first(engine.ask("adobe's product: what is it used for?").text)
    assert lead.startswith("Adobe develops Generative Fill, which is used for")


def test_the_link_to_a_kind_passed_needs_no_words_of_its_own(engine):
    # "product" says where the first link leads (Spotify develops a product); "use" names
    # the second
    lead = first(engine.ask("which technologies does spotify's product use?").text)
    assert lead.startswith("Spotify develops Discover Weekly, which uses")


def test_a_name_right_after_which_is_the_kind_not_the_topic(engine):
    first = engine.ask("which algorithms fall under traditional machine learning").text
    assert "Decision Trees" in first.split("\n")[0] and "Random Forests" in first.split("\n")[0]


def test_a_class_named_alone_lists_its_members(engine):
    first = engine.ask("which frameworks do you have").text.split("\n")[0]
    assert all(name in first for name in ("Keras", "PyTorch", "TensorFlow"))


def test_the_kind_asked_picks_the_one_link_to_a_concept_of_that_kind(engine):
    first = engine.ask("Bard comes from which company?").text.split("\n")[0]
    assert "Google" in first and "Bard" in first


def test_advice_the_graph_does_not_give_is_declined(engine):
    answer = engine.ask("Recommend me the best laptop for training neural networks")
    assert answer.abstained and "recommendation" in answer.text


def test_a_sure_path_reading_is_answered_whatever_else_is_said(engine):
    first = engine.ask("Is there a chain between Keras and deep learning? Walk me through it."
                       ).text.split("\n")[0]
    assert first.startswith("Keras") and "Deep Learning" in first


def test_a_sure_kind_check_is_a_yes_no_question_without_its_verb(engine):
    assert engine.ask("Keras IS-A framework?").text.startswith("Yes")


def test_a_relation_named_with_its_particle_is_not_another_with_the_same_verb(engine):
    # "used for" is Generative AI's "is used for", not its "uses"
    lead = first(engine.ask("what is generative ai used for").text)
    assert lead.startswith("Generative AI is used for") and "Image Generation" in lead
    assert first(engine.ask("what does generative ai use").text).startswith("Generative AI uses")


def test_a_containing_verb_between_two_names_asks_the_second_of_the_first(vehicles) -> None:
    # "does X include Y" asks whether Y is a kind of X
    assert vehicles.ask("Does the term vehicle include electric cars?").text.startswith(
        "Yes: Electric Car is a kind of Car")
    assert vehicles.ask("Is the electric car a kind of vehicle?").text.startswith(
        "Yes: Electric Car is a kind of Car")


def test_kinds_of_the_parent_that_share_it_are_the_siblings(vehicles) -> None:
    a = vehicles.ask("Besides the bicycle, which vehicle types share its parent?")
    assert a.text.startswith("Bicycle shares the broader concept Vehicle with Car")
