"""Fixtures: a fresh database per test (SQLite and PostgreSQL) and the real
gunicorn server. Chromium's fixtures are in tests/browser/conftest.py."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, make_url, text

from harness import servers
from portal import create_app
from portal.config import database_url
from portal.extensions import db, limiter

STRICT = os.environ.get("REQUIRE_ALL_TESTS") == "1"


# A production app needs these from the environment (portal.config.ProductionConfig).
PRODUCTION_KEY = "b2ZmbGluZS10ZXN0LXNpZ25pbmcta2V5LTAwMDAwMDA"
PRODUCTION_SECRET_KEY = "dGVzdHMtb25seS1zZWNyZXQta2V5LW5vdC1mb3ItdXNlLTAwMDE"  # 51 base64 characters
PRODUCTION_NIK_KEYS = {"NIK_KEYS": "p1:cHJvZHVjdGlvbi10ZXN0LW5pay1rZXktMDAwMDAwMDA",
                       "NIK_HASH_KEY": "cHJvZHVjdGlvbi10ZXN0LW5pay1oYXNoLWtleS0wMDA"}


def production_env(monkeypatch) -> dict:
    """Set what production requires; returns the config overrides that go with it."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_SECRET_KEY)
    monkeypatch.setenv("CONSENT_SIGNING_KEY", PRODUCTION_KEY)
    for name, value in PRODUCTION_NIK_KEYS.items():
        monkeypatch.setenv(name, value)
    return {"PUBLIC_URL": "https://portal.example.org"}


def pytest_configure(config) -> None:
    """Under pytest-xdist (`make test` runs two workers) each worker gets its own
    PostgreSQL database and Redis db, so workers never empty each other's tables;
    servers the tests start inherit them through the environment."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    if raw := os.environ.get("TEST_DATABASE_URL"):
        url = make_url(database_url(raw))
        name = f"{url.database}_{worker}"
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
    if raw := os.environ.get("TEST_REDIS_URL"):
        parts = urlsplit(raw)
        db_number = int(parts.path.strip("/") or 15) - number
        os.environ["TEST_REDIS_URL"] = parts._replace(path=f"/{db_number}").geturl()


def require(condition, reason: str) -> None:
    """Skip when something the test needs is missing; fail instead on CI."""
    if not condition:
        if STRICT:
            pytest.fail(f"{reason} (REQUIRE_ALL_TESTS=1 makes this a failure)")
        pytest.skip(reason)


# ---------------------------------------------------------------- databases

def _migrate(url: str) -> None:
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "SITE_DIR": "/nonexistent"})
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    _migrate(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    raw = os.environ.get("TEST_DATABASE_URL")
    require(raw, "TEST_DATABASE_URL is not set, so the PostgreSQL tests are skipped")
    url = database_url(raw)
    engine = create_engine(url)
    with engine.begin() as conn:  # start from an empty schema every run
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    _migrate(url)
    return url


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def make_app(url: str, tmp_path: Path, **config):
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url,
                      "SITE_DIR": str(tmp_path / "no-site"), "FORM_MIN_SECONDS": 0, **config})
    with app.app_context():
        _empty_tables()
    limiter.reset()
    return app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path):
    """The portal on a fresh database; every storage test runs on both databases."""
    app = make_app(request.getfixturevalue(f"{request.param}_url"), tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sqlite_app(sqlite_url, tmp_path):
    """The portal on SQLite only, for tests that do not depend on the database."""
    app = make_app(sqlite_url, tmp_path)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


# ---------------------------------------------------------------- the real server

@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """A strict build of the site, made the way `make site` makes it."""
    return servers.build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def live_server(built_site, tmp_path_factory) -> str:
    """gunicorn serving the built site and the portal on SQLite."""
    instance = tmp_path_factory.mktemp("instance")
    env = servers.server_env(f"sqlite:///{instance / 'live.db'}", built_site, instance)
    servers.migrate(env)
    with servers.gunicorn(env) as (url, _):
        yield url


def pytest_collection_modifyitems(config, items):
    """Every test that drives Chromium lives in tests/browser/, so it can be run,
    or left out, as one folder."""
    folder = Path(__file__).resolve().parent / "browser"
    misplaced = [item.nodeid for item in items
                 if item.get_closest_marker("browser") and folder not in item.path.parents]
    if misplaced:
        raise pytest.UsageError(f"browser tests outside tests/browser/: {misplaced}")
