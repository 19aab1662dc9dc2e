"""Exact (flat) against approximate (HNSW, IVF) FAISS search: recall@10 and latency.

Two vector sets: the real all-MiniLM-L6-v2 vectors of the built-in graph's index (small,
real), and a synthetic clustered set of N unit vectors (large: 384 dims, 2,000 Gaussian
clusters, which is how sentence embeddings are spread far better than uniform noise).
Queries are held-out perturbed points. kg/qa/index.py uses flat below EXACT_LIMIT vectors and
IVF-PQ candidates re-scored from the float rows above (kg/qa/pq_index.py; HNSW, M=32,
efSearch=128, before); this shows what each costs in recall. A question on a flat
index of HALF_MIN vectors or more is searched through a float16 copy
(kg/qa/half_index.py): exact by proof, timed here with its fallbacks.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import DATA, emit, table  # noqa: E402


def clustered(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((2000, dim), dtype=np.float32)
    x = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.standard_normal(
        (n, dim), dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def recall(truth: np.ndarray, got: np.ndarray) -> float:
    return float(np.mean([len(set(t) & set(g)) / len(t) for t, g in zip(truth, got,
                                                                      strict=True)]))


def per_query(index, queries: np.ndarray, k: int) -> tuple[list[float], np.ndarray]:
    times, ids = [], []
    for q in queries:
        t = time.perf_counter()
        _, i = index.search(q[None, :], k)
        times.append(time.perf_counter() - t)
        ids.append(i[0])
    return times, np.array(ids)


def half_row(name: str, flat, base: np.ndarray, queries: np.ndarray, k: int,
             truth: np.ndarray) -> tuple:
    """kg.qa.half_index: a float16 scan, candidates rescored by the flat index, the flat
    search itself when the result cannot be proved exact (that time counted too)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from kg.qa.half_index import HalfIndex

    t = time.perf_counter()
    half = HalfIndex(flat, base)
    build = time.perf_counter() - t
    times, got, proved = [], [], 0
    for q in queries:
        t = time.perf_counter()
        found = half.search(q, k)
        proved += found is not None
        if found is None:
            found = flat.search(q[None, :], k)
        times.append(time.perf_counter() - t)
        got.append(found[1][0])
    return (f"{name}: exact through a float16 copy latency", times, "ms",
            f"recall@10 {recall(truth, np.array(got)):.3f}; proved {proved}/{len(queries)}, "
            f"else flat; copy {build:.2f} s")


def refine_rows(name: str, flat, base: np.ndarray, queries: np.ndarray, k: int,
                truth_scores: np.ndarray, truth: np.ndarray) -> list:
    """FAISS's own float16 scan with an exact refine step (IndexRefineFlat over an
    IndexScalarQuantizer fp16): how often its top k equals the flat search's, ids and
    scores to the bit. It has no proof step, so a miss is silent."""
    import faiss

    rows = []
    for k_factor in (2.0, 4.2):  # HalfIndex asks for k + max(k, 32) = 42 of 10: 4.2
        t = time.perf_counter()
        half = faiss.IndexScalarQuantizer(base.shape[1], faiss.ScalarQuantizer.QT_fp16,
                                          faiss.METRIC_INNER_PRODUCT)
        refine = faiss.IndexRefineFlat(half)
        refine.add(base)
        refine.k_factor = k_factor
        build = time.perf_counter() - t
        times, same_ids, same_bits = [], 0, 0
        for q, want_ids, want_scores in zip(queries, truth, truth_scores, strict=True):
            t = time.perf_counter()
            scores, ids = refine.search(q[None, :], k)
            times.append(time.perf_counter() - t)
            ok = ids[0].tolist() == want_ids.tolist()
            same_ids += ok
            same_bits += ok and scores[0].tobytes() == want_scores.tobytes()
        rows.append((f"{name}: FAISS IndexRefineFlat(SQfp16) k_factor={k_factor} latency",
                     times, "ms", f"same ids as flat {same_ids}/{len(queries)}, same scores "
                     f"to the bit {same_bits}/{len(queries)}; no proof; build {build:.2f} s"))
    return rows


