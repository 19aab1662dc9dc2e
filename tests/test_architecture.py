"""The layout rules, checked by reading the source with ``ast`` (nothing is imported).

* the layers: data flows one way, and a module imports only from its own package, from
  the base modules, or from a lower layer (never upward, never a peer of its layer)::

      base < kg.rdf < kg.view < {kg.sparql, kg.qa, kg.export} < kg.workspace
           < {kg.server, kg.mcp} < kg (the lazy public API) < kg_cli

  The base modules are the top-level ``kg/*.py`` files other than the workspace:
  ``kg.errors`` (the error hierarchy), ``kg.config`` (settings), ``kg.files`` (atomic
  writes, cache removal), ``kg.fingerprint`` (cache keys), ``kg.fuzzy`` (close matches),
  ``kg.gcpause`` and ``kg.net``.
  Every layer may use them, and they import only each other (the cycle check keeps that
  acyclic). A new package or top-level module must be given a place in :data:`LAYERS`;
* no module imports another module's private (``_underscore``) name;
* no import cycle between ``kg`` modules, imports inside functions and under
  ``TYPE_CHECKING`` included (a cycle there still means the layers point both ways);
* no file in ``kg/`` longer than 600 lines;
* no heavy library (torch, FAISS, the model stack, the server stack) imported at module
  level anywhere in ``kg/`` (importing ``kg`` must stay cheap).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
# installed package name -> repository folder (pyproject's package-dir: cli/ installs as kg_cli)
FOLDERS = {"kg": "kg", "kg_cli": "cli"}
PACKAGES = tuple(FOLDERS)
MAX_LINES = 600
# The layer of each unit (a kg subpackage, a top-level kg module, or kg_cli): lower first.
LAYERS: tuple[frozenset[str], ...] = tuple(frozenset(layer) for layer in (
    {"kg.errors", "kg.config", "kg.files", "kg.fingerprint", "kg.fuzzy", "kg.gcpause", "kg.net"},
    {"kg.rdf"},
    {"kg.view"},
    {"kg.sparql", "kg.qa", "kg.export", "kg.switching"},
    {"kg.workspace"},
    {"kg.server", "kg.mcp"},
    {"kg"},
    {"kg_cli"},
))
HEAVY = {"torch", "sentence_transformers", "faiss", "onnxruntime", "uvicorn", "pyshacl",
         "tokenizers", "transformers"}


@dataclass(frozen=True)
class Import:
    """One imported name: ``module`` (absolute) and ``name`` (None for ``import module``)."""

    module: str
    name: str | None
    line: int
    top_level: bool


def module_name(path: Path, root: Path = ROOT) -> str:
    """``kg/rdf/load.py`` -> ``kg.rdf.load``; ``kg/rdf/__init__.py`` -> ``kg.rdf``;
    ``cli/main.py`` -> ``kg_cli.main``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    parts[0] = {folder: name for name, folder in FOLDERS.items()}.get(parts[0], parts[0])
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(*packages: str, root: Path = ROOT) -> dict[str, Path]:
    """Every module of the given top-level packages, by dotted name."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / FOLDERS.get(package, package)).rglob("*.py")):
            found[module_name(path, root)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, module: str) -> Iterator[Import]:
    """Every import statement of a file, wherever it sits; ``top_level`` is True for those
    that run when the module is imported (not in a function, not under TYPE_CHECKING)."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))

    def walk(node: ast.AST, top: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from walk(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), False)
                for stmt in child.orelse:
                    yield from walk(ast.Module(body=[stmt], type_ignores=[]), top)
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(alias.name, None, child.lineno, top)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = module.split(".")
                    if not is_package:
                        anchor = anchor[:-1]
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    yield Import(base, alias.name, child.lineno, top)
            else:
                yield from walk(child, top)

    yield from walk(tree, True)


def edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (``from a import b`` names ``a.b`` when
    that is a module, else ``a``)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for imp in imports_of(path, module):
            target = imp.module
            if imp.name and f"{imp.module}.{imp.name}" in modules:
                target = f"{imp.module}.{imp.name}"
            if target in modules and target != module:
                graph[module].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_imports_another_modules_private_name() -> None:
    modules = sources(*PACKAGES)
    offences = []
    for module, path in modules.items():
        for imp in imports_of(path, module):
            own = imp.module == module
            hidden = [p for p in imp.module.split(".") if _private(p)]
            if imp.module.split(".")[0] not in PACKAGES or own:
                continue
            if hidden or (imp.name is not None and _private(imp.name)):
                offences.append(f"{path.relative_to(ROOT)}:{imp.line}: "
                                f"{imp.module}{'.' + imp.name if imp.name else ''}")
    assert not offences, "private names imported across modules:\n" + "\n".join(offences)


def test_no_import_cycles_between_kg_modules() -> None:
    found = cycles(edges(sources("kg")))
    assert not found, "import cycles (function-level imports included):\n" + "\n".join(
        " <-> ".join(c) for c in found
    )


