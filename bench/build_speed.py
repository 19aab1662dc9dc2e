"""Index build speed as a user sees it: ``kg index build``, ONNX vs sentence-transformers.

Each run is the whole command in a fresh process (``kg index build --graph G --cache-dir C``),
start-up, graph reading, documents, model and FAISS included, in a cache directory of its
own so every run really builds (no view snapshot, no vectors to reuse). The model's ONNX
export is made once beforehand and shared by every run (``C/models`` links to it), as it is
on a user's machine after the first build. The two encoders take turns (ONNX, then
sentence-transformers, then the other way round), so a machine whose speed drifts slows
both alike; both embed the same batches (:func:`kg.qa.embeddings.plan_batches`).

Then, in a fresh process per encoder, where the time goes: reading the graph into the view,
building the documents, loading the encoder, tokenising, the model, FAISS.

Usage: ``.venv/bin/python bench/build_speed.py [--graph ../shared/taxonomies/gemet.ttl]
[--runs 3] [--no-phases]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ENCODERS = ("onnx", "sentence-transformers")
DEFAULT_GRAPH = "../shared/taxonomies/gemet.ttl"


def _kg() -> list[str]:
    """The installed ``kg`` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.is_file() else [
        sys.executable, "-c", "from kg_cli.main import cli; cli()"]


def _fresh_cache(root: Path, name: str, models: Path) -> Path:
    cache = root / name
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    (cache / "models").symlink_to(models, target_is_directory=True)
    return cache


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(graph: str, encoder: str, cache: Path) -> tuple[float, float, dict]:
    """Wall and CPU (user + system) seconds of one ``kg index build`` and the manifest it
    printed. CPU seconds move far less than wall seconds when other jobs share the cores."""
    env = {**os.environ, "KG_BUILD_ENCODER": encoder, "HF_HUB_OFFLINE": "1"}
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([*_kg(), "index", "build", "--graph", graph, "--cache-dir",
                           str(cache), "--json"], env=env, capture_output=True, text=True,
                          cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"kg index build failed ({encoder}): {done.stderr.strip()[-500:]}")
    manifest = json.loads(done.stdout)
    if manifest["reused_vectors"]:
        raise SystemExit("a run reused vectors: the cache was not fresh")
    return elapsed, cpu, manifest


def _vectors(cache: Path, graph_hash: str) -> object:
    from kg.qa.embeddings import MODEL_ID
    from kg.qa.index import load_index

    index = load_index(cache, graph_hash, MODEL_ID, 384)  # its vectors live as long as it
    return index.vectors().copy()


def whole_command(graph: str, runs: int, root: Path, models: Path) -> tuple[str, int]:
    times: dict[str, list[float]] = {e: [] for e in ENCODERS}
    cpus: dict[str, list[float]] = {e: [] for e in ENCODERS}
    last: dict[str, tuple[Path, dict]] = {}
    for run in range(runs):
        order = ENCODERS if run % 2 == 0 else ENCODERS[::-1]
        for encoder in order:
            cache = _fresh_cache(root, encoder, models)
            elapsed, cpu, manifest = build_once(graph, encoder, cache)
            times[encoder].append(elapsed)
            cpus[encoder].append(cpu)
            last[encoder] = (cache, manifest)
            print(f"  run {run + 1} {encoder}: {elapsed:.1f} s, cpu {cpu:.1f} s",
                  file=sys.stderr)
    count = last["onnx"][1]["count"]
    graph_hash = last["onnx"][1]["graph_hash"]
    cos = (_vectors(last["onnx"][0], graph_hash)
           * _vectors(last["sentence-transformers"][0], graph_hash)).sum(axis=1)
    med = {e: statistics.median(t) for e, t in times.items()}
    cpu_med = {e: statistics.median(t) for e, t in cpus.items()}
    lines = ["| encoder | wall min | wall median | documents/s (median) | CPU seconds, median |",
             "|---|---:|---:|---:|---:|"]
    for encoder in ENCODERS:
        lines.append(f"| {encoder} | {min(times[encoder]):.1f} s | {med[encoder]:.1f} s "
                     f"| {count / med[encoder]:.0f} | {cpu_med[encoder]:.1f} s |")
    pairs = [s / o for o, s in zip(times["onnx"], times["sentence-transformers"], strict=True)]
    lines.append(f"\nONNX takes {med['onnx'] / med['sentence-transformers']:.2f} of "
                 f"sentence-transformers' wall time and "
                 f"{cpu_med['onnx'] / cpu_med['sentence-transformers']:.2f} of its CPU time "
                 f"(medians); per pair wall "
                 f"s-t / ONNX: {', '.join(f'{p:.2f}x' for p in pairs)}; vectors: cosine "
                 f"min {cos.min():.6f}, mean {cos.mean():.6f}.")
    return "\n".join(lines), count


