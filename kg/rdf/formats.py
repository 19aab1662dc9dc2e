"""The one table of RDF input formats and stores, and the safety check every input passes.

Each format has an rdflib parser name (the key everything else uses) and, where pyoxigraph
reads it, a pyoxigraph ``RdfFormat`` name. :func:`check_safe` refuses inputs whose parsing
would expand XML entities or fetch a JSON-LD context over the network, before any parser
sees them; every reader of files calls it (through :func:`kg.rdf.sources.read_sources`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from kg.config import STORES  # re-exported: the loader's store names
from kg.errors import GraphLoadError, UnsafeInputError

__all__ = [
    "FORMATS",
    "OXIGRAPH_FORMATS",
    "QUAD_FORMATS",
    "STORES",
    "check_safe",
    "decode_head",
    "detect_format",
]

#: File extension -> rdflib parser name.
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
#: rdflib parser name -> pyoxigraph ``RdfFormat`` attribute.
OXIGRAPH_FORMATS: dict[str, str] = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "n3": "N3",
    "xml": "RDF_XML",
    "json-ld": "JSON_LD",
    "trig": "TRIG",
    "nquads": "N_QUADS",
}
#: Formats that carry named graphs; the project folds them into its one graph.
QUAD_FORMATS = frozenset({"trig", "nquads"})


def detect_format(path: str | Path, head: bytes) -> str:
    """Pick the rdflib parser from the file extension, else from the first bytes."""
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    text = decode_head(head).lstrip("\ufeff \t\r\n")
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


def decode_head(data: bytes) -> str:
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


def check_safe(path: str, data: bytes, fmt: str) -> None:
    """Refuse inputs whose parsing would expand entities or fetch from the network.

    Raises:
        UnsafeInputError: an XML DOCTYPE/entity declaration, or a remote JSON-LD context.
        GraphLoadError: a JSON-LD file that is not UTF-8 JSON.
    """
    if fmt == "xml":
        text = decode_head(data)
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
