"""Helpers for the information site's tests.

The session fixtures built_site and live_server come from tests/conftest.py;
this file adds what only the site needs.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup


ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
DATA = ROOT / "data"
# The shared fact sheet every figure and link must come from (outside the repository).
FACTS = ROOT.parent / "shared" / "FACTS.md"
WITA = ZoneInfo("Asia/Makassar")


def this_month() -> str:
    """The current month in NTT (WITA) as YYYY-MM: the build's "this month"."""
    return datetime.now(WITA).strftime("%Y-%m")


def data(name: str) -> dict:
    return yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8"))


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return yaml.safe_load(match.group(1)) if match else {}


def markdown_pages() -> list[Path]:
    return sorted(p for p in CONTENT.rglob("*.md") if "overrides" not in p.parts)


def site_paths(site: Path) -> list[str]:
    """URL path of every page of a build, as the server exposes it."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if not rel.startswith(("assets", "search")):
            paths.append("/" if rel == "." else f"/{rel}/")
    return paths


def html(site: Path, path: str) -> BeautifulSoup:
    file = site / path.strip("/") / "index.html" if path != "/" else site / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def pages(built_site) -> list[str]:
    return site_paths(built_site)
