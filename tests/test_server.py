"""The real gunicorn process serving the built site and the portal on one port."""
from __future__ import annotations

import gzip
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests import servers
from tests.servers import browser_like, fetch
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
    css = BeautifulSoup(body, "html.parser").select_one('link[rel="stylesheet"][href*="main."]')["href"]
    status, headers, _ = fetch(browser_like(), urllib.parse.urljoin(live_server + "/", css),
                               headers={"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] in ("br", "gzip")
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]


def test_portal_pages_share_the_site_stylesheets(live_server):
    _, _, body = fetch(browser_like(), live_server + "/daftar/")
    hrefs = [link["href"] for link in BeautifulSoup(body, "html.parser").select('link[rel="stylesheet"]')]
    assert any(re.search(r"/assets/stylesheets/main\.[0-9a-f]+\.min\.css$", h) for h in hrefs)
    for href in hrefs:
        assert fetch(browser_like(), live_server + href)[0] == 200


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
