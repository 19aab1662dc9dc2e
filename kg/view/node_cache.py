"""Nodes fetched from an endpoint used in place, kept on disk between processes, for a while.

A question in place fetches the neighbourhoods it reads (:class:`kg.view.remote_view.
RemoteStore`): on a 100k-triple thesaurus that is most of a cold ``kg ask`` beyond what the
local file costs (8 round trips for one question). The next command often reads the same
nodes again: the top of the hierarchy, the concepts a user keeps asking about. So each
node's read (its row and edges) is kept in a small SQLite file beside the setup store, under
the same key (the endpoint's URL and triple count: a count that changes is a new file), and
reused by any process for at most ``max_age`` seconds, the interval after which the count
itself is checked again (``KG_SPARQL_RECHECK``). An edit that keeps the count (a label
changed, a link moved) thus reaches a new process at most that long after it is made
(without this file, at once; 0 keeps nothing here). The file is bounded
(:data:`NODES_MAX` nodes, the oldest dropped), and any fault reading or writing it only
costs the fetch it would have saved.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import orjson

from kg.view.graph_view import node_attrs, node_row

__all__ = ["NODES_MAX", "NODES_NAME", "NodeCache", "node_cache_path"]

#: Nodes kept in one file (about 1 kB each on disk): the oldest are dropped past this.
NODES_MAX = 50_000
NODES_NAME = re.compile(r"[0-9a-f]{32}\.nodes\.sqlite(-wal|-shm|-journal)?")
_Read = tuple[list[Any] | None, list[tuple[str, str, int]], list[tuple[str, str, int]]]
_SCHEMA = ("CREATE TABLE IF NOT EXISTS n (iri TEXT PRIMARY KEY, taken REAL NOT NULL, "
           "data BLOB NOT NULL) WITHOUT ROWID")


def node_cache_path(store: Path) -> Path:
    """The node file of the setup store at ``store`` (``<key>.view.sqlite``)."""
    return store.with_name(store.name.replace(".view.sqlite", ".nodes.sqlite"))


class NodeCache:
    """Node reads on disk, each trusted for ``max_age`` seconds from its fetch."""

    def __init__(self, path: Path, max_age: float, most: int = NODES_MAX) -> None:
        self.path, self.max_age, self.most = path, max_age, most
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._broken = max_age <= 0
        self.hits = 0

    def _open(self) -> sqlite3.Connection | None:
        if self._con is None and not self._broken:
            try:
                con = sqlite3.connect(self.path, timeout=0.5, check_same_thread=False,
                                      isolation_level=None)
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("PRAGMA synchronous=OFF")  # a lost write only costs a fetch
                con.execute(_SCHEMA)
                self._con = con
            except (OSError, sqlite3.Error):
                self._broken = True
        return self._con

    def get(self, iris: list[str]) -> dict[str, _Read]:
        """The fresh reads kept of ``iris`` (the others are missing)."""
        found: dict[str, _Read] = {}
        with self._lock:
            con = self._open()
            if con is None or not iris:
                return found
            oldest = time.time() - self.max_age
            try:
                for at in range(0, len(iris), 500):
                    part = iris[at:at + 500]
                    rows = con.execute(
                        f"SELECT iri, data FROM n WHERE taken > ? AND iri IN "
                        f"({','.join('?' * len(part))})", (oldest, *part))
                    for iri, data in rows:
                        row, out, into = orjson.loads(data)
                        row = node_row(iri, node_attrs(row)) if row else None  # as fetched
                        found[iri] = (row, [tuple(e) for e in out], [tuple(e) for e in into])
            except (sqlite3.Error, ValueError, TypeError):
                return {}
        self.hits += len(found)
        return found  # type: ignore[return-value]

    def put(self, reads: dict[str, _Read]) -> None:
        """Keep ``reads`` (just fetched); drop the oldest past :attr:`most`."""
        with self._lock:
            con = self._open()
            if con is None or not reads:
                return
            now = time.time()
            try:
                con.execute("BEGIN")
                con.executemany("INSERT OR REPLACE INTO n VALUES (?, ?, ?)",
                                ((iri, now, orjson.dumps(r)) for iri, r in reads.items()))
                over = con.execute("SELECT COUNT(*) FROM n").fetchone()[0] - self.most
                if over > 0:
                    con.execute("DELETE FROM n WHERE iri IN (SELECT iri FROM n ORDER BY taken "
                                "LIMIT ?)", (over,))
                con.execute("COMMIT")
            except sqlite3.Error:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    pass

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
