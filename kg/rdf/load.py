"""Read RDF into one rdflib ``Graph``: the single source of truth for everything else.

This is the only loader in the project: the built-in ontology, ``--graph`` files and the
server all come through :func:`load_graph`. It refuses inputs that are unsafe to parse
(XML entity declarations, remote JSON-LD contexts, oversized files) before rdflib sees
them, and turns every parse error into a :class:`~kg.errors.GraphLoadError` naming the
file and line.

rdflib is imported only when something parses: :func:`content_hash` reads the file bytes
alone, so a question answered from a fresh snapshot (:mod:`kg.view.snapshot`) never loads it.
Three stores hold the graph: rdflib's memory store (default), an on-disk Oxigraph store
(:mod:`kg.rdf.store`, for large graphs) and a remote SPARQL endpoint (read through rdflib's
``SPARQLStore``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import GraphLoadError, NotFoundError, UnsafeInputError
from kg.gcpause import gc_paused

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.view.graph_view import RawTriple

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "LoadedGraph",
    "STORES",
    "builtin_sources",
    "content_hash",
    "detect_format",
    "endpoint_hash",
    "resolve_sources",
    "load_graph",
    "parse_bytes",
    "read_raw_triples",
]

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB per input file

# File extension -> rdflib parser name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".n3": "n3",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}
_QUAD_FORMATS = {"trig", "nquads"}
STORES = ("memory", "oxigraph")
_SHAPES_FILE = "shapes.ttl"


@dataclass
class LoadedGraph:
    """An rdflib graph together with where it came from and a hash of its content."""

    graph: Graph
    sources: tuple[str, ...]
    content_hash: str
    builtin: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    store: str = "memory"

    def __len__(self) -> int:
        return len(self.graph)


def builtin_sources() -> list[Path]:
    """The Turtle files of the built-in AI-taxonomy ontology (shapes excluded), sorted."""
    root = resources.files("ontology")
    files = sorted(
        (Path(str(p)) for p in root.iterdir() if p.name.endswith(".ttl")),
        key=lambda p: p.name,
    )
    return [p for p in files if p.name != _SHAPES_FILE]


def builtin_shapes() -> Path:
    """The SHACL shapes shipped with the built-in ontology."""
    return Path(str(resources.files("ontology").joinpath(_SHAPES_FILE)))


def detect_format(path: str | Path, head: bytes) -> str:
    """Pick the rdflib parser from the file extension, else from the first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    text = _decode_head(head).lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return "json-ld"
    if text.startswith("<?xml") or text.startswith("<rdf:RDF") or text.startswith("<!DOCTYPE"):
        return "xml"
    if re.search(r"^\s*(@prefix|@base|PREFIX|BASE)\b", text, re.MULTILINE | re.IGNORECASE):
        return "turtle"
    if re.search(r"^\s*<[^>]*>\s*\{", text, re.MULTILINE):
        return "trig"
    return "turtle"


# The first bytes of an XML document tell its encoding family (XML 1.0, appendix F), with
# or without a byte-order mark; the parser honours this, so our safety check must too.
_XML_SIGNATURES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
)


def _decode_head(data: bytes) -> str:
    """Decode text the way an XML parser would read it (BOM or no BOM)."""
    for signature, encoding in _XML_SIGNATURES:
        if data.startswith(signature):
            return data.decode(encoding, errors="replace")
    text = data.decode("utf-8", errors="replace")
    declared = re.match(r"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", text)
    if declared:
        try:
            return data.decode(declared.group(1), errors="replace")
        except LookupError:
            pass
    return text


def _check_safe(path: str, data: bytes, fmt: str) -> None:
    """Refuse inputs whose parsing would expand entities or fetch from the network."""
    if fmt == "xml":
        text = _decode_head(data)
        if re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE):
            line = text[: re.search(r"<!\s*(DOCTYPE|ENTITY)", text, re.IGNORECASE).start()]
            raise UnsafeInputError(
                path,
                "RDF/XML with a DOCTYPE or entity declarations is refused (entity expansion "
                "can exhaust memory and CPU). Remove the <!DOCTYPE ...> block, or convert the "
                "file to Turtle.",
                line=line.count("\n") + 1,
            )
    elif fmt == "json-ld":
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise GraphLoadError(
                path, f"not valid UTF-8 ({exc.reason}); save it as UTF-8."
            ) from None
        except json.JSONDecodeError as exc:
            raise GraphLoadError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
        except RecursionError:
            raise GraphLoadError(
                path, "the JSON nests too deeply to read; flatten the document."
            ) from None
        for ref in _remote_contexts(doc):
            raise UnsafeInputError(
                path,
                f"the JSON-LD document refers to the context {ref!r}, which would have to "
                "be fetched over the network; this tool never does that. Inline the context "
                "(put the @context object itself in the file).",
            )


