"""Start the real thing: gunicorn serving the built site and the portal."""
from __future__ import annotations

import base64
import contextlib
import http.cookiejar
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Production refuses to start without these; each run makes its own.
SECRET_KEY = secrets.token_hex(32)
SIGNING_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
NIK_KEYS = "h1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
NIK_HASH_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser_like():
    """An opener that keeps cookies and shows redirects instead of following them."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def fetch(opener, url, data=None, headers=None):
    body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(out: Path) -> Path:
    """The same build as `make site`, into another folder: the site, then the portal's CSS."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"), str(out)],
                   check=True, cwd=ROOT, env=env)
    subprocess.run([sys.executable, "scripts/portal_css.py", str(out)], check=True, cwd=ROOT, env=env)
    return out


def server_env(database_url: str, site_dir: Path, instance: Path, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "SITE_DIR": str(site_dir),
           "PORTAL_INSTANCE_DIR": str(instance), "FORM_MIN_SECONDS": "0",
           # Tests that want the retention timer turn it on themselves.
           "RETENTION_INTERVAL_SECONDS": "0"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def migrate(env: dict) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "portal", "db", "upgrade"],
                   check=True, cwd=ROOT, env=env, capture_output=True)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered (503: the database is not reachable, which a test may want)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer in time")


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2, args: tuple = (), app: str = "portal:create_app()"):
    """Yield the base URL of a gunicorn started with the project's gunicorn.conf.py."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"PUBLIC_URL": url, **env}  # links and QR codes point at this server
    log = open(Path(env["PORTAL_INSTANCE_DIR"]) / f"gunicorn-{port}.log", "wb")
    worker_args = ("--workers", str(workers)) if workers else ()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", *worker_args, *args, app],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(url, process)
        yield url, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def production_env(database_url: str, instance: Path, site: Path = ROOT / "site", **extra) -> dict:
    """Production settings (PORTAL_ENV=production, this run's keys, an https
    PUBLIC_URL); FORM_MIN_SECONDS keeps its production default unless given."""
    settings = {"PORTAL_ENV": "production", "SECRET_KEY": SECRET_KEY, "CONSENT_SIGNING_KEY": SIGNING_KEY,
                "NIK_KEYS": NIK_KEYS, "NIK_HASH_KEY": NIK_HASH_KEY, "PUBLIC_URL": "https://portal.example.org", **extra}
    env = server_env(database_url, site, instance, **settings)
    if "FORM_MIN_SECONDS" not in extra:
        env.pop("FORM_MIN_SECONDS")
    return env


@contextlib.contextmanager
def production_server(database_url: str, instance: Path, workers: int = 2, **extra):
    """Yield (base URL, gunicorn process) of a migrated portal with production settings."""
    env = production_env(database_url, instance, **extra)
    migrate(env)
    with gunicorn(env, workers=workers) as running:
        yield running
