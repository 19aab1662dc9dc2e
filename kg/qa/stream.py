"""The index documents of a graph used in place on a SPARQL endpoint, streamed: read from
the endpoint a chunk of nodes at a time, each node's text from its own neighbourhood (so they
equal the documents of the same graph as a file), every finished chunk kept so an interrupted
build resumes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from kg.files import atomic_write
from kg.qa.documents import Document, node_text
from kg.view.remote_view import PROJECTION_BATCH as _BATCH
from kg.view.remote_view import RemoteStore

__all__ = ["stream_documents"]


def stream_documents(store: RemoteStore, folder: Path, chunk: int = 1024,
                     progress: Callable[[int, int], None] | None = None) -> list[Any]:
    """The index documents of every node named at setup, as the whole view would give
    them (:func:`kg.qa.documents.node_text`: relations included), read from the endpoint
    ``chunk`` nodes at a time.

    Each node's text needs its own triples and its neighbours' names and kinds: the
    projection of its neighbourhood and its neighbours' setup triples
    (:meth:`RemoteStore.projection`, 64 nodes to a request) holds exactly that, so every
    triple is read twice at most (once from each end) and nothing is kept from one batch to
    the next. Each chunk's texts are written to ``folder`` once finished: a build stopped
    by a fault or by the user resumes at the first unfinished chunk."""
    iris = sorted(store.iris())
    done: list[Any] = []
    for at in range(0, len(iris), chunk):
        batch = iris[at:at + chunk]
        path = folder / f"{at // chunk:07d}.json"
        try:
            saved = orjson.loads(path.read_bytes())
            if saved["iris"] == batch:
                done += [Document(i, t) for i, t in zip(batch, saved["texts"], strict=True)]
                continue
        except (OSError, ValueError, KeyError, TypeError):
            pass
        texts = []
        for sub in range(0, len(batch), _BATCH):
            nodes = batch[sub:sub + _BATCH]
            view = store.projection(nodes)
            texts += [node_text(view, i) if i in view.nx else "" for i in nodes]
        try:
            atomic_write(path, orjson.dumps({"iris": batch, "texts": texts}))
        except OSError:
            pass  # a cache that cannot be written only costs a resume
        done += [Document(i, t) for i, t in zip(batch, texts, strict=True)]
        if progress is not None:
            progress(len(done), len(iris))
    return done
