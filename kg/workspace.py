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
