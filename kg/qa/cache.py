"""A JSON cache of what the engine derives from the view, so a large graph starts fast.

Building an :class:`kg.qa.engine.Engine` tokenises every label and description of the graph: a
few milliseconds on the built-in ontology, seconds on a million triples.
``<cache>/snapshot/<key>.engine.json`` keeps the result (:meth:`Engine.prepared_data`),
named by its cache key (:func:`kg.fingerprint.cache_key` with the ``engine`` builders: the
graph's content, ``--lang`` and the source of the modules that derive it), so changing how
text is normalised or labels are matched makes old caches stale by itself: there is no
version number to forget to bump.
Like the view snapshot it is JSON (never pickle), written atomically, and ignored and
rebuilt when missing, stale, for another graph or unreadable.

For a large graph (``tables=True``) the same data goes to ``<hash>.engine.sqlite`` instead:
a table per structure (label keys, retired names, known words by first letter and length,
the vocabulary, the lexical postings), each read one key at a time when a question looks
it up (:class:`_Lookup`), so starting an engine reads a few pages instead of parsing tens
of megabytes of JSON.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from kg.files import atomic_write, fill_database, open_database, remove_matching, remove_path
from kg.fingerprint import graph_family, stale_siblings
from kg.gcpause import gc_paused

__all__ = [
    "engine_cache_path",
    "engine_tables_path",
    "load_prepared",
    "remove_prepared",
    "save_prepared",
]

_KIND = "kg-engine"
_CACHE_NAME = re.compile(r"[0-9a-f]{32}\.engine\.(json|sqlite)")
_SEP = "\x1f"  # joins the stems of a label key (never part of a token)


def engine_cache_path(cache_dir: Path, key: str) -> Path:
    """Where the prepared engine data of one graph lives."""
    return Path(cache_dir) / "snapshot" / f"{key[:32]}.engine.json"


def engine_tables_path(cache_dir: Path, key: str) -> Path:
    """Where the prepared engine data of one large graph lives, as SQLite tables."""
    return Path(cache_dir) / "snapshot" / f"{key[:32]}.engine.sqlite"


@gc_paused()
def save_prepared(cache_dir: Path, key: str, data: dict[str, Any],
                  tables: bool = False) -> Path | None:
    """Write the prepared data (as SQLite tables with ``tables``); None when the cache is
    not writable (not an error)."""
    if tables:
        return _save_tables(cache_dir, key, data)
    path = engine_cache_path(cache_dir, key)
    body = {"kind": _KIND, "key": key, "data": data}
    try:
        atomic_write(path, orjson.dumps(body))
    except (OSError, TypeError):
        return None
    _drop_stale(path, key)
    return path


@gc_paused()
def load_prepared(cache_dir: Path, key: str) -> dict[str, Any] | None:
    """The prepared data stored for ``key`` by this code (its tables first), or
    None."""
    found = _load_tables(cache_dir, key)
    if found is not None:
        return found
    try:
        body = orjson.loads(engine_cache_path(cache_dir, key).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("kind") != _KIND:
        return None
    if body.get("key") != key:
        return None
    data = body.get("data")
    return data if isinstance(data, dict) else None


def remove_prepared(cache_dir: Path, content_hash: str | None = None) -> int:
    """Delete the engine caches of the graph with ``content_hash`` in every language
    (every one when it is None); returns how many were removed."""
    family = graph_family(content_hash) if content_hash is not None else ""
    return remove_matching(Path(cache_dir) / "snapshot", _CACHE_NAME, prefix=family)


def _drop_stale(path: Path, key: str) -> None:
    """Remove the same graph's engine caches made by other code (see kg.fingerprint)."""
    for old in stale_siblings(path.parent, key, _CACHE_NAME, path):
        if old.name[:32] != path.name[:32]:  # the other form of this very key stays
            remove_path(old)


