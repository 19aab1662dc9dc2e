"""``kg export``: every format is read back with its consumer's reader and compared with the graph.

GraphML and GEXF go through networkx's readers, DOT/SVG/PNG through Graphviz, Cytoscape.js
through a JSON load, the RDF subsets through rdflib, Mermaid through a parser of the flowchart
syntax we emit (and, when ``KG_TEST_MERMAID_JS`` names a ``mermaid.min.js``, through Mermaid in
Chromium), and the HTML viewer through headless Chromium driven over the DevTools protocol.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from devtools import ZOOM_FRAME_MS, DevTools, find_chromium
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import ConfigError, KgError, NotFoundError
from kg.export import FORMATS, export, export_subgraph, resolve_concept, select
from kg.rdf.load import load_graph
from kg.view.graph_view import build_view
from kg.view.phrasing import predicate_phrase
from kg_cli.main import cli, load_command

DATA = Path(__file__).parent / "data"
TINY = DATA / "export_tiny.ttl"
EX = "https://example.org/tiny/"
ISSUE_FORMATS = {"html", "graphml", "gexf", "dot", "svg", "png", "mermaid", "cyjs", "turtle",
                 "jsonld", "ntriples"}
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz `dot` is not installed "
                               "(run scripts/install-system-deps.sh)")


@pytest.fixture(scope="module")
def tiny():
    loaded = load_graph([TINY])
    return loaded.graph, build_view(loaded.graph)


def run(source, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    export(source, fmt, buf, **kw)
    return buf.getvalue()


def expected(view, ids=None):
    """Labels of the nodes and (source, target, label, hierarchy) of the edges to expect."""
    ids = set(select(view)[0]) if ids is None else set(ids)
    labels = {n: view.nx.nodes[n]["label"] for n in ids}
    edges = sorted(
        (u, v, predicate_phrase(view, d["predicate"]), d["hierarchy"])
        for u, v, d in view.nx.edges(data=True)
        if u in ids and v in ids
    )
    return labels, edges


# --------------------------------------------------------------------------- registry & CLI


def test_registry_has_every_format_of_the_issue_and_drives_the_cli_choice():
    assert set(FORMATS) == ISSUE_FORMATS
    option = next(p for p in load_command("export").params if p.name == "fmt")
    assert list(option.type.choices) == list(FORMATS)
    assert [name for name, spec in FORMATS.items() if spec.binary] == ["png"]
    with pytest.raises(ConfigError, match="choose one of"):
        export(Graph(), "pdf", io.StringIO())


def test_whole_graph_keeps_cited_documents_as_attributes(tiny):
    _, view = tiny
    ids, focus = select(view)
    assert focus is None
    assert f"{EX}article-intro" not in ids  # only cited as a source: stays an attribute
    assert {f"{EX}AI", f"{EX}fig-ai-market", f"{EX}OpenAI"} <= set(ids)


# --------------------------------------------------------------------------- GraphML / GEXF


def test_graphml_reads_back_with_networkx(tiny):
    graph, view = tiny
    labels, edges = expected(view)
    g = nx.read_graphml(io.BytesIO(run(graph, "graphml")))
    assert {n: d["label"] for n, d in g.nodes(data=True)} == labels
    got = sorted((u, v, d["label"], d["hierarchy"]) for u, v, d in g.edges(data=True))
    assert got == edges
    fig = g.nodes[f"{EX}fig-ai-market"]
    assert fig["kind"] == "Figure" and fig["value"] == "1.8 trillion USD" and fig["year"] == "2030"
    assert g.nodes[f"{EX}LLM"]["description"].startswith("A language model with <billions>")
    assert g.nodes[f"{EX}AI"]["alt labels"] == "AI"
    edge = g.edges[f"{EX}GPT4", f"{EX}OpenAI"]
    assert edge["predicate"] == "https://example.org/tiny/schema#developedBy"
    assert edge["hierarchy"] is False


def test_gexf_reads_back_with_networkx(tiny):
    graph, view = tiny
    labels, edges = expected(view)
    g = nx.read_gexf(io.BytesIO(run(graph, "gexf")))
    assert {n: d["label"] for n, d in g.nodes(data=True)} == labels
    got = sorted((u, v, d["label"], d["hierarchy"]) for u, v, d in g.edges(data=True))
    assert got == edges
    fig = g.nodes[f"{EX}fig-ai-market"]
    assert fig["kind"] == "Figure" and fig["value"] == "1.8 trillion USD"
    assert set(fig["viz"]) >= {"color", "position", "size"}


def test_literals_become_nodes_only_when_asked(tiny):
    graph, view = tiny
    plain = nx.read_graphml(io.BytesIO(run(graph, "graphml")))
    rich = nx.read_graphml(io.BytesIO(run(graph, "graphml", include_literals=True)))
    literal_nodes = [n for n, d in rich.nodes(data=True) if d["kind"] == "Literal"]
    assert not [n for n, d in plain.nodes(data=True) if d["kind"] == "Literal"]
    values = {rich.nodes[n]["label"] for n in literal_nodes}
    assert {"1.8 trillion USD", "2030", "Algorithms that learn from data."} <= values
    assert rich.number_of_nodes() == plain.number_of_nodes() + len(literal_nodes)
    assert rich.number_of_edges() == plain.number_of_edges() + len(literal_nodes)
    fig_edges = {d["label"] for _, v, d in rich.out_edges(f"{EX}fig-ai-market", data=True)
                 if v in literal_nodes}
    assert fig_edges == {"value", "year"}


# --------------------------------------------------------------------------- Graphviz


def _dot_json(data: bytes) -> dict:
    proc = subprocess.run(["dot", "-Tjson"], input=data, capture_output=True, check=True,
                          timeout=60)
    return json.loads(proc.stdout)


@needs_dot
def test_dot_is_read_by_graphviz(tiny):
    graph, view = tiny
    labels, edges = expected(view)
    doc = _dot_json(run(graph, "dot"))
    objects = [o for o in doc["objects"] if o["name"] != "kg:legend"]
    assert {o["name"]: o["label"].replace("\\n", " ") for o in objects} == labels
    names = {o["_gvid"]: o["name"] for o in doc["objects"]}
    got = sorted((names[e["tail"]], names[e["head"]], e["tooltip"],
                  e.get("arrowhead") == "onormal") for e in doc["edges"])
    assert got == edges
    for e in doc["edges"]:  # hierarchy edges drawn differently from other relations
        if e.get("arrowhead") != "onormal":
            assert e["style"] == "dashed" and e["label"] == e["tooltip"]


@needs_dot
def test_svg_and_png_are_drawn_by_graphviz(tiny):
    graph, view = tiny
    labels, _ = expected(view)
    svg = ET.fromstring(run(graph, "svg"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = svg.findall(".//s:g[@class='node']", ns)
    assert len(groups) == len(labels) + 1  # + the legend
    texts = {"".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert "Robotics & <control>" in texts
    png = run(graph, "png", focus="LLM")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_missing_graphviz_says_how_to_install(tiny, monkeypatch):
    import kg.export.dot as dot

    graph, _ = tiny
    monkeypatch.setattr(dot.shutil, "which", lambda name: None)
    with pytest.raises(KgError, match="apt-get install graphviz") as info:
        run(graph, "svg")
    assert "brew install graphviz" in str(info.value)
    assert run(graph, "dot").startswith(b"digraph")  # DOT itself needs no Graphviz


# --------------------------------------------------------------------------- Mermaid, cyjs


_MM_NODE = re.compile(r'^  (n\d+)\["([^"]*)"\]$')
_MM_EDGE = re.compile(r'^  (n\d+) (-->|-\.->\|"([^"]*)"\|) (n\d+)$')


def _unescape_mermaid(text: str) -> str:
    return html.unescape(text)


def test_mermaid_flowchart_parses_back(tiny):
    graph, view = tiny
    labels, edges = expected(view)
    lines = run(graph, "mermaid").decode().splitlines()
    assert lines[0] == "flowchart BT"
    nodes, got = {}, []
    for line in lines[1:]:
        if m := _MM_NODE.match(line):
            nodes[m.group(1)] = _unescape_mermaid(m.group(2))
        elif m := _MM_EDGE.match(line):
            got.append((m.group(1), m.group(4), m.group(3), m.group(2) == "-->"))
        else:  # everything else is a comment, the legend or styling
            assert re.match(r"^  (%%|subgraph |  |end$|classDef |class )", line), line
    assert sorted(nodes.values()) == sorted(labels.values())
    by_label = {v: k for k, v in labels.items()}
    resolved = sorted((by_label[nodes[s]], by_label[nodes[t]], lab, h) for s, t, lab, h in got)
    assert [(s, t, h) for s, t, _, h in resolved] == [(s, t, h) for s, t, _, h in edges]
    assert [lab for *_, lab, h in resolved if not h] == [lab for *_, lab, h in edges if not h]
    assert "<" not in "".join(nodes)  # raw angle brackets would be stripped by Mermaid


def test_mermaid_fenced_for_markdown_and_size_note(tiny, tmp_path):
    graph, _ = tiny
    out = tmp_path / "graph.md"
    result = CliRunner().invoke(cli, ["export", "--graph", str(TINY), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("```mermaid\nflowchart BT\n") and text.endswith("```\n")


def test_cyjs_loads_as_json(tiny):
    graph, view = tiny
    labels, edges = expected(view)
    doc = json.loads(run(graph, "cyjs"))
    nodes = doc["elements"]["nodes"]
    assert {n["data"]["id"]: n["data"]["name"] for n in nodes} == labels
    got = sorted((e["data"]["source"], e["data"]["target"], e["data"]["interaction"],
                  e["data"]["hierarchy"]) for e in doc["elements"]["edges"])
    assert got == edges
    ids = [e["data"]["id"] for e in doc["elements"]["edges"]] + [n["data"]["id"] for n in nodes]
    assert len(ids) == len(set(ids))
    fig = next(n["data"] for n in nodes if n["data"]["id"] == f"{EX}fig-ai-market")
    assert fig["value"] == "1.8 trillion USD" and fig["kind"] == "Figure"


# --------------------------------------------------------------------------- RDF


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("jsonld", "json-ld"),
                                        ("ntriples", "nt")])
def test_rdf_whole_graph_round_trips(tiny, fmt, parser):
    graph, _ = tiny
    back = Graph().parse(data=run(graph, fmt).decode(), format=parser)
    assert isomorphic(back, graph)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("jsonld", "json-ld"),
                                        ("ntriples", "nt")])
def test_rdf_subset_holds_the_selected_nodes_only(tiny, fmt, parser):
    graph, view = tiny
    ids, _ = select(view, focus="LLM", depth=1)
    back = Graph().parse(data=run(graph, fmt, focus="LLM", depth=1).decode(), format=parser)
    described = {str(s) for s, p, o in back if not str(p).endswith(("prefLabel", "#label"))}
    assert described == set(ids)
    for s in ids:  # every triple of a selected node about literals or selected nodes is kept
        for p, o in graph.predicate_objects(URIRef(s)):
            if not isinstance(o, URIRef) or str(o) in ids:
                assert (URIRef(s), p, o) in back
    assert (URIRef(f"{EX}DL"), None, URIRef(f"{EX}ML")) not in back  # leaves the selection
    assert not list(back.triples((URIRef(f"{EX}AI"), None, None)))


# --------------------------------------------------------------------------- selection


@pytest.mark.parametrize("name", ["Large language model", "large LANGUAGE model", "LLM", "llm",
                                  f"{EX}LLM", "https://EXAMPLE.org/tiny/LLM"])
def test_focus_accepts_label_alt_label_local_name_or_iri(tiny, name):
    _, view = tiny
    assert resolve_concept(view, name) == f"{EX}LLM"


def test_unknown_focus_suggests_close_labels(tiny):
    _, view = tiny
    with pytest.raises(NotFoundError, match="Did you mean: .*Machine learning"):
        resolve_concept(view, "machin lerning")


def test_focus_depth_neighbourhood(tiny):
    _, view = tiny
    assert select(view, focus="DL", depth=0)[0] == [f"{EX}DL"]
    one = {f"{EX}{n}" for n in ("DL", "ML", "LLM", "Transformer")}
    assert set(select(view, focus="deep learning")[0]) == one  # depth 1 by default
    two = set(select(view, focus="deep learning", depth=2)[0])
    assert two == one | {f"{EX}AI", f"{EX}GPT4"}
    with pytest.raises(ConfigError):
        select(view, depth=2)
    with pytest.raises(ConfigError):
        select(view, focus="DL", depth=-1)


def test_types_filter_with_subclasses(tiny):
    _, view = tiny
    assert select(view, types=["Organization"])[0] == [f"{EX}OpenAI"]  # a Company
    assert set(select(view, types=["product", "figure"])[0]) == {f"{EX}GPT4",
                                                                 f"{EX}fig-ai-market"}
    ids = select(view, focus="LLM", depth=1, types=["Field"])[0]
    assert ids == [f"{EX}DL", f"{EX}LLM"]
    with pytest.raises(NotFoundError, match="Did you mean: Organization"):
        select(view, types=["Organisation"])


def test_export_subgraph_for_an_answer(tiny):
    graph, view = tiny
    iris = [f"{EX}GPT4", f"{EX}LLM", "https://example.org/tiny/schema#developedBy", "1.8"]
    buf = io.StringIO()
    result = export_subgraph(view, graph, iris, "cyjs", buf)
    assert (result.nodes, result.edges) == (2, 1)
    doc = json.loads(buf.getvalue())
    assert [e["data"]["interaction"] for e in doc["elements"]["edges"]] == ["is a kind of"]
    with pytest.raises(NotFoundError):
        export_subgraph(view, graph, ["urn:nothing"], "html", io.StringIO())


def test_every_text_format_writes_to_text_and_binary_streams(tiny):
    graph, view = tiny
    for fmt, spec in FORMATS.items():
        if spec.binary or (fmt in ("svg",) and not HAS_DOT):
            continue
        text = io.StringIO()
        export(view, fmt, text, graph=graph, focus="ML")
        assert text.getvalue().encode() == run(graph, fmt, focus="ML"), fmt


def test_output_is_byte_stable_across_processes():
    """Two interpreters with different hash seeds write identical bytes for every format."""
    code = (
        "import hashlib, io, sys\n"
        "from kg.rdf.load import load_graph\n"
        "from kg.export import FORMATS, export\n"
        f"g = load_graph([{str(TINY)!r}]).graph\n"
        "for fmt in FORMATS:\n"
        "    if fmt in ('svg', 'png'):\n"
        "        continue\n"
        "    for kw in ({}, {'focus': 'LLM', 'include_literals': True}):\n"
        "        b = io.BytesIO(); export(g, fmt, b, **kw)\n"
        "        print(fmt, hashlib.sha256(b.getvalue()).hexdigest())\n"
    )
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=env, cwd=Path(__file__).parent.parent, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
    assert len(outs[0].splitlines()) == 2 * (len(FORMATS) - 2)


# --------------------------------------------------------------------------- CLI


def test_cli_writes_stdout_for_text_and_refuses_png():
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--graph", str(TINY), "-f", "mermaid",
                                 "--focus", "deep learning", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart BT")
    result = runner.invoke(cli, ["export", "--graph", str(TINY), "-f", "png", "-o", "-"])
    assert result.exit_code == 2
    assert "binary" in result.output and "-o FILE.png" in result.output


def test_cli_writes_files_atomically_and_infers_the_format(tmp_path):
    runner = CliRunner()
    out = tmp_path / "tiny.graphml"
    result = runner.invoke(cli, ["export", "--graph", str(TINY), "-o", str(out),
                                 "--types", "Field,Product"])
    assert result.exit_code == 0, result.output
    g = nx.read_graphml(out)
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"Field", "Product"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.graphml"]
    assert "wrote" in result.stderr and "nodes" in result.stderr


def test_cli_errors_are_clear_and_leave_no_file(tmp_path):
    runner = CliRunner()
    out = tmp_path / "x.html"
    result = runner.invoke(cli, ["export", "--graph", str(TINY), "--focus", "deep lerning",
                                 "-o", str(out)])
    assert result.exit_code == 1
    assert "Did you mean: Deep learning" in result.output
    assert list(tmp_path.iterdir()) == []
    result = runner.invoke(cli, ["export", "--graph", str(TINY), "--depth", "2", "-o", str(out)])
    assert result.exit_code == 2 and "--focus" in result.output
    result = runner.invoke(cli, ["export", "--graph", str(TINY), "-o", str(tmp_path / "x.bin")])
    assert result.exit_code == 2 and "--format" in result.output


# --------------------------------------------------------------------------- external links

MAPPINGS = DATA / "thesaurus_mappings.ttl"
MAPPED = {"http://vocab.example.net/terms/Pollution",
          "http://encyclopedia.example.org/resource/Pollution",
          "http://vocab.example.net/terms/AcidRain", "http://items.example.org/entity/Q71",
          "http://docs.example.org/acid-rain"}


def test_external_links_are_attributes_unless_included():
    graph = load_graph([MAPPINGS]).graph
    g = nx.read_graphml(io.BytesIO(run(graph, "graphml")))
    assert g.number_of_nodes() == 5 and not MAPPED & set(g.nodes)
    acid = g.nodes["https://example.org/thes/acidRain"]
    assert "exact match: http://vocab.example.net/terms/AcidRain" in acid["external links"]
    assert "same as: http://items.example.org/entity/Q71" in acid["external links"]
    with_ext = nx.read_graphml(io.BytesIO(run(graph, "graphml", include_external=True)))
    assert with_ext.number_of_nodes() == 10 and MAPPED <= set(with_ext.nodes)
    assert with_ext.number_of_edges() == g.number_of_edges() + 6
    assert {with_ext.nodes[n]["kind"] for n in MAPPED} == {"External link"}
    doc = json.loads(run(graph, "cyjs"))
    links = {n["data"]["id"]: n["data"].get("external_links", []) for n in
             doc["elements"]["nodes"]}
    assert {x["iri"] for x in links["https://example.org/thes/pollution"]} == {
        "http://vocab.example.net/terms/Pollution",
        "http://encyclopedia.example.org/resource/Pollution"}
    gexf = nx.read_gexf(io.BytesIO(run(graph, "gexf")))
    assert "docs.example.org/acid-rain" in gexf.nodes["https://example.org/thes/acidRain"][
        "external links"]
    page = run(graph, "html").decode()
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page,
                     re.S)
    nodes = json.loads(data.group(1))["nodes"]
    assert len(nodes) == 5
    assert ["exact match", "http://vocab.example.net/terms/Pollution"] in next(
        n["x"] for n in nodes if n["l"] == "Pollution")
    # The relations are named in words: the collection vocabulary, unlabelled predicates.
    labels = {e["data"]["label"] for e in doc["elements"]["edges"]}
    assert {"has the member", "is in the group", "is related to"} <= labels


def test_cli_include_external(tmp_path):
    runner = CliRunner()
    out = tmp_path / "t.graphml"
    result = runner.invoke(cli, ["export", "--graph", str(MAPPINGS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 nodes" in result.output
    result = runner.invoke(cli, ["export", "--graph", str(MAPPINGS), "--include-external",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "10 nodes" in result.output
    assert nx.read_graphml(out).number_of_nodes() == 10


# --------------------------------------------------------------------------- HTML (static)


def test_html_is_one_self_contained_file(tiny):
    graph, view = tiny
    page = run(graph, "html").decode()
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "default-src 'none'" in page and "connect-src 'none'" in page
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page,
                     re.S)
    doc = json.loads(data.group(1))
    labels, edges = expected(view)
    assert sorted(n["l"] for n in doc["nodes"]) == sorted(labels.values())
    assert len(doc["edges"]) == len(edges)
    assert {k for k, _ in doc["kinds"]} == {"Class", "Company", "Concept", "Field", "Figure",
                                           "Product"}


def test_html_inlines_the_viewer_assets_shipped_as_package_data(tiny):
    """viewer.js and viewer.css are real files of the package, inlined verbatim into the page."""
    import tomllib
    from importlib.resources import files

    from kg.export.html import asset

    graph, _ = tiny
    page = run(graph, "html").decode()
    assets = files("kg.export").joinpath("assets")
    for name in ("viewer.js", "viewer.css"):
        text = assets.joinpath(name).read_text(encoding="utf-8")
        assert len(text) > 1000 and asset(name) == "\n" + text
        assert text in page
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["kg.export"]
    assert {"assets/*.js", "assets/*.css"} <= set(shipped)


def test_export_submodules_do_not_import_the_package_module():
    """The package __init__ only gathers names: no submodule imports from it (no cycle)."""
    package = Path(__file__).parents[1] / "kg" / "export"
    for module in package.glob("*.py"):
        if module.name != "__init__.py":
            assert not re.search(r"^\s*from kg\.export import ", module.read_text(), re.M), module


def test_html_labels_cannot_break_out_of_the_page(tmp_path):
    evil = tmp_path / "export_evil.ttl"
    evil.write_text(
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '<urn:x:a> a skos:Concept ; skos:prefLabel "</script><script>alert(1)</script>" ;\n'
        '  skos:definition "<!-- & <b>bold</b>" ; skos:broader <urn:x:b> .\n'
        '<urn:x:b> a skos:Concept ; skos:prefLabel "B" .\n'
    )
    page = run(load_graph([evil]).graph, "html").decode()
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<!--" not in page


# --------------------------------------------------------------------------- HTML in Chromium


@pytest.fixture(scope="module")
def browser():
    exe = find_chromium()
    if exe is None:
        pytest.skip("Chromium is not installed, so the HTML export is not opened in a browser "
                    "(install it with scripts/install-system-deps.sh or apt-get install "
                    "chromium)")
    client = DevTools(exe)
    yield client
    client.close()


def test_html_draws_in_chromium_without_errors_or_requests(tiny, browser, tmp_path):
    graph, view = tiny
    labels, _ = expected(view)
    page = tmp_path / "tiny.html"
    page.write_bytes(run(graph, "html"))
    browser.open(page.as_uri())
    drawn = browser.wait_for("document.body.dataset.drawn")
    assert int(drawn) == len(labels)
    assert int(browser.js("document.body.dataset.edges")) == len(expected(view)[1])
    legend = browser.js("document.getElementById('legend').innerText")
    assert "Field" in legend and "is a kind of" in legend
    # Clicking a node shows its definition, relations, figures and sources.
    browser.wait_for("document.body.dataset.layout === 'done'")
    x, y = browser.js(f"kgViewer.screenPosition('{EX}fig-ai-market')")
    left, top = browser.js("(() => { const r = document.getElementById('graph')"
                           ".getBoundingClientRect(); return [r.left, r.top]; })()")
    browser.click(left + x, top + y)
    details = browser.wait_for("document.body.dataset.selected === "
                               f"'{EX}fig-ai-market' && document.getElementById('details')"
                               ".innerText")
    assert "AI market size 2030" in details and "1.8 trillion USD" in details
    assert "Article, section Market" in details and "Artificial intelligence" in details
    browser.js(f"kgViewer.select('{EX}LLM')")
    details = browser.js("document.getElementById('details').innerText")
    assert "A language model with <billions>" in details and "uses architecture" in details
    # The search box finds concepts by alternative label.
    hits = browser.js("(() => { const s = document.getElementById('search'); s.value = 'ml';"
                      " s.dispatchEvent(new Event('input')); return document"
                      ".getElementById('results').innerText; })()")
    assert "Machine learning" in hits
    # The hierarchy as a tree: the outline panel and the tree layout.
    browser.js("document.getElementById('tab-tree').click()")
    outline = browser.js("document.getElementById('outline').innerText")
    assert "Artificial intelligence" in outline and "Machine learning" in outline
    browser.js("document.getElementById('btn-tree').click()")
    time.sleep(0.8)
    browser.wait_for("document.body.dataset.drawn")
    assert browser.problems() == []


def test_html_csp_blocks_tampered_scripts(tiny, browser, tmp_path):
    """The page's Content-Security-Policy is live: an edited script is refused (and reported)."""
    graph, _ = tiny
    page = tmp_path / "tampered.html"
    page.write_text(run(graph, "html").decode().replace('"use strict";', '"use strict"; ', 1))
    browser.open(page.as_uri())
    deadline = time.monotonic() + 5
    while not any("Content Security Policy" in p for p in browser.problems()):
        assert time.monotonic() < deadline, "the edited script was not refused"
        time.sleep(0.05)
    assert browser.js("document.body.dataset.drawn") is None


