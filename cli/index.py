"""``kg index build|status|clear``: manage the embedding index in the cache."""

from __future__ import annotations

import click

from .common import echo_json, graph_options, workspace_from
from .options import leading_default
from .progress import index_progress

__all__ = ["index"]


@click.group()
def index() -> None:
    """Build, inspect or delete the embedding index.

    The index (FAISS over all-MiniLM-L6-v2 embeddings of one text per graph node) lives
    in the cache directory, one folder per graph content hash, with a manifest. `kg ask`
    builds it automatically when it is missing, stale or corrupt.
    """


@index.command("build")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@graph_options
def build(as_json, graphs, cache_dir):
    """Build (or rebuild) the index for the graph; unchanged texts reuse their vectors."""
    ws = workspace_from(graphs, cache_dir)
    with index_progress(quiet=as_json) as (progress, _notify):
        idx = ws.rebuild_index(progress)
    m = idx.manifest
    if as_json:
        echo_json({"path": str(idx.path), **m.__dict__})
        return
    click.echo(f"built {m.count} entities ({m.index_type}, {m.dim} dims, "
               f"{m.reused_vectors} vectors reused) in {idx.path}")


@index.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@graph_options
def status(as_json, graphs, cache_dir):
    """Say whether the index for the graph is ready, missing, stale or corrupt."""
    ws = workspace_from(graphs, cache_dir)
    st = ws.index_status()
    if as_json:
        echo_json({"state": st.state, "path": str(st.path), "detail": st.detail,
                   "manifest": st.manifest.__dict__ if st.manifest else None})
    else:
        click.echo(f"{st.state}: {st.detail} ({st.path})")
    if st.state != "ready":
        raise SystemExit(1)


@index.command("clear")
@click.option("--graph", "graphs", multiple=True, type=click.Path(dir_okay=False, path_type=str),
              default=leading_default("graphs", True),
              help="Clear only the caches of this graph (repeat for a graph of several "
              "files). Without it, the caches of every graph are cleared.")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              default=leading_default("cache_dir", False),
              help="The cache directory to clear (default: the user cache dir; env "
              "KG_CACHE_DIR).")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def clear(graphs, cache_dir, as_json) -> None:
    """Delete what the cache holds: indexes, view snapshots, engine caches, Oxigraph stores.

    \b
    Examples:
      kg index clear                      every graph's caches
      kg index clear --graph my.ttl       only the caches of my.ttl

    Nothing is lost: every cache is rebuilt from the graph on next use. What stays in the
    cache directory (the ONNX export of the model, which no graph owns, and files kg did
    not write) is listed.
    """
    ws = workspace_from(tuple(graphs), cache_dir)
    done = ws.clear_cache(every_graph=not graphs)
    if as_json:
        echo_json({"cache_dir": str(done.cache_dir), "every_graph": done.every_graph,
                   "indexes": done.indexes, "snapshots": done.snapshots,
                   "engine_caches": done.engine_caches, "stores": done.stores,
                   "kept": done.kept})
        return
    scope = "" if done.every_graph else " for this graph"
    click.echo(f"removed {done.indexes} index folder(s), {done.snapshots} view snapshot(s), "
               f"{done.engine_caches} engine cache(s) and {done.stores} Oxigraph store(s)"
               f"{scope} from {done.cache_dir}")
    if not done.every_graph:
        click.echo("kept: the caches of other graphs (run without --graph to clear them too)")
    elif done.kept:
        click.echo(f"kept: {'; '.join(done.kept)}")
