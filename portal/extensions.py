"""Extensions, created unbound here and bound to the app in the factory."""
import threading
from contextlib import contextmanager
from functools import cache, wraps

from flask import current_app
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from limits import parse_many
from limits.storage import MemoryStorage
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import TooManyRequests

from .platform import shared_limits  # noqa: F401 (registers file+shared:// with limits)

db = SQLAlchemy()
compress = Compress()
migrate = Migrate()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class SweptMemoryStorage(MemoryStorage):
    """limits' in-process counters (``memory+swept://``, counted per worker:
    each test's app), with expired ones swept once a second instead of every 10 ms.

    A counter past its window is dropped when it is next read (MemoryStorage.get),
    so limits stay exact; the sweep only frees addresses that stopped coming.
    Under load the stock storage started a new thread every 10 ms in every
    worker, a twentieth of a submission's CPU (bench/RESULTS.md)."""

    STORAGE_SCHEME = ["memory+swept"]
    SWEEP_SECONDS = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the stock method, with a longer wait
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


@cache
def _parsed(limits_text: str) -> tuple:
    return tuple(parse_many(limits_text))


def limit_per_address(config_key: str):
    """A view decorator doing what ``@limiter.limit(lambda: config[config_key])``
    does, per client address: the limiter's storage, strategy and counters
    (shared through Redis in production), a refusal as 429 with Retry-After.
    For the form's POST: Flask-Limiter resolves every limit, exemption and
    scope on each request, a fifteenth of a submission (bench/RESULTS.md)."""
    def decorate(view):
        scope = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def limited(*args, **kwargs):
            if limiter.enabled:
                address = get_remote_address()
                for item in _parsed(current_app.config[config_key]):
                    if not limiter.limiter.hit(item, scope, address):
                        raise TooManyRequests(retry_after=item.get_expiry())
            return view(*args, **kwargs)
        return limited
    return decorate


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers work while one writer commits; the busy timeout makes
    concurrent writers wait instead of failing with "database is locked"."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # Waits for another writer, but a stuck lock fails the request in seconds.
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_lock_at_first_write).
    dbapi_connection.isolation_level = None


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_lock_at_first_write(conn, cursor, statement, parameters, context, executemany):
    """On SQLite, take the write lock (BEGIN IMMEDIATE) at a transaction's first
    write, never for reads: in WAL mode readers and one writer then work side
    by side, so a dashboard, a list or an export never holds members'
    submissions back (a read taking the lock made them wait 5 s, then 503).

    Until its first write a transaction's reads are statements of their own,
    each seeing what was committed when it ran; once the lock is taken, its
    reads and writes are one transaction, and a concurrent writer waits its
    turn under the busy timeout instead of failing (a deferred BEGIN that read
    first would fail at once when another writer got in between). A SAVEPOINT
    opens the transaction too, so it takes the lock the same way."""
    if (conn.dialect.name == "sqlite" and not cursor.connection.in_transaction
            and (context.isinsert or context.isupdate or context.isdelete
                 or statement.startswith(("SAVEPOINT", "INSERT", "UPDATE", "DELETE", "REPLACE")))):
        cursor.execute("BEGIN IMMEDIATE")


@contextmanager
def write_connection():
    """The connection of a request that reads, then writes once (a member's
    submission); what it wrote is committed when the block ends.

    The reads take no lock and see what was committed when each ran: the
    writes cannot depend on them staying true. On PostgreSQL the connection
    is in autocommit, which saves the BEGIN and COMMIT round trips, so the
    write must be one statement (consent.submit's is). On SQLite the write
    lock is taken at the first write and held to the commit, not while the
    request checks its input (as on every SQLite connection)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection
    else:
        with db.engine.connect() as connection, connection.begin():
            yield connection


def _owned_by(owner):
    """A hook an extension registered: one of its bound methods, or a partial over one."""
    def test(hook) -> bool:
        return getattr(hook, "__self__", None) is owner or owner in getattr(hook, "args", ())
    return test


def confine(app, owner, blueprints: tuple[str, ...], drop_before: bool = False) -> None:
    """Run an extension's app-wide request hooks only on the blueprints that use it.

    Flask-Login and Flask-Limiter hook into every request; the built site's
    files never reach Flask, but /healthz and error pages did, and paid for
    reading the session (Flask-Login) and the limiter's bookkeeping. With
    ``drop_before`` the extension's before-request hook goes entirely (the
    limiter's checks app-wide limits, and we set none: every limit is a route
    decorator, which checks by itself)."""
    mine = _owned_by(owner)
    if drop_before and (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")):
        raise RuntimeError("app-wide rate limits need the limiter's before-request check")
    for registry in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        hooks = [hook for hook in registry.get(None, []) if mine(hook)]
        registry[None] = [hook for hook in registry.get(None, []) if not mine(hook)]
        if registry is app.before_request_funcs and drop_before:
            continue
        for name in blueprints:
            registry.setdefault(name, []).extend(hooks)
