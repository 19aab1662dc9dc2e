"""A graph view over a remote SPARQL endpoint, used in place: nothing but names is copied.

:func:`build_remote_store` reads, once, what the label tables and the index need
(:func:`kg.rdf.remote_graph.setup_triples`: labels, definitions, types, hierarchy links,
deprecation marks, in pages within the endpoint's row cap), plus the predicates that link
resources and the degree histogram (counted by the endpoint on a small graph, both
estimated from 4,096 sampled nodes on a large one, where one aggregate over the store
would outlast any request timeout), and writes them to an on-disk
store (:mod:`kg.view.sqlite_store`) keyed by the endpoint and its triple count, as they are
read and a chunk of nodes at a time (:mod:`kg.view.remote_build`: the graph's names are
never all in memory). The view those triples alone project to is read from that store node by node
(:func:`kg.view.lazy.lazy_view` of :attr:`RemoteStore.local`): the label tables are built
from it.

:class:`RemoteStore` has the read API :mod:`kg.view.lazy` expects of a store: a node's
attributes and edges are fetched by SPARQL the first time a question touches it (its
triples in and out, :func:`kg.rdf.remote_graph.neighbourhood`) and projected by the same
code as a local graph (:func:`~kg.view.graph_view.view_from_triples`), given its
neighbours' setup triples so that their names and kinds are known; names, type members
and the hub degree come from the local store. A node missed is fetched with the other
neighbours of the node that led to it, then the latest neighbours found (up to 64 nodes to a
request, projected together), and the engine asks for the nodes its search found all at
once, the walk for each hop's neighbours (:meth:`RemoteStore.prefetch`, up to 256 nodes to
a request): a question costs a few requests, not one per node.

What a node's own triples cannot tell is taken from the setup reads, which can differ from
the whole graph's projection in corner cases: a mapping link (``skos:exactMatch``...) to a
resource that has no name or type but only literals or other links is kept as an external
link, not an edge; the degree histogram counts a ``skos:narrower`` link and the
``skos:broader`` link it mirrors twice.
"""

from __future__ import annotations

import random
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.rdf.labels import humanise, local_name
from kg.rdf.remote import Endpoint
from kg.rdf.remote_graph import (
    DEGREE_SAMPLE,
    EXACT_DEGREES_MAX,
    NOT_LINKS,
    PROVENANCE_HOLDER,
    SPLIT_MIN,
    degree_histogram,
    link_predicates,
    neighbourhood,
    sampled_degrees,
    sampled_links,
    setup_triples,
)
from kg.rdf.terms import SKOS
from kg.view.graph_view import GraphView, node_attrs, node_row, view_from_triples
from kg.view.node_cache import NodeCache, node_cache_path
from kg.view.sqlite_store import ViewStore, open_store

__all__ = [
    "RemoteStore",
    "build_remote_store",
    "open_remote_store",
    "shortest_paths",
    "KNOWN_MAX",
    "PROJECTION_BATCH",
    "AHEAD_BATCH",
]

_NARROWER = str(SKOS.narrower)
_NOT_LINKS = set(NOT_LINKS) | {_NARROWER}
# Nodes fetched together in one request.
PROJECTION_BATCH = 64
# Nodes read ahead together in one request (a walk's hop: their triples are a few thousand rows).
AHEAD_BATCH = 256
# Nodes whose reads an in-place store keeps (about 2 kB each): a bounded cache.
KNOWN_MAX = 65_536
_BATCH = PROJECTION_BATCH
# Both ends of a path search step together while each frontier is at most this many nodes
# (the two levels then fit one read-ahead request).
BOTH_MAX = AHEAD_BATCH // 2
# A node missed by a walk is fetched with its source's other neighbours (up to _BATCH), and
# with the latest neighbours found only up to this many: more would be read for nothing.
_WALK = 16
_PENDING = 4096  # neighbours remembered for the next batch
_UP = 16  # nodes above a missed node fetched with it (its chain of broader concepts)
_Read = tuple[list[Any] | None, list[tuple[str, str, int]], list[tuple[str, str, int]]]


