"""A graph view read from the on-disk store node by node, as the question touches them.

:func:`lazy_view` gives a :class:`~kg.view.graph_view.GraphView` whose networkx graph and
label table are backed by a :class:`~kg.view.sqlite_store.ViewStore`: a node's attributes,
its out-edges and its in-edges are read from SQLite the first time networkx is asked for
them (``g.nodes[n]``, ``g.succ[n]``, ``g.pred[n]``, ``n in g``), then kept. Everything else
networkx offers is built on those three mappings, so every answer reads exactly what the
full view holds, in the same order (edges come back in the order :func:`assemble` inserts
them). Opening it costs milliseconds however large the graph is.

Whole-graph scans (``len``, iterating every node, ``g.degree()`` over all nodes) still
work, by reading the whole table: correct, but as slow as loading the full view. What the
engine needs from the whole graph (the hub degree, the members of a type) comes from the
store's own tables instead (:meth:`LazyView.degree_at`, :meth:`LazyView.members`).
"""

from __future__ import annotations

from collections.abc import Collection, ItemsView, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.rdf.labels import humanise, local_name
from kg.view.graph_view import GraphView, degree_at, node_attrs
from kg.view.sqlite_store import ViewStore

if TYPE_CHECKING:
    from kg.view.remote_view import RemoteStore

    Store = ViewStore | RemoteStore

__all__ = ["REMEMBERED_MAX", "LazyView", "lazy_view"]

REMEMBERED_MAX = 262_144  # values a lazy view keeps per table before dropping the oldest


class _Remembered(Mapping):
    """``iri -> value`` read from the store on first use and kept (the oldest dropped past
    ``REMEMBERED_MAX``: a long-running server keeps what it uses, not all it ever read); an
    IRI the store does not hold raises KeyError, as a dict would."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: dict[str, Any] = {}

    def _read(self, iri: str) -> Any:
        """The value of ``iri`` from the store, None when it holds none."""
        raise NotImplementedError

    def __getitem__(self, iri: str) -> Any:
        try:
            found = self._known[iri]
        except KeyError:
            if not isinstance(iri, str):
                raise KeyError(iri) from None
            found = self.remember(iri, self._read(iri))
        if found is None:
            raise KeyError(iri)
        return found

    def remember(self, iri: str, value: Any) -> Any:
        """Keep ``value`` (None: the store holds none) as what ``iri`` reads, the oldest
        dropped past ``REMEMBERED_MAX``; returns it."""
        if iri not in self._known and len(self._known) >= REMEMBERED_MAX:
            del self._known[next(iter(self._known))]
        self._known[iri] = value
        return value

    def __contains__(self, iri: object) -> bool:
        try:
            self[iri]  # type: ignore[index]
        except KeyError:
            return False
        return True


class _Nodes(_Remembered):
    """``iri -> attribute dict``."""

    def __init__(self, store: Store, labels: _Labels) -> None:
        super().__init__(store)
        self.labels = labels

    def _read(self, iri: str) -> dict[str, Any] | None:
        row = self._store.node(iri)
        return node_attrs(row) if row is not None else None

    def __iter__(self) -> Iterator[str]:
        return self._store.iris()

    def __len__(self) -> int:
        return int(self._store.meta["node_count"])

    def items(self) -> ItemsView[str, dict[str, Any]]:
        """The ``(iri, attributes)`` pairs (``g.nodes(data=True)``) as the store lists
        them, a page of nodes and their labels to a query, where a lookup per node cost a
        query each (and a seek each on a store the page cache does not hold). Each node
        and its label are remembered as they are yielded, so a scan that looks at the node
        it is on (its label, its kind) asks the store nothing more."""
        return _NodePairs(self)


class _NodePairs(ItemsView):
    """:meth:`_Nodes.items`: read from the store's paged list when it has one."""

    _mapping: _Nodes

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        nodes = self._mapping
        store = nodes._store
        rows = getattr(store, "node_rows", None)
        if rows is None:  # a store that reads node by node anyway (an endpoint in place)
            yield from super().__iter__()
            return
        known = nodes._known
        for iri, data, label in rows():
            nodes.labels.remember(iri, label)
            kept = known.get(iri)  # remembered: not decoded again (a second scan, small graph)
            if kept is None:
                kept = nodes.remember(iri, node_attrs(store.decoded(iri, data)))
            yield iri, kept


