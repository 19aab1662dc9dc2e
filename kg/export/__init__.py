"""Graph exports: choose a subgraph of the view and write it in one format to a stream.

One registry table, :data:`FORMATS`, maps each format name to the ``"module:function"``
that writes it (imported lazily) plus what the CLI needs to know (binary or text, file
extension). Every writer has the signature ``write(sub: Subgraph, out) -> None``; ``out`` is
a text stream, or a binary stream for binary formats. Selection happens here, once:

* the whole graph, or the neighbourhood of ``focus`` up to ``depth`` edges (either way),
* filtered by ``types`` (class labels or local names; subclasses included),
* literals (figures, definitions) stay node attributes unless ``include_literals``.

Nodes and edges are sorted so every export is byte-stable.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from kg.errors import ConfigError, NotFoundError
from kg.rdf.namespaces import OWL, PREFIXES, RDFS, SKOS
from kg.view.graph_view import GraphView, local_name

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "FORMATS",
    "ExportEdge",
    "ExportFormat",
    "ExportNode",
    "ExportResult",
    "Subgraph",
    "export",
    "export_subgraph",
    "format_for_path",
    "kind_colours",
    "tree_layout",
    "xml_escape",
    "resolve_concept",
    "select",
]


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

# Types too generic to colour by: every taxonomy node has one of them.
_GENERIC_TYPES = {
    str(SKOS.Concept), str(OWL.Class), str(RDFS.Class), str(OWL.NamedIndividual),
    str(RDFS.Resource), str(OWL.Thing),
}
LITERAL_KIND = "Literal"
_DEFINITION = str(SKOS.definition)


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


def _writer(fmt: str) -> tuple[ExportFormat, Callable[..., None]]:
    spec = FORMATS.get(fmt)
    if spec is None:
        raise ConfigError(
            f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}."
        )
    module, func = spec.target.split(":")
    return spec, getattr(importlib.import_module(module), func)


# --------------------------------------------------------------------------- resolution


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def _expand_curie(text: str) -> str | None:
    prefix, sep, rest = text.partition(":")
    if sep and prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return None


def resolve_concept(view: GraphView, text: str) -> str:
    """Find the node ``text`` names for ``--focus`` (see :func:`kg.view.concepts.resolve`).

    Raises:
        ConfigError: ``text`` is empty.
        NotFoundError: nothing matches; the message lists the closest labels.
    """
    from kg.view.concepts import resolve

    if not text.strip():
        raise ConfigError("--focus is empty; give a concept label, local name or IRI.")
    return resolve(view, text)


def _resolve_types(view: GraphView, names: Iterable[str]) -> set[str]:
    """Class IRIs for the given class labels/local names, with their subclasses."""
    known: dict[str, set[str]] = {}
    for iri, label in view.type_labels.items():
        for key in (_norm(label), _norm(local_name(iri)), iri.casefold()):
            known.setdefault(key, set()).add(iri)
    # Classes that only appear in the hierarchy (rdfs:subClassOf) count too.
    for n, data in view.nx.nodes(data=True):
        if str(OWL.Class) in data.get("types", ()) or str(RDFS.Class) in data.get("types", ()):
            for key in (_norm(data.get("label", "")), _norm(local_name(n))):
                known.setdefault(key, set()).add(n)
    chosen: set[str] = set()
    for name in names:
        key = _norm(name)
        if not key:
            continue
        iris = known.get(key) or known.get(name.strip().casefold())
        if iris is None and (curie := _expand_curie(name.strip())):
            iris = known.get(curie.casefold())
        if not iris:
            used = {t for _, data in view.nx.nodes(data=True) for t in data.get("types", ())}
            names_by_key = {
                _norm(view.type_labels.get(t) or view.label(t)): view.type_labels.get(t)
                or view.label(t)
                for ts in known.values() for t in ts if t in used or t in view.nx
            }
            available = sorted(set(names_by_key.values()), key=str.casefold)
            close = difflib.get_close_matches(key, sorted(names_by_key), n=3)
            hint = (f" Did you mean: {', '.join(names_by_key[c] for c in close)}?"
                    if close else "")
            raise NotFoundError(
                f"no class matches {name!r} in --types.{hint} Types in this graph: "
                f"{', '.join(available[:30]) or 'none'}."
            )
        chosen |= iris
    # Subclasses: hierarchy edges point from the subclass to its superclass.
    stack = list(chosen)
    while stack:
        for sub in view.narrower(stack.pop()):
            if sub not in chosen:
                chosen.add(sub)
                stack.append(sub)
    return chosen


# --------------------------------------------------------------------------- selection


def select(
    view: GraphView,
    focus: str | None = None,
    depth: int | None = None,
    types: Sequence[str] | None = None,
) -> tuple[list[str], str | None]:
    """The sorted node IRIs to export, and the resolved focus IRI (None without focus).

    Raises:
        ConfigError: ``depth`` without ``focus``, or a negative depth.
        NotFoundError: the focus concept or a type does not exist.
    """
    g = view.nx
    focus_iri = None
    if focus is None:
        if depth is not None:
            raise ConfigError("--depth needs --focus CONCEPT (the node to start from).")
        # Documents that are only cited as sources stay attributes of the nodes citing them.
        cited = {s for _, data in g.nodes(data=True) for s in data.get("sources", ())}
        nodes = {n for n in g.nodes if n not in cited or g.degree(n) > 0}
    else:
        depth = 1 if depth is None else depth
        if depth < 0:
            raise ConfigError(f"--depth {depth} is negative; use 0 or more.")
        focus_iri = resolve_concept(view, focus)
        nodes = {focus_iri}
        frontier = deque([(focus_iri, 0)])
        while frontier:
            n, d = frontier.popleft()
            if d >= depth:
                continue
            for m in (*g.successors(n), *g.predecessors(n)):
                if m not in nodes:
                    nodes.add(m)
                    frontier.append((m, d + 1))
    if types:
        wanted = _resolve_types(view, types)
        nodes = {n for n in nodes if n == focus_iri or wanted & set(g.nodes[n].get("types", ()))}
    return sorted(nodes), focus_iri


def _kind(view: GraphView, data: dict) -> str:
    specific = sorted(
        view.type_labels.get(t) or view.label(t)
        for t in data.get("types", ())
        if t not in _GENERIC_TYPES
    )
    if specific:
        return specific[0]
    if {str(OWL.Class), str(RDFS.Class)} & set(data.get("types", ())):
        return "Class"
    return "Concept" if data.get("concept") else "Other"


def build_subgraph(
    view: GraphView,
    node_ids: Iterable[str],
    *,
    graph: Graph | None = None,
    include_literals: bool = False,
    focus: str | None = None,
    title: str | None = None,
) -> Subgraph:
    """Turn selected node IRIs into the sorted nodes and edges every writer uses."""
    g = view.nx
    chosen = sorted(set(node_ids) & set(g.nodes))
    keep = set(chosen)
    nodes: list[ExportNode] = []
    edges: list[ExportEdge] = []
    for n in chosen:
        data = g.nodes[n]
        literals = tuple(sorted((view.predicate_label(p), v) for p, v in data.get("literals", ())))
        nodes.append(
            ExportNode(
                id=n,
                label=data.get("label") or view.label(n),
                kind=_kind(view, data),
                types=tuple(sorted({view.type_labels.get(t) or view.label(t)
                                    for t in data.get("types", ())})),
                description=data.get("description", ""),
                alt_labels=tuple(data.get("alt_labels", ())),
                literals=literals,
                sources=tuple((s, view.label(s)) for s in data.get("sources", ())),
                concept=bool(data.get("concept")),
            )
        )
        if include_literals:
            pairs = [(p, v) for p, v in data.get("literals", ())]
            pairs += [(_DEFINITION, d) for d in data.get("descriptions", ())]
            for p, v in sorted(set(pairs)):
                lit_id = "literal:" + hashlib.sha1(f"{n}\0{p}\0{v}".encode()).hexdigest()[:16]
                label = v if len(v) <= 80 else v[:77] + "..."
                nodes.append(ExportNode(id=lit_id, label=label, kind=LITERAL_KIND,
                                        description=v, is_literal=True))
                p_label = "definition" if p == _DEFINITION else view.predicate_label(p)
                edges.append(ExportEdge(n, lit_id, p, p_label, False))
    for u, v, data in g.edges(data=True):
        if u in keep and v in keep:
            pred = data.get("predicate", "")
            edges.append(
                ExportEdge(u, v, pred, data.get("label") or view.predicate_label(pred),
                           bool(data.get("hierarchy")))
            )
    nodes.sort(key=lambda x: x.id)
    edges = sorted(set(edges), key=lambda e: (e.source, e.target, e.predicate))
    if focus:
        title = f"{title or 'Knowledge graph'}: around {view.label(focus)}"
    elif title is None:
        title = "Knowledge graph"
    return Subgraph(nodes=nodes, edges=edges, view=view, graph=graph, focus=focus, title=title)


# --------------------------------------------------------------------------- writing


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
    spec, writer = _writer(fmt)
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
        graph: the rdflib graph, needed by the RDF formats when a view is passed.
        title: heading of the HTML page / name of the graph.
        options: writer-specific options (e.g. ``{"fenced": True}`` for Mermaid).

    Raises:
        ConfigError: unknown format, bad depth, missing rdflib graph for RDF formats.
        NotFoundError: unknown focus concept or type.
    """
    view, rdf = _coerce(view_or_graph, graph)
    _writer(fmt)  # fail on an unknown format before doing any work
    ids, focus_iri = select(view, focus, depth, types)
    sub = build_subgraph(view, ids, graph=rdf, include_literals=include_literals,
                         focus=focus_iri, title=title)
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