def build_remote_store(endpoint: Endpoint, cache_dir: Path, key: str,
                       lang: str, triples: int = 0, keep_for: float = 0.0) -> RemoteStore:
    """Read the setup triples and figures from ``endpoint``, write the local store (as it
    reads: :mod:`kg.view.remote_build`, the graph's names are never all in memory) and
    open the remote store over it. ``triples``: the endpoint's size when known (from
    ``SPLIT_MIN`` on, the setup reads go one predicate at a time); ``keep_for``: seconds
    fetched nodes are kept on disk for later processes (:mod:`kg.view.node_cache`)."""
    from kg.view.remote_build import write_streamed

    def figures(count: int, labels: dict[str, str], iris: Callable[[], Iterator[str]],
                label: Callable[[str], str | None]) -> dict[str, Any]:
        predicate_labels = dict(labels)
        if count <= EXACT_DEGREES_MAX:  # a small graph: its aggregates are cheap
            links = link_predicates(endpoint)
            degrees = degree_histogram(endpoint)
            unlinked = count - sum(degrees.values())
            if unlinked > 0:
                degrees[0] = degrees.get(0, 0) + unlinked
        else:  # a large one: a fixed sample of its nodes, a few indexed requests
            sample = _sample(iris())
            links = sampled_links(endpoint, sample)
            degrees = sampled_degrees(endpoint, sample, count)
        for p in links:
            if p not in _NOT_LINKS and p not in predicate_labels:
                predicate_labels[p] = label(p) or humanise(local_name(p))
        return {
            "predicate_labels": predicate_labels,
            "degrees": sorted(degrees.items()),
            "endpoint": endpoint.url,
            "page": endpoint.page,
            "most": endpoint.most,
            "setup_rows": endpoint.rows,
            "setup_requests": endpoint.requests,
        }

    try:
        write_streamed(cache_dir, key, lang,
                       setup_triples(endpoint, split=triples >= SPLIT_MIN), figures)
    except (OSError, sqlite3.Error):
        raise ConfigError(f"the cache directory {cache_dir} is not writable: a SPARQL endpoint "
                          "used in place keeps its names there (--cache-dir).") from None
    local = open_store(cache_dir, key)
    if local is None:
        raise ConfigError(f"the store written in {cache_dir} for {endpoint.url} cannot be read.")
    return RemoteStore(local, endpoint, lang, _nodes(local, keep_for))


def _nodes(local: ViewStore, keep_for: float) -> NodeCache | None:
    return NodeCache(node_cache_path(local.path), keep_for) if keep_for > 0 else None


def _sample(iris: Iterator[str]) -> list[str]:
    """``DEGREE_SAMPLE`` of ``iris``, the same for the same nodes (reservoir sampling:
    one pass, nothing else kept)."""
    rng = random.Random(0)
    sample: list[str] = []
    for seen, iri in enumerate(iris):
        if len(sample) < DEGREE_SAMPLE:
            sample.append(iri)
        else:
            at = rng.randrange(seen + 1)
            if at < DEGREE_SAMPLE:
                sample[at] = iri
    return sample


def open_remote_store(endpoint: Endpoint, cache_dir: Path, key: str,
                      lang: str, keep_for: float = 0.0) -> RemoteStore | None:
    """The remote store whose setup was written before (None when there is none); the
    endpoint learns the row cap found at setup, so short answers cost no second request."""
    local = open_store(cache_dir, key)
    if local is None:
        return None
    endpoint.page = int(local.meta.get("page", endpoint.page))
    endpoint.most = max(endpoint.most, int(local.meta.get("most", 0)))
    return RemoteStore(local, endpoint, lang, _nodes(local, keep_for))


