"""The graph view on disk as a SQLite database, so a question opens only what it touches.

Loading the JSON snapshot (:mod:`kg.view.snapshot`) of a million-triple graph and
assembling its networkx graph costs more than a second before the first question; most of
that graph is never looked at. ``<cache>/snapshot/<key>.view.sqlite`` (the key as for the
snapshot, :func:`kg.fingerprint.cache_key`) holds the same view as rows (standard library
``sqlite3``, no server, no new dependency):

* ``nodes``: one row per node, its attributes as the compact JSON row of
  :meth:`GraphView.to_data`, in the view's node order;
* ``labels``: the shown label of every IRI the view names;
* ``edges``: ``(u, v, predicate, hierarchy)`` in the snapshot's edge order, indexed by
  ``u`` and by ``v``, so one node's edges come back in the order networkx holds them;
* ``types``: ``(type, iri)`` indexed by type, for "which <class>" questions;
* ``names``: ``(key, iri)`` indexed by key: each named node under its IRI case-folded and
  the normalised forms of its label, alternative labels and local name, so a name typed by
  a user is resolved with one indexed read (:meth:`ViewStore.named`), not a scan;
* ``meta``: the cache key, the predicate and type labels, the retired
  terms, the node count and how many nodes have each degree (the hub threshold).

The store of a graph used in place on a SPARQL endpoint (:mod:`kg.view.remote_view`) has one
more table, ``setup``: the triples read from the endpoint at setup (labels, definitions,
types, hierarchy links), indexed by subject, which give a fetched node's neighbours their
names and kinds.

It is written once, to a temporary name, fsynced and renamed (:func:`kg.files.fill_atomically`),
never changed afterwards, and read with ``immutable=1``. A store made by other code, for
another graph, truncated or unreadable is ignored (and rebuilt by the workspace); writing
one removes the same graph's stores made by other code.
:mod:`kg.view.lazy` turns an open store into a view.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from kg.files import fill_database, open_database, remove_matching, remove_path
from kg.fingerprint import graph_family, stale_siblings
from kg.rdf.terms import LABEL_PREDICATES
from kg.view.graph_view import GraphView, degree_counts

if TYPE_CHECKING:
    from kg.rdf.triples import RawTriple

__all__ = [
    "INDEXES",
    "SCHEMA",
    "SETUP",
    "SETUP_INDEX",
    "STORE_NAME",
    "ViewStore",
    "name_keys",
    "open_store",
    "remove_stores",
    "store_path",
    "write_store",
]

STORE_NAME = re.compile(r"[0-9a-f]{32}\.view\.sqlite")
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE nodes(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, data BLOB NOT NULL);
CREATE TABLE labels(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, label TEXT NOT NULL);
CREATE TABLE edges(u TEXT NOT NULL, v TEXT NOT NULL, p TEXT NOT NULL, h INTEGER NOT NULL);
CREATE TABLE types(type TEXT NOT NULL, iri TEXT NOT NULL);
CREATE TABLE names(key TEXT NOT NULL, iri TEXT NOT NULL);
"""
INDEXES = """
CREATE INDEX edges_u ON edges(u);
CREATE INDEX edges_v ON edges(v);
CREATE INDEX types_type ON types(type);
CREATE INDEX names_key ON names(key);
"""
SETUP = """
CREATE TABLE setup(s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, lit INTEGER NOT NULL,
                   lang TEXT NOT NULL);
"""
SETUP_INDEX = "CREATE INDEX setup_s ON setup(s, o);"
_CHUNK = 500  # IRIs per IN (...) lookup, well under SQLite's limit on parameters
_FIRST_PAGE, _PAGE_MAX = 4096, 262_144  # rows of a paged scan: its first page, its largest
_NODE_PAGE_MAX = 16_384  # nodes' rows are about 1 kB each: a page of them stays small
_LABELS = tuple(str(p) for p in LABEL_PREDICATES)  # best first


def store_path(cache_dir: Path, key: str) -> Path:
    """Where the on-disk view of one graph lives."""
    return Path(cache_dir) / "snapshot" / f"{key[:32]}.view.sqlite"


