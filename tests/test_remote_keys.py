"""The setup read of a large endpoint split by predicate (kg.rdf.remote_keys), against real
servers: Oxigraph (`oxigraph serve-read-only`) and `kg serve` with a silent row cap. It must
give exactly the triples of the read over all the setup predicates at once, without any
query that counts or lists keys over several predicates, with unfiltered key lists read in
pages; blank subjects and blank objects stay out as before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import serve_kg

import kg.rdf.remote_keys as remote_keys
from kg.rdf.load import read_raw_triples
from kg.rdf.remote import Endpoint
from kg.rdf.remote_graph import setup_triples
from kg.rdf.remote_keys import KeySet

DATA = Path(__file__).parent / "data"
FILES = ["qa_vehicles.ttl", "vocab_obo.ttl", "vocab_thesaurus.ttl", "thesaurus_mappings.ttl"]


def _aggregates(endpoint: Endpoint) -> list[str]:
    """The queries that count or list keys (not the batch reads of given keys)."""
    return [q for q in endpoint.sent if "COUNT(" in q or q.startswith("SELECT DISTINCT ?s")]


@pytest.mark.parametrize("name", FILES)
def test_split_setup_reads_what_the_joined_one_reads(name: str, oxigraph_endpoint,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = oxigraph_endpoint(DATA / name)
    monkeypatch.setattr(remote_keys, "KEY_PAGE", 4)  # every key list in several pages
    joined, split = Endpoint(url, page=7), Endpoint(url, page=7)
    expected = list(setup_triples(joined))
    assert expected
    assert list(setup_triples(split, split=True)) == expected
    counted = _aggregates(split)
    assert counted and not any("VALUES ?p" in q for q in counted)
    assert any("LIMIT 4 OFFSET 4" in q for q in counted)  # paged, not one long answer
    # the keys are counted and listed without a filter unless blank subjects show up
    # (their rows are not read: the IRIs' are counted again, filtered)
    listed = {m for q in counted for m in re.findall(r"\?s <([^>]+)> \?", q)}
    blank_keys = any(s.startswith("_:") and p in listed
                     for s, p, *_ in read_raw_triples([DATA / name]))
    assert any("FILTER" in q for q in counted) == blank_keys


def test_blank_subjects_and_objects_stay_out(oxigraph_endpoint) -> None:
    triples = list(read_raw_triples([DATA / "vocab_obo.ttl"]))
    assert any(s.startswith("_:") for s, *_ in triples)  # OWL axioms and restrictions
    assert any(not lit and o.startswith("_:") for _, _, o, lit, _ in triples)
    found = list(setup_triples(Endpoint(oxigraph_endpoint(DATA / "vocab_obo.ttl")),
                               split=True))
    assert found and not any(s.startswith("_:") or (not lit and o.startswith("_:"))
                             for s, _, o, lit, _ in found)


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The thesaurus behind a server that silently returns at most 5 rows."""
    yield from serve_kg(DATA / "vocab_thesaurus.ttl", tmp_path_factory.mktemp("capped"),
                        "--max-rows", "5")


def test_split_setup_survives_a_silent_cap(capped: str) -> None:
    """Each key list comes back cut at the cap: counted again filtered, then read by key
    order; the triples are still the whole setup."""
    joined, split = Endpoint(capped), Endpoint(capped)
    expected = list(setup_triples(joined))
    assert len(expected) > 5
    assert list(setup_triples(split, split=True)) == expected
    assert split.page == 5  # the cap was learnt
    assert any("ORDER BY STR(?s)" in q for q in split.sent)  # listed by key order


def test_keys_of_several_parts_are_kept_once_in_order() -> None:
    keys = KeySet()
    try:
        keys.add(["b", "a", "b"])
        assert keys.listed() == 2 and keys.kept() == 2
        keys.add(["c", "x"])
        keys.drop()  # a part listed again
        keys.add(["c", "a", "é", "Z"])
        assert keys.kept() == 4
        assert keys.total() == 5
        assert keys.take(2) + keys.take(10) == sorted(["a", "b", "c", "é", "Z"])
    finally:
        keys.close()
