"""One place that owns the loaded graph and everything derived from it, built lazily.

The CLI and the server each create one ``Workspace`` from :class:`~kg.config.Settings`;
the graph is parsed on first use, the networkx view and the QA engine are built from it on
first use, and nothing is built twice.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from kg.config import Settings
from kg.graph import LoadedGraph, load_graph

if TYPE_CHECKING:
    from kg.view import GraphView

__all__ = ["Workspace"]


class Workspace:
    """Lazily loaded graph, view and engine for one set of settings."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._index = None
        self._engine = None

    @cached_property
    def loaded(self) -> LoadedGraph:
        """The parsed RDF (built-in ontology unless graph paths were given)."""
        return load_graph(self.settings.graph_paths or None,
                          max_bytes=self.settings.max_graph_bytes)

    @property
    def graph(self):  # noqa: ANN201 - rdflib.Graph
        """The rdflib graph: the source of truth."""
        return self.loaded.graph

    @cached_property
    def view(self) -> GraphView:
        """The networkx projection of the graph."""
        from kg.view import build_view

        return build_view(self.loaded.graph)

    # ------------------------------------------------------------ index + engine
    def index_status(self):  # noqa: ANN201 - kg.index.IndexStatus
        """Whether the index for this graph is ready, missing, stale or corrupt."""
        from kg.embeddings import MODEL_ID
        from kg.index import index_status

        return index_status(self.settings.resolved_cache_dir(), self.loaded.content_hash,
                            MODEL_ID, 384)

    def get_index(self, progress=None, notify=None):  # noqa: ANN001, ANN201
        """The vector index, built (with ``progress(done, total)``) when missing or stale."""
        if self._index is None:
            from kg.documents import build_documents
            from kg.embeddings import MODEL_ID, get_build_encoder
            from kg.index import ensure_index

            self._index = ensure_index(
                lambda: build_documents(self.view),
                get_build_encoder,
                self.settings.resolved_cache_dir(),
                self.loaded.content_hash,
                MODEL_ID,
                384,
                progress=progress,
                on_rebuild=notify,
            )
        return self._index

    def rebuild_index(self, progress=None):  # noqa: ANN001, ANN201
        """Build the index again from scratch (unchanged texts reuse their vectors)."""
        from kg.documents import build_documents
        from kg.embeddings import get_build_encoder
        from kg.index import build_index

        self._index = build_index(build_documents(self.view), get_build_encoder(),
                                  self.settings.resolved_cache_dir(), self.loaded.content_hash,
                                  progress)
        self._engine = None
        return self._index

    def get_engine(self, progress=None, notify=None):  # noqa: ANN001, ANN201
        """The question-answering engine (loads or builds the index on first use)."""
        if self._engine is None:
            from kg.embeddings import get_encoder
            from kg.qa import Engine

            self._engine = Engine(self.view, self.get_index(progress, notify), get_encoder)
        return self._engine

    @property
    def engine(self):  # noqa: ANN201 - kg.qa.Engine
        """The engine with no progress reporting (for the server and scripts)."""
        return self.get_engine()
