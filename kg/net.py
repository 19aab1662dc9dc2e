"""Network plumbing: loopback checks for the faces that listen on a port (HTTP server, MCP),
and the one HTTP client kg uses to talk to a SPARQL endpoint.

The client is made once per process (:func:`http_client`) and keeps one connection open
to the endpoint between requests, so a question that fetches a few neighbourhoods pays one
TCP (and TLS) handshake, not one per request. Every request says ``User-Agent: kg/<version>``
and accepts gzip. Extra headers, such as ``Authorization: Bearer ...`` for an endpoint
behind a gateway, come from ``--sparql-header`` or ``KG_SPARQL_HEADERS`` (see
:func:`parse_headers`).

A one-question command pays for the client before its first answer, so it is kept cheap:
httpx is imported only when an endpoint is used, without its command-line module (which
imports rich and pygments: 30 ms of 50, :func:`httpx_module`), and the verified TLS setup
(certificates loaded: about 50 ms) is made on the first ``https://`` request, not for an
endpoint spoken to in plain HTTP (:class:`_Transport`).
"""

from __future__ import annotations

import ipaddress
import os
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.errors import ConfigError

if TYPE_CHECKING:
    import httpx

__all__ = ["http_client", "httpx_module", "is_loopback", "parse_headers", "user_agent"]

_lock = threading.Lock()
_client: httpx.Client | None = None
# Header names kg sets itself; a user header may not replace them.
_OWN = {"user-agent", "accept-encoding", "content-type", "content-length", "host"}


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: binding anywhere else needs consent."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def user_agent() -> str:
    """``kg/<version>``: endpoints' operators can tell kg's requests apart in their logs."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"kg/{version('kg-aitax')}"
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "kg/0"


def parse_headers(lines: Iterable[str]) -> dict[str, str]:
    """``Name: value`` lines as a header dict; ``KG_SPARQL_HEADERS`` holds several, one per
    line. A line that is not a header is a :class:`~kg.errors.ConfigError`."""
    found: dict[str, str] = {}
    for raw in lines:
        for line in str(raw).splitlines():
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            name = name.strip()
            if not sep or not name or any(c in name for c in " \t()<>@,;\\\"/[]?={}"):
                raise ConfigError(f"--sparql-header {line.strip()[:40]!r} is not a header: "
                                  "write it as 'Name: value', e.g. 'Authorization: Bearer TOKEN'.")
            if name.lower() in _OWN:
                raise ConfigError(f"--sparql-header {name}: kg sets this header itself.")
            found[name] = value.strip()
    return found


def httpx_module():  # noqa: ANN201 - the httpx module, imported on first use
    """httpx, imported without ``httpx._main`` (its ``httpx`` command, which kg never runs:
    httpx falls back to a stub when that module cannot be imported)."""
    import sys

    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[assignment]
    import httpx

    return httpx


def http_client() -> httpx.Client:
    """The process's one HTTP client (made on first use; a forked child makes its own)."""
    global _client
    with _lock:
        if _client is None:
            import logging
            import urllib.request

            httpx = httpx_module()
            # one INFO line per request would drown a server's own log
            logging.getLogger("httpx").setLevel(logging.WARNING)

            limits = httpx.Limits(max_connections=8, max_keepalive_connections=2)
            # httpx reads proxies from the environment only for its own transport
            proxied = bool(urllib.request.getproxies())
            _client = httpx.Client(
                headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip"},
                limits=limits,
                transport=None if proxied else _transport(httpx, limits),
                follow_redirects=True,
            )
        return _client


def _transport(httpx, limits):  # noqa: ANN001, ANN202 - httpx is imported on first use
    """A transport that sends ``http://`` requests on a plain connection pool at once and
    makes the verified TLS pool (certificates loaded) on the first ``https://`` request."""

    class _Transport(httpx.BaseTransport):
        def __init__(self) -> None:
            # never speaks TLS (https goes to ``tls``), so it loads no certificates
            self.plain = httpx.HTTPTransport(verify=False, limits=limits)
            self.tls: httpx.HTTPTransport | None = None
            self._lock = threading.Lock()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.scheme != "https":
                return self.plain.handle_request(request)
            with self._lock:
                if self.tls is None:
                    self.tls = httpx.HTTPTransport(limits=limits)  # verified, as by default
            return self.tls.handle_request(request)

        def close(self) -> None:
            self.plain.close()
            if self.tls is not None:
                self.tls.close()

    return _Transport()


def _forget_after_fork() -> None:
    """A forked child must not share the parent's open connections."""
    global _client, _lock
    _client = None
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
