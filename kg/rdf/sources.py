"""Which files make up a graph, how they are read, and the content hash that names it.

Every reader of graph files (the rdflib loader, the Oxigraph bulk load, the plain-triple
reader for large graphs, the content hash) goes through :func:`read_sources`, so the size
limit, the format detection and the safety check are applied in one place, and all of them
agree on the content hash that keys every cache. No rdflib here: the hash of a graph is
computed from file bytes alone, so a fresh cache is found without parsing anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import NotFoundError, UnsafeInputError
from kg.rdf.formats import check_safe, detect_format

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ContentDigest",
    "LoadedGraph",
    "SourceFile",
    "builtin_shapes",
    "builtin_sources",
    "content_hash",
    "endpoint_hash",
    "file_stamp",
    "read_sources",
    "resolve_sources",
]

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB per input file
_SHAPES_FILE = "shapes.ttl"
_HEAD = 4096  # bytes read to guess a format the extension does not give


@dataclass
class LoadedGraph:
    """An rdflib graph together with where it came from and a hash of its content."""

    graph: Graph
    sources: tuple[str, ...]
    content_hash: str
    builtin: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    store: str = "memory"

    def __len__(self) -> int:
        return len(self.graph)


@dataclass(frozen=True)
class SourceFile:
    """One input file, read: its path, bytes and rdflib format name."""

    path: Path
    data: bytes
    fmt: str


class ContentDigest:
    """The content hash of a graph: every file's name and bytes, in load order."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def add(self, path: Path, data: bytes) -> None:
        """Fold one file into the hash."""
        self.add_digest(path, hashlib.sha256(data).digest())

    def add_digest(self, path: Path, file_digest: bytes) -> None:
        """Fold one file into the hash by the SHA-256 of its bytes (known already)."""
        self._digest.update(path.name.encode() + b"\0" + file_digest)

    def hexdigest(self) -> str:
        """The hash so far, as hex."""
        return self._digest.hexdigest()


def builtin_sources() -> list[Path]:
    """The Turtle files of the built-in ontology (shapes excluded), sorted."""
    root = resources.files("kg_ontology")
    files = sorted(
        (Path(str(p)) for p in root.iterdir() if p.name.endswith(".ttl")),
        key=lambda p: p.name,
    )
    return [p for p in files if p.name != _SHAPES_FILE]


def builtin_shapes() -> Path:
    """The SHACL shapes shipped with the built-in ontology."""
    return Path(str(resources.files("kg_ontology").joinpath(_SHAPES_FILE)))


def resolve_sources(
    paths: Sequence[str | Path] | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[Path], bool]:
    """The files to load (the built-in ontology when ``paths`` is empty), checked to exist
    and to be under ``max_bytes``; returns ``(files, builtin)``."""
    builtin = not paths
    files = builtin_sources() if builtin else [Path(p) for p in paths]  # type: ignore[union-attr]
    for file in files:
        if not file.is_file():
            raise NotFoundError(f"{file}: no such file. Check the path given to --graph.")
        size = file.stat().st_size
        if size > max_bytes:
            raise UnsafeInputError(
                str(file),
                f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes. Raise the "
                "limit with KG_MAX_GRAPH_BYTES if you trust this file.",
            )
    return files, builtin


def read_sources(files: Sequence[Path], *, check: bool = True) -> Iterator[SourceFile]:
    """Read each file with its detected format, one at a time (a large graph's files are
    never all in memory together); with ``check``, refuse unsafe ones (see
    :func:`kg.rdf.formats.check_safe`) before anything parses them."""
    for file in files:
        data = file.read_bytes()
        fmt = detect_format(file, data[:_HEAD])
        if check:
            check_safe(str(file), data, fmt)
        yield SourceFile(file, data, fmt)


def content_hash(
    paths: Sequence[str | Path] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: MutableMapping[str, str] | None = None,
) -> str:
    """The content hash the loaders report, from the file bytes alone.

    Cheap (no parsing, no rdflib, no safety check), so caches keyed by it can be checked
    before deciding whether the graph needs parsing at all. ``known`` remembers each
    file's digest under its :func:`file_stamp` (path, size, inode, modification and change
    times in nanoseconds): a file whose stamp is unchanged is not read again (a large
    graph's bytes take longer to hash than a question takes to answer); any write to it
    changes the stamp, so it is read and hashed afresh.
    """
    files, _ = resolve_sources(paths, max_bytes)
    digest = ContentDigest()
    for file in files:
        stamp = file_stamp(file) if known is not None else ""
        hexed = known.get(stamp) if known is not None else None
        if hexed is None:
            hexed = hashlib.sha256(file.read_bytes()).hexdigest()
            if known is not None and stamp == file_stamp(file):  # not written meanwhile
                known[stamp] = hexed
        digest.add_digest(file, bytes.fromhex(hexed))
    return digest.hexdigest()


def file_stamp(path: Path) -> str:
    """What changes whenever a file's bytes may have: its absolute path, size, inode and
    modification and change times (ns)."""
    st = Path(path).stat()
    return "\0".join(map(str, (Path(path).resolve(), st.st_size, st.st_ino, st.st_mtime_ns,
                               st.st_ctime_ns)))


def endpoint_hash(url: str, triples: int) -> str:
    """A content key for a remote endpoint: its URL and how many triples it serves."""
    return hashlib.sha256(f"sparql-endpoint\0{url}\0{triples}".encode()).hexdigest()
