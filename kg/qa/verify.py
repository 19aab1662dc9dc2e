"""Checksums of large cache files, computed once per file version rather than on every read.

Hashing a 183 MB index on every cold start cost about 0.5 s. After a file's sha256 has been
checked, its size, inode and modification time are recorded next to it; a later check that
finds the same size, inode and time trusts the recorded digest. Any rewrite (our writers
rename a new file into place: a new inode) or in-place change (a new modification time)
makes the file hashed again. As in git's index, a stamp taken within a few seconds of the
file's last change is not trusted, because a write in the same clock tick would leave the
time unchanged.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from kg.files import atomic_write

__all__ = ["Stamps", "sha256_file"]

_RACY_NS = 3_000_000_000  # a stamp taken this soon after the file changed is not trusted


def sha256_file(path: Path) -> str:
    """The sha256 hex digest of a file, read in 1 MB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Stamps:
    """The digests already checked for the files of one folder (a JSON file in it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._changed = False
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self._stamps: dict[str, list] = raw if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            self._stamps = {}

    def matches(self, file: Path, expected: str) -> bool:
        """Whether ``file`` has the sha256 ``expected`` (hashing it only when needed)."""
        try:
            st = file.stat()
        except OSError:
            return False
        key = [st.st_size, st.st_ino, st.st_mtime_ns]
        stamp = self._stamps.get(file.name)
        if (isinstance(stamp, list) and len(stamp) == 5 and stamp[:3] == key
                and stamp[3] == expected and stamp[4] - st.st_mtime_ns > _RACY_NS):
            return True
        if sha256_file(file) != expected:
            return False
        self._stamps[file.name] = [*key, expected, time.time_ns()]
        self._changed = True
        return True

    def save(self) -> None:
        """Record new stamps (best effort: a read-only cache only costs the hashing again)."""
        if not self._changed:
            return
        try:
            atomic_write(self.path, json.dumps(self._stamps).encode())
        except OSError:
            pass
        self._changed = False
