"""Reading a graph from a SPARQL 1.1 endpoint in pages that respect its row limit.

Public endpoints cap the rows of one answer (Virtuoso at 10,000, Fuseki and ``kg serve`` by
configuration) and usually say nothing when they do: a single ``SELECT ?s ?p ?o`` then
returns a silently truncated graph. Here the triples are read with ``ORDER BY`` (a stable
order, so pages neither overlap nor skip) and ``LIMIT``/``OFFSET``; a page shorter than
asked for is checked by asking for the next one, and when that one is not empty the
endpoint's cap is learnt and used as the page size from then on.

A short page costs no second request when the endpoint has already answered with more
rows than it holds (:attr:`Endpoint.most`): a cap would have cut it at that size or more.
The cap and that figure can be handed to a later ``Endpoint`` of the same server, so a
question that reads one node's neighbourhood takes one request.

Every request has a timeout, and every failure (refused, unreachable, too slow, an HTTP
error, not SPARQL JSON) becomes one :class:`~kg.errors.GraphLoadError` naming the endpoint.
Only the standard library is used: one HTTP POST per page. Each endpoint remembers the
last queries it sent and how many rows it read (:attr:`Endpoint.sent`, :attr:`Endpoint.rows`),
so what was read can be told, and checked.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator

from kg.errors import ConfigError, GraphLoadError
from kg.rdf.triples import RawTriple

__all__ = ["DEFAULT_PAGE", "Endpoint", "raw_triple"]

DEFAULT_PAGE = 10_000
_ACCEPT = "application/sparql-results+json"
_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
Progress = Callable[[int], None]


class Endpoint:
    """One remote SPARQL endpoint, queried with a timeout per request."""

    def __init__(self, url: str, timeout: float = 30.0, page: int = DEFAULT_PAGE,
                 most: int = 0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--sparql-endpoint {url!r} is not an http(s) URL.")
        self.url = url
        self.timeout = timeout
        #: rows asked for per page: the endpoint's cap once one is learnt
        self.page = page
        #: the most rows one answer has held (a short page below it is the last one)
        self.most = most
        self.requests = 0
        self.rows = 0
        self.sent: deque[str] = deque(maxlen=1000)

    def _fail(self, why: str) -> GraphLoadError:
        return GraphLoadError(self.url, f"the SPARQL endpoint {why}. Check the URL, that the "
                                        "server is running, and its limits.")

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        """The bindings of one SELECT query (SPARQL 1.1 Protocol, JSON results)."""
        request = urllib.request.Request(
            self.url, data=query.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query", "Accept": _ACCEPT},
        )
        self.requests += 1
        self.sent.append(query)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read(300).decode("utf-8", "replace").strip()
            raise self._fail(f"answered HTTP {exc.code} ({detail or exc.reason})") from None
        except TimeoutError:
            raise self._fail(f"did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise self._fail(f"did not answer within {self.timeout:g} s") from None
            raise self._fail(f"did not answer ({reason})") from None
        except OSError as exc:
            raise self._fail(f"did not answer ({exc})") from None
        try:
            rows = list(json.loads(body)["results"]["bindings"])
        except (ValueError, KeyError, TypeError):
            raise self._fail("did not return SPARQL JSON results") from None
        self.rows += len(rows)
        self.most = max(self.most, len(rows))
        return rows

    def count(self) -> int:
        """How many triples the endpoint holds."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise self._fail("did not answer a count query with a number") from None

    def pages(self, query: str) -> Iterator[list[dict[str, dict[str, str]]]]:
        """All rows of an ordered SELECT, one page at a time, within the endpoint's cap."""
        offset = 0
        while True:
            size, most = self.page, self.most
            rows = self.select(f"{query} LIMIT {size} OFFSET {offset}")
            if not rows:
                return
            yield rows
            offset += len(rows)
            if len(rows) < size:
                if len(rows) < most:
                    return  # the endpoint has answered more than this: no cap cut it
                # The end, or a cap: the next page tells which; a cap becomes the page size.
                more = self.select(f"{query} LIMIT {size} OFFSET {offset}")
                if not more:
                    return
                self.page = len(rows)
                yield more
                offset += len(more)

    def triples(self, progress: Progress | None = None) -> Iterator[RawTriple]:
        """Every triple as a :data:`~kg.rdf.triples.RawTriple`, read in pages."""
        done = 0
        for rows in self.pages(_TRIPLES):
            for row in rows:
                triple = raw_triple(row)
                if triple is not None:
                    yield triple
            done += len(rows)
            if progress:
                progress(done)


def raw_triple(row: dict[str, dict[str, str]]) -> RawTriple | None:
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
