"""A compact JSON snapshot of the graph view, so a question never parses RDF twice.

``<cache>/snapshot/<key>.json`` holds the networkx view (:meth:`GraphView.to_data`) of a
graph, named by its cache key (:func:`kg.fingerprint.cache_key`: the content hash computed
from the file bytes without parsing, ``--lang``, and the source of the view builders).
Rebuilding the view from it costs a fraction of parsing the RDF and building the view
again, and needs neither rdflib parsing nor the files' formats. The file is JSON (never
pickle: a cache must not be able to run code; orjson writes and reads it several times
faster than the standard library), written to a temporary name, fsynced and renamed, and
carries its full key; a snapshot that is missing, made by other code, for another graph
or unreadable is ignored and rebuilt, and writing one removes the same graph's snapshots
made by other code.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from kg.files import atomic_write, remove_matching, remove_path
from kg.fingerprint import graph_family, stale_siblings
from kg.gcpause import gc_paused
from kg.view.graph_view import GraphView

__all__ = [
    "load_snapshot",
    "remove_snapshots",
    "save_snapshot",
    "snapshot_path",
]

_SNAPSHOT_NAME = re.compile(r"[0-9a-f]{32}\.json")


def snapshot_path(cache_dir: Path, key: str) -> Path:
    """Where the snapshot of one graph lives."""
    return Path(cache_dir) / "snapshot" / f"{key[:32]}.json"


@gc_paused()
def save_snapshot(cache_dir: Path, key: str, view: GraphView) -> Path | None:
    """Write the snapshot of ``view`` under its cache ``key`` and remove the same graph's
    snapshots made by other code; returns its path, or None when the cache is not
    writable (a snapshot only saves time, so failing to write one is not an error)."""
    path = snapshot_path(cache_dir, key)
    data = orjson.dumps({"key": key, "view": view.to_data()})
    try:
        atomic_write(path, data)
    except OSError:
        return None
    for old in stale_siblings(path.parent, key, _SNAPSHOT_NAME, path):
        remove_path(old)
    return path


@gc_paused()
def load_snapshot(cache_dir: Path, key: str) -> GraphView | None:
    """The view stored under ``key``, or None when missing, stale or corrupt."""
    path = snapshot_path(cache_dir, key)
    try:
        body = orjson.loads(path.read_bytes())
    except (OSError, ValueError):  # missing, unreadable, truncated, not UTF-8 or not JSON
        return None
    if not isinstance(body, dict) or body.get("key") != key:
        return None
    if not isinstance(body.get("view"), dict):
        return None
    try:
        return GraphView.from_data(body["view"])
    except ValueError:
        return None


def remove_snapshots(cache_dir: Path, content_hash: str | None = None) -> int:
    """Delete the snapshots of the graph with ``content_hash``, in every language and
    made by any code (every snapshot when it is None); returns how many were removed.
    Other files in the folder are left alone."""
    family = graph_family(content_hash) if content_hash is not None else ""
    return remove_matching(Path(cache_dir) / "snapshot", _SNAPSHOT_NAME, prefix=family)
