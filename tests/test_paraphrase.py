"""A supporting sentence that says an earlier one again in other words is left out.

Word overlap cannot see it ("420 kilometres on one charge" / "four hundred kilometres between
two visits to a plug"); the vectors the index already holds for each fact's node can. The
fixture tells one range twice (a figure and a claim) beside facts that say other things.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import compose, says_again
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"
V = "http://example.org/vehicles/"
FIGURE, CLAIM = V + "hasFigure", V + "hasClaim"
SENTENCE = {
    "RangeFigure": "A typical electric car drives 420 kilometres on one charge.",
    "ChargeFigure": "A fast charger fills an electric car's battery to 80 percent in half an hour.",
    "RangeClaim": "Owners can go roughly four hundred kilometres between two visits to a plug.",
    "NoiseClaim": "Electric cars make almost no engine noise in city traffic.",
}


@pytest.fixture(scope="module")
def engine(session_cache: Path):
    settings = Settings(graph_paths=(DATA / "qa_paraphrase.ttl",), cache_dir=session_cache)
    return Workspace(settings).engine


def fact(node: str, predicate: str, score: float) -> Fact:
    return Fact(subject=V + "ElectricCar", predicate=predicate, object=V + node,
                sentence=SENTENCE[node], score=score, kind="data", sources=[V + "Manual"],
                source_labels=["Manual"], nodes=(V + "ElectricCar", V + node))


@pytest.mark.parametrize(
    ("lead", "support", "spoken"),
    [
        # the claim restates the figure in other words: left out
        (("RangeFigure", FIGURE), [("RangeClaim", CLAIM), ("NoiseClaim", CLAIM)],
         ["RangeFigure", "NoiseClaim"]),
        # ... whichever of the two comes first
        (("RangeClaim", CLAIM), [("RangeFigure", FIGURE), ("ChargeFigure", FIGURE)],
         ["RangeClaim", "ChargeFigure"]),
        # facts on one subject that say different things are all kept
        (("RangeFigure", FIGURE), [("ChargeFigure", FIGURE), ("NoiseClaim", CLAIM)],
         ["RangeFigure", "ChargeFigure", "NoiseClaim"]),
        # facts brought in by one predicate share a template: never judged by their vectors
        (("RangeFigure", CLAIM), [("RangeClaim", CLAIM)], ["RangeFigure", "RangeClaim"]),
    ],
)
def test_paraphrase_is_dropped(engine, lead, support, spoken) -> None:
    first = fact(*lead, score=W.LEAD)
    rest = [fact(n, p, 0.9 - 0.01 * i) for i, (n, p) in enumerate(support)]
    out = compose([first], rest, quiet=set(), meaning=engine.meaning)
    assert [f.object.removeprefix(V) for f in out.spoken] == spoken


def test_word_overlap_alone_misses_it() -> None:
    """Why vectors are needed: the two range sentences share almost no words."""
    assert not says_again(SENTENCE["RangeClaim"], [SENTENCE["RangeFigure"]])


def test_without_vectors_both_are_spoken() -> None:
    out = compose([fact("RangeFigure", FIGURE, W.LEAD)], [fact("RangeClaim", CLAIM, 0.9)],
                  quiet=set())
    assert len(out.spoken) == 2


def test_engine_answer_says_the_range_once(engine) -> None:
    answer = engine.ask("how far does an electric car drive on one charge?")
    assert not answer.abstained
    assert "420 kilometres" in answer.text
    assert SENTENCE["RangeClaim"] not in answer.text
    held = {f.object.removeprefix(V) for f in answer.facts}
    assert "RangeClaim" in held  # still among the supporting facts, just not spoken
