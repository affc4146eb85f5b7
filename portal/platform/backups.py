"""Backups, restores and the retention job (flask --app portal backup|restore|retention).

SQLite is copied with SQLite's online backup API and PostgreSQL with pg_dump:
both give a consistent snapshot while the portal keeps taking submissions.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.engine import make_url

from kkbc import data

from .. import consent
from ..outreach import imports
from ..staff import throttle
from ..consent import rules
from ..extensions import db
from ..models import Submission


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


# libpq reads every connection setting from its environment
# (https://www.postgresql.org/docs/current/libpq-envars.html): pg_dump and
# pg_restore get no connection string at all, so nothing of it is in argv.
LIBPQ_ENV = {"host": "PGHOST", "port": "PGPORT", "username": "PGUSER", "database": "PGDATABASE",
             "password": "PGPASSWORD"}
LIBPQ_QUERY_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                   "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT",
                   "application_name": "PGAPPNAME", "target_session_attrs": "PGTARGETSESSIONATTRS",
                   "options": "PGOPTIONS"}


def _libpq(url) -> tuple[list[str], dict]:
    """Connection options for pg_dump and pg_restore, and their environment.

    Everything, the password above all, goes in the child's environment, never
    on the command line (where every user of the machine sees it in the
    process list) or in any output.
    """
    env = {**os.environ}
    for part, name in LIBPQ_ENV.items():
        value = getattr(url, part)
        if value is not None:
            env[name] = str(value)
    for key, value in url.query.items():
        if key in LIBPQ_QUERY_ENV:
            env[LIBPQ_QUERY_ENV[key]] = value if isinstance(value, str) else value[-1]
    return ["--no-password"], env


def _secret_free(text: str, url) -> str:
    return text.replace(str(url.password), "***") if url.password else text


def _private_file(path: Path) -> None:
    """Create an empty file only its owner can read, before any byte goes in."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class BackupError(RuntimeError):
    """The backup failed; no file was left behind."""


def backup(directory: Path) -> Path:
    """Write a consistent copy of the database into directory; return its path.

    The file is readable by its owner only from its first byte (it holds
    personal data), and removed again if anything fails.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    url = _url()
    sqlite = url.get_backend_name() == "sqlite"
    target = directory / f"portal-{stamp}.{'sqlite3' if sqlite else 'pgdump'}"
    _private_file(target)
    try:
        if sqlite:
            source, copy = sqlite3.connect(url.database), sqlite3.connect(target)
            try:
                # No journal file beside the copy: a copy that fails (a full
                # disk) is deleted whole, and a journal would outlive it.
                copy.execute("PRAGMA journal_mode=MEMORY")
                source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            args, env = _libpq(url)
            done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", *args],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(_secret_free(done.stderr.strip(), url) or f"pg_dump exited {done.returncode}")
    except BaseException:
        for leftover in (target, Path(f"{target}-journal")):
            leftover.unlink(missing_ok=True)
        raise
    return target


def restore(path: Path) -> None:
    """Replace the database's contents with a backup made by backup()."""
    url = _url()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as source, sqlite3.connect(url.database) as target:
            source.backup(target)
    else:
        args, env = _libpq(url)
        # pg_restore writes a script unless a database is named; the name alone is no secret.
        done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               *args, f"--dbname={url.database}", str(path)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(_secret_free(done.stderr.strip(), url))


# Erasures per transaction: each batch holds SQLite's write lock for a few
# milliseconds, and members' submissions get in between batches (one
# transaction of 10,352 erasures held it 8.7 s, and the campaign view got 503).
RETENTION_BATCH = 200


def retention(now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Erase personal data past the period in the privacy notice, and of members
    who withdrew all consent (UU 27/2022 asks for deletion after withdrawal).
    The anonymous consent history stays. Returns the receipt codes.

    Erases in small batches, each committed before the next is read, so the
    write lock is never held for long; the caller commits what follows."""
    now = now or datetime.now(timezone.utc)
    months = data.privacy()["retention_months"]
    cutoff = now - timedelta(days=round(months * 365.25 / 12))
    due = db.session.execute(select(Submission.id, Submission.receipt_code).where(
        Submission.state != consent.ERASED,
        (Submission.updated_at < cutoff) | (Submission.state == consent.WITHDRAWN),
    ).order_by(Submission.id)).all()
    codes = [code for _, code in due]
    if not dry_run:
        ids = [i for i, _ in due]
        for first in range(0, len(ids), RETENTION_BATCH):
            batch = ids[first:first + RETENTION_BATCH]
            for submission in db.session.scalars(select(Submission).where(Submission.id.in_(batch))):
                if submission.state != consent.ERASED:  # the member may have asked meanwhile
                    consent.erase(submission, actor=rules.SYSTEM)
            db.session.commit()
        throttle.prune(now)
        imports.forget_expired()  # unconfirmed uploads hold personal data
    return codes
