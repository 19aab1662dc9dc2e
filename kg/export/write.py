"""Export entry points: select a subgraph of the view and write it in one format to a stream.

Text formats are written as UTF-8 whatever stream they get; binary formats need a binary
stream (or a text stream with a ``buffer``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from kg.errors import ConfigError, NotFoundError
from kg.export.model import ExportResult, Subgraph
from kg.export.registry import load_writer
from kg.export.subgraph import build_subgraph, select
from kg.view.graph_view import GraphView

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["export", "export_subgraph"]


def _text_stream(stream: IO[Any]) -> tuple[IO[str], io.TextIOWrapper | None]:
    if isinstance(stream, io.TextIOBase):
        return stream, None  # type: ignore[return-value]
    wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=True)
    return wrapper, wrapper


def _binary_stream(stream: IO[Any], fmt: str) -> IO[bytes]:
    if isinstance(stream, io.TextIOBase):
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise ConfigError(
                f"{fmt} is a binary format and cannot be written to a text stream; "
                "write it to a file instead."
            )
        stream.flush()
        return buffer
    return stream  # type: ignore[return-value]


def _write(sub: Subgraph, fmt: str, stream: IO[Any]) -> ExportResult:
    spec, writer = load_writer(fmt)
    if spec.binary:
        writer(sub, _binary_stream(stream, fmt))
    else:
        out, wrapper = _text_stream(stream)
        try:
            writer(sub, out)
            out.flush()
        finally:
            if wrapper is not None:
                wrapper.detach()
    notes = tuple(sub.options.get("notes", ()))
    return ExportResult(format=fmt, nodes=len(sub.nodes), edges=len(sub.edges), notes=notes)


def _coerce(source: Any, graph: Graph | None) -> tuple[GraphView, Graph | None]:
    from rdflib import Graph as RdfGraph

    from kg.view.graph_view import build_view

    if isinstance(source, GraphView):
        return source, graph
    if isinstance(source, RdfGraph):
        return build_view(source), source
    view = getattr(source, "view", None)  # a Workspace
    if isinstance(view, GraphView):
        return view, graph if graph is not None else getattr(source, "graph", None)
    inner = getattr(source, "graph", None)  # a LoadedGraph
    if isinstance(inner, RdfGraph):
        return build_view(inner), inner
    raise ConfigError(
        f"cannot export a {type(source).__name__}; pass a GraphView, an rdflib Graph or a "
        "Workspace."
    )


def export(
    view_or_graph: Any,
    fmt: str,
    stream: IO[Any],
    focus: str | None = None,
    depth: int | None = None,
    types: Sequence[str] | None = None,
    *,
    include_literals: bool = False,
    include_external: bool = False,
    graph: Graph | None = None,
    title: str | None = None,
    options: dict[str, Any] | None = None,
) -> ExportResult:
    """Write the whole graph, or the ``focus``/``depth`` neighbourhood, as ``fmt``.

    Args:
        view_or_graph: a :class:`~kg.view.graph_view.GraphView`, an rdflib ``Graph`` or a Workspace.
        fmt: a key of :data:`FORMATS`.
        stream: where to write; text or binary (text formats are written as UTF-8).
        focus: concept label, alt label, local name or IRI to centre on.
        depth: how many edges away from ``focus`` to go (default 1 with a focus).
        types: keep only nodes of these classes (labels or local names).
        include_literals: show literals (figures, definitions) as nodes too.
        include_external: show the targets of mapping links into other vocabularies as
            nodes too (they are always node attributes).
        graph: the rdflib graph, needed by the RDF formats when a view is passed.
        title: heading of the HTML page / name of the graph.
        options: writer-specific options (e.g. ``{"fenced": True}`` for Mermaid).

    Raises:
        ConfigError: unknown format, bad depth, missing rdflib graph for RDF formats.
        NotFoundError: unknown focus concept or type.
    """
    view, rdf = _coerce(view_or_graph, graph)
    load_writer(fmt)  # fail on an unknown format before doing any work
    ids, focus_iri = select(view, focus, depth, types)
    sub = build_subgraph(view, ids, graph=rdf, include_literals=include_literals,
                         include_external=include_external, focus=focus_iri, title=title)
    sub.options.update(options or {})
    sub.options["whole"] = focus is None and not types
    return _write(sub, fmt, stream)


def export_subgraph(
    view: GraphView,
    graph: Graph | None,
    node_iris: Iterable[str],
    fmt: str,
    stream: IO[Any],
    *,
    title: str | None = None,
) -> ExportResult:
    """Write just the given nodes (e.g. those behind an answer) and the edges among them.

    IRIs that are not nodes of the view (predicates, literals) are ignored.

    Raises:
        NotFoundError: none of the IRIs is a node of the graph.
    """
    wanted = {str(i) for i in node_iris}
    present = wanted & set(view.nx.nodes)
    if not present:
        raise NotFoundError(
            "none of the answer's IRIs is a node of the graph, so there is nothing to "
            "export; ask a question that the graph answers."
        )
    sub = build_subgraph(view, present, graph=graph, title=title or "Subgraph behind the answer")
    return _write(sub, fmt, stream)
