"""``kg ask``, ``kg search``, ``kg path``, ``kg index`` and ``kg eval`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg_cli.main import cli

DATA = Path(__file__).parent / "data"
GRAPH = ["--graph", str(DATA / "qa_vehicles.ttl")]


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, [*args], input=stdin, catch_exceptions=False)


def test_ask_prints_answer_and_sources() -> None:
    r = run("ask", *GRAPH, "What is a bicycle?")
    assert r.exit_code == 0
    assert "Bicycle: A two-wheeled vehicle moved by pedalling." in r.output
    assert "Sources: [1] Owner's manual, chapter 1" in r.output


def test_ask_json_schema() -> None:
    r = run("ask", *GRAPH, "--json", "Who makes electric cars?")
    data = json.loads(r.output)
    assert data["question"] == "Who makes electric cars?"
    assert data["abstained"] is False
    assert data["entities"][0]["iri"].startswith("http://example.org/vehicles/")
    assert data["sparql"].startswith("SELECT")


def test_ask_explain_shows_triples_and_sparql() -> None:
    r = run("ask", *GRAPH, "--explain", "Who makes electric cars?")
    assert "Facts:" in r.output and "SPARQL:" in r.output and "VALUES" in r.output


def test_batch_jsonl_keeps_ids(tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "q1", "question": "What is a car?"}\n'
                     '{"id": "q2", "question": "who invented the bicycle?"}\n', encoding="utf-8")
    r = run("ask", *GRAPH, "--batch", str(batch))
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert [x["id"] for x in lines] == ["q1", "q2"]
    assert lines[0]["abstained"] is False and lines[1]["abstained"] is True


def test_batch_plain_lines_from_stdin() -> None:
    r = run("ask", *GRAPH, "--batch", "-", stdin="What is a car?\n\nWhat is a bike?\n")
    assert len(r.output.splitlines()) == 2


def test_batch_bad_json_line_is_a_usage_error(tmp_path: Path) -> None:
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "question": 5}\n', encoding="utf-8")
    r = CliRunner().invoke(cli, ["ask", *GRAPH, "--batch", str(batch)])
    assert r.exit_code == 2 and "line 1" in r.output


def test_interactive_prompt_answers_until_empty_line() -> None:
    r = run("ask", *GRAPH, stdin="What is a car?\n\n")
    assert "Car: A four-wheeled road vehicle" in r.output


def test_malformed_graph_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://ex/> .\nex:a ex:b .\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["ask", "--graph", str(bad), "what?"])
    assert r.exit_code == 2
    assert "bad.ttl:2" in r.output and "Traceback" not in r.output


def test_search_and_path() -> None:
    r = run("search", *GRAPH, "battery powered car", "--json")
    hits = json.loads(r.output)
    assert hits[0]["label"] in {"Electric Car", "Battery"}
    r = run("path", *GRAPH, "bike", "electric car")
    assert r.exit_code == 0
    assert "Bicycle" in r.output and "Electric Car" in r.output and "Vehicle" in r.output
    r = CliRunner().invoke(cli, ["path", *GRAPH, "bike", "submarine"])
    assert r.exit_code != 0 and "submarine" in r.output


def test_index_status_build_clear(tmp_path: Path) -> None:
    cache = ["--cache-dir", str(tmp_path)]
    r = CliRunner().invoke(cli, ["index", "status", *GRAPH, *cache])
    assert r.exit_code == 1 and r.output.startswith("missing")
    r = run("index", "build", *GRAPH, *cache)
    assert "built" in r.output
    r = run("index", "status", *GRAPH, *cache, "--json")
    assert json.loads(r.output)["state"] == "ready"
    r = run("index", "clear", *cache)
    assert "removed 1 index folder(s)" in r.output


def test_index_clear_removes_every_cache_of_a_graph(tmp_path: Path) -> None:
    """Index, view snapshot, engine cache and Oxigraph store all go, in every language;
    foreign files stay."""
    cache = ["--cache-dir", str(tmp_path)]
    run("ask", *GRAPH, *cache, "What is a bicycle?")
    run("ask", *GRAPH, *cache, "--lang", "fr", "What is a bicycle?")
    run("sparql", *GRAPH, *cache, "--store", "oxigraph", "ASK { ?s ?p ?o }")
    run("ask", "--graph", str(DATA / "export_tiny.ttl"), *cache, "what is AI?")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert all(any((tmp_path / d).iterdir()) for d in ("index", "snapshot", "oxigraph"))
    snapshots = sorted((tmp_path / "snapshot").iterdir())
    assert len(snapshots) == 6  # a view snapshot and an engine cache per graph and language

    r = run("index", "clear", *GRAPH, *cache, "--json")
    one = json.loads(r.output)
    assert (one["indexes"], one["snapshots"], one["engine_caches"], one["stores"]) == (2, 2, 2, 1)
    assert len(list((tmp_path / "snapshot").iterdir())) == 2  # the other graph's are kept
    assert not any((tmp_path / "oxigraph").iterdir())

    r = run("index", "clear", *cache)
    assert "removed 1 index folder(s), 1 view snapshot(s), 1 engine cache(s)" in r.output
    assert "notes.txt (not written by kg)" in r.output
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert [p for p in left if not p.startswith("models/")] == ["notes.txt"]


def test_eval_runs_three_systems(tmp_path: Path) -> None:
    qa = tmp_path / "qa.jsonl"
    rows = [
        {"id": "v1", "question": "What is an EV?", "type": "definition",
         "gold_entities": ["Electric Car"], "expect_abstain": False,
         "gold_facts": [{"text": "runs on electricity", "keywords": [["electricity"]]}]},
        {"id": "v2", "question": "When was the bike invented?", "type": "unanswerable",
         "gold_entities": [], "gold_facts": [], "expect_abstain": True},
    ]
    qa.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    r = run("eval", *GRAPH, str(qa), "--json")  # the built-in scorer: runs anywhere
    metrics = json.loads(r.output)
    assert set(metrics) == {"graph", "bm25", "dense"}
    assert metrics["graph"]["score"] == 100.0
    assert metrics["graph"]["precision"]["lead"] == 1.0


def test_ask_export_writes_the_subgraph_behind_the_answer(tmp_path: Path) -> None:
    import networkx as nx

    out = tmp_path / "answer.graphml"
    r = run("ask", *GRAPH, "--export", str(out), "Who makes electric cars?")
    assert r.exit_code == 0
    g = nx.read_graphml(out)
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert {"Electric Car", "Voltia Motors"} <= labels
    r = CliRunner().invoke(cli, ["ask", *GRAPH, "--export", str(tmp_path / "x.unknown"), "What is a car?"])
    assert r.exit_code == 2 and "extension" in r.output
