"""The FAISS index of entity documents, persisted in the cache with a manifest.

Layout, one folder per graph content hash::

    <cache>/index/<hash>/entities.json   node IRIs in index order + sha256 of each text
    <cache>/index/<hash>/vectors.faiss   the FAISS index (inner product on unit vectors)
    <cache>/index/<hash>/rows.f32        a large index's float vectors, raw, read by row
                                         (:mod:`kg.qa.pq_index`; other kinds hold theirs)
    <cache>/index/<hash>/manifest.json   format, graph hash, model, dim, sha256 of each file
    <cache>/index/<hash>/ids.table       the IRIs by row, found by hash; mapped at open
    <cache>/index/<hash>/ids.json        the sha256 of the entities.json ids.table was made
                                         from, and its own (:mod:`kg.qa.id_table`)

Every file is written to a temporary name, fsynced and renamed; the manifest is removed
first and written last, so a reader sees either a complete index or none. A reader checks
the sha256 of every file against the manifest (once per file version, :mod:`kg.qa.verify`)
and never loads a broken one. The vectors are memory-mapped, not copied. No pickle.
Builds are serialised across processes with a lock file.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import orjson

from kg.errors import IndexError_
from kg.files import atomic_write, fill_atomically, remove_children, remove_path
from kg.qa.documents import Document
from kg.qa.embeddings import Encoder
from kg.qa.id_table import IdTable, open_table, write_table
from kg.qa.partial_vectors import PartialVectors
from kg.qa.pq_index import KIND as PQ_KIND
from kg.qa.pq_index import ROWS as _ROWS
from kg.qa.verify import Stamps, sha256_file

if TYPE_CHECKING:
    from kg.qa.half_index import HalfIndex
    from kg.qa.pq_index import Rows

__all__ = [
    "FORMAT_VERSION",
    "IndexStatus",
    "Manifest",
    "VectorIndex",
    "build_index",
    "clear_indexes",
    "ensure_index",
    "index_dir",
    "index_status",
    "load_index",
]

FORMAT_VERSION = 1
# Exact search below this many vectors: a flat scan of 120k vectors takes ~6 ms here on one
# thread (~4 ms through the float16 copy, HALF_MIN), well inside the answer budget. From
# here on, IVF-PQ candidates re-scored from the float rows (:mod:`kg.qa.pq_index`); indexes
# built as HNSW before still load and search as they did. Recall@10 of both is measured in
# bench/faiss_recall.py.
EXACT_LIMIT = 200_000
Progress = Callable[[int, int], None]
# A question's few vectors are searched on one OpenMP thread: on 2 shared cores, FAISS's
# threads waiting for each other made a 119k-vector flat search take ~24 ms instead of ~6.
_SINGLE_THREAD_ROWS = 8
# A flat index this large answers one question through its float16 copy (same results).
HALF_MIN = 50_000

_MANIFEST = "manifest.json"
_ENTITIES = "entities.json"
_VECTORS = "vectors.faiss"
_PARTIAL = "partial"
_STAMPS = "verified.json"


@dataclass
class Manifest:
    """What an index was built from; any mismatch makes it stale."""

    format_version: int
    graph_hash: str
    model_id: str
    dim: int
    count: int
    index_type: str
    files: dict[str, str] = field(default_factory=dict)
    built_at: float = 0.0
    reused_vectors: int = 0


@dataclass
class IndexStatus:
    """The state of the index for one graph: ready, missing, stale or corrupt."""

    state: str
    path: Path
    detail: str = ""
    manifest: Manifest | None = None


class VectorIndex:
    """Node IRIs and their unit vectors in a FAISS inner-product index."""

    def __init__(self, ids: Sequence[str], index: object, manifest: Manifest,
                 path: Path) -> None:
        """``ids`` is a list, or an :class:`~kg.qa.id_table.IdTable` that finds rows itself
        (a loaded index: nothing is built at open)."""
        self.ids = ids
        self.index = index
        self.manifest = manifest
        self.path = path
        self._pos: dict[str, int] | None = None
        self._vectors: np.ndarray | None = None
        self._rows: Rows | None = None
        self._half: HalfIndex | None = None
        self._searches = 0
        self._lock = threading.Lock()
        if manifest.index_type == PQ_KIND:  # opened now: a rebuild that replaces the file
            self._float_rows()  # later leaves this index reading the rows it was made with

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, vectors: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        """Top-``k`` (iri, cosine) pairs for each query row."""
        if not self.ids:
            return [[] for _ in range(len(vectors))]
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        k = min(k, len(self.ids))
        with _one_thread(len(rows) <= _SINGLE_THREAD_ROWS):
            if self.manifest.index_type == PQ_KIND:
                from kg.qa import pq_index

                found = pq_index.search(self.index, self._float_rows(), rows, k)
            else:
                found = self._half_search(rows, k) if len(rows) == 1 else None
            scores, idx = found if found is not None else self.index.search(rows, k)
        return [
            [(self.ids[j], float(s)) for s, j in zip(srow, irow, strict=True) if j >= 0]
            for srow, irow in zip(scores, idx, strict=True)
        ]

    def _half_search(self, row: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The flat search's exact result through a float16 copy of a large index
        (:mod:`kg.qa.half_index`), or None: then the flat index is searched. The copy is
        made at the second search (~0.15 s for 119k vectors), so a process that answers one
        question never pays for it."""
        self._searches += 1
        if self._half is None:
            if (self._searches < 2 or len(self.ids) < HALF_MIN
                    or not hasattr(self.index, "get_xb")):
                return None
            with self._lock:
                if self._half is None:
                    from kg.qa.half_index import HalfIndex

                    self._half = HalfIndex(self.index, self.vectors())
        return self._half.search(row, k)

    def _float_rows(self) -> Rows:
        if self._rows is None:
            from kg.qa.pq_index import Rows

            self._rows = Rows(self.path / _ROWS, len(self.ids), self.manifest.dim)
        return self._rows

    def vectors(self) -> np.ndarray:
        """All stored vectors, in ``ids`` order, read-only. For a flat index, and an HNSW
        index over flat storage, this is a view of FAISS's own storage, valid while this
        object lives (reconstructing a million vectors took 3.4 s and their size again in
        memory); for IVF-PQ, the float rows read on demand (:class:`~kg.qa.pq_index.Rows`:
        indexing gives rows); other index types reconstruct a copy once."""
        if self.manifest.index_type == PQ_KIND:
            return self._float_rows()  # type: ignore[return-value]
        if self._vectors is None:
            import faiss

            n, dim = len(self.ids), self.manifest.dim
            flat = self.index
            if not hasattr(flat, "get_xb") and hasattr(flat, "storage"):
                flat = faiss.downcast_index(flat.storage)
            if not n:
                self._vectors = np.zeros((0, dim), dtype=np.float32)
            elif hasattr(flat, "get_xb"):
                self._vectors = faiss.rev_swig_ptr(flat.get_xb(), n * dim).reshape(n, dim)
            else:
                self._vectors = self.index.reconstruct_n(0, n)
            self._vectors.flags.writeable = False
        return self._vectors

    def position(self, iri: str) -> int | None:
        """The row of a node in :meth:`vectors`, or None when it is not indexed."""
        if isinstance(self.ids, IdTable):
            return self.ids.position(iri)
        if self._pos is None:
            self._pos = {node: i for i, node in enumerate(self.ids)}
        return self._pos.get(iri)

    def vector(self, iri: str) -> np.ndarray | None:
        """The stored vector of one node, or None when it is not indexed."""
        pos = self.position(iri)
        return None if pos is None else self.vectors()[pos]


