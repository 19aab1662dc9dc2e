"""Parsed RDF as plain-string triples: the one converter from rdflib or pyoxigraph terms.

Making rdflib terms by the million is slow, and the networkx view needs only strings, so
the view is built from :data:`RawTriple` rows. They come from pyoxigraph's parser (a
file), from an Oxigraph store, or from any rdflib graph; all three paths write blank nodes
and languages the same way, so the view is the same whichever one was used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kg.gcpause import gc_paused
from kg.rdf.formats import OXIGRAPH_FORMATS
from kg.rdf.terms import DATA_GRAPH

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["RawTriple", "from_oxigraph", "parse_raw", "raw_triples"]

# One triple in plain strings, whatever store it came from:
# (subject id, predicate IRI, object, object is a literal, language).
# Blank nodes are written ``_:id``; ``language`` is "" for IRIs and untagged literals.
RawTriple = tuple[str, str, str, bool, str]

# Formats pyoxigraph parses for the view; rdflib reads N3 and JSON-LD more completely.
_PARSED_BY_OXIGRAPH = frozenset({"turtle", "nt", "xml", "trig", "nquads"})


def from_oxigraph(items: Iterable[Any], bnode_prefix: str = "") -> Iterator[RawTriple]:
    """Rows of pyoxigraph triples or quads (the graph name is ignored); literal subjects
    (RDF 1.2 triple terms) are skipped. ``bnode_prefix`` keeps blank nodes of different
    files apart."""
    import pyoxigraph as ox

    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    for t in items:
        s, o = t.subject, t.object
        kind = type(s)
        if kind is named:
            s_id = s.value
        elif kind is blank:
            s_id = "_:" + bnode_prefix + s.value
        else:
            continue
        kind = type(o)
        if kind is literal:
            lang = o.language
            yield s_id, t.predicate.value, o.value, True, lang.lower() if lang else ""
        elif kind is named:
            yield s_id, t.predicate.value, o.value, False, ""
        elif kind is blank:
            yield s_id, t.predicate.value, "_:" + bnode_prefix + o.value, False, ""


@gc_paused()
def parse_raw(data: bytes, fmt: str, bnode_prefix: str = "") -> list[RawTriple] | None:
    """Rows parsed by pyoxigraph (Rust, about 1.5 s per million N-Triples lines), or None
    when it refuses the input or cannot read the format (rdflib then parses it and reports
    any error with its line)."""
    import pyoxigraph as ox

    if fmt not in _PARSED_BY_OXIGRAPH:
        return None
    try:
        rows = ox.parse(data, format=getattr(ox.RdfFormat, OXIGRAPH_FORMATS[fmt]))
        return list(from_oxigraph(rows, bnode_prefix))
    except (SyntaxError, ValueError, OSError):
        return None


def raw_triples(graph: Graph) -> Iterator[RawTriple]:
    """The triples of an rdflib graph as :data:`RawTriple` (straight from pyoxigraph when
    the graph sits in an Oxigraph store: converting its terms to rdflib's costs seconds)."""
    from kg.rdf.store import oxigraph_of

    inner = oxigraph_of(graph)
    if inner is not None:
        import pyoxigraph as ox

        yield from from_oxigraph(inner.quads_for_pattern(None, None, None,
                                                         ox.NamedNode(DATA_GRAPH)))
        return
    from rdflib import BNode, Literal, URIRef

    for s, p, o in graph:
        if not isinstance(s, URIRef | BNode):
            continue
        s_id = f"_:{s}" if isinstance(s, BNode) else str(s)
        if isinstance(o, Literal):
            yield s_id, str(p), str(o), True, (o.language or "").lower()
        elif isinstance(o, URIRef | BNode):
            yield s_id, str(p), f"_:{o}" if isinstance(o, BNode) else str(o), False, ""
