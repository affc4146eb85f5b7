"""The promises of issue-free operation, held by the real gunicorn with several
workers: sessions that end everywhere, exact login throttling, retention that
runs by itself, logs without private links, and a hung database that fails
fast."""
from __future__ import annotations

import concurrent.futures
import itertools
import http.cookiejar
import socket
import subprocess
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from harness import servers
from harness.servers import fetch
from tests.actions import VALID, hidden_fields

PASSWORD = "sapi merah makan rumput"


def make_account(env: dict, username: str, *args: str) -> None:
    subprocess.run([str(servers.BIN / "flask"), "--app", "portal", "users", "create", "--password-stdin",
                    *args, username], input=PASSWORD + "\n", text=True, env=env, cwd=servers.ROOT,
                   check=True, capture_output=True)


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(servers.BIN / "flask"), "--app", "portal", *args], text=True, env=env,
                          cwd=servers.ROOT, capture_output=True)


@contextmanager
def demo_season(site: Path, instance: Path, officers: dict[str, str] | None = None):
    """gunicorn on a database filled by `flask demo` (the demo RAT season), with
    a cooperative officer for each {username: cooperative}; yields (base URL,
    what the demo command printed)."""
    env = servers.server_env(f"sqlite:///{instance / 'live.db'}", site, instance)
    servers.migrate(env)
    demo = flask(env, "demo", "--output", str(instance))
    assert demo.returncode == 0, demo.stderr
    for username, cooperative in (officers or {}).items():
        make_account(env, username, "--role", "koperasi", "--koperasi", cooperative)
    with servers.gunicorn(env) as (url, _):
        yield url, demo.stdout


def session_opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), servers.NoRedirect), jar


def csrf_of(opener, url: str) -> str:
    _, _, body = fetch(opener, url)
    return BeautifulSoup(body, "html.parser").select_one('input[name="csrf_token"]')["value"]


def log_in(base: str, username: str = "ani", password: str = PASSWORD):
    opener, jar = session_opener()
    status, headers, _ = fetch(opener, base + "/admin/masuk", {
        "csrf_token": csrf_of(opener, base + "/admin/masuk"), "nama_pengguna": username,
        "kata_sandi": password})
    return opener, jar, status


def cookie_header(jar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def replay(base: str, cookie: str, path: str):
    """A copied cookie, sent from a fresh client (another PC that saved it)."""
    opener = urllib.request.build_opener(servers.NoRedirect)
    return fetch(opener, base + path, headers={"Cookie": cookie})


@contextmanager
def portal(database_url: str, site: Path, instance: Path, workers: int = 3, **extra):
    env = servers.server_env(database_url, site, instance, **extra)
    servers.migrate(env)
    make_account(env, "ani", "--role", "koperasi", "--koperasi", "pintu-air")
    make_account(env, "tim", "--role", "kampanye")
    with servers.gunicorn(env, workers=workers) as (url, process):
        yield url, env


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live(request, built_site, tmp_path_factory):
    """One three-worker server per database for the session tests; each test
    logs in with an account of its own (``officer``)."""
    instance = tmp_path_factory.mktemp("ops")
    url = (f"sqlite:///{instance / 'ops.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgresql_url"))
    if request.param == "postgresql":
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("TRUNCATE users, audit_entries, login_attempts RESTART IDENTITY CASCADE"))
        engine.dispose()
    with portal(url, built_site, instance) as (base, env):
        yield base, env


OFFICERS = itertools.count(1)


@pytest.fixture
def officer(live) -> str:
    """A cooperative account for this test alone, on the shared server."""
    name = f"ani.{next(OFFICERS)}"
    make_account(live[1], name, "--role", "koperasi", "--koperasi", "pintu-air")
    return name