@contextmanager
def _one_thread(active: bool) -> Iterator[None]:
    """FAISS on one OpenMP thread inside the block (the setting is per calling thread, so
    concurrent server threads do not change each other's)."""
    if not active:
        yield
        return
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def index_dir(cache_dir: Path, graph_hash: str) -> Path:
    """The folder that holds (or will hold) the index for a graph."""
    return Path(cache_dir) / "index" / graph_hash[:24]


def _read_manifest(folder: Path) -> Manifest:
    raw = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("manifest is not a JSON object")
    return Manifest(**raw)


def index_status(cache_dir: Path, graph_hash: str, model_id: str, dim: int) -> IndexStatus:
    """Check, without loading FAISS, whether a usable index exists for this graph and model."""
    folder = index_dir(cache_dir, graph_hash)
    if not (folder / _MANIFEST).is_file():
        return IndexStatus("missing", folder, "no index has been built for this graph yet")
    try:
        manifest = _read_manifest(folder)
    except (OSError, ValueError, TypeError) as exc:
        return IndexStatus("corrupt", folder, f"unreadable manifest ({exc})")
    if manifest.format_version != FORMAT_VERSION:
        return IndexStatus("stale", folder, "built by another version of the tool", manifest)
    if manifest.graph_hash != graph_hash:
        return IndexStatus("stale", folder, "the graph, or the code that builds indexes, "
                           "has changed since", manifest)
    if manifest.model_id != model_id or manifest.dim != dim:
        return IndexStatus("stale", folder, "built with another embedding model", manifest)
    stamps = Stamps(folder / _STAMPS)
    for name, expected in manifest.files.items():
        path = folder / name
        if not path.is_file():
            return IndexStatus("corrupt", folder, f"{name} is missing", manifest)
        if not stamps.matches(path, expected):
            return IndexStatus("corrupt", folder, f"{name} does not match its checksum", manifest)
    stamps.save()
    if set(manifest.files) != _files(manifest.index_type):
        return IndexStatus("corrupt", folder, "the manifest lists unexpected files", manifest)
    return IndexStatus("ready", folder, f"{manifest.count} entities", manifest)


