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

from kg.files import fill_atomically, open_database
from kg.fuzzy import close_matches
from kg.qa.complete import Completion
from kg.qa.linking import LabelMatcher
from kg.qa.text import norm, tokens, tokens_many
from kg.view.graph_view import GraphView, node_attrs
from kg.view.sqlite_store import ViewStore

__all__ = ["StoreCompleter", "open_completer"]

_SCAN = 20_000  # as kg.qa.complete: index entries scanned per query word at most
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
    def fill(tmp: Path) -> None:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
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
            con.commit()
        finally:
            con.close()

    fill_atomically(path, fill)


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


class StoreCompleter:
    """:meth:`kg.qa.complete.Completer.complete` over the tables of :func:`open_completer`."""

    def __init__(self, con: sqlite3.Connection, view: GraphView,
                 matcher: Callable[[], LabelMatcher]) -> None:
        self._con = con
        self._view = view
        self._matcher = matcher
        self._lock = threading.Lock()

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def _with_prefix(self, prefix: str) -> set[int]:
        return {r[0] for r in self._rows("SELECT id FROM words WHERE word >= ? AND word < ? "
                                         "ORDER BY word, id LIMIT ?",
                                         (prefix, prefix + _TOP, _SCAN))}

    def _close_word(self, word: str) -> str | None:
        if len(word) < 3:
            return None
        rows = self._rows("SELECT word FROM words WHERE word >= ? AND word < ? "
                          "ORDER BY word, id LIMIT ?", (word[0], word[0] + _TOP, 20 * _SCAN))
        pool = {w for (w,) in rows if abs(len(w) - len(word)) <= 1}
        found = close_matches(word, sorted(pool), n=1, cutoff=0.75)
        return found[0] if found else None

    def _prefix_hits(self, words: list[str]) -> set[int]:
        hits: set[int] | None = None
        for word in sorted(words, key=len, reverse=True):  # the rarest (longest) first
            found = self._with_prefix(word)
            hits = found if hits is None else hits & found
            if not hits:
                return set()
        return hits or set()

    def _names(self, ids: list[int]) -> dict[int, tuple[str, str, str]]:
        found: dict[int, tuple[str, str, str]] = {}
        for at in range(0, len(ids), 500):
            part = ids[at:at + 500]
            marks = ",".join("?" * len(part))
            found.update((i, (iri, name, text)) for i, iri, name, text in self._rows(
                f"SELECT id, iri, name, norm FROM names WHERE id IN ({marks})", tuple(part)))
        return found

    def complete(self, text: str, limit: int = 10) -> list[Completion]:
        """Up to ``limit`` nodes whose label or alternative label fits ``text``, best first
        (ranked as :meth:`kg.qa.complete.Completer.complete` ranks them)."""
        words = tokens(text)
        if not words or limit < 1:
            return []
        typed = " ".join(words)
        hits = self._prefix_hits(words)
        if not hits and len(words) > 1:
            repaired = self._matcher().repair(words[:-1]) + words[-1:]
            hits = self._prefix_hits(repaired)
        if not hits:
            close = [self._close_word(w) for w in words]
            if all(close):
                fixed = [w for w in close if w]
                hits = self._prefix_hits(fixed)
                typed = " ".join(fixed)
        ranked: dict[str, tuple[tuple[int, int, str], int]] = {}
        names = self._names(sorted(hits))

        def offer(iri: str, index: int, tier: int, name: str) -> None:
            key = (tier, len(name), name)
            if iri not in ranked or key < ranked[iri][0]:
                ranked[iri] = (key, index)

        for index in sorted(hits):
            iri, _, name = names[index]
            tier = 0 if name == typed else 1 if name.startswith(typed) else 2
            offer(iri, index, tier, name)
        if len(ranked) < limit:
            linked = sorted({m.iri for m in self._matcher().find(text)} - set(ranked))
            for at in range(0, len(linked), 500):
                part = linked[at:at + 500]
                marks = ",".join("?" * len(part))
                for index, iri, name, text_ in self._rows(
                        f"SELECT id, iri, name, norm FROM names WHERE iri IN ({marks}) "
                        "ORDER BY id", tuple(part)):
                    names[index] = (iri, name, text_)
                    if iri not in ranked:
                        offer(iri, index, 3, text_)
        best = sorted(ranked.items(), key=lambda kv: kv[1])[:limit]
        return [self._completion(iri, names[index][1]) for iri, (_, index) in best]

    def _completion(self, iri: str, name: str) -> Completion:
        label = self._view.label(iri)
        broader = self._view.broader(iri)
        return Completion(iri=iri, label=label,
                          matched="" if norm(name) == norm(label) else name,
                          broader=self._view.label(broader[0]) if broader else "")