def write_store(cache_dir: Path, key: str, view: GraphView,
                meta: dict[str, Any] | None = None,
                setup: list[RawTriple] | None = None) -> Path | None:
    """Write the store of ``view``; returns its path, or None when the cache is not
    writable (the store only saves time, so failing to write one is not an error).
    ``meta`` adds to or replaces the meta entries; ``setup`` fills the setup table."""
    path = store_path(cache_dir, key)
    data = view.to_data()
    meta = {
        "key": key,
        "predicate_labels": data["predicate_labels"],
        "type_labels": data["type_labels"],
        "retired": data["retired"],
        "node_count": len(data["nodes"]),
        "degrees": sorted(degree_counts(view.nx).items()),
        **(meta or {}),
    }

    def fill(con: sqlite3.Connection) -> None:
        con.executescript(SCHEMA)
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [(k, orjson.dumps(v)) for k, v in meta.items()])
        con.executemany("INSERT INTO nodes(iri, data) VALUES (?, ?)",
                        ((row[0], orjson.dumps(row[1:])) for row in data["nodes"]))
        con.executemany("INSERT INTO labels(iri, label) VALUES (?, ?)",
                        data["labels"].items())
        con.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", data["edges"])
        con.executemany("INSERT INTO types VALUES (?, ?)",
                        ((t, row[0]) for row in data["nodes"] for t in row[4]))
        con.executemany("INSERT INTO names VALUES (?, ?)",
                        name_keys(view, view.nx.nodes(data=True)))
        if setup is not None:
            con.executescript(SETUP)
            con.executemany("INSERT INTO setup VALUES (?, ?, ?, ?, ?)",
                            ((s, p, o, int(lit), lang) for s, p, o, lit, lang in setup))
            con.execute(SETUP_INDEX)
        con.executescript(INDEXES)

    try:
        fill_database(path, fill)
    except (OSError, sqlite3.Error):
        return None
    for old in stale_siblings(path.parent, key, STORE_NAME, path):
        remove_path(old)
    return path


def name_keys(view: GraphView, nodes: Iterable[tuple[str, dict[str, Any]]]
              ) -> Iterator[tuple[str, str]]:
    """``(key, iri)`` for every form :func:`kg.view.concepts.resolve` matches each of
    ``nodes`` (``(iri, attributes)`` of ``view``) by."""
    from kg.view.concepts import normalise
    from kg.view.graph_view import local_name

    for iri, attrs in nodes:
        if iri.startswith("_:"):
            continue
        forms = {iri.casefold(), normalise(view.label(iri)), normalise(local_name(iri))}
        forms.update(normalise(a) for a in attrs.get("alt_labels", []))
        yield from ((key, iri) for key in forms if key)


