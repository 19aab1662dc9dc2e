"""Questions in two steps (kg.qa.resume): the first clause asked alone, the second asked of
what its answer reached, the answer leading with the second."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.qa.resume import TwoSteps, two_steps
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        ("Bard comes from one company; which other things does that firm develop?",
         "Bard comes from which company?", "which other things does {} develop?"),
        ("I know game playing uses some learning method - what else does it do?",
         "game playing uses which learning method?", "what else does {} do?"),
        ("ecotourism belongs under something. What is related to that?",
         "ecotourism belongs under what?", "What is related to {}?"),
        ("Find the maker of Fusion 360, then tell me what technology they use.",
         "what is the maker of Fusion 360?", "tell me what technology {} use?"),
        ("acid rain's parent, then the other narrower terms of that parent?",
         "what is acid rain's parent?", "the other narrower terms of {}?"),
        ("Take the parent of bog and list its other members.",
         "what is the parent of bog?", "list {}'s other members?"),
        ("Find what microinsurance is under, then everything related to those.",
         "what microinsurance is under?", "everything related to {}?"),
        ("ChatGPT is a kind of model; how does that kind of model learn?",
         "ChatGPT is a kind of which model?", "how does {} learn?"),
        # the thing said again by its noun ("an opposite ... the opposite")
        ("wet has an opposite; where does the opposite sit?",
         "wet has which opposite?", "where does {} sit?"),
        # "some kind of" with no "is" before it is an indefinite: which kind, asked
        ("Trams are a weakness of some kind of city; which roads does that kind of city use?",
         "Trams are a weakness of which kind of city?", "which roads does {} use?"),
        ("microsoft makes something - what's that thing used for?",
         "microsoft makes what?", "what's {} used for?"),
        # a clause naming the one it speaks of by what it does, or a plural by a clause or
        # a preposition: which ones, asked first
        ("Whoever makes Fusion 360 — what does that company use?",
         "who makes Fusion 360?", "what does {} use?"),
        ("the companies that offer cloud ai services, which categories are they filed in",
         "which companies offer cloud ai services?", "which categories are {} filed in?"),
        ("The models under LLMs — what are they examples of?",
         "which models are under LLMs?", "what are {} examples of?"),
    ],
)
def test_a_statement_then_a_question_referring_back_is_two_steps(
        question: str, first: str, second: str) -> None:
    assert two_steps(question) == TwoSteps(first, second)


@pytest.mark.parametrize(
    "question",
    [
        "what is the opposite of hard, and what are its parents?",  # "its" may be hard's
        "Plagiarism is one problem; which problems sit next to it?",  # "it" is plagiarism
        "I'm writing a report; what is it about?",  # the first clause tells of the asker
        "which terms fall under tea?",  # one clause
        "what are the drinks that fall under tea?",  # "that" opens a relative clause
        "StyleGAN is a GAN; GANs in turn are filed under what?",  # nothing refers back
    ],
)
def test_other_questions_are_one_step(question: str) -> None:
    assert two_steps(question) is None


def test_a_phrase_of_a_name_as_the_subject_is_asked_first() -> None:
    def names(words: list[str]) -> bool:
        return [w.lower() for w in words] in (["bard"], ["nvidia"], ["dark", "red"])

    assert two_steps("what else does the maker of Bard develop?", names) == TwoSteps(
        "what is the maker of Bard?", "what else does {} develop?")
    assert two_steps("which categories does nvidia's product fall under?", names) == TwoSteps(
        "what is nvidia's product?", "which categories does {} fall under?")
    # no name in the phrase, or the phrase is all that is asked: one step
    assert two_steps("what else does the maker of zebras develop?", names) is None
    assert two_steps("what is the parent of dark red's parent?", names) is None
    # a noun of an agent's role asks who stands in it, by any verb
    agents = {"maker", "creator"}
    assert two_steps("what else does the maker of Bard develop?", names, agents) == TwoSteps(
        "who makes Bard?", "what else does {} develop?")
    assert two_steps("what does the creator of Bard use?", names, agents).first == (
        "who creates Bard?")
    # the phrase said first, the question after it
    assert two_steps("the maker of Bard uses what", names, agents) == TwoSteps(
        "who makes Bard?", "what does {} use?")
    # a possessive phrase said first asks the role too; "own" adds nothing to a possessive
    assert two_steps("Bard's maker — what else do they develop?", names, agents) == TwoSteps(
        "who makes Bard?", "what else do {} develop?")
    assert two_steps("what does nvidia's own product use", names) == TwoSteps(
        "what is nvidia's product?", "what does {} use?")


@pytest.fixture(scope="module")
def drinks(session_cache: Path):
    return Workspace(Settings(graph_paths=(DATA / "qa_chains.ttl",),
                              cache_dir=session_cache)).engine


def test_the_second_step_is_asked_of_what_the_first_reached(drinks) -> None:
    answer = drinks.ask("green tea sits under some drink; what is related to that drink?")
    assert not answer.abstained
    lines = answer.text.split("\n")
    assert "teapot" in lines[0].lower()  # the related term of tea, said first
    assert any("green tea" in line.lower() and "tea" in line.lower() for line in lines[1:])
    assert answer.chain == ["tea"]


def test_a_phrase_then_a_question_on_it(drinks) -> None:
    answer = drinks.ask("Find the parent of espresso, then list its narrower terms.")
    first = answer.text.split("\n")[0].lower()
    assert "filter coffee" in first and "espresso" in first


def test_a_first_step_the_graph_cannot_answer_leaves_the_question_whole(drinks) -> None:
    answer = drinks.ask("a zebra sits under some animal; what is related to that animal?")
    assert answer.abstained  # nothing is reached, so nothing is asked of it
    assert answer.chain == []


def test_a_first_step_that_already_says_the_second_is_said_once(engine) -> None:
    # "what is Spotify's product?" is answered by a chain through it, whose sentence holds
    # what the product uses: that sentence leads, and its link is not said again
    answer = engine.ask("what does spotify's own product use")
    lines = [line.lower() for line in answer.text.split("\n")]
    assert "discover weekly" in lines[0] and "deep learning" in lines[0]
    assert sum("discover weekly" in line and "deep learning" in line for line in lines) == 1


def test_an_answer_read_as_one_chain_through_what_was_reached_is_kept(drinks) -> None:
    # the whole question read as one chain names the other drinks under tea: it stays
    answer = drinks.ask("black tea sits under some drink; which other drinks sit under it?")
    assert "green tea" in answer.text.split("\n")[0].lower()
