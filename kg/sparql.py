"""Read-only SPARQL over one rdflib ``Graph``: checking, running and serialising queries.

Queries come from untrusted places (the command line, HTTP clients), so three rules hold
for every query, whoever runs it:

* **read-only**: every SPARQL Update form is refused, found by parsing the text with the
  update grammar, not by guessing from keywords;
* **no network, no files**: ``SERVICE`` anywhere in the query is refused, and ``FROM`` /
  ``FROM NAMED`` (and the protocol's ``default-graph-uri`` / ``named-graph-uri``) only
  *select* graphs that are already loaded; rdflib is never asked to fetch anything;
* **bounded**: rdflib cannot cancel a running query, so queries run in forked worker
  processes that already hold the graph and are killed at the deadline; rows are capped
  and the cap is reported, never applied silently.

This module knows nothing of HTTP; :mod:`kg.server` and ``kg sparql`` both use
:class:`QueryRunner`.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD, NamespaceManager
from rdflib.term import Node

from kg.errors import ConfigError, ForbiddenQueryError, QueryError, QueryTimeoutError
from kg.namespaces import PREFIXES

__all__ = [
    "GRAPH_IRI",
    "GRAPH_FORMATS",
    "TABULAR_FORMATS",
    "CheckedQuery",
    "QueryRunner",
    "SerializedResult",
    "SparqlResult",
    "check_query",
    "default_format",
    "run_query",
    "serialize",
]

#: The name under which the loaded graph can be selected (FROM, GRAPH, named-graph-uri).
GRAPH_IRI = "urn:x-kg:graph"

_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_TABULAR_KINDS = ("SELECT", "ASK")
_UPDATE_NAMES = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}
# Used only to word the error for text that neither grammar accepts.
_UPDATE_WORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>|#[^\n]*)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
# Builtins whose value changes between runs: results using them are never cached.
_VOLATILE = {"Builtin_NOW", "Builtin_RAND", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE"}

# name -> (media type, kinds it applies to); the registry the CLI and the server share.
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


# --------------------------------------------------------------------------- checking


@dataclass
class CheckedQuery:
    """A query that parsed, is read-only and names no remote resource."""

    text: str
    kind: str
    query: Any  # rdflib.plugins.sparql.sparql.Query, with its dataset clause removed
    from_graphs: tuple[str, ...]
    from_named: tuple[str, ...]
    uses_graph: bool
    volatile: bool


def check_query(
    text: str,
    namespaces: Mapping[str, str] | None = None,
    graphs: Iterable[str] = (GRAPH_IRI,),
) -> CheckedQuery:
    """Parse ``text`` and refuse anything that could write, fetch or misbehave.

    Args:
        text: the SPARQL query.
        namespaces: prefixes predeclared for the query (default: the project's).
        graphs: IRIs of the graphs that FROM / FROM NAMED may select.

    Raises:
        ForbiddenQueryError: an update, a SERVICE clause, or FROM naming an unknown graph.
        QueryError: the text is not a SPARQL query (message gives line, column and a hint).
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(text, str):
        raise QueryError("the query must be text.")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise QueryError("the query is empty; give a SELECT, ASK, CONSTRUCT or DESCRIBE query.")
    try:
        parsed = parseQuery(text)
    except ParseBaseException as exc:
        _refuse_update(text)
        raise QueryError(_syntax_message(exc)) from None
    except RecursionError:
        raise QueryError("the query nests too deeply to parse; simplify it.") from None
    except Exception as exc:  # the tokenizer raises assorted types on odd input
        _refuse_update(text)
        raise QueryError(f"the query could not be parsed: {exc}") from None

    ns = dict(PREFIXES if namespaces is None else namespaces)
    # Binding every predeclared prefix costs more than parsing a small query: bind only
    # those the text can use.
    used = {prefix: iri for prefix, iri in ns.items() if f"{prefix}:" in text}
    try:
        query = translateQuery(parsed, initNs=used)
    except RecursionError:
        raise QueryError("the query nests too deeply to process; simplify it.") from None
    except Exception as exc:
        message = str(exc)
        match = re.search(r"Unknown namespace prefix\s*:\s*(\S*)", message)
        if match:
            known = ", ".join(sorted(ns))
            raise QueryError(
                f"unknown prefix {match.group(1)!r}: declare it with "
                f"'PREFIX {match.group(1)}: <...>', or use a predeclared one ({known})."
            ) from None
        raise QueryError(f"the query could not be translated: {message}") from None

    algebra = query.algebra
    kind = _KINDS.get(algebra.name)
    if kind is None:
        raise QueryError(f"unsupported query form {algebra.name!r}.")

    if kind == "CONSTRUCT" and not algebra.template:
        # CONSTRUCT WHERE: the template is the pattern itself. rdflib finds it only when
        # no LIMIT/ORDER BY wraps the pattern, so set it here.
        bgp = next((n for n in _walk(algebra.p) if isinstance(n, CompValue)
                    and n.name == "BGP"), None)
        algebra["template"] = list(bgp.triples) if bgp is not None else []

    uses_graph = volatile = False
    for node in _walk(algebra):
        if not isinstance(node, CompValue):
            continue
        if node.name == "ServiceGraphPattern":
            raise ForbiddenQueryError(
                f"SERVICE {_show(node.term)} is refused: this tool never makes network "
                "requests. Query the local graph only (remove the SERVICE clause)."
            )
        if node.name == "Graph":
            uses_graph = True
        elif node.name in _VOLATILE:
            volatile = True

    from_graphs: list[str] = []
    from_named: list[str] = []
    known = set(graphs)
    for clause in algebra.datasetClause or ():
        iri = str(clause.default if clause.default is not None else clause.named)
        keyword = "FROM" if clause.default is not None else "FROM NAMED"
        _check_graph_iri(iri, keyword, known)
        (from_graphs if clause.default is not None else from_named).append(iri)
    if algebra.datasetClause:
        # rdflib would load (fetch) the named documents itself; we select graphs instead.
        del algebra["datasetClause"]
    return CheckedQuery(
        text=text,
        kind=kind,
        query=query,
        from_graphs=tuple(from_graphs),
        from_named=tuple(from_named),
        uses_graph=uses_graph,
        volatile=volatile,
    )


def _refuse_update(text: str) -> None:
    """Raise ForbiddenQueryError when ``text`` is a SPARQL Update (any of its forms)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(text)
    except RecursionError:
        update = None
    except Exception:  # not an update either: fall back to wording the error by keyword
        update = None
    operations = list(update.request or ()) if update is not None else []
    if operations:
        names = sorted({_UPDATE_NAMES.get(op.name, op.name) for op in operations})
        raise ForbiddenQueryError(
            f"SPARQL Update ({', '.join(names)}) is refused: the graph is read-only. "
            "Send a SELECT, ASK, CONSTRUCT or DESCRIBE query."
        )
    match = _UPDATE_WORDS.match(text)
    if match:
        raise ForbiddenQueryError(
            f"{match.group(1).upper()} looks like a SPARQL Update, which is refused: the graph "
            "is read-only. Send a SELECT, ASK, CONSTRUCT or DESCRIBE query."
        )


def _syntax_message(exc: Any) -> str:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    source = str(getattr(exc, "line", "") or "")
    msg = getattr(exc, "msg", None) or str(exc)
    where = f"line {line}, column {col}" if line and col else "an unknown position"
    text = f"SPARQL syntax error at {where}: {msg}."
    if source and col and len(source) <= 200:
        text += f"\n  {source}\n  {' ' * (col - 1)}^"
    return (
        text + "\nHint: check the braces, the dots between triple patterns and the "
        "quotes around strings; prefixes such as skos: and ai: need no PREFIX line."
    )


def _check_graph_iri(iri: str, keyword: str, known: set[str]) -> None:
    if iri not in known:
        names = ", ".join(f"<{k}>" for k in sorted(known)) or "none"
        raise ForbiddenQueryError(
            f"{keyword} <{iri}> is refused: no graph of that name is loaded, and this tool "
            f"never fetches graphs from the network or from files. Loaded graphs: {names}; "
            f"leave {keyword} out to query the whole graph."
        )


def _walk(root: Any) -> Iterator[Any]:
    """Every node of an algebra tree, iteratively (queries can nest deeply)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _show(term: Any) -> str:
    return f"<{term}>" if isinstance(term, URIRef) else str(term)


# --------------------------------------------------------------------------- results


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


def default_format(kind: str) -> str:
    """The format used when none is asked for: a table for rows, Turtle for graphs."""
    return "table" if kind in _TABULAR_KINDS else "turtle"


def serialize(
    result: SparqlResult, fmt: str, namespaces: Mapping[str, str] | None = None
) -> bytes:
    """Write ``result`` as ``fmt`` (a name from TABULAR_FORMATS or GRAPH_FORMATS).

    Raises:
        QueryError: the format does not fit the kind of query.
    """
    ns = dict(PREFIXES if namespaces is None else namespaces)
    if result.kind in _TABULAR_KINDS:
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
    out = ['<?xml version="1.0" encoding="utf-8"?>\n'
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
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


# --------------------------------------------------------------------------- evaluation


class _Engine:
    """Runs checked queries in-process; lives inside a worker process."""

    def __init__(self, graph: Graph, cache_size: int = 256) -> None:
        self.graph = graph
        self.namespaces = {**{p: str(n) for p, n in graph.namespaces()}, **PREFIXES}
        self._checked: OrderedDict[str, CheckedQuery] = OrderedDict()
        self._cache_size = cache_size
        self._datasets: dict[tuple[bool, bool], Dataset] = {}

    def check(self, text: str) -> CheckedQuery:
        """check_query with an LRU cache: parsing dominates the cost of small queries."""
        checked = self._checked.get(text)
        if checked is not None:
            self._checked.move_to_end(text)
            return checked
        checked = check_query(text, self.namespaces)
        self._checked[text] = checked
        if len(self._checked) > self._cache_size:
            self._checked.popitem(last=False)
        return checked

    def run(
        self,
        text: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        max_rows: int,
    ) -> tuple[SparqlResult, CheckedQuery]:
        """Check, then evaluate with rows capped at ``max_rows``."""
        from rdflib.plugins.sparql.evaluate import evalQuery

        start = time.perf_counter()
        checked = self.check(text)
        target = self._target(checked, default_graphs, named_graphs)
        result = SparqlResult(kind=checked.kind)
        try:
            out = evalQuery(target, checked.query)
            if checked.kind == "SELECT":
                result.vars = [str(v) for v in out["vars_"]]
                variables = list(out["vars_"])
                for binding in islice(out["bindings"], max_rows + 1):
                    if len(result.rows) == max_rows:
                        result.truncated = True
                        break
                    result.rows.append(tuple(binding.get(v) for v in variables))
            elif checked.kind == "ASK":
                result.boolean = bool(out["askAnswer"])
            else:
                graph: Graph = out["graph"]
                if len(graph) > max_rows:
                    kept = Graph()
                    kept += islice(graph, max_rows)
                    graph, result.truncated = kept, True
                result.graph = graph
        except RecursionError:
            raise QueryError(
                "the query recursed too deeply (a * or + property path over a long chain "
                "does this); bound the path length or walk the chain step by step."
            ) from None
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(f"the query failed while running: {exc}") from None
        result.elapsed = time.perf_counter() - start
        return result, checked

    def _target(
        self,
        checked: CheckedQuery,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
    ) -> Graph:
        """The graph (or dataset) the query runs on; the protocol overrides FROM clauses."""
        if default_graphs is None and named_graphs is None:
            default_graphs, named_graphs = checked.from_graphs, checked.from_named
            if not default_graphs and not named_graphs:
                default_graphs = named_graphs = (GRAPH_IRI,)
        default_graphs = default_graphs or ()
        named_graphs = named_graphs or ()
        for iri in default_graphs:
            _check_graph_iri(iri, "default-graph-uri", {GRAPH_IRI})
        for iri in named_graphs:
            _check_graph_iri(iri, "named-graph-uri", {GRAPH_IRI})
        use_default, use_named = GRAPH_IRI in default_graphs, GRAPH_IRI in named_graphs
        if not checked.uses_graph:
            return self.graph if use_default else Graph()
        key = (use_default, use_named)
        if key not in self._datasets:
            # Built once per worker, and only for queries that use GRAPH: the named graph
            # shares triples with the default graph inside one store.
            dataset = Dataset(default_union=False)
            if use_default:
                dataset.default_context += self.graph
            if use_named:
                named = dataset.graph(URIRef(GRAPH_IRI))
                named += self.graph
            self._datasets[key] = dataset
        return self._datasets[key]


@dataclass
class _Reply:
    """A worker's answer: ``status`` is ok, forbidden or error."""

    status: str
    payload: Any  # SparqlResult / SerializedResult, or the error message
    triples: list[tuple[Node, Node, Node]] | None = None
    restart: bool = False  # the worker exits after sending this
    cacheable: bool = False


def _handle(engine: _Engine, request: tuple[Any, ...]) -> _Reply:
    """Answer one request inside a worker; every failure becomes an error reply."""
    text, default_graphs, named_graphs, max_rows, formats = request
    try:
        result, checked = engine.run(text, default_graphs, named_graphs, max_rows)
        if formats is None:
            if result.graph is None:
                return _Reply("ok", result)
            triples = list(result.graph)  # rdflib graphs travel as plain triples
            result.graph = None
            return _Reply("ok", result, triples=triples)
        tabular, graph_fmt = formats
        fmt = tabular if result.kind in _TABULAR_KINDS else graph_fmt
        if fmt is None:
            body, media = b"", ""
        else:
            body = serialize(result, fmt, engine.namespaces)
            media = (TABULAR_FORMATS if result.kind in _TABULAR_KINDS else GRAPH_FORMATS)[fmt]
        serialized = SerializedResult(
            kind=result.kind,
            format=fmt,
            media_type=media,
            body=body,
            truncated=result.truncated,
            count=result.count,
            elapsed=result.elapsed,
        )
        return _Reply("ok", serialized, cacheable=not checked.volatile)
    except ForbiddenQueryError as exc:
        return _Reply("forbidden", str(exc), cacheable=True)
    except QueryError as exc:
        return _Reply("error", str(exc), cacheable=True)
    except MemoryError:
        return _Reply("error", "the query needed more memory than it may use; narrow it.",
                      restart=True)
    except RecursionError:
        return _Reply("error", "the query recursed too deeply; simplify it.")
    except Exception as exc:  # an engine bug must not kill the worker silently
        return _Reply("error", f"the query failed: {type(exc).__name__}: {exc}", restart=True)


def _worker_main(graph: Graph, conn: Any, others: list[Any], memory_limit: int | None) -> None:
    """Loop of a worker process: receive a request, answer it, until the pipe closes."""
    import rdflib.plugins.sparql as rdflib_sparql

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for other in others:  # pipes of sibling workers, inherited through fork
        other.close()
    _limit_memory(memory_limit)
    # This process only ever evaluates our own datasets, whose default graph is explicit.
    rdflib_sparql.SPARQL_DEFAULT_GRAPH_UNION = False
    engine = _Engine(graph)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        reply = _handle(engine, request)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
        if reply.restart:
            return  # after MemoryError or an engine bug, start afresh


def _limit_memory(limit: int | None) -> None:
    """Cap the worker's address space ``limit`` bytes above what it inherited (Linux)."""
    if not limit:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + limit
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):
        return


def _warm_up() -> None:
    """Import what workers need before forking, so no child imports lazily."""
    import rdflib.plugins.serializers.jsonld  # noqa: F401
    import rdflib.plugins.serializers.nt  # noqa: F401
    import rdflib.plugins.serializers.rdfxml  # noqa: F401
    import rdflib.plugins.serializers.turtle  # noqa: F401

    engine = _Engine(Graph())
    engine.run("ASK { ?s ?p ?o FILTER(STRLEN(?o) > 0) }", None, None, 1)


@dataclass
class _Worker:
    process: Any
    conn: Any


class QueryRunner:
    """A small pool of forked worker processes that answer queries with a deadline.

    Each worker is forked from this process and so shares the graph without copying it.
    A worker that overruns its deadline is killed and replaced; the other workers keep
    answering meanwhile. Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        workers: int = 2,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        memory_limit: int | None = 2 << 30,
        cache_entries: int = 512,
        cache_bytes: int = 64 << 20,
    ) -> None:
        if workers < 1:
            raise ConfigError(f"workers={workers}: use at least one query worker.")
        self.graph = graph
        self.timeout = timeout
        self.max_rows = max_rows
        self.workers = workers
        self._memory_limit = memory_limit
        self._ctx = multiprocessing.get_context("fork")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: list[_Worker] = []
        self._spawn_lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], _Reply] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_entries = cache_entries
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self._closed = False
        self.namespaces = {**{p: str(n) for p, n in graph.namespaces()}, **PREFIXES}
        _warm_up()
        for _ in range(workers):
            self._idle.put(self._spawn())

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            if self._closed:
                raise QueryError("the query runner is closed.")
            parent, child = self._ctx.Pipe(duplex=True)
            others = [w.conn for w in self._all]
            process = self._ctx.Process(
                target=_worker_main,
                args=(self.graph, child, others, self._memory_limit),
                daemon=True,
                name="kg-sparql-worker",
            )
            with warnings.catch_warnings():
                # Python 3.12+ warns about fork in a threaded process (the server's). The
                # child runs only rdflib code whose modules _warm_up imported beforehand,
                # and never touches the parent's threads or their locks.
                warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
                process.start()
            child.close()
            worker = _Worker(process, parent)
            self._all.append(worker)
            return worker

    def _retire(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        with self._spawn_lock:
            if worker in self._all:
                self._all.remove(worker)

    def _call(self, request: tuple[Any, ...], timeout: float) -> _Reply:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeoutError(
                f"all {self.workers} query workers stayed busy for {timeout:g} s; "
                "try again shortly."
            ) from None
        replace = True
        try:
            worker.conn.send(request)
            if not worker.conn.poll(timeout):
                raise QueryTimeoutError(
                    f"the query ran longer than {timeout:g} s and was stopped; narrow it "
                    "(add LIMIT, bind more variables) or raise the timeout."
                )
            reply = worker.conn.recv()
            replace = reply.restart
            return reply
        except (EOFError, OSError):
            raise QueryError("the query engine stopped unexpectedly; try again.") from None
        finally:
            if replace:
                self._retire(worker)
                if not self._closed:
                    self._idle.put(self._spawn())
            else:
                self._idle.put(worker)

    @staticmethod
    def _raise(reply: _Reply) -> None:
        if reply.status == "forbidden":
            raise ForbiddenQueryError(reply.payload)
        if reply.status == "error":
            raise QueryError(reply.payload)

    def run(
        self,
        text: str,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> SparqlResult:
        """Run a query and return its rows or graph.

        ``default_graphs`` / ``named_graphs`` (the protocol's dataset) override the
        query's FROM clauses when either is given; they only select loaded graphs.

        Raises:
            ForbiddenQueryError, QueryTimeoutError, QueryError.
        """
        request = (
            text,
            _tuple(default_graphs),
            _tuple(named_graphs),
            max_rows or self.max_rows,
            None,
        )
        reply = self._call(request, timeout or self.timeout)
        self._raise(reply)
        result: SparqlResult = reply.payload
        if reply.triples is not None:
            graph = Graph()
            for prefix, iri in self.namespaces.items():
                graph.bind(prefix, iri)
            for triple in reply.triples:
                graph.add(triple)
            result.graph = graph
        return result

    def run_serialized(
        self,
        text: str,
        tabular_format: str | None,
        graph_format: str | None,
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> SerializedResult:
        """Run a query and write the result in the worker, in the format for its kind.

        ``SerializedResult.format`` is None when the format for the query's kind is None
        (the caller could not accept it). Results that cannot change (the graph is
        read-only and the query uses no NOW/RAND/UUID/BNODE) are cached.
        """
        request = self._request(text, tabular_format, graph_format, max_rows,
                                default_graphs, named_graphs)
        with self._cache_lock:
            reply = self._cache.get(request)
            if reply is not None:
                self._cache.move_to_end(request)
        if reply is None:
            reply = self._call(request, timeout or self.timeout)
            self._remember(request, reply)
        self._raise(reply)
        return reply.payload

    def cached(
        self,
        text: str,
        tabular_format: str | None,
        graph_format: str | None,
        *,
        max_rows: int | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> SerializedResult | None:
        """The cached answer of :meth:`run_serialized`, or None; never blocks for long.

        Raises the cached error when the same query was refused before.
        """
        request = self._request(text, tabular_format, graph_format, max_rows,
                                default_graphs, named_graphs)
        with self._cache_lock:
            reply = self._cache.get(request)
            if reply is None:
                return None
            self._cache.move_to_end(request)
        self._raise(reply)
        return reply.payload

    def _request(
        self,
        text: str,
        tabular_format: str | None,
        graph_format: str | None,
        max_rows: int | None,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
    ) -> tuple[Any, ...]:
        return (
            text,
            _tuple(default_graphs),
            _tuple(named_graphs),
            max_rows or self.max_rows,
            (tabular_format, graph_format),
        )

    def _remember(self, request: tuple[Any, ...], reply: _Reply) -> None:
        size = _reply_size(reply)
        if not reply.cacheable or size > self._cache_bytes // 16:
            return
        with self._cache_lock:
            if request in self._cache:
                return
            self._cache[request] = reply
            self._cached_bytes += size
            while len(self._cache) > self._cache_entries or self._cached_bytes > self._cache_bytes:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= _reply_size(old)

    def close(self) -> None:
        """Stop every worker."""
        with self._spawn_lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)


def _reply_size(reply: _Reply) -> int:
    payload = reply.payload
    return len(payload.body) if isinstance(payload, SerializedResult) else len(str(payload))


def _tuple(values: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def run_query(
    graph: Graph,
    text: str,
    *,
    timeout: float = 30.0,
    max_rows: int = 10_000,
) -> SparqlResult:
    """Run one query in a forked worker with a wall-clock deadline (for one-shot use)."""
    with QueryRunner(graph, workers=1, timeout=timeout, max_rows=max_rows) as runner:
        return runner.run(text)
