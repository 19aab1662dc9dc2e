"""An endpoint's triple count, remembered, and counted again off the question's path.

The count is what tells that an endpoint's data changed: it is part of every cache key of a
graph used in place. Counting scans the whole store (``COUNT(*)``: 2.5 s at ten million
triples in Oxigraph on a quiet machine, 9 s under load), so it must not run before each
question. A count is remembered in a small JSON file of the cache (by URL, with when it was
taken). Once it is older than the recheck interval (``KG_SPARQL_RECHECK``, 10 minutes by
default) the command still answers with it, and the store is counted again afterwards
(stale-while-revalidate): a one-shot command starts a detached process as it exits
(:func:`recount_later`), a long-running one (``kg serve``, ``kg mcp``) counts in a thread
(:class:`Watch`). The next command then uses the new count, and a count that differs from
the one before is remembered with it (:attr:`Count.before`), so the command that reads the
data again can say why. An interval of 0 counts before every command, as strictly as the
store allows.

Cheaper probes were measured and not used as the key: a count over one predicate costs
about 0.23 s per million of its triples and misses changes to the others; a digest of the
first page of triples sees only the first subjects. Counting the whole store off the path
costs the user nothing and misses only what every count misses (an edit that keeps it).
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.rdf.remote import Endpoint

__all__ = ["RECHECK", "Count", "Watch", "recount", "recount_later", "remembered_count"]

#: Seconds a remembered count is trusted before it is counted again (off the question's path).
RECHECK = 600.0
_KEEP = 64  # endpoints remembered in one file
# A recount that started this long ago and left its mark is taken for dead (the count query
# has its own timeout; this is well past any).
_STALE_MARK = 600.0
# Steps of 50 ms a detached recount waits at most for the command that started it to exit.
_PARENT_WAIT = 600
# The recounts this process started, held so that none is reaped (or warned about) as garbage.
_STARTED: list[subprocess.Popen] = []


@dataclass(frozen=True)
class Count:
    """An endpoint's triple count as remembered."""

    triples: int
    #: when it was counted (seconds since the epoch)
    taken: float
    #: the count remembered before it, when that differed (the data changed), else None
    before: int | None = None
    #: older than the recheck interval: to be counted again once the command is done
    due: bool = False


def _read(path: Path) -> dict:
    try:
        known = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _entry(known: Mapping, url: str) -> Count | None:
    entry = known.get(url)
    if not (isinstance(entry, list) and len(entry) in (2, 3) and isinstance(entry[0], int)
            and isinstance(entry[1], (int, float))):
        return None
    before = entry[2] if len(entry) == 3 and isinstance(entry[2], int) else None
    return Count(entry[0], float(entry[1]), before)


def _remember(path: Path, url: str, triples: int) -> Count:
    """Write ``triples`` as the count of ``url`` now, with the count it replaces when it
    differs (or the change remembered before, when it does not)."""
    from kg.files import atomic_write

    known = _read(path)
    old = _entry(known, url)
    before = (old.before if old.triples == triples else old.triples) if old else None
    now = time.time()
    known.pop(url, None)  # the newest last: the oldest are dropped first
    known[url] = [triples, now] + ([before] if before is not None else [])
    try:
        atomic_write(path, json.dumps(dict(list(known.items())[-_KEEP:])).encode())
    except OSError:
        pass  # a file that cannot be written only costs the next count
    return Count(triples, now, before)


def recount(endpoint: Endpoint, path: Path) -> Count:
    """Count the endpoint's triples now (one whole-store query) and remember the count."""
    return _remember(path, endpoint.url, endpoint.count())


def remembered_count(endpoint: Endpoint, path: Path, max_age: float = RECHECK) -> Count:
    """The endpoint's remembered triple count, whatever its age (:attr:`Count.due` says it is
    older than ``max_age`` seconds, to be counted again off the path); counted now only when
    none is remembered, or when ``max_age`` is 0."""
    found = _entry(_read(path), endpoint.url) if max_age > 0 else None
    if found is None:
        return recount(endpoint, path)
    age = time.time() - found.taken
    return Count(found.triples, found.taken, found.before, due=not 0 <= age < max_age)


def _mark(path: Path) -> Path:
    return path.with_name(path.name + ".recounting")


def _claim(path: Path) -> bool:
    """Take the mark that one recount of this cache is under way; False if another holds it."""
    mark = _mark(path)
    try:
        if time.time() - mark.stat().st_mtime > _STALE_MARK:
            mark.unlink(missing_ok=True)
    except OSError:
        pass
    try:
        os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except OSError:
        return False
    return True


def recount_later(url: str, headers: Mapping[str, str], timeout: float, path: Path,
                  at_exit: bool = True) -> None:
    """Count the endpoint again in a detached process, started as this one exits (or now,
    with ``at_exit`` False), so no command waits on the count. One recount runs at a time
    per cache; a fault only leaves the old count in place."""
    def start() -> None:
        if not _claim(path):
            return
        job = json.dumps({"url": url, "headers": dict(headers), "timeout": timeout,
                          "path": str(path), "after": os.getpid() if at_exit else 0})
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        try:  # the headers (tokens) go through a pipe, not the command line
            proc = subprocess.Popen([sys.executable, "-m", "kg.rdf.recount"], env=env,
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            _STARTED.append(proc)
            if proc.stdin is not None:
                proc.stdin.write(job.encode())
                proc.stdin.close()
        except OSError:
            _mark(path).unlink(missing_ok=True)

    if at_exit:
        atexit.register(start)
    else:
        start()


def _counted_alone(job: Mapping) -> None:
    """The detached process's work: once the command that started it has exited (so the
    two never compete for the processor), count, remember, drop the mark."""
    waited = 0
    while job.get("after") and os.getppid() == job["after"] and waited < _PARENT_WAIT:
        time.sleep(0.05)
        waited += 1
    from kg.rdf.remote import Endpoint

    path = Path(job["path"])
    try:
        recount(Endpoint(job["url"], timeout=float(job["timeout"]), headers=job["headers"]),
                path)
    except Exception:  # noqa: BLE001 - nobody to tell: the old count stays
        pass
    finally:
        _mark(path).unlink(missing_ok=True)


class Watch:
    """A long-running process's recount: a daemon thread counts the endpoint every
    ``interval`` seconds and calls ``on_change(before, now)`` when the count changed."""

    def __init__(self, endpoint: Endpoint, path: Path, interval: float, known: int,
                 on_change: Callable[[int, int], None]) -> None:
        self.endpoint, self.path, self.interval = endpoint, path, interval
        self.known, self.on_change = known, on_change
        self._first = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kg-recount", daemon=True)

    def start(self, first: float | None = None) -> Watch:
        """Start counting: the first time after ``first`` seconds (the interval if None)."""
        if first is not None:
            self._first = max(0.0, first)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def check(self) -> int:
        """Count once now; tell a change. Returns the count."""
        found = recount(self.endpoint, self.path).triples
        if found != self.known:
            before, self.known = self.known, found
            self.on_change(before, found)
        return found

    def _run(self) -> None:
        wait = self._first
        while not self._stop.wait(wait):
            try:
                self.check()
            except Exception:  # noqa: BLE001 - an endpoint down now is tried again later
                pass
            wait = self.interval


if __name__ == "__main__":  # the detached recount (recount_later)
    _counted_alone(json.loads(sys.stdin.buffer.read() or b"{}"))