def _files(kind: str) -> set[str]:
    """The files an index of this kind lists in its manifest."""
    return {_ENTITIES, _VECTORS, _ROWS} if kind == PQ_KIND else {_ENTITIES, _VECTORS}


def load_index(cache_dir: Path, graph_hash: str, model_id: str, dim: int) -> VectorIndex:
    """Load a ready index; raises IndexError_ when it is missing, stale or corrupt."""
    status = index_status(cache_dir, graph_hash, model_id, dim)
    if status.state != "ready" or status.manifest is None:
        raise IndexError_(
            f"the index at {status.path} is {status.state}: {status.detail}. "
            "Run `kg index build` to rebuild it."
        )
    folder = status.path
    try:
        ids = _ids(folder, status.manifest)
        index = _read_faiss(folder / _VECTORS)
        if status.manifest.index_type == PQ_KIND:
            from kg.qa.pq_index import tune

            tune(index)
    except Exception as exc:  # corrupt content behind a valid checksum is still corrupt
        raise IndexError_(
            f"the index at {folder} cannot be read ({exc}); run `kg index build` to rebuild it."
        ) from None
    if index.ntotal != len(ids) or index.d != dim:
        raise IndexError_(f"the index at {folder} is inconsistent; run `kg index build`.")
    return VectorIndex(ids, index, status.manifest, folder)


def _ids(folder: Path, manifest: Manifest) -> Sequence[str]:
    """The index's node IRIs by row: its id table (:mod:`kg.qa.id_table`, opened without
    reading it), made from ``entities.json`` the first time (an index built before tables
    existed, or one whose table was lost); a list when the table cannot be written."""
    entities_sha = manifest.files[_ENTITIES]
    stamps = Stamps(folder / _STAMPS)
    table = open_table(folder, entities_sha, manifest.count, stamps)
    stamps.save()
    if table is not None:
        return table
    entities = orjson.loads((folder / _ENTITIES).read_bytes())  # 119k rows: 4x json
    ids = [e["iri"] for e in entities]
    del entities  # (a million rows: 0.4 GB) gone before the index is read, not beside it
    try:
        write_table(folder, ids, entities_sha)
    except OSError:  # a read-only cache: the list serves, at the old cost
        return ids
    stamps = Stamps(folder / _STAMPS)
    table = open_table(folder, entities_sha, len(ids), stamps)
    stamps.save()
    return table if table is not None else ids


def _read_faiss(path: Path) -> object:
    """The FAISS index in ``path``, memory-mapped without a copy when FAISS can (a flat
    index: only the pages a search touches are read), else read into memory."""
    import faiss

    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except (RuntimeError, AttributeError):  # an index type or FAISS build without it
        return faiss.deserialize_index(np.frombuffer(path.read_bytes(), dtype=np.uint8))


def _write_faiss(index: object, path: Path) -> str:
    """Write ``index`` to ``path`` by FAISS itself and return the file's sha256. Its
    serialised form made in memory first (``serialize_index``, then a copy in bytes) added
    twice the index's size to a build's peak: 3.5 GB for a million HNSW vectors."""
    import faiss

    faiss.write_index(index, str(path))
    return sha256_file(path)


def _save_rows(path: Path, vectors: np.ndarray) -> str:
    """The float rows of an IVF-PQ index written beside it; their sha256."""
    from kg.qa.pq_index import write_rows

    return fill_atomically(path, lambda tmp: write_rows(vectors, tmp))


