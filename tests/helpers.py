"""Shared test helpers: hostile inputs, a loopback listener that must stay unused, a
`kg serve` running in another process, and a small view over a few SKOS concepts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.view.graph_view import GraphView, build_view

__all__ = ["BOMB", "Listener", "concept_view", "free_port", "serve_kg"]

ROOT = Path(__file__).parent.parent

# The 620-byte billion-laughs document of the issue: 10^7 "lol" from seven entity levels.
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
<rdf:Description rdf:about="http://ex/a"><ex:p>&lol7;</ex:p></rdf:Description>
</rdf:RDF>
"""


class Listener:
    """A loopback HTTP listener in a thread that counts every connection it accepts.

    It answers each connection with a small JSON-LD context, so a client that does reach
    it gets something it could use: the tests pass only when ``connections`` stays 0.
    """

    BODY = b'{"@context": {"ex": "http://ex/"}}'

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            try:
                conn.settimeout(0.5)
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(self.BODY) + self.BODY)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_kg(graph: Path, cache: Path, *extra: str) -> Iterator[str]:
    """Run `kg serve` on ``graph`` in another process and yield its /sparql URL once it
    answers /healthz (for module fixtures: ``yield from serve_kg(...)``)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from kg_cli.main import cli; cli()", "serve", "--port", str(port),
         "--graph", str(graph), *extra],
        cwd=ROOT, env={**os.environ, "KG_CACHE_DIR": str(cache)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
                    answer.read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("kg serve exited: " + proc.stderr.read().decode()[-500:])
                time.sleep(0.1)
        else:
            pytest.fail("kg serve did not start in 30 s")
        yield url + "/sparql"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stderr.close()  # type: ignore[union-attr]  # else a ResourceWarning at GC


def concept_view(concepts: str) -> GraphView:
    """A view over a few concepts written in Turtle (``ex:`` and ``skos:`` declared)."""
    ttl = ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
           "@prefix ex: <http://example.org/> .\n" + concepts)
    return build_view(Graph().parse(data=ttl, format="turtle"))
