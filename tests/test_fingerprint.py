"""One invalidation scheme (kg/fingerprint.py): every derived file is keyed by the graph,
the settings and the source of the code that builds it, so changing a view-building
function makes the old caches stale by itself, and clearing a graph removes every variant."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_architecture import edges, sources

from kg import fingerprint
from kg.config import Settings
from kg.fingerprint import (
    BUILDERS,
    builder_files,
    cache_key,
    code_fingerprint,
    fingerprint_files,
    graph_family,
    slot_of,
)
from kg.workspace import Workspace

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
GRAPH = DATA / "qa_vehicles.ttl"

# The entry points of each builder: what writes or reads the derived file.
BUILDER_ROOTS = {
    "view": ("kg.rdf.load", "kg.view.graph_view", "kg.view.snapshot", "kg.view.sqlite_store",
             "kg.view.remote_view", "kg.view.lazy"),
    "index": ("kg.rdf.load", "kg.view.graph_view", "kg.qa.documents", "kg.qa.index"),
    "engine": ("kg.rdf.load", "kg.view.graph_view", "kg.qa.engine", "kg.qa.cache"),
    "onnx": ("kg.qa.onnx_encoder",),
}


def _closure(graph: dict[str, set[str]], roots: tuple[str, ...]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    return seen


@pytest.mark.parametrize("part", sorted(BUILDERS))
def test_fingerprint_covers_every_module_the_builder_imports(part: str) -> None:
    """A module reached from a builder's entry points (function-level imports included)
    whose source is not fingerprinted could change the cache without invalidating it."""
    modules = sources("kg")
    covered = {ROOT / "kg" / p.relative_to(ROOT / "kg") for p in builder_files(part)}
    missing = sorted(m for m in _closure(edges(modules), BUILDER_ROOTS[part])
                     if modules[m] not in covered)
    assert not missing, f"{part}: modules used by the builder but not fingerprinted: {missing}"


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    shutil.copytree(ROOT / "kg", root / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _edit_view_builder(root: Path) -> None:
    """Change one view-building function and nothing else (no version touched)."""
    path = root / "kg" / "view" / "graph_view.py"
    source = path.read_text(encoding="utf-8")
    head, sep, body = source.partition("def view_from_triples(")
    assert sep, "view_from_triples moved: point this test at a view-building function"
    path.write_text(head + sep + body.replace('"""', '"""Edited. ', 1), encoding="utf-8")


def test_editing_a_view_builder_changes_the_keys_that_depend_on_it(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    before = {p: fingerprint_files(builder_files(p, root), root) for p in BUILDERS}
    assert before == {p: code_fingerprint(p) for p in BUILDERS}  # same bytes, same print
    _edit_view_builder(root)
    after = {p: fingerprint_files(builder_files(p, root), root) for p in BUILDERS}
    assert [p for p in BUILDERS if after[p] != before[p]] == ["view", "index", "engine"]


def test_a_changed_view_builder_rebuilds_the_snapshot_by_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    settings = Settings(graph_paths=(GRAPH,), cache_dir=cache)
    first = Workspace(settings)
    assert first.view is not None and first.view_source == "graph"
    again = Workspace(settings)
    assert again.view is not None and again.view_source == "snapshot"

    root = _tree(tmp_path)
    _edit_view_builder(root)
    monkeypatch.setattr(fingerprint, "code_fingerprint",
                        lambda part: fingerprint_files(builder_files(part, root), root))
    upgraded = Workspace(settings)
    assert upgraded.view_key != first.view_key
    assert slot_of(upgraded.view_key) == slot_of(first.view_key)
    assert upgraded.view is not None and upgraded.view_source == "graph"  # rebuilt
    snapshots = sorted(p.name for p in (cache / "snapshot").glob("*.json")
                       if ".engine." not in p.name)
    assert snapshots == [f"{upgraded.view_key[:32]}.json"]  # the stale one was removed


def test_key_layout_names_the_graph_then_the_slot() -> None:
    content = "ab" * 32
    en = cache_key(content, "view", lang="en")
    fr = cache_key(content, "view", lang="fr")
    index = cache_key(content, "index", lang="en")
    assert len({en, fr, index}) == 3 and all(len(k) == 64 for k in (en, fr, index))
    assert {k[:16] for k in (en, fr, index)} == {graph_family(content)}
    assert len({slot_of(k) for k in (en, fr, index)}) == 3
    assert cache_key(content, "view", lang="en", in_place=None) == en  # unset: same key
    assert cache_key("cd" * 32, "view", lang="en")[:16] != en[:16]


def test_clearing_a_graph_removes_every_language(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    other = DATA / "export_tiny.ttl"
    for lang in ("en", "fr"):
        Workspace(Settings(graph_paths=(GRAPH,), cache_dir=cache, lang=lang)).view  # noqa: B018
    Workspace(Settings(graph_paths=(other,), cache_dir=cache)).view  # noqa: B018
    assert len(list((cache / "snapshot").glob("*.json"))) == 3
    cleared = Workspace(Settings(graph_paths=(GRAPH,), cache_dir=cache)).clear_cache()
    assert cleared.snapshots == 2
    left = Workspace(Settings(graph_paths=(other,), cache_dir=cache))
    assert [p.name for p in (cache / "snapshot").glob("*.json")] == [
        f"{left.view_key[:32]}.json"]
