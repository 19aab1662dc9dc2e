"""SPARQL results: what a query returned, and its writers for every format we serve.

The tabular writers are hand-written (a few lines each) because rdflib's drop falsy
literals such as 0 and "" from XML results; graph results go through rdflib's
serializers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.term import Node

from kg.errors import QueryError
from kg.rdf.namespaces import PREFIXES

__all__ = [
    "GRAPH_FORMATS",
    "TABULAR_FORMATS",
    "TABULAR_KINDS",
    "SerializedResult",
    "SparqlResult",
    "default_format",
    "serialize",
    "serialized",
]

TABULAR_KINDS = ("SELECT", "ASK")
TABULAR_FORMATS: dict[str, str] = {
    "table": "text/plain; charset=utf-8",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_FORMATS: dict[str, str] = {
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
}
_RDFLIB_GRAPH_FORMAT = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml"}


@dataclass
class SparqlResult:
    """What a query returned: rows for SELECT/ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    graph: Graph | None = None
    truncated: bool = False
    elapsed: float = 0.0
    boolean: bool | None = None

    @property
    def count(self) -> int:
        """Rows returned (triples for a graph result)."""
        return len(self.graph) if self.graph is not None else len(self.rows)


@dataclass
class SerializedResult:
    """A result already written in one format, ready to send."""

    kind: str
    format: str | None  # None: the requested formats do not fit this kind of query
    media_type: str
    body: bytes
    truncated: bool
    count: int
    elapsed: float


def serialized(result: SparqlResult, tabular: str | None, graph: str | None,
               namespaces: Mapping[str, str] | None = None) -> SerializedResult:
    """``result`` written in ``tabular`` (rows, a boolean) or ``graph`` (triples): the one
    place a local or passed-through answer is made ready to send. A format of None for the
    result's kind gives an empty body."""
    fmt = tabular if result.kind in TABULAR_KINDS else graph
    if fmt is None:
        body, media = b"", ""
    else:
        body = serialize(result, fmt, namespaces)
        media = (TABULAR_FORMATS if result.kind in TABULAR_KINDS else GRAPH_FORMATS)[fmt]
    return SerializedResult(kind=result.kind, format=fmt, media_type=media, body=body,
                            truncated=result.truncated, count=result.count,
                            elapsed=result.elapsed)


def default_format(kind: str) -> str:
    """The format used when none is asked for: a table for rows, Turtle for graphs."""
    return "table" if kind in TABULAR_KINDS else "turtle"


def serialize(result: SparqlResult, fmt: str, namespaces: Mapping[str, str] | None = None) -> bytes:
    """Write ``result`` as ``fmt`` (a name from TABULAR_FORMATS or GRAPH_FORMATS).

    Raises:
        QueryError: the format does not fit the kind of query.
    """
    ns = dict(PREFIXES if namespaces is None else namespaces)
    if result.kind in TABULAR_KINDS:
        if fmt not in TABULAR_FORMATS:
            raise QueryError(
                f"--format {fmt} is for CONSTRUCT/DESCRIBE results; a {result.kind} result "
                f"can be written as {', '.join(TABULAR_FORMATS)}."
            )
        writer = {
            "table": _write_table,
            "json": _write_json,
            "xml": _write_xml,
            "csv": _write_csv,
            "tsv": _write_tsv,
        }[fmt]
        return writer(result, ns)
    if fmt == "json":
        fmt = "jsonld"
    if fmt not in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for SELECT/ASK results; a {result.kind} result can be "
            f"written as {', '.join(GRAPH_FORMATS)}."
        )
    graph = result.graph if result.graph is not None else Graph()
    for prefix, iri in ns.items():
        graph.bind(prefix, iri, override=False)
    out = graph.serialize(format=_RDFLIB_GRAPH_FORMAT[fmt], encoding="utf-8")
    return out if isinstance(out, bytes) else out.encode("utf-8")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def _write_json(result: SparqlResult, ns: Mapping[str, str]) -> bytes:
    if result.kind == "ASK":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: _json_term(t) for v, t in zip(result.vars, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": result.vars}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _write_xml(result: SparqlResult, ns: Mapping[str, str]) -> bytes:
    # Written by hand: rdflib's writer drops falsy literals such as 0 and "".
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    ]
    if result.kind == "ASK":
        out.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n")
    else:
        out.extend(f'<variable name="{escape(v)}"/>' for v in result.vars)
        out.append("</head>\n<results>\n")
        for row in result.rows:
            out.append("<result>")
            for var, term in zip(result.vars, row, strict=True):
                if term is not None:
                    out.append(f'<binding name="{escape(var)}">{_xml_term(term)}</binding>')
            out.append("</result>\n")
        out.append("</results>\n")
    out.append("</sparql>\n")
    return "".join(out).encode("utf-8")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    attrs = ""
    if term.language:
        attrs = f' xml:lang="{escape(term.language)}"'
    elif term.datatype is not None:
        attrs = f' datatype="{escape(str(term.datatype))}"'
    return f"<literal{attrs}>{escape(str(term))}</literal>"


def _write_csv(result: SparqlResult, ns: Mapping[str, str]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.vars)
        for row in result.rows:
            writer.writerow(["" if t is None else _csv_term(t) for t in row])
    return stream.getvalue().encode("utf-8")


def _csv_term(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _write_tsv(result: SparqlResult, ns: Mapping[str, str]) -> bytes:
    if result.kind == "ASK":
        return b"?_askResult\ntrue\n" if result.boolean else b"?_askResult\nfalse\n"
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _tsv_term(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: Node) -> str:
    """A term in N-Triples syntax on one line, as the TSV results format asks."""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return f"<{term}>"
    assert isinstance(term, Literal)
    text = str(term)
    for raw, escaped in _TSV_ESCAPES:
        text = text.replace(raw, escaped)
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


_TSV_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"))


def _write_table(result: SparqlResult, ns: Mapping[str, str]) -> bytes:
    if result.kind == "ASK":
        return b"true\n" if result.boolean else b"false\n"
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in ns.items():
        manager.bind(prefix, iri, override=True)
    cells = [[_table_term(t, manager) for t in row] for row in result.rows]
    widths = [len(v) for v in result.vars]
    for row in cells:
        widths = [min(max(w, len(c)), 80) for w, c in zip(widths, row, strict=True)]

    def fmt_row(values: Sequence[str]) -> str:
        parts = [_clip(v, w).ljust(w) for v, w in zip(values, widths, strict=True)]
        return " | ".join(parts).rstrip()

    lines = [fmt_row(result.vars), "-+-".join("-" * w for w in widths)]
    lines.extend(fmt_row(row) for row in cells)
    noun = "row" if len(cells) == 1 else "rows"
    lines.append(f"({len(cells)} {noun})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _table_term(term: Node | None, manager: NamespaceManager) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return manager.curie(term, generate=False)
        except (KeyError, ValueError):
            return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = re.sub(r"[\t\r\n]+", " ", str(term))
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            if term.datatype in (XSD.integer, XSD.decimal, XSD.double, XSD.boolean):
                return text
            return f'"{text}"^^{_table_term(term.datatype, manager)}'
        return text
    return str(term)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
