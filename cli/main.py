"""The ``kg`` command group: registers the commands and maps library errors to exit codes."""

from __future__ import annotations

import importlib
from typing import Any

import click

from kg.errors import KgError

# (module under cli/, command object name) — one line per command.
COMMANDS: list[tuple[str, str]] = [
    ("ask", "ask"),
    ("eval", "eval_command"),
    ("index", "index"),
    ("search", "search"),
    ("search", "path"),
    ("validate", "validate_command"),
    ("show", "show_command"),
    ("sparql", "sparql_command"),
    ("serve", "serve_command"),
]


class KgGroup(click.Group):
    """A group that shows library errors as one clean message with the right exit code."""

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


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-aitax")
def cli() -> None:
    """Ask questions of an AI-taxonomy knowledge graph, offline.

    The built-in graph holds the AI taxonomy (AI ⊃ machine learning ⊃ deep learning ⊃
    LLMs, architectures, products, industries, figures and comparison tables) with the
    article section each fact comes from. Every command also works on your own SKOS or
    OWL/RDFS files with --graph.

    \b
    Examples:
      kg ask "is an LLM a kind of deep learning?"
      kg show Transformers
      kg sparql "SELECT ?c WHERE { ?c a skos:Concept } LIMIT 5"
      kg export --format html -o taxonomy.html
    """


for _module, _name in COMMANDS:
    cli.add_command(getattr(importlib.import_module(f"cli.{_module}"), _name))