def _remote_contexts(node: object) -> Iterable[str]:
    """Yield every @context or @import that names a document instead of inlining it."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    values = value if isinstance(value, list) else [value]
                    for v in values:
                        if isinstance(v, str):
                            yield v
                        else:
                            stack.append(v)
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _line_of(data: bytes, needle: str) -> int | None:
    needle = needle.strip()
    if not needle:
        return None
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if needle in line:
            return number
    return None


def parse_bytes(data: bytes, fmt: str, path: str = "<input>", graph: Graph | None = None) -> Graph:
    """Parse ``data`` as ``fmt`` into ``graph`` (a new one if None), with clear errors."""
    from rdflib import Dataset, Graph

    _check_safe(path, data, fmt)
    target = graph if graph is not None else Graph()
    try:
        if fmt in _QUAD_FORMATS:
            ds = Dataset()
            ds.parse(data=data, format=fmt)
            for s, p, o, _g in ds.quads((None, None, None, None)):
                target.add((s, p, o))
        else:
            target.parse(data=data, format=fmt)
    except UnsafeInputError:
        raise
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GraphLoadError(
            path, f"not valid UTF-8 ({exc.reason}); save it as UTF-8.", line
        ) from None
    except RecursionError:
        raise GraphLoadError(path, "the document nests too deeply to parse.") from None
    except Exception as exc:  # rdflib raises many unrelated types; translate them all here
        raise _translate(path, data, fmt, exc) from None
    return target


def _translate(path: str, data: bytes, fmt: str, exc: Exception) -> GraphLoadError:
    line: int | None = None
    message = str(exc).strip() or type(exc).__name__
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):  # notation3.BadSyntax: 0-based line
        line = lines + 1
        message = getattr(exc, "_why", None) or message
        message = f"{fmt} syntax error: {message}"
    elif hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        line = exc.getLineNumber()
        message = f"RDF/XML error: {exc.getMessage()}"
    elif isinstance(exc, json.JSONDecodeError):
        line = exc.lineno
        message = f"not valid JSON: {exc.msg}"
    else:
        match = re.search(r"Invalid line[^:]*:\s*'?(.+?)'?\s*$", message, re.DOTALL)
        if match:
            line = _line_of(data, match.group(1).strip()[:60])
        message = f"{fmt} parse error: {message.splitlines()[0][:300]}"
    hint = f" Check the file is valid {fmt} (see the line above), or pass the right extension."
    return GraphLoadError(path, message + hint, line=line)


def resolve_sources(
    paths: Sequence[str | Path] | None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[Path], bool]:
    """The files to load (the built-in ontology when ``paths`` is empty), checked to exist
    and to be under ``max_bytes``; returns ``(files, builtin)``."""
    builtin = not paths
    files = builtin_sources() if builtin else [Path(p) for p in paths]  # type: ignore[union-attr]
    for file in files:
        if not file.is_file():
            raise NotFoundError(f"{file}: no such file. Check the path given to --graph.")
        size = file.stat().st_size
        if size > max_bytes:
            raise UnsafeInputError(
                str(file),
                f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes. Raise the "
                "limit with KG_MAX_GRAPH_BYTES if you trust this file.",
            )
    return files, builtin


def _digest_update(digest: hashlib._Hash, file: Path, data: bytes) -> None:
    digest.update(file.name.encode() + b"\0" + hashlib.sha256(data).digest())


def content_hash(
    paths: Sequence[str | Path] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> str:
    """The content hash :func:`load_graph` would report, from the file bytes alone.

    Cheap (no parsing, no rdflib), so caches keyed by it can be checked before deciding
    whether the graph needs parsing at all.
    """
    files, _ = resolve_sources(paths, max_bytes)
    digest = hashlib.sha256()
    for file in files:
        _digest_update(digest, file, file.read_bytes())
    return digest.hexdigest()


def endpoint_hash(url: str, triples: int) -> str:
    """A content key for a remote endpoint: its URL and how many triples it serves."""
    return hashlib.sha256(f"sparql-endpoint\0{url}\0{triples}".encode()).hexdigest()


def load_graph(
    paths: Sequence[str | Path] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    store: str = "memory",
    store_dir: Path | None = None,
    sparql_endpoint: str | None = None,
) -> LoadedGraph:
    """Load the given RDF files (or the built-in ontology when none) into one graph.

    Args:
        paths: RDF files in any supported format; ``None`` or empty loads the built-in
            ontology.
        max_bytes: refuse any single file larger than this.
        store: ``"memory"`` (rdflib, default) or ``"oxigraph"`` (on disk, for large graphs).
        store_dir: where on-disk stores live (one folder per content hash); required for
            ``"oxigraph"``.
        sparql_endpoint: read the graph from this SPARQL endpoint instead of files.

    Raises:
        NotFoundError: a file does not exist.
        GraphLoadError: a file cannot be parsed (message names file and line).
        UnsafeInputError: a file was refused for safety.
        ConfigError: an unknown store, or a store whose package is missing.
    """
    if sparql_endpoint:
        from kg.rdf.store import open_endpoint

        return open_endpoint(sparql_endpoint)
    if store not in STORES:
        from kg.errors import ConfigError

        raise ConfigError(f"unknown store {store!r}; choose one of: {', '.join(STORES)}.")
    files, builtin = resolve_sources(paths, max_bytes)
    if store == "oxigraph":
        from kg.rdf.store import load_oxigraph

        if store_dir is None:
            from kg.errors import ConfigError

            raise ConfigError("the oxigraph store needs a directory (set --cache-dir).")
        return load_oxigraph(files, builtin, store_dir)
    from rdflib import Graph

    from kg.rdf.namespaces import PREFIXES

    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    digest = hashlib.sha256()
    for file in files:
        data = file.read_bytes()
        fmt = detect_format(file, data[:4096])
        parse_bytes(data, fmt, str(file), graph)
        _digest_update(digest, file, data)
    return LoadedGraph(
        graph=graph,
        sources=tuple(str(f) for f in files),
        content_hash=digest.hexdigest(),
        builtin=builtin,
    )


# ------------------------------------------------------------------ raw triples
@gc_paused()
def _oxigraph_rows(data: bytes, fmt: str, bnode_prefix: str = "") -> list[RawTriple] | None:
    """Rows parsed by pyoxigraph (Rust, about 1.5 s per million N-Triples lines), or None
    when it refuses the input (rdflib then parses it and reports the error with its line)."""
    import pyoxigraph as ox

    from kg.rdf.store import _OX_FORMATS

    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    rows: list[RawTriple] = []
    append = rows.append
    try:
        for t in ox.parse(data, format=getattr(ox.RdfFormat, _OX_FORMATS[fmt])):
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
                append((s_id, t.predicate.value, o.value, True, lang.lower() if lang else ""))
            elif kind is named:
                append((s_id, t.predicate.value, o.value, False, ""))
            elif kind is blank:
                append((s_id, t.predicate.value, "_:" + bnode_prefix + o.value, False, ""))
    except (SyntaxError, ValueError, OSError):
        return None
    return rows


def read_raw_triples(
    paths: Sequence[str | Path] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawTriple]:
    """The triples of the files as plain strings, without building an rdflib graph.

    For building the view of a large graph: pyoxigraph parses, rdflib is the fallback (for
    JSON-LD and N3) and the one that reports errors. The same safety checks as
    :func:`load_graph` apply.
    """
    files, _ = resolve_sources(paths, max_bytes)
    for number, file in enumerate(files):
        data = file.read_bytes()
        fmt = detect_format(file, data[:4096])
        _check_safe(str(file), data, fmt)
        prefix = f"f{number}."  # blank nodes of different files are different nodes
        rows: list[RawTriple] | None = None
        if fmt in ("turtle", "nt", "xml", "trig", "nquads"):
            rows = _oxigraph_rows(data, fmt, prefix)
        if rows is None:
            from kg.view.graph_view import raw_triples

            rows = list(raw_triples(parse_bytes(data, fmt, str(file))))
        yield from rows
