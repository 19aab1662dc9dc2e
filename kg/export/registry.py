"""The table of export formats: where each writer lives and how its output is shaped.

Writers are imported lazily (Graphviz, rdflib serialisers), so listing the formats for
``--help`` costs nothing. Every writer has the signature ``write(sub: Subgraph, out)``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import ConfigError

__all__ = ["FORMATS", "ExportFormat", "format_for_path", "load_writer"]


@dataclass(frozen=True)
class ExportFormat:
    """One entry of the registry: where the writer lives and how its output is shaped."""

    target: str  # "module:function"
    suffix: str  # default file extension
    binary: bool = False
    description: str = ""


FORMATS: dict[str, ExportFormat] = {
    "html": ExportFormat("kg.export.html:write_html", ".html", False,
                         "interactive offline viewer (one self-contained file)"),
    "graphml": ExportFormat("kg.export.graphml:write_graphml", ".graphml", False,
                            "GraphML for yEd, Gephi, Cytoscape"),
    "gexf": ExportFormat("kg.export.gexf:write_gexf", ".gexf", False, "GEXF for Gephi"),
    "dot": ExportFormat("kg.export.dot:write_dot", ".dot", False, "Graphviz DOT source"),
    "svg": ExportFormat("kg.export.dot:write_svg", ".svg", False, "SVG drawn by Graphviz"),
    "png": ExportFormat("kg.export.dot:write_png", ".png", True, "PNG drawn by Graphviz"),
    "mermaid": ExportFormat("kg.export.mermaid:write_mermaid", ".mmd", False,
                            "Mermaid flowchart for Markdown"),
    "cyjs": ExportFormat("kg.export.cyjs:write_cyjs", ".cyjs", False,
                         "Cytoscape.js / Cytoscape desktop JSON"),
    "turtle": ExportFormat("kg.export.rdf:write_turtle", ".ttl", False, "RDF subset, Turtle"),
    "jsonld": ExportFormat("kg.export.rdf:write_jsonld", ".jsonld", False,
                           "RDF subset, JSON-LD"),
    "ntriples": ExportFormat("kg.export.rdf:write_ntriples", ".nt", False,
                             "RDF subset, N-Triples"),
}

# Extra file extensions that imply a format (the registry suffixes count too).
_SUFFIX_ALIASES = {".htm": "html", ".gv": "dot", ".md": "mermaid", ".markdown": "mermaid",
                   ".json": "cyjs", ".ttl": "turtle", ".nt": "ntriples"}


def format_for_path(path: str) -> str | None:
    """The format a file name implies (``taxonomy.graphml`` -> ``graphml``), or None."""
    lower = path.lower()
    for name, spec in FORMATS.items():
        if lower.endswith(spec.suffix):
            return name
    for suffix, name in _SUFFIX_ALIASES.items():
        if lower.endswith(suffix):
            return name
    return None


def load_writer(fmt: str) -> tuple[ExportFormat, Callable[..., None]]:
    """The registry entry of ``fmt`` and its writer function (imported now).

    Raises:
        ConfigError: ``fmt`` is not a registered format.
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ConfigError(
            f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}."
        )
    module, func = spec.target.split(":")
    return spec, getattr(importlib.import_module(module), func)
