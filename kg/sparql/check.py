"""Checking SPARQL text before anything runs it: read-only, local, and well formed.

Queries come from untrusted places (the command line, HTTP clients). Two checks exist:

* :func:`check_query` parses with rdflib's grammar and refuses every SPARQL Update form,
  any ``SERVICE`` clause, and ``FROM`` / ``FROM NAMED`` naming a graph that is not loaded.
  It is thorough but slow (pyparsing: milliseconds per query).
* :func:`screen_query` clears most queries without parsing. A text is cleared only when,
  after undoing ``\\u`` escapes, the letters ``service`` and ``from`` appear nowhere in it
  (so no engine can read a SERVICE clause or a dataset clause into it) and it opens with
  SELECT, ASK, CONSTRUCT or DESCRIBE after its prologue. Every other text goes through
  :func:`check_query`. A cleared text that is not valid SPARQL fails in the engine, and
  :func:`check_query` then words the error (and refuses it if it is an update).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from kg.errors import ForbiddenQueryError, QueryError
from kg.rdf.namespaces import PREFIXES
from kg.rdf.terms import DATA_GRAPH

__all__ = [
    "GRAPH_IRI",
    "CheckedQuery",
    "check_graph_iri",
    "check_query",
    "missing_prefixes",
    "screen_query",
]

#: The name under which the loaded graph can be selected (FROM, GRAPH, named-graph-uri).
GRAPH_IRI = DATA_GRAPH

_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
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
# The prologue of a query or update: PREFIX and BASE declarations, and comments.
_PROLOGUE = r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>|#[^\n]*)\s*)*"
# Used only to word the error for text that neither grammar accepts.
_UPDATE_WORDS = re.compile(
    _PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
# Builtins whose value changes between runs: results using them are never cached.
_VOLATILE = {"Builtin_NOW", "Builtin_RAND", "Builtin_UUID", "Builtin_STRUUID", "Builtin_BNODE"}

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
    #: predeclared prefixes the text uses without declaring them itself
    prefixes: dict[str, str] = field(default_factory=dict)
    #: the text mentions SERVICE somewhere (even in a string): evaluate it with rdflib,
    #: whose parse found no SERVICE clause, never with an engine that could follow one
    rdflib_only: bool = False


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
        bgp = next(
            (n for n in _walk(algebra.p) if isinstance(n, CompValue) and n.name == "BGP"), None
        )
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
        check_graph_iri(iri, keyword, known)
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


def check_graph_iri(iri: str, keyword: str, known: set[str]) -> None:
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


# --------------------------------------------------------------------------- screening

_FORM = re.compile(_PROLOGUE + r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Case-insensitive with Unicode folding on purpose: it matches more than any engine's
# keyword reader does (for instance a long s), never less.
_NEEDS_PARSE = re.compile(r"service|from", re.IGNORECASE)
_SERVICE = re.compile(r"service", re.IGNORECASE)
_VOLATILE_CALL = re.compile(r"(?:NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
_DECLARED = re.compile(r"PREFIX\s+([^\s:]*):", re.IGNORECASE)


def _unescape(text: str) -> str:
    """Undo SPARQL codepoint escapes, which the standard applies before parsing."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"

    return _CODEPOINT.sub(char, text)


def screen_query(
    text: str,
    namespaces: Mapping[str, str] | None = None,
    graphs: Iterable[str] = (GRAPH_IRI,),
) -> CheckedQuery:
    """Clear ``text`` cheaply when that is safe, else run :func:`check_query` on it.

    A cleared query has ``query=None``: it was not parsed, and the engine that runs it
    reports syntax errors (through :func:`check_query`, for a readable message).

    Raises:
        ForbiddenQueryError, QueryError: as :func:`check_query`.
    """
    if not isinstance(text, str):
        raise QueryError("the query must be text.")
    text = text.lstrip("\ufeff")
    ns = dict(PREFIXES if namespaces is None else namespaces)
    plain = _unescape(text)
    form = _FORM.match(plain)
    if form is None or _NEEDS_PARSE.search(plain):
        checked = check_query(text, ns, graphs)
        checked.prefixes = missing_prefixes(text, ns)
        checked.rdflib_only = _SERVICE.search(plain) is not None
        return checked
    return CheckedQuery(
        text=text,
        kind=form.group(1).upper(),
        query=None,
        from_graphs=(),
        from_named=(),
        uses_graph=True,
        volatile=_VOLATILE_CALL.search(plain) is not None,
        prefixes=missing_prefixes(text, ns),
    )


def missing_prefixes(text: str, ns: Mapping[str, str]) -> dict[str, str]:
    """Predeclared prefixes that ``text`` uses and does not declare itself."""
    declared = set(_DECLARED.findall(text))
    return {p: iri for p, iri in ns.items() if p not in declared and f"{p}:" in text}
