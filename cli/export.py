"""``kg export``: write the graph, or part of it, in a format other tools open."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.export import FORMATS, ExportResult, export, format_for_path
from kg.files import write_atomically

from .common import graph_options, workspace_from

__all__ = ["export_command"]


def _format_help() -> str:
    return "; ".join(f"{name}: {spec.description}" for name, spec in FORMATS.items())


@click.command("export")
@click.option("--format", "-f", "fmt", type=click.Choice(list(FORMATS), case_sensitive=False),
              default=None, help=f"Output format (default: from the -o extension). "
              f"{_format_help()}.")
@click.option("-o", "--output", required=True, metavar="FILE",
              help="File to write, or '-' for standard output (text formats only).")
@click.option("--focus", metavar="CONCEPT", default=None,
              help="Export only the neighbourhood of this concept (label, alternative label, "
              "local name or IRI; case-insensitive).")
@click.option("--depth", type=click.IntRange(min=0), default=None,
              help="How many edges away from --focus to go (default 1).")
@click.option("--types", metavar="CLASSES", default=None,
              help="Keep only nodes of these classes (comma-separated labels or local names; "
              "subclasses included), e.g. --types Product,Company.")
@click.option("--include-literals", is_flag=True, default=False,
              help="Show literals (figures, definitions) as nodes too, not only as attributes.")
@click.option("--include-external", is_flag=True, default=False,
              help="Also draw the targets of links into other vocabularies (skos:exactMatch, "
              "closeMatch, owl:sameAs, rdfs:seeAlso...) that the graph does not describe as "
              "nodes. By default they are listed on their concept as external links.")
@click.option("--title", default=None, help="Title of the HTML page / name of the graph.")
@graph_options
def export_command(
    fmt: str | None,
    output: str,
    focus: str | None,
    depth: int | None,
    types: str | None,
    include_literals: bool,
    include_external: bool,
    title: str | None,
    graphs: tuple[str, ...],
    cache_dir: str | None,
) -> None:
    """Export the graph for viewing: offline HTML, Gephi, Cytoscape, yEd, Graphviz, Mermaid, RDF.

    Exports the whole graph, or with --focus the concepts up to --depth edges around one
    concept, optionally only the nodes of some classes (--types). Labels are the concepts'
    preferred labels, edges are named in words, hierarchy edges are drawn differently from
    other relations, and figures and definitions are node attributes, as are links to
    other vocabularies whose targets the graph does not describe (--include-external
    draws them as nodes).

    \b
    Examples:
      kg export -o taxonomy.html
      kg export --format graphml -o taxonomy.graphml
      kg export --format mermaid --focus "deep learning" --depth 1 -o -
      kg export --format png --focus LLM --depth 2 -o llm.png
      kg export --format turtle --types Product -o products.ttl
      kg export --graph thesaurus.ttl --include-external -o thesaurus.graphml
    """
    to_stdout = output == "-"
    if fmt is None:
        fmt = None if to_stdout else format_for_path(output)
        if fmt is None:
            raise click.UsageError(
                "cannot tell the format from the output name; add --format "
                f"({', '.join(FORMATS)})."
            )
    fmt = fmt.lower()
    spec = FORMATS[fmt]
    if to_stdout and spec.binary:
        raise click.UsageError(
            f"{fmt} is a binary format and is not written to standard output; give a file "
            f"name with -o FILE{spec.suffix} (or use --format svg for text)."
        )
    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus CONCEPT (the concept to start from).")
    type_list = [t.strip() for t in types.split(",") if t.strip()] if types else None
    ws = workspace_from(graphs, cache_dir)
    if focus is not None and ws.settings.sparql_endpoint:
        from kg.view.concepts import graph_prefixes, resolve

        # looked up in the names read at setup, so no node is fetched to find it
        focus = resolve(ws.names, focus, graph_prefixes(ws.graph))
    if title is None and graphs:
        title = ", ".join(Path(g).stem for g in graphs)
    elif title is None and ws.settings.sparql_endpoint:
        title = ws.settings.sparql_endpoint
    elif title is None:
        title = "AI taxonomy"
    options = {"fenced": not to_stdout and output.lower().endswith((".md", ".markdown"))}

    def write(stream) -> ExportResult:
        return export(ws, fmt, stream, focus=focus, depth=depth, types=type_list,
                      include_literals=include_literals, include_external=include_external,
                      graph=ws.graph, title=title,
                      options=options)

    if to_stdout:
        result = write(sys.stdout)
        sys.stdout.flush()
    else:
        result = write_atomically(Path(output), write, parents=False)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if not to_stdout:
        click.echo(f"wrote {output}: {result.nodes} nodes, {result.edges} edges ({fmt})",
                   err=True)
