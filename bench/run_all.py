"""Run every benchmark and collect their tables in $KG_BENCH_DIR/results.md (default: a
kg-bench folder in the system temp directory). Takes tens of minutes at the default sizes;
see bench/README.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ["cold_start.py"],
    ["warm.py", "--baseline"],
    ["faiss_recall.py"],
    ["refusals.py"],
    ["stores.py"],
    ["scale.py"],
    ["scale_quality.py"],
    ["real_taxonomies.py"],
    ["bench_server.py"],
    ["bench_mcp.py"],
    ["build_speed.py", "--runs", "3"],
    ["remote.py"],
    ["cold_large.py", "--runs", "3"],
    ["warm_large.py", "--repeats", "1"],
]


def main() -> int:
    failed = 0
    for script, *args in SCRIPTS:
        print(f"## {script} {' '.join(args)}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script), *args]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
