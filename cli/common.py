"""Options shared by every command, and the one place that turns settings into a workspace."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from kg.config import Settings
from kg.workspace import Workspace

__all__ = ["graph_options", "workspace_from", "echo_json"]


def graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--graph`` (repeatable) and ``--cache-dir`` to a command."""
    func = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help="Where the embedding index is kept (default: the user cache dir; env KG_CACHE_DIR).",
    )(func)
    func = click.option(
        "--graph",
        "graphs",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=str),
        help="RDF file to use instead of the built-in AI taxonomy (Turtle, N-Triples, "
        "RDF/XML, JSON-LD, TriG). Repeat to merge several files.",
    )(func)
    return func


def workspace_from(graphs: tuple[str, ...], cache_dir: str | None, **extra: Any) -> Workspace:
    """Build the workspace for a command from its shared options and the environment."""
    settings = Settings.from_env(graph_paths=graphs, cache_dir=cache_dir, **extra)
    return Workspace(settings)


def echo_json(obj: Any) -> None:
    """Print one JSON document to stdout (UTF-8, stable key order)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
