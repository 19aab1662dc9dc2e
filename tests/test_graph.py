"""The RDF loader: formats, clear errors with line numbers, unsafe inputs refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import BOMB

from kg.errors import GraphLoadError, NotFoundError, UnsafeInputError
from kg.rdf.load import builtin_sources, detect_format, load_graph

TTL = """@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a a skos:Concept ; skos:prefLabel "A"@en ; skos:broader ex:b .
ex:b a skos:Concept ; skos:prefLabel "B"@en .
"""



def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_builtin_ontology_loads_without_shapes() -> None:
    names = [p.name for p in builtin_sources()]
    assert "shapes.ttl" not in names and names
    loaded = load_graph()
    assert loaded.builtin and len(loaded.graph) > 1000


def test_formats_round_trip(tmp_path: Path) -> None:
    base = load_graph([write(tmp_path, "a.ttl", TTL)]).graph
    for ext, fmt in [(".nt", "nt"), (".rdf", "xml"), (".jsonld", "json-ld"), (".trig", "trig")]:
        path = tmp_path / f"copy{ext}"
        path.write_bytes(base.serialize(format=fmt, encoding="utf-8"))
        again = load_graph([path]).graph
        assert len(again) == len(base), ext


def test_format_detected_from_content_without_extension() -> None:
    assert detect_format("x", b'{"@id": "http://a"}') == "json-ld"
    assert detect_format("x", b"<?xml version='1.0'?><rdf:RDF/>") == "xml"
    assert detect_format("x", b"@prefix a: <http://a/> .") == "turtle"


def test_turtle_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.ttl", TTL + "ex:c ex:p ;; .\n")
    with pytest.raises(GraphLoadError) as err:
        load_graph([path])
    assert err.value.line == 5
    assert "bad.ttl:5" in str(err.value)


def test_ntriples_and_xml_errors_have_lines(tmp_path: Path) -> None:
    nt = write(tmp_path, "bad.nt", "<http://a> <http://b> <http://c> .\n<http://a> <http://b> x .\n")
    with pytest.raises(GraphLoadError) as err:
        load_graph([nt])
    assert err.value.line == 2
    xml = write(tmp_path, "bad.rdf", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
                '"http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a>\n</rdf:RDF>\n')
    with pytest.raises(GraphLoadError) as err:
        load_graph([xml])
    assert err.value.line == 4


def test_entity_bomb_is_refused_before_any_parser_sees_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rdflib alone spends minutes on this file; the refusal happens before it parses."""
    import rdflib

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the bomb reached the parser")

    monkeypatch.setattr(rdflib.Graph, "parse", never)
    path = write(tmp_path, "bomb.rdf", BOMB)
    with pytest.raises(UnsafeInputError, match="entity"):
        load_graph([path])


def test_utf16_entity_declaration_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb16.rdf", BOMB.encode("utf-16"))
    with pytest.raises(UnsafeInputError):
        load_graph([path])


def test_remote_jsonld_context_is_never_fetched(tmp_path: Path) -> None:
    doc = {"@context": ["http://127.0.0.1:9/ctx.jsonld", {"ex": "http://ex/"}],
           "@id": "ex:a", "ex:p": "v"}
    path = write(tmp_path, "remote.jsonld", json.dumps(doc))
    with pytest.raises(UnsafeInputError, match="never does that"):
        load_graph([path])
    nested = {"@graph": [{"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "http://a"}]}
    with pytest.raises(UnsafeInputError):
        load_graph([write(tmp_path, "nested.jsonld", json.dumps(nested))])


def test_size_limit_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", TTL)
    with pytest.raises(UnsafeInputError, match="over the limit"):
        load_graph([path], max_bytes=10)
    with pytest.raises(NotFoundError):
        load_graph([tmp_path / "nope.ttl"])


def test_invalid_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bin.ttl", b'<http://a> <http://b> "\xff\xfe" .\n')
    with pytest.raises(GraphLoadError):
        load_graph([path])


def test_content_hash_follows_content(tmp_path: Path) -> None:
    path = write(tmp_path, "a.ttl", TTL)
    first = load_graph([path]).content_hash
    assert load_graph([path]).content_hash == first
    path.write_text(TTL + 'ex:c a <http://www.w3.org/2004/02/skos/core#Concept> .\n')
    assert load_graph([path]).content_hash != first
