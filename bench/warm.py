"""Warm path: per-question latency of a loaded engine on the built-in graph (what `--batch`,
the interactive prompt and `kg serve` /ask pay per question). Target: p50 <= 20 ms,
p95 <= 50 ms. Baseline in the same run: the same questions with the sentence-transformers
encoder instead of the NumPy one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import DATA, ROOT, ask_latencies, emit, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", action="store_true",
                        help="also time the sentence-transformers encoder (imports torch)")
    args = parser.parse_args()
    os.environ.setdefault("KG_CACHE_DIR", str(DATA / "cold-cache"))
    from kg.config import Settings
    from kg.qa.embeddings import get_encoder
    from kg.qa.engine import Engine
    from kg.workspace import Workspace

    questions = [json.loads(line)["question"]
                 for line in (ROOT / "eval" / "own_qa.jsonl").read_text().splitlines() if line]
    ws = Workspace(Settings.from_env())
    engine = ws.engine
    ours = ask_latencies(engine, questions, args.rounds)
    enc = get_encoder()
    enc_t = []
    for q in questions:
        t = time.perf_counter()
        enc.encode([q])
        enc_t.append(time.perf_counter() - t)
    rows = [("ask, NumPy encoder", ours), ("  of which: encode the question", enc_t)]
    if args.baseline:
        st = Engine(ws.view, ws.get_index(), lambda: get_encoder("sentence-transformers"))
        rows.append(("ask, sentence-transformers encoder (baseline)",
                     ask_latencies(st, questions, 1)))
    lines = ["### Warm `ask` per question (built-in graph, "
             f"{len(questions)} questions x {args.rounds} rounds)", "",
             "| figure | min | p50 | p95 | max | unit | n | target |",
             "|---|---:|---:|---:|---:|---|---:|---|"]
    target = "p50 <= 20, p95 <= 50"
    for name, vals in rows:
        lines.append(f"| {name} | {min(vals) * 1000:.1f} | {percentile(vals, 50) * 1000:.1f} | "
                     f"{percentile(vals, 95) * 1000:.1f} | {max(vals) * 1000:.1f} | ms | "
                     f"{len(vals)} | {target if name.startswith('ask, N') else ''} |")
    emit("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
