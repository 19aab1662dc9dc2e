"""Start a real SPARQL server over RDF files: Oxigraph (PyPI ``oxigraph``) or OpenLink
Virtuoso (Debian's ``virtuoso-opensource-7-bin``), each in a folder of its own, on free
loopback ports, and wait until it answers.

Both the test fixtures (tests/servers.py) and ``scripts/sparql-server.sh`` (by hand) use
this module, so what the tests talk to is what a user starts.

* Oxigraph: ``oxigraph load --location DIR --file F`` then
  ``oxigraph serve-read-only --location DIR --bind 127.0.0.1:PORT``; the endpoint is
  ``http://127.0.0.1:PORT/query``.
* Virtuoso: ``virtuoso-t +foreground +configfile DIR/virtuoso.ini`` with an ini written here
  (its database, log and ports in DIR; ``ResultSetMaxRows`` 10,000 as Debian's own ini),
  each file loaded into a named graph with ``isql-vt`` (``ld_dir`` + ``rdf_loader_run``).
  Virtuoso's default dataset is every graph it holds, its own system graphs included, so
  the endpoint URL names the loaded graph: ``http://127.0.0.1:PORT/sparql?default-graph-uri=G``.

Usage by hand: ``python scripts/sparql_server.py {oxigraph|virtuoso} FILE [--port PORT]``
prints the endpoint URL and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = [
    "ENGINES",
    "Server",
    "ServerError",
    "VirtuosoServer",
    "free_port",
    "oxigraph_binary",
    "start_oxigraph",
    "start_virtuoso",
    "virtuoso_binaries",
]

ENGINES = ("oxigraph", "virtuoso")
#: Virtuoso's result-row cap in Debian's shipped virtuoso.ini (and on public endpoints).
VIRTUOSO_MAX_ROWS = 10_000
_READY_QUERY = "ASK { ?s ?p ?o }"


class ServerError(RuntimeError):
    """A server that could not be started, loaded or reached; the message ends with the
    tail of its log."""


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` program of the running Python's environment (where pip puts it),
    else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def virtuoso_binaries() -> tuple[str, str] | None:
    """``(virtuoso-t, isql-vt)`` when both are installed, else None."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


class Server:
    """One running server process, its endpoint URL and its log."""

    def __init__(self, engine: str, proc: subprocess.Popen, url: str, log: Path,
                 folder: Path) -> None:
        self.engine = engine
        self.proc = proc
        self.url = url
        self.log = log
        self.folder = folder

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's log (for failure messages)."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.rstrip().splitlines()[-lines:]) or "(empty log)"

    def fail(self, why: str) -> ServerError:
        return ServerError(f"{self.engine} {why}\n--- last lines of {self.log} ---\n"
                           f"{self.log_tail()}")

    def wait_ready(self, timeout: float, url: str | None = None) -> None:
        """Poll the endpoint with a GET query until it answers 200, the process ends, or
        ``timeout`` seconds pass (each a :class:`ServerError` with the log tail)."""
        target = url or self.url
        sep = "&" if "?" in target else "?"
        probe = f"{target}{sep}{urllib.parse.urlencode({'query': _READY_QUERY})}"
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise self.fail(f"exited with code {self.proc.returncode} before it answered")
            request = urllib.request.Request(
                probe, headers={"Accept": "application/sparql-results+json"})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.2)
        self.stop()
        raise self.fail(f"did not answer at {target} within {timeout:g} s ({last})")

    def stop(self) -> None:
        """End the process (SIGTERM, then SIGKILL after 20 s)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _run(cmd: list[str], log: Path, what: str, timeout: float) -> str:
    """Run a loader command, its output appended to ``log``; a failure is a ServerError."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ServerError(f"{what} did not finish within {timeout:g} s") from None
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"$ {' '.join(cmd)}\n{done.stdout}{done.stderr}\n")
    if done.returncode or "*** Error" in done.stderr:  # isql-vt exits 0 on SQL errors
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        raise ServerError(f"{what} failed (exit {done.returncode}):\n{tail}")
    return done.stdout


