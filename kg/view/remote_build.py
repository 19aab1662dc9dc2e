"""The local store of an endpoint used in place, written without holding the graph.

:func:`write_streamed` writes the same store as :func:`kg.view.sqlite_store.write_store`
of the view the setup triples project to (the *skeleton*), but never builds that view:

1. the setup triples are written to the store's ``setup`` table as they are read (pages
   of the endpoint, nothing kept in memory), indexed by subject and by object;
2. the nodes are projected ``CHUNK`` at a time, in IRI order (the view's own order): each
   chunk from its own triples, the triples that point at it (types left out: a class's
   members say nothing about it) and its neighbours' setup triples, by the same
   :func:`~kg.view.graph_view.view_from_triples` as the whole view. A node's row, labels,
   names and out-edges come from its chunk's projection, which holds every triple about
   it, so they equal the whole view's; the graph-wide tables (predicate and type labels,
   retired terms) are the union of the chunks'.

Memory is bounded by a chunk and its neighbours (a hub with many children makes its chunk
larger), not by the graph. Two corner cases read differently from the whole view: a
description with markup naming a node that is no neighbour keeps that node's IRI, and a
chain of replacements longer than one step is followed one step.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from kg.files import fill_database, remove_path
from kg.fingerprint import stale_siblings
from kg.rdf.terms import LABEL_PREDICATES, RDF
from kg.view.graph_view import node_row, view_from_triples
from kg.view.sqlite_store import (
    INDEXES,
    SCHEMA,
    SETUP,
    SETUP_INDEX,
    STORE_NAME,
    name_keys,
    store_path,
)

if TYPE_CHECKING:
    from kg.rdf.triples import RawTriple

__all__ = ["CHUNK", "write_streamed"]

#: Nodes projected together.
CHUNK = 2048
_IN = 500  # IRIs per IN (...) lookup, well under SQLite's limit on parameters
_INSERT = 10_000  # setup triples written per statement batch
_TYPE = str(RDF.type)
_LABELS = frozenset(str(p) for p in LABEL_PREDICATES)
#: What the caller adds to the meta once the nodes are written: given the node count,
# the predicate labels found, a reader of the nodes' IRIs in order and a label lookup.
Figures = Callable[[int, dict[str, str], Callable[[], Iterator[str]],
                    Callable[[str], str | None]], dict[str, Any]]


def write_streamed(cache_dir: Path, key: str, lang: str, triples: Iterable[RawTriple],
                   figures: Figures) -> Path:
    """Write the store of the view ``triples`` project to (see the module docstring);
    raises what reading ``triples`` raises (nothing is left half-written) and OSError or
    sqlite3.Error when the cache cannot be written."""
    path = store_path(cache_dir, key)

    def fill(con: sqlite3.Connection) -> None:
        con.executescript(SCHEMA)
        con.executescript(SETUP)
        languages = _write_setup(con, triples)
        con.execute(SETUP_INDEX)
        con.execute("CREATE INDEX setup_o ON setup(o)")
        tables = _project(con, lang)
        con.executescript(INDEXES)

        def iris() -> Iterator[str]:
            return (r[0] for r in con.execute("SELECT iri FROM nodes ORDER BY id"))

        def label(iri: str) -> str | None:
            row = con.execute("SELECT label FROM labels WHERE iri = ?", (iri,)).fetchone()
            return row[0] if row else None

        meta = {"key": key, "label_languages": languages, **tables}
        meta.update(figures(meta["node_count"], meta["predicate_labels"], iris, label))
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [(k, orjson.dumps(v)) for k, v in meta.items()])

    fill_database(path, fill)
    for old in stale_siblings(path.parent, key, STORE_NAME, path):
        remove_path(old)
    return path


def _write_setup(con: sqlite3.Connection, triples: Iterable[RawTriple]) -> list[list[Any]]:
    """Write the setup triples as they come; returns how many labels each language has
    (what the browser's language menu lists), counted on the way."""
    batch: list[tuple[str, str, str, int, str]] = []
    languages: Counter[str] = Counter()
    for s, p, o, lit, lang in triples:
        batch.append((s, p, o, int(lit), lang))
        if lit and p in _LABELS:
            languages[lang.lower()] += 1
        if len(batch) >= _INSERT:
            con.executemany("INSERT INTO setup VALUES (?, ?, ?, ?, ?)", batch)
            batch = []
    con.executemany("INSERT INTO setup VALUES (?, ?, ?, ?, ?)", batch)
    return [[tag, n] for tag, n in sorted(languages.items())]


def _chunks(cursor: sqlite3.Cursor) -> Iterator[list[str]]:
    """The IRIs the setup triples name (blank nodes left out), sorted, ``CHUNK`` at a time."""
    reader = cursor.execute("SELECT s AS n FROM setup UNION SELECT o FROM setup WHERE lit = 0 "
                         "ORDER BY n")
    while True:
        rows = reader.fetchmany(CHUNK)
        if not rows:
            return
        found = [r[0] for r in rows if not r[0].startswith("_:")]
        if found:
            yield found


def _select(con: sqlite3.Connection, where: str, iris: list[str], extra: str = ""
            ) -> list[tuple[str, str, str, int, str]]:
    found: list[tuple[str, str, str, int, str]] = []
    for at in range(0, len(iris), _IN):
        part = iris[at:at + _IN]
        marks = ",".join("?" * len(part))
        found += con.execute(f"SELECT s, p, o, lit, lang FROM setup WHERE {where} IN ({marks})"
                             f"{extra}", part).fetchall()
    return found


def _context(con: sqlite3.Connection, chunk: list[str]) -> list[RawTriple]:
    """Every setup triple about the chunk's nodes, and their neighbours' (SKOS-XL label
    forms followed): what the whole view's projection of these nodes reads."""
    rows = _select(con, "s", chunk)
    rows += _select(con, "o", chunk, f" AND lit = 0 AND p != '{_TYPE}'")
    near = {o for _, _, o, lit, _ in rows if not lit} | {s for s, _, _, _, _ in rows}
    near |= {p for _, p, _, _, _ in rows}
    near -= set(chunk)
    rows += _select(con, "s", sorted(near))
    while True:  # label resources' forms (SKOS-XL), and those of the neighbours
        blank = sorted({o for _, _, o, lit, _ in rows if not lit and o.startswith("_:")}
                       - {s for s, _, _, _, _ in rows})
        if not blank:
            break
        rows += _select(con, "s", blank)
    return sorted({(s, p, o, bool(lit), lang) for s, p, o, lit, lang in rows})


def _project(con: sqlite3.Connection, lang: str) -> dict[str, Any]:
    """Write the nodes, labels, edges, types and names tables chunk by chunk; returns the
    graph-wide meta entries."""
    predicate_labels: dict[str, str] = {}
    type_labels: dict[str, str] = {}
    retired: dict[str, Any] = {}
    count = 0
    writer = con.cursor()  # the chunk reader stays open on the connection's own cursor
    for chunk in _chunks(con.cursor()):
        view = view_from_triples(_context(con, chunk), lang)
        g = view.nx
        mine = [n for n in chunk if n in g]
        count += len(mine)
        writer.executemany("INSERT INTO nodes(iri, data) VALUES (?, ?)",
                           [(n, orjson.dumps(node_row(n, g.nodes[n])[1:])) for n in mine])
        writer.executemany("INSERT INTO labels(iri, label) VALUES (?, ?)",
                           [(n, view.labels[n]) for n in chunk if n in view.labels])
        writer.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", sorted(
            (n, v, d["predicate"], int(d["hierarchy"]))
            for n in mine for v, keys in g.succ[n].items() for d in keys.values()))
        writer.executemany("INSERT INTO types VALUES (?, ?)",
                           [(t, n) for n in mine for t in g.nodes[n]["types"]])
        writer.executemany("INSERT INTO names VALUES (?, ?)",
                           list(name_keys(view, ((n, g.nodes[n]) for n in mine))))
        predicate_labels.update(view.predicate_labels)
        type_labels.update(view.type_labels)
        chosen = set(chunk)
        retired.update({k: list(v) for k, v in view.retired.items() if k in chosen})
    return {"predicate_labels": predicate_labels, "type_labels": type_labels,
            "retired": dict(sorted(retired.items())), "node_count": count}
