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
# server closed while idle. A database that hangs must fail a request within
# seconds (with the Indonesian error page), not hold the worker until gunicorn
# kills it: connect, pool-wait and statement timeouts, and a TCP timeout for a
# server that stopped answering.
DB_TIMEOUT_SECONDS = int(os.environ.get("DB_TIMEOUT_SECONDS", "3"))


def engine_options(url: str, options: dict) -> dict:
    """Pool and timeout settings for PostgreSQL; SQLite keeps SQLAlchemy's pool.

    Only PostgreSQL's connections are checked before use (pre-ping): a server
    restart leaves dead ones in the pool. A SQLite file has no server, and a
    ping there is one more statement on every request."""
    if not url.startswith("postgresql"):
        return options
    timeout = DB_TIMEOUT_SECONDS
    return {**options, "pool_pre_ping": True, "pool_size": 2, "max_overflow": 2, "pool_recycle": 1800,
            "pool_timeout": timeout,
            "connect_args": {"connect_timeout": timeout, "tcp_user_timeout": timeout * 1000,
                             "options": f"-c statement_timeout={timeout * 1000}"}}


def local_secret_key() -> str:
    """A key generated once and kept in instance/, so local sessions survive restarts."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


# SECRET_KEY signs members' private links: a guessable key lets anyone forge
# one. Production needs at least 32 random bytes' worth (256 bits), estimated
# from the key's length and alphabet (hex 4 bits a character, base64 6, other
# printable text 6.5); a key of few distinct characters is refused whatever its length.
SECRET_KEY_BITS = 256
HOW_TO_MAKE_A_KEY = "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
HEX = set("0123456789abcdefABCDEF")
BASE64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=")


def key_bits(key: str) -> float:
    """A generous estimate of the random bits in a key, from its length and alphabet."""
    characters = set(key)
    if len(characters) < 8:
        return 0.0
    per_character = 4.0 if characters <= HEX else 6.0 if characters <= BASE64 else 6.5
    return len(key) * per_character


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "development"
    SITE_DIR = os.environ.get("SITE_DIR", str(ROOT / "site"))
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {}
    # A member on a cheap phone may take a long time over the form: keep the
    # CSRF token valid for a working day; an expired one re-renders with values kept.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    # The form is a few kilobytes; anything far larger is not a member's submission.
    MAX_CONTENT_LENGTH = 64 * 1024
    MAX_FORM_MEMORY_SIZE = 64 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A file every worker on this host maps (shared_limits.SharedFileStorage),
    # so limits are exact across workers; several instances set a Redis URL so
    # that they all count together (README).
    RATELIMIT_STORAGE_URI = (os.environ.get("RATELIMIT_STORAGE_URI")
                             or f"file+shared://{INSTANCE / 'rate-limits'}")
    # No X-RateLimit-* headers: members' browsers do nothing with them, and
    # each costs a read of the counters on every limited request. A refused
    # request still says when to come back (errors.py: Retry-After).
    RATELIMIT_HEADERS_ENABLED = False
    # Per client address. Generous, because a cooperative office or a mobile
    # carrier's NAT puts many members behind one address.
    FORM_RATE_LIMIT = os.environ.get("FORM_RATE_LIMIT", "30 per minute;300 per hour")
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "10 per 15 minutes")
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
    # Public base URL of every shared link and QR code. Never taken from the
    # request's Host header, which anyone can set. Locally it is the address
    # `make run` serves on, and the link kit says so.
    PUBLIC_URL = (os.environ.get("PUBLIC_URL")
                  or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")
    # Ed25519 key that signs members' consent records (portal.consent.proof),
    # and old public keys that stay published after a rotation.
    CONSENT_OLD_PUBLIC_KEYS = os.environ.get("CONSENT_OLD_PUBLIC_KEYS", "")
    # The retention job runs by itself this often (seconds; 0 turns it off,
    # for operators who schedule `flask retention` themselves).
    RETENTION_INTERVAL_SECONDS = int(os.environ.get("RETENTION_INTERVAL_SECONDS", str(24 * 3600)))
    # A download stops writing rows after this long and says in its last line
    # that it is incomplete: gunicorn kills a worker at 30 s even mid-response,
    # which would cut the file with nothing in it to show it (gunicorn.conf.py).
    EXPORT_SECONDS = float(os.environ.get("EXPORT_SECONDS", "20"))
    # Exports of more rows than these are made in the background with a
    # progress page (portal.followup.export_jobs): about 20,000 XLSX rows and
    # 50,000 CSV rows a CPU-second (bench/exports.py), so either stays a few
    # seconds inside EXPORT_SECONDS on a busy machine.
    EXPORT_DIRECT_ROWS = {"csv": int(os.environ.get("EXPORT_DIRECT_ROWS_CSV", "150000")),
                          "xlsx": int(os.environ.get("EXPORT_DIRECT_ROWS_XLSX", "50000"))}
    # Where background exports are written (mode 700), how long a file is kept,
    # how often each worker looks for a job (0: never, for tests and for
    # operators who run `flask ekspor-jalankan` themselves), and after how long
    # without a sign of life a job's worker counts as dead.
    EXPORT_DIR = os.environ.get("EXPORT_DIR") or str(INSTANCE / "ekspor")
    EXPORT_KEEP_HOURS = float(os.environ.get("EXPORT_KEEP_HOURS", "24"))
    EXPORT_JOB_POLL_SECONDS = float(os.environ.get("EXPORT_JOB_POLL_SECONDS", "3"))
    EXPORT_JOB_STALE_SECONDS = float(os.environ.get("EXPORT_JOB_STALE_SECONDS", "60"))
    # The dashboards' counts are counted at most this often per scope and
    # shared by the workers (portal.followup.figures); the page says when. 0: every view.
    FIGURES_MAX_AGE_SECONDS = float(os.environ.get("FIGURES_MAX_AGE_SECONDS", "60"))
    # Failed staff logins, counted in the database: per client address in a
    # window, and per account name a growing wait (base doubling, capped)
    # after a few failures, so a stranger who knows a name can delay its
    # owner by minutes at most, while guessing stays at a few hundred a day.
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_ADDRESS_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FAILURES", "20"))
    LOGIN_ACCOUNT_FREE_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_FREE_FAILURES", "5"))
    LOGIN_DELAY_BASE_SECONDS = int(os.environ.get("LOGIN_DELAY_BASE_SECONDS", "15"))
    LOGIN_DELAY_CAP_SECONDS = int(os.environ.get("LOGIN_DELAY_CAP_SECONDS", "300"))

    @classmethod
    def secret_key(cls) -> str:
        """SECRET_KEY from the environment, or one generated once into instance/."""
        return os.environ.get("SECRET_KEY") or local_secret_key()

    @classmethod
    def signing_key(cls) -> str:
        """CONSENT_SIGNING_KEY from the environment, or one generated once into instance/."""
        from .consent import proof
        return os.environ.get("CONSENT_SIGNING_KEY") or proof.local_private_key(INSTANCE)

    @classmethod
    def nik_keys(cls) -> dict:
        """NIK_KEYS and NIK_HASH_KEY (portal.bpjs.vault): from the environment, or generated into instance/."""
        from .bpjs import vault
        if os.environ.get("NIK_KEYS"):
            return {"NIK_KEYS": os.environ["NIK_KEYS"], "NIK_HASH_KEY": os.environ.get("NIK_HASH_KEY", "")}
        return vault.local_keys(INSTANCE)

    @classmethod
    def check(cls, config) -> None:
        """Refuse to start with settings that would break a promise (production only)."""


class ProductionConfig(Config):
    """Production: secrets come only from the environment."""

    ENV_NAME = "production"
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def secret_key(cls) -> str:
        """SECRET_KEY from the environment: required, and at least 32 random bytes."""
        key = os.environ.get("SECRET_KEY")
        if not key:
            raise RuntimeError(f"SECRET_KEY must be set when PORTAL_ENV=production ({HOW_TO_MAKE_A_KEY})")
        if key_bits(key) < SECRET_KEY_BITS:
            raise RuntimeError("SECRET_KEY is too weak: it signs members' private links and must hold "
                               f"at least 32 random bytes; {HOW_TO_MAKE_A_KEY}")
        return key

    @classmethod
    def signing_key(cls) -> str:
        """CONSENT_SIGNING_KEY from the environment: required."""
        key = os.environ.get("CONSENT_SIGNING_KEY")
        if not key:
            raise RuntimeError("CONSENT_SIGNING_KEY must be set when PORTAL_ENV=production "
                               "(make one with: flask --app portal proof-key)")
        return key

    @classmethod
    def nik_keys(cls) -> dict:
        """NIK_KEYS and NIK_HASH_KEY from the environment: required."""
        keys = {name: os.environ.get(name) for name in ("NIK_KEYS", "NIK_HASH_KEY")}
        if not all(keys.values()):
            raise RuntimeError("NIK_KEYS and NIK_HASH_KEY must be set when PORTAL_ENV=production "
                               "(make them with: flask --app portal bpjs nik-key)")
        return keys

    @classmethod
    def check(cls, config) -> None:
        """Refuse to start with settings production cannot run on."""
        if not config["PUBLIC_URL"].startswith("https://"):
            raise RuntimeError("PUBLIC_URL must be set to the portal's https:// address when "
                               "PORTAL_ENV=production: links and QR codes are never built from "
                               "the request's Host header")


class TestConfig(Config):
    """Tests: a throwaway key; the database URL is given by the test fixture."""

    ENV_NAME = "test"
    TESTING = True
    PUBLIC_URL = "http://localhost"
    RETENTION_INTERVAL_SECONDS = 0
    EXPORT_JOB_POLL_SECONDS = 0
    FIGURES_MAX_AGE_SECONDS = 0
    # Each test's app counts alone, in its own memory (platform.rate_limits.SweptMemoryStorage).
    RATELIMIT_STORAGE_URI = "memory+swept://"

    @classmethod
    def secret_key(cls) -> str:
        """A throwaway key for tests."""
        return "test-secret-key"

    @classmethod
    def signing_key(cls) -> str:
        """The tests' fixed signing key."""
        return TEST_SIGNING_KEY

    @classmethod
    def nik_keys(cls) -> dict:
        """The tests' fixed NIK keys."""
        return dict(TEST_NIK_KEYS)


# A fixed key for tests only (never published): its seed in base64url.
TEST_SIGNING_KEY = "dGVzdC1zaWduaW5nLWtleS1ub3QtZm9yLXVzZS0wMDE"
TEST_NIK_KEYS = {"NIK_KEYS": "test1:dGVzdC1uaWsta2V5LW5vdC1mb3ItdXNlLTAwMDAwMDE",
                 "NIK_HASH_KEY": "dGVzdC1uaWstaGFzaC1rZXktbm90LWZvci11c2UtMDE"}


CONFIGS = {"development": Config, "production": ProductionConfig, "test": TestConfig}
