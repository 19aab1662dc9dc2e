"""What every route shares: the workspace, the query runner, limits and lazily built tables."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.server.stats import void_stats
from kg.sparql.runner import QueryRunner
from kg.workspace import Workspace

if TYPE_CHECKING:
    from kg.view.sqlite_store import ViewStore

__all__ = ["ServerSettings", "Service", "uvicorn_options"]

log = logging.getLogger("kg.server")
_LABELS_KEPT = 50_000  # labels in one language an in-place server keeps (about 100 bytes each)


@dataclass(frozen=True)
class ServerSettings:
    """Limits of the HTTP endpoint (the CLI fills these from its flags).

    ``timeout`` bounds a query from the moment it arrives: time spent waiting for a free
    worker counts against it, so no query is answered (or stopped) later than that.
    """

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1 << 20
    max_query: int = 64 << 10
    workers: int = max(2, min(4, os.cpu_count() or 2))
    memory_limit: int | None = 2 << 30
    #: rows at most in the app's small JSON routes (search, tree, neighbourhood)
    max_items: int = 200
    #: load the question-answering engine (model, index) in the background at startup, so
    #: the first question in the browser does not wait for it
    warm_engine: bool = False


class Service:
    """The runner, graph statistics and engine lock shared by the routes of one app."""

    def __init__(self, workspace: Workspace, settings: ServerSettings) -> None:
        self.workspace = workspace
        self.settings = settings
        self.runner: QueryRunner | None = None
        self.slots = asyncio.Semaphore(settings.workers)
        self.ask_lock = threading.Lock()  # the engine is built once and is not thread-safe
        self._lock = threading.Lock()
        self._stats: dict[str, Any] | None = None
        self._completer: Any = None
        self.memo: dict[str, Any] = {}  # tables the browse routes compute once
        workspace.switched.append(self.forget)  # an endpoint's new data (kg.switching)

    def forget(self) -> None:
        """Drop what was computed from the data read before (the workspace switched to an
        endpoint's new data): made again now in the background when the app warms its
        tables at start (the search box's table is a build of its own), else on first use."""
        with self._lock:
            self._stats, self._completer, self.memo = None, None, {}
        if self.settings.warm_engine:
            threading.Thread(target=self._warm, name="kg-warm-engine", daemon=True).start()

    def start(self) -> None:
        """Load the graph and fork the query workers (at app startup)."""
        self.runner = self.workspace.query_runner(
            workers=self.settings.workers,
            timeout=self.settings.timeout,
            max_rows=self.settings.max_rows,
            memory_limit=self.settings.memory_limit,
        )
        skipped = self.runner.data.skipped if hasattr(self.runner, "data") else 0
        if skipped:
            log.warning(
                "%d triples hold IRIs that Oxigraph refuses (spaces or other characters IRIs "
                "may not contain); every query runs in rdflib instead, which is slower",
                skipped,
            )
        if not self.workspace.settings.sparql_endpoint:  # in place they scan the whole
            self.stats()  # store (35 s at 1M triples): counted when VoID first asks
        if self.settings.warm_engine:
            threading.Thread(target=self._warm, name="kg-warm-engine", daemon=True).start()

    def _warm(self) -> None:
        """Build the search box's table and the tree's, then the engine under the ask lock
        (a question asked meanwhile waits for it)."""
        start = time.perf_counter()
        try:
            self.completer()
            self.structure()  # the tree's first level, for the first page
            self.labeller()
        except Exception as exc:  # the routes will raise it again, with their own message
            log.warning("the browser's tables could not be prepared: %s", exc)
        with self.ask_lock:
            try:
                self.workspace.engine  # noqa: B018 - built for its side effect
            except Exception as exc:  # /ask will raise it again, with its own message
                log.warning("question answering could not be prepared: %s", exc)
                return
        log.info("question answering ready (%.1f s)", time.perf_counter() - start)

    def stop(self) -> None:
        """Stop the query workers."""
        if self.runner is not None:
            self.runner.close()
            self.runner = None

    def query_runner(self) -> QueryRunner:
        """The running query runner (the app has started)."""
        if self.runner is None:
            raise RuntimeError("the server has not started its query workers")
        return self.runner

    def stats(self) -> dict[str, Any]:
        """Counts for VoID and the service description, computed once."""
        with self._lock:
            if self._stats is None:
                if self.workspace.settings.sparql_endpoint:  # counted by the endpoint
                    from kg.rdf.remote_graph import endpoint_stats

                    self._stats = endpoint_stats(self.workspace.endpoint,
                                                 triples=self.workspace.endpoint_triples)
                else:
                    self._stats = void_stats(self.workspace.graph)
            return self._stats

    def completer(self) -> Any:
        """The label completer of the browser's search box, built on first use.

        Built from the view alone (no model), so browsing never waits for the index.
        """
        from kg.qa.complete import Completer
        from kg.qa.linking import LabelMatcher

        with self._lock:
            if self._completer is None:
                view = self.workspace.names  # names only: never fetches every node
                store = self._in_place()
                if store is not None:  # tables on disk: no list of every name in memory
                    from kg.server.search_store import open_completer

                    self._completer = open_completer(store, view, self.workspace.remote_key,
                                                     self._matcher)
                else:
                    self._completer = Completer(view, LabelMatcher(view))
            return self._completer

    def _matcher(self) -> Any:
        """The engine's label tables (typo repair and linking for the search box)."""
        with self.ask_lock:
            return self.workspace.engine.matcher


    # ---------------------------------------------------------------- languages
    def languages(self) -> list[tuple[str, int]]:
        """The label languages of the graph, most used first (computed once)."""
        from kg.view.languages import label_languages

        with self._lock:
            if "languages" not in self.memo:
                store = self._in_place()
                self.memo["languages"] = (store.label_languages() if store is not None
                                          else label_languages(self.workspace.graph))
            return list(self.memo["languages"])

    def _in_place(self) -> ViewStore | None:
        """The local store of an endpoint used in place (None for local files): its setup
        table holds every label, so no table of all labels is read from the endpoint."""
        if not self.workspace.settings.sparql_endpoint:
            return None
        return self.workspace.remote_store.local

    def lang(self, params: dict[str, list[str]]) -> str:
        """The ``lang`` parameter when the graph has labels in it, else the view's language."""
        wanted = (params.get("lang") or [""])[0].strip().lower()
        if wanted and any(tag == wanted for tag, _ in self.languages()):
            return wanted
        return self.workspace.settings.lang

    def _labels_in(self, lang: str) -> Mapping[str, str]:
        from kg.view.languages import labels_in

        key = "labels:" + lang
        with self._lock:
            if key not in self.memo:
                store = self._in_place()
                # in place: each label read when a page shows it (bounded), not a table of
                # every label in the language
                self.memo[key] = (_StoreLabels(store, lang) if store is not None
                                  else labels_in(self.workspace.graph, lang))
            return self.memo[key]

    def labeller(self, lang: str | None = None) -> Callable[[str], str]:
        """A node's label in ``lang`` (the view's label when the node has none in it).

        Nodes the view leaves out (concept schemes) and the tree's two grouping entries
        get a name too.
        """
        from kg.server.taxonomy import COLLECTIONS, MODEL

        view = self.workspace.view
        default = self.workspace.settings.lang
        chosen = self._labels_in(lang) if lang and lang != default else {}
        fallback = self._labels_in(default)
        untagged = self._labels_in("")
        groups = {MODEL: "Model", COLLECTIONS: "Collections"}

        def label(iri: str) -> str:
            return (chosen.get(iri) or view.labels.get(iri) or fallback.get(iri)
                    or untagged.get(iri) or groups.get(iri) or view.label(iri))

        return label

    def structure(self) -> Any:
        """The tree's organisation (kg.server.taxonomy), computed once."""
        from kg.server.taxonomy import structure

        found = self.memo.get("structure")
        if found is None:
            # from the names (the whole view, or those read from an endpoint used in
            # place: the tree needs types and broader links only, never every node fetched)
            found = structure(self.workspace.names, self.workspace.graph, self.labeller())
            self.memo["structure"] = found
        return found


class _StoreLabels(Mapping):
    """``iri -> label in one language`` read from an in-place store's setup table on first
    use; the latest ``_LABELS_KEPT`` kept."""

    def __init__(self, store: ViewStore, lang: str) -> None:
        self._store = store
        self._lang = lang
        self._kept: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, iri: str) -> str:
        with self._lock:
            if iri in self._kept:
                self._kept.move_to_end(iri)
                found = self._kept[iri]
            else:
                found = self._kept[iri] = self._store.label_in(iri, self._lang)
                if len(self._kept) > _LABELS_KEPT:
                    self._kept.popitem(last=False)
        if found is None:
            raise KeyError(iri)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(dict(self._kept))  # what was read; never a scan of every label

    def __len__(self) -> int:
        return len(self._kept)


def uvicorn_options(settings: ServerSettings) -> dict[str, Any]:
    """Options uvicorn needs for these limits (shared by ``kg serve`` and the tests)."""
    return {
        # Let long query strings reach the app, which answers 414 with a readable message.
        "h11_max_incomplete_event_size": settings.max_query * 4 + 16384,
        "access_log": False,  # kg.server.access_log writes one line per request instead
        "timeout_graceful_shutdown": 2,
    }
