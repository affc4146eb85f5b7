"""The Nu Html Checker (vnu, what the W3C validator runs) finds no error in any built page.

The jar comes from npm's vnu-jar, installed by `make test` (Makefile: VNU);
it runs on the machine's Java. One run checks every page of the site."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def vnu_jar() -> Path | None:
    found = sorted((ROOT / ".venv").glob("vnu-*/node_modules/vnu-jar/build/dist/vnu.jar"))
    return found[-1] if found else None


def test_every_page_is_valid_html(built_site):
    jar = vnu_jar()
    require(jar is not None, "vnu.jar is missing (make install), so HTML validation is skipped")
    require(shutil.which("java") is not None, "java is missing (apt-get install default-jre-headless)")
    pages = sorted(p for p in built_site.rglob("*.html") if "assets" not in p.relative_to(built_site).parts)
    assert len(pages) > 15
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [(m.get("url", "").rsplit("/site/", 1)[-1], m.get("lastLine"), m["message"]) for m in messages
              if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == []
