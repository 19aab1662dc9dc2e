"""The float16 copy of a flat index finds exactly what the flat index finds (same ids, same
scores to the bit, same order of ties) or says it cannot prove it; real model vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kg.qa import index as index_module
from kg.qa.embeddings import get_encoder
from kg.qa.half_index import HalfIndex

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def questions() -> np.ndarray:
    lines = (ROOT / "eval" / "own_qa.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["question"] for line in lines if line.strip()]
    return get_encoder("numpy").encode(texts[:40])


def _flat(vectors: np.ndarray):
    import faiss

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    return flat


def _compare(flat, half: HalfIndex, queries: np.ndarray, ks: range | tuple) -> tuple[int, int]:
    """(results proved and equal to the flat search, results not proved); fails on any
    proved result that differs."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # as the index searches a question
    proved = unproved = 0
    try:
        for q in queries:
            for k in ks:
                scores, ids = flat.search(q[None, :], k)
                found = half.search(q, k)
                if found is None:
                    unproved += 1
                    continue
                assert found[1].tolist() == ids.tolist()
                assert found[0].tobytes() == scores.tobytes()
                proved += 1
    finally:
        faiss.omp_set_num_threads(before)
    return proved, unproved


def test_same_results_as_the_flat_index(builtin_ws, questions: np.ndarray) -> None:  # noqa: ANN001
    vectors = builtin_ws.get_index().vectors()
    flat = _flat(vectors)
    proved, unproved = _compare(flat, HalfIndex(flat, vectors), questions, (1, 5, 30))
    assert proved >= 0.9 * (proved + unproved)


def test_tied_scores_keep_the_flat_order_or_fall_back(builtin_ws, questions) -> None:  # noqa: ANN001
    vectors = builtin_ws.get_index().vectors()
    twice = np.vstack([vectors, vectors])  # every score tied with another document's
    flat = _flat(twice)
    proved, unproved = _compare(flat, HalfIndex(flat, twice), questions[:10], range(1, 21))
    assert proved > 50 and unproved > 50  # ties inside the top k, and at its edge


def test_the_vector_index_answers_through_the_copy(builtin_ws, questions, monkeypatch) -> None:  # noqa: ANN001
    index = builtin_ws.get_index()
    flat_results = [index.search(q[None, :], 10) for q in questions]  # before any copy
    monkeypatch.setattr(index_module, "HALF_MIN", 1)
    fresh = index_module.VectorIndex(index.ids, index.index, index.manifest, index.path)
    assert [fresh.search(q[None, :], 10) for q in questions] == flat_results
    assert fresh._half is not None  # made at the second search, and used since
