"""The browser app of ``kg serve`` in headless Chromium, driven over the DevTools protocol.

A real server (uvicorn on loopback) serves the vehicles taxonomy with the real engine; the
tests ask, search, browse and query as a person would, with the mouse and with the
keyboard alone, and check that the page never requests anything from another origin.
Set ``KG_UPDATE_SCREENSHOTS=1`` to write the README's screenshots into ``docs/img/``.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from devtools import DevTools, find_chromium

from kg.server.app import ServerSettings, create_app, uvicorn_options
from kg.workspace import Workspace

V = "http://example.org/vehicles/"
DOCS_IMG = Path(__file__).parent.parent / "docs" / "img"
#: The screenshots the README shows (the others stay in the test's temporary folder);
#: bench/app_browser.py --screenshots takes those of the built-in graph and GEMET.
IN_DOCS = {"app-sparql.png", "app-concept-390.png"}


@pytest.fixture(scope="module")
def server(vehicles_ws: Workspace) -> Iterator[str]:
    import uvicorn

    vehicles_ws.engine  # noqa: B018 - load the model before the browser starts timing
    settings = ServerSettings(timeout=5, workers=1)
    config = uvicorn.Config(create_app(vehicles_ws, settings), host="127.0.0.1", port=0,
                            log_level="warning", **uvicorn_options(settings))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[DevTools]:
    exe = find_chromium()
    if exe is None:
        pytest.skip("Chromium is not installed, so the app is not opened in a browser "
                    "(install it with scripts/install-system-deps.sh or apt-get install "
                    "chromium)")
    client = DevTools(exe, width=1400, height=900)
    yield client
    client.close()


def problems(browser: DevTools, origin: str) -> list[str]:
    """Console errors, exceptions, failed loads and any request to another origin."""
    found = []
    for event in list(browser.events):
        method, p = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"exception: {p['exceptionDetails'].get('text')} "
                         f"{p['exceptionDetails'].get('exception', {}).get('description')}")
        elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            found.append(f"console.{p['type']}: {p['args']}")
        elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
            found.append(f"log: {p['entry']['text']}")
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if not url.startswith((origin + "/", "data:", "about:")):
                found.append(f"request to another origin: {url}")
    return found


def requests(browser: DevTools) -> list[str]:
    return [e["params"]["request"]["url"] for e in list(browser.events)
            if e.get("method") == "Network.requestWillBeSent"]


_KEYS = {"Enter": 13, "Tab": 9, "ArrowDown": 40, "ArrowUp": 38, "ArrowRight": 39,
         "ArrowLeft": 37, "Escape": 27}


def press(browser: DevTools, key: str, shift: bool = False) -> None:
    """One key stroke, as the keyboard sends it (so default actions such as Tab happen)."""
    code = _KEYS[key]
    down = {"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code,
            "nativeVirtualKeyCode": code, "modifiers": 8 if shift else 0}
    if key == "Enter":
        down["text"] = "\r"
    browser.send("Input.dispatchKeyEvent", down)
    browser.send("Input.dispatchKeyEvent", {**down, "type": "keyUp", "text": ""})


def type_text(browser: DevTools, text: str) -> None:
    browser.send("Input.insertText", {"text": text})


def tab_to(browser: DevTools, condition: str, limit: int = 60, back: bool = False) -> None:
    """Press Tab (Shift+Tab with ``back``) until ``condition`` holds for the focused element."""
    for _ in range(limit):
        if browser.js(f"(() => {{ const a = document.activeElement; return {condition}; }})()"):
            return
        press(browser, "Tab", shift=back)
    raise AssertionError(f"Tab never reached {condition}")


def screenshot(browser: DevTools, name: str, tmp_path: Path) -> Path:
    data = base64.b64decode(browser.send("Page.captureScreenshot", {"format": "png"})["data"])
    target = DOCS_IMG if os.environ.get("KG_UPDATE_SCREENSHOTS") and name in IN_DOCS \
        else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    path.write_bytes(data)
    return path


def test_the_page_is_self_contained(server: str, browser: DevTools) -> None:
    browser.open(server + "/")
    browser.wait_for("document.body.dataset.ready")
    urls = requests(browser)
    # the page itself (script and style inline), then only this server's small JSON routes
    assert urls[0] == server + "/"
    assert all(u.startswith(server + "/api/") for u in urls[1:]), urls
    assert problems(browser, server) == []


def test_ask_flow_end_to_end(server: str, browser: DevTools, tmp_path: Path) -> None:
    browser.open(f"{server}/?q={quote('what is an electric car?')}")
    elapsed = int(browser.wait_for("document.body.dataset.answered", timeout=60))
    print(f"time to first answer in the browser: {elapsed} ms")
    assert browser.js("document.getElementById('q').value") == "what is an electric car?"
    facts = browser.js("[...document.querySelectorAll('#facts .fact')].map(f => f.innerText)")
    assert any("rechargeable battery" in f for f in facts), facts
    assert all("[" in f for f in facts), facts  # every sentence cites a numbered source
    assert "Owner's manual" in browser.js("document.querySelector('.sources').innerText")
    # the answer's subgraph is drawn, and a fact's triples light up when it is clicked
    assert int(browser.js("document.getElementById('ask-graph').dataset.nodes")) >= 2
    assert browser.js("document.querySelectorAll('#ask-graph .hl').length") == 0
    fact = next(i for i, f in enumerate(facts) if "is made by" in f or "powered by" in f)
    browser.js(f"document.querySelectorAll('#facts button.fact')[{fact}].click()")
    lit = browser.js("[...document.querySelectorAll('#ask-graph .edge.hl')]"
                     ".map(e => e.dataset.key)")
    assert lit and all(key.startswith(V) for key in lit), lit
    assert browser.js("document.querySelectorAll('#ask-graph .node.hl').length") == 2
    screenshot(browser, "app-ask.png", tmp_path)
    # a new question through the box: the URL carries it, so the answer can be shared
    browser.js("document.getElementById('q').value = ''")
    browser.js("document.getElementById('q').focus()")
    type_text(browser, "who invented the bicycle?")
    press(browser, "Enter")
    browser.wait_for("location.search.includes('bicycle') && "
                     "document.body.dataset.answered", timeout=30)
    links = browser.js("[...document.querySelectorAll('#suggestions a')]"
                       ".map(a => [a.innerText, a.getAttribute('href')])")
    assert links and all(href.startswith("/concept?iri=") for _, href in links), links
    assert "does not hold" in browser.js("document.getElementById('answer').innerText")
    browser.js("document.querySelector('#suggestions a').click()")
    browser.wait_for("document.body.dataset.concept")
    assert browser.js("location.pathname") == "/concept"
    # back to the shared URL: the answer comes again from the URL alone
    browser.js("history.back()")
    browser.wait_for("document.body.dataset.view === 'ask' && location.search.includes('bicycle')")
    assert problems(browser, server) == []


def test_search_concept_page_and_tree(server: str, browser: DevTools, tmp_path: Path) -> None:
    browser.open(server + "/concept")
    browser.wait_for("document.body.dataset.tree === 'roots'")
    roots = browser.js("[...document.querySelectorAll('#tree > li')].map(li => li.dataset.iri)")
    assert set(roots) == {V + "Vehicle", V + "EnergySource", V + "Manufacturer"}
    # search as you type, by alternative label, with a typo in a whole word
    browser.js("document.getElementById('search').focus()")
    type_text(browser, "automob")
    browser.wait_for("document.body.dataset.searched")
    options = browser.js("[...document.querySelectorAll('#search-results [role=option]')]"
                         ".map(o => o.innerText)")
    assert options and options[0].startswith("Car") and "automobile" in options[0], options
    browser.js("document.getElementById('search').value = ''")
    type_text(browser, "electirc ca")
    browser.wait_for("document.querySelector('#search-results [role=option]') && document"
                     ".querySelector('#search-results [role=option]').innerText"
                     ".startsWith('Electric Car')")
    browser.js("document.querySelector('#search-results [role=option]')"
               ".dispatchEvent(new MouseEvent('mousedown', {bubbles: true}))")
    browser.wait_for(f"document.body.dataset.concept === '{V}ElectricCar'")
    card = browser.js("document.getElementById('concept').innerText")
    for text in ("Electric Car", "rechargeable battery", "Voltia Motors", "Battery",
                 "Electric car range: 420 km", "Owner's manual", f"{V}ElectricCar"):
        assert text in card, text
    assert browser.js("document.getElementById('chain').innerText") == "Vehicle › Car › Electric Car"
    # the tree opened on the concept: its broader chain expanded, the concept selected
    browser.wait_for(f"document.body.dataset.tree === '{V}ElectricCar'")
    selected = browser.js("[...document.querySelectorAll('[role=treeitem][aria-selected=true]')]"
                          ".map(li => li.dataset.iri)")
    assert selected == [V + "ElectricCar"]
    expanded = browser.js("[...document.querySelectorAll('[role=treeitem][aria-expanded=true]')]"
                          ".map(li => li.dataset.iri)")
    assert expanded == [V + "Vehicle", V + "Car"]
    assert int(browser.js("document.getElementById('browse-graph').dataset.nodes")) >= 4
    screenshot(browser, "app-browse.png", tmp_path)
    # a link in the card opens that concept, and the address follows
    browser.js(f"document.querySelector('#chain a[href*=\"{quote(V + 'Vehicle', safe='')}\"]')"
               ".click()")
    browser.wait_for(f"document.body.dataset.concept === '{V}Vehicle'")
    assert browser.js("location.search") == "?iri=" + quote(V + "Vehicle", safe="")
    assert problems(browser, server) == []


def set_query(browser: DevTools, text: str) -> None:
    browser.js(f"(() => {{ const e = document.getElementById('sparql-text'); "
               f"e.value = {json.dumps(text)}; e.dispatchEvent(new Event('input')); }})()")


def test_sparql_editor_runs_a_query_and_shows_its_table(server: str, browser: DevTools,
                                                        tmp_path: Path) -> None:
    browser.open(server + "/sparql")
    browser.wait_for("document.body.dataset.ready")
    assert browser.js("document.body.dataset.view") == "sparql"
    assert "PREFIX skos:" in browser.js("document.getElementById('prefix-list').textContent")
    query = ("SELECT ?c ?label WHERE { ?c skos:broader v:Vehicle ; skos:prefLabel ?label } "
             "ORDER BY ?label")
    set_query(browser, query)
    kinds = browser.js("[...document.querySelectorAll('#highlight span')].map(s => s.className)")
    assert {"tok-kw", "tok-var", "tok-pn", "tok-str"} - set(kinds) == {"tok-str"}
    browser.js("document.getElementById('run').click()")
    assert browser.wait_for("document.body.dataset.rows") == "2"
    table = browser.js("[...document.querySelectorAll('#results-table tr')]"
                       ".map(r => [...r.children].map(c => c.innerText))")
    assert table == [["c", "label"], ["v:Bicycle", "Bicycle@en"], ["v:Car", "Car@en"]]
    screenshot(browser, "app-sparql.png", tmp_path)
    csv = browser.js("fetch(document.getElementById('dl-csv').href).then(r => r.text())")
    assert csv.splitlines() == ["c,label", f"{V}Bicycle,Bicycle", f"{V}Car,Car"]
    assert problems(browser, server) == []
    # refusals come through the same endpoint, worded for people
    set_query(browser, "DROP ALL")
    browser.js("document.getElementById('run').click()")
    assert browser.wait_for("document.body.dataset.rows") == "error"
    assert "read-only" in browser.js("document.getElementById('sparql-status').innerText")
    assert [p for p in problems(browser, server) if "403 (Forbidden)" not in p] == []


def test_keyboard_only(server: str, browser: DevTools) -> None:
    browser.open(server + "/")
    browser.wait_for("document.body.dataset.ready")
    tab_to(browser, "a.id === 'q'")
    type_text(browser, "what is a car?")
    press(browser, "Enter")
    browser.wait_for("document.body.dataset.answered", timeout=30)
    assert browser.js("location.search") == "?q=" + quote("what is a car?", safe="")
    tab_to(browser, "a.classList.contains('fact')")
    press(browser, "Enter")
    assert browser.js("document.querySelector('#facts [aria-pressed=true]') !== null")
    # to Browse through the section links, then search and open with the keyboard
    tab_to(browser, "a.id === 'tab-browse'", back=True)
    press(browser, "Enter")
    browser.wait_for("document.body.dataset.tree === 'roots'")
    tab_to(browser, "a.id === 'search'")
    type_text(browser, "bike")
    browser.wait_for("document.body.dataset.searched")
    press(browser, "ArrowDown")
    press(browser, "ArrowUp")
    press(browser, "Enter")
    browser.wait_for(f"document.body.dataset.concept === '{V}Bicycle'")
    browser.wait_for(f"document.body.dataset.tree === '{V}Bicycle'")
    # into the tree: the selected concept holds the tree's one tab stop
    tab_to(browser, "a.getAttribute('role') === 'treeitem'")
    assert browser.js("document.activeElement.dataset.iri") == V + "Bicycle"
    press(browser, "ArrowDown")
    assert browser.js("document.activeElement.dataset.iri") == V + "Car"
    press(browser, "ArrowRight")  # expand Car
    browser.wait_for("document.activeElement.getAttribute('aria-expanded') === 'true'")
    press(browser, "ArrowRight")  # to its first child
    assert browser.js("document.activeElement.dataset.iri") == V + "ElectricCar"
    press(browser, "Enter")
    browser.wait_for(f"document.body.dataset.concept === '{V}ElectricCar'")
    browser.wait_for(f"document.activeElement.dataset.iri === '{V}ElectricCar'")
    press(browser, "ArrowLeft")  # back to the parent
    assert browser.js("document.activeElement.dataset.iri") == V + "Car"
    assert problems(browser, server) == []


# --------------------------------------------------------------------------- a long tree
L = "http://example.org/long/"


def _long_graph(path: Path) -> Path:
    """120 top concepts, and a concept five levels under the last one: opening it makes
    the tree long enough to need scrolling, as on GEMET."""
    lines = ["@prefix l: <http://example.org/long/> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for i in range(120):
        lines.append(f'l:t{i:03d} a skos:Concept ; skos:prefLabel "Topic {i:03d}"@en, '
                     f'"Sujet {i:03d}"@fr ; skos:definition "Topic number {i}."@en .')
    parent = "t119"
    for depth in range(5):
        for j in range(12):
            lines.append(f'l:d{depth}_{j} a skos:Concept ; skos:prefLabel "Level {depth} '
                         f'item {j:02d}"@en, "Niveau {depth} élément {j:02d}"@fr ; '
                         f"skos:broader l:{parent} .")
        parent = f"d{depth}_11"
    lines.append('l:d4_11 skos:definition "The concept deep in the long tree."@en .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _serve(workspace: Workspace) -> Iterator[str]:
    import uvicorn

    settings = ServerSettings(timeout=5, workers=1)
    server = uvicorn.Server(uvicorn.Config(create_app(workspace, settings), host="127.0.0.1",
                                           port=0, log_level="warning",
                                           **uvicorn_options(settings)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def long_server(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> Iterator[str]:
    from kg.config import Settings

    path = _long_graph(tmp_path_factory.mktemp("long") / "long.ttl")
    yield from _serve(Workspace(Settings(graph_paths=(path,), cache_dir=session_cache)))


def viewport(browser: DevTools, width: int, height: int, mobile: bool) -> None:
    """Emulate a screen (the first navigation attaches the session the call needs)."""
    if not browser.session:
        browser.open("about:blank")
    browser.send("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


IN_VIEW = ("(() => { const r = document.getElementById('concept-title')"
           ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight"
           " && r.left >= 0 && r.right <= innerWidth; })()")


@pytest.mark.parametrize(("width", "height", "mobile"), [(1400, 1000, False), (390, 844, True)])
def test_concept_card_is_in_view_on_load(long_server: str, browser: DevTools, width: int,
                                         height: int, mobile: bool, tmp_path: Path) -> None:
    viewport(browser, width, height, mobile)
    try:
        deep = L + "d4_11"
        browser.open(f"{long_server}/concept?iri={quote(deep, safe='')}")
        browser.wait_for(f"document.body.dataset.concept === '{deep}'")
        browser.wait_for(f"document.body.dataset.tree === '{deep}'")
        time.sleep(0.2)
        assert browser.js("scrollY") == 0  # the window never scrolled to the tree
        assert browser.js(IN_VIEW), "the concept's heading is off screen"
        card = browser.js("document.getElementById('concept').innerText")
        assert "The concept deep in the long tree." in card
        # the selected row shows inside the tree panel, which scrolled on its own
        assert browser.js("document.getElementById('tree').scrollTop") > 0
        assert browser.js(
            "(() => { const t = document.getElementById('tree').getBoundingClientRect();"
            " const s = document.querySelector('[role=treeitem][aria-selected=true] > .ti')"
            ".getBoundingClientRect(); return s.top >= t.top && s.bottom <= t.bottom; })()")
        if mobile:  # one column: nothing wider than the screen
            assert browser.js("document.documentElement.scrollWidth <= innerWidth")
        screenshot(browser, f"app-concept-{width}.png", tmp_path)
        assert problems(browser, long_server) == []
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")


def test_phone_keyboard_search_and_language(long_server: str, browser: DevTools) -> None:
    viewport(browser, 390, 844, True)
    try:
        browser.open(long_server + "/concept")
        browser.wait_for("document.body.dataset.ready && document.body.dataset.tree")
        tab_to(browser, "a.id === 'search'")
        type_text(browser, "Topic 007")
        browser.wait_for("document.body.dataset.searched")
        press(browser, "Enter")
        browser.wait_for(f"document.body.dataset.concept === '{L}t007'")
        assert browser.js(IN_VIEW)
        # the language switch, by keyboard: the address keeps the choice, labels follow
        tab_to(browser, "a.id === 'lang'", back=True)
        browser.js("(() => { const s = document.getElementById('lang'); s.value = 'fr';"
                   " s.dispatchEvent(new Event('change')); })()")
        browser.wait_for("location.search.includes('lang=fr') && "
                         "document.getElementById('concept-title').innerText === 'Sujet 007'")
        assert browser.js("document.title").startswith("Sujet 007")
        tree = browser.js("[...document.querySelectorAll('#tree [role=treeitem] a')]"
                          ".slice(0, 3).map(a => [a.innerText, a.getAttribute('href')])")
        assert all(label.startswith("Sujet") and href.endswith("&lang=fr") for label, href in tree)
        assert problems(browser, long_server) == []
    finally:
        browser.send("Emulation.clearDeviceMetricsOverride")


def test_concept_page_reads_without_script(server: str, browser: DevTools) -> None:
    browser.open("about:blank")
    browser.send("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.open(f"{server}/concept?iri={quote(V + 'ElectricCar', safe='')}")
        assert browser.js("document.title") == "Electric Car"
        text = browser.js("document.getElementById('concept').innerText")
        assert "rechargeable battery" in text and "Car" in text
        assert browser.js("document.getElementById('view-browse').hidden") is False
        assert browser.js("document.body.dataset.ready") is None  # no script ran
        links = browser.js("[...document.querySelectorAll('#broader a')].map(a => a.href)")
        assert links == [f"{server}/concept?iri={quote(V + 'Car', safe='')}"]
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", {"value": False})


def test_answer_drawing_labels_do_not_overlap_on_screen(server: str, browser: DevTools) -> None:
    for question in ("what is an electric car?", "what are the kinds of vehicle?",
                     "how is a car related to a battery?"):
        browser.open(f"{server}/?q={quote(question)}")
        browser.wait_for("document.body.dataset.answered", timeout=60)
        boxes = browser.js("[...document.querySelectorAll('#ask-graph .node text')].map(t => {"
                           " const r = t.getBoundingClientRect();"
                           " return [r.left, r.top, r.right, r.bottom]; })")
        assert boxes, question
        for (l1, t1, r1, b1), (l2, t2, r2, b2) in itertools.combinations(boxes, 2):
            assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), question
    assert problems(browser, server) == []
