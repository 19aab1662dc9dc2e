"""``kg sparql``: run one read-only SPARQL query against the graph and print the result."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.sparql.runner import GRAPH_FORMATS, TABULAR_FORMATS, default_format, serialize

from .common import graph_options, workspace_from

FORMAT_NAMES = list(dict.fromkeys([*TABULAR_FORMATS, *GRAPH_FORMATS]))


def _read_query(query: str) -> str:
    """The query text from the argument, ``@file`` or ``-`` (stdin); bad input is a usage error."""
    if query == "-":
        data = sys.stdin.buffer.read()
        where = "standard input"
    elif query.startswith("@"):
        path = Path(query[1:])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise click.BadParameter(
                f"cannot read {path}: {exc.strerror}.", param_hint="QUERY"
            ) from None
        where = str(path)
    else:
        return query
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.BadParameter(f"{where} is not valid UTF-8.", param_hint="QUERY") from None


@click.command("sparql")
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="Output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Stop the query after this many seconds (default 30; env KG_QUERY_TIMEOUT).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Return at most this many rows or triples (default 10000; env KG_MAX_ROWS).",
)
@graph_options
def sparql_command(
    query: str,
    fmt: str | None,
    timeout: float | None,
    max_rows: int | None,
    graphs: tuple[str, ...],
    cache_dir: str | None,
) -> None:
    """Run a read-only SPARQL QUERY (text, @file, or - for stdin) on the graph.

    Common prefixes (ai:, ais:, skos:, rdfs:, owl:, schema:, dcterms:, prov: ...) are
    predeclared. Updates, SERVICE and remote FROM are refused: nothing is changed and
    nothing is fetched.

    \b
    Examples:
      kg sparql "SELECT ?c ?l WHERE { ?c a skos:Concept ; skos:prefLabel ?l } LIMIT 5"
      kg sparql @query.rq --format csv > out.csv
      kg sparql "CONSTRUCT WHERE { ?c skos:broader ?b }" --format ntriples
    """
    text = _read_query(query)
    workspace = workspace_from(graphs, cache_dir, query_timeout=timeout, max_rows=max_rows)
    settings = workspace.settings
    with workspace.query_runner() as runner:  # an endpoint's: passed through to it
        result = runner.run(text)
    namespaces = {prefix: str(ns) for prefix, ns in workspace.graph.namespaces()}
    body = serialize(result, fmt or default_format(result.kind), namespaces)
    sys.stdout.buffer.write(body if body.endswith(b"\n") else body + b"\n")
    sys.stdout.flush()
    if result.truncated:
        click.echo(
            f"note: the result was cut at {settings.max_rows} "
            f"{'rows' if result.kind == 'SELECT' else 'triples'}; add LIMIT/OFFSET or raise "
            "--max-rows to see more.",
            err=True,
        )
