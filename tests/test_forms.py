"""The question reader: the asked form read by meaning from the lexicon's phrasings.

The questions below are phrasings the lexicon does not hold (a test checks it), so they show
that the reading generalises rather than matches; the model is the real MiniLM.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kg.qa.embeddings import get_encoder
from kg.qa.forms import FormReader, _clause_masked, lexicon, load_model, model_path, train
from kg.qa.text import tokens


@pytest.fixture(scope="module")
def reader() -> FormReader:
    encoder = get_encoder()
    return FormReader(encoder.encode)


# (question with the topic written X / Y, the form a person means)
UNSEEN = [
    ("Could you list the concepts one level below X?", "narrower"),
    ("which narrower subjects are filed beneath X", "narrower"),
    ("give me the subordinate terms of X", "narrower"),
    ("Which descriptors come directly under X?", "narrower"),
    ("By what other names is X known?", "names"),
    ("what else is X referred to as", "names"),
    ("How many narrower terms are recorded beneath X?", "count_narrower"),
    ("Which headings is X listed beneath?", "broader"),
    ("what wider subject does X come under", "broader"),
    ("What is X called in German?", "language_label"),
    ("French label of X", "language_label"),
    ("How many synonyms are listed for X?", "count_names"),
    ("How do X and Y differ?", "comparison"),
    ("Would you say X is a sort of Y?", "kind_check"),
]


def _spans(question: str) -> list[tuple[int, int]]:
    words = tokens(question)
    return [(k, k + 1) for k, w in enumerate(words) if w in ("x", "y")]


def test_the_test_phrasings_are_not_in_the_lexicon():
    held = {" ".join(tokens(p)) for ps in lexicon().phrasings.values() for p in ps}
    for question, _ in UNSEEN:
        assert " ".join(tokens(question)) not in held, question


@pytest.mark.parametrize(("question", "form"), UNSEEN)
def test_unseen_phrasings_read_as_the_form_a_person_means(reader, question, form):
    reading = reader.read(question, _spans(question))
    assert reading.form == form, (question, reading.scores)


@pytest.mark.parametrize("question", ["Under which concepts does X appear?",
                                      "What is X filed beneath?", "X sits under what?"])
def test_an_unsure_reading_never_takes_the_opposite_direction(reader, question):
    # up and down the hierarchy read alike to an embedding: unsure is allowed (the ranked
    # facts answer then), the narrower terms for a parent question are not
    assert reader.read(question, _spans(question)).form in ("broader", "")


@pytest.mark.parametrize(("masked", "way"), [
    ("which wider heading covers X", "broader"),  # a containing verb before X
    ("list the categories that contain X", "broader"),
    ("what is above X", "broader"),
    ("X sits under what", "broader"),  # "under" after X
    ("X covers which topics", "narrower"),  # a containing verb after X
    ("what is under X", "narrower"),
    ("the lower levels of X", "narrower"),
    ("X which specific terms are filed below", "narrower"),  # "below" said last
    ("X which countries are below it", "narrower"),  # ... or of X again
    ("list all the concepts X sits under", "broader"),  # X placed under them, said last
    ("the headings X is filed under", "broader"),
    ("what is X", ""),  # no way at all
    ("X parent and children", ""),  # both ways
])
def test_the_words_of_a_question_point_up_or_down(masked: str, way: str) -> None:
    assert lexicon().pointing(masked) == way


def test_a_reading_torn_between_up_and_down_goes_the_way_its_words_point(reader):
    question = "which wider heading covers X"
    reading = reader.read(question, _spans(question))
    assert reading.form == "broader", reading.scores
    assert set(list(reading.scores)[:2]) == {"broader", "narrower"}  # it was torn
    # ... but not where other words are left unaccounted for: unsure, as before
    question = "for the curation manual the complete list of superclasses of X"
    reading = reader.read(question, _spans(question))
    assert set(list(reading.scores)[:2]) == {"broader", "narrower"} and reading.form == ""


def test_a_question_about_something_else_is_not_read_as_a_structural_form(reader):
    # "how many employees does X have" is close to "how many children does X have" in
    # meaning, but its counted noun is nothing the hierarchy holds
    reading = reader.read("how many employees does X have", [(4, 5)])
    assert reading.form == "" or reading.unclaimed == ["employees"]


def test_a_language_named_in_the_question_is_a_constraint_not_a_topic(reader):
    masked, lang = reader.mask("what is the Spanish name of acid rain", [(6, 8)])
    assert lang == "es"
    assert masked == "what is the L name of X"


def test_asking_words_alone_never_name_a_topic():
    lex = lexicon()
    assert lex.asks_only(["parents"])
    assert lex.asks_only(["narrower", "concepts"])
    assert not lex.asks_only(["general", "ai"])
    assert not lex.asks_only(["inflation"])


def test_the_shipped_classifier_was_trained_on_the_shipped_lexicon():
    # fails when a phrasing is added without `python scripts/train_forms.py`
    assert load_model(model_path("en"), lexicon().digest) is not None


def test_training_is_deterministic_and_fits_its_phrasings():
    encoder = get_encoder()
    lex = lexicon()
    small = replace(lex, phrasings={f: lex.phrasings[f][:4] for f in ("names", "broader")})
    a = train(small, encoder.encode, steps=50)
    b = train(small, encoder.encode, steps=50)
    assert np.array_equal(a.weights, b.weights)
    shipped = load_model(model_path("en"), lex.digest)
    assert shipped is not None
    texts = [p for f in shipped.forms for p in lex.phrasings[f]]
    vectors = encoder.encode(texts)
    right = sum(shipped.forms[int(np.argmax(shipped.probabilities(v, t)))] == f
                for v, t, f in zip(vectors, texts,
                                   [f for f in shipped.forms for _ in lex.phrasings[f]],
                                   strict=True))
    assert right / len(texts) > 0.95


def test_the_words_naming_the_graph_itself_are_grammar() -> None:
    from kg.qa.forms import lexicon, with_graph_names

    labels = {f"http://example.org/thesaurus/descriptor/{n}": f"Term {n}" for n in range(8)}
    labels["http://example.org/thesaurus/category/A"] = "Category A"
    labels["http://other.net/x"] = "Other"
    labels["http://example.org/thesaurus/descriptor/car"] = "Car (thesaurus example)"
    lex = with_graph_names(lexicon(), labels)
    added = lex.grammar - lexicon().grammar
    # words of a label are no name of the graph, nor are words of few IRIs
    assert "descriptor" in added and not {"example", "category", "other", "car"} & added
    assert lex.digest == lexicon().digest  # the shipped classifier still fits


def test_shorthand_is_written_out_as_whole_words_only() -> None:
    lex = lexicon("en")
    assert lex.written_out("whats the diff btwn X and Y") == "whats the difference between X and Y"
    assert lex.written_out("Diff of R&D and pls-free text") == "difference of R&D and pls-free text"


def test_the_names_of_skos_properties_are_written_out_as_words() -> None:
    lex = lexicon("en")
    assert lex.written_out("altLabels of X") == "alternative labels of X"
    assert " ".join(lex.written_out("skos:prefLabel of X").split()) == "preferred label of X"


def test_the_last_clause_is_read_with_the_word_that_refers_back_as_the_topic() -> None:
    question = "If I'm learning Keras, what is listed alongside it?"
    assert _clause_masked(question, [(3, 4)]) == ("what is listed alongside X", 4)
    assert _clause_masked("Keras; who makes them", [(0, 1)])[0] == "who makes X"
    assert _clause_masked("Keras \u2014 who makes them", [(0, 1)])[0] == "who makes X"
    # a name in the clause is the kind asked for
    assert _clause_masked("I study rust; what other metals sit next to it", [(2, 3), (5, 6)])[
        0] == "what other Y sit next to X"
    # no topic before the clause, no clause, or nothing referring back: no reading
    assert _clause_masked("what is listed alongside Keras", [(4, 5)]) == ("", -1)
    assert _clause_masked("I use Keras, what is listed", [(2, 3)]) == ("", -1)
    assert _clause_masked("what makes up Keras? all of it", [(3, 4)]) == ("", -1)


def test_languages_joined_to_the_first_are_asked_too() -> None:
    lex = lexicon("en")
    assert lex.languages_in("the german and french labels of x".split()) == [("de", 1), ("fr", 3)]
    # a language said apart from the first is not one asked with it
    assert lex.languages_in("the german and x in french".split()) == [("de", 1)]
    # "a German colleague" describes someone: the language asked is said after
    assert lex.languages_in("a german colleague asks x in french".split()) == [("fr", 6)]
    assert lex.languages_in("a german term for x".split()) == [("de", 1)]
    # the asker's own language is none asked
    assert lex.languages_in("explain x simply i am no native english speaker".split()) == []
    assert lex.languages_in("my german is poor what is x".split()) == []
    # a tag said first before a word that asks for a label, a language's own name
    assert lex.languages_in("fr label x".split()) == [("fr", 0)]
    assert lex.languages_in("es x".split()) == []
    assert lex.languages_in("x de label".split()) == [("de", 1)]
    assert lex.written_out("es: x") == "x, es"
    assert lex.languages_in("x in castellano".split()) == [("es", 2)]


def test_a_slip_in_a_word_that_asks_is_respelled_and_other_words_are_not() -> None:
    lex = lexicon("en")
    assert lex.respelled("synonims of wages", set()) == "synonyms of wages"
    assert lex.respelled("synonims of wages", {"synonim"}) == "synonims of wages"  # the graph's
    # a word that asks nothing is left as typed, however like one that asks
    assert lex.respelled("who founded the country", set()) == "who founded the country"
    assert lex.respelled("the director of x", set()) == "the director of x"  # made from "direct"
    # a short word is respelled only where two letters are swapped
    assert lex.respelled("wages, also knwon as", set()) == "wages, also known as"
    assert lex.respelled("wages, also knon as", set()) == "wages, also knon as"
    # ... or where one letter inside a word that asks is left out
    assert lex.respelled("numbr of trends", set()) == "number of trends"
    assert lex.respelled("how do i file my return", set()) == "how do i file my return"


def test_a_question_after_context_that_names_its_topic_is_read_alone(reader: FormReader) -> None:
    # "I write to a French pen pal about stars; what is the French word?": the topic is
    # named before, the form is read from the question with the topic after it
    read = reader.read_alone("what is the French word?", ["stars"], (8, 9))
    assert read.form == "language_label" and read.lang == "fr"
    assert read.spans == [(8, 9)] and read.clause
    # a word referring back stands for the topic: "what are they?" asks what stars are
    read = reader.read_alone("What are they?", ["stars"], (3, 4))
    assert read.masked == "what are X" and read.form == "definition"


def test_a_clause_pointing_back_at_what_was_asked_before_reads_the_words_before(
        reader: FormReader) -> None:
    # "they" takes up "two parents": the words before the clause say what is asked
    read = reader.read("warty has two parents; which are they?", [(0, 1)])
    assert read.form == "broader" and read.spans == [(0, 1)]
    # "it" is the topic: the clause asks of it on its own
    read = reader.read("I heard about warty today, can you tell me what it is?", [(3, 4)])
    assert read.form == "definition"
    # words before that ask nothing of their own ("mentions"): the clause asks, of the topic
    read = reader.read("the article mentions tax havens - what are they", [(3, 5)])
    assert read.form == "definition"


def test_a_bidding_clause_after_a_tag_question_asks_of_the_sentence_subject(
        reader: FormReader) -> None:
    question = "Steel is both an alloy and something else, isn't it? Give me all its broader terms."
    read = reader.read(question, [(0, 1), (4, 5)])
    assert read.form == "broader" and read.spans == [(0, 1)]


def test_set_notation_is_said_in_words() -> None:
    lex = lexicon("en")
    assert lex.written_out("acid rain \u2282 pollution?").split() == (
        "acid rain is a kind of pollution?".split())
    assert lex.written_out("tax: # of narrower terms").split() == (
        "tax: number of narrower terms".split())
    assert "C# of" in lex.written_out("C# of what")  # a name's own sign is left as typed
    assert lex.written_out("tram = ?").split() == "tram ?".split()  # the term alone, asked


def test_the_words_naming_the_graph_itself_are_left_out_of_the_masked_question() -> None:
    lex = replace(lexicon("en"), own=frozenset({"stw"}))
    reader = FormReader(get_encoder().encode, lex)
    assert reader.mask("examples of chemicals in the STW", [(2, 3)])[0] == "examples of X"


def test_a_prefix_typed_apart_from_its_word_is_joined_where_the_whole_asks() -> None:
    lex = lexicon("en")
    assert lex.written_out("computer vision has what sub topics") == (
        "computer vision has what subtopics")
    assert lex.written_out("a super market") == "a super market"  # no word that asks
