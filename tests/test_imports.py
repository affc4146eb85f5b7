"""The test suite and the benchmarks share harness/ and never import each
other; the shipped package imports none of the three."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folder: top-level packages its code must never import.
FORBIDDEN = {
    "tests": {"bench"},
    "bench": {"tests"},
    "harness": {"tests", "bench"},
    "portal": {"tests", "bench", "harness"},
}


def imported(path: Path) -> set[str]:
    """Top-level names of every module a file imports, by statement or by importlib."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)):
            names.add(str(node.args[0].value))
    return {name.split(".")[0] for name in names}


def crossings(folder: str) -> list[str]:
    return sorted(f"{path.relative_to(ROOT)} imports {name}"
                  for path in (ROOT / folder).rglob("*.py")
                  for name in imported(path) & FORBIDDEN[folder])


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_cross_imports(folder):
    assert list((ROOT / folder).rglob("*.py")), folder
    assert crossings(folder) == []


def test_the_check_sees_every_way_of_importing(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import bench.common\nfrom tests import servers\nfrom .local import x\n"
                      "def f():\n    from harness.samples import VALID\n    importlib.import_module('bench.app')\n")
    assert imported(sample) == {"bench", "tests", "harness"}


def test_harness_is_not_shipped():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    assert not {"harness", "tests", "bench"} & {p.split(".")[0] for p in packages}
