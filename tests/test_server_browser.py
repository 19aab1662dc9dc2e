"""The browser app of ``kg serve`` in headless Chromium, driven over the DevTools protocol.

A real server (uvicorn on loopback) serves the vehicles taxonomy with the real engine; the
tests ask, search, browse and query as a person would, with the mouse and with the
keyboard alone, and check that the page never requests anything from another origin.
Set ``KG_UPDATE_SCREENSHOTS=1`` to write the screenshots into ``docs/img/``.
"""

from __future__ import annotations

import base64
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
    target = DOCS_IMG if os.environ.get("KG_UPDATE_SCREENSHOTS") else tmp_path
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
