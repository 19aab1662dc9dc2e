"""A JSON cache of what the engine derives from the view, so a large graph starts fast.

Building an :class:`kg.qa.engine.Engine` tokenises every label and description of the graph: a
few milliseconds on the built-in ontology, seconds on a million triples.
``<cache>/snapshot/<hash>.engine.json`` keeps the result (:meth:`Engine.prepared_data`)
for the graph whose content hash is ``<hash>``. It is stamped with a fingerprint of the
source of the modules that derive it, so changing how text is normalised or labels are
matched makes old caches stale by itself: there is no version number to forget to bump.
Like the view snapshot it is JSON (never pickle), written atomically, and ignored and
rebuilt when missing, stale, for another graph or unreadable.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from kg.files import atomic_write, remove_path
from kg.gcpause import gc_paused

__all__ = [
    "code_fingerprint",
    "engine_cache_path",
    "load_prepared",
    "remove_prepared",
    "save_prepared",
]

_KIND = "kg-engine"
_CACHE_NAME = re.compile(r"[0-9a-f]{32}\.engine\.json")


@cache
def code_fingerprint() -> str:
    """A hash of the source of every module whose code shapes the prepared data.

    The files are found by name, not imported: the cache must not depend on the engine.
    """
    digest = hashlib.sha256()
    for name in ("kg.qa.text", "kg.qa.linking", "kg.qa.lexical", "kg.qa.engine"):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ImportError(f"cannot find the source of {name}")
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()


def engine_cache_path(cache_dir: Path, graph_hash: str) -> Path:
    """Where the prepared engine data of one graph lives."""
    return Path(cache_dir) / "snapshot" / f"{graph_hash[:32]}.engine.json"


@gc_paused()
def save_prepared(cache_dir: Path, graph_hash: str, data: dict[str, Any]) -> Path | None:
    """Write the prepared data; None when the cache is not writable (not an error)."""
    path = engine_cache_path(cache_dir, graph_hash)
    body = {"kind": _KIND, "graph_hash": graph_hash, "code": code_fingerprint(), "data": data}
    try:
        atomic_write(path, orjson.dumps(body))
    except (OSError, TypeError):
        return None
    return path


@gc_paused()
def load_prepared(cache_dir: Path, graph_hash: str) -> dict[str, Any] | None:
    """The prepared data stored for ``graph_hash`` by this code, or None."""
    try:
        body = orjson.loads(engine_cache_path(cache_dir, graph_hash).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("kind") != _KIND:
        return None
    if body.get("graph_hash") != graph_hash or body.get("code") != code_fingerprint():
        return None
    data = body.get("data")
    return data if isinstance(data, dict) else None


def remove_prepared(cache_dir: Path, graph_hash: str | None = None) -> int:
    """Delete the engine cache of one graph (every one when ``graph_hash`` is None);
    returns how many were removed."""
    if graph_hash is not None:
        return int(remove_path(engine_cache_path(cache_dir, graph_hash)))
    folder = Path(cache_dir) / "snapshot"
    if not folder.is_dir():
        return 0
    return sum(remove_path(p) for p in folder.iterdir() if _CACHE_NAME.fullmatch(p.name))
