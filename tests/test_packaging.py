"""What ``pip install`` puts in site-packages: only ``kg*`` names of our own.

The repository keeps its ``cli/`` and ``ontology/`` folders, but they install as ``kg_cli``
and ``kg_ontology`` (pyproject's package-dir mapping): a top-level ``cli`` or ``ontology``
module would shadow, or be shadowed by, another project's.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DIST = PYPROJECT["project"]["name"]


def _setuptools() -> dict:
    return PYPROJECT["tool"]["setuptools"]


def test_installed_distribution_has_only_kg_top_level_names() -> None:
    top = importlib.metadata.distribution(DIST).read_text("top_level.txt") or ""
    names = [n for n in top.split() if n]
    assert names, "the installed distribution lists no top-level names"
    foreign = [n for n in names if not n.startswith("kg")]
    assert not foreign, f"non-kg top-level names installed: {foreign}"
    owners = {n for n, dists in importlib.metadata.packages_distributions().items()
              if DIST in dists}
    assert owners == set(names)


def test_pyproject_packages_are_kg_names_and_cover_every_kg_folder() -> None:
    packages = _setuptools()["packages"]
    assert all(p.split(".")[0].startswith("kg") for p in packages), packages
    on_disk = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "kg").rglob("__init__.py")}
    missing = on_disk - set(packages)
    assert not missing, f"kg packages missing from pyproject's packages list: {sorted(missing)}"
    for name, folder in _setuptools()["package-dir"].items():
        assert name in packages and (ROOT / folder / "__init__.py").is_file(), (name, folder)


def test_console_script_points_into_our_namespace() -> None:
    target = PYPROJECT["project"]["scripts"]["kg"]
    assert target == "kg_cli.main:cli"
    (script,) = [e for e in importlib.metadata.entry_points(group="console_scripts")
                 if e.name == "kg" and e.dist and e.dist.name == DIST]
    assert script.value == target
    assert callable(script.load())


def test_bare_cli_and_ontology_are_not_ours_outside_the_repository(tmp_path: Path) -> None:
    """From another directory, ``import cli`` / ``import ontology`` must not find our folders
    (the test run itself sits in the repository, where the folders are on the path)."""
    code = (
        "import importlib.util, sys\n"
        "for name in ('cli', 'ontology'):\n"
        "    spec = importlib.util.find_spec(name)\n"
        "    print(name, spec.origin if spec else None)\n"
        "import kg_cli.main, kg_ontology\n"
        "from kg.rdf.sources import builtin_sources\n"
        "print('builtin', len(builtin_sources()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        name, origin = line.split(" ", 1)
        if name in ("cli", "ontology"):
            assert origin == "None" or str(ROOT) not in origin, line
    assert "builtin 6" in out