def _text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _previous_vectors(cache_dir: Path, model_id: str, dim: int) -> dict[str, np.ndarray]:
    """Vectors of texts already embedded by other ready indexes (for incremental builds)."""
    found: dict[str, np.ndarray] = {}
    root = Path(cache_dir) / "index"
    if not root.is_dir():
        return found
    # built indexes only: the lock files and document chunks beside them are newer
    built = [p for p in root.iterdir() if (p / _MANIFEST).is_file()]
    for folder in sorted(built, key=lambda p: p.stat().st_mtime, reverse=True)[:3]:
        try:
            manifest = _read_manifest(folder)
            if manifest.model_id != model_id or manifest.dim != dim:
                continue
            if index_status(cache_dir, manifest.graph_hash, model_id, dim).state != "ready":
                continue
            entities = json.loads((folder / _ENTITIES).read_text(encoding="utf-8"))
            if manifest.index_type == PQ_KIND:  # the float rows, not the codes' estimate
                vecs = np.memmap(folder / _ROWS, dtype=np.float32, mode="r",
                                 shape=(manifest.count, dim))
            else:
                index = _read_faiss(folder / _VECTORS)  # mapped: not a second copy
                vecs = index.reconstruct_n(0, index.ntotal)
        except Exception:  # an unusable old index only means less to reuse
            continue
        for entity, vec in zip(entities, vecs, strict=False):
            found.setdefault(entity["sha"], vec)
    return found


def _built_meanwhile(
    cache_dir: Path,
    graph_hash: str,
    encoder: Encoder,
    documents: Sequence[Document],
    shas: list[str],
    seen: Manifest | None,
) -> VectorIndex | None:
    """The index another process finished while this one waited for the lock, when it
    holds exactly these documents; else None.

    Two processes asked to build at once queue on the lock; the second then takes the
    first one's index and rewrites nothing, so a reader loading it is never cut short.
    An index that was already there before the wait is rebuilt as asked.
    """
    try:
        index = load_index(cache_dir, graph_hash, encoder.model_id, encoder.dim)
        entities = json.loads((index.path / _ENTITIES).read_text(encoding="utf-8"))
    except (IndexError_, OSError, ValueError):
        return None
    held = [(e.get("iri"), e.get("sha")) for e in entities]
    wanted = [(d.iri, s) for d, s in zip(documents, shas, strict=True)]
    if seen is not None and index.manifest.built_at == seen.built_at:
        return None
    return index if held == wanted else None


def _make_faiss(vectors: np.ndarray, kind: str | None = None) -> tuple[object, str]:
    """The index of ``vectors``, its kind chosen by their number unless ``kind`` is given
    (``hnsw`` is made only when asked: large indexes are IVF-PQ now)."""
    import faiss

    dim = vectors.shape[1]
    kind = kind or ("flat" if len(vectors) < EXACT_LIMIT else PQ_KIND)
    if kind == PQ_KIND:
        from kg.qa.pq_index import make_pq

        return make_pq(vectors), kind
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    if len(vectors):
        index.add(vectors)
    return index, kind


def _embed(encoder: Encoder, texts: list[str], batch_size: int
           ) -> Iterator[tuple[list[int], np.ndarray]]:
    """``(positions, vectors)`` of ``texts`` as they are made: through the encoder's
    ``stream`` when it has one (the whole build as one stream of batches by length, every
    core kept busy to the end), else in chunks of ``batch_size``, longest texts first (the
    rate only rises, so the time left shown is never too short)."""
    stream = getattr(encoder, "stream", None)
    if stream is not None:
        yield from stream(texts)
        return
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        yield chunk, encoder.encode([texts[i] for i in chunk])


