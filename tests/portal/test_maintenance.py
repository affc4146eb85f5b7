"""Backups while the portal runs, a tested restore, and the retention job."""
import threading
from pathlib import Path
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from portal.platform import backups
from portal.extensions import db
from portal.models import ConsentEvent, Submission
from tests.actions import submit


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (Submission, ConsentEvent))


def test_backup_during_writes_then_restore(app, tmp_path):
    client = app.test_client()
    for i in range(3):
        assert submit(client, nomor_hp=f"0812 1111 22{i:02d}").status_code == 303

    stop = threading.Event()

    def keep_writing():
        writer = app.test_client()
        i = 0
        while not stop.is_set() and i < 40:
            submit(writer, nomor_hp=f"0813 2222 33{i:02d}")
            i += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    with app.app_context():
        path = backups.backup(tmp_path / "backups")
    stop.set()
    thread.join()
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    after_writes = counts(app)

    with app.app_context():
        backups.restore(path)
    restored = counts(app)
    # The snapshot holds the 3 early rows and nothing written after the writer stopped.
    assert restored[0] >= 3
    assert all(r <= a for r, a in zip(restored, after_writes))
    with app.app_context():  # a consistent snapshot: nothing half stored
        half_stored = db.session.scalar(select(func.count()).select_from(Submission).where(
            ~Submission.events.any() | Submission.idempotency_key.is_(None)))
        assert half_stored == 0


def test_backup_command(runner, tmp_path):
    result = runner.invoke(args=["backup", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir())


def test_retention_erases_old_and_withdrawn_data_and_keeps_history(app):
    client = app.test_client()
    for phone in ("0812 1111 0001", "0812 1111 0002", "0812 1111 0003"):
        assert submit(client, nomor_hp=phone).status_code == 303
    with app.app_context():
        old, withdrawn, fresh = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        db.session.execute(update(Submission).where(Submission.id == old.id).values(
            updated_at=datetime.now(timezone.utc) - timedelta(days=800)))
        db.session.commit()
        from portal import consent

        consent.withdraw_all(withdrawn)
        db.session.commit()
        assert backups.retention(dry_run=True) == [old.receipt_code, withdrawn.receipt_code]
        assert backups.retention() == [old.receipt_code, withdrawn.receipt_code]
        db.session.commit()
        assert backups.retention() == []
        rows = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        assert [r.phone is None for r in rows] == [True, True, False]
        assert rows[0].events[-1].kind == "dihapus" and rows[0].events[-1].actor == "sistem"
        assert [e.kind for e in rows[1].events] == ["diberikan", "ditarik", "dihapus"]


def withdrawn_member(app) -> str:
    """A member who withdrew all consent: due for erasure. Their receipt code."""
    assert submit(app.test_client()).status_code == 303
    with app.app_context():
        from portal import consent

        submission = db.session.scalar(select(Submission))
        consent.withdraw_all(submission)
        db.session.commit()
        return submission.receipt_code


def test_retention_command_erases_for_good(app, runner):
    withdrawn_member(app)
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0 and "erased 1 submission(s)" in result.output
    with app.app_context():
        assert db.session.scalar(select(Submission)).phone is None


def test_the_scheduled_retention_runs_once_a_period_and_records_its_result(app):
    from portal.platform import scheduler
    from portal.models import ScheduledJob

    code = withdrawn_member(app)
    app.config["RETENTION_INTERVAL_SECONDS"] = 3600
    with app.app_context():
        assert db.session.get(ScheduledJob, scheduler.RETENTION) is None  # the test database starts empty
        assert scheduler.run_retention_if_due(app) == [code]
    with app.app_context():
        assert scheduler.run_retention_if_due(app) is None  # already claimed for this period
        job = db.session.get(ScheduledJob, scheduler.RETENTION)
        assert job.last_result == "1 data dihapus" and job.last_finished_at >= job.last_started_at
        assert db.session.scalar(select(Submission)).phone is None


def test_a_failed_backup_leaves_no_file_and_no_password(tmp_path):
    """pg_dump against a server that refuses: nothing written, the password never shown."""
    secret = "rahasia-sandi-db-123"
    app = make_app_without_tables(f"postgresql+psycopg://nobody:{secret}@127.0.0.1:1/tidakada", tmp_path)
    runner = app.test_cli_runner()
    out = tmp_path / "backups"
    result = runner.invoke(args=["backup", "--output", str(out)])
    assert result.exit_code != 0
    assert "nothing was written" in result.output
    assert secret not in result.output
    assert list(out.iterdir()) == []


def make_app_without_tables(url, tmp_path):
    from portal import create_app

    return create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url, "SITE_DIR": str(tmp_path)})


