"""Index build speed with the real model: the ONNX build encoder vs sentence-transformers.

Both encoders build the index through the same path as ``kg index build``
(:func:`kg.qa.index.build_index`, in a private cache) on the same documents, in the same run:

* parity and speed on the built-in graph and on a real taxonomy (PATO, from
  ``../shared/taxonomies/``): build time, documents/s, cosine of each document's vector to
  sentence-transformers', and recall@10 of the ONNX index against the sentence-transformers
  index (queries: concept labels encoded by the question encoder);
* 1k, 10k and 100k documents (GEMET's documents for 1k and 10k, a synthetic graph's for
  100k): build time and documents/s. sentence-transformers runs every document at 1k; at
  10k and 100k it runs a random sample (``--st-sample``) and its time is extrapolated from
  the sample's rate (labelled so), unless ``--st-full``;
* int8 dynamic quantisation of the exported model (onnxruntime.quantization), for the record:
  its cosine and recall on the same taxonomy.

Usage: ``.venv/bin/python bench/build_speed.py [--sizes 1000,10000,100000] [--st-sample 2000]``
(``KG_SHARED_DIR`` when ``shared/`` is not beside the checkout).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from _util import DATA, emit  # noqa: E402

# ../shared beside the checkout, as in CI; KG_SHARED_DIR names it when it is elsewhere.
SHARED = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared") / "taxonomies"


def _docs(paths: tuple[str, ...]) -> tuple[list, object]:
    from kg.config import Settings
    from kg.qa.documents import build_documents
    from kg.workspace import Workspace

    with tempfile.TemporaryDirectory() as cache:
        ws = Workspace(Settings(graph_paths=paths, cache_dir=cache, snapshot=False))
        return build_documents(ws.view), ws.view


def _build(docs: list, encoder: object) -> tuple[float, object]:
    from kg.qa.index import build_index

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        index = build_index(docs, encoder, Path(cache), "bench")
        return time.perf_counter() - started, index.vectors().copy()


def _recall(a: object, b: object, queries: object, k: int = 10) -> float:
    import numpy as np

    top_a = np.argsort(-(queries @ a.T), axis=1)[:, :k]
    top_b = np.argsort(-(queries @ b.T), axis=1)[:, :k]
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(top_a, top_b, strict=True)]))


def _label_queries(view: object, docs: list, n: int = 300) -> object:
    from kg.qa.embeddings import get_encoder

    rng = random.Random(3)
    labels = [view.label(d.iri) for d in docs]
    return get_encoder("numpy").encode(rng.sample(labels, min(n, len(labels))))


def parity(name: str, paths: tuple[str, ...], onnx: object, st: object, int8: object) -> str:
    docs, view = _docs(paths)
    t_st, v_st = _build(docs, st)
    t_on, v_on = _build(docs, onnx)
    cos = (v_st * v_on).sum(axis=1)
    queries = _label_queries(view, docs)
    rows = [
        f"| {name} | {len(docs):,} | {t_st:.1f} s ({len(docs) / t_st:.0f}/s) "
        f"| {t_on:.1f} s ({len(docs) / t_on:.0f}/s) | {t_st / t_on:.1f}x "
        f"| {cos.min():.6f} / {cos.mean():.6f} | {_recall(v_on, v_st, queries):.3f} |"
    ]
    if int8 is not None:
        t_q, v_q = _build(docs, int8)
        cq = (v_st * v_q).sum(axis=1)
        rows.append(
            f"| {name}, int8 (not used) | {len(docs):,} | | {t_q:.1f} s "
            f"({len(docs) / t_q:.0f}/s) | {t_st / t_q:.1f}x | {cq.min():.4f} / {cq.mean():.4f} "
            f"| {_recall(v_q, v_st, queries):.3f} |"
        )
    return "\n".join(rows)


def sizes(counts: list[int], onnx: object, st: object, st_sample: int, st_full: bool) -> str:
    from synth import write_ntriples

    gemet, _ = _docs((str(SHARED / "gemet.ttl"),))
    synth_path = DATA / "synth-1000000.nt"
    if max(counts) > len(gemet) and not synth_path.is_file():
        synth_path.parent.mkdir(parents=True, exist_ok=True)
        with synth_path.open("w", encoding="utf-8") as fh:
            write_ntriples(fh, 1_000_000)
    synth = None
    lines = []
    rng = random.Random(5)
    for n in counts:
        if n <= len(gemet):
            source, docs = "GEMET", rng.sample(gemet, n)
        else:
            if synth is None:
                synth, _ = _docs((str(synth_path),))
            source, docs = "synthetic 1M triples", rng.sample(synth, min(n, len(synth)))
        t_on, _ = _build(docs, onnx)
        if st_full or len(docs) <= st_sample:
            t_st, _ = _build(docs, st)
            st_note = "measured"
        else:
            sample = rng.sample(docs, st_sample)
            t_sample, _ = _build(sample, st)
            t_st = t_sample * len(docs) / len(sample)
            st_note = f"extrapolated from {st_sample:,} of them"
        lines.append(
            f"| {len(docs):,} | {source} | {t_on:.1f} s | {len(docs) / t_on:.0f} "
            f"| {t_st:.1f} s | {len(docs) / t_st:.0f} | {st_note} | {t_st / t_on:.1f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--st-sample", type=int, default=2000)
    parser.add_argument("--st-full", action="store_true")
    parser.add_argument("--no-int8", action="store_true")
    parser.add_argument("--skip-parity", action="store_true", help="only the sizes table")
    args = parser.parse_args()

    from kg.qa.embeddings import get_encoder
    from kg.qa.onnx_encoder import OnnxMiniLM

    st = get_encoder("sentence-transformers")
    with tempfile.TemporaryDirectory() as models:
        started = time.perf_counter()
        onnx = OnnxMiniLM(Path(models))
        export = time.perf_counter() - started
        int8 = None
        if not args.no_int8:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantised = Path(models) / "int8.onnx"
            quantize_dynamic(str(onnx.path), str(quantised), weight_type=QuantType.QInt8,
                             per_channel=True)
            int8 = OnnxMiniLM(Path(models), model_path=quantised)
        load = os.getloadavg()[0]
        if not args.skip_parity:
            emit(f"### Index build: ONNX vs sentence-transformers (load average {load:.1f}, "
                 f"{os.cpu_count()} cores)\n\nOne-off export of the model to ONNX: "
                 f"{export:.1f} s (first build only).\n\n"
                 "| graph | documents | sentence-transformers | ONNX | speed-up "
                 "| cosine min / mean | recall@10 |\n|---|---:|---:|---:|---:|---:|---:|\n"
                 + parity("built-in", (), onnx, st, None) + "\n"
                 + parity("PATO (real)", (str(SHARED / "pato-simple.owl"),), onnx, st, int8)
                 + "\n")
        emit(f"### Index build time by size (real model, load average {load:.1f})\n\n"
             "| documents | from | ONNX | docs/s | sentence-transformers | docs/s | how "
             "| speed-up |\n|---:|---|---:|---:|---:|---:|---|---:|\n"
             + sizes([int(s) for s in args.sizes.split(",")], onnx, st, args.st_sample,
                     args.st_full) + "\n")


if __name__ == "__main__":
    main()
