"""Benchmark (not a test): the browser app's page weight and time to first answer in Chromium.

Starts the app (``kg.server.app``) on loopback over a graph (the built-in one unless
``--graph`` is given), with the engine warmed as ``kg serve`` does, then opens
``/?q=QUESTION`` in headless Chromium over the DevTools protocol, several times with
different questions. Reported: bytes of the page (everything the browser downloads before
the first question: the page, with its script and style inline, and ``/api/info``), time
from navigation to the page being ready, and time from navigation to the answer and its
subgraph drawn (the page's own ``data-answered`` mark), min / median / max; plus the
latency of the browse routes on the same graph.

Also measured: the weight of a concept page (the HTML the server renders, with its
JSON-LD, inline script and style: everything a browser downloads to show a concept), and
navigation from a concept page to an answer on screen (the page's own marks).
``--screenshots DIR`` writes the ask, concept and tree views (1400x1000) into DIR as
``app-<name>-ask.png`` etc., ``<name>`` from ``--name`` (default: the graph's file name).

Usage: ``.venv/bin/python bench/app_browser.py [--graph FILE]... [--runs 5] [--json]
[--screenshots docs/img --name gemet --question TEXT]``.
Needs Chromium (scripts/install-system-deps.sh installs it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

QUESTIONS = ["what is {}?", "what is {} related to?", "what are the kinds of {}?",
             "tell me about {}", "how is {} defined?"]


def _serve(graphs: list[str]):  # noqa: ANN202 - (server, thread, base url)
    import uvicorn

    from kg.config import Settings
    from kg.server.app import ServerSettings, create_app, uvicorn_options
    from kg.workspace import Workspace

    workspace = Workspace(Settings(graph_paths=tuple(Path(g) for g in graphs)))
    settings = ServerSettings(warm_engine=True)
    server = uvicorn.Server(uvicorn.Config(create_app(workspace, settings), host="127.0.0.1",
                                           port=0, log_level="warning",
                                           **uvicorn_options(settings)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 600
    while not server.started:  # the graph loads at startup: bounded, and a failure ends it
        if not thread.is_alive() or time.monotonic() > deadline:
            sys.exit("the server did not start (see the message above)")
        time.sleep(0.05)
    workspace.engine  # noqa: B018 - wait until warm, as a user who opens the page later would
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, thread, f"http://127.0.0.1:{port}"


def _deep_concept(client: httpx.Client, base: str, top: str) -> str:
    """A concept a few levels under ``top`` (the first child each time), for the pages."""
    iri = top
    for _ in range(3):
        block = client.get(base + "/api/tree", params={"children": iri}).json()["children"][iri]
        if not block["items"]:
            break
        iri = max(block["items"], key=lambda item: item["children"])["iri"]
    return iri


def _screenshots(browser, base: str, deep: str, question: str, folder: Path,  # noqa: ANN001
                 graph: str) -> None:
    """The ask, concept and tree views at 1400x1000, as PNG files in ``folder``."""
    import base64

    folder.mkdir(parents=True, exist_ok=True)
    browser.send("Emulation.setDeviceMetricsOverride", {"width": 1400, "height": 1000,
                                                        "deviceScaleFactor": 1, "mobile": False})

    def shoot(kind: str) -> None:
        data = browser.send("Page.captureScreenshot", {"format": "png"})["data"]
        (folder / f"app-{graph}-{kind}.png").write_bytes(base64.b64decode(data))

    browser.open(f"{base}/?q={quote(question)}")
    browser.wait_for("document.body.dataset.answered", timeout=120)
    shoot("ask")
    browser.open(f"{base}/concept?iri={quote(deep, safe='')}")
    browser.wait_for(f"document.body.dataset.concept === {json.dumps(deep)}")
    time.sleep(0.3)
    shoot("concept")
    browser.open(f"{base}/concept")
    browser.wait_for("document.body.dataset.concept === 'top'", timeout=30)
    time.sleep(0.3)
    shoot("tree")
    browser.send("Emulation.clearDeviceMetricsOverride")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", action="append", default=[])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--screenshots", metavar="DIR", default=None)
    parser.add_argument("--name", default=None)
    parser.add_argument("--question", default=None, help="the question of the ask screenshot")
    args = parser.parse_args()
    from devtools import DevTools, find_chromium

    exe = find_chromium()
    if exe is None:
        sys.exit("Chromium is not installed (scripts/install-system-deps.sh installs it).")

    server, thread, base = _serve(args.graph)
    browser = DevTools(exe)
    try:
        with httpx.Client(timeout=30) as client:
            page = client.get(base + "/", headers={"Accept": "text/html"}).content
            info = client.get(base + "/api/info").content
            roots = client.get(base + "/api/tree").json()["roots"]["items"]
            names = [r["label"] for r in roots][: args.runs] or ["it"]
            routes: dict[str, list[float]] = {}
            first = roots[0]["iri"] if roots else ""
            deep = _deep_concept(client, base, first)
            concept_page = client.get(base + "/concept?iri=" + quote(deep, safe=""),
                                      headers={"Accept": "text/html"}).content
            for name, url in [("search", "/api/search?q=" + quote(names[0][:4])),
                              ("tree", "/api/tree?open=" + quote(first, safe="")),
                              ("concept", "/api/concept?iri=" + quote(first, safe="")),
                              ("neighbourhood", "/api/node?iri=" + quote(first, safe=""))]:
                for _ in range(5):
                    start = time.perf_counter()
                    client.get(base + url).raise_for_status()
                    routes.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        ready: list[float] = []
        answered: list[float] = []
        to_answer: list[float] = []
        for i in range(args.runs):
            # from a concept page, through the app's own navigation (no reload)
            question = QUESTIONS[i % len(QUESTIONS)].format(names[i % len(names)])
            browser.open(f"{base}/concept?iri={quote(deep, safe='')}")
            browser.wait_for("document.body.dataset.ready && document.body.dataset.concept")
            to_answer.append(float(browser.js(
                "new Promise(done => { const t0 = performance.now();"
                f" window.kgApp.navigate('/?q=' + encodeURIComponent({json.dumps(question)}));"
                " const poll = () => document.body.dataset.answered"
                " ? done(performance.now() - t0) : setTimeout(poll, 2); poll(); })",
                timeout=120)))
        for i in range(args.runs):
            question = QUESTIONS[i % len(QUESTIONS)].format(names[i % len(names)])
            browser.open(f"{base}/?q={quote(question)}")
            # both marks are the page's own performance.now(): ms since navigation started
            ready.append(float(browser.wait_for("document.body.dataset.ready", timeout=60)))
            answered.append(float(browser.wait_for("document.body.dataset.answeredAt",
                                                   timeout=120)))
        if args.screenshots:
            name = args.name or (Path(args.graph[0]).stem if args.graph else "builtin")
            question = args.question or f"what is {names[0]} related to?"
            _screenshots(browser, base, deep, question, Path(args.screenshots), name)
    finally:
        browser.close()
        server.should_exit = True
        thread.join(10)

    def mmm(values: list[float]) -> list[float]:
        return [round(min(values)), round(statistics.median(values)), round(max(values))]

    result = {
        "graph": args.graph or ["built-in"],
        "page_bytes": len(page),
        "first_load_bytes": len(page) + len(info),
        "page_ready_ms": mmm(ready),
        "first_answer_ms": mmm(answered),
        "concept_page_bytes": len(concept_page),
        "navigate_to_answer_ms": mmm(to_answer),
        "routes_ms": {name: mmm(v) for name, v in routes.items()},
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"graph: {', '.join(result['graph'])}")
    print(f"page: {result['page_bytes']:,} B (script and style inline); first load with "
          f"/api/info: {result['first_load_bytes']:,} B")
    print(f"navigation -> page ready, /api/info shown (ms, min/median/max): "
          f"{result['page_ready_ms']}")
    print(f"navigation -> answer drawn (ms, min/median/max): {result['first_answer_ms']}")
    print(f"concept page: {result['concept_page_bytes']:,} B (HTML with JSON-LD, script, style)")
    print(f"in the app, concept page -> answer and drawing on screen (ms, min/median/max): "
          f"{result['navigate_to_answer_ms']}")
    for name, values in result["routes_ms"].items():
        print(f"  /api {name} (ms): {values}")


if __name__ == "__main__":
    main()
