"""Run a question set through this engine and two baselines, and score all three.

The baselines answer from the same entity documents: BM25 (lexical) and dense retrieval
(FAISS, no graph walk). Scoring uses the project's own scorer (:mod:`kg.qa.scoring`: recall
side and reader side), or an external ``score.py`` given by path, whose report is then shown
as it prints it; the reader-side precision figures are always added.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from kg.errors import ConfigError, NotFoundError
from kg.qa.documents import build_documents
from kg.qa.scoring import precision_metrics, report, score_metrics, squash
from kg.qa.text import content_tokens

__all__ = ["SYSTEMS", "EvalResult", "graph_aliases", "load_questions", "run_eval"]

SYSTEMS = ("graph", "bm25", "dense")
_DENSE_MIN = 0.36


@dataclass
class EvalResult:
    """Predictions and the scorer's report for one system."""

    system: str
    predictions: list[dict[str, Any]]
    report: str
    metrics: dict[str, Any]


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Read a JSON Lines question file (each line needs ``id`` and ``question``)."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such question file.")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not valid JSON ({exc.msg}).") from None
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("question"),
                                                                          str):
            raise ConfigError(f"{path}:{number}: each line needs an 'id' and a 'question'.")
        items.append(obj)
    return items


def graph_aliases(view) -> Callable[[str], set[str]]:  # noqa: ANN001 - GraphView
    """Entity keys for scoring: a name's squashed form plus every node that has it as a label,
    so an alternative label of the graph counts as the node's name."""
    index: dict[str, set[str]] = {}
    for iri, data in view.nx.nodes(data=True):
        for label in [data.get("label", ""), *data.get("alt_labels", [])]:
            if label:
                index.setdefault(squash(label), set()).add(iri)

    def keys(name: str) -> set[str]:
        key = squash(name)
        return {key} | index.get(key, set())

    return keys


def _load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("kg_eval_scorer", path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{path} is not a Python file.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _bm25_system(view, docs) -> Callable[[str], dict[str, Any]]:
    from rank_bm25 import BM25Okapi

    corpus = [content_tokens(d.text) or ["_"] for d in docs]
    bm25 = BM25Okapi(corpus)

    def answer(question: str) -> dict[str, Any]:
        q = content_tokens(question)
        if not q:
            return {"answer": "", "entities": [], "abstained": True}
        scores = bm25.get_scores(q)
        order = np.argsort(-scores)[:5]
        if scores[order[0]] <= 0:
            return {"answer": "", "entities": [], "abstained": True}
        return _baseline_answer(view, [docs[i].iri for i in order])

    return answer


def _dense_system(view, index, encoder) -> Callable[[str], dict[str, Any]]:
    def answer(question: str) -> dict[str, Any]:
        if not question.strip():
            return {"answer": "", "entities": [], "abstained": True}
        hits = index.search(encoder().encode([question]), 5)[0]
        if not hits or hits[0][1] < _DENSE_MIN:
            return {"answer": "", "entities": [], "abstained": True}
        return _baseline_answer(view, [iri for iri, _ in hits])

    return answer


def _baseline_answer(view, iris: list[str]) -> dict[str, Any]:
    """The top three documents' descriptions as the answer, the top five as entities."""
    text = " ".join(
        f"{view.label(i)}: {view.node(i).get('description', '')}" for i in iris[:3]
    )
    return {"answer": text, "entities": [view.label(i) for i in iris], "abstained": False}


def run_eval(
    workspace,
    questions: list[dict[str, Any]],
    questions_path: Path,
    scorer: Path | None = None,
    systems: Iterable[str] = SYSTEMS,
    progress: Callable[[int, int], None] | None = None,
) -> list[EvalResult]:
    """Answer every question with each system and score the predictions."""
    from kg.qa.embeddings import get_encoder

    module = _load_module(scorer) if scorer is not None else None
    aliases = graph_aliases(workspace.view)
    engine = workspace.engine
    docs = build_documents(workspace.view)
    runners: dict[str, Callable[[str], dict[str, Any]]] = {
        "graph": lambda q: _engine_prediction(engine.ask(q)),
        "bm25": _bm25_system(workspace.view, docs),
        "dense": _dense_system(workspace.view, engine.index, get_encoder),
    }
    wanted = list(systems)
    for name in wanted:
        if name not in runners:
            raise ConfigError(f"unknown system {name!r}; choose from {', '.join(SYSTEMS)}.")
    results = []
    total = len(questions) * len(wanted)
    done = 0
    qa_rows = [q for q in questions]
    for name in wanted:
        preds = []
        for q in questions:
            pred = runners[name](q["question"])
            preds.append({"id": q["id"], **pred})
            done += 1
            if progress:
                progress(done, total)
        if module is None:
            metrics = score_metrics(qa_rows, preds, 5, aliases)
            metrics["precision"] = precision_metrics(qa_rows, preds)
            text = report(metrics)
        else:
            by_id = {p["id"]: p for p in preds}
            rows = [module.score_question(q, by_id.get(q["id"]), 5, False) for q in qa_rows]
            buf = io.StringIO()
            metrics = module.print_report(rows, 5, out=buf)
            metrics["precision"] = precision_metrics(qa_rows, preds)
            p = metrics["precision"]
            text = buf.getvalue() + (f"\nlead {p.get('lead', 0):.3f}  repeats "
                                     f"{p.get('repeats', 0):.3f}  words median "
                                     f"{p.get('median_words', 0):.0f}\nprecision: "
                                     f"{p['precision']:.1f}")
        results.append(EvalResult(name, preds, text, metrics))
    return results


def _engine_prediction(answer) -> dict[str, Any]:
    return {
        "answer": answer.text,
        "entities": [e.label for e in answer.entities],
        "abstained": answer.abstained,
    }
