import pytest

from portal import create_app
from portal.config import database_url
from tests.conftest import PRODUCTION_SECRET_KEY, production_env


def test_test_config(sqlite_app):
    """Tests run on their own settings: a throwaway key, counters in memory, no timer, plain HTTP."""
    config = sqlite_app.config
    assert sqlite_app.testing and config["ENV_NAME"] == "test"
    assert config["SECRET_KEY"] == "test-secret-key"
    assert config["RATELIMIT_STORAGE_URI"] == "memory+swept://"
    assert config["RETENTION_INTERVAL_SECONDS"] == 0
    assert config["PUBLIC_URL"] == "http://localhost"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["FORM_MIN_SECONDS"] == 0  # the fixture's own: tests post at once


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_config(monkeypatch, tmp_path):
    overrides = production_env(monkeypatch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", **overrides})
    assert app.config["SECRET_KEY"] == PRODUCTION_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.testing


@pytest.mark.parametrize("key", ["x", "k" * 64, "rahasia-koperasi-2026", "0123456789abcdef" * 2])
def test_production_refuses_a_weak_secret_key_and_says_how_to_make_one(monkeypatch, tmp_path, key):
    overrides = production_env(monkeypatch)
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="at least 32 random bytes.*secrets.token_urlsafe"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", **overrides})


@pytest.mark.parametrize("make", [lambda: __import__("secrets").token_urlsafe(32),
                                  lambda: __import__("secrets").token_hex(32)])
def test_production_takes_a_key_of_32_random_bytes(monkeypatch, tmp_path, make):
    overrides = production_env(monkeypatch)
    monkeypatch.setenv("SECRET_KEY", key := make())
    assert create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", **overrides}).config["SECRET_KEY"] == key


def test_production_refuses_to_start_without_signing_key(monkeypatch, tmp_path):
    overrides = production_env(monkeypatch)
    monkeypatch.delenv("CONSENT_SIGNING_KEY")
    with pytest.raises(RuntimeError, match="CONSENT_SIGNING_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", **overrides})


@pytest.mark.parametrize("variable", ["NIK_KEYS", "NIK_HASH_KEY"])
def test_production_refuses_to_start_without_nik_keys(monkeypatch, tmp_path, variable):
    overrides = production_env(monkeypatch)
    monkeypatch.delenv(variable)
    with pytest.raises(RuntimeError, match="NIK_KEYS and NIK_HASH_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", **overrides})


@pytest.mark.parametrize("url", ["", "http://portal.example.org"])
def test_production_refuses_to_start_without_an_https_public_url(monkeypatch, tmp_path, url):
    production_env(monkeypatch)
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db", "PUBLIC_URL": url})


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "staging")
    with pytest.raises(RuntimeError, match="PORTAL_ENV"):
        create_app()


def test_local_run_generates_and_keeps_a_secret_key(monkeypatch, tmp_path):
    import portal.config as config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    assert len(first) == 64 and first == second
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("given, expected", [
    (None, "sqlite:///"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
])
def test_database_url(given, expected):
    assert database_url(given).startswith(expected)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_app):
    from sqlalchemy import text

    from portal.extensions import db

    with sqlite_app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_dead_database(tmp_path):
    app = create_app({"ENV_NAME": "test", "SITE_DIR": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"
