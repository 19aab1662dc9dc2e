"""A tqdm progress bar on stderr, handed to the library as a ``progress(done, total)`` callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

__all__ = ["index_progress"]


@contextmanager
def index_progress(quiet: bool = False) -> Iterator[tuple[Callable, Callable]]:
    """Yield ``(progress, notify)`` callbacks for index builds; closes the bar at the end."""
    from tqdm import tqdm

    bar: list[tqdm] = []

    def progress(done: int, total: int) -> None:
        if quiet:
            return
        if not bar:  # vectors reused from earlier builds count as done, not in the rate
            bar.append(tqdm(total=total, initial=done, desc="embedding", unit="doc",
                            leave=False, dynamic_ncols=True))
            return
        bar[0].update(done - bar[0].n)  # update(), not n=: tqdm's rate and time left need it

    def notify(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    try:
        yield progress, notify
    finally:
        if bar:
            bar[0].close()
