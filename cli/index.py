"""``kg index build|status|clear``: manage the embedding index in the cache."""

from __future__ import annotations

import click

from cli.common import echo_json, graph_options, workspace_from
from cli.progress import index_progress

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
def build(as_json, graphs, cache_dir):  # noqa: ANN001
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
def status(as_json, graphs, cache_dir):  # noqa: ANN001
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
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="The cache directory to clear (default: the user cache dir).")
def clear(cache_dir):  # noqa: ANN001
    """Delete every index in the cache directory."""
    from kg.qa.index import clear_indexes

    ws = workspace_from((), cache_dir)
    removed = clear_indexes(ws.settings.resolved_cache_dir())
    click.echo(f"removed {removed} index folder(s) from {ws.settings.resolved_cache_dir()}")
