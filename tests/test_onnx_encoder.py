"""The ONNX build encoder: same vectors as sentence-transformers, length batches, resumable builds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kg.errors import ConfigError
from kg.qa.documents import Document, build_documents
from kg.qa.embeddings import get_encoder
from kg.qa.index import build_index, index_status
from kg.qa.onnx_encoder import OnnxMiniLM, batches_by_length, get_build_encoder


@pytest.fixture(scope="module")
def onnx(session_cache: Path) -> OnnxMiniLM:
    """Exported once per test session into the session cache (the workspaces share it)."""
    return OnnxMiniLM(session_cache)


def _texts(builtin_ws) -> list[str]:
    docs = build_documents(builtin_ws.view)
    # Every fourth document of the built-in graph (short labels to long definitions), plus
    # edge cases: empty text, one character, text far beyond the 256 word-piece limit.
    return [d.text for d in docs[::4]] + ["", "x", "neural networks " * 300, "émojis 🚀"]


def test_onnx_vectors_match_sentence_transformers(onnx: OnnxMiniLM, builtin_ws) -> None:
    texts = _texts(builtin_ws)
    ours = onnx.encode(texts)
    ref = get_encoder("sentence-transformers").encode(texts)
    assert ours.shape == ref.shape == (len(texts), 384)
    assert (ours * ref).sum(axis=1).min() >= 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    # the same top-10 neighbours for every text
    ours_top = np.argsort(-(ours @ ours.T), axis=1)[:, :10]
    ref_top = np.argsort(-(ref @ ref.T), axis=1)[:, :10]
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ours_top, ref_top, strict=True)])
    assert overlap >= 0.98


def test_order_and_batching_do_not_change_vectors(onnx: OnnxMiniLM) -> None:
    texts = ["short", "a somewhat longer sentence about neural networks", "mid length text"] * 5
    a = onnx.encode(texts)
    b = onnx.encode(list(reversed(texts)), batch_size=2)[::-1]
    assert np.allclose(a, b, atol=1e-5)


def test_progress_counts_every_text(onnx: OnnxMiniLM) -> None:
    seen: list[int] = []
    onnx.encode([f"text number {i}" for i in range(300)], progress=seen.append)
    assert sum(seen) == 300 and len(seen) >= 3


def test_stream_yields_every_text_once_longest_batches_first(onnx: OnnxMiniLM) -> None:
    from kg.qa.embeddings import token_lengths

    texts = [("word " * (i % 37)).strip() or "x" for i in range(400)]
    lengths = token_lengths(texts)
    seen: list[int] = []
    longest: list[int] = []
    whole = onnx.encode(texts)
    for batch, vectors in onnx.stream(texts):
        assert vectors.shape == (len(batch), 384)
        assert np.allclose(vectors, whole[batch], atol=1e-5)
        seen += batch
        longest.append(max(lengths[i] for i in batch))
    assert sorted(seen) == list(range(len(texts)))
    assert longest == sorted(longest, reverse=True) and len(longest) > 2


def test_batches_by_length_cover_all_within_budget() -> None:
    lengths = [5, 200, 7, 7, 60, 1, 256, 33] * 40
    batches = batches_by_length(lengths, budget=512, max_batch=16)
    flat = sorted(p for b in batches for p in b)
    assert flat == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[p] for p in batch)
        assert len(batch) <= 16
        assert len(batch) == 1 or len(batch) * longest <= 512


def test_build_encoder_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_BUILD_ENCODER", "word2vec")
    with pytest.raises(ConfigError, match="KG_BUILD_ENCODER"):
        get_build_encoder(tmp_path)
    monkeypatch.setenv("KG_BUILD_ENCODER", "numpy")
    assert get_build_encoder(tmp_path) is get_encoder("numpy")


class _Stops:
    """The real NumPy encoder, interrupted (like Ctrl-C) after ``limit`` calls."""

    def __init__(self, limit: int) -> None:
        self.inner = get_encoder("numpy")
        self.model_id, self.dim = self.inner.model_id, self.inner.dim
        self.limit = limit
        self.texts: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if self.limit == 0:
            raise KeyboardInterrupt
        self.limit -= 1
        self.texts.extend(texts)
        return self.inner.encode(texts)


def test_interrupted_build_resumes_from_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.qa.partial_vectors as partial_module

    monkeypatch.setattr(partial_module, "FLUSH_EVERY", 1)  # save after every chunk
    docs = [Document(f"http://ex/{i}", f"Item {i} is a kind of thing number {i}.")
            for i in range(40)]
    with pytest.raises(KeyboardInterrupt):
        build_index(docs, _Stops(3), tmp_path, "h", batch_size=8)
    assert index_status(tmp_path, "h", get_encoder("numpy").model_id, 384).state == "missing"
    second = _Stops(100)
    built = build_index(docs, second, tmp_path, "h", batch_size=8)
    assert len(second.texts) == 40 - 24  # three chunks of eight were saved and reused
    assert built.manifest.reused_vectors == 24
    fresh = get_encoder("numpy").encode([d.text for d in docs])
    assert (built.vectors() * fresh).sum(axis=1).min() >= 0.9999
    assert not (built.path / "partial").exists()
