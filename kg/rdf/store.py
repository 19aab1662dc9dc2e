"""Graph stores beyond rdflib's memory store: Oxigraph on disk, and remote SPARQL endpoints.

* **Oxigraph** (``store="oxigraph"``): the files are bulk
  loaded once by pyoxigraph's Rust parser into a RocksDB folder named after the content
  hash; later runs reopen that folder (read-only, so several ``kg`` processes can share it)
  instead of parsing again. The rdflib ``Graph`` on top goes through oxrdflib, so SPARQL,
  validation and export code keep working unchanged, and SPARQL runs in Oxigraph.
* **SPARQL endpoint** (``--sparql-endpoint URL``): an rdflib ``Graph`` over
  ``SPARQLStore``, read-only; Fuseki, QLever, Virtuoso, GraphDB or ``kg serve`` itself.

A folder is marked complete by ``loaded.json``, written last and atomically; a folder
without it (a crash mid-load) is deleted and loaded again.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError, GraphLoadError
from kg.files import atomic_write, remove_children, remove_path
from kg.rdf.formats import OXIGRAPH_FORMATS, QUAD_FORMATS
from kg.rdf.sources import ContentDigest, LoadedGraph, endpoint_hash, read_sources
from kg.rdf.terms import DATA_GRAPH

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "STORE_FORMAT",
    "load_oxigraph",
    "open_endpoint",
    "oxigraph_dir",
    "oxigraph_of",
    "remove_stores",
]

# 2: the triples sit in the named graph DATA_GRAPH (1 had them in the default graph).
STORE_FORMAT = 2
_MARKER = "loaded.json"
_DB = "db"


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        raise ConfigError(
            "pyoxigraph is missing from this environment; reinstall the project "
            "(`pip install -e .`), or use the default memory store."
        ) from None
    return pyoxigraph


def oxigraph_dir(store_dir: Path, graph_hash: str) -> Path:
    """The folder holding (or about to hold) the Oxigraph store of one graph."""
    return Path(store_dir) / "oxigraph" / graph_hash[:24]


def _read_marker(folder: Path) -> dict[str, Any] | None:
    try:
        raw = json.loads((folder / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


def _write_marker(folder: Path, data: dict[str, Any]) -> None:
    atomic_write(folder / _MARKER, json.dumps(data, indent=2).encode("utf-8"))


def _ox_error(path: str, exc: Exception) -> GraphLoadError:
    """pyoxigraph's SyntaxError carries the line (1-based) in ``lineno``."""
    line = getattr(exc, "lineno", None)
    message = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return GraphLoadError(path, f"parse error: {message}", line=line if line else None)


def load_oxigraph(files: list[Path], builtin: bool, store_dir: Path) -> LoadedGraph:
    """Open the Oxigraph store for ``files``, bulk loading them first when not yet done."""
    from filelock import FileLock

    ox = _pyoxigraph()
    digest = ContentDigest()
    formats: list[str] = []
    for source in read_sources(files):
        digest.add(source.path, source.data)
        formats.append(source.fmt)
    graph_hash = digest.hexdigest()
    folder = oxigraph_dir(store_dir, graph_hash)
    marker = _read_marker(folder)
    if not _marker_ok(marker, graph_hash):
        folder.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder) + ".lock", timeout=3600):
            marker = _read_marker(folder)
            if not _marker_ok(marker, graph_hash):
                marker = _bulk_load(ox, folder, files, formats, graph_hash)
    try:
        store = ox.Store.read_only(str(folder / _DB))
    except OSError as exc:
        raise GraphLoadError(str(folder), f"cannot open the Oxigraph store ({exc}).") from None
    graph = _rdflib_graph(store)
    return LoadedGraph(
        graph=graph,
        sources=tuple(str(f) for f in files),
        content_hash=graph_hash,
        builtin=builtin,
        extra={"store_path": str(folder), "triples": str(marker["triples"])},  # type: ignore[index]
        store="oxigraph",
    )


def _marker_ok(marker: dict[str, Any] | None, graph_hash: str) -> bool:
    return (
        marker is not None
        and marker.get("format") == STORE_FORMAT
        and marker.get("graph_hash") == graph_hash
    )


def _bulk_load(
    ox: Any, folder: Path, files: list[Path], formats: list[str], graph_hash: str
) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    store = ox.Store(str(folder / _DB))
    name = ox.NamedNode(DATA_GRAPH)
    for file, fmt in zip(files, formats, strict=True):
        ox_format = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[fmt])
        try:
            if fmt in QUAD_FORMATS:  # our graph is one graph: fold named graphs into it
                store.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object, name)
                    for q in ox.parse(path=str(file), format=ox_format)
                )
            else:
                store.bulk_load(path=str(file), format=ox_format, to_graph=name)
        except (SyntaxError, ValueError) as exc:
            del store
            shutil.rmtree(folder, ignore_errors=True)
            raise _ox_error(str(file), exc) from None
    store.flush()
    triples = len(store)
    del store  # release the RocksDB lock before read-only opens
    marker = {
        "format": STORE_FORMAT,
        "graph_hash": graph_hash,
        "triples": triples,
        "sources": [str(f) for f in files],
        "load_seconds": round(time.perf_counter() - started, 3),
    }
    _write_marker(folder, marker)
    return marker


def _rdflib_graph(store: Any) -> Graph:
    """An rdflib ``Graph`` on the store's graph DATA_GRAPH, through oxrdflib."""
    from oxrdflib import OxigraphStore
    from rdflib import Graph, URIRef

    from kg.rdf.namespaces import PREFIXES

    wrapped = OxigraphStore(store=store)
    graph = Graph(store=wrapped, identifier=URIRef(DATA_GRAPH))
    for prefix, ns in PREFIXES.items():
        wrapped.bind(prefix, ns)  # in the wrapper only: the store itself is read-only
    return graph


def oxigraph_of(graph: Graph) -> Any | None:
    """The pyoxigraph ``Store`` holding ``graph`` in its graph DATA_GRAPH, or None."""
    inner = getattr(graph.store, "_store", None)
    if inner is None or type(graph.store).__name__ != "OxigraphStore":
        return None
    if str(graph.identifier) != DATA_GRAPH:
        return None
    return inner


# ------------------------------------------------------------------ remote endpoints
def open_endpoint(url: str, timeout: float = 30.0) -> LoadedGraph:
    """A read-only graph over a remote SPARQL endpoint (every read is a query to it)."""
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"--sparql-endpoint {url!r} is not an http(s) URL.")
    store = SPARQLStore(url, returnFormat="json", timeout=timeout)
    graph = Graph(store=store)
    try:
        result = graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        triples = int(next(iter(result))[0])  # type: ignore[index]
    except Exception as exc:  # urllib, http and parse errors: one clear message
        raise GraphLoadError(
            url,
            f"the SPARQL endpoint did not answer a count query ({type(exc).__name__}: "
            f"{str(exc)[:200]}). Check the URL and that the server is running.",
        ) from None
    return LoadedGraph(
        graph=graph,
        sources=(url,),
        content_hash=endpoint_hash(url, triples),
        builtin=False,
        extra={"triples": str(triples)},
        store="sparql",
    )


def remove_stores(store_dir: Path, graph_hash: str | None = None) -> int:
    """Delete the Oxigraph store of one graph (every store when ``graph_hash`` is None) with
    its lock file; returns how many stores were removed."""
    if graph_hash is None:
        return remove_children(Path(store_dir) / "oxigraph")
    folder = oxigraph_dir(store_dir, graph_hash)
    remove_path(Path(str(folder) + ".lock"))
    return int(remove_path(folder))
