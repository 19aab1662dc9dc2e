"""One place that owns the loaded graph and everything derived from it, built lazily.

The CLI and the server each create one ``Workspace`` from :class:`~kg.config.Settings`;
the graph is parsed on first use, the networkx view and the QA engine are built from it on
first use, and nothing is built twice.

The view comes from the snapshot in the cache (:mod:`kg.view.snapshot`) when one exists for
the graph's content hash, which is computed from the file bytes alone: answering a
question then never parses RDF. Without a snapshot the view is built straight from the
files (:func:`kg.rdf.load.read_raw_triples`) and the snapshot written. The engine likewise
starts from the engine cache (:mod:`kg.qa.cache`) when it is fresh. A large graph's view
is also written as an on-disk store (:mod:`kg.view.sqlite_store`) and its engine cache as
tables: the engine then answers from a view read node by node as questions touch it
(:mod:`kg.view.lazy`), and the whole view is loaded only when something else asks for
:attr:`Workspace.view` (exports, index builds, the browser). The rdflib graph (and
the Oxigraph store behind it, when chosen) is only loaded when something asks for
:attr:`Workspace.graph`: SPARQL, validation, export.

With ``--sparql-endpoint`` every command uses the endpoint in place (:mod:`kg.view.remote_view`):
the names, definitions and types are read once into a local store, from which the label
tables and the index are built (:attr:`Workspace.names` looks names up there); the view
fetches each node's neighbourhood by SPARQL as it is read, :attr:`Workspace.graph` is an
rdflib graph whose every pattern is a query (:mod:`kg.rdf.remote_store`), and SPARQL
queries are passed through with the usual checks (:meth:`Workspace.query_runner`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from kg.config import Settings
from kg.errors import ConfigError
from kg.files import atomic_write, remove_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from rdflib import Graph

    from kg.qa.engine import Engine
    from kg.qa.index import IndexStatus, VectorIndex
    from kg.rdf.load import LoadedGraph
    from kg.rdf.recount import Count, Watch
    from kg.rdf.remote import Endpoint
    from kg.sparql.remote import RemoteRunner
    from kg.sparql.runner import QueryRunner
    from kg.view.graph_view import GraphView
    from kg.view.remote_view import RemoteStore

    Progress = Callable[[int, int], None] | None
    Notify = Callable[[str], None] | None

__all__ = ["ClearedCache", "Workspace"]


# What restoring an engine from a damaged (but well-stamped) cache file can raise.
_DAMAGED = (KeyError, TypeError, ValueError, AttributeError, IndexError, ZeroDivisionError)


# The folders of the cache directory that hold per-graph caches (each module owns one or two).
_CACHE_FOLDERS = ("index", "snapshot", "oxigraph")
# Folders kg writes that belong to no graph, so clearing graph caches keeps them.
_SHARED_FOLDERS = {"models": "the encoder exported to ONNX, shared by every graph"}
# The remembered digests of graph files (see Workspace.content_hash), and how many are kept.
_DIGESTS = "digests.json"
_MAX_DIGESTS = 256
_COUNTS = "endpoint-counts.json"  # SPARQL endpoints' triple counts, with when they were taken
# From this many nodes on, a graph's view is also kept as an on-disk store and questions
# are answered from it without loading the whole view (kg.view.lazy); smaller graphs load
# their whole view faster than they would open the store.
LAZY_MIN_NODES = 50_000


@dataclass(frozen=True)
class ClearedCache:
    """What :meth:`Workspace.clear_cache` removed, and what it left in the cache folder."""

    cache_dir: Path
    every_graph: bool
    indexes: int
    snapshots: int
    engine_caches: int
    stores: int
    kept: list[str] = field(default_factory=list)  # entries left alone, each with why


class Workspace:
    """Lazily loaded graph, view and engine for one set of settings."""

    def __init__(self, settings: Settings | None = None, notify: Notify = None) -> None:
        self.settings = settings or Settings()
        self._index = None
        self._engine = None
        self.view_source = ""  # "snapshot" or "graph" once the view is built
        #: told what a user should know of the data (an endpoint's data changed)
        self.notify = notify
        self._watch: Watch | None = None  # a long-running process's recount
        #: while the endpoint's new data is read beside the engine in use (kg.switching):
        #: what answers meanwhile should say
        self.changing: str | None = None
        #: called after :meth:`adopt` (the faces drop what they derived from the old data)
        self.switched: list[Callable[[], None]] = []

    @cached_property
    def loaded(self) -> LoadedGraph:
        """The parsed RDF (built-in ontology unless graph paths were given)."""
        from kg.rdf.load import load_graph

        s = self.settings
        if s.sparql_endpoint:  # read in place: each pattern is a query (kg.rdf.remote_store)
            from kg.rdf.remote_store import endpoint_graph
            from kg.rdf.sources import LoadedGraph

            graph = endpoint_graph(self.endpoint)
            graph.store._count = self._triples  # type: ignore[attr-defined]
            return LoadedGraph(graph=graph, sources=(s.sparql_endpoint,),
                               content_hash=self.content_hash, builtin=False,
                               extra={"triples": str(self._triples)}, store="sparql")
        return load_graph(
            s.graph_paths or None,
            max_bytes=s.max_graph_bytes,
            store=s.store,
            store_dir=s.resolved_cache_dir() if s.store != "memory" else None,
            sparql_endpoint=s.sparql_endpoint,
        )

    @property
    def graph(self) -> Graph:
        """The rdflib graph: the source of truth."""
        return self.loaded.graph

    @cached_property
    def content_hash(self) -> str:
        """The graph's content hash: from the file bytes, without parsing when possible."""
        if self.settings.sparql_endpoint:  # one count query
            from kg.rdf.sources import endpoint_hash

            return endpoint_hash(self.settings.sparql_endpoint, self._triples)
        if "loaded" in self.__dict__:
            return self.loaded.content_hash
        from kg.rdf.load import content_hash

        if not self.settings.snapshot:
            return content_hash(self.settings.graph_paths or None,
                                max_bytes=self.settings.max_graph_bytes)
        # File digests are remembered by file stamp, so an unchanged file is not hashed again.
        path = self.settings.resolved_cache_dir() / _DIGESTS
        try:
            known = orjson.loads(path.read_bytes())
            known = known if isinstance(known, dict) else {}
        except (OSError, ValueError):
            known = {}
        before = dict(known)
        digest = content_hash(self.settings.graph_paths or None,
                              max_bytes=self.settings.max_graph_bytes, known=known)
        if known != before:
            kept = dict(list(known.items())[-_MAX_DIGESTS:])
            try:
                atomic_write(path, orjson.dumps(kept))
            except OSError:
                pass  # a cache that cannot be written only costs time
        return digest

    @cached_property
    def endpoint(self) -> Endpoint:
        """The remote SPARQL endpoint of ``--sparql-endpoint`` (read in pages)."""
        from kg.net import parse_headers
        from kg.rdf.remote import Endpoint

        if not self.settings.sparql_endpoint:
            raise ConfigError("no SPARQL endpoint is configured (--sparql-endpoint URL).")
        return Endpoint(self.settings.sparql_endpoint, timeout=self.settings.query_timeout,
                        headers=parse_headers(self.settings.sparql_headers))

    @cached_property
    def endpoint_count(self) -> Count:
        """The endpoint's triple count, remembered in the cache (:mod:`kg.rdf.recount`): a
        command never waits on the whole-store count once one is remembered. One older
        than ``sparql_recheck`` is counted again after the command (a long-running process
        counts in its thread, :meth:`watch_endpoint`), and the next command uses it."""
        from kg.rdf.recount import recount_later, remembered_count

        path = self.settings.resolved_cache_dir() / _COUNTS
        count = remembered_count(self.endpoint, path, self.settings.sparql_recheck)
        if count.due and self._watch is None:
            recount_later(self.endpoint.url, self.endpoint.headers, self.endpoint.timeout, path)
        return count

    @cached_property
    def _triples(self) -> int:
        return self.endpoint_count.triples

    def watch_endpoint(self, on_change: Callable[[int, int], None]) -> Watch | None:
        """For a long-running process over an endpoint used in place: count the endpoint
        again every ``sparql_recheck`` seconds in a thread (the first time when the
        remembered count is due) and call ``on_change(before, now)`` when its data changed.
        None without an endpoint or with an interval of 0. Call before the graph is used."""
        if not self.settings.sparql_endpoint or self.settings.sparql_recheck <= 0:
            return None
        from kg.rdf.recount import Watch
        from kg.rdf.remote import Endpoint

        interval, ep = self.settings.sparql_recheck, self.endpoint
        own = Endpoint(ep.url, timeout=ep.timeout, headers=ep.headers)  # its own counters
        self._watch = Watch(own, self.settings.resolved_cache_dir() / _COUNTS, interval, -1,
                            on_change)
        count = self.endpoint_count
        self._watch.known = count.triples
        age = time.time() - count.taken
        return self._watch.start(first=0.0 if count.due else interval - age)

    def switch_on_change(self, tell: Notify = None) -> Watch | None:
        """For ``kg serve`` and ``kg mcp``: watch the endpoint (:meth:`watch_endpoint`) and,
        when its data changed, read it beside the engine in use and switch to it
        (:class:`kg.switching.Switcher`, saying what it does through ``tell``)."""
        from kg.switching import Switcher

        switcher = Switcher(self, tell)
        switcher.watch = self.watch_endpoint(switcher)
        return switcher.watch

    def adopt_watch(self, other: Workspace) -> None:
        """Share ``other``'s recount (a workspace read beside it starts none of its own)."""
        self._watch = other._watch

    def adopt(self, fresh: Workspace) -> None:
        """Take over what ``fresh`` (same settings, newer data) has read and built, in one
        step: a reader sees all of the old or all of the new; one that holds the old
        engine finishes with it."""
        own = ("settings", "notify", "_watch", "switched")
        state = {k: v for k, v in fresh.__dict__.items() if k not in own}
        state.update({k: self.__dict__[k] for k in own}, changing=None)
        # one assignment: what the old data made and fresh did not is made again on use
        self.__dict__ = state
        for callback in list(self.switched):
            callback()

    @property
    def endpoint_triples(self) -> int:
        """How many triples the endpoint holds (one count query, remembered)."""
        return self._triples

    @property
    def names(self) -> GraphView:
        """The view to look names up in (resolving what a user typed, completing it): the
        whole view, or for an endpoint used in place the names read at setup, so that
        no lookup fetches every node."""
        if self.settings.sparql_endpoint:
            return self._names
        return self.view

    @cached_property
    def _names(self) -> GraphView:
        """The names read from the endpoint, as a view read on demand from their store on
        disk (:mod:`kg.view.lazy`): opened in milliseconds, a name resolved by one indexed
        read, whatever the graph's size."""
        from kg.view.lazy import lazy_view

        return lazy_view(self.remote_store.local)

    def query_runner(self, *, workers: int = 1, timeout: float | None = None,
                     max_rows: int | None = None, memory_limit: int | None = 2 << 30
                     ) -> QueryRunner | RemoteRunner:
        """The read-only SPARQL runner: forked workers over the graph, or for an endpoint
        used in place the queries passed through to it (with the same checks)."""
        timeout = timeout or self.settings.query_timeout
        max_rows = max_rows or self.settings.max_rows
        if self.settings.sparql_endpoint:
            from kg.sparql.remote import RemoteRunner

            return RemoteRunner(self.endpoint, timeout=timeout, max_rows=max_rows)
        from kg.sparql.runner import QueryRunner

        return QueryRunner(self.graph, workers=workers, timeout=timeout, max_rows=max_rows,
                           memory_limit=memory_limit)

    def cache_key(self, part: str, in_place: bool = False) -> str:
        """The key of one derived file (:mod:`kg.fingerprint`): the content hash, the
        language (labels and definitions shown depend on it) and the code that builds
        ``part``; ``in_place`` for what is kept for an endpoint used in place."""
        from kg.fingerprint import cache_key

        return cache_key(self.content_hash, part, lang=self.settings.lang,
                         in_place="endpoint" if in_place else None)

    @cached_property
    def view_key(self) -> str:
        """The key of the view snapshot and the on-disk view store."""
        return self.cache_key("view")

    @cached_property
    def engine_key(self) -> str:
        """The key of the engine cache (what the engine derives from the view)."""
        return self.cache_key("engine", in_place=bool(self.settings.sparql_endpoint))

    @cached_property
    def view(self) -> GraphView:
        """The networkx projection of the graph (from the snapshot when it is fresh)."""
        from kg.view.graph_view import build_view

        if self.settings.sparql_endpoint:  # in place: nodes fetched as they are read
            from kg.view.lazy import lazy_view

            self.view_source = "endpoint"
            return lazy_view(self.remote_store)
        use_snapshot = self.settings.snapshot
        if use_snapshot:
            from kg.view.snapshot import load_snapshot, save_snapshot

            view = load_snapshot(self.settings.resolved_cache_dir(), self.view_key)
            if view is not None:
                self.view_source = "snapshot"
                self._keep_store(view)
                return view
        if "loaded" in self.__dict__:
            view = build_view(self.loaded.graph, self.settings.lang)
        else:  # straight from the files: no rdflib graph, no store (~1 s per million lines)
            from kg.rdf.load import read_raw_triples
            from kg.view.graph_view import view_from_triples

            view = view_from_triples(read_raw_triples(self.settings.graph_paths or None,
                                                      max_bytes=self.settings.max_graph_bytes),
                                     self.settings.lang)
        self.view_source = "graph"
        if use_snapshot:
            save_snapshot(self.settings.resolved_cache_dir(), self.view_key, view)
            self._keep_store(view)
        return view

    @cached_property
    def remote_key(self) -> str:
        """The key of the local store of an endpoint used in place."""
        return self.cache_key("view", in_place=True)

    @cached_property
    def remote_store(self) -> RemoteStore:
        """The endpoint used in place: its names read once (then kept in the cache), its
        nodes fetched as questions touch them."""
        from kg.view.remote_view import build_remote_store, open_remote_store

        cache_dir, lang = self.settings.resolved_cache_dir(), self.settings.lang
        keep_for = self.settings.sparql_recheck  # nodes fetched: reused as long as a count
        store = open_remote_store(self.endpoint, cache_dir, self.remote_key, lang, keep_for)
        if store is None:
            count = self.endpoint_count
            if count.before is not None and self.notify and self._read_at(count.before):
                self.notify(f"the endpoint's data changed ({count.before:,} triples, now "
                            f"{count.triples:,}): reading its names again")
            store = build_remote_store(self.endpoint, cache_dir, self.remote_key, lang,
                                       self._triples, keep_for)
        return store

    def _read_at(self, triples: int) -> bool:
        """Whether this cache holds names read from the endpoint when it had ``triples``
        (in any language, by any version): then a new count means its data changed since."""
        from kg.fingerprint import graph_family
        from kg.rdf.sources import endpoint_hash

        family = graph_family(endpoint_hash(str(self.settings.sparql_endpoint), triples))
        folder = self.settings.resolved_cache_dir() / "snapshot"
        return any(folder.glob(f"{family}*.view.sqlite"))

    def _documents(self) -> list:
        """The index documents: of the whole view, or of the names read from an endpoint
        used in place."""
        from kg.qa.documents import build_documents

        if self.settings.sparql_endpoint:  # streamed from the endpoint, resumable
            from kg.qa.stream import stream_documents

            return stream_documents(self.remote_store, self._documents_dir)
        return build_documents(self.view)

    @property
    def index_key(self) -> str:
        """The key of the vector index; an endpoint used in place has its own (documents
        from names and definitions only)."""
        return self.cache_key("index", in_place=bool(self.settings.sparql_endpoint))

    @property
    def _documents_dir(self) -> Path:
        """Where the document chunks read from an endpoint are kept until the index is built
        (so an interrupted build resumes)."""
        return self.settings.resolved_cache_dir() / "index" / f"{self.remote_key[:24]}.docs"

    def _keep_store(self, view: GraphView) -> None:
        """Write the on-disk view store of a large graph when there is none, so the next
        process answers from it without loading the whole view."""
        if view.nx.number_of_nodes() < LAZY_MIN_NODES:
            return
        from kg.view.sqlite_store import open_store, write_store

        cache_dir = self.settings.resolved_cache_dir()
        store = open_store(cache_dir, self.view_key)
        if store is not None:
            store.close()
            return
        write_store(cache_dir, self.view_key, view)

    def _lazy_view(self) -> GraphView | None:
        """The view read on demand from the on-disk store (:mod:`kg.view.lazy`), when the
        full view is not loaded already and a fresh store exists; else None."""
        if "view" in self.__dict__ or not self.settings.snapshot or self.settings.sparql_endpoint:
            return None
        from kg.view.lazy import lazy_view
        from kg.view.sqlite_store import open_store

        store = open_store(self.settings.resolved_cache_dir(), self.view_key)
        return lazy_view(store) if store is not None else None

    # ------------------------------------------------------------ index + engine
    def index_status(self) -> IndexStatus:
        """Whether the index for this graph is ready, missing, stale or corrupt."""
        from kg.qa.embeddings import MODEL_ID
        from kg.qa.index import index_status

        return index_status(self.settings.resolved_cache_dir(), self.index_key, MODEL_ID, 384)

    def get_index(self, progress: Progress = None, notify: Notify = None) -> VectorIndex:
        """The vector index, built (with ``progress(done, total)``) when missing or stale."""
        if self._index is None:
            from kg.qa.embeddings import MODEL_ID
            from kg.qa.index import ensure_index
            from kg.qa.onnx_encoder import get_build_encoder

            cache_dir = self.settings.resolved_cache_dir()
            self._index = ensure_index(
                self._documents,
                lambda: get_build_encoder(cache_dir),
                self.settings.resolved_cache_dir(),
                self.index_key,
                MODEL_ID,
                384,
                progress=progress,
                on_rebuild=notify,
            )
        return self._index

    def rebuild_index(self, progress: Progress = None) -> VectorIndex:
        """Build the index again from scratch (unchanged texts reuse their vectors)."""
        from kg.qa.index import build_index
        from kg.qa.onnx_encoder import get_build_encoder

        cache_dir = self.settings.resolved_cache_dir()
        self._index = build_index(self._documents(), get_build_encoder(cache_dir),
                                  cache_dir, self.index_key, progress)
        self._engine = None
        return self._index

    def get_engine(self, progress: Progress = None, notify: Notify = None) -> Engine:
        """The question-answering engine (loads or builds the index on first use)."""
        if self._engine is None:
            from kg.qa.cache import load_prepared, save_prepared
            from kg.qa.embeddings import get_encoder
            from kg.qa.engine import Engine

            index = self.get_index(progress, notify)
            if self.settings.sparql_endpoint:
                self._engine = self._remote_engine(index)
                return self._engine
            use_cache = self.settings.snapshot
            cache_dir = self.settings.resolved_cache_dir()
            prepared = load_prepared(cache_dir, self.engine_key) if use_cache else None
            engine = None
            if prepared is not None:
                # A large graph answers from its on-disk store, read node by node as the
                # questions need; the whole view is loaded only without one.
                view = self._lazy_view() or self.view
                try:
                    engine = Engine(view, index, get_encoder, prepared)
                except _DAMAGED:
                    engine = None  # a damaged cache: build afresh below
            if engine is None:
                engine = Engine(self.view, index, get_encoder)
                if use_cache:  # a large graph's as tables, read on demand (kg.qa.cache)
                    large = self.view.nx.number_of_nodes() >= LAZY_MIN_NODES
                    save_prepared(cache_dir, self.engine_key, engine.prepared_data(), large)
            self._engine = engine
        return self._engine

    def _remote_engine(self, index: VectorIndex) -> Engine:
        """The engine over an endpoint used in place: label tables from the names read at
        setup (kept in the engine cache), nodes fetched as questions touch them."""
        from kg.qa.cache import load_prepared, save_prepared
        from kg.qa.embeddings import get_encoder
        from kg.qa.engine import Engine
        cache_dir, store = self.settings.resolved_cache_dir(), self.remote_store
        prepared = load_prepared(cache_dir, self.engine_key)
        if prepared is not None:
            try:
                return Engine(self.view, index, get_encoder, prepared)
            except _DAMAGED:
                pass  # a damaged cache: prepared afresh below
        from kg.view.lazy import lazy_view

        # the setup's view, read from the local store node by node (never held whole)
        skeleton = lazy_view(store.local)
        prepared = Engine(skeleton, index, get_encoder).prepared_data()
        large = skeleton.nx.number_of_nodes() >= LAZY_MIN_NODES
        save_prepared(cache_dir, self.engine_key, prepared, large)
        # from the cache's own form (tables for a large graph), as the next process will
        prepared = load_prepared(cache_dir, self.engine_key) or prepared
        return Engine(self.view, index, get_encoder, prepared)

    @property
    def engine(self) -> Engine:
        """The engine with no progress reporting (for the server and scripts)."""
        return self.get_engine()

    # ------------------------------------------------------------------ the cache
    def clear_cache(self, every_graph: bool = False) -> ClearedCache:
        """Delete everything the cache holds for this graph (for every graph with
        ``every_graph``): the vector index, the view snapshot, the engine cache and the
        Oxigraph store. What stays in the cache folder (shared caches, files kg did not
        write) is listed with the reason. Never loads or parses the graph."""
        from kg.fingerprint import graph_family
        from kg.qa.cache import remove_prepared
        from kg.qa.index import clear_indexes
        from kg.rdf.store import remove_stores
        from kg.view.snapshot import remove_snapshots
        from kg.view.sqlite_store import remove_stores as remove_view_stores

        cache_dir = self.settings.resolved_cache_dir()
        key = None if every_graph else self.content_hash
        if every_graph:
            remove_path(cache_dir / _DIGESTS)
        remove_path(cache_dir / _COUNTS)  # an endpoint is counted again
        # Every key of a graph starts with its family (kg.fingerprint): each language, the
        # endpoint used in place, and caches made by older code all go.
        if key is None:
            indexes = clear_indexes(cache_dir)
        else:
            family = graph_family(key)
            indexes = sum(clear_indexes(cache_dir, p.name)
                          for p in sorted((cache_dir / "index").glob(f"{family}*")) if p.is_dir())
        # an endpoint used in place also keeps the document chunks of an unfinished build
        own = bool(key and self.settings.sparql_endpoint)
        cleared = ClearedCache(
            cache_dir=cache_dir,
            every_graph=every_graph,
            indexes=indexes,
            engine_caches=remove_prepared(cache_dir, key),
            # the on-disk view store is a snapshot too, in another form
            snapshots=remove_snapshots(cache_dir, key) + remove_view_stores(cache_dir, key),
            stores=remove_stores(cache_dir, key),
            kept=_foreign_entries(cache_dir) if every_graph else [],
        )
        if own:
            remove_path(self._documents_dir)
        self.__dict__.pop("remote_store", None)
        self.__dict__.pop("_names", None)
        self._index = None
        self._engine = None
        return cleared


def _foreign_entries(cache_dir: Path) -> list[str]:
    """What stays in the cache folder after clearing every graph, each with the reason
    (empty cache folders aside)."""
    if not cache_dir.is_dir():
        return []
    kept = []
    for entry in sorted(cache_dir.iterdir()):
        if entry.name in _CACHE_FOLDERS and entry.is_dir():
            kept += [f"{p.relative_to(cache_dir)} (not written by kg)"
                     for p in sorted(entry.iterdir())]
        elif entry.name in _SHARED_FOLDERS and entry.is_dir():
            kept.append(f"{entry.name}/ ({_SHARED_FOLDERS[entry.name]})")
        else:
            kept.append(f"{entry.name} (not written by kg)")
    return kept
