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
        if not bar:
            bar.append(tqdm(total=total, desc="embedding", unit="doc", leave=False))
        bar[0].n = done
        bar[0].refresh()

    def notify(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)

    try:
        yield progress, notify
    finally:
        if bar:
            bar[0].close()
