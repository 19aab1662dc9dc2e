"""The app's drawings: laid out in layers, labels never overlapping, only what is stated.

The answer drawing of every dev-set question is laid out by the server and its label
boxes (from the layout's own positions and widths) are checked pairwise; the browser test
measures the drawn boxes in the DOM as well.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kg.server.app import ServerSettings, create_app
from kg.server.drawing import Edge, label_box, layered
from kg.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev_qa.jsonl"


def overlaps(drawing: dict[str, Any]) -> list[tuple[str, str]]:
    """Pairs of nodes whose label boxes intersect."""
    found = []
    for a, b in itertools.combinations(drawing["nodes"], 2):
        l1, t1, r1, b1 = label_box(a)
        l2, t2, r2, b2 = label_box(b)
        if l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1:
            found.append((a["label"], b["label"]))
    return found


def test_layers_put_broader_above_and_wrap_wide_rows() -> None:
    nodes = [{"iri": "top", "label": "Top"}] + [
        {"iri": f"n{i}", "label": f"A rather long concept label number {i}"} for i in range(30)]
    edges = [Edge(f"n{i}", "broader", "top", "", True) for i in range(30)]
    drawing = layered(nodes, edges)
    at = {n["iri"]: n for n in drawing["nodes"]}
    assert all(at[f"n{i}"]["y"] > at["top"]["y"] for i in range(30))
    assert len({at[f"n{i}"]["y"] for i in range(30)}) > 1  # the wide layer wrapped
    assert overlaps(drawing) == []
    assert all(0 <= n["x"] - n["w"] / 2 and n["x"] + n["w"] / 2 <= drawing["width"]
               for n in drawing["nodes"])
    assert not any(e["show"] for e in drawing["edges"])  # hierarchy: the arrow says it


def test_cycles_and_parallel_edges_are_drawn_once_labelled() -> None:
    nodes = [{"iri": x, "label": x} for x in "abc"]
    edges = [Edge("a", "p", "b", "uses", False), Edge("b", "q", "a", "is used by", False),
             Edge("b", "p", "c", "uses", False), Edge("c", "p", "a", "uses", False)]
    drawing = layered(nodes, edges)
    assert overlaps(drawing) == []
    shown = [e for e in drawing["edges"] if e["show"]]
    assert len(shown) == 3  # a-b carries one label for both directions
    assert layered(nodes, edges) == drawing  # deterministic


@pytest.fixture(scope="module")
def client(builtin_ws: Workspace) -> Iterator[TestClient]:
    builtin_ws.engine  # noqa: B018 - load the model once, before the questions
    with TestClient(create_app(builtin_ws, ServerSettings(workers=1))) as c:
        yield c


def _questions() -> list[str]:
    if not DEV.is_file():
        pytest.skip("../shared/eval/dev_qa.jsonl is not beside the checkout")
    return [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line.strip()]


def test_dev_set_answer_drawings_have_no_overlapping_labels(client: TestClient,
                                                            builtin_ws: Workspace) -> None:
    view = builtin_ws.view
    drawn = 0
    for question in _questions():
        answer = client.get("/ask", params={"q": question}).json()
        drawing = client.post("/api/drawing", json=answer).json()
        assert overlaps(drawing) == [], question
        spoken = [t for f in answer["facts"] if f["spoken"] for t in f["triples"]]
        named = {t["subject"] for t in spoken} | {t["object"] for t in spoken}
        for node in drawing["nodes"]:
            # only what the answer states, and never a claim or table cell as a node
            assert node["iri"] in named and not view.is_data(node["iri"]), (question, node)
        for edge in drawing["edges"]:
            assert any({edge["s"], edge["o"]} == {t["subject"], t["object"]} for t in spoken)
        drawn += bool(drawing["nodes"])
    assert drawn >= 30  # nearly every question draws something


def test_the_gan_vae_drawing_is_small_and_has_no_claims(client: TestClient) -> None:
    answer = client.get("/ask", params={"q": "how do GANs differ from VAEs?"}).json()
    drawing = client.post("/api/drawing", json=answer).json()
    labels = [n["label"] for n in drawing["nodes"]]
    assert "Generative Adversarial Networks" in labels and len(labels) <= 8
    assert not any(e["label"] == "is the subject of the claim" for e in drawing["edges"])


def test_drawing_route_refuses_what_is_not_an_answer(client: TestClient) -> None:
    assert client.post("/api/drawing", content=b"not json").status_code == 400
    assert client.post("/api/drawing", json=[1, 2]).status_code == 400
    assert client.post("/api/drawing", json={"facts": []}).json()["nodes"] == []


def test_ask_draws_in_the_same_round_trip_when_asked(client: TestClient) -> None:
    plain = client.get("/ask", params={"q": "what is deep learning?"}).json()
    assert "drawing" not in plain  # kg ask --json's schema, unchanged
    drawn = client.get("/ask", params={"q": "what is deep learning?", "draw": "1"}).json()
    assert drawn["drawing"] == client.post("/api/drawing", json=plain).json()
    assert drawn["drawing"]["nodes"]
