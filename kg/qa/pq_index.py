"""A large index that stays small in memory: compressed candidates, re-scored exactly.

An HNSW index over a million float vectors is a 1.7 GB file, memory-mapped; each search
visits thousands of vectors spread over all of it, and every page it touches (with the
kernel's fault-around, 64 kB a touch) stays in the process. A long-running process counted
0.8-1.8 GB of the file resident after 80 questions.

Here the searched part is an IVF index of product-quantised codes (96 bytes a vector of 384
dimensions: about 100 MB with its ids for a million), memory-mapped like any index, so at
most that much of it can count. Its candidates are scored again from the float vectors,
kept in a raw file beside it (``rows.f32``) and read row by row with ``pread``: nothing of
that file is mapped, so nothing of it stays resident. The scores handed out are exact inner
products, as from a flat index; only which vectors become candidates is approximate
(recall measured in bench/faiss_recall.py).
"""

from __future__ import annotations

import math
import os
import threading
from pathlib import Path

import numpy as np

from kg.qa.verify import sha256_file

__all__ = ["KIND", "ROWS", "Rows", "make_pq", "search", "tune", "write_rows"]

KIND = "ivfpq"
ROWS = "rows.f32"
# Lists searched per query (of about sqrt(n)), and candidates re-scored from the float rows
# (RERANK_FACTOR times k, at least RERANK_MIN): at a million vectors, 64 of 1,004 lists and
# 256-480 rows gave recall@10 of 0.95-0.995 against exact search, above the HNSW index's
# (bench/README.md); each list is about a thousand codes.
NPROBE = 64
RERANK_FACTOR = 16
RERANK_MIN = 256
# Dimensions per sub-quantiser: 96 one-byte codes for 384 dimensions. Against 8 (48 codes,
# half the memory), recall@10 of queries far from every stored vector rose from 0.57 to 0.79
# on synthetic clusters (bench/README.md); queries near stored vectors found 1.000 with both.
_DIMS_PER_CODE = 4
_POINTS_PER_CENTROID = 39  # FAISS's own minimum per cluster when it trains
_TRAIN_PER_LIST = 64
_TRAIN_MIN = 65_536


class Rows:
    """The float32 rows of a raw file, read on demand with ``pread`` (thread-safe: each
    read names its offset; a seek and a read under a lock where there is no ``pread``).
    Indexing with a row number gives that row."""

    def __init__(self, path: Path, count: int, dim: int) -> None:
        self._path = path
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._lock = threading.Lock()
        self.shape = (count, dim)
        self._size = dim * 4

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, pos: int) -> np.ndarray:
        if not isinstance(pos, (int, np.integer)):
            return self.take(np.arange(self.shape[0])[pos])
        pos = int(pos) + (self.shape[0] if pos < 0 else 0)
        if not 0 <= pos < self.shape[0]:
            raise IndexError(f"row {pos} out of range")
        return self.take(np.array([pos]))[0]

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        """Every row, read whole (for a check or a small index, never for a question)."""
        out = np.fromfile(self._path, dtype=np.float32, count=self.shape[0] * self.shape[1])
        out = out.reshape(self.shape)
        return out if dtype is None else out.astype(dtype)

    def take(self, positions: np.ndarray) -> np.ndarray:
        """The rows at ``positions`` (in that order) as a new array."""
        out = np.empty((len(positions), self.shape[1]), dtype=np.float32)
        view = memoryview(out).cast("B")
        for i, pos in enumerate(np.asarray(positions, dtype=np.int64)):
            chunk = self._read(int(pos) * self._size)
            if len(chunk) != self._size:
                raise OSError(f"short read of row {pos}")
            view[i * self._size:(i + 1) * self._size] = chunk
        return out

    def _read(self, offset: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._fd, self._size, offset)
        with self._lock:  # no pread (Windows): one seek and read at a time
            os.lseek(self._fd, offset, os.SEEK_SET)
            return os.read(self._fd, self._size)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)
            self._fd = None


def tune(index: object) -> object:
    """Set the search settings (not all FAISS versions keep them in the file)."""
    index.nprobe = min(NPROBE, index.nlist)  # type: ignore[attr-defined]
    return index


def make_pq(vectors: np.ndarray) -> object:
    """An IVF-PQ inner-product index of ``vectors`` (unit rows), trained on an evenly spaced
    sample, so the same vectors always give the same index."""
    import faiss

    n, dim = vectors.shape
    lists = max(1, min(round(math.sqrt(n)), n // _POINTS_PER_CENTROID))
    subs = max(d for d in range(1, dim + 1) if dim % d == 0 and dim // d >= _DIMS_PER_CODE
               ) if dim >= _DIMS_PER_CODE else dim
    bits = max(1, min(8, int(math.log2(max(2, n // _POINTS_PER_CENTROID)))))
    quantiser = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFPQ(quantiser, dim, lists, subs, bits, faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantiser.this.disown()
    step = max(1, n // max(_TRAIN_MIN, _TRAIN_PER_LIST * lists))
    index.train(np.ascontiguousarray(vectors[::step]))
    index.add(vectors)
    return tune(index)


def write_rows(vectors: np.ndarray, path: Path) -> str:
    """Write the float32 rows raw (native order, row after row); return the file's sha256."""
    with open(path, "wb") as out:
        for start in range(0, len(vectors), 65_536):
            out.write(np.ascontiguousarray(vectors[start:start + 65_536],
                                           dtype=np.float32).tobytes())
    return sha256_file(path)


def search(index: object, rows: Rows, queries: np.ndarray, k: int
           ) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the top ``k`` of each query row, shaped as FAISS returns them: the
    index proposes candidates, the float rows score them; ties by id, as FAISS orders."""
    want = min(len(rows), max(k * RERANK_FACTOR, RERANK_MIN))
    _, found = index.search(queries, want)  # type: ignore[attr-defined]
    scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    ids = np.full((len(queries), k), -1, dtype=np.int64)
    for r, (query, cand) in enumerate(zip(queries, found, strict=True)):
        cand = cand[cand >= 0]
        if not len(cand):
            continue
        exact = rows.take(cand) @ query
        order = np.lexsort((-cand, -exact))[:k]
        scores[r, :len(order)] = exact[order]
        ids[r, :len(order)] = cand[order]
    return scores, ids
