"""The core package and the site build stand without the web application.

Each check runs in a fresh interpreter, so nothing the test session already
imported (the portal, Flask) can hide an import.
"""
from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import kkbc

ROOT = Path(__file__).resolve().parent.parent

REPORT = """
import json, sys
web = sorted(m for m in sys.modules if m.split(".")[0] in ("flask", "portal") or m.startswith("flask_"))
print(json.dumps({"web": web, "modules": sorted(sys.modules)}))
"""


def fresh(code: str) -> dict:
    """Run ``code`` in a new interpreter at the repository's root; what it imported."""
    result = subprocess.run([sys.executable, "-c", code + REPORT], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_the_core_package_imports_no_flask_and_no_portal():
    names = [f"kkbc.{m.name}" for m in pkgutil.iter_modules(kkbc.__path__)]
    assert {"kkbc.data", "kkbc.rates", "kkbc.choices", "kkbc.formatting", "kkbc.site",
            "kkbc.critical_css"} <= set(names)
    loaded = fresh("".join(f"import {name}\n" for name in names))
    assert set(names) <= set(loaded["modules"])
    assert loaded["web"] == []


def test_the_site_build_script_imports_no_flask_and_no_portal():
    loaded = fresh("import runpy\n"
                   f"runpy.run_path({str(ROOT / 'scripts' / 'build_site.py')!r}, run_name='build_site')\n")
    assert "kkbc.critical_css" in loaded["modules"]
    assert loaded["web"] == []


def test_building_the_site_never_loads_the_web_application(tmp_path):
    """MkDocs with the site's hooks, in one process: every marker rendered from data/."""
    out = tmp_path / "site"
    loaded = fresh(
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        f"build(load_config('mkdocs.yml', site_dir={str(out)!r}))\n")
    # MkDocs registers a hook under its path in mkdocs.yml; its helpers by module name.
    assert {"hooks/page_meta.py", "hooks/data_tables.py", "hooks/istilah.py", "render_iuran", "render_info",
            "render_koperasi", "kkbc.rates"} <= set(loaded["modules"])
    assert (out / "biaya" / "index.html").read_text(encoding="utf-8").count('data-kkbc="') > 10
    assert loaded["web"] == []