@pytest.mark.skipif(not os.environ.get("KG_TEST_MERMAID_JS"),
                    reason="set KG_TEST_MERMAID_JS to a mermaid.min.js to render in Mermaid")
def test_mermaid_renders_in_mermaid(tiny, browser, tmp_path):
    graph, view = tiny
    labels, _ = expected(view)
    js = Path(os.environ["KG_TEST_MERMAID_JS"]).read_text()
    source = run(graph, "mermaid").decode()
    page = tmp_path / "mermaid.html"
    page.write_text(f'<pre class="mermaid">{html.escape(source)}</pre><script>{js}</script>'
                    "<script>mermaid.initialize({startOnLoad: true});</script>")
    browser.open(page.as_uri())
    texts = browser.wait_for("(() => { const n = document.querySelectorAll('g.node');"
                             " return n.length && [...n].map(e => e.textContent); })()")
    assert set(labels.values()) <= set(texts)


def test_builtin_graph_exports_when_it_has_concepts(tmp_path):
    loaded = load_graph()
    view = build_view(loaded.graph)
    assert any(view.is_concept(n) for n in view.nx)
    labels, edges = expected(view)
    g = nx.read_graphml(io.BytesIO(run(loaded.graph, "graphml")))
    assert g.number_of_nodes() == len(labels) and g.number_of_edges() == len(edges)
    doc = json.loads(run(loaded.graph, "cyjs"))
    assert len(doc["elements"]["nodes"]) == len(labels)
    page = run(loaded.graph, "html")
    assert b"kg-data" in page



