"""The search box of ``kg serve`` over an endpoint used in place, from tables on disk.

:class:`kg.qa.complete.Completer` keeps every name and a sorted list of every word in
memory: on a graph of ten million triples that is more than a gigabyte in the server. Over
an endpoint used in place the same index is written once to
``<cache>/snapshot/<key>.complete.sqlite`` (``names``: one row per name in the completer's
order; ``words``: ``(word, name)`` indexed by word), streamed from the local store's nodes
a batch at a time, and :class:`StoreCompleter` answers with the same ranking as the
completer, reading a word prefix as an index range. Typo repair and linking come from the
engine's label tables (themselves tables on disk for a large graph).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from kg.files import fill_database, open_database
from kg.qa.complete import NameIndex
from kg.qa.linking import LabelMatcher
from kg.qa.text import tokens_many
from kg.view.graph_view import GraphView, node_attrs
from kg.view.sqlite_store import ViewStore

__all__ = ["StoreCompleter", "open_completer"]

_BATCH = 10_000  # nodes read and written together
_TOP = "\U0010ffff"
_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE names(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, name TEXT NOT NULL,
                   norm TEXT NOT NULL);
CREATE TABLE words(word TEXT NOT NULL, id INTEGER NOT NULL);
"""
_INDEXES = """
CREATE INDEX words_word ON words(word, id);
CREATE INDEX names_iri ON names(iri);
"""


def _named(store: ViewStore) -> Iterator[tuple[str, str]]:
    """``(iri, name)`` in the completer's order: the nodes with a shown label that are
    concepts or have alternative labels, their label then their alternative labels."""
    opened = open_database(Path(store.path))  # its own connection: pages are not held up
    if opened is None:
        raise OSError(f"the store {store.path} cannot be read")
    con = opened[0]
    try:
        reader = con.execute("SELECT n.iri, n.data, l.iri IS NOT NULL FROM nodes n "
                             "LEFT JOIN labels l ON l.iri = n.iri ORDER BY n.id")
        for iri, data, labelled in reader:
            if not labelled:
                continue
            attrs = node_attrs([iri, *orjson.loads(data)])
            if not attrs.get("concept") and not attrs.get("alt_labels"):
                continue
            for name in [attrs.get("label", ""), *attrs.get("alt_labels", [])]:
                if name:
                    yield iri, name
    finally:
        con.close()


def _write(path: Path, store: ViewStore, key: str) -> None:
    def fill(con: sqlite3.Connection) -> None:
        con.executescript(_SCHEMA)
        batch: list[tuple[str, str]] = []
        at = 0

        def flush() -> None:
            nonlocal at
            norms = [" ".join(w) for w in tokens_many([n for _, n in batch])]
            ids = range(at, at + len(batch))
            con.executemany("INSERT INTO names VALUES (?, ?, ?, ?)",
                            [(i, iri, name, text) for i, (iri, name), text
                             in zip(ids, batch, norms, strict=True)])
            con.executemany("INSERT INTO words VALUES (?, ?)",
                            [(w, i) for i, text in zip(ids, norms, strict=True)
                             for w in set(text.split())])
            at += len(batch)
            batch.clear()

        for pair in _named(store):
            batch.append(pair)
            if len(batch) >= _BATCH:
                flush()
        flush()
        con.executescript(_INDEXES)
        con.execute("INSERT INTO meta VALUES ('key', ?)", (orjson.dumps(key),))

    fill_database(path, fill)


def open_completer(store: ViewStore, view: GraphView, key: str,
                   matcher: Callable[[], LabelMatcher]) -> StoreCompleter:
    """The completer of the in-place store ``store`` (its tables written first when there
    are none for ``key``); ``matcher`` gives the engine's label tables when needed."""
    path = Path(store.path).with_name(f"{key[:32]}.complete.sqlite")
    opened = open_database(path)
    if opened is None or opened[1].get("key") != key:
        if opened is not None:
            opened[0].close()
        _write(path, store, key)
        opened = open_database(path)
        if opened is None:
            raise OSError(f"the search tables {path} cannot be read")
    return StoreCompleter(opened[0], view, matcher)


class StoreCompleter(NameIndex):
    """The search box's ranking (:class:`kg.qa.complete.NameIndex`) over the tables of
    :func:`open_completer`: a word prefix is an index range."""

    def __init__(self, con: sqlite3.Connection, view: GraphView,
                 matcher: Callable[[], LabelMatcher]) -> None:
        super().__init__(view, matcher)
        self._con = con
        self._lock = threading.Lock()

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def _scan(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        return self._query("SELECT word, id FROM words WHERE word >= ? AND word < ? "
                           "ORDER BY word, id LIMIT ?", (prefix, prefix + _TOP, limit))

    def _names_where(self, column: str, keys: list, order: str = "") -> list[tuple]:
        """Rows of ``names`` whose ``column`` is among ``keys`` (read 500 at a time)."""
        out: list[tuple] = []
        for at in range(0, len(keys), 500):
            part = keys[at:at + 500]
            marks = ",".join("?" * len(part))
            out += self._query(f"SELECT id, iri, name, norm FROM names WHERE {column} IN "
                               f"({marks}){order}", tuple(part))
        return out

    def _rows(self, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        return {i: (iri, name, text) for i, iri, name, text in self._names_where("id", ids)}

    def _rows_of(self, iris: list[str]) -> list[tuple[int, str, str, str]]:
        return sorted(self._names_where("iri", iris))
