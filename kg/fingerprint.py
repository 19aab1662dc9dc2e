"""The one key of every derived file: the graph's content, the settings, and the code.

A cache is only right while three things are unchanged: the graph it was built from (its
content hash, :func:`kg.rdf.sources.content_hash`), the settings that shape it (``--lang``,
a graph used in place on an endpoint) and the code that builds it. The code part is a
SHA-256 of the source files of the builder's modules (:data:`BUILDERS`), so changing how a
view, a document, a label table or the ONNX export is made makes the old files stale by
itself: there is no version number to forget to bump. ``tests/test_fingerprint.py`` checks
that each builder's files cover every ``kg`` module its entry points import.

A key is 64 hex characters laid out so the cache folders can be searched by prefix::

    <content hash: 16><part and settings: 8><code, content and settings: 40>

The first 16 name the graph (:func:`graph_family`): ``kg index clear --graph X`` removes
every file that starts with them, in every language. The first 24 name a slot (one graph,
one part, one setting): when a slot is written, files of the same slot made by other code
are removed (:func:`stale_siblings`), so upgrades do not pile up old caches. The index
folder is named by the slot alone (:func:`kg.qa.index.index_dir`): it is rebuilt in place,
reusing the vectors of texts that did not change.

Only file bytes are read (nothing is imported), once per process and part.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

__all__ = [
    "BUILDERS",
    "KEY_LENGTH",
    "builder_files",
    "cache_key",
    "code_fingerprint",
    "graph_family",
    "slot_of",
    "stale_siblings",
]

# What builds each derived file: packages (every module in them) or single modules.
# tests/test_fingerprint.py walks the imports of BUILDER_ROOTS (in the test) to check that
# nothing they use is missing from these lists.
_BASE = ("kg.config", "kg.errors", "kg.files", "kg.fingerprint", "kg.fuzzy", "kg.gcpause",
         "kg.net")
BUILDERS: dict[str, tuple[str, ...]] = {
    # the view snapshot, the SQLite view store, the store of a graph used in place
    "view": (*_BASE, "kg.rdf", "kg.view"),
    # the vector index: the view, the documents embedded and the index format. The encoder
    # is left out: vectors are reused by text and model, and the ONNX export is checked
    # against torch before it is kept.
    "index": (*_BASE, "kg.rdf", "kg.view", "kg.qa.documents", "kg.qa.stream", "kg.qa.index",
              "kg.qa.id_table", "kg.qa.half_index", "kg.qa.pq_index", "kg.qa.partial_vectors",
              "kg.qa.verify", "kg.qa.embeddings"),
    # the engine cache: what the engine derives from the view (label tables, postings)
    "engine": (*_BASE, "kg.rdf", "kg.view", "kg.qa"),
    # the model exported to ONNX
    "onnx": (*_BASE, "kg.qa.embeddings", "kg.qa.onnx_encoder"),
}
KEY_LENGTH = 64
_FAMILY = 16
_SLOT = 24
_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the kg package


def builder_files(part: str, root: Path = _ROOT) -> list[Path]:
    """The source files whose bytes make up ``part``'s fingerprint, sorted, below ``root``."""
    files: set[Path] = set()
    for name in BUILDERS[part]:
        path = root.joinpath(*name.split("."))
        if path.is_dir():
            files.update(path.glob("*.py"))
        elif path.with_suffix(".py").is_file():
            files.add(path.with_suffix(".py"))
        else:
            raise FileNotFoundError(f"{name}: no module or package at {path}")
    return sorted(files)


def fingerprint_files(files: Iterable[Path], root: Path = _ROOT) -> str:
    """SHA-256 over each file's path (relative to ``root``) and bytes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def code_fingerprint(part: str) -> str:
    """The fingerprint of the code that builds ``part`` (computed once per process)."""
    return fingerprint_files(builder_files(part))


def _settings_text(settings: dict[str, object]) -> str:
    return "\0".join(f"{k}={v}" for k, v in sorted(settings.items()) if v not in (None, ""))


def cache_key(content_hash: str, part: str, **settings: object) -> str:
    """The key of ``part`` built from the graph ``content_hash`` with ``settings`` by the
    code of this install (see the module docstring for the layout). Settings that are
    None or empty are left out, so adding an unset setting keeps the old keys."""
    if len(content_hash) < _FAMILY:
        raise ValueError(f"not a content hash: {content_hash!r}")
    text = _settings_text(settings)
    slot = hashlib.sha256(f"{part}\0{text}".encode()).hexdigest()[: _SLOT - _FAMILY]
    rest = hashlib.sha256(
        f"{content_hash}\0{part}\0{text}\0{code_fingerprint(part)}".encode()
    ).hexdigest()[: KEY_LENGTH - _SLOT]
    return content_hash[:_FAMILY] + slot + rest


def graph_family(content_hash: str) -> str:
    """The prefix every derived file of one graph starts with, whatever its settings."""
    return content_hash[:_FAMILY]


def slot_of(key: str) -> str:
    """The part of a key that stays the same when only the code changes."""
    return key[:_SLOT]


def stale_siblings(folder: Path, key: str, name: re.Pattern[str], keep: Path) -> list[Path]:
    """The files of ``folder`` whose name matches ``name`` (a cache's own naming) and
    starts with ``key``'s slot, ``keep`` aside: the same cache built by other code."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    slot = slot_of(key)
    return [p for p in folder.iterdir()
            if p != keep and p.name.startswith(slot) and name.fullmatch(p.name)]
