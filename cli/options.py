"""The graph options (``--graph``, ``--store``, ``--lang``, ``--sparql-endpoint``,
``--sparql-header``, ``--cache-dir``), accepted before the command as well as after it,
as git and docker do:
``kg --graph my.ttl ask ...`` and ``kg ask --graph my.ttl ...`` mean the same.

Given before the command, an option becomes the default of the command's own option (a
callable default read from the root context), so every command, nested ones
(``kg index build``) included, sees it through its usual parameter; given after the
command too, the one after wins. Kept light (click and :mod:`kg.config` only): ``kg
--help`` imports this module and no command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.config import STORES

__all__ = ["LEADING_KEY", "graph_options", "leading_default", "leading_graph_options",
           "leading_value"]

LEADING_KEY = "kg.leading."  # root ctx.meta key prefix of the options given before the command

_HELP = {
    "graphs": "RDF file to use instead of the built-in AI taxonomy (Turtle, N-Triples, "
    "RDF/XML, JSON-LD, TriG). Repeat to merge several files.",
    "cache_dir": "Where the embedding index is kept (default: the user cache dir; env "
    "KG_CACHE_DIR).",
    "store": "Where the RDF is held: rdflib's memory store (default) or an on-disk Oxigraph "
    "store in the cache dir, loaded once and reopened in under a second (for large "
    "graphs; env KG_STORE).",
    "lang": "Language of the labels and definitions shown, e.g. en, fr, de (default en; "
    "then untagged text, then any language; env KG_LANG). Questions may name terms "
    "in any language the graph has. The index embeds the text shown, so a language whose "
    "labels differ is embedded once more (unchanged texts reuse their vectors).",
    "sparql_endpoint": "Read the graph from this SPARQL endpoint (Fuseki, QLever, Virtuoso, "
    "GraphDB, kg serve ...) instead of files (env KG_SPARQL_ENDPOINT), in place: names and "
    "definitions are read once into the cache, everything else is fetched by SPARQL when a "
    "command needs it, and kg sparql passes queries through.",
    "sparql_headers": "An HTTP header sent with every request to --sparql-endpoint, e.g. "
    "'Authorization: Bearer TOKEN' (repeatable; env KG_SPARQL_HEADERS, one per line).",
}


def _specs() -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(declarations, keyword arguments) of each option, in the order ``--help`` shows."""
    return [
        (("--graph", "graphs"), {"multiple": True,
                                 "type": click.Path(dir_okay=False, path_type=str)}),
        (("--cache-dir", "cache_dir"), {"type": click.Path(file_okay=False, path_type=str)}),
        (("--store", "store"), {"type": click.Choice(list(STORES))}),
        (("--lang", "lang"), {"metavar": "TAG"}),
        (("--sparql-endpoint", "sparql_endpoint"), {"metavar": "URL"}),
        (("--sparql-header", "sparql_headers"), {"metavar": "'NAME: VALUE'", "multiple": True}),
    ]


def leading_value(name: str) -> Any:
    """The value of a graph option given before the command (None when it was not)."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().meta.get(LEADING_KEY + name) if ctx is not None else None


def leading_default(name: str, multiple: bool) -> Callable[[], Any]:
    def default() -> Any:
        value = leading_value(name)
        return (value or ()) if multiple else value

    return default


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep a shared option in ``ctx.meta`` so commands need no parameter for it."""
    ctx.meta[f"kg.{param.name}"] = value
    return value


def _remember_leading(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.find_root().meta[LEADING_KEY + str(param.name)] = value
    return value


def graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the graph options to a command: ``--graph`` and ``--cache-dir`` as parameters,
    the others kept in ``ctx.meta`` (read by :func:`kg_cli.common.workspace_from`)."""
    for decls, kwargs in reversed(_specs()):
        name = decls[1]
        exposed = name in ("graphs", "cache_dir")
        func = click.option(
            *decls, **kwargs, help=_HELP[name],
            default=leading_default(name, kwargs.get("multiple", False)),
            show_default=False, expose_value=exposed,
            callback=None if exposed else _remember,
        )(func)
    return func


def leading_graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The same options for the command group, so they may come before the command."""
    for decls, kwargs in reversed(_specs()):
        func = click.option(*decls, **kwargs, default=None, expose_value=False,
                            callback=_remember_leading,
                            help=_HELP[decls[1]] + " Also accepted after the command.")(func)
    return func
