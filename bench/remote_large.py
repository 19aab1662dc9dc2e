"""A large taxonomy in a real Oxigraph server, used in place with ``--sparql-endpoint``.

The thesaurus-like taxonomy of ``synth.py`` (``taxonomy``: two languages, polyhierarchy,
about ten triples a concept; default 1M triples, ``--triples 10000000`` for the issue's
target size) is written to ``$KG_BENCH_DIR`` (streamed), bulk-loaded with ``oxigraph load``,
compacted with ``oxigraph optimize`` and served by ``oxigraph serve-read-only``
(scripts/sparql_server.py). Then, each step in a process of its own and each bounded by
``--timeout`` seconds (a step that does not finish is reported as such, not waited for):

* the build: everything ``kg ask`` prepares once for the endpoint (its reads, the index
  documents, the label tables), with the index vectors from the bench's hash encoder
  (``_util.HashEncoder``: the real model would take hours at this size); the real model's
  cost is measured on 1,000 of the documents. Both are given per thousand documents;
* cold ``kg ask`` (the whole process, as a user runs it) and its peak resident memory;
* warm ``ask`` per question in one process: questions on concepts not read yet, then the
  same questions again; that process's memory at the end, split into private pages and
  file pages of mapped files (the index, the libraries: shared with the page cache, which
  the kernel drops and reads again as memory is needed);
* cold ``kg show`` and ``kg path`` (whole processes);
* ``kg serve``: the concept card the concept page loads (``/api/concept``), the first one and
  then warm, and the server's peak resident memory (``VmHWM``).

The questions name concepts by the labels the generator gives them (``synth.concept_names``), so
nothing but the endpoint is read to ask them. Targets (issue 24, 10M triples): cold ask
<= 1.5 s, warm p50 <= 60 ms, show/path cold <= 1 s, concept page warm <= 150 ms, < 600 MB.

Usage: ``.venv/bin/python bench/remote_large.py [--triples 1000000] [--timeout 600]
[--reuse]`` (``--reuse``: load the store once and serve it again in later runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from _util import DATA, PYTHON, emit, percentile  # noqa: E402
from sparql_server import Server, free_port, oxigraph_binary, start_oxigraph  # noqa: E402
from synth import BASE, concept_names, write_taxonomy  # noqa: E402

KG = str(Path(PYTHON).parent / "kg")
_SKOS = "http://www.w3.org/2004/02/skos/core#"

# The build, in a child process: prints one JSON line.
_BUILD = r"""
import json, sys, time
sys.path.insert(0, {bench!r})
from pathlib import Path
from _util import HashEncoder
import kg.qa.onnx_encoder as onnx_encoder
from kg.config import Settings
from kg.workspace import Workspace

def vmhwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0

