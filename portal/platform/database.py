"""How the portal talks to its database: SQLite's settings on every
connection, its write lock taken at a transaction's first write, and the
connection of a request that reads, then writes once.

The listeners apply to every engine once this module is imported (the
factory imports it)."""
from contextlib import contextmanager

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from ..extensions import db


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


class Prepared:
    """One Core statement, compiled once per kind of database and run on the
    driver's own cursor, its values converted by their column types exactly
    as SQLAlchemy would send them.

    For the statements of the one request every member makes (the RAT
    decision's outcome, the record and its first event): there SQLAlchemy's
    per-execution bookkeeping (execution context, result wrapping) costs more
    than the statement itself (bench/RESULTS.md). Rows come back as the
    driver gives them, so a read should select only columns the driver
    returns as they are (text, numbers). A write must name every value it
    writes: a column default SQLAlchemy would fill in is refused."""

    def __init__(self, statement):
        self.statement = statement
        self._compiled: dict[str, tuple] = {}

    def _compile(self, dialect) -> tuple:
        compiled = self.statement.compile(dialect=dialect)
        defaults = [*compiled.insert_prefetch, *compiled.update_prefetch]
        if defaults:
            raise ValueError("a prepared write must give every value: " + ", ".join(c.name for c in defaults))
        processors = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors[name] = processor
        # Values the statement carries itself, such as a LIMIT.
        fixed = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}
        writes = compiled.isinsert or compiled.isupdate or compiled.isdelete
        return str(compiled), compiled.positiontup, processors, fixed, writes

    def first(self, connection, values: dict):
        """Run with ``values`` in ``connection``'s transaction; the first row
        it returns, or None."""
        dialect = connection.dialect
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = self._compile(dialect)
        sql, order, processors, fixed, writes = found
        try:
            converted = {name: processors[name](value) if name in processors else value
                         for name, value in (values | fixed if fixed else values).items()}
        except Exception as error:  # as SQLAlchemy reports a value it cannot convert
            raise exc.StatementError(str(error), sql, None, error) from error
        driver = connection.connection.driver_connection
        cursor = driver.cursor()
        try:
            if writes and dialect.name == "sqlite" and not driver.in_transaction:
                cursor.execute("BEGIN IMMEDIATE")  # as _sqlite_lock_at_first_write does
            cursor.execute(sql, converted if order is None else tuple(converted[name] for name in order))
            return cursor.fetchone()
        except dialect.loaded_dbapi.Error as error:  # the driver's errors, wrapped as SQLAlchemy's
            raise exc.DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error) from error
        finally:
            cursor.close()
