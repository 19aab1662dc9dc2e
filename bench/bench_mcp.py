"""Warm `ask` through MCP: a spawned `kg mcp` (stdio) driven by the official SDK client.

Each question of eval/own_qa.jsonl is asked several times after one warm-up question, and
the round trip is timed on the client side (JSON-RPC framing, the tool's validation and
output schema, the engine). Baseline in the same run: the same questions straight to a
loaded engine in this process, so the difference is what MCP adds. Also timed: a small
read-only SPARQL query and a concept card through MCP.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import DATA, PYTHON, ROOT, ask_latencies, emit, percentile  # noqa: E402

LAUNCH = "from kg_cli.main import cli; cli(prog_name='kg')"


async def through_mcp(questions: list[str], rounds: int) -> dict[str, list[float]]:
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=PYTHON, args=["-c", LAUNCH, "mcp"], cwd=str(ROOT),
        env={"KG_CACHE_DIR": os.environ["KG_CACHE_DIR"], "HF_HUB_OFFLINE": "1"},
    )
    out: dict[str, list[float]] = {"ask": [], "sparql": [], "concept": []}
    with open(os.devnull, "w") as log:
        async with Client(stdio_client(params, errlog=log), read_timeout_seconds=600) as c:
            t = time.perf_counter()
            first = await c.call_tool("ask", {"question": questions[0]})
            out["first"] = [time.perf_counter() - t]
            assert not first.is_error, first.content
            for _ in range(rounds):
                for q in questions:
                    t = time.perf_counter()
                    result = await c.call_tool("ask", {"question": q})
                    out["ask"].append(time.perf_counter() - t)
                    assert not result.is_error, result.content
            for _ in range(rounds * 10):
                t = time.perf_counter()
                await c.call_tool("sparql_query", {"query": "ASK { ?s ?p ?o }"})
                out["sparql"].append(time.perf_counter() - t)
                t = time.perf_counter()
                await c.call_tool("get_concept", {"concept": "skos:Concept"})
                out["concept"].append(time.perf_counter() - t)
    return out


def in_process(questions: list[str], rounds: int) -> list[float]:
    from kg.config import Settings
    from kg.workspace import Workspace

    return ask_latencies(Workspace(Settings.from_env()).engine, questions, rounds)


def main() -> None:
    import anyio

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("KG_CACHE_DIR", str(DATA / "cold-cache"))
    os.environ["HF_HUB_OFFLINE"] = "1"
    questions = [json.loads(line)["question"]
                 for line in (ROOT / "eval" / "own_qa.jsonl").read_text().splitlines() if line]
    baseline = in_process(questions, args.rounds)  # also builds the index when missing
    mcp = anyio.run(through_mcp, questions, args.rounds)
    rows = [
        ("ask through MCP (stdio, SDK client)", mcp["ask"]),
        ("ask in process (baseline)", baseline),
        ("sparql_query ASK through MCP", mcp["sparql"]),
        ("get_concept through MCP", mcp["concept"]),
        ("first ask after spawn (model preloading)", mcp["first"]),
    ]
    lines = [f"### Warm `ask` through `kg mcp` (built-in graph, {len(questions)} questions x "
             f"{args.rounds} rounds)", "",
             "| figure | min | p50 | p95 | max | unit | n |",
             "|---|---:|---:|---:|---:|---|---:|"]
    for name, vals in rows:
        lines.append(f"| {name} | {min(vals) * 1000:.1f} | {percentile(vals, 50) * 1000:.1f} | "
                     f"{percentile(vals, 95) * 1000:.1f} | {max(vals) * 1000:.1f} | ms | "
                     f"{len(vals)} |")
    emit("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