class RemoteStore:
    """The :class:`~kg.view.sqlite_store.ViewStore` read API over an endpoint (see the
    module docstring). Safe to share between threads: one fetch at a time."""

    def __init__(self, local: ViewStore, endpoint: Endpoint, lang: str,
                 nodes: NodeCache | None = None) -> None:
        self.local = local
        self.nodes = nodes  # reads kept on disk by earlier processes, for a while
        self.endpoint = endpoint
        self.lang = lang
        self.meta = local.meta
        self.path = local.path
        self._lock = threading.RLock()
        # the nodes read, the most recently used last; bounded (KNOWN_MAX): a long-running
        # kg serve or kg mcp keeps what it uses, not every node it ever read
        self._known: OrderedDict[str, _Read] = OrderedDict()
        # neighbours of the nodes read, not read yet, the latest found last: a walk reads
        # these next, so a miss fetches the latest ones with it
        # (each with the node whose read found it)
        self._pending: OrderedDict[str, str] = OrderedDict()
        self._scan: dict[str, None] = {}  # the nodes a whole-graph scan yields next
        self.fetches = 0

    # ------------------------------------------------------------ the local part
    def label(self, iri: str) -> str | None:
        """The shown label of ``iri`` (from the names read at setup)."""
        return self.local.label(iri)

    def members(self, type_iri: str) -> set[str]:
        """The nodes typed with ``type_iri`` (from the types read at setup)."""
        return self.local.members(type_iri)

    def iris(self) -> Iterator[str]:
        """Every node named at setup (a whole-graph scan: never for a question). A node
        read while the scan is at it is fetched with the next ones the scan yields (64 to a
        request), so a scan that reads every node costs one request per 64 nodes."""
        chunk: list[str] = []
        for iri in self.local.iris():
            chunk.append(iri)
            if len(chunk) == _BATCH:
                yield from self._scanning(chunk)
                chunk = []
        yield from self._scanning(chunk)

    def _scanning(self, chunk: list[str]) -> Iterator[str]:
        self._scan = dict.fromkeys(chunk)
        yield from chunk

    def concept(self, iri: str) -> bool:
        """Whether ``iri`` is a taxonomy concept, from the setup read alone: what makes a
        node one (a concept type, a hierarchy link, no deprecation mark) is all in the setup
        triples, so this is the whole graph's answer without fetching the node."""
        row = self.local.node(iri)
        return row is not None and bool(node_attrs(row)["concept"])

    def named(self, keys: Iterable[str]) -> set[str] | None:
        """The nodes filed under any of ``keys`` in the names read at setup."""
        return self.local.named(keys)

    def labelled(self):  # noqa: ANN201
        """Every ``(iri, label)`` pair read at setup."""
        return self.local.labelled()

    def close(self) -> None:
        """Close the local store (and the nodes kept on disk)."""
        self.local.close()
        if self.nodes is not None:
            self.nodes.close()

    # ------------------------------------------------------------ the remote part
    @property
    def kept(self) -> int:
        """How many nodes' reads are kept (at most ``KNOWN_MAX``)."""
        return len(self._known)

    def node(self, iri: str) -> list[Any] | None:
        """The stored-row form of one node, fetched on first use (None: not a node)."""
        return self._read(iri)[0]

    def out_edges(self, iri: str) -> list[tuple[str, str, int]]:
        """``(v, predicate, hierarchy)`` of the edges leaving ``iri``, in view order."""
        return self._read(iri)[1]

    def in_edges(self, iri: str) -> list[tuple[str, str, int]]:
        """``(u, predicate, hierarchy)`` of the edges entering ``iri``, in view order."""
        return self._read(iri)[2]

    def prefetch(self, iris: Iterable[str]) -> None:
        """Fetch the nodes among ``iris`` not read yet, up to 256 to a request (a walk's
        whole hop, usually: one round trip, not one per 64 nodes)."""
        with self._lock:
            todo = [i for i in dict.fromkeys(iris) if i not in self._known]
            for at in range(0, len(todo), AHEAD_BATCH):
                self._fetch(todo[at:at + AHEAD_BATCH])

    def _read(self, iri: str) -> _Read:
        with self._lock:
            found = self._known.get(iri)
            if found is not None:
                self._known.move_to_end(iri)
            if found is None and iri in self._scan:  # read by a whole-graph scan
                self._fetch([n for n in self._scan if n not in self._known][:_BATCH],
                            disk=False)
                found = self._known[iri]
            if found is None:
                batch = dict.fromkeys([iri])
                batch.update((n, None) for n in self._above(iri) if n not in self._known)
                source = self._pending.get(iri)  # the node whose read found this one
                if source in self._known:
                    _, out, into = self._known[source]
                    batch.update((n, None) for n, _, _ in out + into
                                 if n not in self._known)
                for n in reversed(self._pending):  # the latest found: read next, likely
                    if len(batch) >= _WALK:
                        break
                    batch[n] = None
                self._fetch(list(batch)[:_BATCH])
                found = self._known[iri]
            return found

    def _above(self, iri: str) -> list[str]:
        """The nodes above ``iri`` in the hierarchy read at setup (every hierarchy link is a
        setup triple), nearest first, at most ``_UP``: fetched with a node missed, since a
        question that reads a node often climbs the chain above it next (one request, not
        one a level)."""
        found: dict[str, None] = {}
        level = [iri]
        while level and len(found) < _UP:
            level = [v for n in level for v, _, h in self.local.out_edges(n)
                     if h and v != iri and v not in found]
            found.update(dict.fromkeys(level))
        return list(found)[:_UP]

    def projection(self, iris: list[str]) -> GraphView:
        """The view of the neighbourhoods of ``iris`` (one query) and their neighbours'
        setup triples: complete for ``iris`` themselves, names and kinds for the rest.

        Each node's attributes and edges come from its own triples (all fetched) and its
        neighbours' setup triples; the other nodes' triples in the batch only tell more
        about shared neighbours, as the whole graph would."""
        fetched = neighbourhood(self.endpoint, iris)
        self.fetches += 1
        near = set(iris)
        for s, p, o, is_literal, _ in fetched:
            near.add(s)
            near.add(p)
            if not is_literal:
                near.add(o)
        near = {n for n in near if not n.startswith("_:")}
        context = self.local.setup_triples(near, PROVENANCE_HOLDER)
        return view_from_triples(sorted(set(fetched) | set(context)), self.lang)

    def _fetch(self, iris: list[str], disk: bool = True) -> None:
        """Fetch the neighbourhoods of ``iris`` in one query and keep each node's read
        (those kept on disk by an earlier process, while fresh, are not fetched again;
        ``disk`` False for a whole-graph scan, which would only churn the file)."""
        nodes = self.nodes if disk else None
        kept = nodes.get(iris) if nodes is not None else {}
        rest = [iri for iri in iris if iri not in kept]
        fetched: dict[str, _Read] = {}
        if rest:
            g = self.projection(rest).nx
            fetched = {iri: _read_from(g, iri) for iri in rest}
            if nodes is not None:
                nodes.put(fetched)
        for iri in iris:
            read = kept.get(iri) or fetched[iri]
            self._known[iri] = read
            self._pending.pop(iri, None)
            self._note(iri, read)
        while len(self._known) > max(KNOWN_MAX, len(iris)):
            self._known.popitem(last=False)  # the least recently used: read again if needed

    def _note(self, iri: str, read: _Read) -> None:
        """Remember the neighbours of ``iri`` not read yet (a walk reads them next)."""
        _, out, into = read
        for n in sorted({n for n, _, _ in out} | {n for n, _, _ in into}):
            if n not in self._known:
                self._pending[n] = iri
                self._pending.move_to_end(n)
        while len(self._pending) > _PENDING:
            self._pending.popitem(last=False)


