"""Logging in and out: one message for every failure, throttling, fresh
sessions, idle timeout, sessions that end with a password change."""
import time

import pytest

from portal.staff import accounts
from portal.extensions import db
from tests.admin.conftest import PASSWORD, audit_entries, csrf, login
from tests.conftest import production_env, soup


def error_text(response) -> str:
    return soup(response).select_one(".portal-error-summary").get_text(" ", strip=True)


def test_login_page(client):
    page = soup(client.get("/admin/masuk"))
    assert page.select_one("h1").get_text() == "Masuk ke kantor belakang"
    assert page.select_one("#nama_pengguna")["autocomplete"] == "username"
    assert page.select_one("#kata_sandi")["type"] == "password"


def test_login_leads_to_the_dashboard_and_is_audited(app, client, staff):
    response = login(client, "ani")
    assert response.status_code == 303 and response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    [entry] = audit_entries(app, "masuk")
    assert entry.actor == "ani" and entry.address == "127.0.0.1"


def test_username_is_not_case_sensitive(client, staff):
    assert login(client, " ANI ").status_code == 303


@pytest.mark.parametrize("username, password", [
    ("ani", "salah sekali kata sandinya"),
    ("tidak-ada", PASSWORD),
    ("tidak-ada", "salah sekali kata sandinya"),
])
def test_every_failure_has_the_same_message(app, client, staff, username, password):
    response = login(client, username, password)
    assert response.status_code == 400
    assert error_text(response).startswith("Tidak bisa masuk Nama pengguna atau kata sandi salah.")
    assert soup(response).select_one("title").get_text().startswith("Galat: ")
    assert client.get("/admin/").status_code == 303
    [entry] = audit_entries(app, "gagal_masuk")
    assert entry.actor == username and entry.user_id is None


def test_disabled_account_fails_like_a_wrong_password(app, client, staff):
    with app.app_context():
        accounts.set_active(accounts.find("ani"), False)
        db.session.commit()
    response = login(client, "ani")
    assert response.status_code == 400
    assert "Nama pengguna atau kata sandi salah." in error_text(response)


def test_unknown_user_costs_a_hash_verification_too(app, staff, monkeypatch):
    """Same work for a name that does not exist: timing does not reveal accounts."""
    calls = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda h, p: calls.append(h) or real(h, p))
    with app.app_context():
        assert accounts.authenticate(accounts.credentials("tidak-ada"), PASSWORD) is None
        assert accounts.authenticate(accounts.credentials("ani"), "salah sekali kata sandinya") is None
    assert len(calls) == 2 and calls[0].startswith("$argon2id$")


def test_passwords_are_checked_outside_any_transaction(app, staff, monkeypatch):
    """On SQLite a transaction holds the write lock: no login keeps it while hashing,
    and the attempt is already stored for other workers to count."""
    from sqlalchemy import func, select

    from portal.models import LoginAttempt

    seen = []
    real = accounts._verify

    def verify(hashed, password):
        in_transaction = db.session().in_transaction()
        with db.engine.connect() as other:  # what another worker sees
            stored = other.scalar(select(func.count()).select_from(LoginAttempt))
        seen.append((in_transaction, stored))
        return real(hashed, password)

    monkeypatch.setattr(accounts, "_verify", verify)
    assert login(app.test_client(), "ani").status_code == 303
    assert login(app.test_client(), "tidak-ada").status_code == 400
    assert seen == [(False, 1), (False, 2)]


