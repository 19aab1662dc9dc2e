"""``kg search`` (closest concepts to a text) and ``kg path`` (how two concepts connect)."""

from __future__ import annotations

import click

from .common import echo_json, graph_options, workspace_from
from .progress import index_progress

__all__ = ["path", "search"]


@click.command()
@click.argument("text")
@click.option("-k", "--top-k", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many results.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@graph_options
def search(text, top_k, as_json, graphs, cache_dir):
    """List the graph nodes closest in meaning to TEXT (names in TEXT come first)."""
    from kg.qa.search import search as run

    ws = workspace_from(graphs, cache_dir)
    with index_progress(quiet=as_json) as (progress, notify):
        engine = ws.get_engine(progress, notify)
    hits = run(engine, text, top_k)
    if as_json:
        echo_json([{"iri": i, "label": lab, "score": round(s, 4)} for i, lab, s in hits])
        return
    if not hits:
        click.echo("no results")
    for iri, label, score in hits:
        click.echo(f"{score:5.2f}  {label}  <{iri}>")


@click.command()
@click.argument("source")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the paths as JSON.")
@graph_options
def path(source, target, as_json, graphs, cache_dir):
    """Show how two concepts connect: the shortest paths and the facts along them.

    SOURCE and TARGET may be labels, aliases, prefixed names (ai:DeepLearning) or IRIs.
    """
    from kg.qa.search import connect

    ws = workspace_from(graphs, cache_dir)
    ws.view  # noqa: B018 - names are resolved and paths searched across the whole graph,
    # so the engine gets the whole view, not one read from disk node by node (an endpoint
    # used in place is walked out level by level instead)
    if ws.settings.sparql_endpoint:  # in place: a walk and its facts need no vector index
        from types import SimpleNamespace

        from kg.qa.walk import Walker

        engine = SimpleNamespace(view=ws.view, walker=Walker(ws.view, None))
    else:
        with index_progress(quiet=as_json) as (progress, notify):
            engine = ws.get_engine(progress, notify)
    found = connect(engine, source, target, names=ws.names)
    if as_json:
        echo_json([c.to_dict() for c in found])
        return
    for n, conn in enumerate(found, 1):
        click.echo(click.style(f"Path {n}: ", bold=True) + " — ".join(conn.labels))
        for f in conn.facts:
            src = f" [{'; '.join(f.source_labels)}]" if f.source_labels else ""
            click.echo(f"  {f.sentence}{src}")
