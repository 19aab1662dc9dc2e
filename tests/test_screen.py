"""The question as typed, screened before it is read (kg/qa/screen.py): cleaned, refused
when it is no question for the graph, and cut to the question a text ends with."""

from __future__ import annotations

import pytest

from kg.qa.intent import detect_intent
from kg.qa.screen import (
    MAX_QUESTION_CHARS,
    arrowed,
    aside_words,
    clean_question,
    final_question,
    of_the_asker,
    refusal_of,
    repaired,
    set_in,
    unfused,
    unhyphened,
    unlaid,
)


def test_clean_question_blanks_control_characters_and_caps_the_length() -> None:
    assert clean_question("what\x00 is\t\tX ?") == "what is X ?"
    assert len(clean_question("a" * (MAX_QUESTION_CHARS * 10))) == MAX_QUESTION_CHARS


def test_an_empty_question_is_refused() -> None:
    assert refusal_of("?!", detect_intent("?!")) == "the question is empty"
    assert refusal_of("what is a river?", detect_intent("what is a river?")) == ""


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        # sentences of context, then the question
        ("I teach biology. Which groups share a parent with amphibians?",
         "Which groups share a parent with amphibians?"),
        ("We map noise. We sort it by type! Which kinds of noise are there?",
         "Which kinds of noise are there?"),
        # one sentence, a text that does not end with a question, or two questions
        ("What is a river?", "What is a river?"),
        ("Rivers. Tell me about them.", "Rivers. Tell me about them."),
        ("What is a river? And a lake?", "What is a river? And a lake?"),
        ("Rivers end in deltas. How does that landform grow?",
         "Rivers end in deltas. How does that landform grow?"),
        ("e.g. what is a river?", "e.g. what is a river?"),
        ("I write to a colleague: what is a river in German?", "what is a river in German?"),
        # the question first, context after it
        ("Is there another name for a brook? My book uses another word.",
         "Is there another name for a brook?"),
        ("What are the kinds of river? Give all of them.",  # every one is said anyway
         "What are the kinds of river?"),
        ("river: broader terms, every one", "river: broader terms"),
        ("which rivers are all of them?", "which rivers are all of them?"),
        ("I map rivers. Which kinds are there? List each.", "Which kinds are there? List each."),
        ("Rivers: definition?", "Rivers: definition?"),  # a colon after a name is no split
        # it refers back: what tells about the asker goes, what it refers to stays
        ("I teach a class. Brooks vs rivers: how do they differ?",
         "Brooks vs rivers: how do they differ?"),
        ("I study rivers. How do they form?", "I study rivers. How do they form?"),
        ("For a slide: what is a river?", "what is a river?"),  # a question of its own
        ("I map rivers \u2014 what does a river split into?", "what does a river split into?"),
        ("river - which themes?", "river - which themes?"),  # a dash after a name
        # the ask in the middle of one sentence, after words about the asker
        ("I am writing about lakes, and I wonder what narrower terms a river has, thanks",
         "what narrower terms a river has"),
        ("I like rivers, and lakes too", "I like rivers, and lakes too"),
        ("A brook is a stream; streams are filed under what?", "streams are filed under what?"),
        # after a colon: a question of its own, or the ask after words about the asker
        ("Quick check before print: brooks are filed under what?",
         "brooks are filed under what?"),
        ("For the glossary of my book: a one-line gloss of brook.", "a one-line gloss of brook."),
        ("Rivers in the delta: a note.", "Rivers in the delta: a note."),
        # the ask in the middle, between dashes, an aside after it
        ("My teacher uses the word delta \u2014 what is it, exactly? \u2014 and I nodded along.",
         "My teacher uses the word delta\u2014 what is it, exactly?"),
        ("We asked \u2014 what is a delta? \u2014 they said it is a landform.",
         "what is a delta?"),
        # the field the question is set in, or a label before a request of its own
        ("In hydrology, what is a river?", "what is a river?"),
        ("Within geography, define a delta", "define a delta"),
        ("Geography homework for Year 8: define a delta", "define a delta"),
        ("Rivers: define", "Rivers: define"),  # a request that names nothing is no split
    ],
)
def test_the_question_a_text_ends_with(text: str, asked: str) -> None:
    assert final_question(text) == asked


def test_a_prefix_is_joined_to_its_word_only_where_the_joined_word_is_known() -> None:
    known = {"reforestation", "subclasses"}.__contains__
    assert unhyphened("re-forestation comes under?", known) == "reforestation comes under?"
    assert unhyphened("temperature sub-classes", known) == "temperature subclasses"
    assert unhyphened("non-functional", known) == "non-functional"  # no such joined word
    both = {"multicolored", "multi"}.__contains__  # the prefix is a word of the graph
    assert unhyphened("multi-colored patterns", both) == "multi-colored patterns"