class ViewStore:
    """An open, read-only store: the queries :mod:`kg.view.lazy` needs, nothing else.

    One connection, shared by the threads of a server behind a lock (SQLite connections
    are not safe to use from two threads at once)."""

    def __init__(self, con: sqlite3.Connection, meta: dict[str, Any], path: Path) -> None:
        self._con = con
        self._lock = threading.Lock()
        self.path = path
        self.meta = meta

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def node(self, iri: str) -> list[Any] | None:
        """The :meth:`GraphView.to_data` row of one node, or None when it is not a node."""
        rows = self._rows("SELECT data FROM nodes WHERE iri = ?", (iri,))
        return self.decoded(iri, rows[0][0]) if rows else None

    def label(self, iri: str) -> str | None:
        """The shown label of ``iri`` (None when the view has none)."""
        rows = self._rows("SELECT label FROM labels WHERE iri = ?", (iri,))
        return rows[0][0] if rows else None

    def out_edges(self, iri: str) -> list[tuple[str, str, int]]:
        """``(v, predicate, hierarchy)`` of the edges leaving ``iri``, in view order."""
        return self._rows("SELECT v, p, h FROM edges WHERE u = ? ORDER BY rowid", (iri,))

    def in_edges(self, iri: str) -> list[tuple[str, str, int]]:
        """``(u, predicate, hierarchy)`` of the edges entering ``iri``, in view order."""
        return self._rows("SELECT u, p, h FROM edges WHERE v = ? ORDER BY rowid", (iri,))

    def prefetch(self, iris: Iterable[str]) -> None:
        """Nothing to read ahead: one node is one indexed read."""

    def named(self, keys: Iterable[str]) -> set[str] | None:
        """The nodes filed under any of ``keys`` in the names table (None: a store written
        without one)."""
        keys = sorted({k for k in keys if k})
        if not keys:
            return set()
        marks = ",".join("?" * len(keys))
        try:
            rows = self._rows(f"SELECT iri FROM names WHERE key IN ({marks})", tuple(keys))
        except sqlite3.Error:
            return None
        return {r[0] for r in rows}

    def members(self, type_iri: str) -> set[str]:
        """The nodes typed with ``type_iri``."""
        return {r[0] for r in self._rows("SELECT iri FROM types WHERE type = ?", (type_iri,))}

    def setup_triples(self, iris: set[str], holder: str = "") -> list[RawTriple]:
        """The setup triples whose subject is one of ``iris`` (with the literal forms of
        the SKOS-XL labels among them), and those of ``holder`` whose object is one."""
        found: list[RawTriple] = []
        names = sorted(iris)
        for at in range(0, len(names), _CHUNK):
            chunk = names[at:at + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found += self._rows(f"SELECT s, p, o, lit, lang FROM setup WHERE s IN ({marks})",
                                tuple(chunk))
            if holder:
                found += self._rows("SELECT s, p, o, lit, lang FROM setup WHERE s = ? AND "
                                    f"o IN ({marks})", (holder, *chunk))
        forms = sorted({o for _, _, o, lit, _ in found if not lit and o.startswith("_:xl")})
        if forms:
            found += self.setup_triples(set(forms))
        return [(s, p, o, bool(lit), lang) for s, p, o, lit, lang in found]

    def label_languages(self) -> list[tuple[str, int]]:
        """(language tag, number of labels in it) of the setup's labels, most used first, as
        :func:`kg.view.languages.label_languages` counts them: kept in the meta when the
        store was written, else counted once from the setup table."""
        kept = self.meta.get("label_languages")
        if kept is None:
            marks = ",".join("?" * len(_LABELS))
            kept = self._rows(f"SELECT lower(lang), COUNT(*) FROM setup WHERE lit = 1 AND p IN "
                              f"({marks}) GROUP BY lower(lang)", _LABELS)
        return sorted(((t, int(n)) for t, n in kept), key=lambda kv: (-kv[1], kv[0]))

    def label_in(self, iri: str, lang: str) -> str | None:
        """The label of ``iri`` in ``lang`` ("" for untagged) chosen as
        :func:`kg.view.languages.labels_in` chooses it (best predicate, then the first text
        case-insensitively), from the setup table: one indexed read, no table of every
        label in memory."""
        marks = ",".join("?" * len(_LABELS))
        rows = self._rows(f"SELECT p, o FROM setup WHERE s = ? AND lit = 1 AND p IN ({marks}) "
                          "AND lower(lang) = ?", (iri, *_LABELS, lang.lower()))
        found = [(_LABELS.index(p), " ".join(o.split())) for p, o in rows]
        found = [(rank, text.casefold(), text) for rank, text in found if text]
        return min(found)[2] if found else None

    def all_setup(self) -> list[RawTriple]:
        """Every setup triple (to build the label tables and the index again)."""
        rows = self._rows("SELECT s, p, o, lit, lang FROM setup ORDER BY rowid")
        return [(s, p, o, bool(lit), lang) for s, p, o, lit, lang in rows]

    def iris(self) -> Iterator[str]:
        """Every node, in view order (a whole-graph scan: for exports and tools, never
        for a question)."""
        yield from (r[1] for r in self._paged("SELECT id, iri FROM nodes"))

    def labelled(self) -> Iterator[tuple[str, str]]:
        """Every ``(iri, label)`` pair, in view order (a whole-graph scan when read to the
        end; the first few cost a page, not the table)."""
        yield from ((r[1], r[2]) for r in self._paged("SELECT id, iri, label FROM labels"))

    def node_rows(self) -> Iterator[tuple[str, bytes, str | None]]:
        """Every node as ``(iri, its row encoded, shown label or None)`` in view order,
        read in pages (a whole-graph scan in a query per page: reading it node by node cost
        a query per node and, on a store larger than the page cache, a seek each); the row
        is decoded by :meth:`decoded` only when it is needed."""
        for _, iri, data, label in self._paged(
                "SELECT n.id, n.iri, n.data, l.label FROM nodes n "
                "LEFT JOIN labels l ON l.iri = n.iri", "n.id", _NODE_PAGE_MAX):
            yield iri, data, label

    @staticmethod
    def decoded(iri: str, data: bytes) -> list[Any]:
        """The :meth:`GraphView.to_data` row of a node from its encoded form."""
        return [iri, *orjson.loads(data)]

    def _paged(self, select: str, by: str = "id", most: int = _PAGE_MAX) -> Iterator[tuple]:
        """The rows of ``select`` (its first column the table's ``id``) in id order, read
        in pages by id: a reader that stops early (a sample of the labels) never pays for
        the whole table (a million labels took 0.5 s), and no lock is held between pages."""
        last, size = -(2**63), _FIRST_PAGE
        while True:
            rows = self._rows(f"{select} WHERE {by} > ? ORDER BY {by} LIMIT ?", (last, size))
            yield from rows
            if len(rows) < size:
                return
            last, size = rows[-1][0], min(size * 4, most)

    def close(self) -> None:
        """Close the connection (the store is unusable afterwards)."""
        with self._lock:
            self._con.close()


def open_store(cache_dir: Path, key: str) -> ViewStore | None:
    """The store written under ``key`` (so by this code), or None when it is missing,
    stale, truncated or unreadable."""
    path = store_path(cache_dir, key)
    opened = open_database(path)
    if opened is None:
        return None
    con, meta = opened
    try:
        if meta.get("key") != key:
            raise ValueError("stale")
        for key in ("predicate_labels", "type_labels", "retired", "node_count", "degrees"):
            if key not in meta:
                raise ValueError(f"no {key}")
    except (sqlite3.Error, ValueError, TypeError):
        con.close()
        return None
    return ViewStore(con, meta, path)


def remove_stores(cache_dir: Path, content_hash: str | None = None) -> int:
    """Delete the stores of the graph with ``content_hash``, in every language, used in
    place or not (every store when it is None); returns how many were removed. Other
    files in the folder are left alone."""
    from kg.view.node_cache import NODES_NAME

    family = graph_family(content_hash) if content_hash is not None else ""
    folder = Path(cache_dir) / "snapshot"
    remove_matching(folder, NODES_NAME, prefix=family)  # nodes fetched in place, kept a while
    return remove_matching(folder, STORE_NAME, prefix=family)
