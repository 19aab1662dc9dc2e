"""The judge of repeats (kg.qa.scoring) reads the answer text by rules of its own, so it counts
repeats the composer (kg.qa.compose) lets through: the two share no code and no word list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kg.qa.answer import Fact
from kg.qa.compose import compose
from kg.qa.scoring import precision_metrics, repeated_pairs, sentences

ROOT = Path(__file__).resolve().parents[1]
X = "https://example.org/"


def _judge_repeats(text: str) -> float:
    """The repeats figure the judge gives one answer to one answerable question."""
    question = {"id": "q", "question": "?", "gold_facts": [{"keywords": [["llm"]]}]}
    return precision_metrics([question], [{"id": "q", "answer": text, "abstained": False}])[
        "repeats"]


def test_the_judge_counts_one_fact_from_two_triples_that_the_composer_speaks_twice() -> None:
    # One fact held twice in the graph: as two edges (grouped into one sentence) and as a
    # claim node. The facts' triples differ and their words overlap too little for the
    # composer's own rule, so it speaks both; a reader hears the training order twice.
    edges = [Fact(subject=X + "LLM", predicate=X + "learnsBy", object=X + o, sentence="",
                  kind="relation", nodes=(X + "LLM", X + o)) for o in ("RLHF", "Supervised")]
    grouped = Fact(subject=X + "LLM", predicate=X + "learnsBy", object=X + "RLHF",
                   sentence="Large Language Models learn by Reinforcement Learning from Human "
                            "Feedback and Supervised Learning.",
                   score=1.0, kind="group", parts=edges, sources=[X + "s1"],
                   source_labels=["Section 1"], nodes=(X + "LLM", X + "RLHF", X + "Supervised"))
    claim = Fact(subject=X + "LLM", predicate=X + "hasClaim", object=X + "Claim1",
                 sentence="LLMs are first trained with supervised learning and then refined "
                          "with reinforcement learning from human feedback.",
                 score=0.9, kind="data", sources=[X + "s2"], source_labels=["Section 2"],
                 nodes=(X + "LLM", X + "Claim1", X + "RLHF", X + "Supervised"))
    out = compose([grouped], [claim], quiet=set())
    assert [f.sentence for f in out.spoken] == [grouped.sentence, claim.sentence]
    assert _judge_repeats(out.text) == 1.0


def test_the_judge_counts_a_table_cell_that_restates_a_claim() -> None:
    cell = Fact(subject=X + "DL", predicate=X + "hasTableCell", object=X + "Cell1",
                sentence="In the table 'Deep learning vs generative AI', the best for given "
                         "for Deep Learning is: Fraud detection, diagnostics.",
                score=1.0, kind="data", nodes=(X + "DL", X + "Cell1"))
    claim = Fact(subject=X + "DL", predicate=X + "hasClaim", object=X + "Claim2",
                 sentence="Deep learning predicts outcomes, for example diagnosing diseases from "
                          "medical scans or detecting fraud in transactions; generative AI "
                          "makes original content.",
                 score=0.9, kind="data", nodes=(X + "DL", X + "Claim2"))
    out = compose([cell], [claim], quiet=set())
    assert len(out.spoken) == 2
    assert _judge_repeats(out.text) == 1.0


def test_an_answer_whose_sentences_say_different_things_has_no_repeat() -> None:
    text = ("Keras is a deep learning framework with a user-friendly API. [1]\n"
            "Banks detect fraud in real time. [2]\nSources: [1] A; [2] B")
    assert _judge_repeats(text) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "repeat"),
    [
        # the shorter sentence's words are in the other, inflected otherwise
        ("Netflix personalises recommendations for its subscribers.",
         "Netflix recommends personalised content to its subscribers.", True),
        # the same figure, written two ways, about the same words
        ("Spotify raised engagement by 35 percent.", "Engagement on Spotify grew 35%.", True),
        ("Generative AI pays back in 6 to 9 months.",
         "The payback of generative AI is 6-9 months.", True),
        # "general" and "generative" are two words, not one
        ("Generative models count as narrow AI.", "General AI contrasts with Narrow AI.", False),
        # a shared name and a shared year do not make one fact
        ("GPT-4 was released by OpenAI in 2023.", "Gemini was released by Google in 2023.",
         False),
        ("Bicycle is powered by Human Power; Car is powered by Combustion Engine.",
         "Bicycle and Car are both kinds of Vehicle.", False),
    ],
)
def test_two_sentences_say_one_thing(a: str, b: str, repeat: bool) -> None:
    assert bool(repeated_pairs([a, b])) is repeat


@pytest.mark.parametrize(
    ("body", "count"),
    [
        ("Keras is a framework. It runs on Python.", 2),
        ("Frameworks, e.g. Keras, run on Python. They are popular.", 2),
        ("See the work of J. Smith on layers.", 1),
        ("Costs fell 3.5% in 2024. Margins rose.\nA second line", 3),
        ("What is AI? Machines that learn!", 2),
    ],
)
def test_sentences_are_counted_as_a_reader_counts_them(body: str, count: int) -> None:
    assert len(sentences(body)) == count


def test_the_judge_imports_nothing_from_the_engine() -> None:
    """Independence by construction: the scorer reads text with code and words of its own."""
    tree = ast.parse((ROOT / "kg" / "qa" / "scoring.py").read_text("utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {m for m in imported if m == "kg" or m.startswith("kg.")}
    composer = ast.parse((ROOT / "kg" / "qa" / "compose.py").read_text("utf-8"))
    assert not any(isinstance(n, ast.ImportFrom) and "scoring" in (n.module or "")
                   for n in ast.walk(composer))
