"""Settings from the environment.

``PORTAL_ENV=production`` selects the production settings: they refuse to start
without ``SECRET_KEY`` and mark cookies Secure. Everything else has a default
that works on a laptop with no configuration.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("PORTAL_INSTANCE_DIR", ROOT / "instance"))


def database_url(url: str | None) -> str:
    """Default to SQLite under instance/; route PostgreSQL URLs to psycopg 3."""
    if not url:
        return f"sqlite:///{INSTANCE / 'portal.db'}"
    # Platforms hand out postgres:// or postgresql://; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# PostgreSQL: a sync gunicorn worker serves one request at a time, so two pooled
# connections per worker are plenty; reusing them avoids about 5 ms of connection
# set-up per request (bench/RESULTS.md). Pre-ping replaces connections the
# server closed while idle.
POSTGRES_POOL = {"pool_size": 2, "max_overflow": 2, "pool_recycle": 1800}


def engine_options(url: str, options: dict) -> dict:
    """Pool settings for PostgreSQL; SQLite keeps SQLAlchemy's defaults."""
    return {**options, **POSTGRES_POOL} if url.startswith("postgresql") else options


def local_secret_key() -> str:
    """A key generated once and kept in instance/, so local sessions survive restarts."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SITE_DIR = os.environ.get("SITE_DIR", str(ROOT / "site"))
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # A member on a cheap phone may take a long time over the form: keep the
    # CSRF token valid for a working day; an expired one re-renders with values kept.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # The form is a few kilobytes; anything far larger is not a member's submission.
    MAX_CONTENT_LENGTH = 64 * 1024
    MAX_FORM_MEMORY_SIZE = 64 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Per client address. Generous, because a cooperative office or a mobile
    # carrier's NAT puts many members behind one address.
    FORM_RATE_LIMIT = os.environ.get("FORM_RATE_LIMIT", "30 per minute;300 per hour")
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "10 per 15 minutes")
    # Back-office logins: failed attempts per client address and per account name.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per 15 minutes")
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5 per 15 minutes")
    # A back-office session ends after this long without a request, and in any
    # case this long after logging in (staff often share an office computer).
    ADMIN_IDLE_MINUTES = int(os.environ.get("ADMIN_IDLE_MINUTES", "30"))
    ADMIN_SESSION_HOURS = int(os.environ.get("ADMIN_SESSION_HOURS", "12"))
    # Number of reverse proxies in front of the app (0 when gunicorn faces clients).
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    # Seconds a person needs at least to fill in the form; faster is a bot.
    FORM_MIN_SECONDS = float(os.environ.get("FORM_MIN_SECONDS", "3"))
    # Compress portal pages (a form page drops from about 15 KB to 4 KB on 3G).
    # Streamed exports stay streamed; the site's files come pre-compressed.
    COMPRESS_MIMETYPES = ["text/html", "application/json"]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_STREAMS = False
    # Public base URL used in links and QR codes; empty means "the request's host".
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")

    @classmethod
    def secret_key(cls) -> str:
        return os.environ.get("SECRET_KEY") or local_secret_key()


class ProductionConfig(Config):
    """Production: secrets come only from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def secret_key(cls) -> str:
        key = os.environ.get("SECRET_KEY")
        if not key:
            raise RuntimeError("SECRET_KEY must be set when PORTAL_ENV=production")
        return key


class TestConfig(Config):
    """Tests: a throwaway key; the database URL is given by the test fixture."""

    ENV_NAME = "test"
    TESTING = True

    @classmethod
    def secret_key(cls) -> str:
        return "test-secret-key"


CONFIGS = {"development": Config, "production": ProductionConfig, "test": TestConfig}