def test_a_word_that_asks_is_joined_even_where_its_prefix_is_a_word_of_the_graph() -> None:
    graph = {"sub", "subtypes"}.__contains__  # "sub-headings" put "sub" in the graph
    asks = {"subtypes"}.__contains__
    assert unhyphened("how many sub-types", graph, asks) == "how many subtypes"
    assert unhyphened("how many sub-types", graph) == "how many sub-types"
    # given the graph's names, a prefix that is a word of the graph joins too, unless the
    # hyphened words are a name ("eco-tourism" is ecotourism; "multi-colored" is a label)
    known = {"eco", "ecotourism", "multi", "multicolored"}.__contains__
    named = {("multi", "colored")}.__contains__
    assert unhyphened("what is eco-tourism", known, named=lambda a, b: named((a, b))) == (
        "what is ecotourism")
    assert unhyphened("multi-colored", known, named=lambda a, b: named((a, b))) == (
        "multi-colored")


def test_two_words_typed_without_a_space_are_split_where_they_make_a_name() -> None:
    words = {"deep", "learning", "ai", "generative"}.__contains__
    named = {("deep", "learning"), ("generative", "ai")}

    def names(a: str, b: str) -> bool:
        return (a, b) in named

    assert unfused("what is deeplearning", words, names) == "what is deep learning"
    assert unfused("generativeai?", words, names) == "generative ai?"
    assert unfused("learningdeep", words, names) == "learningdeep"  # no such name
    # two words that are one name, typed apart
    one = {"ecotourism"}.__contains__
    assert unfused("is the eco tourism rising", words, names, one) == "is the ecotourism rising"
    assert unfused("deep learning", words, names, {"deeplearning"}.__contains__) == (
        "deep learning")  # the two are a name themselves


def test_a_value_asked_for_a_time_relative_to_today_is_refused() -> None:
    assert "next year" in refusal_of("what will inflation be next year?",
                                     detect_intent("what will inflation be next year?"))
    assert refusal_of("what is the current account?",
                      detect_intent("what is the current account?")) == ""
    assert "on sunday" in refusal_of("will it snow in Zurich on Sunday?",
                                     detect_intent("will it snow in Zurich on Sunday?"))
    assert refusal_of("what is a sunday school?", detect_intent("what is a sunday school?")) == ""
    # a date in a clause about the asker is the asker's, not a value asked
    told_date = "river deltas, short explanation please, my exam is tomorrow"
    assert refusal_of(told_date, detect_intent(told_date)) == ""
    # "today" asks a value where it ends the question, not where it tells of the asker
    assert "today" in refusal_of("the euro to dollar rate today?",
                                 detect_intent("the euro to dollar rate today?"))
    told = "we learned about volcanoes today where do they sit"
    assert refusal_of(told, detect_intent(told)) == ""


@pytest.mark.parametrize(
    ("spoken", "typed"),
    [
        ("what um what is a savings bank", "what is a savings bank"),
        ("okay so like what does it say about inflation", "what does it say about inflation"),
        ("so is beer a type of drink or not", "is beer a type of drink or not"),
        ("Uh, how many kinds of tax are there?", "how many kinds of tax are there?"),
        ("the the kinds of tax", "the kinds of tax"),
        # words that only look like hesitations or openers stay
        ("umbrella terms of tax", "umbrella terms of tax"),
        ("Is Hummer a car", "Is Hummer a car"),
    ],
)
def test_a_spoken_question_loses_its_hesitations_openers_and_restarts(
        spoken: str, typed: str) -> None:
    assert clean_question(spoken) == typed


def test_a_question_said_in_one_breath_starts_at_its_last_wh_word() -> None:
    assert final_question("mom says acid rain is bad what is it") == (
        "mom says acid rain is bad. what is it?")
    assert final_question("we learned about volcanoes today where do they sit") == (
        "we learned about volcanoes today. where do they sit?")
    # a wh-word asked in its place, a question that starts asking, or one marked into
    # clauses is left as it is
    assert final_question("pink is a shade of which colour?") == (
        "pink is a shade of which colour?")
    assert final_question("scaly is what kind of quality") == "scaly is what kind of quality"
    assert final_question("what is the thing that eats what") == "what is the thing that eats what"
    assert final_question("X, which are its parents") == "X, which are its parents"


def test_a_typo_of_a_graph_word_is_written_as_that_word_unless_the_word_asks() -> None:
    fix = {"hybird": "hybrid", "contrast": "contract"}.get
    def repair(w: str) -> str:
        return fix(w) or w
    assert repaired("how do shops use hybird AI?", repair, lambda w: False) == (
        "how do shops use hybrid AI?")
    assert repaired("contrast X with Y", repair, lambda w: w == "contrast") == "contrast X with Y"