def unit_of(module: str) -> str:
    """The layered unit a module belongs to: ``kg.qa.engine`` -> ``kg.qa``,
    ``kg.errors`` -> ``kg.errors``, ``kg`` -> ``kg``, ``kg_cli.ask`` -> ``kg_cli``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "kg" else parts[0]


def rank_of(unit: str) -> int:
    """The layer of a unit; KeyError for a unit :data:`LAYERS` does not place."""
    for rank, layer in enumerate(LAYERS):
        if unit in layer:
            return rank
    raise KeyError(unit)


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that goes up a layer or sideways to a peer, and every unplaced unit."""
    found = []
    for module, targets in sorted(graph.items()):
        source = unit_of(module)
        for target in sorted(targets):
            goal = unit_of(target)
            if goal == source:
                continue
            try:
                low, high = rank_of(goal), rank_of(source)
            except KeyError as exc:
                found.append(f"{module} -> {target}: {exc} has no place in LAYERS")
                continue
            if low > high or (low == high and high > 0):  # base modules may use each other
                how = "a peer" if low == high else "a higher layer"
                found.append(f"{module} -> {target} ({goal} is {how} of {source})")
    return found


def test_packages_import_only_downward() -> None:
    found = layer_violations(edges(sources(*PACKAGES)))
    assert not found, "imports against the layer order:\n" + "\n".join(found)


def test_every_unit_has_a_layer() -> None:
    units = {unit_of(m) for m in sources(*PACKAGES)}
    placed = set().union(*LAYERS)
    assert units <= placed, f"place these in LAYERS: {sorted(units - placed)}"
    assert not placed - units, f"LAYERS names units that do not exist: {sorted(placed - units)}"


def test_cli_is_above_kg() -> None:
    """The library never imports the command line."""
    graph = edges(sources(*PACKAGES))
    upward = [f"{m} -> {t}" for m, ts in graph.items() if m.split(".")[0] == "kg"
              for t in ts if t.split(".")[0] == "kg_cli"]
    assert not upward, "kg imports cli:\n" + "\n".join(upward)


def test_no_file_in_kg_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in sorted((ROOT / "kg").rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"files over {MAX_LINES} lines: {long}"


def test_no_heavy_module_level_imports_in_kg() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{imp.line}: {imp.module}"
        for module, path in sources("kg").items()
        for imp in imports_of(path, module)
        if imp.top_level and imp.module.split(".")[0] in HEAVY
    ]
    assert not offences, "heavy imports at module level:\n" + "\n".join(offences)


# ---------------------------------------------------------------- the checker itself
def test_checker_sees_function_level_and_type_checking_imports(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import torch\n"
        "from .sibling import _hidden\n"
        "if TYPE_CHECKING:\n"
        "    import faiss\n"
        "def f():\n"
        "    from kg.other import thing\n"
    )
    path = tmp_path / "mod.py"
    path.write_text(source)
    found = {(i.module, i.name, i.top_level) for i in imports_of(path, "kg.pkg.mod")}
    assert ("torch", None, True) in found
    assert ("kg.pkg.sibling", "_hidden", True) in found
    assert ("faiss", None, False) in found
    assert ("kg.other", "thing", False) in found


def test_checker_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_checker_catches_an_upward_import_planted_in_a_tree(tmp_path: Path) -> None:
    """A copy of the package with one upward import (kg.rdf -> kg.view) and one sideways
    (kg.qa -> kg.export, both layer 3), inside a function, fails the layer check."""
    for folder in FOLDERS.values():
        for path in (ROOT / folder).rglob("*.py"):
            target = tmp_path / folder / path.relative_to(ROOT / folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    assert not layer_violations(edges(sources(*PACKAGES, root=tmp_path)))  # the copy is clean
    with (tmp_path / "kg" / "rdf" / "load.py").open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef _planted():\n    from kg.view.graph_view import GraphView\n"
                 "    return GraphView\n")
    (tmp_path / "kg" / "qa" / "planted.py").write_text(
        "from kg.export import registry\n", encoding="utf-8")
    found = layer_violations(edges(sources(*PACKAGES, root=tmp_path)))
    assert found == [
        "kg.qa.planted -> kg.export.registry (kg.export is a peer of kg.qa)",
        "kg.rdf.load -> kg.view.graph_view (kg.view is a higher layer of kg.rdf)",
    ]


def data_node_tests(modules: dict[str, Path]) -> list[str]:
    """Data-node tests (``is_data``, ``_is_data_node`` ...) other than ``GraphView.is_data``
    that decide by themselves: they read the node attributes the definition reads."""
    attributes = {"concept", "description", "literals", "types"}
    own = []
    for module, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef) or not node.name.lstrip("_").startswith(
                    ("is_data", "is_data_node")):
                continue
            if module == "kg.view.graph_view" and node.name == "is_data":
                continue
            keys = [c.args[0] for c in ast.walk(node) if isinstance(c, ast.Call) and c.args
                    and isinstance(c.func, ast.Attribute) and c.func.attr == "get"]
            keys += [c.slice for c in ast.walk(node) if isinstance(c, ast.Subscript)]
            read = {k.value for k in keys
                    if isinstance(k, ast.Constant) and k.value in attributes}
            if read:
                own.append(f"{module}.{node.name} reads {sorted(read)}")
    return own


def test_the_data_node_test_has_one_home(tmp_path: Path) -> None:
    """``GraphView.is_data`` defines a data node (with what it must carry); any other
    function named for it may only delegate (the walk's memo), never decide by itself."""
    assert not data_node_tests(sources("kg"))
    planted = tmp_path / "walk.py"  # the walk's old test: its own reading of the node
    planted.write_text(
        "def is_data(self, iri):\n"
        "    return bool(self.view.node(iri).get('description')) and self.view.is_data(iri)\n",
        encoding="utf-8")
    assert data_node_tests({"kg.qa.walk": planted}) == ["kg.qa.walk.is_data reads ['description']"]
