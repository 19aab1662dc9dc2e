"""Graph exports: choose a subgraph of the view and write it in one format to a stream.

The package is split by job; this module only gathers the public names:

* :mod:`kg.export.registry`: the table of formats (:data:`FORMATS`) and writer lookup,
* :mod:`kg.export.model`: the nodes, edges and subgraph every writer receives,
* :mod:`kg.export.subgraph`: which nodes and edges an export holds,
* :mod:`kg.export.write`: :func:`export` and :func:`export_subgraph` (streams, results),
* :mod:`kg.export.palette`, :mod:`kg.export.layout`, :mod:`kg.export.xmltext`: shared by
  the writers,
* one module per format (``html``, ``graphml``, ``gexf``, ``dot``, ``mermaid``, ``cyjs``,
  ``rdf``), imported only when its format is written.

Submodules never import from this package module, so there is no import cycle.
"""

from __future__ import annotations

from kg.export.layout import tree_layout
from kg.export.model import ExportEdge, ExportNode, ExportResult, Subgraph
from kg.export.palette import PALETTE, kind_colours
from kg.export.registry import FORMATS, ExportFormat, format_for_path
from kg.export.subgraph import build_subgraph, resolve_concept, select
from kg.export.write import export, export_subgraph
from kg.export.xmltext import xml_escape

__all__ = [
    "FORMATS",
    "PALETTE",
    "ExportEdge",
    "ExportFormat",
    "ExportNode",
    "ExportResult",
    "Subgraph",
    "build_subgraph",
    "export",
    "export_subgraph",
    "format_for_path",
    "kind_colours",
    "resolve_concept",
    "select",
    "tree_layout",
    "xml_escape",
]
