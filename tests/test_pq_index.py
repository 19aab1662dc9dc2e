"""A large index (IVF-PQ candidates re-scored from the float rows): chosen by size, exact
scores, nothing of the rows mapped, vectors reused from the rows, older HNSW indexes kept."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest

import kg.qa.index as index_module
from kg.qa.documents import Document
from kg.qa.embeddings import MODEL_ID, get_encoder
from kg.qa.index import build_index, ensure_index, index_status, load_index

_SUBJECTS = ["river", "tax", "forest", "engine", "harbour", "vaccine", "loan", "glacier",
             "printer", "orchard", "tariff", "satellite", "wheat", "bridge", "pension"]
_QUALITIES = ["small", "public", "northern", "electric", "ancient", "private", "frozen",
              "industrial", "local", "coastal", "digital", "rural", "annual", "wooden"]
DOCS = [Document(f"http://ex/{i}", f"A {q} {s}: a kind of {s} that is {q}.")
        for i, (q, s) in enumerate((q, s) for q in _QUALITIES for s in _SUBJECTS)]
FROZEN_RIVER = next(d.iri for d in DOCS if "frozen river" in d.text)
QUESTIONS = ["Which frozen rivers are there?", "taxes paid every year", "solar satellites",
             "a bridge made of wood", "medicine for the navy", "farms near the coast"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """One IVF-PQ index of the 210 documents (the size limit lowered to make it)."""
    cache = tmp_path_factory.mktemp("pq")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_module, "EXACT_LIMIT", 100)
        index = build_index(DOCS, get_encoder("numpy"), cache, "g1")
    return cache, index


def test_a_large_index_is_ivfpq_with_its_rows_beside_it(built: tuple[Path, object]) -> None:
    cache, index = built
    assert index.manifest.index_type == "ivfpq"
    manifest = json.loads((index.path / "manifest.json").read_text())
    assert set(manifest["files"]) == {"entities.json", "vectors.faiss", "rows.f32"}
    assert (index.path / "rows.f32").stat().st_size == len(DOCS) * 384 * 4
    assert index_status(cache, "g1", MODEL_ID, 384).state == "ready"


def test_small_graphs_keep_the_flat_index(tmp_path: Path) -> None:
    assert build_index(DOCS[:20], get_encoder("numpy"), tmp_path, "g").manifest.index_type \
        == "flat"


def test_scores_are_exact_and_the_top_is_the_flat_search(built: tuple[Path, object]) -> None:
    """Every score handed out is the inner product of the stored float row; the top 10
    equals an exact search's on these questions (all lists are probed at this size)."""
    import faiss

    cache, _ = built
    index = load_index(cache, "g1", MODEL_ID, 384)
    rows = np.array(index.vectors())
    exact = faiss.IndexFlatIP(384)
    exact.add(rows)
    queries = get_encoder("numpy").encode(QUESTIONS)
    _, truth = exact.search(queries, 10)
    for query, want, got in zip(queries, truth, index.search(queries, 10), strict=True):
        assert [iri for iri, _ in got] == [index.ids[j] for j in want]
        for iri, score in got:
            assert score == pytest.approx(float(rows[index.position(iri)] @ query), abs=1e-6)
    own = index.search(get_encoder("numpy").encode([DOCS[42].text]), 1)[0][0]
    assert own[0] == DOCS[42].iri and own[1] == pytest.approx(1.0, abs=1e-5)


def test_rows_are_read_not_mapped(built: tuple[Path, object]) -> None:
    """Searching and reading vectors leave no mapping of the rows file in the process, so
    none of its pages count as the process's memory."""
    cache, _ = built
    index = load_index(cache, "g1", MODEL_ID, 384)
    index.search(get_encoder("numpy").encode(QUESTIONS), 5)
    first = index.vector(DOCS[0].iri)
    assert first is not None and first.shape == (384,)
    assert np.array_equal(index.vectors()[-1], index.vectors()[len(DOCS) - 1])
    with pytest.raises(IndexError):
        index.vectors()[len(DOCS)]
    maps = Path("/proc/self/maps")
    if maps.exists():
        assert "rows.f32" not in maps.read_text()


