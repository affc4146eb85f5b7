"""The portal's shape: one package per concept, each used through its public
face (what its ``__init__.py`` lists in ``__all__``), few modules at the top,
and a core (``kkbc/``) that never needs Flask."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTAL = ROOT / "portal"
# The modules every package may use: the factory's parts and the shared web pieces.
TOP_LEVEL = {"__init__", "cli", "config", "demo", "errors", "extensions", "filters", "forms", "models",
             "validators"}
FLASK = {"flask", "flask_compress", "flask_limiter", "flask_login", "flask_migrate", "flask_sqlalchemy",
         "flask_wtf", "werkzeug", "jinja2", "portal"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path):
    """(module, name or None) for every import in a file, relative ones resolved."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                yield module, alias.name


def packages() -> dict[str, Path]:
    """Every package under portal/ (dotted name: folder)."""
    return {module_name(init): init.parent for init in PORTAL.rglob("__init__.py")} | {"portal": PORTAL}


def face(package: str) -> set[str]:
    """What a package's __init__.py lets others use: its __all__."""
    init = packages()[package] / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def owner(module: str) -> str:
    """The package under portal/ a module belongs to, at the first level: portal.rat.pack -> portal.rat."""
    return ".".join(module.split(".")[:2])


def crossings() -> list[str]:
    """Imports that reach into another package past its face."""
    known = packages()
    found = []
    for path in PORTAL.rglob("*.py"):
        mine = owner(module_name(path))
        for module, name in imports(path):
            if not module.startswith("portal.") or owner(module) == mine:
                continue
            package = owner(module)
            if package not in known:
                continue  # a top-level module such as portal.models: everyone's
            if module == package and (name is None or name in face(package)):
                continue
            found.append(f"{path.relative_to(ROOT)}: {module}{'.' + name if name else ''}")
    return sorted(found)


def test_every_package_is_used_through_its_face():
    assert crossings() == []


def test_every_package_has_a_face():
    missing = [name for name in packages() if name.count(".") == 1 and not face(name)
               and name not in ("portal.admin", "portal.public")]
    assert missing == []


def test_the_top_of_the_portal_holds_only_the_factory_and_shared_pieces():
    top = sorted(path.stem for path in PORTAL.glob("*.py"))
    assert top == sorted(TOP_LEVEL)
    assert len(top) <= 12


def test_each_package_and_module_says_what_it_is():
    undocumented = [str(path.relative_to(ROOT)) for path in PORTAL.rglob("*.py")
                    if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert undocumented == []


def public_functions(body, prefix=""):
    """(qualified name, node) of every public function and method in a module's body."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield from public_functions(node.body, f"{prefix}{node.name}.")


def test_every_public_function_has_a_docstring():
    undocumented = [f"{path.relative_to(ROOT)}: {name}"
                    for path in sorted([*PORTAL.rglob("*.py"), *(ROOT / "kkbc").rglob("*.py")])
                    for name, node in public_functions(ast.parse(path.read_text(encoding="utf-8")).body)
                    if not ast.get_docstring(node)]
    assert undocumented == []


@pytest.mark.parametrize("path", sorted((ROOT / "kkbc").rglob("*.py")), ids=lambda p: p.name)
def test_the_core_needs_no_flask_and_no_portal(path):
    assert sorted({module.split(".")[0] for module, _ in imports(path)} & FLASK) == []


def test_the_check_sees_a_reach_past_a_face(tmp_path, monkeypatch):
    sample = PORTAL / "staff" / "_sample_for_test.py"
    sample.write_text('"""Sample."""\nfrom ..rat.conversion import MAX_BYTES\nfrom ..rat import pack\n'
                      "from .. import rat\nfrom ..models import User\n")
    try:
        assert crossings() == ["portal/staff/_sample_for_test.py: portal.rat.conversion.MAX_BYTES"]
    finally:
        sample.unlink()


def test_extensions_are_unbound_extensions_only():
    tree = ast.parse((PORTAL / "extensions.py").read_text(encoding="utf-8"))
    assert [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))] == []
    created = {target.id for node in tree.body if isinstance(node, ast.Assign)
               for target in node.targets if isinstance(target, ast.Name)}
    assert created == {"compress", "csrf", "db", "limiter", "login_manager", "migrate"}


def test_every_command_is_registered_in_one_place():
    registering = sorted(str(path.relative_to(ROOT)) for path in PORTAL.rglob("*.py")
                         if ".cli.command(" in (text := path.read_text(encoding="utf-8")) or "add_command(" in text)
    assert registering == ["portal/cli.py"]


def test_the_command_line_has_every_command(app):
    assert sorted(app.cli.list_commands(None)) == [
        "audit", "backup", "bpjs", "db", "demo", "ekspor-jalankan", "proof-key", "restore", "retention", "users",
        "verify"]


def state_strings() -> set[str]:
    """The states of a RAT record and of a submission, and the follow-up statuses."""
    from portal.consent import rules
    from portal.rat import record

    return {record.DRAFT, record.FINAL, record.ACCEPTED, record.REJECTED, record.POSTPONED,
            rules.ACTIVE, rules.SHU_WITHDRAWN, rules.WITHDRAWN, rules.ERASED, *rules.FOLLOW_UP_LABELS}


def views() -> list[Path]:
    """The modules of the two blueprints that are not forms."""
    return [path for folder in ("admin", "public") for path in (PORTAL / folder).rglob("*.py")
            if "forms" not in path.name]


def test_no_template_or_view_spells_out_a_state():
    states = state_strings()
    found = [f"{path.relative_to(ROOT)}: {text}" for path in (PORTAL / "templates").rglob("*.html")
             for text in set(re.findall(r"""["']([a-z_]+)["']""", path.read_text(encoding="utf-8"))) & states]
    for path in views():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                found += [f"{path.relative_to(ROOT)}:{node.lineno}: {side.value}"
                          for side in (node.left, *node.comparators)
                          if isinstance(side, ast.Constant) and side.value in states]
    assert found == []


def test_every_download_is_sent_by_one_helper():
    by_hand = sorted(str(path.relative_to(ROOT)) for path in PORTAL.rglob("*.py")
                     if "Content-Disposition" in path.read_text(encoding="utf-8"))
    assert by_hand == ["portal/platform/downloads.py"]
