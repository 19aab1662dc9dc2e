"""The ``kg`` command group: registers the commands and maps library errors to exit codes.

Commands are imported only when invoked (``kg ask`` never imports the SPARQL, SHACL or
export code), so a question pays only for what it uses. ``kg --help`` lists every command
from the table below without importing any of them.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from kg.errors import KgError

from .options import leading_graph_options

# name -> ("module:attribute" in this package, one-line help shown by `kg --help`).
# tests/test_cli_main.py checks each line against the command it names.
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("ask:ask", "Answer a question from the graph, citing the source of every..."),
    "eval": ("eval:eval_command", "Answer QUESTIONS (JSON Lines, the shared eval schema)..."),
    "export": ("export:export_command", "Export the graph for viewing: offline HTML, Gephi..."),
    "index": ("index:index", "Build, inspect or delete the embedding index."),
    "mcp": ("mcp:mcp_command", "Serve the graph to LLM agents over MCP (Model Context..."),
    "path": ("search:path", "Show how two concepts connect: the shortest paths and the..."),
    "search": ("search:search", "List the graph nodes closest in meaning to TEXT (names in..."),
    "serve": ("serve:serve_command", "Serve the graph: a browser app at http://HOST:PORT/ and..."),
    "show": ("show:show_command", "Show one CONCEPT: type, definition, broader chain..."),
    "sparql": ("sparql:sparql_command", "Run a read-only SPARQL QUERY (text, @file, or - for..."),
    "validate": ("validate:validate_command", "Check the graph: SHACL shapes plus hierarchy..."),
}


def load_command(name: str) -> click.Command:
    """Import the module of one command and return its click object."""
    target, _ = COMMANDS[name]
    module, attr = target.split(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), attr)


class KgGroup(click.Group):
    """Lazy command loading, and library errors shown as one clean message with its exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        if ctx.resilient_parsing or _listing_help(ctx):
            return _Placeholder(cmd_name, COMMANDS[cmd_name][1])
        command = load_command(cmd_name)
        self.commands[cmd_name] = command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ctx._kg_listing = True  # type: ignore[attr-defined]
        try:
            super().format_commands(ctx, formatter)
        finally:
            ctx._kg_listing = False  # type: ignore[attr-defined]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            error = click.ClickException(str(exc))
            error.exit_code = exc.exit_code
            raise error from None
        except RecursionError:
            raise click.ClickException(
                "the input nests too deeply to process; simplify it and try again."
            ) from None


class _Placeholder(click.Command):
    """Stands for a command in the `kg --help` listing, so the listing imports nothing."""

    def __init__(self, name: str, short_help: str) -> None:
        super().__init__(name, short_help=short_help)


def _listing_help(ctx: click.Context) -> bool:
    """True while the group formats its own help (the only caller that just wants names)."""
    return getattr(ctx, "_kg_listing", False)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-aitax")
@leading_graph_options
def cli() -> None:
    """Ask questions of an AI-taxonomy knowledge graph, offline.

    The built-in graph holds the AI taxonomy (AI ⊃ machine learning ⊃ deep learning ⊃
    LLMs, architectures, products, industries, figures and comparison tables) with the
    article section each fact comes from. Every command also works on your own SKOS or
    OWL/RDFS files with --graph. The graph options go before or after the command
    (kg --graph my.ttl ask ..., kg ask --graph my.ttl ...); after it, they win.

    \b
    Examples:
      kg ask "is an LLM a kind of deep learning?"
      kg show Transformers
      kg sparql "SELECT ?c WHERE { ?c a skos:Concept } LIMIT 5"
      kg export --format html -o taxonomy.html
    """
