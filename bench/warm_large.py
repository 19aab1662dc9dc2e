"""Warm `ask` per question on the 1M-triple synthetic graph and on the built-in graph, this
checkout against another revision of the project in the same run.

The large graph is set up as ``cold_large.py`` does (index built with
``bench/_util.HashEncoder``, questions encoded by the real model). Its questions: the
``cold_large.py`` ones and those ``scale_quality.py`` generates (definitions, alternative
labels, broader links, typos, unknown names). The built-in graph's: ``eval/own_qa.jsonl``.
Each revision loads its engine in a fresh process (on its own hard-linked copy of the cache,
after one untimed process that lets it write its own caches), asks one untimed question,
then each question once: the figure is what a server or ``--batch`` pays for a question it
has not seen. Processes alternate between revisions; answers (text and entities) are
compared. ``--baseline REV`` is exported with ``git archive`` and run from there.

Usage: ``.venv/bin/python bench/warm_large.py [--triples 1000000] [--sample 40]
[--repeats 2] [--baseline main]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import DATA, PYTHON, emit, percentile  # noqa: E402

# Runs in the revision's own tree: load the engine, time each question once.
CHILD = """
import json, sys, time
from pathlib import Path
from kg.config import Settings
from kg.workspace import Workspace
spec = json.loads(sys.argv[1])
if spec["graph"]:
    settings = Settings(graph_paths=(Path(spec["graph"]),), cache_dir=Path(spec["cache"]))
else:
    settings = Settings.from_env(cache_dir=spec["cache"])
engine = Workspace(settings).engine
engine.ask(spec["questions"][0])
times, answers = [], []
for q in spec["questions"][1:]:
    t = time.perf_counter()
    a = engine.ask(q)
    times.append(time.perf_counter() - t)
    answers.append([a.text, [e.iri for e in a.entities]])
print(json.dumps({"times": times, "answers": answers}))
"""


def large_questions(triples: int, sample: int) -> tuple[Path, Path, list[str]]:
    """The large graph, its prepared cache and its questions (built on first use)."""
    from cold_large import setup
    from scale_quality import questions

    from kg.config import Settings
    from kg.workspace import Workspace

    graph, cache, asked = setup(triples)
    view = Workspace(Settings(graph_paths=(graph,), cache_dir=cache)).view
    return graph, cache, asked + [q for _, q, _, _ in questions(view, sample)]


def builtin_questions() -> tuple[Path, list[str]]:
    """The built-in graph's cache (the one ``warm.py`` uses, built on first use) and its
    questions."""
    from kg.config import Settings
    from kg.workspace import Workspace

    cache = DATA / "cold-cache"
    Workspace(Settings.from_env(cache_dir=str(cache))).get_engine()
    lines = (ROOT / "eval" / "own_qa.jsonl").read_text(encoding="utf-8").splitlines()
    return cache, [json.loads(line)["question"] for line in lines if line.strip()]


def run(tree: Path, graph: Path | None, cache: Path, questions: list[str]) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(tree)}
    spec = json.dumps({"graph": str(graph) if graph else "", "cache": str(cache),
                       "questions": questions})
    proc = subprocess.run([PYTHON, "-c", CHILD, spec], cwd=tree, env=env,
                          capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(title: str, trees: dict[str, Path], graph: Path | None, cache: Path,
            questions: list[str], repeats: int, tmp: Path) -> str:
    caches = {}
    for i, (name, tree) in enumerate(trees.items()):
        caches[name] = tmp / f"{title[:5]}-{i}"
        subprocess.run(["cp", "-al", str(cache), str(caches[name])], check=True)
        run(tree, graph, caches[name], questions[:2])  # writes its own caches
    times: dict[str, list[float]] = {name: [] for name in trees}
    answers: dict[str, list] = {name: [] for name in trees}
    for _ in range(repeats):
        for name, tree in trees.items():
            out = run(tree, graph, caches[name], questions)
            times[name] += out["times"]
            answers[name] += out["answers"]
    first = next(iter(answers.values()))
    differ = [sum(a != b for a, b in zip(first, other, strict=True))
              for other in answers.values()]
    lines = [f"### Warm `ask` per question, {title} ({len(questions) - 1} questions x "
             f"{repeats} processes, load average {os.getloadavg()[0]:.1f})", "",
             "| revision | p50 | p95 | max | unit | n | answers |",
             "|---|---:|---:|---:|---|---:|---|"]
    for (name, vals), bad in zip(times.items(), differ, strict=True):
        note = "identical" if not bad else f"{bad} of {len(first)} DIFFER"
        lines.append(f"| {name} | {percentile(vals, 50) * 1000:.1f} | "
                     f"{percentile(vals, 95) * 1000:.1f} | {max(vals) * 1000:.1f} | ms | "
                     f"{len(vals)} | {note} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=40,
                        help="concepts scale_quality.py makes questions from")
    parser.add_argument("--repeats", type=int, default=2, help="processes per revision")
    parser.add_argument("--baseline", help="a git revision to compare with, e.g. main")
    args = parser.parse_args()
    graph, cache, questions = large_questions(args.triples, args.sample)
    trees = {"this checkout": ROOT}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.baseline:
            base = tmp / "baseline"
            base.mkdir()
            archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT,
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            trees[f"revision {args.baseline}"] = base
        emit(measure(f"{args.triples:,}-triple synthetic graph", trees, graph, cache,
                     questions, args.repeats, tmp))
        emit(measure("built-in graph", trees, None, *builtin_questions(), args.repeats, tmp))


if __name__ == "__main__":
    main()
