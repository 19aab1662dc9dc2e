"""Read RDF into one rdflib ``Graph``: the single source of truth for everything else.

This is the only loader in the project: the built-in ontology, ``--graph`` files and the
server all come through :func:`load_graph`. It refuses inputs that are unsafe to parse
(XML entity declarations, remote JSON-LD contexts, oversized files) before rdflib sees
them, and turns every parse error into a :class:`~kg.errors.GraphLoadError` naming the
file and line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import GraphLoadError, NotFoundError, UnsafeInputError
from kg.namespaces import PREFIXES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "LoadedGraph",
    "builtin_sources",
    "detect_format",
    "load_graph",
    "parse_bytes",
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
_SHAPES_FILE = "shapes.ttl"


@dataclass
class LoadedGraph:
    """An rdflib graph together with where it came from and a hash of its content."""

    graph: Graph
    sources: tuple[str, ...]
    content_hash: str
    builtin: bool = False
    extra: dict[str, str] = field(default_factory=dict)

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


def _decode_head(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


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
        match = re.search(r"Invalid line:\s*(.+)$", message)
        if match:
            line = _line_of(data, match.group(1)[:60])
        message = f"{fmt} parse error: {message.splitlines()[0][:300]}"
    hint = f" Check the file is valid {fmt} (see the line above), or pass the right extension."
    return GraphLoadError(path, message + hint, line=line)


def load_graph(
    paths: Sequence[str | Path] | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadedGraph:
    """Load the given RDF files (or the built-in ontology when none) into one graph.

    Args:
        paths: RDF files in any supported format; ``None`` or empty loads the built-in
            ontology.
        max_bytes: refuse any single file larger than this.

    Raises:
        NotFoundError: a file does not exist.
        GraphLoadError: a file cannot be parsed (message names file and line).
        UnsafeInputError: a file was refused for safety.
    """
    builtin = not paths
    files = builtin_sources() if builtin else [Path(p) for p in paths]  # type: ignore[union-attr]
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    digest = hashlib.sha256()
    for file in files:
        name = str(file)
        if not file.is_file():
            raise NotFoundError(f"{name}: no such file. Check the path given to --graph.")
        size = file.stat().st_size
        if size > max_bytes:
            raise UnsafeInputError(
                name,
                f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes. Raise the "
                "limit with KG_MAX_GRAPH_BYTES if you trust this file.",
            )
        data = file.read_bytes()
        fmt = detect_format(file, data[:4096])
        parse_bytes(data, fmt, name, graph)
        digest.update(file.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return LoadedGraph(
        graph=graph,
        sources=tuple(str(f) for f in files),
        content_hash=digest.hexdigest(),
        builtin=builtin,
    )
