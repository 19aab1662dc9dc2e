"""The vectors of an unfinished index build, saved as they are made so a build that is
interrupted resumes from what it wrote instead of embedding everything again."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from kg.files import atomic_write

__all__ = ["FLUSH_EVERY", "FLUSH_SECONDS", "PartialVectors"]

FLUSH_EVERY = 4096  # vectors kept in memory before they are saved for a resumed build
FLUSH_SECONDS = 10.0


class PartialVectors:
    """Vectors of an unfinished build, saved in numbered pairs of files: ``N.npy`` (float32,
    read back without pickle) and ``N.json`` (the texts' sha256), the JSON written last so a
    pair is either complete or ignored. Removed once the index is written."""

    def __init__(self, folder: Path, dim: int) -> None:
        self.folder = folder
        self.dim = dim
        self._shas: list[str] = []
        self._vecs: list[np.ndarray] = []
        self._since = time.monotonic()
        self._next = 0

    def read(self) -> dict[str, np.ndarray]:
        """Every vector a previous, interrupted build saved (damaged pairs are skipped)."""
        found: dict[str, np.ndarray] = {}
        if not self.folder.is_dir():
            return found
        for meta in sorted(self.folder.glob("*.json")):
            try:
                shas = json.loads(meta.read_text(encoding="utf-8"))
                vecs = np.load(meta.with_suffix(".npy"), allow_pickle=False)
                self._next = max(self._next, int(meta.stem) + 1)
            except (OSError, ValueError):
                continue
            if vecs.dtype != np.float32 or vecs.shape != (len(shas), self.dim):
                continue
            found.update(zip(shas, vecs, strict=True))
        return found

    def add(self, shas: list[str], vectors: np.ndarray) -> None:
        """Keep new vectors; save them when enough have gathered or enough time has passed."""
        self._shas.extend(shas)
        self._vecs.append(np.array(vectors, dtype=np.float32))
        if (len(self._shas) >= FLUSH_EVERY
                or time.monotonic() - self._since >= FLUSH_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Save the vectors kept so far as one numbered pair."""
        self._since = time.monotonic()
        if not self._shas:
            return
        import io

        buf = io.BytesIO()
        np.save(buf, np.concatenate(self._vecs), allow_pickle=False)
        name = f"{self._next:06d}"
        atomic_write(self.folder / f"{name}.npy", buf.getvalue())
        atomic_write(self.folder / f"{name}.json", json.dumps(self._shas).encode())
        self._next += 1
        self._shas, self._vecs = [], []

    def clear(self) -> None:
        """Remove the saved vectors: the finished index holds them."""
        shutil.rmtree(self.folder, ignore_errors=True)
