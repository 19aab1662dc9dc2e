"""``kg mcp``: serve the graph to LLM agents over the Model Context Protocol."""

from __future__ import annotations

import click

from .common import graph_options, watch_endpoint, workspace_from
from .progress import index_progress


@click.command("mcp")
@click.option("--http", "http", is_flag=True,
              help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind with --http; anything but loopback exposes the graph "
              "to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7879, show_default=True,
              help="Port for --http.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds after which a SPARQL query is stopped.")
@click.option("--max-rows", type=click.IntRange(1, 1000), default=1000, show_default=True,
              help="Most rows or triples one SPARQL result may return (agents ask for 100 "
              "by default and 1000 at most).")
@click.option("--workers", type=click.IntRange(1, 16), default=2, show_default=True,
              help="SPARQL worker processes (a runaway query holds only one).")
@click.option("--no-preload", is_flag=True,
              help="Load the embedding model on the first question instead of at start.")
@graph_options
def mcp_command(
    http: bool,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    no_preload: bool,
    graphs: tuple[str, ...],
    cache_dir: str | None,
) -> None:
    """Serve the graph to LLM agents over MCP (Model Context Protocol), read-only.

    By default speaks MCP over stdin/stdout, which is how desktop and IDE agents launch
    a server: register the command `kg mcp` (with --graph FILE for your own taxonomy)
    in the client's MCP configuration. With --http it serves the streamable HTTP
    transport at http://127.0.0.1:7879/mcp instead.

    \b
    Tools: ask (cited answers, or an abstention), search_concepts, get_concept,
    get_hierarchy, find_path, sparql_query (read-only; updates, SERVICE and remote
    FROM refused, stopped at --timeout, rows capped), graph_summary.
    Resources: kg://graph/schema, kg://sparql/examples, kg://graph/summary.

    \b
    Examples:
      kg mcp                                   # stdio, the built-in graph
      kg mcp --graph my-taxonomy.ttl           # stdio, your own SKOS/OWL file
      kg mcp --http --port 7879                # http://127.0.0.1:7879/mcp
      npx @modelcontextprotocol/inspector kg mcp    # try the tools by hand
    """
    from kg.mcp.server import serve
    from kg.mcp.tools import GraphTools, ToolLimits

    workspace = workspace_from(graphs, cache_dir)
    watch_endpoint(workspace)
    tools = GraphTools(workspace, ToolLimits(timeout=timeout, max_rows=max_rows,
                                             workers=workers))
    loaded = workspace.loaded  # load now so a bad file is a clean error, not a traceback
    where = f"http://{host}:{port}/mcp" if http else "stdio"
    click.echo(f"kg mcp: {len(loaded):,} triples over {where} "
               f"(SPARQL timeout {timeout:g} s, {workers} workers)", err=True)
    with index_progress() as (progress, notify):
        serve(tools, http=http, host=host, port=port, preload=not no_preload,
              progress=progress, notify=notify)