_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE labels(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE retired(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE known(key TEXT PRIMARY KEY, head TEXT NOT NULL, size INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE vocabulary(key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE postings(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
"""


def _save_tables(cache_dir: Path, key: str, data: dict[str, Any]) -> Path | None:
    path = engine_tables_path(cache_dir, key)
    matcher, lexical = data["matcher"], data["lexical"]
    meta = {"kind": _KIND, "key": key, "count": int(lexical["count"])}

    def fill(con: sqlite3.Connection) -> None:
        con.executescript(_TABLES)
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [(k, orjson.dumps(v)) for k, v in meta.items()])
        con.executemany("INSERT INTO labels VALUES (?, ?)", (
            (_SEP.join(words), orjson.dumps(sorted(iris))) for words, iris in matcher["table"]))
        con.executemany("INSERT INTO retired VALUES (?, ?)",
                        ((_SEP.join(words), old) for words, old in matcher["retired"]))
        con.executemany("INSERT INTO known VALUES (?, ?, ?)",
                        ((w, w[0], len(w)) for w in matcher["known"]))
        con.execute("CREATE INDEX known_bucket ON known(head, size)")
        con.executemany("INSERT INTO vocabulary VALUES (?)",
                        ((w,) for w in data["vocabulary"]))
        con.executemany("INSERT INTO postings VALUES (?, ?)", (
            (stem, orjson.dumps(keys)) for stem, keys in lexical["postings"].items()))

    try:
        fill_database(path, fill)
    except (OSError, sqlite3.Error, TypeError, KeyError, ValueError):
        return None
    _drop_stale(path, key)
    return path


def _load_tables(cache_dir: Path, key: str) -> dict[str, Any] | None:
    """The prepared data of :func:`_save_tables` as tables read on demand, or None."""
    opened = open_database(engine_tables_path(cache_dir, key))
    if opened is None:
        return None
    con, meta = opened
    try:
        if (meta.get("kind"), meta.get("key")) != (_KIND, key):
            raise ValueError("stale")
        count = int(meta["count"])
    except (sqlite3.Error, OSError, ValueError, TypeError, KeyError):
        con.close()
        return None
    lock = threading.Lock()

    def table(sql: str, decode: Callable[[Any], Any], encode: Callable[[Any], Any] = str,
              scan: str = "", unscan: Callable[[str], Any] | None = None) -> _Lookup:
        return _Lookup(con, lock, sql, decode, encode, scan, unscan)

    def joined(key: tuple[str, ...]) -> str:
        return _SEP.join(key)

    def split(key: str) -> tuple[str, ...]:
        return tuple(key.split(_SEP))

    def iris(value: bytes) -> set[str]:
        return set(orjson.loads(value))

    def present(_: object) -> bool:
        return True

    return {
        "matcher": {
            "table": table("SELECT value FROM labels WHERE key = ?", iris, joined,
                           "SELECT key FROM labels", split),
            "retired": table("SELECT value FROM retired WHERE key = ?", str, joined,
                             "SELECT key FROM retired", split),
            "known": table("SELECT 1 FROM known WHERE key = ?", present,
                           scan="SELECT key FROM known"),
            "buckets": _Buckets(con, lock),
        },
        "vocabulary": table("SELECT 1 FROM vocabulary WHERE key = ?", present,
                            scan="SELECT key FROM vocabulary"),
        "lexical": {
            "postings": table("SELECT value FROM postings WHERE key = ?", orjson.loads,
                              scan="SELECT key FROM postings"),
            "count": count,
        },
    }


class _Lookup(Mapping):
    """One table of the engine cache as a read-only mapping, one key per query (answers
    kept); iterating it scans the table (for re-saving, never for a question)."""

    def __init__(self, con: sqlite3.Connection, lock: threading.Lock, sql: str,
                 decode: Callable[[Any], Any], encode: Callable[[Any], Any],
                 scan: str, unscan: Callable[[str], Any] | None = None) -> None:
        self._con, self._lock, self._sql, self._scan = con, lock, sql, scan
        self._decode, self._encode, self._unscan = decode, encode, unscan or str
        self._known: dict[Any, Any] = {}
        self._absent: set[Any] = set()

    def __getitem__(self, key: Any) -> Any:
        if key in self._known:
            return self._known[key]
        if key in self._absent:
            raise KeyError(key)
        try:
            encoded = self._encode(key)
        except TypeError:
            raise KeyError(key) from None
        with self._lock:
            row = self._con.execute(self._sql, (encoded,)).fetchone()
        if row is None:
            self._absent.add(key)
            raise KeyError(key)
        found = self._known[key] = self._decode(row[0])
        return found

    def __iter__(self) -> Iterator[Any]:
        with self._lock:
            rows = self._con.execute(self._scan).fetchall()
        return (self._unscan(r[0]) for r in rows)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Buckets(Mapping):
    """``(first letter, length) -> known words`` for the typo repair, from the ``known``
    table's index."""

    def __init__(self, con: sqlite3.Connection, lock: threading.Lock) -> None:
        self._con, self._lock = con, lock
        self._known: dict[tuple[str, int], list[str]] = {}

    def __getitem__(self, key: tuple[str, int]) -> list[str]:
        found = self._known.get(key)
        if found is None:
            with self._lock:
                rows = self._con.execute(
                    "SELECT key FROM known WHERE head = ? AND size = ? ORDER BY key",
                    key).fetchall()
            found = self._known[key] = [r[0] for r in rows]
        if not found:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[tuple[str, int]]:
        with self._lock:
            rows = self._con.execute("SELECT DISTINCT head, size FROM known").fetchall()
        return iter([(h, n) for h, n in rows])

    def __len__(self) -> int:
        return sum(1 for _ in self)
