"""The view snapshot: used when fresh, rebuilt when missing, stale or corrupt; never parses RDF
when fresh; rebuilds exactly the view it saved."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.config import Settings
from kg.rdf.load import content_hash, load_graph
from kg.view.graph_view import GraphView, build_view
from kg.view.snapshot import load_snapshot, save_snapshot, snapshot_path
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"


def _same(a: GraphView, b: GraphView) -> None:
    assert list(a.nx.nodes(data=True)) == list(b.nx.nodes(data=True))
    assert list(a.nx.edges(keys=True, data=True)) == list(b.nx.edges(keys=True, data=True))
    for n in list(a.nx)[:50]:  # adjacency order matters to the walk: it must survive too
        assert list(a.nx.in_edges(n, keys=True)) == list(b.nx.in_edges(n, keys=True))
    assert (a.labels, a.predicate_labels, a.type_labels) == (
        b.labels, b.predicate_labels, b.type_labels)


@pytest.fixture()
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "vehicles.ttl"
    shutil.copy(DATA / "qa_vehicles.ttl", path)
    return path


def _ws(path: Path, cache: Path) -> Workspace:
    return Workspace(Settings(graph_paths=(path,), cache_dir=cache))


def test_round_trip_is_exact(tmp_path: Path) -> None:
    view = build_view(load_graph().graph)
    save_snapshot(tmp_path, "h" * 64, view)
    again = load_snapshot(tmp_path, "h" * 64)
    assert again is not None
    _same(view, again)


def test_hash_needs_no_parse_and_matches_load_graph(graph_file: Path) -> None:
    assert content_hash([graph_file]) == load_graph([graph_file]).content_hash
    assert content_hash() == load_graph().content_hash


def test_fresh_snapshot_is_used_without_parsing(graph_file: Path, tmp_path: Path) -> None:
    first = _ws(graph_file, tmp_path)
    assert first.view_source == ""
    assert first.view is not None
    assert first.view_source == "graph"
    assert snapshot_path(tmp_path, first.view_key).is_file()
    second = _ws(graph_file, tmp_path)
    _same(first.view, second.view)
    assert second.view_source == "snapshot"
    assert "loaded" not in second.__dict__  # the RDF was not parsed


def test_changed_graph_makes_snapshot_stale(graph_file: Path, tmp_path: Path) -> None:
    assert _ws(graph_file, tmp_path).view is not None
    graph_file.write_text(graph_file.read_text(encoding="utf-8") + "\n# edited\n",
                          encoding="utf-8")
    ws = _ws(graph_file, tmp_path)
    assert ws.view is not None
    assert ws.view_source == "graph"


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
    lambda p: p.write_bytes(b"\xff\xfe not json"),
    lambda p: p.write_text(json.dumps({"version": 4}), encoding="utf-8"),  # an old format
    lambda p: p.write_text(json.dumps({"key": "other", "view": {}}), encoding="utf-8"),
    lambda p: p.write_text("[]", encoding="utf-8"),
])
def test_corrupt_or_foreign_snapshot_is_rebuilt(graph_file: Path, tmp_path: Path,
                                                damage) -> None:
    good = _ws(graph_file, tmp_path)
    assert good.view is not None
    path = snapshot_path(tmp_path, good.view_key)
    damage(path)
    ws = _ws(graph_file, tmp_path)
    _same(good.view, ws.view)
    assert ws.view_source == "graph"
    assert load_snapshot(tmp_path, good.view_key) is not None  # written again


def test_malformed_view_data_is_rejected(graph_file: Path, tmp_path: Path) -> None:
    ws = _ws(graph_file, tmp_path)
    assert ws.view is not None
    body = json.loads(snapshot_path(tmp_path, ws.view_key).read_bytes())
    body["view"]["edges"].append(["urn:x", "urn:y", "urn:p", 0])  # unknown predicate label
    snapshot_path(tmp_path, ws.view_key).write_text(json.dumps(body), encoding="utf-8")
    assert load_snapshot(tmp_path, ws.view_key) is None


def test_unwritable_cache_is_not_an_error(graph_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    ws = _ws(graph_file, blocker)
    assert len(ws.view.nx) > 0


def test_snapshot_can_be_switched_off(graph_file: Path, tmp_path: Path) -> None:
    ws = Workspace(Settings(graph_paths=(graph_file,), cache_dir=tmp_path, snapshot=False))
    assert ws.view is not None
    assert not snapshot_path(tmp_path, ws.view_key).exists()


def test_file_digests_are_remembered_by_stamp_and_a_change_is_seen(
    graph_file: Path, tmp_path: Path
) -> None:
    from kg.rdf.sources import file_stamp

    known: dict[str, str] = {}
    plain = content_hash([graph_file])
    assert content_hash([graph_file], known=known) == plain
    assert list(known) == [file_stamp(graph_file)]
    cache = tmp_path / "cache"
    assert _ws(graph_file, cache).content_hash == plain
    memo = cache / "digests.json"
    assert json.loads(memo.read_text()) == known
    # the remembered digest is what is used while the stamp is unchanged ...
    memo.write_text(json.dumps({file_stamp(graph_file): "0" * 64}))
    assert _ws(graph_file, cache).content_hash != plain
    # ... and any write to the file (same size here) makes it read and hashed again
    data = graph_file.read_bytes()
    graph_file.write_bytes(data.replace(b"car", b"cab", 1))
    changed = _ws(graph_file, cache).content_hash
    assert changed == content_hash([graph_file]) != plain
    assert Workspace(Settings(graph_paths=(graph_file,), cache_dir=cache)).clear_cache(
        every_graph=True) is not None
    assert not memo.exists()