# ------------------------------------------------------------------ Oxigraph
def start_oxigraph(files: list[Path], folder: Path, port: int | None = None,
                   timeout: float = 60.0, writable: bool = False) -> Server:
    """Load ``files`` into a new store in ``folder`` and serve it read-only (or, with
    ``writable``, taking updates at ``/update`` too)."""
    binary = oxigraph_binary()
    if binary is None:
        raise ServerError("the `oxigraph` program is not installed: pip install oxigraph "
                          "(it is in the test extras: pip install -e '.[test]').")
    folder.mkdir(parents=True, exist_ok=True)
    store, log = folder / "store", folder / "oxigraph.log"
    if files:
        _run([binary, "load", "--location", str(store), "--file",
              *(str(Path(f).resolve()) for f in files)], log, "oxigraph load", 3600)
    else:
        store.mkdir(exist_ok=True)
    port = port or free_port()
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [binary, "serve" if writable else "serve-read-only", "--location", str(store),
             "--bind", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server("oxigraph", proc, f"http://127.0.0.1:{port}/query", log, folder)
    server.wait_ready(timeout)
    return server


# ------------------------------------------------------------------ Virtuoso
_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ServerThreads = 10
CheckpointInterval = 0
DisableTcpSocket = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer(Server):
    """A Virtuoso process; :meth:`load` puts a file in a named graph and returns the
    endpoint URL that reads that graph alone."""

    def __init__(self, proc: subprocess.Popen, http_port: int, sql_port: int, log: Path,
                 folder: Path, isql: str, allowed: list[Path]) -> None:
        super().__init__("virtuoso", proc, f"http://127.0.0.1:{http_port}/sparql", log, folder)
        self.sql_port = sql_port
        self.isql = isql
        self.allowed = allowed
        self._copies = 0

    def sql(self, statements: str, timeout: float = 3600) -> str:
        """Run SQL through ``isql-vt`` as the database administrator."""
        return _run([self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba",
                     f"exec={statements}"], self.log, "isql-vt", timeout)

    def load(self, file: Path, graph: str) -> str:
        """Bulk-load ``file`` (Turtle, N-Triples, RDF/XML... by its extension) into
        ``graph``; returns the endpoint URL whose default graph is ``graph``."""
        file = Path(file).resolve()
        if not any(file.parent == d or d in file.parent.parents for d in self.allowed):
            # the bulk loader reads only from DirsAllowed: a copy in the server's folder
            self._copies += 1
            inbox = self.folder / "data" / str(self._copies)
            inbox.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, inbox / file.name)
            file = inbox / file.name
        q = graph.replace("'", "''")
        directory = str(file.parent).replace("'", "''")
        name = file.name.replace("'", "''")
        out = self.sql(
            f"ld_dir('{directory}', '{name}', '{q}'); rdf_loader_run(); checkpoint; "
            "SELECT 'KG-LOAD-ERROR', ll_error FROM DB.DBA.LOAD_LIST "
            f"WHERE ll_file = '{directory}/{name}' AND ll_error IS NOT NULL;")
        if "KG-LOAD-ERROR" in out:
            raise self.fail(f"could not load {file}:\n{out[-1500:]}")
        url = f"{self.url}?{urllib.parse.urlencode({'default-graph-uri': graph})}"
        self.wait_ready(30, url)
        return url


def start_virtuoso(folder: Path, http_port: int | None = None, sql_port: int | None = None,
                   timeout: float = 180.0, max_rows: int = VIRTUOSO_MAX_ROWS,
                   allowed: list[Path] | None = None, buffers: int = 20_000) -> VirtuosoServer:
    """Create a database in ``folder`` and start Virtuoso on it in the foreground.

    ``allowed``: folders the bulk loader may read besides ``folder`` (others are copied);
    ``buffers``: 8 kB pages of cache (20,000 is 160 MB; about 100,000 for 10M triples)."""
    binaries = virtuoso_binaries()
    if binaries is None:
        raise ServerError("virtuoso-t and isql-vt are not installed: apt-get install "
                          "virtuoso-opensource-7-bin (scripts/install-system-deps.sh does).")
    server_bin, isql = binaries
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    dirs = [folder, *(Path(d).resolve() for d in allowed or [])]
    http_port, sql_port = http_port or free_port(), sql_port or free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql_port=sql_port, http_port=http_port,
                               dirs=", ".join(str(d) for d in dirs), buffers=buffers,
                               dirty=buffers * 3 // 4, max_rows=max_rows), encoding="utf-8")
    log = folder / "virtuoso-stdout.log"
    with log.open("a", encoding="utf-8") as out:
        proc = subprocess.Popen([server_bin, "+foreground", "+configfile", str(ini)],
                                cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    server = VirtuosoServer(proc, http_port, sql_port, log, folder, isql, dirs)
    server.wait_ready(timeout)
    return server


# ------------------------------------------------------------------ by hand
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Start a SPARQL server (Oxigraph or Virtuoso) over one RDF file, print "
                    "its endpoint URL and serve until Ctrl-C.")
    parser.add_argument("engine", choices=ENGINES)
    parser.add_argument("file", type=Path, help="an RDF file (.ttl, .nt, .rdf, .owl...)")
    parser.add_argument("--port", type=int, default=0, help="HTTP port (default: a free one)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="where the database goes (default: a new temporary folder, "
                             "removed on exit)")
    parser.add_argument("--graph", default="urn:kg:data",
                        help="Virtuoso: the named graph the file is loaded into")
    parser.add_argument("--buffers", type=int, default=100_000,
                        help="Virtuoso: 8 kB cache pages (100,000 = 800 MB)")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        parser.error(f"{args.file} is not a file")
    folder = args.folder or Path(tempfile.mkdtemp(prefix=f"kg-{args.engine}-"))
    started = time.perf_counter()
    try:
        if args.engine == "oxigraph":
            server: Server = start_oxigraph([args.file], folder, args.port or None)
            url = server.url
        else:
            virtuoso = start_virtuoso(folder, args.port or None, allowed=[args.file.parent],
                                      buffers=args.buffers)
            server = virtuoso
            try:
                url = virtuoso.load(args.file, args.graph)
            except ServerError:
                virtuoso.stop()
                raise
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.engine} is serving {args.file} ({time.perf_counter() - started:.1f} s to "
          f"start), database in {folder}, log {server.log}", file=sys.stderr)
    print(url, flush=True)
    print(f"try: kg ask --sparql-endpoint '{url}' \"...\"   (Ctrl-C stops the server)",
          file=sys.stderr)
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        while not stop and server.proc.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
