"""Answer quality on the project's own question sets, scored by the project's own scorer.

These run in every clone (the sets live in eval/, the scorer in kg.qa.scoring): the answers
must lead with what was asked, say each fact once, stay short, keep their facts, abstain
exactly where the graph lacks the answer, and never speak a modelling note. The shared
development set is added when it sits beside the checkout.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from kg.qa.evaluate import graph_aliases
from kg.qa.scoring import precision_metrics, score_metrics

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "own": ROOT / "eval" / "own_qa.jsonl",
    "heldout": ROOT / "eval" / "heldout_qa.jsonl",
    "dev": ROOT.parent / "shared" / "eval" / "dev_qa.jsonl",
}


# The first sentence holds a gold fact: the target on the development sets; the held-out set,
# whose questions no one tuned the lead for, keeps a lower floor against regressions.
LEAD_FLOOR = {"own": 0.9, "dev": 0.9, "heldout": 0.75}
# Answers holding two sentences that say one thing, as the scorer's own judge reads them. The
# judge shares no rule with the composer, so this counts what the composer lets through (a
# bare link beside the sentence that explains it, a table cell restating a claim): 0.05-0.09
# on these sets when the judge became independent, 0.115 on the own set once relations asked
# in other words began to lead ("who makes bard": "Bard is developed by Google.", which the
# judge's word-prefix rule pairs with "Bard is used by General Developers."). Dropping the
# claims that restate a spoken link was tried and cost fact recall (0.932 -> 0.905 on dev):
# those claims carry what the link does not. The ceiling holds today's level.
REPEATS_CEILING = 0.12


@pytest.fixture(scope="module")
def answered(engine, builtin_ws):  # noqa: ANN001
    """Every question of every available set, answered once: {set: (questions, predictions)}."""
    out = {}
    for name, path in SETS.items():
        if not path.is_file():
            continue  # the shared dev set is optional; the project's own sets are not
        questions = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        preds = []
        for q in questions:
            a = engine.ask(q["question"])
            preds.append({"id": q["id"], "answer": a.text, "abstained": a.abstained,
                          "entities": [e.label for e in a.entities]})
        out[name] = (questions, preds)
    assert {"own", "heldout"} <= set(out)
    return out


@pytest.mark.parametrize("name", ["own", "heldout", "dev"])
def test_quality_targets(answered, builtin_ws, name: str) -> None:  # noqa: ANN001
    if name not in answered:
        pytest.skip("../shared/eval/dev_qa.jsonl is not beside the checkout")
    questions, preds = answered[name]
    scores = score_metrics(questions, preds, 5, graph_aliases(builtin_ws.view))
    reader = precision_metrics(questions, preds)
    assert scores["declined"] == 0, "an answerable question was declined"
    assert scores["overall"]["abstain_f1"] >= 0.95
    assert scores["overall"]["fact_recall"] >= 0.9
    assert scores["score"] >= 95
    assert reader["precision"] >= 85
    assert reader["median_words"] <= 80
    assert reader["repeats"] <= REPEATS_CEILING
    assert reader["lead"] >= LEAD_FLOOR[name]


def _editorial_notes() -> list[str]:
    g = Graph()
    for ttl in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(ttl, format="turtle")
    return [str(o) for o in g.objects(None, SKOS.editorialNote)]


def test_no_answer_speaks_a_modelling_note(answered) -> None:  # noqa: ANN001
    notes = _editorial_notes()
    assert notes, "the ontology keeps its modelling notes as skos:editorialNote"
    for name in ("own", "dev"):
        for pred in answered.get(name, ((), []))[1]:
            text = pred["answer"].lower()
            for note in notes:
                assert note.lower().rstrip(".") not in text, (pred["id"], note)
            for phrase in ("order-of-magnitude", "the plural implies", "double role",
                           "hierarchy decision", "a different 30%"):
                assert phrase not in text, (pred["id"], phrase)
