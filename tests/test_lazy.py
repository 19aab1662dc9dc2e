"""The lazily read view: the same nodes, neighbours (in the same order), labels, degrees
and type members as the full view; an engine on it answers exactly as one on the full view
(real model); a workspace answers a large graph from it without loading the whole view."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pytest
from synth import BASE, write_ntriples  # bench/synth.py (path set in conftest)

from kg import workspace as workspace_module
from kg.config import Settings
from kg.qa.cache import load_prepared
from kg.qa.embeddings import get_encoder
from kg.qa.engine import Engine
from kg.view.graph_view import GraphView
from kg.view.lazy import LazyView, lazy_view
from kg.view.sqlite_store import open_store, write_store
from kg.workspace import Workspace

ROOT = Path(__file__).parent.parent
KEY = "c" * 64


def _lazy(view: GraphView, cache: Path) -> LazyView:
    write_store(cache, KEY, view)
    store = open_store(cache, KEY)
    assert store is not None
    return lazy_view(store)


@pytest.fixture()
def synth_ws(tmp_path: Path) -> Workspace:
    path = tmp_path / "synth.nt"
    buf = io.StringIO()
    write_ntriples(buf, 1500)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return Workspace(Settings(graph_paths=(path,), cache_dir=tmp_path / "cache"))


def test_same_neighbours_labels_and_degrees(synth_ws: Workspace, tmp_path: Path) -> None:
    full = synth_ws.view
    lazy = _lazy(full, tmp_path)
    g, h = full.nx, lazy.nx
    for n in reversed(list(g)):  # any order of first touches gives the same result
        assert n in h and h.nodes[n] == g.nodes[n]
        assert list(h.out_edges(n, keys=True, data=True)) == list(
            g.out_edges(n, keys=True, data=True))
        assert list(h.in_edges(n, keys=True, data=True)) == list(
            g.in_edges(n, keys=True, data=True))
        assert list(nx.all_neighbors(h, n)) == list(nx.all_neighbors(g, n))
        assert h.degree(n) == g.degree(n)
        assert (lazy.label(n), lazy.broader(n), lazy.narrower(n)) == (
            full.label(n), full.broader(n), full.narrower(n))
        assert lazy.is_data(n) == full.is_data(n) and lazy.is_concept(n) == full.is_concept(n)
    assert h.get_edge_data(f"{BASE}c5", f"{BASE}c0") == g.get_edge_data(f"{BASE}c5", f"{BASE}c0")
    assert f"{BASE}nothing" not in h and lazy.node(f"{BASE}nothing") == {}
    assert lazy.label(f"{BASE}nothing") == full.label(f"{BASE}nothing")
    assert dict(lazy.labels) == full.labels  # a whole-table scan still works
    assert list(h) == list(g) and len(h) == len(g)
    for share in (0.0, 0.5, 0.97, 0.999):
        assert lazy.degree_at(share) == full.degree_at(share)
    for t in {t for n in g for t in full.node(n)["types"]}:
        assert lazy.members(t) == full.members(t)
    assert lazy.members(f"{BASE}NoSuchType") == set()
    assert (lazy.predicate_labels, lazy.type_labels, lazy.retired) == (
        full.predicate_labels, full.type_labels, full.retired)


def test_a_scan_of_every_node_reads_pages_not_nodes(synth_ws: Workspace, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """``g.nodes(data=True)`` over the store gives the full view's nodes and attributes in
    its order, read in pages: neither the scan nor a look at the label or the attributes of
    the node it is on reads a node or a label one at a time."""
    import kg.view.lazy as lazy_module

    full = synth_ws.view
    lazy = _lazy(full, tmp_path)
    store = lazy.store
    assert store is not None
    monkeypatch.setattr(lazy_module, "REMEMBERED_MAX", 64)  # fewer than the nodes
    one_by_one = []
    monkeypatch.setattr(store, "node", lambda iri: one_by_one.append(iri))
    monkeypatch.setattr(store, "label", lambda iri: one_by_one.append(iri))
    seen = []
    for iri, data in lazy.nx.nodes(data=True):
        assert data == full.nx.nodes[iri]
        assert (iri in lazy.labels) == (iri in full.labels)
        assert lazy.nx.nodes[iri] is data and lazy.is_data(iri) == full.is_data(iri)
        seen.append(iri)
    assert seen == list(full.nx) and not one_by_one


def _questions() -> list[str]:
    lines = (ROOT / "eval" / "own_qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def test_engine_answers_identical_on_the_built_in_graph(builtin_ws: Workspace,
                                                        tmp_path: Path) -> None:
    full = builtin_ws.engine
    prepared = full.prepared_data()
    lazy = Engine(_lazy(builtin_ws.view, tmp_path), builtin_ws.get_index(), get_encoder,
                  prepared)
    questions = _questions()
    assert len(questions) >= 80
    for q in questions:
        assert lazy.ask(q).to_dict() == full.ask(q).to_dict(), q


def test_workspace_answers_a_large_graph_from_the_store(
    synth_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workspace_module, "LAZY_MIN_NODES", 50)
    full = synth_ws.engine  # builds the index, the snapshot, the store and the engine cache
    assert isinstance(full.view, GraphView) and not isinstance(full.view, LazyView)
    cache = synth_ws.settings.resolved_cache_dir()
    prepared = load_prepared(cache, synth_ws.engine_key)
    assert prepared is not None and isinstance(prepared["vocabulary"], Mapping)  # tables
    fresh = Workspace(synth_ws.settings)
    engine = fresh.engine
    assert isinstance(engine.view, LazyView)
    assert "view" not in fresh.__dict__  # the whole view was never loaded
    names = sorted(v for k, v in full.view.labels.items() if "/c" in k)[::25]
    questions = [f"What is {names[0]}?", f"Is {names[1]} a kind of {names[-1]}?",
                 f"How does {names[2]} relate to {names[-2]}?",
                 f"Which concepts are narrower than {names[3]}?",
                 "What is used in quantum forecasting?"]
    for q in questions:
        assert engine.ask(q).to_dict() == full.ask(q).to_dict(), q
