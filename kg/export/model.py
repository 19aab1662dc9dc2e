"""What every export writer receives: nodes, edges and the selected subgraph, in plain data.

Kept apart from selection and writing so the format modules depend on these types only,
never on the package that registers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.view.graph_view import GraphView

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["EXTERNAL_KIND", "LITERAL_KIND", "ExportEdge", "ExportNode", "ExportResult", "Subgraph"]

LITERAL_KIND = "Literal"
# A resource of another vocabulary shown as a node (include_external).
EXTERNAL_KIND = "External link"


@dataclass(frozen=True)
class ExportNode:
    """A node as every writer sees it: readable label, type, and literals as attributes."""

    id: str
    label: str
    kind: str  # the type it is coloured by
    types: tuple[str, ...] = ()  # labels of all its rdf:types
    description: str = ""
    alt_labels: tuple[str, ...] = ()
    literals: tuple[tuple[str, str], ...] = ()  # (predicate label, value)
    sources: tuple[tuple[str, str], ...] = ()  # (IRI, label)
    concept: bool = False
    is_literal: bool = False  # a literal shown as a node (include_literals)
    # Mapping links to resources the graph does not describe: (predicate label, IRI).
    external: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ExportEdge:
    """A directed edge named in words; hierarchy edges point narrower -> broader."""

    source: str
    target: str
    predicate: str
    label: str
    hierarchy: bool


@dataclass
class Subgraph:
    """The selected nodes and edges (sorted), and what the writers may need besides."""

    nodes: list[ExportNode]
    edges: list[ExportEdge]
    view: GraphView
    graph: Graph | None = None
    focus: str | None = None
    title: str = "Knowledge graph"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        """The node kinds present, sorted (literal nodes last)."""
        present = {n.kind for n in self.nodes}
        return sorted(present - {LITERAL_KIND}) + ([LITERAL_KIND] if LITERAL_KIND in present
                                                   else [])

    @property
    def node_ids(self) -> list[str]:
        """The IRIs of the selected graph nodes (literal nodes excluded), sorted."""
        return [n.id for n in self.nodes if not n.is_literal]


@dataclass(frozen=True)
class ExportResult:
    """What was written, for the caller to report."""

    format: str
    nodes: int
    edges: int
    notes: tuple[str, ...] = ()