cache = Path({cache!r})
real = onnx_encoder.get_build_encoder(cache)  # the model exported to ONNX once, not timed
real.encode(["warm up"])
ws = Workspace(Settings(sparql_endpoint={url!r}, cache_dir=cache))
t = time.perf_counter()
docs = ws._documents()  # the endpoint's reads and the index documents
read_s = time.perf_counter() - t
sample = [d.text for d in docs[:: max(1, len(docs) // 1000)]][:1000]
t = time.perf_counter()
real.encode(sample)
real_s = time.perf_counter() - t
onnx_encoder.get_build_encoder = lambda cache_dir: HashEncoder()
t = time.perf_counter()
ws.get_engine()  # the index (hash vectors) and the label tables
engine_s = time.perf_counter() - t
endpoint = ws.endpoint
print(json.dumps({{"documents": len(docs), "read_s": read_s, "sample": len(sample),
                  "real_s": real_s, "engine_s": engine_s, "mb": vmhwm(),
                  "requests": getattr(endpoint, "requests", None),
                  "rows": getattr(endpoint, "rows", None)}}))
"""

# Warm asks in one process: prints one JSON line.
_WARM = r"""
import json, time
from pathlib import Path
from kg.config import Settings
from kg.workspace import Workspace
questions = {questions!r}
ws = Workspace(Settings(sparql_endpoint={url!r}, cache_dir=Path({cache!r})))
engine = ws.engine
engine.ask("What is a thing?")
first, again = [], []
for q in questions:
    t = time.perf_counter(); engine.ask(q); first.append(time.perf_counter() - t)
for q in questions:
    t = time.perf_counter(); engine.ask(q); again.append(time.perf_counter() - t)
# resident memory split: private pages, and file pages of mapped files (the index, libraries)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
mb = {{k: int(status.get(k, "0 kB").split()[0]) // 1024 for k in ("RssAnon", "RssFile")}}
print(json.dumps({{"first": first, "again": again, **mb}}))
"""


class StepFailed(Exception):
    """A measured command that exited with an error (the message: its last line)."""


def _failed(err: str) -> StepFailed:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    return StepFailed(lines[-1][:300] if lines else "no message")


def _memory_mb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a running process in MB (``VmRSS``: resident now, ``VmHWM``: its
    peak; from /proc/PID/status), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _run(cmd: list[str], timeout: float, max_mb: int = 0) -> tuple[float | None, str]:
    """Wall seconds of a whole process (None when it did not finish within ``timeout``)
    and its standard output. A process whose resident memory passes ``max_mb`` is stopped
    and reported as failed (the machine is shared: better than the kernel's OOM killer)."""
    started = time.perf_counter()
    with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as proc:
        peak = [0]

        def watch() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _memory_mb(proc.pid))
                if max_mb and peak[0] > max_mb:
                    os.killpg(proc.pid, signal.SIGKILL)
                    return
                time.sleep(0.5)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return None, ""
        watcher.join()
        if max_mb and peak[0] > max_mb:
            raise StepFailed(f"stopped: resident memory passed {max_mb} MB")
        if proc.returncode:
            raise _failed(err)
        return time.perf_counter() - started, out


def _measured(cmd: list[str], timeout: float) -> tuple[float | None, int, str]:
    """As :func:`_run`, with the peak resident memory (MB) of the command's process: it
    runs under a small wrapper that waits for it with ``os.wait4`` (the kernel's
    accounting of that child alone)."""
    wrapper = ("import os, subprocess, sys, json, time\n"
               "t = time.perf_counter()\n"
               "p = subprocess.Popen(sys.argv[1:])\n"
               "_, status, usage = os.wait4(p.pid, 0)\n"
               "code = os.waitstatus_to_exitcode(status)\n"
               "print(json.dumps({'wall': time.perf_counter() - t, 'mb': usage.ru_maxrss // 1024,"
               " 'code': code}), file=sys.stderr)\n"
               "sys.exit(code)\n")
    started = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "-c", wrapper, *cmd], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, 0, ""
    figures = json.loads(err.strip().splitlines()[-1])
    if proc.returncode:
        raise _failed("\n".join(err.strip().splitlines()[:-1]))
    return figures.get("wall", time.perf_counter() - started), int(figures["mb"]), out


def _get(url: str, timeout: float) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
        response.read()
    return time.perf_counter() - started


def _concepts(url: str) -> int:
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{_SKOS}"
                                             "Concept> }"})
    request = urllib.request.Request(f"{url}?{query}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
        return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])


def _serve(url: str, cache: Path, concepts: list[int], timeout: float) -> dict:
    """Start ``kg serve`` on the endpoint; time the concept card of the concept page."""
    port = free_port()
    log = cache.parent / "serve.log"
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([KG, "serve", "--sparql-endpoint", url, "--port", str(port),
                                 "--cache-dir", str(cache)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    out: dict = {"ready_s": None, "first_s": None, "warm": [], "again": [], "mb": 0}
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < timeout:
            try:
                _get(base + "/healthz", 5)
                out["ready_s"] = time.perf_counter() - started
                break
            except OSError:
                if proc.poll() is not None:
                    raise _failed(log.read_text(encoding="utf-8", errors="replace")) from None
                time.sleep(0.2)
        if out["ready_s"] is None:
            return out

        def card(i: int) -> str:
            return f"{base}/api/concept?{urllib.parse.urlencode({'iri': f'{BASE}c{i}'})}"

        left = timeout - (time.perf_counter() - started)
        try:
            out["first_s"] = _get(card(concepts[0]), max(left, 1))
        except urllib.error.HTTPError as exc:
            body = exc.read(300).decode("utf-8", "replace")
            raise StepFailed(f"the concept card answered HTTP {exc.code}: {body}") from None
        except OSError:
            return out
        out["warm"] = [_get(card(i), 60) for i in concepts[1:21]]
        out["again"] = [_get(card(concepts[1]), 60) for _ in range(20)]
        return out
    finally:
        out["mb"] = _memory_mb(proc.pid, "VmHWM")
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _fmt(seconds: float | None, timeout: float, unit: str = "s") -> str:
    if seconds is None:
        return f"not finished in {timeout:g} s"
    return f"{seconds * 1000:.0f} ms" if unit == "ms" else f"{seconds:.2f} s"


def _build_rows(b: dict, build_s: float) -> list[tuple[str, str]]:
    per_k = 1000 / max(1, b["documents"])
    return [
        ("documents", f"{b['documents']:,}"),
        ("build, whole (hash vectors), wall", f"{build_s:.1f} s, peak {b['mb']} MB"),
        ("endpoint reads + documents, per 1,000 documents",
         f"{b['read_s'] * per_k:.3f} s ({b['read_s']:.1f} s in all, "
         f"{b['requests']} requests, {b['rows']:,} rows)"),
        ("real model (ONNX) encoding, per 1,000 documents",
         f"{b['real_s'] * 1000 / max(1, b['sample']):.1f} s ({b['sample']} measured)"),
        ("index (hash vectors) + label tables, per 1,000 documents",
         f"{b['engine_s'] * per_k:.3f} s"),
    ]


def _ask_rows(url: str, cache: Path, picked: list[int], label: dict[int, str],
              args: argparse.Namespace) -> list[tuple[str, str]]:
    rows = []
    first_q = f"What is {label[picked[0]]}?"
    colds: list[float | None] = []
    peaks = []
    try:
        for _ in range(args.runs):
            wall, mb, _ = _measured([KG, "ask", first_q, "--sparql-endpoint", url,
                                     "--cache-dir", str(cache)], args.timeout)
            colds.append(wall)
            peaks.append(mb)
            if wall is None:
                break
        done = [c for c in colds if c is not None]
        rows.append(("cold `kg ask` (whole process), median / min / max",
                     f"{statistics.median(done):.2f} / {min(done):.2f} / {max(done):.2f} s, "
                     f"peak {max(peaks)} MB" if len(done) == len(colds)
                     else _fmt(None, args.timeout)))
    except StepFailed as exc:
        rows.append(("cold `kg ask`", f"failed: {exc}"))
    questions = []
    for i in picked[21:]:
        questions.append(f"What is {label[i]}?" if len(questions) % 2 == 0
                         else f"What is {label[i]} a kind of?")
    try:
        wall, mb, out = _measured([PYTHON, "-c", _WARM.format(questions=questions, url=url,
                                                              cache=str(cache))], args.timeout)
    except StepFailed as exc:
        return [*rows, ("warm ask", f"failed: {exc}")]
    if wall is None:
        return [*rows, ("warm ask", _fmt(None, args.timeout))]
    w = json.loads(out.strip().splitlines()[-1])
    rows.append((f"warm ask, concepts not read yet ({len(questions)}): p50 / p95",
                 f"{percentile(w['first'], 50) * 1000:.0f} / "
                 f"{percentile(w['first'], 95) * 1000:.0f} ms"))
    rows.append(("warm ask, the same questions again: p50 / p95",
                 f"{percentile(w['again'], 50) * 1000:.0f} / "
                 f"{percentile(w['again'], 95) * 1000:.0f} ms, process peak {mb} MB"))
    rows.append(("warm ask process at the end: private (RssAnon) / file pages (RssFile)",
                 f"{w.get('RssAnon', 0)} / {w.get('RssFile', 0)} MB"))
    return rows


def _serve_rows(url: str, cache: Path, picked: list[int],
                timeout: float) -> list[tuple[str, str]]:
    try:
        s = _serve(url, cache, picked, timeout)
    except StepFailed as exc:
        return [("`kg serve`", f"failed: {exc}")]
    rows = [("`kg serve`: ready (healthz)", _fmt(s["ready_s"], timeout)),
            ("`kg serve`: first concept card (`/api/concept`)", _fmt(s["first_s"], timeout))]
    if s["warm"]:
        rows.append(("`kg serve`: concept card warm, 20 other concepts: p50 / p95",
                     f"{percentile(s['warm'], 50) * 1000:.0f} / "
                     f"{percentile(s['warm'], 95) * 1000:.0f} ms"))
        rows.append(("`kg serve`: the same concept card again: p50",
                     f"{percentile(s['again'], 50) * 1000:.1f} ms"))
    rows.append(("`kg serve` peak resident memory (VmHWM)", f"{s['mb']} MB"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds each step may take before it is stopped")
    parser.add_argument("--runs", type=int, default=5, help="runs of each cold command")
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--steps", default="build,show,path,serve",
                        help="which steps to run (build includes the asks; serve copies the "
                             "whole graph into memory on code that cannot read it in place)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the Oxigraph store and kg's cache (else removed)")
    parser.add_argument("--reuse", action="store_true",
                        help="serve the Oxigraph store loaded by an earlier --reuse run "
                             "($KG_BENCH_DIR/oxigraph-N-kept; loaded once, never removed); "
                             "kg's cache is still new for each run")
    parser.add_argument("--max-mb", type=int, default=12_000,
                        help="stop the build when its resident memory passes this (MB)")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    graph = DATA / f"taxonomy-{args.triples}.nt"
    folder = DATA / f"oxigraph-{args.triples}-{'kept' if args.reuse else os.getpid()}"
    loaded = args.reuse and (folder / "store").is_dir()
    if not graph.is_file() and not loaded:
        started = time.perf_counter()
        with graph.open("w", encoding="utf-8") as fh:
            write_taxonomy(fh, args.triples)
        print(f"wrote {graph} in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    if not loaded:  # load, then compact as Oxigraph advises after a bulk load: an
        # uncompacted 10M store scanned a whole index in 5.6 min, 14 s once compacted
        binary = oxigraph_binary() or "oxigraph"
        folder.mkdir(parents=True, exist_ok=True)
        for step in (["load", "--location", str(folder / "store"), "--file", str(graph)],
                     ["optimize", "--location", str(folder / "store")]):
            subprocess.run([binary, *step], check=True, capture_output=True)
    server: Server = start_oxigraph([], folder)
    load_s = time.perf_counter() - started
    url = server.url
    cache = DATA / f"kg-cache-{args.triples}-{os.getpid()}"
    rows: list[tuple[str, str]] = [
        ("triples", f"{args.triples:,}"),
        ("oxigraph start (store loaded before)" if loaded else "oxigraph load + optimize + start",
         f"{load_s:.1f} s")]
    try:
        n = _concepts(url)
        rng = random.Random(7)
        picked = rng.sample(range(n), min(n, args.questions + 21))
        label = {i: concept_names(i)[0] for i in picked}
        rows.append(("concepts", f"{n:,}"))
        print(f"{url}: {n:,} concepts; building...", flush=True)

        code = _BUILD.format(bench=str(Path(__file__).resolve().parent), cache=str(cache),
                             url=url)
        built, steps = False, set(args.steps.split(","))
        try:
            if "build" not in steps:
                raise StepFailed("not run (--steps)")
            build_s, out = _run([PYTHON, "-c", code], args.timeout, args.max_mb)
        except StepFailed as exc:
            rows.append(("build (reads, documents, index, label tables)", f"failed: {exc}"))
        else:
            if build_s is None:
                rows.append(("build (reads, documents, index, label tables)",
                             _fmt(None, args.timeout)))
            else:
                built = True
                rows += _build_rows(json.loads(out.strip().splitlines()[-1]), build_s)
        print("timing commands...", flush=True)
        if built:
            rows += _ask_rows(url, cache, picked, label, args)
        a, z = label[picked[1]], label[picked[2]]
        for name, cmd in (("show", [KG, "show", a]), ("path", [KG, "path", a, z])):
            if name not in steps:
                continue
            try:
                wall, mb, _ = _measured([*cmd, "--sparql-endpoint", url, "--cache-dir",
                                         str(cache)], args.timeout)
                value = _fmt(wall, args.timeout) + (f", peak {mb} MB" if wall else "")
            except StepFailed as exc:
                value = f"failed: {exc}"
            rows.append((f"cold `kg {name}` (whole process)", value))
        if "serve" in steps:
            rows += _serve_rows(url, cache, picked, args.timeout)
    finally:  # the figures measured so far, even when a step broke the run
        server.stop()
        if not args.keep:
            shutil.rmtree(cache, ignore_errors=True)
            if not args.reuse:
                shutil.rmtree(folder, ignore_errors=True)
        load = os.getloadavg()[0]
        emit(f"### A {args.triples:,}-triple taxonomy in Oxigraph server, used in place "
             f"(`remote_large.py`, load average {load:.1f})\n\n| figure | value |\n|---|---|\n"
             + "\n".join(f"| {k} | {v} |" for k, v in rows) + "\n")


if __name__ == "__main__":
    main()
