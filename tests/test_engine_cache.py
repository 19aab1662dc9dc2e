"""The engine cache: an engine started from it answers exactly like one built afresh, and
a cache that is stale, foreign or damaged is never used."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import orjson
import pytest

from kg.config import Settings
from kg.fingerprint import slot_of
from kg.qa import engine as engine_module
from kg.qa.cache import (
    engine_cache_path,
    engine_tables_path,
    load_prepared,
    remove_prepared,
    save_prepared,
)
from kg.qa.embeddings import get_encoder
from kg.qa.engine import Engine
from kg.workspace import Workspace

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


def _questions() -> list[str]:
    lines = (ROOT / "eval" / "own_qa.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def test_prepared_engine_answers_exactly_like_a_fresh_one(builtin_ws: Workspace) -> None:
    view, index = builtin_ws.view, builtin_ws.get_index()
    fresh = Engine(view, index, get_encoder)
    data = orjson.loads(orjson.dumps(fresh.prepared_data()))  # through JSON, as on disk
    again = Engine(view, index, get_encoder, data)
    questions = _questions()
    assert len(questions) >= 80
    for question in questions:
        assert again.ask(question).to_dict() == fresh.ask(question).to_dict(), question


@pytest.fixture()
def vehicles_cache(session_cache: Path) -> Path:
    ws = Workspace(Settings(graph_paths=(DATA / "qa_vehicles.ttl",), cache_dir=session_cache))
    engine_cache_path(session_cache, ws.engine_key).unlink(missing_ok=True)
    return session_cache


def _ws(cache: Path) -> Workspace:
    return Workspace(Settings(graph_paths=(DATA / "qa_vehicles.ttl",), cache_dir=cache))


def _no_tokenising(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> set[str]:
        raise AssertionError("the engine tokenised the graph instead of using the cache")

    monkeypatch.setattr(engine_module, "graph_vocabulary", refuse)


def test_workspace_writes_the_cache_then_starts_from_it(
    vehicles_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _ws(vehicles_cache)
    expected = first.engine.ask("What kinds of electric vehicles are there?").to_dict()
    assert engine_cache_path(vehicles_cache, first.engine_key).is_file()
    _no_tokenising(monkeypatch)
    second = _ws(vehicles_cache)
    assert second.engine.ask("What kinds of electric vehicles are there?").to_dict() == expected


def test_cache_of_other_code_or_graph_is_not_used(vehicles_cache: Path) -> None:
    ws = _ws(vehicles_cache)
    data = {"matcher": {"table": [], "known": []}, "vocabulary": [], "lexical": {}}
    path = save_prepared(vehicles_cache, ws.engine_key, data)
    assert path is not None and load_prepared(vehicles_cache, ws.engine_key) == data
    assert load_prepared(vehicles_cache, "0" * 64) is None  # another graph
    # the same graph and language, other code (say, an older text normaliser): same slot
    other_code = slot_of(ws.engine_key) + "f" * (len(ws.engine_key) - len(slot_of(ws.engine_key)))
    assert load_prepared(vehicles_cache, other_code) is None
    body = orjson.loads(path.read_bytes())
    body["key"] = other_code  # a file of the right name written by other code
    path.write_bytes(orjson.dumps(body))
    assert load_prepared(vehicles_cache, ws.engine_key) is None
    # writing the cache of other code removes this one (no pile of stale caches)
    save_prepared(vehicles_cache, ws.engine_key, data)
    assert save_prepared(vehicles_cache, other_code, data) is not None
    assert not path.exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00 not json",
        b"[]",
        orjson.dumps({"kind": "kg-engine", "key": "x", "data": {}}),
        None,  # right stamp, wrong structure inside
    ],
)
def test_damaged_cache_is_rebuilt(vehicles_cache: Path, damage: bytes | None) -> None:
    ws = _ws(vehicles_cache)
    path = engine_cache_path(vehicles_cache, ws.engine_key)
    if damage is None:
        save_prepared(vehicles_cache, ws.engine_key, {"matcher": {"table": 5}})
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(damage)
    answer = ws.engine.ask("What is an electric car?")
    assert not answer.abstained and answer.facts
    restored = load_prepared(vehicles_cache, ws.engine_key)
    assert restored is not None and restored["matcher"]["table"]  # rewritten, whole


def test_no_cache_when_snapshots_are_off(vehicles_cache: Path) -> None:
    ws = Workspace(
        Settings(graph_paths=(DATA / "qa_vehicles.ttl",), cache_dir=vehicles_cache, snapshot=False)
    )
    assert ws.engine is not None
    assert not engine_cache_path(vehicles_cache, ws.engine_key).exists()


def test_tables_answer_exactly_like_the_json_cache(builtin_ws: Workspace, tmp_path: Path) -> None:
    """A large graph's engine cache is SQLite tables read on demand: same answers."""
    view, index = builtin_ws.view, builtin_ws.get_index()
    fresh = Engine(view, index, get_encoder)
    assert save_prepared(tmp_path, "t" * 64, fresh.prepared_data(), tables=True) == (
        engine_tables_path(tmp_path, "t" * 64))
    tables = load_prepared(tmp_path, "t" * 64)
    assert tables is not None and not isinstance(tables["vocabulary"], list)
    again = Engine(view, index, get_encoder, tables)
    for question in _questions()[::3] + ["What is a transfromer?", "Who made Xyzzy?"]:
        assert again.ask(question).to_dict() == fresh.ask(question).to_dict(), question
    # what the tables hold reads back whole (in key order), so they can be saved again
    back, whole = again.prepared_data(), fresh.prepared_data()
    for data in (back, whole):
        data["matcher"]["table"] = sorted(data["matcher"]["table"])
        data["matcher"]["retired"] = sorted(data["matcher"]["retired"])
    assert orjson.loads(orjson.dumps(back)) == orjson.loads(orjson.dumps(whole))


def test_stale_or_damaged_tables_are_not_used(vehicles_cache: Path) -> None:
    ws = _ws(vehicles_cache)
    data = ws.engine.prepared_data()
    path = save_prepared(vehicles_cache, ws.engine_key, data, tables=True)
    assert path is not None and load_prepared(vehicles_cache, "0" * 64) is None
    good = path.read_bytes()
    for damage in (good[: len(good) // 2], b"not a database" * 100, b""):
        path.write_bytes(damage)
        assert load_prepared(vehicles_cache, ws.engine_key) != {} and not isinstance(
            (load_prepared(vehicles_cache, ws.engine_key) or {}).get("vocabulary"), Mapping)
    path.write_bytes(good)
    assert isinstance(load_prepared(vehicles_cache, ws.engine_key)["vocabulary"], Mapping)
    assert remove_prepared(vehicles_cache, ws.content_hash) >= 1 and not path.exists()
