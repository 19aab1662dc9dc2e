"""Every ranking weight lives in kg.qa.weights with a name and a reason."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from kg.qa import weights


def test_every_weight_has_a_reason() -> None:
    source = inspect.getsource(weights)
    names = [n.targets[0].id for n in ast.parse(source).body if isinstance(n, ast.Assign)]
    assert len(names) >= 20
    for line in source.splitlines():
        if re.match(r"[A-Z_]+ = ", line):
            assert "  # " in line, f"no reason given: {line}"


def test_no_bare_tuned_floats_in_ranking_modules() -> None:
    root = Path(weights.__file__).parent
    for name in ("engine.py", "walk.py"):
        text = (root / name).read_text(encoding="utf-8")
        floats = re.findall(r"(?<![\w.])0\.[1-9]\d*", text)
        assert not floats, f"{name} has unnamed weights {floats}; name them in weights.py"
