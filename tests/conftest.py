"""Shared fixtures: an isolated cache for the whole session and workspaces loaded once.

The question-answering fixtures use the real all-MiniLM-L6-v2 model and real FAISS; each
graph's index is built once per test session in a temporary cache directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from servers import oxigraph_endpoint, virtuoso_endpoint  # noqa: F401 - real SPARQL servers

from kg.config import Settings
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
# The benchmark helpers (bench/synth.py, the taxonomy generator) are tested too; appended,
# so they never shadow an installed module.
sys.path.append(str(ROOT / "bench"))


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Point every command at a private cache so tests never touch the user's."""
    cache = tmp_path_factory.mktemp("kg-cache")
    old = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(cache)
    os.environ["HF_HUB_OFFLINE"] = "1"
    yield cache
    if old is None:
        os.environ.pop("KG_CACHE_DIR", None)
    else:
        os.environ["KG_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def vehicles_ws(session_cache: Path) -> Workspace:
    """A small non-AI SKOS taxonomy: proves the engine is not tied to one graph."""
    return Workspace(Settings(graph_paths=(DATA / "qa_vehicles.ttl",), cache_dir=session_cache))


@pytest.fixture(scope="session")
def builtin_ws(session_cache: Path) -> Workspace:
    """The built-in AI taxonomy."""
    return Workspace(Settings(cache_dir=session_cache))


@pytest.fixture(scope="session")
def vehicles(vehicles_ws: Workspace):
    return vehicles_ws.engine


@pytest.fixture(scope="session")
def engine(builtin_ws: Workspace):
    return builtin_ws.engine
