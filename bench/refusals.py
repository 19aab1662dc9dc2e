"""How fast hostile input is refused: the figures the tests used to assert on the clock.

The tests check the behaviour (the entity bomb never reaches a parser; a runaway query is
stopped at its timeout); this script reports how long it takes. Entity bomb: the ~620-byte
billion-laughs document, in process, for both stores. Timeout: ``kg sparql --timeout 1``
on a query that would run for minutes, in a fresh process (graph load, fork and kill
included).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import PYTHON, ROOT, emit, table, timed  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from helpers import BOMB  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from kg.errors import UnsafeInputError
    from kg.rdf.load import load_graph

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bomb.rdf"
        bomb.write_text(BOMB, encoding="utf-8")
        for store in ("memory", "oxigraph"):
            def refuse(store: str = store) -> None:
                try:
                    load_graph([bomb], store=store, store_dir=Path(tmp))
                except UnsafeInputError:
                    return
                raise AssertionError("the bomb was not refused")

            rows.append((f"entity bomb refused ({store} store, in process)",
                         timed(refuse, args.repeat), "ms", "rdflib alone: minutes"))
        graph = ROOT / "tests" / "data" / "qa_vehicles.ttl"
        command = [PYTHON, "-c", "from kg_cli.main import cli; cli()", "sparql", RUNAWAY,
                   "--timeout", "1", "--graph", str(graph)]
        seconds = []
        for _ in range(max(1, args.repeat // 2)):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
            seconds.append(time.perf_counter() - start)
            assert done.returncode == 2 and "longer than 1 s" in done.stderr, done.stderr
        rows.append(("kg sparql --timeout 1 on a runaway query (fresh process)", seconds, "s",
                     "timeout 1 s + start, load, fork, kill"))
    emit(table("Refusals: hostile input and runaway queries", rows))


if __name__ == "__main__":
    main()