def build_index(
    documents: Sequence[Document],
    encoder: Encoder,
    cache_dir: Path,
    graph_hash: str,
    progress: Progress | None = None,
    batch_size: int = 256,
) -> VectorIndex:
    """Embed ``documents`` (reusing vectors of unchanged texts) and persist the index.

    Vectors are saved as they are made (:class:`~kg.qa.partial_vectors.PartialVectors`),
    so a build that is interrupted resumes from what it wrote instead of starting over.
    """
    from filelock import FileLock, Timeout

    folder = index_dir(cache_dir, graph_hash)
    folder.parent.mkdir(parents=True, exist_ok=True)
    seen = index_status(cache_dir, graph_hash, encoder.model_id, encoder.dim).manifest
    lock = FileLock(str(folder) + ".lock")
    try:
        lock.acquire(timeout=600)
    except Timeout:
        raise IndexError_(
            f"another process has been building {folder} for 10 minutes; "
            f"remove {folder}.lock if no kg process is running."
        ) from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".*.tmp"):  # left by a build that was killed; we hold the lock
            stale.unlink(missing_ok=True)
        shas = [_text_sha(d.text) for d in documents]
        current = _built_meanwhile(cache_dir, graph_hash, encoder, documents, shas, seen)
        if current is not None:
            if progress:
                progress(len(documents), len(documents))
            return current
        reuse = _previous_vectors(cache_dir, encoder.model_id, encoder.dim)
        partial = PartialVectors(folder / _PARTIAL, encoder.dim)
        reuse.update(partial.read())
        vectors = np.zeros((len(documents), encoder.dim), dtype=np.float32)
        todo = [i for i, s in enumerate(shas) if s not in reuse]
        for i, s in enumerate(shas):
            if s in reuse:
                vectors[i] = reuse[s]
        del reuse  # (views of whole saved chunks: as large as the vectors) copied, let go
        reused = done = len(documents) - len(todo)
        if progress:
            progress(done, len(documents))
        for chunk, found in _embed(encoder, [documents[i].text for i in todo], batch_size):
            rows = [todo[p] for p in chunk]
            vectors[rows] = found
            partial.add([shas[i] for i in rows], found)
            done += len(rows)
            if progress:
                progress(done, len(documents))
        partial.flush()
        index, kind = _make_faiss(vectors)
        entities = [{"iri": d.iri, "sha": s} for d, s in zip(documents, shas, strict=True)]
        ent_bytes = json.dumps(entities, ensure_ascii=False).encode("utf-8")
        del entities
        # Only now is the old index given up: a build killed while embedding leaves it usable.
        (folder / _MANIFEST).unlink(missing_ok=True)
        (folder / _ROWS).unlink(missing_ok=True)
        files = {}
        if kind == PQ_KIND:
            files[_ROWS] = _save_rows(folder / _ROWS, vectors)
        del vectors  # the index (or the rows file) holds them
        atomic_write(folder / _ENTITIES, ent_bytes)
        vec_sha = fill_atomically(folder / _VECTORS, lambda tmp: _write_faiss(index, tmp))
        manifest = Manifest(
            format_version=FORMAT_VERSION,
            graph_hash=graph_hash,
            model_id=encoder.model_id,
            dim=encoder.dim,
            count=len(documents),
            index_type=kind,
            files={
                _ENTITIES: hashlib.sha256(ent_bytes).hexdigest(),
                _VECTORS: vec_sha,
                **files,
            },
            built_at=time.time(),
            reused_vectors=reused,
        )
        atomic_write(folder / _MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
        partial.clear()
        try:  # derived, so after the manifest (its sidecar binds it to these entities)
            write_table(folder, [d.iri for d in documents], manifest.files[_ENTITIES])
        except OSError:
            pass  # the index is whole without it: its first load makes it, or reads the list
    except OSError as exc:
        raise IndexError_(
            f"cannot write the index to {folder}: {exc.strerror or exc}. "
            "Choose another place with --cache-dir or KG_CACHE_DIR."
        ) from None
    finally:
        lock.release()
    return VectorIndex([d.iri for d in documents], index, manifest, folder)


def ensure_index(
    documents: Callable[[], Sequence[Document]],
    encoder: Callable[[], Encoder],
    cache_dir: Path,
    graph_hash: str,
    model_id: str,
    dim: int,
    progress: Progress | None = None,
    on_rebuild: Callable[[str], None] | None = None,
) -> VectorIndex:
    """Load the index for this graph, building it first when missing, stale or corrupt."""
    status = index_status(cache_dir, graph_hash, model_id, dim)
    if status.state == "ready":
        try:
            return load_index(cache_dir, graph_hash, model_id, dim)
        except IndexError_ as exc:
            status = IndexStatus("corrupt", status.path, str(exc))
    if on_rebuild:
        on_rebuild(f"index {status.state} ({status.detail}); building it")
    return build_index(documents(), encoder(), cache_dir, graph_hash, progress)


def clear_indexes(cache_dir: Path, graph_hash: str | None = None) -> int:
    """Delete the index of one graph (every index when ``graph_hash`` is None) with its
    lock file; returns how many index folders were removed."""
    if graph_hash is None:
        return remove_children(Path(cache_dir) / "index")
    folder = index_dir(cache_dir, graph_hash)
    remove_path(Path(str(folder) + ".lock"))
    return int(remove_path(folder))
