"""The index's id table: every row and every IRI found from the mapped file, collisions
told apart by text, and a table that is missing, damaged or made from other entities is
never used (it is made again from entities.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg.qa.id_table as id_table
from kg.qa.documents import Document
from kg.qa.embeddings import MODEL_ID, get_encoder
from kg.qa.id_table import IdTable, table_bytes
from kg.qa.index import build_index, load_index

IRIS = ["http://ex/a", "http://ex/b", "http://ex/ç/é", "urn:x:1", "http://ex/long/" + "z" * 300]


def test_rows_and_positions_round_trip() -> None:
    table = IdTable(table_bytes(IRIS))
    assert len(table) == len(IRIS) and list(table) == IRIS
    assert table[-1] == IRIS[-1] and table[1:3] == IRIS[1:3]
    for row, iri in enumerate(IRIS):
        assert table.position(iri) == row and iri in table
    assert table.position("http://ex/c") is None and "http://ex/c" not in table
    with pytest.raises(IndexError):
        table[len(IRIS)]


def test_colliding_hashes_are_told_apart_by_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(id_table, "_hash", lambda iri: 42)  # every IRI in one bucket
    table = IdTable(table_bytes(IRIS))
    assert [table.position(iri) for iri in IRIS] == list(range(len(IRIS)))
    assert table.position("http://ex/missing") is None


def test_truncated_or_foreign_bytes_are_refused() -> None:
    data = table_bytes(IRIS)
    with pytest.raises(ValueError):
        IdTable(data[:-3])
    with pytest.raises(ValueError):
        IdTable(b"NOTATABLE" + data[9:])


DOCS = [Document(f"http://ex/{i}", f"Document number {i} about topic {i % 3}.")
        for i in range(6)]


def _built(cache: Path) -> Path:
    return build_index(DOCS, get_encoder("numpy"), cache, "h1").path


def test_a_loaded_index_finds_rows_through_its_table(tmp_path: Path) -> None:
    folder = _built(tmp_path)
    assert (folder / "ids.table").is_file() and (folder / "ids.json").is_file()
    loaded = load_index(tmp_path, "h1", MODEL_ID, 384)
    assert isinstance(loaded.ids, IdTable)
    assert list(loaded.ids) == [d.iri for d in DOCS]
    for row, doc in enumerate(DOCS):
        assert loaded.position(doc.iri) == row
        assert loaded.vector(doc.iri) is not None
    assert loaded.position("http://ex/none") is None
    query = get_encoder("numpy").encode(["Document number 4 about topic 1."])
    assert loaded.search(query, 1)[0][0][0] == "http://ex/4"


@pytest.mark.parametrize("harm", ["missing", "damaged", "other entities"])
def test_a_bad_table_is_made_again(tmp_path: Path, harm: str) -> None:
    folder = _built(tmp_path)
    table, sidecar = folder / "ids.table", folder / "ids.json"
    if harm == "missing":
        table.unlink()
    elif harm == "damaged":  # same size, one IRI's letter changed: only the checksum tells
        data = bytearray(table.read_bytes())
        data[-1] ^= 1
        table.write_bytes(bytes(data))
    else:
        meta = json.loads(sidecar.read_text())
        sidecar.write_text(json.dumps({**meta, "entities": "0" * 64}))
    loaded = load_index(tmp_path, "h1", MODEL_ID, 384)
    assert list(loaded.ids) == [d.iri for d in DOCS]
    assert loaded.position(DOCS[-1].iri) == len(DOCS) - 1
    again = load_index(tmp_path, "h1", MODEL_ID, 384)  # and the table made again is used
    assert isinstance(again.ids, IdTable) and list(again.ids) == [d.iri for d in DOCS]


def test_a_table_that_cannot_be_written_leaves_a_whole_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The table is derived: a build or a load that cannot write it still gives a whole
    index, whose rows are then found through the list of entities."""
    import kg.qa.index as index_module

    def refuse(*_: object) -> None:
        raise OSError("read-only")

    monkeypatch.setattr(index_module, "write_table", refuse)
    folder = _built(tmp_path)
    assert not (folder / "ids.table").exists()
    loaded = load_index(tmp_path, "h1", MODEL_ID, 384)
    assert not isinstance(loaded.ids, IdTable)
    assert list(loaded.ids) == [d.iri for d in DOCS] and loaded.position(DOCS[2].iri) == 2
