"""A compact JSON snapshot of the graph view, so a question never parses RDF twice.

``<cache>/snapshot/<hash>.json`` holds the networkx view (:meth:`GraphView.to_data`) of the
graph whose content hash (:func:`kg.rdf.load.content_hash`, computed from the file bytes
without parsing) is ``<hash>``. Rebuilding the view from it costs a fraction of parsing
the RDF and building the view again, and needs neither rdflib parsing nor the files'
formats. The file is JSON (never pickle: a cache must not be able to run code; orjson
writes and reads it several times faster than the standard library), written
to a temporary name, fsynced and renamed, and carries a format version; a snapshot that
is missing, of another version, for another graph or unreadable is ignored and rebuilt.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from kg.files import atomic_write, remove_matching, remove_path
from kg.gcpause import gc_paused
from kg.view.graph_view import GraphView

__all__ = [
    "SNAPSHOT_VERSION",
    "load_snapshot",
    "remove_snapshots",
    "save_snapshot",
    "snapshot_path",
]

SNAPSHOT_VERSION = 5  # 5: names by language and kind (lang_labels)
_SNAPSHOT_NAME = re.compile(r"[0-9a-f]{32}\.json")


def snapshot_path(cache_dir: Path, graph_hash: str) -> Path:
    """Where the snapshot of one graph lives."""
    return Path(cache_dir) / "snapshot" / f"{graph_hash[:32]}.json"


@gc_paused()
def save_snapshot(cache_dir: Path, graph_hash: str, view: GraphView) -> Path | None:
    """Write the snapshot of ``view``; returns its path, or None when the cache is not
    writable (a snapshot only saves time, so failing to write one is not an error)."""
    path = snapshot_path(cache_dir, graph_hash)
    body = {"version": SNAPSHOT_VERSION, "graph_hash": graph_hash, "view": view.to_data()}
    data = orjson.dumps(body)
    try:
        atomic_write(path, data)
    except OSError:
        return None
    return path


@gc_paused()
def load_snapshot(cache_dir: Path, graph_hash: str) -> GraphView | None:
    """The view stored for ``graph_hash``, or None when missing, stale or corrupt."""
    path = snapshot_path(cache_dir, graph_hash)
    try:
        body = orjson.loads(path.read_bytes())
    except (OSError, ValueError):  # missing, unreadable, truncated, not UTF-8 or not JSON
        return None
    if not isinstance(body, dict) or body.get("version") != SNAPSHOT_VERSION:
        return None
    if body.get("graph_hash") != graph_hash or not isinstance(body.get("view"), dict):
        return None
    try:
        return GraphView.from_data(body["view"])
    except ValueError:
        return None


def remove_snapshots(cache_dir: Path, graph_hash: str | None = None) -> int:
    """Delete the snapshot of one graph (every snapshot when ``graph_hash`` is None);
    returns how many were removed. Other files in the folder are left alone."""
    if graph_hash is not None:
        return int(remove_path(snapshot_path(cache_dir, graph_hash)))
    return remove_matching(Path(cache_dir) / "snapshot", _SNAPSHOT_NAME)
