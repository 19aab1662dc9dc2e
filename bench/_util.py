"""Helpers shared by the benchmark scripts: timing, child processes, tables.

Every figure is measured several times and shown as min / median / max, because the
machine (2 cores) is shared and single measurements are noise.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATA = Path(os.environ.get("KG_BENCH_DIR") or Path(tempfile.gettempdir()) / "kg-bench")


def stats(values: Sequence[float]) -> tuple[float, float, float]:
    """(min, median, max)."""
    return min(values), statistics.median(values), max(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall seconds of ``repeat`` calls of ``fn``."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out



def ask_latencies(engine: object, questions: Sequence[str], rounds: int) -> list[float]:
    """Seconds per ``engine.ask`` over ``rounds`` passes of ``questions``, after one untimed
    question (first-call costs such as lazy caches belong to the cold path, not here)."""
    engine.ask(questions[0])  # type: ignore[attr-defined]
    out = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            engine.ask(q)  # type: ignore[attr-defined]
            out.append(time.perf_counter() - t)
    return out

def run_child(code: str, env: dict[str, str] | None = None) -> dict:
    """Run Python ``code`` in a fresh interpreter; it prints one JSON line last. The result
    gains ``wall`` (seconds) and ``maxrss_mb`` (peak resident memory of the child)."""
    full_env = {**os.environ, **(env or {})}
    t = time.perf_counter()
    proc = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=full_env,
                          cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise RuntimeError(f"child failed:\n{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result.setdefault("wall", wall)
    return result


MAXRSS = (
    "import resource; _rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024"
)


def fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.1f}"
    if unit == "s":
        return f"{value:.2f}"
    if unit == "MB":
        return f"{value:.0f}"
    return f"{value:.4f}"


def table(title: str, rows: list[tuple[str, Sequence[float], str, str]]) -> str:
    """A Markdown table: figure, min, median, max, unit, target/baseline note."""
    lines = [f"### {title}", "", "| figure | min | median | max | unit | runs | note |",
             "|---|---:|---:|---:|---|---:|---|"]
    for name, values, unit, note in rows:
        lo, mid, hi = stats(values)
        lines.append(f"| {name} | {fmt(lo, unit)} | {fmt(mid, unit)} | {fmt(hi, unit)} | "
                     f"{unit} | {len(values)} | {note} |")
    return "\n".join(lines) + "\n"


def emit(text: str) -> None:
    """Print a table and append it to the results file of this run."""
    print(text, flush=True)
    out = DATA / "results.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")


class HashEncoder:
    """Bench-only stand-in for the model when embedding 100k+ documents is out of reach on
    this machine (about 10 documents/s while other jobs share the 2 cores): each word
    hashes to a fixed random unit vector, a text is their normalised sum. Deterministic.
    It carries the real model id so the engine loads the index; use a private cache dir."""

    def __init__(self) -> None:
        from kg.qa.embeddings import MODEL_ID

        self.model_id = MODEL_ID
        self.dim = 384

    def encode(self, texts: list[str], batch_size: int = 32):
        import hashlib

        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                seed = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(),
                                      "little")
                out[i] += np.random.default_rng(seed).standard_normal(self.dim,
                                                                       dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)
