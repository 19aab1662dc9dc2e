"""Read RDF into one rdflib ``Graph``: the single source of truth for everything else.

The one loader: the built-in ontology, ``--graph`` files and the server all come through
:func:`load_graph` (or, for the view of a large graph, :func:`read_raw_triples`); both
read files only through :func:`kg.rdf.sources.read_sources`, which refuses inputs that are
unsafe to parse (XML entity declarations, remote JSON-LD contexts, oversized files) before
any parser sees them. Every parse error becomes a :class:`~kg.errors.GraphLoadError`
naming the file and line.

rdflib is imported only when something parses: :func:`kg.rdf.sources.content_hash` reads
the file bytes alone, so a question answered from a fresh snapshot (:mod:`kg.view.snapshot`)
never loads it. Three stores hold the graph: rdflib's memory store (default), an on-disk
Oxigraph store (:mod:`kg.rdf.store`, for large graphs) and a remote SPARQL endpoint (read
through rdflib's ``SPARQLStore``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ConfigError, GraphLoadError, UnsafeInputError
from kg.rdf.formats import FORMATS, QUAD_FORMATS, STORES, check_safe, detect_format
from kg.rdf.sources import (
    DEFAULT_MAX_BYTES,
    ContentDigest,
    LoadedGraph,
    builtin_shapes,
    builtin_sources,
    content_hash,
    endpoint_hash,
    read_sources,
    resolve_sources,
)
from kg.rdf.triples import RawTriple

if TYPE_CHECKING:
    from rdflib import Graph

# The loader's names, plus the source and format helpers callers reach through it.
__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "LoadedGraph",
    "STORES",
    "builtin_shapes",
    "builtin_sources",
    "content_hash",
    "detect_format",
    "endpoint_hash",
    "resolve_sources",
    "load_graph",
    "parse_bytes",
    "read_raw_triples",
]


def _line_of(data: bytes, needle: str) -> int | None:
    needle = needle.strip()
    if not needle:
        return None
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if needle in line:
            return number
    return None


def parse_bytes(data: bytes, fmt: str, path: str = "<input>", graph: Graph | None = None) -> Graph:
    """Parse ``data`` as ``fmt`` into ``graph`` (a new one if None), with clear errors."""
    from rdflib import Dataset, Graph

    check_safe(path, data, fmt)
    target = graph if graph is not None else Graph()
    try:
        if fmt in QUAD_FORMATS:
            ds = Dataset()
            ds.parse(data=data, format=fmt)
            for s, p, o, _g in ds.quads((None, None, None, None)):
                target.add((s, p, o))
        else:
            target.parse(data=data, format=fmt)
    except UnsafeInputError:
        raise
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GraphLoadError(
            path, f"not valid UTF-8 ({exc.reason}); save it as UTF-8.", line
        ) from None
    except RecursionError:
        raise GraphLoadError(path, "the document nests too deeply to parse.") from None
    except Exception as exc:  # rdflib raises many unrelated types; translate them all here
        raise _translate(path, data, fmt, exc) from None
    return target


def _translate(path: str, data: bytes, fmt: str, exc: Exception) -> GraphLoadError:
    line: int | None = None
    message = str(exc).strip() or type(exc).__name__
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):  # notation3.BadSyntax: 0-based line
        line = lines + 1
        message = getattr(exc, "_why", None) or message
        message = f"{fmt} syntax error: {message}"
    elif hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        line = exc.getLineNumber()
        message = f"RDF/XML error: {exc.getMessage()}"
    elif isinstance(exc, json.JSONDecodeError):
        line = exc.lineno
        message = f"not valid JSON: {exc.msg}"
    else:
        match = re.search(r"Invalid line[^:]*:\s*'?(.+?)'?\s*$", message, re.DOTALL)
        if match:
            line = _line_of(data, match.group(1).strip()[:60])
        message = f"{fmt} parse error: {message.splitlines()[0][:300]}"
    hint = f" Check the file is valid {fmt} (see the line above), or pass the right extension."
    return GraphLoadError(path, message + hint, line=line)


def load_graph(
    paths: Sequence[str | Path] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    store: str = "memory",
    store_dir: Path | None = None,
    sparql_endpoint: str | None = None,
) -> LoadedGraph:
    """Load the given RDF files (or the built-in ontology when none) into one graph.

    Args:
        paths: RDF files in any supported format; ``None`` or empty loads the built-in
            ontology.
        max_bytes: refuse any single file larger than this.
        store: ``"memory"`` (rdflib, default) or ``"oxigraph"`` (on disk, for large graphs).
        store_dir: where on-disk stores live (one folder per content hash); required for
            ``"oxigraph"``.
        sparql_endpoint: read the graph from this SPARQL endpoint instead of files.

    Raises:
        NotFoundError: a file does not exist.
        GraphLoadError: a file cannot be parsed (message names file and line).
        UnsafeInputError: a file was refused for safety.
        ConfigError: an unknown store, or a store whose package is missing.
    """
    if sparql_endpoint:
        from kg.rdf.store import open_endpoint

        return open_endpoint(sparql_endpoint)
    if store not in STORES:
        raise ConfigError(f"unknown store {store!r}; choose one of: {', '.join(STORES)}.")
    files, builtin = resolve_sources(paths, max_bytes)
    if store == "oxigraph":
        from kg.rdf.store import load_oxigraph

        if store_dir is None:
            raise ConfigError("the oxigraph store needs a directory (set --cache-dir).")
        return load_oxigraph(files, builtin, store_dir)
    from rdflib import Graph

    from kg.rdf.namespaces import PREFIXES

    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    digest = ContentDigest()
    for source in read_sources(files):
        parse_bytes(source.data, source.fmt, str(source.path), graph)
        digest.add(source.path, source.data)
    return LoadedGraph(
        graph=graph,
        sources=tuple(str(f) for f in files),
        content_hash=digest.hexdigest(),
        builtin=builtin,
    )


# ------------------------------------------------------------------ raw triples
def read_raw_triples(
    paths: Sequence[str | Path] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawTriple]:
    """The triples of the files as plain strings, without building an rdflib graph.

    For building the view of a large graph: pyoxigraph parses, rdflib is the fallback (for
    JSON-LD and N3) and the one that reports errors. The same safety checks as
    :func:`load_graph` apply.
    """
    from kg.rdf.triples import parse_raw, raw_triples

    files, _ = resolve_sources(paths, max_bytes)
    for number, source in enumerate(read_sources(files)):
        prefix = f"f{number}."  # blank nodes of different files are different nodes
        rows = parse_raw(source.data, source.fmt, prefix)
        if rows is None:
            rows = list(raw_triples(parse_bytes(source.data, source.fmt, str(source.path))))
        yield from rows
