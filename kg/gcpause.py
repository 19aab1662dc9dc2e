"""Pausing Python's cyclic garbage collector while building large structures.

Building the view of a million-triple graph makes millions of small tuples, lists and
dicts. None of them form reference cycles, so reference counting frees them all; but the
cyclic collector, triggered by the sheer number of allocations, rescans the whole growing
heap again and again. Pausing it halves the time to parse, project and snapshot such a
graph (``bench/scale.py``) and costs nothing on small graphs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block (or decorated function) with the cyclic collector off, then restore
    whatever state it was in (nested uses leave it off until the outermost ends)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