def _synthetic_graph(path: Path, n: int) -> None:
    """A taxonomy of ``n`` concepts: a random tree plus a related-to edge on every third."""
    import random

    rng = random.Random(5)
    kinds = ("Field", "Product", "Architecture", "Company", "Dataset")
    lines = ["@prefix ex: <https://example.org/big/> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for i in range(n):
        s = (f'ex:c{i} a skos:Concept, ex:{kinds[i % 5]} ; skos:prefLabel "Concept {i}" ; '
             f'skos:definition "Definition {i}."')
        if i:
            s += f" ; skos:broader ex:c{rng.randrange(i // 4, i)}"
        if i % 3 == 0 and i > 10:
            s += f" ; ex:relatedTo ex:c{rng.randrange(n)}"
        lines.append(s + " .")
    path.write_text("\n".join(lines) + "\n")


def test_html_shows_external_links_in_the_details_panel(browser, tmp_path):
    page = tmp_path / "mappings.html"
    page.write_bytes(run(load_graph([MAPPINGS]).graph, "html"))
    browser.open(page.as_uri())
    browser.wait_for("document.body.dataset.drawn")
    assert browser.js("kgViewer.stats().shown") == 5
    browser.js("kgViewer.select('https://example.org/thes/acidRain')")
    details = browser.js("document.getElementById('details').innerText")
    assert "external links (3)" in details.lower() and "same as" in details
    assert "is in the group" in details and "WASTES, POLLUTANTS, POLLUTION" in details
    hrefs = browser.js("[...document.querySelectorAll('#details a')].map(a => a.href)")
    assert "http://items.example.org/entity/Q71" in hrefs
    assert "Show all" not in browser.js("document.querySelector('header').innerText")
    assert browser.problems() == []


def test_html_opens_a_large_graph_on_its_top_concepts_and_expands(browser, tmp_path):
    """Past 1,500 nodes the viewer draws the top of the hierarchy and grows on demand."""
    source = tmp_path / "export_large.ttl"
    _synthetic_graph(source, 1600)
    page = tmp_path / "large.html"
    page.write_bytes(run(load_graph([source]).graph, "html"))
    browser.open(page.as_uri())
    browser.wait_for("document.body.dataset.drawn")
    shown = browser.js("kgViewer.stats().shown")
    assert 60 <= shown <= 300, shown
    assert int(browser.js("document.body.dataset.drawn")) <= shown
    assert "showing" in browser.js("document.getElementById('counts').innerText")
    assert browser.js("!document.getElementById('btn-all').hidden")
    # Search finds a node that is not drawn yet; choosing it opens its neighbourhood.
    deep = "https://example.org/big/c1599"
    hits = browser.js("(() => { const s = document.getElementById('search');"
                      " s.value = 'Concept 1599'; s.dispatchEvent(new Event('input'));"
                      " return document.getElementById('results').innerText; })()")
    assert "Concept 1599" in hits
    browser.js(f"kgViewer.select('{deep}')")
    after = browser.js("kgViewer.stats().shown")
    assert after > shown
    details = browser.js("document.getElementById('details').innerText")
    assert "Concept 1599" in details and "is a kind of" in details.lower()
    browser.wait_for("document.body.dataset.layout === 'done'", timeout=60)
    x, y = browser.js(f"kgViewer.screenPosition('{deep}')")
    assert 0 <= x <= 1400 and 0 <= y <= 900
    browser.js("document.getElementById('btn-all').click()")
    browser.wait_for("kgViewer.stats().shown === 1600")
    assert browser.js("document.getElementById('btn-all').hidden")
    assert browser.problems() == []


def test_html_big_graph_opens_on_top_concepts_not_collections(browser, tmp_path):
    """A thesaurus like GEMET: many collections (no broader concept either) and a few top
    concepts. The first view holds the top concepts and none of the collections."""
    source = tmp_path / "collections.ttl"
    lines = ["@prefix ex: <https://example.org/coll/> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(1600):
        parent = f" ; skos:broader ex:c{i % 12}" if i >= 12 else ""
        lines.append(f'ex:c{i} a skos:Concept ; skos:prefLabel "Concept {i}"{parent} .')
    for j in range(90):
        members = ", ".join(f"ex:c{k}" for k in range(12 + j, 1600, 90))
        lines.append(f'ex:g{j} a skos:Collection ; rdfs:label "GROUP {j}" ; skos:member {members} .')
    source.write_text("\n".join(lines) + "\n")
    from kg.export.html import first_view
    from kg.export.subgraph import build_subgraph

    view = build_view(load_graph([source]).graph)
    assert first_view(build_subgraph(view, view.nx.nodes)) == [
        f"https://example.org/coll/c{i}" for i in (0, 1, 10, 11, *range(2, 10))]
    page = tmp_path / "collections.html"
    page.write_bytes(run(load_graph([source]).graph, "html"))
    browser.open(page.as_uri())
    browser.wait_for("document.body.dataset.drawn")
    visible = browser.js("kgViewer.visible()")
    assert {f"https://example.org/coll/c{i}" for i in range(12)} <= set(visible)
    assert not any("/coll/g" in iri for iri in visible), "a collection is in the first view"
    drawn = browser.js("(() => { const D = JSON.parse(document.getElementById('kg-data')"
                       ".textContent); return D.top.map(i => D.nodes[i].l); })()")
    assert len(drawn) == 12 and not any(label.startswith("GROUP") for label in drawn)
    assert browser.problems() == []


@pytest.mark.slow
def test_html_stays_smooth_with_5000_nodes(browser, tmp_path):
    """5,000 nodes: opens on the top levels; with all shown a layout step stays well under a
    frame and redraws run at interactive rates."""
    source = tmp_path / "export_big.ttl"
    _synthetic_graph(source, 5000)
    page = tmp_path / "big.html"
    page.write_bytes(run(load_graph([source]).graph, "html"))
    browser.open(page.as_uri())
    browser.wait_for("document.body.dataset.drawn")
    assert browser.js("kgViewer.stats().shown") <= 300
    browser.js("kgViewer.showAll()")
    assert int(browser.wait_for("document.body.dataset.drawn === '5000' && 5000")) == 5000
    browser.wait_for("kgViewer.stats().ticks >= 20")
    frame_ms = browser.js(ZOOM_FRAME_MS)
    stats = browser.js("kgViewer.stats()")
    assert stats["tickMs"] < 50, stats
    assert frame_ms < 150, frame_ms  # software rendering, layout still running
    assert browser.problems() == []


@needs_dot
def test_large_graphs_are_drawn_with_sfdp_in_seconds(tmp_path):
    """dot's layered layout takes minutes past a few hundred labelled edges; sfdp does not."""
    source = tmp_path / "export_mid.ttl"
    _synthetic_graph(source, 400)
    graph = load_graph([source]).graph
    buf = io.StringIO()
    started = time.monotonic()
    result = export(graph, "svg", buf)
    assert time.monotonic() - started < 60
    assert any("sfdp" in note for note in result.notes)
    svg = ET.fromstring(buf.getvalue())
    nodes = svg.findall(".//{http://www.w3.org/2000/svg}g[@class='node']")
    assert len(nodes) == 400 + 1  # + the legend
    assert "layout=sfdp" in run(graph, "dot").decode()
    assert "layout=sfdp" not in run(graph, "dot", focus="c7", depth=1).decode()
