"""The node IRIs of an index as one memory-mapped file: row -> IRI and IRI -> row without
building anything at open.

An index's ``entities.json`` names the node of each row. Reading it into a list and a dict
cost a cold start at a million rows about 1 s (0.4 s parsing JSON, 0.5 s filling the dict),
for a question that looks up a few dozen IRIs. This file holds the same IRIs so that both
directions read only the pages they touch:

* ``offsets`` (``uint64[n + 1]``) and ``blob`` (the UTF-8 IRIs, back to back): row ``j`` is
  ``blob[offsets[j]:offsets[j + 1]]``;
* ``hashes`` (``uint64[n]``, sorted; an 8-byte BLAKE2b of each IRI) and ``rows``
  (``uint32[n]``, the row of each hash): an IRI's row is found by binary search, and every
  row with the same hash is compared by its text, so a collision costs a comparison, never a
  wrong row.

Layout: ``MAGIC``, then ``n`` and ``len(blob)`` as little-endian ``uint64``, then the four
arrays in that order. The table is derived: a sidecar JSON (:data:`SIDECAR`) names the
sha256 of the ``entities.json`` it was made from and its own sha256 (checked once per file
version, :mod:`kg.qa.verify`), so a table of another build, or a damaged one, is never used.
"""

from __future__ import annotations

import hashlib
import json
import mmap
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from kg.files import write_atomically
from kg.qa.verify import Stamps

__all__ = ["MAGIC", "SIDECAR", "TABLE", "IdTable", "open_table", "write_table"]

MAGIC = b"KGIDTAB1"
TABLE = "ids.table"
SIDECAR = "ids.json"
_HEAD = len(MAGIC) + 16


def _hash(iri: str) -> int:
    return int.from_bytes(hashlib.blake2b(iri.encode("utf-8"), digest_size=8).digest(),
                          "little")


class IdTable(Sequence[str]):
    """The IRIs of an index by row, and the row of an IRI, read from a mapped table."""

    def __init__(self, buffer: mmap.mmap | bytes) -> None:
        if len(buffer) < _HEAD or bytes(buffer[: len(MAGIC)]) != MAGIC:
            raise ValueError("not an id table")
        n, size = (int(x) for x in np.frombuffer(buffer, "<u8", 2, len(MAGIC)))
        at = _HEAD
        self._offsets = np.frombuffer(buffer, "<u8", n + 1, at)
        at += 8 * (n + 1)
        self._hashes = np.frombuffer(buffer, "<u8", n, at)
        at += 8 * n
        self._rows = np.frombuffer(buffer, "<u4", n, at)
        at += 4 * n
        if len(buffer) != at + size or (n and int(self._offsets[-1]) != size):
            raise ValueError("id table of the wrong size")
        self._blob = memoryview(buffer)[at:]
        self._buffer = buffer
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, j: int) -> str:  # type: ignore[override]
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(self._n))]  # type: ignore[return-value]
        if j < 0:
            j += self._n
        if not 0 <= j < self._n:
            raise IndexError(j)
        start, end = int(self._offsets[j]), int(self._offsets[j + 1])
        return str(self._blob[start:end], "utf-8")

    def __iter__(self) -> Iterator[str]:
        return (self[j] for j in range(self._n))

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.position(iri) is not None

    def position(self, iri: str) -> int | None:
        """The row of ``iri``, or None when the table does not hold it."""
        h = np.uint64(_hash(iri))
        at = int(np.searchsorted(self._hashes, h))
        while at < self._n and self._hashes[at] == h:
            row = int(self._rows[at])
            if self[row] == iri:
                return row
            at += 1
        return None


def table_bytes(ids: Sequence[str]) -> bytes:
    """The table of ``ids`` (rows in this order) as the bytes of its file."""
    encoded = [iri.encode("utf-8") for iri in ids]
    n = len(encoded)
    if n >= 2**32:
        raise ValueError("too many rows for an id table")
    offsets = np.zeros(n + 1, dtype="<u8")
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    hashes = np.fromiter((_hash(iri) for iri in ids), dtype="<u8", count=n)
    rows = np.argsort(hashes, kind="stable").astype("<u4")
    blob = b"".join(encoded)
    head = MAGIC + np.array([n, len(blob)], dtype="<u8").tobytes()
    return b"".join([head, offsets.tobytes(), hashes[rows].tobytes(), rows.tobytes(), blob])


def write_table(folder: Path, ids: Sequence[str], entities_sha: str) -> None:
    """Write the table of ``ids`` and then its sidecar, which binds it to the
    ``entities.json`` of sha256 ``entities_sha`` (raises OSError when it cannot)."""
    data = table_bytes(ids)
    write_atomically(folder / TABLE, lambda out: out.write(data))
    sidecar = {"entities": entities_sha, "table": hashlib.sha256(data).hexdigest(),
               "count": len(ids)}
    write_atomically(folder / SIDECAR, lambda out: out.write(json.dumps(sidecar).encode()))


def open_table(folder: Path, entities_sha: str, count: int, stamps: Stamps) -> IdTable | None:
    """The table in ``folder`` when it was made from the ``entities.json`` of sha256
    ``entities_sha`` and is whole (``count`` rows, its own checksum); else None."""
    try:
        sidecar = json.loads((folder / SIDECAR).read_text(encoding="utf-8"))
        if (not isinstance(sidecar, dict) or sidecar.get("entities") != entities_sha
                or sidecar.get("count") != count
                or not stamps.matches(folder / TABLE, str(sidecar.get("table")))):
            return None
        with (folder / TABLE).open("rb") as fh:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        table = IdTable(mapped)
    except (OSError, ValueError):
        return None
    return table if len(table) == count else None
