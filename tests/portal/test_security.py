"""Hostile input against the public portal: each gets the safe outcome, never a 500."""
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from portal.extensions import db
from portal.models import Submission
from tests.actions import VALID, open_form, post_form, submit
from tests.conftest import production_env, soup


def stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Submission))


def test_security_headers_on_portal_pages(client):
    headers = client.get("/daftar/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # only in production


def test_hsts_and_secure_cookies_in_production(monkeypatch, tmp_path):
    from portal import create_app

    overrides = production_env(monkeypatch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", "SITE_DIR": str(tmp_path),
                      **overrides})
    response = app.test_client().get("/daftar/", base_url="https://example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_missing_csrf_token_stores_nothing(client, app):
    tokens = open_form(client)
    response = post_form(client, {"formulir": tokens["formulir"]})
    assert response.status_code == 400
    assert stored(app) == 0


def test_csrf_token_from_another_session_is_refused(app):
    attacker, victim = app.test_client(), app.test_client()
    tokens = open_form(attacker)
    open_form(victim)
    response = post_form(victim, tokens)
    assert response.status_code == 400
    assert stored(app) == 0


def test_csrf_is_enforced_on_consent_actions(client, app):
    receipt = client.get(submit(client).headers["Location"])
    link = soup(receipt).select_one('a[href^="/kelola/"]')["href"]
    response = client.post(link + "/hapus", data={})
    assert response.status_code == 400
    assert soup(response).select_one("h1").text == "Halaman sudah kedaluwarsa"
    with app.app_context():
        assert db.session.scalar(select(Submission)).state == "aktif"


QUOTES = 'Maria "Ina" O\'Neil & anak'


def test_quotes_and_ampersands_are_escaped_on_every_page(client):
    receipt_path = submit(client, nama=QUOTES, koperasi="lainnya",
                          koperasi_lain='Kopdit "Bintang" & Co', nomor_anggota="A'1\"").headers["Location"]
    for path in (receipt_path, receipt_path + "/cetak"):
        html = client.get(path).get_data(as_text=True)
        assert "Maria &#34;Ina&#34; O&#39;Neil &amp; anak" in html
        assert 'Kopdit &#34;Bintang&#34; &amp; Co' in html


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)<",
    "\"><svg onload=alert(1)>",
])
@pytest.mark.parametrize("field", ["nama", "koperasi_lain", "nomor_anggota"])
def test_markup_is_refused_and_never_echoed_raw(client, app, field, payload):
    changes = {field: payload}
    if field == "koperasi_lain":
        changes["koperasi"] = "lainnya"
    response = submit(client, **changes)
    assert response.status_code == 400
    assert payload not in response.get_data(as_text=True)
    assert stored(app) == 0


@pytest.mark.parametrize("payload", ["Robert'); DROP TABLE submissions;--", "' OR '1'='1", "1; SELECT pg_sleep(5)",
                                     "Maria'); SELECT pg_sleep(5);--"])
def test_sql_metacharacters_are_just_text(client, app, payload):
    tokens = open_form(client)
    started = time.monotonic()
    response = post_form(client, tokens, nama=payload)
    # pg_sleep(5) would hold the request for five seconds on PostgreSQL.
    assert time.monotonic() - started < 3
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Submission)).name == payload  # stored as the literal text
    assert stored(app) == 1


@pytest.mark.parametrize("code", ["' OR '1'='1", "%' --", "A" * 500])
def test_sql_metacharacters_in_lookup(client, code):
    token = soup(client.get("/kelola/")).select_one('input[name="csrf_token"]')["value"]
    response = client.post("/kelola/", data={"csrf_token": token, "kode": code, "nomor_hp": "081234567890"})
    assert response.status_code == 400


@pytest.mark.parametrize("path, normalised", [
    ("/k/..%2f..%2fetc%2fpasswd", None), ("/k/swasti-sari/..%2f..%2fetc%2fpasswd", None),
    ("/../../etc/passwd", None), ("/%2e%2e/%2e%2e/etc/passwd", None),
    ("/portal-static/../../portal/config.py", None), ("/k/%FF%FE", None),
    ("/daftar/selesai/..%2f/x", "/daftar/selesai/../x"),
])
def test_path_traversal_finds_nothing(client, path, normalised):
    response = client.get(path)
    if normalised:  # routing merges the doubled slash, and stays on this host (a path, no host)
        assert response.status_code == 308
        location = urlsplit(response.headers["Location"])
        assert (location.netloc, location.path) == ("", normalised)
        response = client.get(location.path)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.data and b"root:" not in response.data


def test_oversize_body_is_refused(client, app):
    tokens = open_form(client)
    response = post_form(client, tokens, nama="x" * 200_000)
    assert response.status_code == 413
    assert "terlalu" in soup(response).select_one("h1").text.lower()
    assert stored(app) == 0


def test_invalid_utf8_body(client, app):
    tokens = open_form(client)
    body = "&".join(f"{k}={v}" for k, v in tokens.items()).encode() + b"&nama=%FF%FE%FA&nomor_hp=\xff\xfe"
    response = client.post("/daftar/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert stored(app) == 0


def test_malformed_multipart(client):
    response = client.post("/daftar/", data=b"--xx\r\nnonsense", content_type="multipart/form-data; boundary=xx")
    assert response.status_code == 400


def test_wrong_method(client):
    assert client.put("/daftar/").status_code == 405


def test_repeated_fields_do_not_confuse_the_form(client, app):
    tokens = open_form(client)
    data = MultiDict([(k, v) for k, v in {**VALID, **tokens}.items() if not isinstance(v, list)])
    data.add("koperasi", "koperasi-palsu")
    data.add("kontak", "whatsapp")
    data.add("kontak", "whatsapp")
    response = client.post("/daftar/", data=data)
    assert response.status_code == 303  # the first value of a repeated field counts
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        assert submission.cooperative == "pintu-air"
        assert submission.choices["kontak"] == ["whatsapp"]
