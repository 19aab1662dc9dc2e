"""Crash-safe file writing and cache clearing, shared by the index, snapshot and store."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

__all__ = ["atomic_write", "remove_children"]


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` so a reader sees the old file or the whole new one, never a part:
    temporary file, fsync, rename, fsync of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def remove_children(root: Path) -> int:
    """Delete every folder (and stray file) directly under ``root``; returns the folders."""
    if not root.is_dir():
        return 0
    count = 0
    for entry in root.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            count += 1
        else:
            entry.unlink(missing_ok=True)
    return count