def phases_child(graph: str, encoder: str, cache: Path) -> None:
    """Time each phase of a build in this (fresh) process; print them as JSON."""
    out: dict[str, tuple[float, float]] = {}
    clock = (time.perf_counter(), time.process_time())

    def lap(name: str) -> None:
        nonlocal clock
        now = (time.perf_counter(), time.process_time())
        out[name] = (now[0] - clock[0], now[1] - clock[1])
        clock = now

    from kg.config import Settings
    from kg.qa.documents import build_documents
    from kg.workspace import Workspace

    lap("imports")
    ws = Workspace(Settings(graph_paths=(graph,), cache_dir=cache))
    view = ws.view
    lap("graph read into the view")
    texts = [d.text for d in build_documents(view)]
    lap("documents")
    os.environ["KG_BUILD_ENCODER"] = encoder
    from kg.qa.onnx_encoder import get_build_encoder

    model = get_build_encoder(cache)
    lap("encoder loaded (imports, model)")
    from kg.qa.embeddings import token_lengths

    token_lengths(texts)
    lap("tokenising (once, to plan the batches)")
    import numpy as np

    vectors = np.zeros((len(texts), 384), dtype=np.float32)
    for batch, found in model.stream(texts):  # type: ignore[attr-defined]
        vectors[batch] = found
    lap("model (batches; includes their own tokenising)")
    import faiss

    from kg.qa.index import _make_faiss

    index, _ = _make_faiss(vectors)
    faiss.serialize_index(index)
    lap("FAISS (index and its bytes)")
    print(json.dumps(out))


def phases(graph: str, root: Path, models: Path) -> str:
    found = {}
    for encoder in ENCODERS:
        cache = _fresh_cache(root, f"phases-{encoder}", models)
        done = subprocess.run([sys.executable, __file__, "--phase-child", encoder, "--graph",
                               graph, "--cache-dir", str(cache)], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        found[encoder] = json.loads(done.stdout.strip().splitlines()[-1])
    names = list(found["onnx"])
    lines = ["| phase: wall (CPU) seconds | ONNX | sentence-transformers |", "|---|---:|---:|"]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(
            f"{found[e][name][0]:.2f} ({found[e][name][1]:.2f})" for e in ENCODERS) + " |")
    lines.append("| total of the phases | " + " | ".join(
        f"{sum(w for w, _ in found[e].values()):.1f} ({sum(c for _, c in found[e].values()):.1f})"
        for e in ENCODERS) + " |")
    model = "model (batches; includes their own tokenising)"
    share = {e: found[e][model][1] / sum(c for _, c in found[e].values()) for e in ENCODERS}
    lines.append(f"\nThe model's share of the CPU seconds: {share['onnx']:.0%} with ONNX, "
                 f"{share['sentence-transformers']:.0%} with sentence-transformers; its CPU "
                 f"seconds, ONNX / sentence-transformers: "
                 f"{found['onnx'][model][1] / found['sentence-transformers'][model][1]:.2f}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graph", default=DEFAULT_GRAPH)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-phases", action="store_true")
    parser.add_argument("--phase-child", choices=ENCODERS, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase_child:
        phases_child(args.graph, args.phase_child, Path(args.cache_dir))
        return

    from kg.qa.onnx_encoder import export_onnx, onnx_model_path

    with tempfile.TemporaryDirectory(prefix="kg-build-speed-") as tmp:
        root = Path(tmp)
        shared = root / "shared"
        started = time.perf_counter()
        export_onnx(onnx_model_path(shared))  # made once beforehand, shared by every run
        print(f"ONNX export (once, not timed below): {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        models = shared / "models"
        load = os.getloadavg()[0]
        table, count = whole_command(args.graph, args.runs, root, models)
        print(f"### `kg index build --graph {args.graph}` ({count:,} documents; "
              f"{args.runs} runs per encoder, taking turns; load average {load:.1f} at the "
              f"start, {os.getloadavg()[0]:.1f} at the end; {os.cpu_count()} cores)\n")
        print(table)
        if not args.no_phases:
            print("\nWhere the time goes (one fresh process per encoder):\n")
            print(phases(args.graph, root, models))


if __name__ == "__main__":
    main()
