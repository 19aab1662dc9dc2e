"""Options shared by every command, and the one place that turns settings into a workspace."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from kg.config import STORES, Settings
from kg.workspace import Workspace

__all__ = ["graph_options", "workspace_from", "echo_json"]


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep a shared option in ``ctx.meta`` so commands need no parameter for it."""
    ctx.meta[f"kg.{param.name}"] = value
    return value


def graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--graph`` (repeatable), ``--store``, ``--lang``, ``--sparql-endpoint`` and
    ``--cache-dir``."""
    func = click.option(
        "--sparql-header",
        "sparql_headers",
        metavar="'NAME: VALUE'",
        multiple=True,
        expose_value=False,
        callback=_remember,
        help="An HTTP header sent with every request to --sparql-endpoint, e.g. "
        "'Authorization: Bearer TOKEN' (repeatable; env KG_SPARQL_HEADERS, one per line).",
    )(func)
    func = click.option(
        "--sparql-endpoint",
        "sparql_endpoint",
        metavar="URL",
        default=None,
        expose_value=False,
        callback=_remember,
        help="Read the graph from this SPARQL endpoint (Fuseki, QLever, Virtuoso, GraphDB, "
        "kg serve ...) instead of files (env KG_SPARQL_ENDPOINT), in place: names and "
        "definitions are read once into the cache, everything else is fetched by SPARQL "
        "when a command needs it, and kg sparql passes queries through.",
    )(func)
    func = click.option(
        "--lang",
        metavar="TAG",
        default=None,
        expose_value=False,
        callback=_remember,
        help="Language of the labels and definitions shown, e.g. en, fr, de (default en; "
        "then untagged text, then any language; env KG_LANG). Questions may name terms "
        "in any language the graph has.",
    )(func)
    func = click.option(
        "--store",
        type=click.Choice(list(STORES)),
        default=None,
        expose_value=False,
        callback=_remember,
        help="Where the RDF is held: rdflib's memory store (default) or an on-disk Oxigraph "
        "store in the cache dir, loaded once and reopened in under a second (for large "
        "graphs; env KG_STORE).",
    )(func)
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
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    for name in ("store", "sparql_endpoint", "sparql_headers", "lang"):
        extra.setdefault(name, meta.get(f"kg.{name}"))
    if extra.get("sparql_endpoint") and graphs:
        raise click.UsageError("use either --graph or --sparql-endpoint, not both.")
    settings = Settings.from_env(graph_paths=graphs, cache_dir=cache_dir, **extra)
    return Workspace(settings)


def echo_json(obj: Any) -> None:
    """Print one JSON document to stdout (UTF-8, stable key order)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