def pq_row(name: str, base: np.ndarray, queries: np.ndarray, k: int,
           truth: np.ndarray) -> tuple:
    """kg.qa.pq_index as the index uses it: IVF-PQ candidates, re-scored from the float rows
    read from their file (k = 10 here; the engine asks for 30 and more)."""
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from kg.qa import pq_index

    t = time.perf_counter()
    index = pq_index.make_pq(base)
    build = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / pq_index.ROWS
        pq_index.write_rows(base, path)
        rows = pq_index.Rows(path, len(base), base.shape[1])
        times, got = [], []
        for q in queries:
            t = time.perf_counter()
            got.append(pq_index.search(index, rows, q[None, :], k)[1][0])
            times.append(time.perf_counter() - t)
        del rows
    return (f"{name}: IVF{index.nlist}-PQ{index.pq.M} nprobe={index.nprobe}, "
            f"{max(k * pq_index.RERANK_FACTOR, pq_index.RERANK_MIN)} re-scored latency", times,
            "ms", f"recall@10 {recall(truth, np.array(got)):.3f}; build {build:.1f} s")


def evaluate(name: str, base: np.ndarray, queries: np.ndarray, k: int = 10,
             approximate: bool = True) -> list:
    import faiss

    dim = base.shape[1]
    flat = faiss.IndexFlatIP(dim)
    flat.add(base)
    t_flat, truth = per_query(flat, queries, k)
    truth_scores = np.array([flat.search(q[None, :], k)[0][0] for q in queries])
    rows = [(f"{name}: exact (flat) latency", t_flat, "ms", "baseline, recall 1.000")]
    rows.append(half_row(name, flat, base, queries, k, truth))
    rows += refine_rows(name, flat, base, queries, k, truth_scores, truth)
    if not approximate:
        return rows
    t = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    hnsw.add(base)
    build = time.perf_counter() - t
    for ef in (64, 128):
        hnsw.hnsw.efSearch = ef
        t_h, got = per_query(hnsw, queries, k)
        rows.append((f"{name}: HNSW M=32 efSearch={ef} latency (before)", t_h, "ms",
                     f"recall@10 {recall(truth, got):.3f}; build {build:.1f} s"))
    if len(base) >= 20_000:
        rows.append(pq_row(name, base, queries, k, truth))
        nlist = int(4 * np.sqrt(len(base)))
        quant = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quant, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        t = time.perf_counter()
        ivf.train(base)
        ivf.add(base)
        build = time.perf_counter() - t
        for nprobe in (8, 32):
            ivf.nprobe = nprobe
            t_i, got = per_query(ivf, queries, k)
            rows.append((f"{name}: IVF{nlist} nprobe={nprobe} latency", t_i, "ms",
                         f"recall@10 {recall(truth, got):.3f}; build {build:.1f} s"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=120_000, help="synthetic vectors")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--exact-only", action="store_true",
                        help="only the exact searches (flat, float16 copy, refine)")
    args = parser.parse_args()
    import faiss

    faiss.omp_set_num_threads(1)  # one query at a time, as the engine asks
    rows = []
    real = sorted((DATA / "cold-cache" / "index").glob("*/vectors.faiss"))
    if real:
        vecs = faiss.deserialize_index(np.frombuffer(real[-1].read_bytes(), dtype=np.uint8))
        base = vecs.reconstruct_n(0, vecs.ntotal)
        rng = np.random.default_rng(7)
        q = base[rng.integers(0, len(base), args.queries)]
        q = q + 0.05 * rng.standard_normal(q.shape, dtype=np.float32)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        rows += evaluate(f"built-in graph, {len(base)} real vectors", base, q,
                         approximate=not args.exact_only)
    base = clustered(args.n, 384, seed=1)
    q = clustered(args.queries, 384, seed=2)
    rows += evaluate(f"synthetic, {args.n:,} vectors", base, q,
                     approximate=not args.exact_only)
    emit(table("FAISS: exact vs approximate (single-query latency)", rows))


if __name__ == "__main__":
    main()