class _Adjacency(Mapping):
    """``iri -> {neighbour: {predicate: edge attributes}}`` for one direction, read from
    the store on first use; KeyError for an IRI that is not a node, as networkx expects."""

    def __init__(self, store: Store, nodes: _Nodes, incoming: bool,
                 predicate_labels: dict[str, str]) -> None:
        self._read = store.in_edges if incoming else store.out_edges
        self._nodes = nodes
        self._labels = predicate_labels
        self._known: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}

    def __getitem__(self, iri: str) -> dict[str, dict[str, dict[str, Any]]]:
        found = self._known.get(iri) if isinstance(iri, str) else None
        if found is None:
            if iri not in self._nodes:
                raise KeyError(iri)
            found = {}
            for other, p, h in self._read(iri):
                label = self._labels.get(p)
                if label is None:  # a link predicate a sampled setup did not meet
                    label = self._labels[p] = humanise(local_name(p))
                found.setdefault(other, {})[p] = {
                    "predicate": p, "label": label, "hierarchy": bool(h)}
            self._known[iri] = found
        return found

    def __contains__(self, iri: object) -> bool:
        return iri in self._nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


class _Labels(_Remembered):
    """``iri -> shown label``."""

    def _read(self, iri: str) -> str | None:
        return self._store.label(iri)

    def __iter__(self) -> Iterator[str]:
        return (iri for iri, _ in self._store.labelled())

    def __len__(self) -> int:
        return sum(1 for _ in self._store.labelled())

    def items(self) -> ItemsView[str, str]:
        """The ``(iri, label)`` pairs as the store lists them (a page per few thousand,
        not a lookup per IRI)."""
        return _LabelPairs(self)


class _LabelPairs(ItemsView):
    """:meth:`_Labels.items`: iterated straight from the store's list."""

    _mapping: _Labels

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._mapping._store.labelled())


@dataclass
class LazyView(GraphView):
    """A :class:`GraphView` over a :class:`ViewStore` (see the module docstring)."""

    store: Store | None = field(default=None, repr=False, compare=False)

    def members(self, type_iri: str) -> set[str]:
        """Nodes typed with ``type_iri``, from the store's type table."""
        if self._members is None:
            self._members = {}
        found = self._members.get(type_iri)
        if found is None and self.store is not None:
            found = self._members[type_iri] = self.store.members(type_iri)
        return found or set()

    def is_concept(self, iri: str) -> bool:
        """True for taxonomy concepts, from the store's own answer when it has one (an
        endpoint used in place answers from its setup read: no node is fetched for it)."""
        concept = getattr(self.store, "concept", None)
        return concept(iri) if concept is not None else super().is_concept(iri)

    def is_data(self, iri: str, carrying: str = "",
                concept_types: Collection[str] = ()) -> bool:
        """As :meth:`GraphView.is_data`; a concept is no data node, so a store that tells
        concepts apart (:meth:`is_concept`) is not asked for the node itself."""
        if self.is_concept(iri):
            return False
        return super().is_data(iri, carrying, concept_types)

    def named(self, keys: Iterable[str]) -> set[str] | None:
        """The nodes the store files under any of ``keys`` (IRI case-folded, normalised
        names; :meth:`~kg.view.sqlite_store.ViewStore.named`), None when it cannot say."""
        named = getattr(self.store, "named", None)
        return named(keys) if named is not None else None

    def prefetch(self, iris: Iterable[str]) -> None:
        """Let the store read these nodes ahead (one request for a remote store)."""
        if self.store is not None:
            self.store.prefetch(iris)

    def degree_at(self, share: float) -> int:
        """The degree at ``share`` of the sorted degrees, from the stored degree counts."""
        if self.store is None:
            return 0
        return degree_at(dict(self.store.meta["degrees"]), share)


def lazy_view(store: Store) -> LazyView:
    """A view that reads ``store`` on demand (see the module docstring)."""
    meta = store.meta
    predicate_labels = dict(meta["predicate_labels"])
    g = nx.MultiDiGraph()
    labels = _Labels(store)
    nodes = _Nodes(store, labels)
    g._node = nodes
    g._adj = g._succ = _Adjacency(store, nodes, False, predicate_labels)
    g._pred = _Adjacency(store, nodes, True, predicate_labels)
    return LazyView(
        nx=g,
        labels=labels,  # type: ignore[arg-type]
        predicate_labels=predicate_labels,
        type_labels=dict(meta["type_labels"]),
        retired={k: list(v) for k, v in meta["retired"].items()},
        store=store,
    )
