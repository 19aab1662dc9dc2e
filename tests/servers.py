"""Real SPARQL servers for the tests, started from packages (scripts/sparql_server.py).

``oxigraph_endpoint(file)`` and ``virtuoso_endpoint(file)`` are session fixtures that hand
out a factory: called with an RDF file, it returns the URL of a SPARQL endpoint serving that
file, started once per file and session and torn down at its end, on free loopback ports.

* Oxigraph (PyPI ``oxigraph``, in the test extras): one ``serve-read-only`` process per
  file. It must always be there: a missing program fails the test, never skips it.
* Virtuoso (Debian's ``virtuoso-opensource-7-bin``, ``make system-deps``): one process for
  the session, each file in a named graph of its own, the URL naming that graph. Where the
  programs cannot be installed the tests that ask for it skip, saying why.

A server that does not start or answer fails with the tail of its log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from sparql_server import (  # noqa: E402 - scripts/ is not a package
    Server,
    ServerError,
    VirtuosoServer,
    oxigraph_binary,
    start_oxigraph,
    start_virtuoso,
    virtuoso_binaries,
)

__all__ = ["oxigraph_binary", "oxigraph_endpoint", "start_oxigraph", "virtuoso_endpoint"]

Factory = Callable[[Path], str]


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Factory]:
    """A factory: RDF file -> the URL of an Oxigraph server holding it."""
    if oxigraph_binary() is None:
        pytest.fail("the `oxigraph` program is missing: pip install -e '.[test]' installs it "
                    "(PyPI package oxigraph).")
    servers: dict[Path, Server] = {}

    def endpoint(file: Path) -> str:
        key = Path(file).resolve()
        if key not in servers:
            try:
                servers[key] = start_oxigraph([key], tmp_path_factory.mktemp("oxigraph"))
            except ServerError as exc:
                pytest.fail(f"Oxigraph server for {key.name}: {exc}")
        return servers[key].url

    yield endpoint
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Factory]:
    """A factory: RDF file -> the URL of a Virtuoso endpoint whose default graph holds it
    (10,000-row cap per answer, as Virtuoso ships)."""
    if virtuoso_binaries() is None:
        pytest.skip("OpenLink Virtuoso is not installed (virtuoso-t, isql-vt): "
                    "`make system-deps` installs Debian's virtuoso-opensource-7-bin.")
    state: dict[str, VirtuosoServer] = {}
    urls: dict[Path, str] = {}

    def endpoint(file: Path) -> str:
        key = Path(file).resolve()
        if key in urls:
            return urls[key]
        try:
            if "server" not in state:
                state["server"] = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
            urls[key] = state["server"].load(key, f"urn:kg:test:{len(urls)}")
        except ServerError as exc:
            pytest.fail(f"Virtuoso server for {key.name}: {exc}")
        return urls[key]

    yield endpoint
    if "server" in state:
        state["server"].stop()
