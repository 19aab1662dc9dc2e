"""The persisted FAISS index: manifest, checksums, staleness, corruption and rebuilds."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from kg.errors import IndexError_
from kg.qa.documents import Document
from kg.qa.embeddings import MODEL_ID, get_encoder
from kg.qa.index import build_index, ensure_index, index_status, load_index

DOCS = [
    Document("http://ex/a", "Deep learning uses neural networks with many layers."),
    Document("http://ex/b", "A bicycle is a two-wheeled vehicle moved by pedalling."),
    Document("http://ex/c", "Federated learning trains models on devices, keeping data private."),
]


def _build(cache: Path, docs=DOCS, graph_hash: str = "h1"):
    return build_index(docs, get_encoder("numpy"), cache, graph_hash)


def test_build_then_load_and_search(tmp_path: Path) -> None:
    built = _build(tmp_path)
    assert index_status(tmp_path, "h1", MODEL_ID, 384).state == "ready"
    loaded = load_index(tmp_path, "h1", MODEL_ID, 384)
    query = get_encoder("numpy").encode(["which vehicle has two wheels?"])
    assert loaded.search(query, 1)[0][0][0] == "http://ex/b"
    assert list(loaded.ids) == built.ids
    manifest = json.loads((loaded.path / "manifest.json").read_text())
    assert manifest["model_id"] == MODEL_ID and manifest["dim"] == 384
    assert set(manifest["files"]) == {"entities.json", "vectors.faiss"}


def test_no_pickle_in_index_files(tmp_path: Path) -> None:
    built = _build(tmp_path)
    for path in built.path.iterdir():
        assert not path.read_bytes().startswith(b"\x80"), path.name  # pickle protocol marker


def test_stale_when_graph_or_model_changes(tmp_path: Path) -> None:
    _build(tmp_path)
    assert index_status(tmp_path, "h2", MODEL_ID, 384).state == "missing"
    assert index_status(tmp_path, "h1", "other-model", 384).state == "stale"


@pytest.mark.parametrize("victim", ["vectors.faiss", "entities.json"])
def test_truncated_file_is_detected_and_rebuilt(tmp_path: Path, victim: str) -> None:
    built = _build(tmp_path)
    target = built.path / victim
    target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    status = index_status(tmp_path, "h1", MODEL_ID, 384)
    assert status.state == "corrupt" and victim in status.detail
    with pytest.raises(IndexError_, match="kg index build"):
        load_index(tmp_path, "h1", MODEL_ID, 384)
    messages: list[str] = []
    again = ensure_index(lambda: DOCS, lambda: get_encoder("numpy"), tmp_path, "h1",
                         MODEL_ID, 384, on_rebuild=messages.append)
    assert messages and "corrupt" in messages[0]
    assert len(again) == 3
    assert index_status(tmp_path, "h1", MODEL_ID, 384).state == "ready"


def test_garbage_manifest_is_corrupt(tmp_path: Path) -> None:
    built = _build(tmp_path)
    (built.path / "manifest.json").write_text("{not json")
    assert index_status(tmp_path, "h1", MODEL_ID, 384).state == "corrupt"


def test_incremental_rebuild_reuses_unchanged_texts(tmp_path: Path) -> None:
    _build(tmp_path)
    changed = DOCS[:2] + [Document("http://ex/c", "Edge computing runs AI on local hardware.")]
    second = _build(tmp_path, changed, "h2")
    assert second.manifest.reused_vectors == 2


def _child_build(cache: str, out: multiprocessing.Queue) -> None:
    try:
        idx = build_index(DOCS, get_encoder("numpy"), Path(cache), "shared")
        out.put(len(idx))
    except Exception as exc:  # report to the parent instead of dying silently
        out.put(repr(exc))


def test_two_processes_building_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_child_build, args=(str(tmp_path), queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    results = [queue.get(timeout=5) for _ in procs]
    assert results == [3, 3]
    assert index_status(tmp_path, "shared", MODEL_ID, 384).state == "ready"
    assert len(load_index(tmp_path, "shared", MODEL_ID, 384)) == 3


def test_one_question_searched_on_one_thread_finds_what_a_batch_finds(tmp_path: Path) -> None:
    import faiss

    built = _build(tmp_path)
    questions = ["which vehicle has two wheels?", "training on phones", "many layers"] * 4
    vectors = get_encoder("numpy").encode(questions)
    before = faiss.omp_get_max_threads()
    batch = built.search(vectors, 3)  # more rows than a question: FAISS's own threads
    alone = [built.search(v[None, :], 3)[0] for v in vectors]
    assert [[i for i, _ in row] for row in alone] == [[i for i, _ in row] for row in batch]
    assert alone[0][0][0] == "http://ex/b"
    assert faiss.omp_get_max_threads() == before  # the thread setting is restored


def test_vectors_of_an_hnsw_index_are_its_storage_not_a_copy(tmp_path: Path) -> None:
    """A large index (HNSW) hands out its stored vectors without reconstructing them all:
    the same rows as a reconstruction, read from FAISS's own storage."""
    import numpy as np

    import kg.qa.index as index_module
    from kg.qa.index import Manifest, VectorIndex

    rng = np.random.default_rng(3)
    rows = rng.standard_normal((50, 16)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    faiss_index, kind = index_module._make_faiss(rows, "hnsw")  # as built before IVF-PQ
    assert kind == "hnsw"
    manifest = Manifest(index_module.FORMAT_VERSION, "g", "m", 16, 50, kind)
    index = VectorIndex([f"n{i}" for i in range(50)], faiss_index, manifest, tmp_path)
    vectors = index.vectors()
    assert np.array_equal(vectors, faiss_index.reconstruct_n(0, 50))
    assert not vectors.flags.owndata  # a view of the storage
    assert np.array_equal(index.vector("n7"), rows[7])


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_index_written_by_faiss_to_its_file_without_a_copy_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    """The FAISS file is written by FAISS straight to disk (flat and HNSW): no serialised
    copy is made in memory, the manifest holds the file's own sha256, the index loads and
    finds what it was built from, and a rebuild reuses its vectors from the mapped file."""
    import functools

    import faiss

    import kg.qa.index as index_module
    from kg.qa.verify import sha256_file

    monkeypatch.setattr(index_module, "_make_faiss",
                        functools.partial(index_module._make_faiss, kind=kind))

    def no_copy(*_args: object) -> None:
        raise AssertionError("the index was serialised in memory")

    monkeypatch.setattr(faiss, "serialize_index", no_copy)
    monkeypatch.setattr(faiss, "deserialize_index", no_copy)
    built = _build(tmp_path)
    assert built.manifest.index_type == kind
    assert built.manifest.files["vectors.faiss"] == sha256_file(built.path / "vectors.faiss")
    loaded = load_index(tmp_path, "h1", MODEL_ID, 384)
    query = get_encoder("numpy").encode(["which vehicle has two wheels?"])
    assert loaded.search(query, 1)[0][0][0] == "http://ex/b"
    assert not list(built.path.glob(".*.tmp"))
    changed = DOCS[:2] + [Document("http://ex/c", "Edge computing runs AI on local hardware.")]
    assert _build(tmp_path, changed, "h2").manifest.reused_vectors == 2
