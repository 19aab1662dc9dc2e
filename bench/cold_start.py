"""Cold `kg ask` on a built index: ours (NumPy encoder + view snapshot) against the naive path
(sentence-transformers on torch, RDF parsed and the view built on every run).

Each run is a fresh `kg ask` process, as a user would type it. Target: median <= 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import DATA, ROOT, emit, table  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")
QUESTION = "what is a GAN?"


def run(env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run([KG, "ask", QUESTION], check=True, capture_output=True, cwd=ROOT,
                   env={**os.environ, **env})
    return time.perf_counter() - t


def imports(env: dict[str, str]) -> str:
    """Which heavy modules a cold `kg ask` imports (checked, not assumed)."""
    heavy = ("torch", "sentence_transformers", "sklearn", "rdflib.plugins.parsers.notation3",
             "pyshacl")
    code = (f"import sys; sys.argv=['kg','ask',{QUESTION!r}]\nfrom kg_cli.main import cli\n"
            "try:\n    cli()\nexcept SystemExit:\n    pass\n"
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules) or 'none', "
            "file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env})
    return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--naive-runs", type=int, default=5)
    args = parser.parse_args()
    cache = DATA / "cold-cache"
    base = {"KG_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    run(base)  # build the index and the snapshot once (not timed)
    naive = {**base, "KG_ENCODER": "sentence-transformers", "KG_SNAPSHOT": "0"}
    ours_t = [run(base) for _ in range(args.runs)]
    naive_t = [run(naive) for _ in range(args.naive_runs)]
    emit(table("Cold `kg ask` (fresh process, built index, built-in graph)", [
        ("ours: NumPy encoder + view snapshot", ours_t, "s",
         f"target median <= 0.6 s; imports: {imports(base)}"),
        ("naive: sentence-transformers, RDF parsed", naive_t, "s",
         f"baseline; imports: {imports(naive)}"),
    ]))


if __name__ == "__main__":
    main()
