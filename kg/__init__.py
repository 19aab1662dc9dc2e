"""kg: an offline knowledge graph and question-answering engine over RDF taxonomies.

The public API, for scripts and other programs::

    import kg

    ws = kg.Workspace(kg.Settings.from_env(graph_paths=["my-taxonomy.ttl"]))
    answer = ws.engine.ask("what is a car?")        # a kg.Answer: text, facts, sources
    print(answer.text)                              # every sentence cites its source
    with open("taxonomy.graphml", "wb") as out:
        kg.export.export(ws, "graphml", out)        # kg.export: the exporters

Every error the library raises is a :class:`KgError` with a message a person can act on.
Names are served lazily (:pep:`562`): importing ``kg`` loads nothing heavy (no rdflib,
torch, model or FAISS); each name loads its module on first use. Everything else is
internal and may change between versions.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.errors import KgError
    from kg.qa.answer import Answer, EntityRef, Fact
    from kg.qa.engine import Engine
    from kg.rdf.load import LoadedGraph, load_graph
    from kg.workspace import Workspace

# name -> the module that defines it (the one home of each behaviour); ``export`` is the
# exporters' package itself (a submodule, so a function of that name would be shadowed).
_HOMES: dict[str, str] = {
    "Answer": "kg.qa.answer",
    "Engine": "kg.qa.engine",
    "EntityRef": "kg.qa.answer",
    "Fact": "kg.qa.answer",
    "KgError": "kg.errors",
    "LoadedGraph": "kg.rdf.load",
    "Settings": "kg.config",
    "Workspace": "kg.workspace",
    "export": "kg.export",
    "load_graph": "kg.rdf.load",
}

__all__ = [
    "Answer",
    "Engine",
    "EntityRef",
    "Fact",
    "KgError",
    "LoadedGraph",
    "Settings",
    "Workspace",
    "export",
    "load_graph",
]


def __getattr__(name: str) -> Any:
    """Import the home module of a public name on first use, then keep the name here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module = import_module(home)
    value = module if home == f"{__name__}.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
