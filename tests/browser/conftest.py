"""Debian's Chromium driven by Playwright, and the servers only browser tests use.

built_site and live_server come from tests/conftest.py.
"""
from __future__ import annotations

import subprocess
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from harness import servers
from harness.samples import VALID, hidden_fields
from kkbc.site import OFFLINE_ZIP
from tests.admin.conftest import PASSWORD
from tests.conftest import require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium), so browser tests are skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A phone-sized page (360x740)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def unzipped(built_site, tmp_path_factory) -> Path:
    """The downloadable offline copy, unzipped as a reader would."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / "unduh" / OFFLINE_ZIP) as zf:
        zf.extractall(target)
    (folder,) = target.iterdir()
    return folder


# ---------------------------------------------------------------- the back office

def add_member(base: str, path: str, **changes) -> None:
    """Fill in and send the public form over HTTP, as a member's phone does."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(base + path) as page:
        tokens = hidden_fields(page.read().decode())
    form = {**VALID, **tokens, **changes}
    with opener.open(base + "/daftar/", urllib.parse.urlencode(form, doseq=True).encode()) as receipt:
        assert "/daftar/selesai/" in receipt.url


@pytest.fixture(scope="module")
def back_office(built_site, tmp_path_factory):
    """gunicorn on its own SQLite database, with staff accounts made by the
    users command (the way an operator makes them) and three members. Pages
    carry the freshly built site's stylesheets, so axe sees what staff see."""
    instance = tmp_path_factory.mktemp("back-office")
    site = built_site
    env = servers.server_env(f"sqlite:///{instance / 'live.db'}", site, instance)
    servers.migrate(env)
    for args in (["--role", "koperasi", "--koperasi", "pintu-air", "ani"], ["--role", "kampanye", "tim"]):
        subprocess.run([str(servers.BIN / "flask"), "--app", "portal", "users", "create", "--password-stdin",
                        *args], input=PASSWORD + "\n", text=True, env=env, cwd=servers.ROOT,
                       check=True, capture_output=True)
    with servers.gunicorn(env) as (url, _process):
        add_member(url, "/k/pintu-air", nama="Maria Goreti", nomor_hp="0812 3456 7890")
        add_member(url, "/k/pintu-air", nama="Yohanes Bosco", nomor_hp="0813 3900 1122", kabupaten="53.08",
                   shu="belum", shu_cara="", shu_persen="")
        add_member(url, "/k/obor-mas", koperasi="obor-mas", nama="Fransiska Wae", nomor_hp="0852 3800 4455",
                   shu="belum", shu_cara="", shu_persen="")
        yield url
