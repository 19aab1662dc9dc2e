"""Reading a graph from a SPARQL 1.1 endpoint in pages that respect its row limit.

Public endpoints cap the rows of one answer (Virtuoso at 10,000, Fuseki and ``kg serve`` by
configuration) and usually say nothing when they do: a single ``SELECT ?s ?p ?o`` then
returns a silently truncated graph. Two ways of paging are used here:

* **by key batches** (:meth:`Endpoint.by_key`), for long reads: the keys (subjects) first,
  in one unordered answer that the engine streams from its indexes without sorting
  (:meth:`Endpoint.keys`), then the rows of a few hundred keys at a time, named in a
  ``VALUES`` block: every page is a handful of index lookups, so a page at the end of a
  10M-triple store costs what one at the start does, and no query sorts the whole graph. A
  ``COUNT`` of the same rows, asked first, tells a silently cut key list or data that
  changed while being read. An engine that caps its answers (Virtuoso, at 10,000 rows)
  gets its keys **by key order** instead (:meth:`Endpoint.keyset`: ordered by the key's
  text, each page picking up after the last complete key, ``FILTER(STR(?s) > "...")``);
* **by offset** (:meth:`Endpoint.pages`), for short answers (one batch, one node's
  neighbourhood, the predicates of the graph) where there is no end to be far from.

A page shorter than asked for may be the end or a cap; when the endpoint has already
answered with more rows (:attr:`Endpoint.most`) no cap cut it, else the next page tells, and
a cap found is used as the page size from then on (Virtuoso also says so in its
``X-SPARQL-MaxRows`` header). The cap and that figure can be handed to a later
``Endpoint`` of the same server, so a question that reads one node's neighbourhood takes one
request.

Requests go through the process's one HTTP client (:func:`kg.net.http_client`: one kept-open
connection, ``User-Agent: kg/<version>``, gzip). Every request has a timeout, and every
failure (refused, unreachable, too slow, an HTTP error, an HTML page, a cut or malformed
answer) becomes one :class:`~kg.errors.GraphLoadError` naming the endpoint. Each endpoint
remembers the last queries it sent and how many rows it read (:attr:`Endpoint.sent`,
:attr:`Endpoint.rows`), so what was read can be told, and checked.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from kg.errors import ConfigError, GraphLoadError
from kg.rdf.triples import RawTriple

if TYPE_CHECKING:
    from kg.rdf.remote_keys import KeySet

__all__ = ["DEFAULT_PAGE", "Endpoint", "Reply", "Row", "raw_triple"]

DEFAULT_PAGE = 10_000
_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
# a list of keys as lines (Oxigraph writes <iri>, Virtuoso "iri"); JSON or XML if not
_ACCEPT_LINES = f"text/tab-separated-values, {_ACCEPT.replace('json,', 'json;q=0.8,')}"
#: keys named in one VALUES block at first (then sized to fill about half a page)
KEY_BATCH = 256
_SR = "{http://www.w3.org/2005/sparql-results#}"
Progress = Callable[[int], None]
Row = dict[str, dict[str, str]]


class Reply:
    """One HTTP answer of an endpoint: media type, body and headers."""

    def __init__(self, media: str, body: bytes, headers: Mapping[str, str]) -> None:
        self.media = media
        self.body = body
        self.headers = headers

    @property
    def cap(self) -> int | None:
        """The row cap the endpoint says it applied (Virtuoso's ``X-SPARQL-MaxRows``)."""
        raw = self.headers.get("x-sparql-maxrows")
        return int(raw) if raw and raw.strip().isdigit() else None


class Endpoint:
    """One remote SPARQL endpoint, queried with a timeout per request."""

    def __init__(self, url: str, timeout: float = 30.0, page: int = DEFAULT_PAGE,
                 most: int = 0, headers: Mapping[str, str] | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--sparql-endpoint {url!r} is not an http(s) URL.")
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})
        #: rows asked for per page: the endpoint's cap once one is learnt
        self.page = page
        #: the most rows one answer has held (a short page below it is the last one)
        self.most = most
        #: the row cap the endpoint announced or was caught applying (None: none seen)
        self.cap: int | None = None
        self.requests = 0
        self.rows = 0
        self.sent: deque[str] = deque(maxlen=1000)

    def fail(self, why: str) -> GraphLoadError:
        """The one error of this endpoint: what it did, and what to check."""
        return GraphLoadError(self.url, f"the SPARQL endpoint {why}. Check the URL, that the "
                                        "server is running, and its limits.")

    # ------------------------------------------------------------ one request
    def request(self, query: str, accept: str = _ACCEPT) -> Reply:
        """POST one query (form-encoded, which every engine accepts) and return the answer;
        every transport fault and HTTP error is raised as :meth:`fail`."""
        from kg.net import http_client, httpx_module

        httpx = httpx_module()
        self.requests += 1
        self.sent.append(query)
        headers = {**self.headers, "Accept": accept}
        try:
            response = http_client().post(self.url, data={"query": query}, headers=headers,
                                          timeout=httpx.Timeout(self.timeout))
            body = response.content
        except httpx.TimeoutException:
            raise self.fail(f"did not answer within {self.timeout:g} s") from None
        except httpx.ConnectError as exc:
            raise self.fail(f"did not answer (cannot connect: {_short(exc)})") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise self.fail(f"closed the connection mid-answer, so the results were cut off "
                            f"({_short(exc)})") from None
        except httpx.HTTPError as exc:
            raise self.fail(f"did not answer ({type(exc).__name__}: {_short(exc)})") from None
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.status_code >= 400:
            raise self.fail(f"answered HTTP {response.status_code} ({_gist(body, media)})")
        reply = Reply(media, body, response.headers)
        if reply.cap:
            self.cap = reply.cap
        return reply

    def select(self, query: str) -> list[Row]:
        """The bindings of one SELECT query (SPARQL 1.1 Protocol, JSON or XML results)."""
        reply = self.request(query)
        rows = self.parse(reply)
        self.rows += len(rows)
        self.most = max(self.most, len(rows))
        return rows

    def parse(self, reply: Reply) -> list[Row]:
        """The rows of a SELECT answer; an HTML page or a malformed answer is :meth:`fail`."""
        if reply.media in ("text/html", "application/xhtml+xml"):
            raise self.fail(f"answered with an HTML page, not SPARQL results "
                            f"({_gist(reply.body, reply.media)}); is this the query URL "
                            "(often ending in /sparql or /query)?")
        if "xml" in reply.media or reply.body.lstrip()[:1] == b"<":
            return self._parse_xml(reply.body)
        try:
            rows = json.loads(reply.body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise self.fail("returned malformed or cut-off SPARQL JSON results") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise self.fail("returned SPARQL JSON results whose rows are not objects")
        return rows

    def _parse_xml(self, body: bytes) -> list[Row]:
        try:
            root = ElementTree.fromstring(body)  # noqa: S314 - expat: no external entities
        except ElementTree.ParseError:
            raise self.fail("returned malformed or cut-off SPARQL XML results") from None
        results = root.find(f"{_SR}results")
        if results is None:
            raise self.fail("returned XML that holds no SPARQL results")
        rows: list[Row] = []
        for result in results.findall(f"{_SR}result"):
            row: Row = {}
            for binding in result.findall(f"{_SR}binding"):
                term = next(iter(binding), None)
                if term is None:
                    continue
                kind = term.tag.removeprefix(_SR)
                value: dict[str, str] = {"type": kind, "value": term.text or ""}
                if kind == "literal":
                    lang = term.get("{http://www.w3.org/XML/1998/namespace}lang")
                    if lang:
                        value["xml:lang"] = lang
                    if term.get("datatype"):
                        value["datatype"] = term.get("datatype", "")
                row[binding.get("name", "")] = value
            rows.append(row)
        return rows

    def count(self) -> int:
        """How many triples the endpoint holds."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise self.fail("did not answer a count query with a number") from None

    def ask(self, query: str) -> bool:
        """The answer of one ASK query (SPARQL JSON or XML boolean; Virtuoso's own form,
        a row binding ``__ASK_RETVAL`` to 1, or no row, is read too)."""
        reply = self.request(query)
        text = reply.body[:2000].decode("utf-8", "replace")
        found = re.search(r"\"boolean\"\s*:\s*(true|false)|<boolean>\s*(true|false)", text)
        if found is not None:
            return (found.group(1) or found.group(2)) == "true"
        rows = self.parse(reply)  # an HTML page, a malformed answer: its own error
        return any(v.get("value") in ("1", "true") for row in rows for v in row.values())

    def tally(self, pattern: str, key: str = "s", named: bool = True) -> tuple[int, int]:
        """How many distinct IRIs ``?key`` takes in ``pattern``, and how many rows it has
        with them (one aggregate query; ``named=False``: any value of ``?key``, no filter,
        which an engine counts from its index without looking at the terms)."""
        only = f" FILTER(isIRI(?{key}))" if named else ""
        rows = self.select(f"SELECT (COUNT(DISTINCT ?{key}) AS ?k) (COUNT(*) AS ?n) WHERE {{ "
                           f"{pattern}{only} }}")
        try:
            return int(rows[0]["k"]["value"]), int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise self.fail("did not answer a count query with a number") from None

    # ------------------------------------------------------------ paging
    def _size(self) -> int:
        return min(self.page, self.cap) if self.cap else self.page

    def pages(self, query: str) -> Iterator[list[Row]]:
        """All rows of an ordered SELECT, one page at a time by ``OFFSET`` (for short
        answers; long reads use :meth:`keyset`)."""
        offset = 0
        while True:
            size, most = self._size(), self.most
            rows = self.select(f"{query} LIMIT {size} OFFSET {offset}")
            if not rows:
                return
            yield rows
            offset += len(rows)
            if len(rows) < size:
                if len(rows) < most:
                    return  # the endpoint has answered more than this: no cap cut it
                # The end, or a cap: one more row tells which (a single row: Virtuoso refuses
                # a sorted OFFSET + LIMIT past its cap); a cap becomes the page size.
                if not self.select(f"{query} LIMIT 1 OFFSET {offset}"):
                    return
                more = self.select(f"{query} LIMIT {len(rows)} OFFSET {offset}")
                if not more:
                    return
                self.page = len(rows)
                yield more
                offset += len(more)

    def keyset(self, head: str, body: str, key: str = "s", then: str = "?p ?o"
               ) -> Iterator[list[Row]]:
        """All rows of ``SELECT head WHERE { body }`` whose ``?key`` is an IRI, in pages
        ordered by the key's text, each page picking up after the last complete key.

        A key with more rows than a page (a hub with many literals) is read by offset on its
        own, so no page ever asks the engine to skip rows before it."""
        after: str | None = None
        cut: int | None = None  # the length of the last short page that may have been cut
        while True:
            size, most = self._size(), self.most
            rows = self.select(_keyset_query(head, body, key, then, after, size))
            if not rows:
                return
            if cut is not None and len(rows) == cut < size:
                self.page = cut  # the same short length twice running: the endpoint's cap
            if len(rows) < size and len(rows) < most:
                yield rows  # the endpoint has answered more than this: the last page
                return
            last = _value(rows[-1], key)
            kept = [r for r in rows if _value(r, key) != last]
            cut = len(rows) if len(rows) < size else None
            if kept:  # the last key's rows may be cut: the next page reads them again
                yield kept
                after = _value(kept[-1], key)
            else:  # one key filled the page
                yield from self._one_key(head, body, key, then, last)
                after = last

    def _one_key(self, head: str, body: str, key: str, then: str, value: str
                 ) -> Iterator[list[Row]]:
        """Every row of one key value, by offset (the key fills a page on its own)."""
        inner = f"{body} FILTER(STR(?{key}) = {_string(value)})"
        yield from self.pages(f"SELECT {head} WHERE {{ {inner} }} ORDER BY {then}")

    def keys(self, pattern: str, key: str = "s", ordered: bool = False) -> list[str]:
        """Every IRI ``?key`` takes in ``pattern``, sorted: one unordered ``SELECT DISTINCT``
        (streamed by the engine from its indexes, no sort) unless it comes back cut by an
        announced cap, or ``ordered``: by key order in pages (:meth:`keyset`)."""
        query = f"SELECT DISTINCT ?{key} WHERE {{ {pattern} FILTER(isIRI(?{key})) }}"
        if not ordered:
            reply = self.request(query, _ACCEPT_LINES)
            found, _ = self.key_list(reply, key)
            self.rows += len(found)
            self.most = max(self.most, len(found))
            cap = reply.cap or self.cap
            if not (cap and len(found) >= cap):
                return sorted(set(found))
            self.page = min(self.page, cap)
        found = []
        for rows in self.keyset(f"DISTINCT ?{key}", pattern, key, then=""):
            found += [_value(r, key) for r in rows]
        return sorted(set(found))

    def key_list(self, reply: Reply, key: str, strict: bool = True) -> tuple[list[str], int]:
        """The IRIs of a one-column answer, and how many other values it held (blank
        nodes, literals: an error when ``strict``, the query having asked for IRIs only)."""
        if reply.media != "text/tab-separated-values":
            rows = self.parse(reply)
            found = [_value(r, key) for r in rows if r.get(key, {}).get("type") == "uri"]
            return found, len(rows) - len(found)
        lines = reply.body.decode("utf-8", "replace").split("\n")[1:]
        found, others = [], 0
        for line in lines:
            line = line.rstrip("\r")
            if len(line) > 1 and line[0] + line[-1] in ("<>", '""'):
                value = line[1:-1]
                found.append(_unescape(value) if "\\" in value else value)
            elif line.strip():
                if strict:
                    raise self.fail("returned a key list whose lines are not IRIs")
                others += 1
        return found, others

    def by_key(self, head: str, pattern: str, bound: str, key: str = "s",
               then: str = "?p ?o", progress: Progress | None = None,
               parts: Sequence[str] = ()) -> Iterator[list[Row]]:
        """Every row of ``SELECT head WHERE { pattern }`` whose ``?key`` is an IRI: the keys
        first (:meth:`keys`), then their rows a batch of keys at a time (``bound``: the
        same pattern written for ``?key`` given by a ``VALUES`` block, which engines answer
        by index lookups), each batch sized to fill about half a page.

        The keys and rows are counted first: a key list shorter than counted (cut without
        a word) is read again by key order; a read that ends with another number of keys or
        rows (data changed while it was read, answers cut) fails naming the endpoint, rather
        than give a partial graph.

        ``parts``: patterns whose rows, taken together and without overlap, are
        ``pattern``'s (one per predicate): then each is counted and listed on its own
        (:func:`~kg.rdf.remote_keys.list_part`) and the keys merged on disk, because an
        aggregate over several predicates at once makes an engine join them with the
        whole store (195 s at ten million triples in Oxigraph, seconds per predicate)."""
        from kg.rdf.remote_keys import KeySet, list_part

        listed = KeySet()
        try:
            counted = found = expected = 0
            for part in parts:
                count, rows = list_part(self, part, key, listed)
                counted, found, expected = counted + count, found + listed.kept(), expected + rows
            if not parts:
                count, rows = self.tally(pattern, key)
                keys = self.keys(pattern, key)
                if len(keys) < count:
                    keys = self.keys(pattern, key, ordered=True)
                listed.add(keys)
                counted, found, expected = count, listed.kept(), rows
                del keys
            got = yield from self._by_batches(head, bound, key, then, listed, expected,
                                              progress, whole=found == counted)
        finally:
            listed.close()
        if (found, got) != (counted, expected):
            raise self.fail(f"holds {counted:,} keys and {expected:,} rows for this read but "
                            f"gave {found:,} and {got:,}: it cuts its answers without "
                            "saying so, or its data changed while it was read; try again")

    def _by_batches(self, head: str, bound: str, key: str, then: str, listed: KeySet,
                    expected: int, progress: Progress | None, whole: bool
                    ) -> Generator[list[Row], None, int]:
        """The rows of the keys ``listed`` (when ``whole``: all of them were listed), a
        batch at a time; returns how many rows were read."""
        total = listed.total()
        # a batch to fill about half a page at the graph's mean rows per key, then resized
        got, at = 0, 0
        size = max(1, min(4 * KEY_BATCH, self._size() * total // (2 * expected or 1)))
        while whole and at < total:
            chunk = listed.take(size)
            n = 0
            for rows in self._batch(head, bound, key, then, [k for k in chunk if _writable(k)]):
                n += len(rows)
                yield rows
            for odd in (k for k in chunk if not _writable(k)):
                for rows in self._one_key(head, bound, key, then, odd):
                    n += len(rows)
                    yield rows
            got += n
            at += len(chunk)
            if progress:
                progress(got)
            size = max(1, min(4 * KEY_BATCH, len(chunk) * self._size() // (2 * n or 1)))
        return got

    def _batch(self, head: str, bound: str, key: str, then: str, named: list[str]
               ) -> Iterator[list[Row]]:
        """The rows of the keys ``named`` (:meth:`short`)."""
        if not named:
            return
        values = " ".join(f"<{k}>" for k in named)
        yield from self.short(f"SELECT {head} WHERE {{ VALUES ?{key} {{ {values} }} {bound} }}",
                              f"STR(?{key}) {then}")

    def short(self, query: str, order: str) -> Iterator[list[Row]]:
        """Every row of a SELECT expected to fit in one answer: asked unordered (an engine
        sorts even a short answer slowly) and sorted here by ``order``'s variables; one that
        may have been cut by a cap is read again in ordered pages (:meth:`pages`)."""
        size, most = self._size(), self.most
        rows = self.select(f"{query} LIMIT {size}")
        if len(rows) < size and len(rows) < most:  # more came whole before: none was cut
            names = re.findall(r"\?(\w+)", order)
            yield sorted(rows, key=lambda r: [_value(r, n) for n in names])
            return
        yield from self.pages(f"{query} ORDER BY {order}")

    def every(self, head: str, pattern: str, key: str = "s", then: str = ""
              ) -> Iterator[list[Row]]:
        """Every row of ``SELECT head WHERE { pattern }``, however many: one unordered
        answer when it fits in a page; else the rows of IRI keys by :meth:`by_key` and
        those of blank-node keys by offset (few), so a long answer stays linear."""
        size, most = self._size(), self.most
        rows = self.select(f"SELECT {head} WHERE {{ {pattern} }} LIMIT {size}")
        if len(rows) < size and len(rows) < most:  # more came whole before: none was cut
            yield rows
            return
        yield from self.by_key(head, pattern, pattern, key, then)
        yield from self.pages(f"SELECT {head} WHERE {{ {pattern} FILTER(isBlank(?{key})) }} "
                              f"ORDER BY ?{key} {then}")

    def triples(self, progress: Progress | None = None) -> Iterator[RawTriple]:
        """Every triple as a :data:`~kg.rdf.triples.RawTriple`: named subjects in batches
        of keys (:meth:`by_key`), then those of blank nodes by offset."""
        done = 0
        reads = (self.by_key("?s ?p ?o", "?s ?p ?o", "?s ?p ?o"),
                 self.pages("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s)) } "
                            "ORDER BY ?s ?p ?o"))
        for read in reads:
            for rows in read:
                for row in rows:
                    triple = raw_triple(row)
                    if triple is not None:
                        yield triple
                done += len(rows)
                if progress:
                    progress(done)


def _keyset_query(head: str, body: str, key: str, then: str, after: str | None,
                  size: int) -> str:
    bound = f" FILTER(STR(?{key}) > {_string(after)})" if after is not None else ""
    return (f"SELECT {head} WHERE {{ {body} FILTER(isIRI(?{key})){bound} }} "
            f"ORDER BY STR(?{key}) {then} LIMIT {size}")


_BAD_IRI = frozenset('<>"{}|^`\\ \t\n\r')


def _writable(iri: str) -> bool:
    """Whether ``iri`` can be written as ``<iri>`` in a query."""
    return bool(iri) and not (_BAD_IRI & set(iri))


def _unescape(text: str) -> str:
    """An IRI of a results line with its ``\\uXXXX`` escapes read."""
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
                  lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _string(text: str) -> str:
    """``text`` as a SPARQL string literal."""
    return '"' + re.sub(r'(["\\])', r"\\\1", text).replace("\n", "\\n").replace(
        "\r", "\\r") + '"'


def _value(row: Row, name: str) -> str:
    return row.get(name, {}).get("value", "")


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:160]


def _gist(body: bytes, media: str) -> str:
    """The first readable words of an error body (an HTML page's text, not its markup)."""
    text = body[:4000].decode("utf-8", "replace")
    if "html" in media or text.lstrip()[:1] == "<":
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:200] or "no details"


def raw_triple(row: Row) -> RawTriple | None:
    """One result row as plain strings (blank nodes as ``_:id``, as the file readers do)."""
    try:
        s, p, o = row["s"], row["p"], row["o"]
    except KeyError:
        return None
    if s.get("type") == "bnode":
        s_id = "_:" + s["value"]
    elif s.get("type") == "uri":
        s_id = s["value"]
    else:  # a literal or triple-term subject: not a node of the view
        return None
    kind = o.get("type")
    if kind == "uri":
        return s_id, p["value"], o["value"], False, ""
    if kind == "bnode":
        return s_id, p["value"], "_:" + o["value"], False, ""
    if kind in ("literal", "typed-literal"):
        return s_id, p["value"], o["value"], True, o.get("xml:lang", "").lower()
    return None