def age_attempts(app, seconds: int) -> None:
    """Let time pass for the throttle: every recorded attempt becomes older."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.models import LoginAttempt

    # In Python: SQLite cannot subtract an interval from a stored date in SQL.
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.created_at -= timedelta(seconds=seconds)
        db.session.commit()


def test_login_is_throttled_per_account_for_minutes_at_most(app, staff):
    """Five failures on one account name make the address that failed wait;
    the wait is short, says when to come back, and the right password works after it."""
    for n in range(5):
        assert login(app.test_client(), "ani", "salah sekali kata sandinya").status_code == 400
    blocked = login(app.test_client(), "ANI")  # the right password, during the wait
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= app.config["LOGIN_DELAY_BASE_SECONDS"]
    assert "Coba lagi pukul" in error_text(blocked) and "WITA" in error_text(blocked)
    assert soup(blocked).select_one("form input[name=nama_pengguna]") is not None  # the login page itself
    assert login(app.test_client(), "oki").status_code == 303  # other accounts are unaffected
    # Attempts during the wait are refused unchecked and do not make it longer.
    for n in range(10):
        assert login(app.test_client(), "ani", "tebakan lain lagi nih").status_code == 429
    age_attempts(app, app.config["LOGIN_DELAY_BASE_SECONDS"] + 1)
    assert login(app.test_client(), "ani").status_code == 303


def test_the_wait_grows_and_is_capped(app, staff):
    from portal.staff import throttle

    with app.app_context():
        waits = [throttle.delay_after(n) for n in range(3, 14)]
    assert waits == [0, 0, 15, 30, 60, 120, 240, 300, 300, 300, 300]
    cap = app.config["LOGIN_DELAY_CAP_SECONDS"]
    # A stranger who keeps trying only ever keeps the owner waiting one cap at most.
    for n in range(12):
        login(app.test_client(), "ani", "salah sekali kata sandinya")
        age_attempts(app, cap)
    assert login(app.test_client(), "ani").status_code == 303


def test_an_address_that_has_not_failed_is_checked_during_the_accounts_wait(app, staff):
    """Someone else's failures make the account wait only where they came from:
    the owner, elsewhere, gets in at once, and after a typo waits from it alone."""
    def from_address(address, password=PASSWORD):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return login(client, "ani", password)

    for _ in range(6):
        assert from_address("203.0.113.66", "salah sekali kata sandinya").status_code == 400
        age_attempts(app, app.config["LOGIN_DELAY_CAP_SECONDS"])
    assert from_address("203.0.113.66", "salah sekali kata sandinya").status_code == 400
    assert from_address("203.0.113.66").status_code == 429  # the attacker's address waits
    assert from_address("198.51.100.7").status_code == 303  # the owner's does not
    for _ in range(6):
        from_address("203.0.113.66", "salah sekali kata sandinya")
        age_attempts(app, app.config["LOGIN_DELAY_CAP_SECONDS"])
    assert from_address("198.51.100.8", "salah ketik kata sandinya").status_code == 400
    assert from_address("198.51.100.8").status_code == 429
    age_attempts(app, 5)
    assert from_address("203.0.113.66", "salah sekali kata sandinya").status_code == 400  # a new failure elsewhere...
    age_attempts(app, app.config["LOGIN_DELAY_CAP_SECONDS"] - 5)
    assert from_address("198.51.100.8").status_code == 303  # ...does not start the owner's wait again


def test_login_is_throttled_per_address(app, client, staff):
    for n in range(20):
        assert login(client, f"coba-{n}", "salah sekali kata sandinya").status_code == 400
    assert login(client, "oki").status_code == 429


def test_successful_logins_do_not_count_against_the_limit(app, staff):
    for _ in range(8):
        assert login(app.test_client(), "ani").status_code == 303


def test_login_starts_a_fresh_session(client, staff):
    """Nothing planted in the session before login survives it (session fixation)."""
    with client.session_transaction() as session:
        session["dipasang"] = "penyerang"
    login(client, "ani")
    with client.session_transaction() as session:
        assert "dipasang" not in session
        assert session["_user_id"].startswith(f"{staff['ani']}:")


def test_session_cookie_flags(client, staff):
    cookie = login(client, "ani").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("next_page, expected", [
    ("/admin/tindak-lanjut/?status=baru", "/admin/tindak-lanjut/?status=baru"),
    ("https://jahat.example/admin/", "/admin/"),
    ("//jahat.example/admin/", "/admin/"),
    ("/admin//jahat.example", "/admin/"),
    ("/daftar/", "/admin/"),
])
def test_login_returns_only_to_back_office_pages(client, staff, next_page, expected):
    assert login(client, "ani", lanjut=next_page).headers["Location"] == expected


def test_anonymous_visit_remembers_the_page(client, staff):
    location = client.get("/admin/tindak-lanjut/?status=baru").headers["Location"]
    assert location == "/admin/masuk?lanjut=/admin/tindak-lanjut/?status%3Dbaru"
    form = soup(client.get(location)).select_one('input[name="lanjut"]')
    assert form["value"] == "/admin/tindak-lanjut/?status=baru"


def test_idle_session_ends(app, pintu_air):
    with pintu_air.session_transaction() as session:
        session["admin_seen"] = time.time() - 31 * 60
    response = pintu_air.get("/admin/")
    assert response.status_code == 303 and response.headers["Location"].startswith("/admin/masuk")
    assert "Sesi Anda sudah berakhir" in pintu_air.get(response.headers["Location"]).get_data(as_text=True)
    assert pintu_air.get("/admin/").status_code == 303


def test_activity_keeps_the_session_alive_but_not_forever(app, pintu_air):
    with pintu_air.session_transaction() as session:
        session["admin_seen"] = time.time() - 29 * 60
    assert pintu_air.get("/admin/").status_code == 200
    with pintu_air.session_transaction() as session:
        session["admin_since"] = time.time() - 13 * 3600
    assert pintu_air.get("/admin/").status_code == 303


def test_logout_needs_a_post_with_its_token(app, pintu_air):
    assert pintu_air.get("/admin/keluar").status_code == 405
    assert pintu_air.post("/admin/keluar").status_code == 400  # no CSRF token
    assert pintu_air.get("/admin/").status_code == 200
    response = pintu_air.post("/admin/keluar", data={"csrf_token": csrf(pintu_air, "/admin/")})
    assert response.headers["Location"] == "/admin/masuk"
    assert pintu_air.get("/admin/").status_code == 303
    assert [e.actor for e in audit_entries(app, "keluar")] == ["ani"]


def test_changing_ones_password_ends_other_sessions(app, staff):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "ani")
    login(elsewhere, "ani")
    new = "kopi bajawa pagi hari"
    response = here.post("/admin/sandi", data={"csrf_token": csrf(here, "/admin/sandi"), "sandi_lama": PASSWORD,
                                               "sandi_baru": new, "ulangi_sandi": new})
    assert response.status_code == 303
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 303
    assert login(app.test_client(), "ani", new).status_code == 303


def test_own_password_change_checks_the_current_one(pintu_air):
    new = "kopi bajawa pagi hari"
    response = pintu_air.post("/admin/sandi", data={
        "csrf_token": csrf(pintu_air, "/admin/sandi"), "sandi_lama": "bukan kata sandi saya",
        "sandi_baru": new, "ulangi_sandi": new})
    assert response.status_code == 400
    assert "Kata sandi sekarang salah" in error_text(response)


def test_disabling_an_account_ends_its_sessions(app, campaign, pintu_air, staff):
    response = campaign.post(f"/admin/akun/{staff['ani']}/nonaktifkan",
                             data={"csrf_token": csrf(campaign, "/admin/akun/")})
    assert response.status_code == 303
    assert pintu_air.get("/admin/").status_code == 303
    assert login(app.test_client(), "ani").status_code == 400
    campaign.post(f"/admin/akun/{staff['ani']}/aktifkan", data={"csrf_token": csrf(campaign, "/admin/akun/")})
    assert login(app.test_client(), "ani").status_code == 303
    assert [e.action for e in audit_entries(app) if e.action.startswith("akun_")] == [
        "akun_dinonaktifkan", "akun_diaktifkan"]


def test_nobody_can_disable_their_own_account(app, campaign, staff):
    campaign.post(f"/admin/akun/{staff['tim']}/nonaktifkan", data={"csrf_token": csrf(campaign, "/admin/akun/")})
    assert campaign.get("/admin/akun/").status_code == 200


def test_production_session_cookie_is_secure(monkeypatch, tmp_path):
    from portal import create_app

    overrides = production_env(monkeypatch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", "SITE_DIR": str(tmp_path),
                      **overrides})
    with app.app_context():
        db.create_all()
        accounts.create("ani", PASSWORD, "koperasi", "pintu-air")
        db.session.commit()
    client = app.test_client()
    token = soup(client.get("/admin/masuk", base_url="https://example.org")).select_one(
        'input[name="csrf_token"]')["value"]
    # Flask-WTF checks the Referer of HTTPS posts.
    response = client.post("/admin/masuk", base_url="https://example.org",
                           headers={"Referer": "https://example.org/admin/masuk"},
                           data={"csrf_token": token, "nama_pengguna": "ani", "kata_sandi": PASSWORD})
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with app.app_context():
        db.engine.dispose()