def test_a_rebuild_reuses_the_float_rows_not_the_codes(built: tuple[Path, object],
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    cache, index = built
    before = np.array(index.vectors())
    monkeypatch.setattr(index_module, "EXACT_LIMIT", 100)
    changed = [*DOCS[:-1], Document("http://ex/new", "A harbour crane lifts containers.")]
    again = build_index(changed, get_encoder("numpy"), cache, "g2")
    assert again.manifest.reused_vectors == len(DOCS) - 1
    assert np.array_equal(np.array(again.vectors())[:-1], before[:-1])  # bit for bit


def test_an_older_hnsw_index_loads_and_a_rebuild_makes_ivfpq(built: tuple[Path, object],
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """An index built as HNSW before this kind existed still loads and answers; once the
    code's key changes it is rebuilt, with a message, as IVF-PQ, every vector reused (from
    the HNSW index's own storage)."""
    tmp_path = built[0]  # the vectors of the texts are there already: nothing is embedded
    monkeypatch.setattr(index_module, "EXACT_LIMIT", 100)
    slot = "f" * 24  # one graph's index folder; the rest of the key names the code
    OLD_KEY, NEW_KEY = slot + "old", slot + "new"  # noqa: N806
    with monkeypatch.context() as mp:
        mp.setattr(index_module, "_make_faiss",
                   functools.partial(index_module._make_faiss, kind="hnsw"))
        old = build_index(DOCS, get_encoder("numpy"), tmp_path, OLD_KEY)
    assert old.manifest.index_type == "hnsw"
    loaded = load_index(tmp_path, OLD_KEY, MODEL_ID, 384)
    query = get_encoder("numpy").encode(["Which frozen rivers are there?"])
    assert loaded.search(query, 1)[0][0][0] == FROZEN_RIVER
    status = index_status(tmp_path, NEW_KEY, MODEL_ID, 384)
    assert status.state == "stale" and "code" in status.detail
    messages: list[str] = []
    new = ensure_index(lambda: DOCS, lambda: get_encoder("numpy"), tmp_path, NEW_KEY,
                       MODEL_ID, 384, on_rebuild=messages.append)
    assert messages and "stale" in messages[0]
    assert new.manifest.index_type == "ivfpq"
    assert new.manifest.reused_vectors == len(DOCS)
    assert new.search(query, 1)[0][0][0] == FROZEN_RIVER


def test_a_truncated_rows_file_is_corrupt(built: tuple[Path, object], tmp_path: Path) -> None:
    import shutil

    cache, index = built
    copy = tmp_path / "index" / index.path.name
    shutil.copytree(index.path, copy)
    rows = copy / "rows.f32"
    rows.write_bytes(rows.read_bytes()[:1000])
    status = index_status(tmp_path, "g1", MODEL_ID, 384)
    assert status.state == "corrupt" and "rows.f32" in status.detail


def test_rows_read_the_same_without_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    """Where the OS has no ``pread``, a seek and a read give the same rows."""
    import os

    from kg.qa.pq_index import Rows, write_rows

    rows = np.random.default_rng(1).standard_normal((40, 8)).astype(np.float32)
    write_rows(rows, tmp_path / "rows.f32")
    with_pread = Rows(tmp_path / "rows.f32", 40, 8).take(np.array([39, 0, 7]))
    monkeypatch.delattr(os, "pread")
    without = Rows(tmp_path / "rows.f32", 40, 8)
    assert np.array_equal(without.take(np.array([39, 0, 7])), with_pread)
    assert np.array_equal(without[-1], rows[39])


def test_a_loaded_index_keeps_its_rows_when_a_rebuild_replaces_them(
        built: tuple[Path, object], tmp_path: Path) -> None:
    """A process answering from an index (a server while a switch rebuilds beside it)
    reads the rows it was opened with, even after the file is replaced."""
    import os
    import shutil

    cache, index = built
    copy = tmp_path / "index" / index.path.name
    shutil.copytree(index.path, copy)
    loaded = load_index(tmp_path, "g1", MODEL_ID, 384)  # loaded, nothing searched yet
    swapped = copy / "rows.new"
    swapped.write_bytes(bytes(len(DOCS) * 384 * 4))  # all zeros
    os.replace(swapped, copy / "rows.f32")
    assert np.array_equal(loaded.vector(DOCS[0].iri), index.vector(DOCS[0].iri))
    queries = get_encoder("numpy").encode(QUESTIONS)
    assert loaded.search(queries, 3) == index.search(queries, 3)
