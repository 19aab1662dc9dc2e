"""The public API of ``kg``: a curated ``__all__``, served lazily, that loads nothing heavy.

Guarded the way httpx guards its exports: a name added to the package or to ``__all__``
without the other fails here, so the public surface only changes on purpose.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).parent.parent
HEAVY = ("torch", "sentence_transformers", "faiss", "transformers", "onnxruntime")
EXPECTED = {
    "Answer": "kg.qa.answer",
    "Engine": "kg.qa.engine",
    "EntityRef": "kg.qa.answer",
    "Fact": "kg.qa.answer",
    "KgError": "kg.errors",
    "LoadedGraph": "kg.rdf.sources",
    "Settings": "kg.config",
    "Workspace": "kg.workspace",
    "export": "kg.export",  # the package: kg.export.export(...) writes a graph
    "load_graph": "kg.rdf.load",
}


def test_all_is_the_curated_list_sorted() -> None:
    assert kg.__all__ == sorted(EXPECTED)
    assert set(kg.__all__) <= set(dir(kg))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_public_name_resolves_to_its_home(name: str) -> None:
    value = getattr(kg, name)
    home = importlib.import_module(EXPECTED[name])
    if home.__name__ == f"kg.{name}":  # a subpackage served as is
        assert value is home and callable(home.export)
        return
    assert value.__module__ == EXPECTED[name]
    assert getattr(home, name) is value


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from kg import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(kg.__all__)


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        kg.nope  # noqa: B018 - the access is the test


def test_errors_share_one_base_class() -> None:
    from kg.errors import ConfigError, GraphLoadError, NotFoundError, QueryError

    for error in (ConfigError, GraphLoadError, NotFoundError, QueryError):
        assert issubclass(error, kg.KgError)


def _loaded_after(code: str) -> list[str]:
    """The heavy modules loaded in a fresh interpreter after running ``code``."""
    probe = code + (
        "\nimport sys\n"
        f"print('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("HEAVY"))
    return eval(line.removeprefix("HEAVY "))  # our own printed list of names


def test_import_kg_and_every_public_name_load_no_torch_model_or_faiss() -> None:
    assert _loaded_after("import kg") == []
    assert _loaded_after("import kg\nfor n in kg.__all__: getattr(kg, n)") == []


def test_kg_help_loads_no_torch_model_or_faiss() -> None:
    code = (
        "import sys\nsys.argv = ['kg', '--help']\nfrom kg_cli.main import cli\n"
        "try:\n    cli()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
    )
    assert _loaded_after(code) == []
