"""Shared by the benchmarks: databases, a production-like gunicorn, sessions."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import servers  # noqa: E402
from harness.samples import VALID  # noqa: E402
from portal.config import database_url  # noqa: E402

PG_URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def ensure_tool(command: str, package: str) -> str:
    """Find a Debian tool, installing its package if it is missing."""
    if not shutil.which(command):
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    return shutil.which(command)


def fresh_database(kind: str, workdir: Path) -> str | None:
    """An empty, migrated database of that kind; None if it is not available."""
    if kind == "sqlite":
        path = workdir / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if not PG_URL:
        return None
    url = database_url(PG_URL)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


# Limits shared by every worker, as production runs them (README), when a
# Redis server is given; else the workers share the default file (file+shared://).
REDIS_URL = os.environ.get("BENCH_REDIS_URL")


def production_env(url: str, workdir: Path, site: Path = ROOT / "site", **extra) -> dict:
    """The portal's production settings, with a form rate limit no benchmark reaches."""
    limits = {"RATELIMIT_STORAGE_URI": REDIS_URL} if REDIS_URL else {}
    return servers.production_env(url, workdir, site,
                                  **{"FORM_RATE_LIMIT": "1000000 per minute", **limits, **extra})


@contextmanager
def production_server(url: str, workdir: Path, workers: int | None = None, args=(), **extra):
    env = production_env(url, workdir, **extra)
    servers.migrate(env)
    with servers.gunicorn(env, workers=workers or 0, args=args, app="bench.app:app") as running:
        yield running


@contextmanager
def reference_server(kind: str, portal_url: str, workdir: Path, workers: int | None = None, args=()):
    """bench/reference.py on the same gunicorn settings, on its own database of
    the same kind (for PostgreSQL, its own table in the benchmark's database)."""
    url = f"sqlite:///{workdir / 'reference.db'}" if kind == "sqlite" else portal_url
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{workdir / 'reference.db'}{suffix}").unlink(missing_ok=True)
    env = production_env(url, workdir)
    with servers.gunicorn(env, workers=workers or 0, args=args, app="bench.reference:app") as (base, _):
        yield base


def new_session(base: str) -> tuple[str, str]:
    """(Cookie header, CSRF token) of one visitor who opened the form."""
    with urllib.request.urlopen(base + "/daftar/", timeout=10) as response:
        cookie = response.headers["Set-Cookie"].split(";")[0]
        html = response.read().decode()
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return cookie, csrf


def form_tokens(count: int) -> list[str]:
    """Form tokens signed with the servers' key, as the form page would issue them."""
    from portal.public import tokens
    from portal import create_app

    app = create_app({"ENV_NAME": "test", "SECRET_KEY": servers.SECRET_KEY, "SITE_DIR": "/nonexistent",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        return [tokens.issue({"jalur": "bench"}) for _ in range(count)]


def static_fields() -> str:
    """The submission's fields other than phone and tokens, url-encoded."""
    fields = {k: v for k, v in VALID.items() if k != "nomor_hp"}
    return urllib.parse.urlencode(fields, doseq=True)
