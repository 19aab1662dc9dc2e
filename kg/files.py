"""Crash-safe file writing and cache clearing: the one atomic writer of the project.

Caches (index, snapshot, engine cache, store markers) and user-facing outputs (exports)
are all written through :func:`write_atomically`, so a reader sees the old file or the
whole new one, never a part, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import quote

import orjson

from kg.errors import ConfigError

__all__ = [
    "atomic_write",
    "database_uri",
    "fill_atomically",
    "fill_database",
    "open_database",
    "remove_children",
    "remove_matching",
    "remove_path",
    "write_atomically",
]

T = TypeVar("T")


def write_atomically(path: Path, write: Callable[[BinaryIO], T], *, parents: bool = True) -> T:
    """Call ``write(stream)`` on a temporary file beside ``path``, fsync it, give it the
    permissions a new file would get, and rename it into place; returns what ``write``
    returned. On any error (or Ctrl-C) the temporary file is removed and ``path`` is
    untouched.

    Args:
        path: the file to (re)place.
        write: fills the binary stream.
        parents: create missing parent folders (caches); otherwise a missing folder is a
            :class:`~kg.errors.ConfigError` naming it (outputs a person asked for).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if parents:
        directory.mkdir(parents=True, exist_ok=True)
    elif not directory.is_dir():
        raise ConfigError(f"cannot write {path}: the directory {directory} does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        _publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(directory)
    return result


def _publish(tmp: str, path: Path) -> None:
    """Give a finished temporary file the permissions a new file would get, then rename it
    into place (atomic on POSIX and Windows)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`write_atomically`."""
    write_atomically(path, lambda stream: stream.write(data))


def fill_atomically(path: Path, fill: Callable[[Path], T]) -> T:
    """Like :func:`write_atomically` for writers that need a file name rather than a stream
    (a SQLite database): ``fill(tmp_path)`` creates and closes the file, which is then
    fsynced and renamed into place; on any error the temporary file is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        Path(tmp).unlink()  # the writer creates it
        result = fill(Path(tmp))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return result


def _sync_folder(directory: Path) -> None:
    """fsync a folder so the rename itself survives a crash (not possible everywhere)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def remove_path(path: Path) -> bool:
    """Delete a file or a whole folder; True when something was there."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
        return True
    if path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)
        return True
    return False


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


def database_uri(path: Path, query: str = "") -> str:
    """A SQLite ``file:`` URI for ``path``, percent-encoded: a folder holding ``?``, ``#``
    or ``%`` would otherwise end the path early or be decoded into another name."""
    uri = "file:" + quote(Path(path).absolute().as_posix(), safe="/")
    return f"{uri}?{query}" if query else uri


def fill_database(path: Path, fill: Callable[[sqlite3.Connection], T]) -> T:
    """:func:`fill_atomically` for a SQLite cache: ``fill(con)`` writes into a new database
    (no journal, no syncing while it is written: the finished file is fsynced once), which
    is committed, closed and renamed into place."""

    def written(tmp: Path) -> T:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            result = fill(con)
            con.commit()
            return result
        finally:
            con.close()

    return fill_atomically(path, written)


def open_database(path: Path) -> tuple[sqlite3.Connection, dict[str, Any]] | None:
    """A cache database written by :func:`fill_atomically`, opened read-only, with its
    ``meta`` table (key -> JSON value) decoded; None when it is missing, truncated, extended
    or unreadable. The caller checks the meta's version and closes the connection."""
    try:
        size = Path(path).stat().st_size
        con = sqlite3.connect(database_uri(path, "mode=ro&immutable=1"), uri=True,
                              check_same_thread=False)
    except (OSError, sqlite3.Error):
        return None
    try:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        if pages * con.execute("PRAGMA page_size").fetchone()[0] != size:
            raise ValueError("truncated or extended")
        meta = {k: orjson.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}
    except (sqlite3.Error, ValueError, TypeError):
        con.close()
        return None
    return con, meta


def remove_matching(folder: Path, name: re.Pattern[str], prefix: str = "") -> int:
    """Delete the files of ``folder`` whose whole name matches ``name`` (a cache's own
    files, never anything else put there) and starts with ``prefix`` (one graph's, see
    :func:`kg.fingerprint.graph_family`); returns how many were removed."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    return sum(remove_path(p) for p in folder.iterdir()
               if p.name.startswith(prefix) and name.fullmatch(p.name))