# --------------------------------------------------------------------------- colours

PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948",
    "#9c755f", "#ff9da7", "#17becf", "#8c564b", "#bcbd22", "#1f77b4", "#d62728",
    "#2ca02c", "#9467bd", "#e377c2", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a",
    "#c5b0d5", "#c49c94", "#dbdb8d",
)
_LITERAL_COLOUR = "#d9d9d9"


def kind_colours(kinds: Sequence[str]) -> dict[str, str]:
    """A stable colour (``#rrggbb``) for each node kind; literals are light grey."""
    colours: dict[str, str] = {}
    i = 0
    for kind in kinds:
        if kind == LITERAL_KIND:
            colours[kind] = _LITERAL_COLOUR
        else:
            colours[kind] = PALETTE[i % len(PALETTE)]
            i += 1
    return colours


# --------------------------------------------------------------------------- helpers

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_escape(text: str) -> str:
    """Escape text for XML content or a double-quoted attribute; drop forbidden chars."""
    clean = _XML_BAD.sub("", text)
    return (clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


def tree_layout(sub: Subgraph, dx: float = 160.0, dy: float = 90.0) -> dict[str, tuple[float,
                                                                                       float]]:
    """Positions for a top-down tree drawing of the hierarchy (other nodes under a neighbour).

    Each node hangs under its first broader node; nodes without one are roots, and nodes
    outside the hierarchy hang under their first neighbour when it is placed. Leaves are
    spaced ``dx`` apart, levels ``dy`` apart; a parent sits above the middle of its children.
    """
    labels = {n.id: n.label.casefold() for n in sub.nodes}
    parent: dict[str, str] = {}
    for e in sub.edges:
        if e.hierarchy and e.source not in parent and e.source != e.target:
            parent[e.source] = e.target
    neighbours: dict[str, list[str]] = {}
    for e in sub.edges:
        if not e.hierarchy:
            neighbours.setdefault(e.source, []).append(e.target)
            neighbours.setdefault(e.target, []).append(e.source)
    in_hierarchy = set(parent) | set(parent.values())
    for n in sorted(labels):
        if n not in in_hierarchy:
            for m in sorted(neighbours.get(n, ())):
                if m in in_hierarchy:
                    parent[n] = m
                    break
    children: dict[str | None, list[str]] = {}
    for n in labels:
        children.setdefault(parent.get(n), []).append(n)
    for kids in children.values():
        kids.sort(key=lambda n: (labels[n], n))
    pos: dict[str, tuple[float, float]] = {}
    next_x = 0.0
    roots = list(children.get(None, []))
    # Nodes caught in a broader-cycle have no root: break the cycle at one of them.
    reached: set[str] = set()
    placed_under: dict[str, list[str]] = {}
    order = roots + sorted(labels, key=lambda n: (labels[n], n))
    for root in order:
        if root in reached:
            continue
        reached.add(root)
        stack: list[tuple[str, int, bool]] = [(root, 0, False)]
        while stack:
            n, depth, done = stack.pop()
            if done:
                xs = [pos[k][0] for k in placed_under.get(n, [])]
                if xs:
                    pos[n] = ((min(xs) + max(xs)) / 2, depth * dy)
                else:
                    pos[n] = (next_x, depth * dy)
                    next_x += dx
                continue
            stack.append((n, depth, True))
            kids = [k for k in children.get(n, []) if k not in reached]
            reached.update(kids)
            placed_under[n] = kids
            stack.extend((k, depth + 1, False) for k in reversed(kids))
    return pos