def test_a_backup_is_private_from_its_first_byte(sqlite_app, tmp_path, monkeypatch):
    """The file exists with mode 600 before the copy starts writing into it
    (SQLite: the copy is made in-process, so the moment can be watched)."""
    import sqlite3

    modes = []
    real_connect = sqlite3.connect

    def watching(target, *args, **kwargs):
        for existing in (tmp_path / "b").glob("portal-*"):
            modes.append(existing.stat().st_mode & 0o777)
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", watching)
    with sqlite_app.app_context():
        backups.backup(tmp_path / "b")
    assert modes and set(modes) == {0o600}


def test_retention_dry_run_lists_the_codes(app, runner):
    client = app.test_client()
    assert submit(client).status_code == 303
    with app.app_context():
        from portal import consent

        submission = db.session.scalar(select(Submission))
        consent.withdraw_all(submission)
        db.session.commit()
        code = consent.format_receipt_code(submission.receipt_code)
    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0 and "would erase 1 submission(s)" in result.output
    assert code in result.output
    with app.app_context():
        assert db.session.scalar(select(Submission)).phone is not None  # nothing erased


FAKE_PG_TOOL = """#!/bin/sh
# Records what a real pg_dump or pg_restore would be given, as ps would show it.
printf '%s\\n' "$0" "$@" > "$ARGV_LOG"
printf '%s\\n' "$PGHOST" "$PGPORT" "$PGUSER" "$PGDATABASE" "$PGPASSWORD" "$PGSSLMODE" > "$ENV_LOG"
for arg in "$@"; do case "$arg" in --file=*) : > "${arg#--file=}";; esac; done
"""


def test_pg_dump_and_pg_restore_never_see_the_password_in_argv(tmp_path, monkeypatch):
    """A fake pg_dump and pg_restore first on PATH record their argv: the
    password (and the rest of the URL) reach them only through libpq's environment."""
    secret = "rahasia-sandi-db-456"
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("pg_dump", "pg_restore"):
        (tools / name).write_text(FAKE_PG_TOOL)
        (tools / name).chmod(0o700)
    monkeypatch.setenv("PATH", f"{tools}:{__import__('os').environ['PATH']}")
    monkeypatch.setenv("ARGV_LOG", str(tmp_path / "argv"))
    monkeypatch.setenv("ENV_LOG", str(tmp_path / "env"))
    app = make_app_without_tables(
        f"postgresql+psycopg://kkbc:{secret}@db.example:5433/portal?sslmode=require", tmp_path)
    runner = app.test_cli_runner()
    for args in (["backup", "--output", str(tmp_path / "b")], ["restore", "--yes", str(tmp_path / "env")]):
        (tmp_path / "env").write_text("")
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        argv = (tmp_path / "argv").read_text()
        assert argv.split("\n", 1)[0].endswith(args[0].replace("backup", "pg_dump").replace("restore", "pg_restore"))
        assert secret not in argv and "db.example" not in argv and "--no-password" in argv
        assert (tmp_path / "env").read_text().split("\n")[:6] == ["db.example", "5433", "kkbc", "portal", secret,
                                                                  "require"]


def full_disk() -> None:
    """In the child: a disk that fills up after 64 KB (writes beyond fail with EFBIG, as on a full disk)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_sqlite_backup_that_fills_the_disk_leaves_nothing_behind(sqlite_app, tmp_path):
    import os
    import subprocess
    import sys

    sqlite_app.config["FORM_RATE_LIMIT"] = "1000 per minute"
    client = sqlite_app.test_client()
    for i in range(40):  # enough pages that the copy passes 64 KB
        assert submit(client, nomor_hp=f"0812 3333 44{i:02d}", nama="Yohana Bera " + "x" * 80).status_code == 303
    out = tmp_path / "penuh"
    out.mkdir()
    env = {**os.environ, "DATABASE_URL": sqlite_app.config["SQLALCHEMY_DATABASE_URI"],
           "PORTAL_INSTANCE_DIR": str(tmp_path), "SITE_DIR": str(tmp_path)}
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "portal", "backup", "--output", str(out)],
                          capture_output=True, text=True, env=env, preexec_fn=full_disk)
    assert done.returncode != 0 and "backup failed, nothing was written" in done.stderr, done.stderr
    assert list(out.iterdir()) == []
