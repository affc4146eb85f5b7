"""Backups, restores and the retention job (flask --app portal backup|restore|retention).

SQLite is copied with SQLite's online backup API and PostgreSQL with pg_dump:
both give a consistent snapshot while the portal keeps taking submissions.
"""
from __future__ import annotations

import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select
from sqlalchemy.engine import make_url

from . import consent, data
from .config import INSTANCE
from .extensions import db
from .models import Submission


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _libpq_url(url) -> str:
    """pg_dump speaks libpq: drop SQLAlchemy's '+psycopg' driver name."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup(directory: Path) -> Path:
    """Write a consistent copy of the database into directory; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    url = _url()
    if url.get_backend_name() == "sqlite":
        target = directory / f"portal-{stamp}.sqlite3"
        source = sqlite3.connect(url.database)
        try:
            with sqlite3.connect(target) as copy:
                source.backup(copy)
        finally:
            source.close()
    else:
        target = directory / f"portal-{stamp}.pgdump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}",
                        _libpq_url(url)], check=True)
    target.chmod(0o600)  # it holds personal data
    return target


def restore(path: Path) -> None:
    """Replace the database's contents with a backup made by backup()."""
    url = _url()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(path) as source, sqlite3.connect(url.database) as target:
            source.backup(target)
    else:
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        f"--dbname={_libpq_url(url)}", str(path)], check=True)


def retention(now: datetime | None = None, dry_run: bool = False) -> list[str]:
    """Erase personal data past the period in the privacy notice, and of members
    who withdrew all consent (UU 27/2022 asks for deletion after withdrawal).
    The anonymous consent history stays. Returns the receipt codes erased."""
    now = now or datetime.now(timezone.utc)
    months = data.privacy()["retention_months"]
    cutoff = now - timedelta(days=round(months * 365.25 / 12))
    due = db.session.scalars(select(Submission).where(
        Submission.state != consent.ERASED,
        (Submission.updated_at < cutoff) | (Submission.state == consent.WITHDRAWN),
    ).order_by(Submission.id)).all()
    codes = [s.receipt_code for s in due]
    if not dry_run:
        for submission in due:
            consent.erase(submission, actor="sistem")
    return codes


def init_app(app) -> None:
    @app.cli.command("backup")
    @click.option("--output", type=click.Path(path_type=Path), default=None,
                  help="Folder for the backup (default instance/backups).")
    def backup_command(output):
        """Write a consistent backup of the database."""
        click.echo(backup(output or INSTANCE / "backups"))

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path, yes):
        """Replace the database with a backup (stop the portal first)."""
        if not yes:
            click.confirm(f"Replace everything in the database with {path}?", abort=True)
        restore(path)
        click.echo("restored")

    @app.cli.command("retention")
    @click.option("--dry-run", is_flag=True, help="List what would be erased, erase nothing.")
    def retention_command(dry_run):
        """Erase personal data that is past its retention period."""
        codes = retention(dry_run=dry_run)
        verb = "would erase" if dry_run else "erased"
        click.echo(f"{verb} {len(codes)} submission(s)")
