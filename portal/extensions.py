"""Extensions, created unbound here and bound to the app in the factory."""
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

db = SQLAlchemy()
compress = Compress()
migrate = Migrate()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


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
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """Take SQLite's write lock at BEGIN: a transaction that reads and then
    writes would otherwise fail at once when another writer got in between,
    instead of waiting its turn under the busy timeout."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