def _read_from(g: Any, iri: str) -> _Read:
    """One node's row and edges from a projection holding all its triples."""
    if iri not in g:
        return None, [], []
    out = [(v, p, int(d["hierarchy"])) for v, keys in g.succ[iri].items()
           for p, d in keys.items()]
    into = [(u, p, int(d["hierarchy"])) for u, keys in g.pred[iri].items()
            for p, d in keys.items()]
    return node_row(iri, g.nodes[iri]), out, into


def shortest_paths(view: GraphView, source: str, target: str, limit: int = 200
                   ) -> list[list[str]]:
    """Up to ``limit`` shortest paths between two nodes, ignoring edge direction: what
    ``networkx.all_shortest_paths`` gives, without reading the rest of the graph.

    The search walks out from both ends a whole level at a time, fetching each level in
    batches (:meth:`~kg.view.lazy.LazyView.prefetch`), until the two meet: every shortest
    path then runs through a meeting node of the last levels. While both frontiers are
    small (:data:`BOTH_MAX` nodes each: one read-ahead request for the two), both ends step
    together, so a path of n links costs about n/2 round trips, not n; past that only the
    smaller frontier steps, so a hub's neighbours are read only when they must be. Raises
    ``networkx.NetworkXNoPath`` when they are not connected."""
    import networkx as nx

    if source == target:
        return [[source]]
    g = view.nx
    prefetch = getattr(view, "prefetch", None)
    preds: tuple[dict[str, list[str]], dict[str, list[str]]] = ({source: []}, {target: []})
    levels = [[source], [target]]
    while True:
        if not levels[0] or not levels[1]:
            raise nx.NetworkXNoPath(f"{target} not reachable from {source}")
        if max(len(levels[0]), len(levels[1])) <= BOTH_MAX:
            sides: tuple[int, ...] = (0, 1)
        else:
            sides = (0,) if len(levels[0]) <= len(levels[1]) else (1,)
        if prefetch is not None:
            prefetch([n for side in sides for n in levels[side]])
        new: dict[int, dict[str, list[str]]] = {}
        for side in sides:
            found: dict[str, list[str]] = {}
            for u in levels[side]:
                for v in sorted(set(g.succ[u]) | set(g.pred[u])):
                    if v not in preds[side]:
                        found.setdefault(v, []).append(u)
            new[side] = found
        for side, found in new.items():
            preds[side].update(found)
            levels[side] = list(found)
        meet = list(dict.fromkeys(v for side, found in new.items() for v in found
                                  if v in preds[1 - side]))
        if meet:
            break
    depth = ({n: 0 for n in [source]}, {n: 0 for n in [target]})
    for d in (0, 1):
        _depths(preds[d], depth[d])
    best = min(depth[0][m] + depth[1][m] for m in meet)
    paths: dict[tuple[str, ...], None] = {}  # two meeting nodes can lie on one path
    for m in sorted(m for m in meet if depth[0][m] + depth[1][m] == best):
        for head in _walk_back(preds[0], m):
            for tail in _walk_back(preds[1], m):
                paths[(*head, *tail[::-1][1:])] = None
                if len(paths) >= limit:
                    return [list(p) for p in paths]
    return [list(p) for p in paths]


def _depths(pred: dict[str, list[str]], depth: dict[str, int]) -> None:
    """Each node's distance from the root of ``pred`` (in insertion order: level by level)."""
    for v, us in pred.items():
        if us:
            depth[v] = depth[us[0]] + 1


def _walk_back(pred: dict[str, list[str]], node: str) -> Iterator[list[str]]:
    """Every path from the root of ``pred`` to ``node``, root first."""
    if not pred[node]:
        yield [node]
        return
    for u in pred[node]:
        for path in _walk_back(pred, u):
            yield [*path, node]
