"""Options shared by every command, and the one place that turns settings into a workspace."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from kg.config import Settings
from kg.workspace import Workspace

from .options import graph_options

__all__ = ["graph_options", "watch_endpoint", "workspace_from", "echo_json"]


def workspace_from(graphs: tuple[str, ...], cache_dir: str | None, **extra: Any) -> Workspace:
    """Build the workspace for a command from its shared options and the environment."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    for name in ("store", "sparql_endpoint", "sparql_headers", "lang"):
        extra.setdefault(name, meta.get(f"kg.{name}"))
    if extra.get("sparql_endpoint") and graphs:
        raise click.UsageError("use either --graph or --sparql-endpoint, not both.")
    settings = Settings.from_env(graph_paths=graphs, cache_dir=cache_dir, **extra)
    return Workspace(settings, notify=lambda message: click.echo(message, err=True))


def watch_endpoint(workspace: Workspace) -> None:
    """In a long-running command over an endpoint used in place, switch to the endpoint's
    new data when a recount finds it changed, saying so on stderr (kg.switching)."""
    workspace.switch_on_change(lambda message: click.echo(message, err=True))


def echo_json(obj: Any) -> None:
    """Print one JSON document to stdout (UTF-8, stable key order)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
