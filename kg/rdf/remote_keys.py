"""The keys of a long read from an endpoint, listed one part (one predicate) at a time.

:meth:`kg.rdf.remote.Endpoint.by_key` lists the keys (subjects) of what it reads before
reading their rows in batches. Listed and counted in one query, the keys of several
predicates make an engine join the predicates with the whole store: Oxigraph counted the
subjects of the setup predicates of a ten-million-triple store in 195 s, past any request
timeout. Per predicate and without a filter the same figures come from the predicate's
index in about a second, and its subject list in pages of :data:`KEY_PAGE` (a filter such
as ``isIRI(?s)`` makes the engine look at every term: 16 s for two million rows, against
0.8 s without). So :func:`list_part` counts and lists one part unfiltered, leaves out the
blank nodes here, and only falls back to the filtered count, or to a list by key order,
when the unfiltered one cannot be trusted (blank keys, a list cut short).

The keys of all the parts are merged in a :class:`KeySet`: a temporary SQLite file, not
memory, so a store with millions of subjects costs disk, and they come back sorted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["KEY_PAGE", "KeySet", "list_part"]

#: Keys asked for in one page of an unfiltered key list (about 2 s each in Oxigraph at ten
# million triples, the page at the end as cheap as the first: the keys skipped are never
# looked up as text).
KEY_PAGE = 100_000
_LINES = ("text/tab-separated-values, application/sparql-results+json;q=0.8, "
          "application/sparql-results+xml;q=0.5")


class Endpoint(Protocol):
    """What is used here of :class:`kg.rdf.remote.Endpoint` (which imports this module)."""

    cap: int | None
    rows: int
    most: int

    def tally(self, pattern: str, key: str = "s", named: bool = True) -> tuple[int, int]: ...

    def request(self, query: str, accept: str = ...) -> Any: ...

    def key_list(self, reply: Any, key: str, strict: bool = True) -> tuple[list[str], int]: ...

    def keys(self, pattern: str, key: str = "s", ordered: bool = False) -> list[str]: ...


class KeySet:
    """Keys gathered from several lists, each kept once and read back in code point order
    (UTF-8 bytes sort so). The keys of the part being listed are held apart until
    :meth:`keep`, so they can be counted, or dropped and listed again."""

    def __init__(self) -> None:
        self._con = sqlite3.connect("", check_same_thread=False)  # "": a temporary file
        self._con.executescript("CREATE TABLE k (v TEXT PRIMARY KEY) WITHOUT ROWID;"
                                "CREATE TABLE part (v TEXT PRIMARY KEY) WITHOUT ROWID;")
        self._reader: sqlite3.Cursor | None = None

    def add(self, keys: Iterable[str]) -> None:
        """Add ``keys`` to the part being listed."""
        self._con.executemany("INSERT OR IGNORE INTO part VALUES (?)", ((k,) for k in keys))

    def listed(self) -> int:
        """How many distinct keys the part being listed has."""
        return int(self._con.execute("SELECT COUNT(*) FROM part").fetchone()[0])

    def drop(self) -> None:
        """Forget the part being listed (to list it again)."""
        self._con.execute("DELETE FROM part")

    def kept(self) -> int:
        """Merge the part listed into the keys; returns how many distinct keys it had."""
        n = self.listed()
        self._con.execute("INSERT OR IGNORE INTO k SELECT v FROM part")
        self.drop()
        return n

    def total(self) -> int:
        """How many distinct keys all the parts kept have."""
        return int(self._con.execute("SELECT COUNT(*) FROM k").fetchone()[0])

    def take(self, n: int) -> list[str]:
        """The next ``n`` keys kept, in order (the first call starts from the smallest)."""
        if self._reader is None:
            self._reader = self._con.execute("SELECT v FROM k ORDER BY v")
        return [row[0] for row in self._reader.fetchmany(n)]

    def close(self) -> None:
        """Drop the keys (the temporary file goes with the connection)."""
        self._con.close()


def list_part(endpoint: Endpoint, part: str, key: str, listed: KeySet) -> tuple[int, int]:
    """List the IRIs ``?key`` takes in ``part`` into ``listed`` (then :meth:`KeySet.kept`
    tells how many); returns how many there are and how many rows ``part`` has with them,
    as counted by the endpoint."""
    count, rows = endpoint.tally(part, key, named=False)
    if not count:
        return 0, 0
    others = _pages(endpoint, part, key, listed)
    if others or listed.listed() != count:  # blank keys, or the list was cut: filtered
        count, rows = endpoint.tally(part, key)
        if listed.listed() != count:  # cut, or changed while listed: by key order
            listed.drop()
            listed.add(endpoint.keys(part, key, ordered=True))
    return count, rows


def _pages(endpoint: Endpoint, part: str, key: str, listed: KeySet) -> int:
    """List the distinct values of ``?key`` in ``part``, unfiltered and unordered, in pages
    of :data:`KEY_PAGE` (an engine streams them from its index in a stable order); the IRIs
    go into ``listed``, the number of other values (blank nodes) is returned. A page cut by
    a cap ends the list early: :func:`list_part` sees it short."""
    query = f"SELECT DISTINCT ?{key} WHERE {{ {part} }}"
    others, offset = 0, 0
    while True:
        size = min(KEY_PAGE, endpoint.cap) if endpoint.cap else KEY_PAGE
        reply = endpoint.request(f"{query} LIMIT {size} OFFSET {offset}", _LINES)
        found, odd = endpoint.key_list(reply, key, strict=False)
        listed.add(found)
        n = len(found) + odd
        endpoint.rows += n
        endpoint.most = max(endpoint.most, n)
        others += odd
        offset += n
        if n < size:
            return others
