"""The layout rules, checked by reading the source with ``ast`` (nothing is imported).

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
HEAVY = {"torch", "sentence_transformers", "faiss", "onnxruntime", "uvicorn", "pyshacl",
         "tokenizers", "transformers"}


@dataclass(frozen=True)
class Import:
    """One imported name: ``module`` (absolute) and ``name`` (None for ``import module``)."""

    module: str
    name: str | None
    line: int
    top_level: bool


def module_name(path: Path) -> str:
    """``kg/rdf/load.py`` -> ``kg.rdf.load``; ``kg/rdf/__init__.py`` -> ``kg.rdf``;
    ``cli/main.py`` -> ``kg_cli.main``."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    parts[0] = {folder: name for name, folder in FOLDERS.items()}.get(parts[0], parts[0])
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources(*packages: str) -> dict[str, Path]:
    """Every module of the given top-level packages, by dotted name."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((ROOT / FOLDERS.get(package, package)).rglob("*.py")):
            found[module_name(path)] = path
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