@pytest.mark.parametrize("how", ["logout", "disable", "password"])
def test_a_replayed_cookie_gets_the_login_page(live, officer, how):
    base, env = live
    opener, jar, status = log_in(base, officer)
    assert status == 303
    saved = cookie_header(jar)  # copied off a shared office or warnet PC
    for _ in range(6):  # the session works on every worker
        assert replay(base, saved, "/admin/tindak-lanjut/ekspor.csv")[0] == 200
    if how == "logout":
        fetch(opener, base + "/admin/keluar", {"csrf_token": csrf_of(opener, base + "/admin/")})
    elif how == "disable":
        assert flask(env, "users", "disable", officer).returncode == 0
    else:
        done = subprocess.run([str(servers.BIN / "flask"), "--app", "portal", "users", "set-password",
                               "--password-stdin", officer], input="kopi bajawa pagi hari\n", text=True,
                              env=env, cwd=servers.ROOT, capture_output=True)
        assert done.returncode == 0, done.stderr
    for path in ("/admin/", "/admin/tindak-lanjut/ekspor.csv"):
        for _ in range(6):
            status, headers, body = replay(base, saved, path)
            assert status == 303 and headers["Location"].startswith("/admin/masuk"), (how, path)
            assert b"Maria" not in body


def test_ending_other_sessions_keeps_this_one(live, officer):
    base, _ = live
    here, _, _ = log_in(base, officer)
    _, elsewhere_jar, _ = log_in(base, officer)
    elsewhere = cookie_header(elsewhere_jar)
    status, _, _ = fetch(here, base + "/admin/keluar-perangkat-lain",
                         {"csrf_token": csrf_of(here, base + "/admin/sandi")})
    assert status == 303
    assert fetch(here, base + "/admin/")[0] == 200
    assert replay(base, elsewhere, "/admin/")[0] == 303


def test_login_throttling_is_exact_across_workers_and_the_owner_gets_back_in(built_site, tmp_path):
    with portal(f"sqlite:///{tmp_path / 'throttle.db'}", built_site, tmp_path, workers=3,
                LOGIN_DELAY_BASE_SECONDS=1, LOGIN_DELAY_CAP_SECONDS=2) as (base, _):
        def wrong(n):
            return log_in(base, f"tebak-{n}", "salah sekali kata sandinya")[2]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(wrong, range(30)))
        assert statuses.count(400) == 20 and statuses.count(429) == 10
    with portal(f"sqlite:///{tmp_path / 'owner.db'}", built_site, tmp_path / "owner", workers=3,
                LOGIN_DELAY_BASE_SECONDS=1, LOGIN_DELAY_CAP_SECONDS=2) as (base, _):
        # Someone who only knows the name: 8 wrong passwords, from any worker.
        for _ in range(5):
            assert log_in(base, "ani", "salah sekali kata sandinya")[2] == 400
        assert log_in(base, "ani")[2] == 429  # even the right one, during the wait
        time.sleep(2.2)  # the cap of this server
        assert log_in(base, "ani")[2] == 303


def log_in_from(base: str, address: str, password: str = PASSWORD) -> int:
    """A login to "ani" from another client address (the server trusts one proxy hop)."""
    opener, _ = session_opener()
    forwarded = {"X-Forwarded-For": address}
    _, _, body = fetch(opener, base + "/admin/masuk", headers=forwarded)
    token = BeautifulSoup(body, "html.parser").select_one('input[name="csrf_token"]')["value"]
    return fetch(opener, base + "/admin/masuk", {"csrf_token": token, "nama_pengguna": "ani",
                                                  "kata_sandi": password}, headers=forwarded)[0]


def test_a_stranger_polling_a_name_never_keeps_its_owner_out(built_site, tmp_path):
    """An attacker tries "ani" every 0.25 s from one address, with the delays
    scaled down (1 s base, 2 s cap): the owner, on another address, gets in at
    once, and after a typo of their own within the cap, while the polling goes on."""
    with portal(f"sqlite:///{tmp_path / 'poll.db'}", built_site, tmp_path, workers=3, PROXY_HOPS=1,
                LOGIN_DELAY_BASE_SECONDS=1, LOGIN_DELAY_CAP_SECONDS=2) as (base, _):
        stop, attacker = threading.Event(), []

        def poll():
            while not stop.is_set():
                attacker.append(log_in_from(base, "203.0.113.66", "salah sekali kata sandinya"))
                time.sleep(0.25)

        thread = threading.Thread(target=poll)
        thread.start()
        try:
            while attacker.count(429) < 4:  # the account's delay is running
                time.sleep(0.1)
            assert log_in_from(base, "198.51.100.7") == 303
            while attacker.count(429) < 8:
                time.sleep(0.1)
            assert log_in_from(base, "198.51.100.8", "salah ketik kata sandinya") == 400
            assert log_in_from(base, "198.51.100.8") == 429  # the owner's own typo: a wait...
            time.sleep(2.2)  # ...of one cap at most, however the attacker paces
            assert log_in_from(base, "198.51.100.8") == 303
        finally:
            stop.set()
            thread.join()
        assert 303 not in attacker and attacker.count(429) >= 8