def test_words_in_brackets_are_an_aside() -> None:
    assert aside_words("define river delta pls (exam in 2 hrs)") == {"exam", "in", "2", "hrs"}
    assert aside_words("what is a river delta?") == set()


def test_a_short_note_on_the_asker_names_no_topic() -> None:
    asked = "which weather phenomena does the thesaurus list?"
    assert of_the_asker(f"For my weather club: {asked}", asked)
    assert not of_the_asker(f"For my essay on deserts: {asked}", asked)  # it names a topic
    assert not of_the_asker(f"The weather club: {asked}", asked)  # no asker told of
    assert of_the_asker(f"For the club newsletter: {asked}", asked)  # what it is for


def test_a_command_after_what_the_answer_is_for_is_the_question() -> None:
    said = "For a farm-support policy: distinguish manure from compost."
    assert final_question(said) == "distinguish manure from compost."
    assert of_the_asker(said, final_question(said))
    assert final_question("Manure: distinguish it from compost.") == (
        "Manure: distinguish it from compost.")  # a name before the colon is the topic


def test_how_the_answer_should_be_given_is_no_part_of_the_question() -> None:
    said = "How many kinds of waste are there? Just the number for my chart."
    assert final_question(said) == "How many kinds of waste are there?"


def test_one_arrow_from_a_term_to_another_goes_from_one_to_the_other() -> None:
    steps = {"opposite", "parents", "related"}.__contains__
    assert arrowed("tram -> bus, what lies between?", steps) == "tram to bus, what lies between?"
    assert arrowed("tram \u2192 bus", steps) == "tram to bus"
    # the steps of a chain are left to the chain's reading
    assert arrowed("tram -> opposite -> parents", steps) == "tram -> opposite -> parents"
    assert arrowed("tram's kinds -> their related terms", steps) == (
        "tram's kinds -> their related terms")


def test_a_task_of_writing_or_converting_is_no_question_for_the_graph() -> None:
    for said in ("Kindly draft me a cover letter for a banking internship.",
                 "convert 100 euros to US dollars", "Could you compose a poem about rivers?",
                 "Write a short poem about rain.", "Please write an essay on deltas"):
        assert "does not write, convert" in refusal_of(said, detect_intent(said))
    for said in ("what does a converter do?", "Write the definition of a river",
                 "write down the broader terms of delta"):
        assert refusal_of(said, detect_intent(said)) == ""


def test_arithmetic_is_no_question_for_the_graph() -> None:
    for said in ("What is 17 times 23?", "What is the square root of 144?", "12 * 4 = ?"):
        assert "calculate" in refusal_of(said, detect_intent(said))
    said = "what is the 3D shape of a cone?"
    assert refusal_of(said, detect_intent(said)) == ""


def test_a_setting_said_first_is_told_apart_from_what_it_asks() -> None:
    assert set_in("In hydrology, what is a river?", "what is a river?") == "In hydrology"
    assert set_in("Homework for Year 8: define a delta", "define a delta") == (
        "Homework for Year 8")
    # words about the asker are no setting; nor is a question of its own after a colon
    assert set_in("I teach biology. What is a river?", "What is a river?") == ""
    assert set_in("For a slide: what is a river?", "what is a river?") == ""


def test_a_date_the_answer_is_for_is_no_value_asked() -> None:
    for text in ("For tomorrow's episode I need the gist of rivers.",
                 "For next week, what is a delta?"):
        assert refusal_of(text, detect_intent(text)) == ""
    asked = "what is tomorrow's river level?"
    assert "tomorrow" in refusal_of(asked, detect_intent(asked))


def test_how_the_answer_should_be_laid_out_is_no_part_of_the_question() -> None:
    assert unlaid("list the kinds of river, comma separated") == "list the kinds of river"
    assert unlaid("narrower terms of river (one per line)") == "narrower terms of river"
    assert unlaid("river synonyms as a bulleted list please.") == "river synonyms."
    # how long it should be, too
    assert unlaid("What is a river, in short?") == "What is a river?"
    assert unlaid("define a delta in a line or two.") == "define a delta."
    # the words are what is asked about, or all there is
    for text in ("what is CSV?", "what is in a table?", "river, alphabetical order"):
        assert unlaid(text) == text


def test_a_request_put_politely_is_the_request() -> None:
    assert clean_question("Would you mind listing the kinds of river?") == (
        "list the kinds of river?")
    assert clean_question("could you mind giving me a synonym of brook") == (
        "give me a synonym of brook")
    assert clean_question("Do you mind if I ask what a river is?") == (
        "Do you mind if I ask what a river is?")
