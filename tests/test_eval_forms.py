"""The forms set tooling: list and multi-hop keys are read from the graph (eval/forms/build.py)
and scored from the answer text (bench/forms.py)."""

import importlib.util
import json
from pathlib import Path

import pytest
from forms import FORM_ORDER, LIST_FORMS, score  # bench/forms.py (path set in conftest)

ROOT = Path(__file__).resolve().parent.parent


def _build_module():
    spec = importlib.util.spec_from_file_location("forms_build", ROOT / "eval/forms/build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build = _build_module()


@pytest.fixture(scope="module")
def builtin():
    return build.Data("builtin", build.GRAPHS["builtin"]())


def test_list_key_reads_one_link_kept_to_a_class(builtin):
    exp = build.expect(builtin, "list",
                       "Deep Learning #requires ~Role = Data Scientists ; ML Engineers")
    assert exp == {"names": ["Data Scientists", "ML Engineers"], "hops": 1}
    # without the class the link also reaches the hardware
    exp = build.expect(builtin, "list", "Deep Learning #requires = Computing Resources ; "
                       "Data Scientists ; GPU Clusters ; ML Engineers ; TPU")
    assert len(exp["names"]) == 5


def test_multihop_key_follows_two_links_and_records_the_way(builtin):
    exp = build.expect(builtin, "multihop",
                       "Code Generation #useCaseOf ~Product #developedBy = OpenAI ; Microsoft")
    assert exp["names"] == ["Microsoft", "OpenAI"]
    assert exp["via"] == [["Codex", "Copilot"]]
    # the start is never its own answer: Google makes AI chips and Bard
    exp = build.expect(builtin, "multihop", "AI Chips #developedBy #develops = Bard")
    assert exp["names"] == ["Bard"]
    with pytest.raises(SystemExit, match="the graph gives"):
        build.expect(builtin, "multihop", "AI Chips #developedBy #develops = AI Chips ; Bard")


def test_multihop_written_answer_is_checked_against_the_graph(builtin):
    with pytest.raises(SystemExit, match="the graph gives"):
        build.expect(builtin, "multihop", "Code Generation #useCaseOf #developedBy = Google")
    with pytest.raises(SystemExit, match="one link"):
        build.expect(builtin, "list", "Code Generation #useCaseOf #developedBy = OpenAI")
    with pytest.raises(SystemExit, match="two or more links"):
        build.expect(builtin, "multihop", "Keras #hasUseCase = Chatbots ; Image Classification")
    with pytest.raises(SystemExit, match="reaches nothing"):
        build.expect(builtin, "multihop", "Diffusion Models #architectureOf ~Product "
                     "#developedBy = OpenAI")
    with pytest.raises(SystemExit, match="no class"):
        build.expect(builtin, "list", "Deep Learning #requires ~Person = Data Scientists")
    with pytest.raises(SystemExit, match="no link"):
        build.expect(builtin, "list", "Deep Learning #makes = Data Scientists")
    with pytest.raises(SystemExit, match="want"):
        build.expect(builtin, "list", "Deep Learning #requires")


def test_blind_build_writes_every_row_to_forms_blind(tmp_path, monkeypatch):
    (tmp_path / "blind").mkdir()
    (tmp_path / "blind" / "builtin.txt").write_text(
        "// test\n"
        "multihop | Keras #hasUseCase #appliedIn = Customer Service | where do keras chatbots go\n"
        "narrower | Roles | what roles are there\n", encoding="utf-8")
    monkeypatch.setattr(build, "HERE", tmp_path)
    assert build.main(["build.py", "--blind"]) == 0
    rows = [json.loads(x) for x in (tmp_path / "forms_blind.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["blind-builtin-multihop-01", "blind-builtin-narrower-01"]
    assert rows[0]["expect"]["names"] == ["Customer Service"]
    assert not (tmp_path / "forms_dev.jsonl").exists()


def test_list_and_multihop_are_scored_on_every_name_said():
    assert {"list", "multihop"} <= set(FORM_ORDER) and "list" in LIST_FORMS
    exp = {"names": ["Adobe", "Netflix", "Spotify", "The New York Times"], "hops": 1}
    r = score("list", exp, "Adobe, Netflix, Spotify and the New York Times use it.")
    assert r["right"] and r["first"] and r["complete"] == 1.0
    r = score("list", exp, "Generative AI is used by Netflix and Spotify. Adobe too.")
    assert not r["right"] and r["complete"] == 0.75 and not r["first"]
    hop = {"names": ["Microsoft", "OpenAI"], "hops": 2, "via": [["Codex", "Copilot"]]}
    # the answer need not say the concept passed on the way
    assert score("multihop", hop, "OpenAI and Microsoft.")["right"]
    r = score("multihop", hop, "Codex and Copilot are used for code generation. "
              "They are made by OpenAI and Microsoft.")
    assert r["right"] and not r["first"]
    assert not score("multihop", hop, "Codex is made by OpenAI.")["right"]


def test_a_long_list_may_count_the_rest_when_it_says_how_to_see_them():
    names = [f"term{k}" for k in range(45)]
    said = ", ".join(names[:30])
    shown = f"X has 45 narrower concepts: {said} and 15 more (a full answer lists every one)."
    assert score("narrower", {"names": names}, shown)["right"]
    assert score("narrower", {"names": names}, shown)["complete"] < 1
    # fewer than 30 names, or no total, is not enough
    short = f"X has 45 narrower concepts: {', '.join(names[:29])} and 16 more (full)."
    assert not score("narrower", {"names": names}, short)["right"]
    untold = f"X has narrower concepts: {said} and more (a full answer lists every one)."
    assert not score("narrower", {"names": names}, untold)["right"]