def test_retention_runs_by_itself_in_a_running_server(built_site, tmp_path):
    with portal(f"sqlite:///{tmp_path / 'ret.db'}", built_site, tmp_path, workers=2,
                RETENTION_INTERVAL_SECONDS=1) as (base, env):
        opener, _ = session_opener()
        _, _, body = fetch(opener, base + "/daftar/")
        status, headers, _ = fetch(opener, base + "/daftar/", {**VALID, **hidden_fields(body.decode())})
        own = headers["Location"].replace("/daftar/selesai/", "/kelola/")
        fetch(opener, base + own + "/tarik-semua", {"csrf_token": csrf_of(opener, base + own + "/tarik-semua")})
        deadline = time.monotonic() + 20
        text = ""
        while time.monotonic() < deadline:
            text = fetch(opener, base + own)[2].decode()
            if "Data pribadi Anda sudah dihapus" in text:
                break
            time.sleep(0.3)
        assert "Data pribadi Anda sudah dihapus" in text
        import sqlite3

        with sqlite3.connect(tmp_path / "ret.db") as db:
            assert db.execute("SELECT name, phone FROM submissions").fetchall() == [(None, None)]
            erasures = db.execute("SELECT count(*) FROM consent_events WHERE kind='dihapus'").fetchone()[0]
            assert erasures == 1  # several workers, one run


def test_access_log_holds_no_private_link_signature(built_site, tmp_path):
    with portal(f"sqlite:///{tmp_path / 'log.db'}", built_site, tmp_path, workers=2) as (base, _):
        opener, _ = session_opener()
        _, _, body = fetch(opener, base + "/daftar/")
        _, headers, _ = fetch(opener, base + "/daftar/", {**VALID, **hidden_fields(body.decode())})
        receipt = headers["Location"]
        signature = receipt.rsplit("/", 1)[1]
        own = receipt.replace("/daftar/selesai/", "/kelola/")
        for path in (receipt, receipt + "/cetak", own, own + "/bukti.json", own + "/ubah", own + "/x/../salah"):
            fetch(opener, base + path, headers={"Referer": base + receipt})
    # gunicorn has stopped: every line is written.
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.glob("gunicorn-*.log"))
    assert receipt.split("/")[3] in logs  # the code is there, for support...
    assert signature not in logs  # ...the secret is not
    assert "[rahasia]" in logs


@pytest.fixture
def silent_database():
    """A server that accepts connections and never answers (a hung database)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_hung_database_fails_fast_with_the_indonesian_page(built_site, tmp_path, silent_database):
    env = servers.server_env(f"postgresql+psycopg://nobody@127.0.0.1:{silent_database}/none", built_site,
                             tmp_path, DB_TIMEOUT_SECONDS=2)
    with servers.gunicorn(env, workers=2) as (base, _):
        started = time.monotonic()
        status, headers, body = fetch(urllib.request.build_opener(), base + "/healthz")
        assert time.monotonic() - started < 2.0
        assert status == 503 and headers["Content-Type"] == "application/json"
        opener, _ = session_opener()
        _, _, page = fetch(opener, base + "/daftar/")
        started = time.monotonic()
        status, _, body = fetch(opener, base + "/daftar/", {**VALID, **hidden_fields(page.decode())})
        assert time.monotonic() - started < 8
        assert status == 503
        assert "Layanan sedang terganggu" in body.decode()
