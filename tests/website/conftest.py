"""Helpers for the information site's tests.

The session fixtures built_site, live_server, browser and page come from
tests/conftest.py; this file adds what only the site needs.
"""
from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from kkbc.site import OFFLINE_ZIP

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


def local_only(page) -> list[str]:
    """Abort, and remember, every request to a host other than 127.0.0.1."""
    outside = []

    def check(route):
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.context.route("**/*", check)
    page.on("request", lambda r: None if r.url.startswith(("data:", "blob:", "http://127.0.0.1"))
            else outside.append(r.url))
    return outside


@pytest.fixture(scope="session")
def pages(built_site) -> list[str]:
    return site_paths(built_site)


@pytest.fixture(scope="session")
def unzipped(built_site, tmp_path_factory) -> Path:
    """The downloadable offline copy, unzipped as a reader would."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / "unduh" / OFFLINE_ZIP) as zf:
        zf.extractall(target)
    (folder,) = target.iterdir()
    return folder
