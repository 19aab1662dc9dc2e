"""The on-disk view store: a round trip keeps every node, edge (in order) and label; a
store that is stale, for another graph, truncated or not a database is never used; the
workspace writes one for a large graph, answers from it and clears it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from synth import write_ntriples  # bench/synth.py (path set in conftest)

from kg import workspace as workspace_module
from kg.config import Settings
from kg.files import database_uri
from kg.rdf.load import load_graph
from kg.view.graph_view import GraphView, build_view
from kg.view.sqlite_store import (
    open_store,
    remove_stores,
    store_path,
    write_store,
)
from kg.workspace import Workspace

KEY = "a" * 64


@pytest.fixture(scope="module")
def view() -> GraphView:
    return build_view(load_graph().graph)


def test_round_trip_keeps_nodes_edges_labels_and_order(tmp_path: Path, view: GraphView) -> None:
    assert write_store(tmp_path, KEY, view) == store_path(tmp_path, KEY)
    store = open_store(tmp_path, KEY)
    assert store is not None
    assert store.meta["key"] == KEY
    assert list(store.iris()) == list(view.nx)
    assert dict(store.labelled()) == view.labels
    for n in view.nx:
        assert store.node(n)[1] == view.node(n)["label"]
        assert [(v, p, bool(h)) for v, p, h in store.out_edges(n)] == [
            (v, k, d["hierarchy"]) for _, v, k, d in view.nx.out_edges(n, keys=True, data=True)]
        assert [(u, p) for u, p, _ in store.in_edges(n)] == [
            (u, k) for u, _, k in view.nx.in_edges(n, keys=True)]
    typed = {t for n in view.nx for t in view.node(n)["types"]}
    assert typed
    for t in typed:
        assert store.members(t) == view.members(t)
    assert store.node("http://example.org/not-a-node") is None
    assert store.label("http://example.org/not-a-node") is None
    store.close()


def test_stale_foreign_or_damaged_stores_are_ignored(tmp_path: Path, view: GraphView) -> None:
    path = write_store(tmp_path, KEY, view)
    assert open_store(tmp_path, "b" * 64) is None  # another graph: another file
    other = store_path(tmp_path, "b" * 64)
    other.write_bytes(path.read_bytes())  # the right name, another graph's content
    assert open_store(tmp_path, "b" * 64) is None
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated
    assert open_store(tmp_path, KEY) is None
    path.write_bytes(b"not a database at all" * 1000)
    assert open_store(tmp_path, KEY) is None
    path.write_bytes(b"")
    assert open_store(tmp_path, KEY) is None
    assert remove_stores(tmp_path) == 2
    assert open_store(tmp_path, KEY) is None


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path, view: GraphView) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert write_store(blocker, KEY, view) is None  # its "snapshot" folder cannot exist


@pytest.fixture()
def large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A small synthetic graph the workspace treats as large."""
    monkeypatch.setattr(workspace_module, "LAZY_MIN_NODES", 100)
    path = tmp_path / "synth.nt"
    buf = io.StringIO()
    write_ntriples(buf, 3000)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return Workspace(Settings(graph_paths=(path,), cache_dir=tmp_path / "cache"))


def test_workspace_writes_rebuilds_and_clears_the_store(large: Workspace) -> None:
    cache = large.settings.resolved_cache_dir()
    assert large.view.nx.number_of_nodes() > 100
    path = store_path(cache, large.view_key)
    assert open_store(cache, large.view_key) is not None
    path.write_bytes(b"garbage")
    again = Workspace(large.settings)
    assert again.view is not None  # the snapshot is fresh: the store is written again
    assert open_store(cache, again.view_key) is not None
    cleared = Workspace(large.settings).clear_cache()
    assert cleared.snapshots == 2  # the JSON snapshot and the store
    assert not path.exists()


def test_small_graphs_get_no_store(tmp_path: Path) -> None:
    ws = Workspace(Settings(cache_dir=tmp_path))
    assert ws.view.nx.number_of_nodes() < workspace_module.LAZY_MIN_NODES
    assert not store_path(tmp_path, ws.view_key).exists()


@pytest.mark.parametrize("folder", ["what?mode=rw", "a#b", "100%", "%3F and spaces"])
def test_a_cache_path_with_uri_characters_opens(tmp_path: Path, view: GraphView,
                                                folder: str) -> None:
    """The SQLite URI is percent-encoded: ``?``, ``#`` and ``%`` in the cache path are
    part of the file name, not a query, a fragment or an escape."""
    cache = tmp_path / folder
    assert write_store(cache, KEY, view) == store_path(cache, KEY)
    store = open_store(cache, KEY)
    assert store is not None
    try:
        assert list(store.iris()) == list(view.nx)
    finally:
        store.close()
    assert database_uri(Path("/x/a?b#c%d")) == "file:/x/a%3Fb%23c%25d"


def test_scans_read_in_pages_in_view_order(tmp_path: Path, view: GraphView,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages smaller than the table give the same rows in the same order; a reader that
    stops after a few labels reads one page, not the whole table."""
    import kg.view.sqlite_store as sqlite_store

    monkeypatch.setattr(sqlite_store, "_FIRST_PAGE", 7)
    monkeypatch.setattr(sqlite_store, "_PAGE_MAX", 20)
    write_store(tmp_path, KEY, view)
    store = open_store(tmp_path, KEY)
    assert store is not None
    assert list(store.iris()) == list(view.nx)
    assert list(store.labelled()) == list(view.labels.items())
    sizes: list[int] = []
    rows = store._rows
    monkeypatch.setattr(store, "_rows", lambda sql, args=(): sizes.append(args[-1]) or rows(
        sql, args))
    first = [pair for pair, _ in zip(store.labelled(), range(5), strict=False)]
    assert first == list(view.labels.items())[:5] and sizes == [7]
    store.close()
