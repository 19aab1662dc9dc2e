"""Reading HTTP requests strictly: parameters, bodies, charsets and content negotiation.

Every malformed input becomes a 4xx with a message that says what to send instead; the
routes never see bytes they would have to guess about.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request

__all__ = [
    "FORMAT_PARAM",
    "GRAPH_MEDIA",
    "TABULAR_MEDIA",
    "W3C_FORMAT",
    "content_type",
    "decode_body",
    "formats",
    "int_param",
    "media",
    "merge",
    "negotiate",
    "parse_params",
    "prefers_html",
    "query_params",
    "read_body",
    "require_utf8",
]

# Media type -> format name, per kind of result, in order of preference.
TABULAR_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/plain": "table",
}
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
# ``format`` parameter (for browsers and SPARQLWrapper) -> (tabular, graph) format names.
FORMAT_PARAM: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "xml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "table": ("table", None),
    "text": ("table", "ntriples"),
    "txt": ("table", "ntriples"),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "turtle"),
    "ntriples": (None, "ntriples"),
    "nt": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "rdf": (None, "xml"),
    "rdfxml": (None, "xml"),
    "rdf+xml": (None, "xml"),
}
W3C_FORMAT = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}
_UTF8 = {"utf-8", "utf8"}


def query_params(request: Request) -> dict[str, list[str]]:
    """The URL's parameters, decoded strictly as UTF-8."""
    raw = request.scope.get("query_string", b"")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the URL query string is not valid UTF-8.") from None
    return parse_params(text, "URL")


def parse_params(data: bytes | str, where: str) -> dict[str, list[str]]:
    """Decode form/URL parameters strictly: bad percent-escapes or UTF-8 are a 400."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=200)
    except UnicodeDecodeError:
        raise HTTPException(400, f"the {where} parameters are not valid UTF-8.") from None
    except ValueError as exc:
        raise HTTPException(400, f"the {where} parameters are malformed: {exc}") from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def merge(a: dict[str, list[str]], b: dict[str, list[str]]) -> dict[str, list[str]]:
    """Parameters of the URL and of the body together (values of both kept)."""
    out = {k: list(v) for k, v in a.items()}
    for key, values in b.items():
        out.setdefault(key, []).extend(values)
    return out


def content_type(request: Request) -> tuple[str, str]:
    """(media type, charset) of the request body; the charset defaults to UTF-8."""
    raw = request.headers.get("content-type", "")
    media_type, _, rest = raw.partition(";")
    charset = "utf-8"
    for part in rest.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def require_utf8(charset: str) -> None:
    """Refuse a body declared in another charset (the protocol's bodies are UTF-8).

    Decoding, say, ISO-8859-1 would turn the same bytes into a different query than the
    client meant whenever the two disagree, so the body is refused (415) instead.
    """
    if charset not in _UTF8:
        raise HTTPException(
            415, f"the body is declared as charset={charset}; this endpoint reads UTF-8 only. "
            "Send the query encoded as UTF-8 (charset=utf-8, or no charset).",
        )


def decode_body(body: bytes, charset: str) -> str:
    """A UTF-8 body as text (other charsets: 415; invalid bytes: 400)."""
    require_utf8(charset)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not valid UTF-8.") from None


async def read_body(request: Request, limit: int) -> bytes:
    """Read at most ``limit`` bytes; drain (bounded) the rest so the 413 reaches the client."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > 64 * limit:
            break
    if size > limit:
        raise HTTPException(
            413, f"the request body is over the limit of {limit:,} bytes; send a smaller query."
        )
    return b"".join(chunks)


def formats(request: Request, params: dict[str, list[str]]) -> tuple[str | None, str | None]:
    """The (tabular, graph) formats to answer in, from ``format`` or the Accept header."""
    names = params.get("format") or params.get("output")
    if names:
        name = names[0].strip().lower()
        if name in FORMAT_PARAM:
            return FORMAT_PARAM[name]
        if "/" not in name:
            raise HTTPException(
                406, f"unknown format {name!r}; use one of {', '.join(FORMAT_PARAM)}."
            )
        accept = name
    else:
        accept = request.headers.get("accept", "")
    tabular = negotiate(accept, TABULAR_MEDIA, "json")
    graph_fmt = negotiate(accept, GRAPH_MEDIA, "turtle")
    if tabular is None and graph_fmt is None:
        offered = sorted(set(TABULAR_MEDIA) | set(GRAPH_MEDIA))
        raise HTTPException(406, f"cannot answer in {accept!r}; acceptable: {', '.join(offered)}.")
    return tabular, graph_fmt


def _ranked(accept: str) -> list[str]:
    """Media types of an Accept header, best first (q-values honoured, q=0 dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(accept.split(",")):
        media_type, *options = (part.strip() for part in item.split(";"))
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            ranked.append((-quality, index, media_type.lower()))
    return [m for _, _, m in sorted(ranked)]


def negotiate(accept: str, table: dict[str, str], default: str) -> str | None:
    """Pick the format for the best acceptable media type (q-values honoured)."""
    if not accept.strip():
        return default
    for media_type in _ranked(accept):
        if media_type in table:
            return table[media_type]
        if media_type == "*/*":
            return default
        if media_type.endswith("/*"):
            major = media_type[:-1]
            for known, fmt in table.items():
                if known.startswith(major):
                    return fmt
    return None


def prefers_html(request: Request) -> bool:
    """True for a browser: text/html ranks above every RDF and JSON type it accepts.

    Browsers send ``text/html,...,*/*;q=0.8``; RDF clients and scripts name their types
    (or send nothing), and keep getting data.
    """
    for media_type in _ranked(request.headers.get("accept", "")):
        if media_type in ("text/html", "application/xhtml+xml"):
            return True
        if media_type in GRAPH_MEDIA or media_type in TABULAR_MEDIA or media_type == "*/*":
            return False
    return False


def media(value: str) -> str:
    """A media type without its parameters."""
    return value.split(";")[0]


def int_param(params: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    """A whole-number parameter within [low, high], or a 400 saying so."""
    values = params.get(name)
    if not values:
        return default
    try:
        value = int(values[0])
    except ValueError:
        raise HTTPException(400, f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise HTTPException(400, f"{name} must be between {low} and {high}.")
    return value
