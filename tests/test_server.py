"""The real gunicorn process serving the built site and the portal on one port."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from bs4 import BeautifulSoup

from harness import servers
from harness.servers import browser_like, fetch
from tests.actions import VALID, hidden_fields


def fill_and_submit(base: str) -> str:
    opener = browser_like()
    status, _, body = fetch(opener, base + "/daftar/")
    assert status == 200
    status, headers, _ = fetch(opener, base + "/daftar/", {**VALID, **hidden_fields(body.decode())})
    assert status == 303
    receipt = headers["Location"]
    status, _, body = fetch(opener, base + receipt)
    assert status == 200
    code = BeautifulSoup(body, "html.parser").select_one(".portal-code--big").text
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    return code


def test_home_page_is_served_compressed(live_server):
    status, headers, body = fetch(browser_like(), live_server + "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    assert '<html lang="id"' in html
    assert 'href="/daftar/"' in html or "href=\"daftar/\"" in html


def test_fingerprinted_asset_is_cached_for_a_year(live_server):
    _, _, body = fetch(browser_like(), live_server + "/")
    later = BeautifulSoup(body, "html.parser").select_one("style[data-kkbc-tema]")["data-kkbc-tema"].split()
    css = next(href for href in later if "/main." in href or href.startswith("assets/stylesheets/main."))
    status, headers, _ = fetch(browser_like(), urllib.parse.urljoin(live_server + "/", css),
                               headers={"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "br"  # the build's own .br variant, preferred
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    _, gzip_headers, _ = fetch(browser_like(), urllib.parse.urljoin(live_server + "/", css),
                               headers={"Accept-Encoding": "gzip"})
    assert gzip_headers["Content-Encoding"] == "gzip"


def test_portal_pages_carry_their_styles_allowed_by_hash(live_server):
    """The site's look, inline: no stylesheet to wait for, and the policy names its hash."""
    _, headers, body = fetch(browser_like(), live_server + "/daftar/")
    doc = BeautifulSoup(body, "html.parser")
    assert not doc.select('link[rel="stylesheet"]')
    css = doc.select_one("head style").string
    assert ".md-header" in css and ".portal-error-summary" in css  # the theme's rules, then portal.css
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    style_src = headers["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert f"'sha256-{digest}'" in style_src and "unsafe-inline" not in style_src


def test_form_submission_and_health(live_server):
    fill_and_submit(live_server)
    status, headers, body = fetch(browser_like(), live_server + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": "ok"}


@pytest.mark.postgres
def test_form_submission_on_postgresql(postgresql_url, built_site, tmp_path):
    env = servers.server_env(postgresql_url, built_site, tmp_path)
    servers.migrate(env)
    with servers.gunicorn(env, workers=1) as (base, _):
        fill_and_submit(base)
        status, _, body = fetch(browser_like(), base + "/healthz")
        assert status == 200 and json.loads(body)["database"] == "ok"


def test_unknown_path_is_a_friendly_404(live_server):
    status, _, body = fetch(browser_like(), live_server + "/tidak-ada/")
    assert status == 404
    assert b"<html" in body
