"""A long-running process over an endpoint used in place switches to the endpoint's new data.

``kg serve`` and ``kg mcp`` count the endpoint again every ``KG_SPARQL_RECHECK`` seconds in a
thread (:class:`kg.rdf.recount.Watch`). When the count changed, the :class:`Switcher` reads
the new data beside the running engine, in that same thread: a second
:class:`~kg.workspace.Workspace` with the same settings reads the endpoint's names again
(a new setup store, under the new count's key) and builds its index, which embeds only the
documents whose text changed (the vectors of the others are taken from the index in use,
as ``kg index`` does). Meanwhile questions are answered by the engine in use, and
:attr:`Workspace.changing <kg.workspace.Workspace.changing>` says so, for the faces to add to
their answers. Once the new engine is ready the workspace takes it over in one step
(:meth:`~kg.workspace.Workspace.adopt`); a question being answered finishes with the engine
it started with. A read that fails (the endpoint down, its data changing again mid-read)
leaves the engine in use, and is tried again at the next recount.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.rdf.recount import Watch

__all__ = ["Switcher"]

Tell = Callable[[str], None]


class Switcher:
    """What a workspace's :class:`~kg.rdf.recount.Watch` calls when the count changed."""

    def __init__(self, workspace: Any, tell: Tell | None = None) -> None:
        # the kg.workspace.Workspace that switches (this module sits below it)
        self.workspace = workspace
        self.tell = tell or (lambda message: None)
        self.watch: Watch | None = None  # set by Workspace.watch_endpoint
        self.switches = 0

    def __call__(self, before: int, now: int) -> None:
        """Read the data of ``now`` triples beside the engine in use, then switch to it."""
        ws = self.workspace
        ws.changing = (f"the endpoint's data changed ({before:,} triples, now {now:,}); "
                       "this answer comes from the data read before, until the new data "
                       "is read")
        self.tell(f"the endpoint's data changed ({before:,} triples, now {now:,}): reading "
                  "its names again and embedding what changed; answers use the data read "
                  "before until then")
        start = time.perf_counter()
        try:
            fresh = type(ws)(ws.settings)  # a Workspace beside the one in use
            fresh.adopt_watch(ws)
            fresh.remote_store  # noqa: B018 - the names under the new count, read now
            fresh.get_engine()  # the index: only changed documents embedded
            ws.adopt(fresh)
        except Exception as exc:  # noqa: BLE001 - the engine in use keeps answering
            if self.watch is not None:
                self.watch.known = before  # counted as changed again next time: retried
            self.tell(f"the endpoint's new data could not be read ({exc}); answers still "
                      "use the data read before, and it is tried again at the next recount")
            return
        self.switches += 1
        self.tell(f"now answering from the endpoint's new data ({now:,} triples, read in "
                  f"{time.perf_counter() - start:.1f} s)")
