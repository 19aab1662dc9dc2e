"""Index checksums are computed once per file version; any change makes them computed again.
The loaded index maps the vectors file instead of copying it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import kg.qa.verify as verify
from kg.qa.documents import Document
from kg.qa.embeddings import MODEL_ID, get_encoder
from kg.qa.index import build_index, index_status, load_index

DOCS = [Document(f"http://ex/{i}", f"Thing {i} is a kind of item, number {i}.")
        for i in range(20)]


def _age(folder: Path, seconds: int = 60) -> None:
    """Make the index files look older than their stamps' racy window."""
    for name in ("entities.json", "vectors.faiss"):
        st = (folder / name).stat()
        os.utime(folder / name, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = verify.sha256_file

    def counting(path: Path) -> str:
        calls.append(path.name)
        return real(path)

    monkeypatch.setattr(verify, "sha256_file", counting)
    return calls


def test_checked_files_are_not_hashed_again(tmp_path: Path, hashed: list[str]) -> None:
    built = build_index(DOCS, get_encoder("numpy"), tmp_path, "h")
    _age(built.path)
    assert index_status(tmp_path, "h", MODEL_ID, 384).state == "ready"
    assert sorted(hashed) == ["entities.json", "vectors.faiss"]
    hashed.clear()
    assert index_status(tmp_path, "h", MODEL_ID, 384).state == "ready"
    assert hashed == []


def test_a_fresh_stamp_is_not_trusted(tmp_path: Path, hashed: list[str]) -> None:
    build_index(DOCS, get_encoder("numpy"), tmp_path, "h")  # files written just now
    index_status(tmp_path, "h", MODEL_ID, 384)
    hashed.clear()
    index_status(tmp_path, "h", MODEL_ID, 384)
    assert sorted(hashed) == ["entities.json", "vectors.faiss"]


def test_a_change_in_place_after_the_stamp_is_caught(tmp_path: Path) -> None:
    built = build_index(DOCS, get_encoder("numpy"), tmp_path, "h")
    _age(built.path)
    assert index_status(tmp_path, "h", MODEL_ID, 384).state == "ready"  # stamped
    path = built.path / "vectors.faiss"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF  # same size, new modification time
    path.write_bytes(bytes(data))
    status = index_status(tmp_path, "h", MODEL_ID, 384)
    assert status.state == "corrupt" and "checksum" in status.detail


def test_loaded_vectors_are_a_read_only_view_equal_to_the_built_ones(tmp_path: Path) -> None:
    built = build_index(DOCS, get_encoder("numpy"), tmp_path, "h")
    loaded = load_index(tmp_path, "h", MODEL_ID, 384)
    vecs = loaded.vectors()
    assert np.array_equal(vecs, built.vectors())
    assert not vecs.flags.writeable
    query = get_encoder("numpy").encode(["thing 7"])
    assert loaded.search(query, 3) == built.search(query, 3)
