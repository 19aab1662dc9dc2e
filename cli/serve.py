"""``kg serve``: the graph as a read-only SPARQL endpoint (plus /ask) over HTTP."""

from __future__ import annotations

import logging
import re

import click

from kg.net import is_loopback

from .common import graph_options, watch_endpoint, workspace_from

_UNITS = {"": 1, "b": 1, "kb": 1000, "k": 1024, "kib": 1024, "mb": 1000**2, "m": 1024**2,
          "mib": 1024**2, "gb": 1000**3, "gib": 1024**3}


def parse_size(value: str) -> int:
    """Bytes from '1MB', '512k', '2MiB' or a plain number (MB = 10^6, MiB = 2^20)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
    if not match or match.group(2).lower() not in _UNITS:
        raise click.BadParameter(f"{value!r} is not a size such as 1MB, 512kB or 1048576.")
    size = int(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if size < 1024:
        raise click.BadParameter("use at least 1kB.")
    return size


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the graph to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds after which a query is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=None,
              help="Rows (or triples) per result at most (default 10000; env KG_MAX_ROWS).")
@click.option("--max-body", default="1MB", show_default=True,
              help="Largest request body accepted.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Query worker processes (default: 2 to 4, by CPU count).")
@graph_options
def serve_command(
    host: str,
    port: int,
    timeout: float,
    max_rows: int | None,
    max_body: str,
    workers: int | None,
    graphs: tuple[str, ...],
    cache_dir: str | None,
) -> None:
    """Serve the graph: a browser app at http://HOST:PORT/ and SPARQL at /sparql.

    Open http://127.0.0.1:7878/ in a browser to ask questions, browse the taxonomy
    (search, hierarchy, a page per concept and per concept scheme, an A-Z index at /az,
    labels in any language the graph holds with ?lang=fr) and run SPARQL queries; the
    page is self-contained and requests nothing from other sites. Concept pages are
    rendered by the server, so they read without script too (curl, search engines).

    Tools such as YASGUI, SPARQLWrapper, rdflib's SPARQLStore or Comunica query
    /sparql as they would query Fuseki (SPARQL 1.1 Protocol, read-only). Also:
    /ask?q=... (the JSON of `kg ask --json`), /concept?iri=... (a concept as Turtle,
    JSON-LD or N-Triples by content negotiation), /void, /healthz. Updates, SERVICE and
    remote FROM are refused; each query stops at --timeout (time waiting for a free
    worker included) while other clients keep being answered.

    \b
    Examples:
      kg serve                                  # then open http://127.0.0.1:7878/
      kg serve --graph my-thesaurus.ttl --port 8080
      kg serve --timeout 5 --max-rows 1000 --workers 2
    """
    import uvicorn

    from kg.server.app import ServerSettings, create_app, uvicorn_options

    body_limit = parse_size(max_body)
    workspace = workspace_from(graphs, cache_dir, max_rows=max_rows)
    watch_endpoint(workspace)
    loaded = workspace.loaded  # load now so a bad file is a clean error, not a traceback
    options: dict[str, object] = {"timeout": timeout, "max_rows": workspace.settings.max_rows,
                                  "max_body": body_limit, "warm_engine": True}
    if workers:
        options["workers"] = workers
    settings = ServerSettings(**options)  # type: ignore[arg-type]
    app = create_app(workspace, settings)
    # Our own lines (ready, one per request) at INFO; libraries only when something is wrong
    # (faiss announces at INFO each CPU build it tries, which reads like errors).
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("kg").setLevel(logging.INFO)
    if not is_loopback(host):
        click.echo(f"warning: binding {host}: the endpoint is reachable from the network.",
                   err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {len(loaded):,} triples: open http://{shown}:{port}/ in a browser; "
               f"SPARQL at http://{shown}:{port}/sparql (timeout {timeout:g} s, "
               f"{settings.workers} workers)", err=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        log_config=None,  # keep the logging set up above: one line per request
        **uvicorn_options(settings),  # type: ignore[arg-type]
    )
