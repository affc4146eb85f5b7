"""Attacks on the real gunicorn with three workers, as an attacker and an
operator would try them: the form's rate limit across workers without Redis,
the Host header in redirects, long URLs and headers, build stamps, caching of
the form, percent-encoded private links in the log, and two instances on one host."""
from __future__ import annotations

import socket
import time
import urllib.parse
from contextlib import ExitStack

import pytest
from bs4 import BeautifulSoup

from harness import servers
from harness.servers import browser_like, fetch
from tests.actions import VALID, hidden_fields


def raw(base: str, request_line: str, headers: dict[str, str], body: str = "") -> tuple[int, dict, str]:
    """One request written by hand (a forged Host, a line no client library would send)."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    lines = [request_line, *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", body]
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall("\r\n".join(lines).encode("latin1"))
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), fields, body.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(built_site, tmp_path_factory):
    """The portal as `make run` starts it (no Redis: the default rate-limit storage), three workers."""
    for stamp in (".built", ".portal-css", "assets/.hidden"):  # what `make site` leaves in site/, and any dotfile
        (built_site / stamp).write_text("")
    instance = tmp_path_factory.mktemp("hardening")
    env = servers.server_env(f"sqlite:///{instance / 'h.db'}", built_site, instance,
                             FORM_RATE_LIMIT="30 per minute", PROXY_HOPS=1)
    env.pop("RATELIMIT_STORAGE_URI", None)
    servers.migrate(env)
    with servers.gunicorn(env, workers=3) as (url, _):
        yield url, instance


@pytest.fixture(scope="module")
def production(built_site, tmp_path_factory):
    instance = tmp_path_factory.mktemp("hardening-prod")
    with servers.production_server(f"sqlite:///{instance / 'p.db'}", instance, workers=3) as (url, _):
        yield url


@pytest.mark.parametrize("path", ["/daftar", "/admin", "/kelola"])
@pytest.mark.parametrize("mode", ["server", "production"])
def test_a_forged_host_never_reaches_a_redirect(request, mode, path):
    base = request.getfixturevalue(mode)
    base = base[0] if isinstance(base, tuple) else base
    status, headers, _ = raw(base, f"GET {path} HTTP/1.1", {"Host": "evil.example"})
    assert status == 308 and headers["Location"] == path + "/"
    status, headers, _ = raw(base, f"GET {path}?a=1 HTTP/1.1", {"Host": "evil.example:8443"})
    assert "evil.example" not in headers["Location"] and headers["Location"].startswith(path + "/")


def test_long_urls_and_headers_get_indonesian_pages(server):
    base, _ = server
    status, _, body = raw(base, f"GET /daftar/?q={'x' * 3000} HTTP/1.1", {"Host": "127.0.0.1"})
    assert status == 414 and "Alamat terlalu panjang" in body  # the app's own page
    status, headers, body = raw(base, f"GET /{'x' * 9000} HTTP/1.1", {"Host": "127.0.0.1"})
    assert status == 414 and "Alamat terlalu panjang" in body and 'lang="id"' in body  # gunicorn's, in Indonesian
    assert "x" * 100 not in body  # what was sent is not echoed
    status, _, body = raw(base, "GET /daftar/ HTTP/1.1", {"Host": "127.0.0.1", "Cookie": "a" * 9000})
    assert status == 431 and "Permintaan terlalu besar" in body
    status, _, body = raw(base, "GET /daftar/ HTTP/9.9", {"Host": "127.0.0.1"})
    assert status == 400 and "Permintaan tidak bisa dibaca" in body and "Invalid" not in body


@pytest.mark.parametrize("path", ["/.built", "/.portal-css", "/assets/.hidden"])
def test_build_stamps_are_not_served(server, built_site, path):
    base, _ = server
    assert raw(base, f"GET {path} HTTP/1.1", {"Host": "127.0.0.1"})[0] == 404


def test_the_form_page_is_never_cached(server):
    base, _ = server
    status, headers, _ = raw(base, "GET /daftar/ HTTP/1.1", {"Host": "127.0.0.1"})
    assert status == 200 and headers["Cache-Control"] == "no-store"


def test_a_percent_encoded_private_link_is_logged_without_its_secret(server):
    base, instance = server
    opener = browser_like()
    _, _, body = fetch(opener, base + "/daftar/")
    _, headers, _ = fetch(opener, base + "/daftar/", {**VALID, **hidden_fields(body.decode())})
    code, signature = headers["Location"].rsplit("/", 2)[1:]
    encoded = f"/%6Belola/{code}/{''.join(f'%{ord(c):02X}' for c in signature)}"
    status, _, page = fetch(opener, base + encoded)
    assert status == 200 and BeautifulSoup(page, "html.parser").select_one("h1") is not None
    # gunicorn writes the access line after the response has gone out: wait for it.
    deadline = time.monotonic() + 10
    while True:
        logs = "".join(p.read_text(errors="replace") for p in instance.glob("gunicorn-*.log"))
        if "kelola/" + code + "/" in logs or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert "kelola/" + code + "/[rahasia]" in logs
    assert signature not in logs and signature not in urllib.parse.unquote(logs)


def test_two_instances_on_one_host_each_have_their_own_control_socket(built_site, tmp_path):
    env = servers.server_env(f"sqlite:///{tmp_path / 'two.db'}", built_site, tmp_path)
    servers.migrate(env)
    with ExitStack() as both:
        first = both.enter_context(servers.gunicorn(env, workers=1))
        second = both.enter_context(servers.gunicorn(env, workers=1))
        for base, process in (first, second):
            assert process.poll() is None and fetch(browser_like(), base + "/healthz")[0] == 200
            own = tmp_path / f"gunicorn-{process.pid}.ctl"  # named by its master's pid
            deadline = time.monotonic() + 20  # gunicorn opens it once its workers run
            while not own.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert own.is_socket()


def test_the_form_limit_is_exact_across_three_workers_without_redis(server):
    """100 submissions from one address against 30 a minute: 30 pass, whichever
    worker takes them."""
    base, _ = server
    form = {"Host": "127.0.0.1", "X-Forwarded-For": "203.0.113.30",
            "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "6"}
    statuses = [raw(base, "POST /daftar/ HTTP/1.1", form, "nama=x")[0] for _ in range(100)]
    assert statuses.count(429) == 70
