"""Large follow-up exports, made in the background instead of inside a request.

Staff ask for the file (``request``); a row in ``export_jobs`` waits. Every
gunicorn worker of every instance runs a small thread (gunicorn.conf.py) that
looks for a waiting job now and then and claims it with one conditional
UPDATE, so exactly one worker makes each file. That worker writes the file
under ``EXPORT_DIR`` (mode 700) with a name nobody can guess, reports its
progress and a sign of life every few seconds, and renames the file into
place only once it is whole (its last line says how many rows it holds).
A job whose worker died (no sign of life for ``EXPORT_JOB_STALE_SECONDS``)
is claimed again, at most ``MAX_ATTEMPTS`` times, then marked failed with a
message that says what to do. Files are removed when they expire, and as
soon as a member of their scope is erased after they were asked for: an
erasure reaches every copy the portal keeps.
"""
from __future__ import annotations

import math
import os
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import and_, exists, or_, select, update

from .. import consent, rat
from ..extensions import db
from ..models import ExportJob, Submission, utcnow
from ..platform import scheduler
from . import exports, queries

WAITING, RUNNING, DONE, FAILED, EXPIRED = "menunggu", "berjalan", "selesai", "gagal", "kedaluwarsa"
STATES = {
    WAITING: "Menunggu giliran dibuat",
    RUNNING: "Sedang dibuat",
    DONE: "Siap diunduh",
    FAILED: "Gagal dibuat",
    EXPIRED: "Sudah dihapus",
}
MAX_ATTEMPTS = 3
PROGRESS_SECONDS = 2.0  # how often a running job writes its progress and a sign of life
DIED = ("Pembuatan berkas terhenti {n} kali karena server dimulai ulang. Minta berkas lagi dari "
        "daftar tindak lanjut, atau pilih saringan agar berkasnya lebih kecil.")
ERASED_SINCE = ("Berkas ini dihapus karena ada anggota yang meminta datanya dihapus setelah berkas ini diminta. "
                "Minta berkas baru dari daftar tindak lanjut.")
BROKE = "Berkas tidak bisa dibuat karena ada galat di server. Minta berkas lagi, atau hubungi tim kampanye."
# Where each format's rows come from (the same as the direct download's).
SOURCES = {"csv": queries.csv_export_rows, "xlsx": queries.export_rows}
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Lost(RuntimeError):
    """Another worker took the job over (this one was thought dead): stop writing."""


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite gives back naive UTC
        return moment.replace(tzinfo=timezone.utc)
    return moment


def request(fmt: str, cooperative: str | None, filters: dict, expected: int, user_id: int | None) -> ExportJob:
    """A new waiting job for this scope and these filters (the caller commits)."""
    job = ExportJob(fmt=fmt, cooperative=cooperative, filters=dict(filters), expected=expected,
                    requested_by=user_id, requested_at=utcnow(), status=WAITING, done=0, attempts=0)
    db.session.add(job)
    db.session.flush()
    return job


def directory(app: Flask | None = None) -> Path:
    """The folder of export files, made private (mode 700) if it is new."""
    path = Path((app or current_app).config["EXPORT_DIR"])
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(job: ExportJob, app: Flask | None = None) -> Path | None:
    """Where the job's finished file is, if it has one."""
    return directory(app) / job.file_name if job.file_name else None


def expired(job: ExportJob, now: datetime | None = None) -> bool:
    """True once a finished job's file has passed its time (or was removed)."""
    if job.status == EXPIRED:
        return True
    return job.status == DONE and _aware(job.expires_at) <= (now or utcnow())


def _holds_erased():
    """SQL: the job may hold a member of its scope erased since it was asked
    for (its rows were read after that)."""
    return exists().where(Submission.erased_at >= ExportJob.requested_at, or_(
        ExportJob.cooperative.is_(None), Submission.cooperative == ExportJob.cooperative))


def holds_erased(job: ExportJob) -> bool:
    """True when a member of the job's scope was erased after it was asked for."""
    return db.session.execute(select(_holds_erased()).where(ExportJob.id == job.id)).scalar()


def stalled(job: ExportJob, now: datetime | None = None, app: Flask | None = None) -> bool:
    """True when a running job's worker has not shown a sign of life for too long."""
    limit = timedelta(seconds=(app or current_app).config["EXPORT_JOB_STALE_SECONDS"])
    return job.status == RUNNING and (_aware(job.heartbeat_at) or datetime.min.replace(tzinfo=timezone.utc)) \
        < (now or utcnow()) - limit


def claim(app: Flask, worker: str, now: datetime | None = None) -> int | None:
    """Claim the oldest waiting job, or one whose worker died; its id, or None.
    One conditional UPDATE per candidate: exactly one worker wins each job.
    A dead worker's job that has had its tries is marked failed instead."""
    now = now or utcnow()
    stale = now - timedelta(seconds=app.config["EXPORT_JOB_STALE_SECONDS"])
    claimable = or_(ExportJob.status == WAITING, and_(ExportJob.status == RUNNING, or_(
        ExportJob.heartbeat_at.is_(None), ExportJob.heartbeat_at < stale)))
    for job_id, attempts in db.session.execute(
            select(ExportJob.id, ExportJob.attempts).where(claimable).order_by(ExportJob.id).limit(5)).all():
        if attempts >= MAX_ATTEMPTS:
            db.session.execute(update(ExportJob).where(ExportJob.id == job_id, claimable).values(
                status=FAILED, finished_at=now, filters=None, claimed_by=None,
                message=DIED.format(n=attempts)))
            db.session.commit()
            continue
        won = db.session.execute(update(ExportJob).where(
            ExportJob.id == job_id, ExportJob.attempts == attempts, claimable).values(
            status=RUNNING, claimed_by=worker, heartbeat_at=now, attempts=attempts + 1, done=0)).rowcount
        db.session.commit()
        if won == 1:
            return job_id
    return None


def _report(job_id: int, worker: str, **values) -> None:
    """Write progress on a short transaction of its own; Lost if the job is no longer ours."""
    with db.engine.begin() as connection:
        mine = connection.execute(update(ExportJob).where(
            ExportJob.id == job_id, ExportJob.claimed_by == worker, ExportJob.status == RUNNING)
            .values(heartbeat_at=utcnow(), **values)).rowcount
    if mine != 1:
        raise Lost(job_id)


class _Counted:
    """The cells, with the number written so far reported every PROGRESS_SECONDS."""

    def __init__(self, cells, job_id: int, worker: str, clock=time.monotonic):
        self.cells, self.job_id, self.worker, self.clock, self.done = cells, job_id, worker, clock, 0

    def __iter__(self):
        last = self.clock()
        for row in self.cells:
            yield row
            self.done += 1
            if self.done % 500 == 0 and self.clock() - last >= PROGRESS_SECONDS:
                _report(self.job_id, self.worker, done=self.done)
                last = self.clock()


def run(app: Flask, job_id: int, worker: str) -> None:
    """Make the claimed job's file: written under a temporary name, renamed
    into place once whole, then the job marked done with its expiry."""
    job = db.session.get(ExportJob, job_id)
    fmt, cooperative, filters = job.fmt, job.cooperative, dict(job.filters or {})
    where = queries.conditions(queries.Scope(cooperative), filters) + [consent.counted()]
    decisions = rat.decisions()
    db.session.commit()  # no transaction stays open on the session while the file is written
    folder = directory(app)
    name = f"{job_id}-{secrets.token_urlsafe(16)}.{fmt}"
    partial = folder / f".{name}.sebagian"
    expected = queries.total(where)
    db.session.commit()
    _report(job_id, worker, expected=expected, done=0)
    counted = _Counted(SOURCES[fmt](where, decisions), job_id, worker)
    try:
        exports.write_file(partial, fmt, exports.completed(counted, expected, math.inf))
        os.chmod(partial, 0o600)
        size = partial.stat().st_size
        # The file counts from now: the rename and the row say so together.
        now = utcnow()
        os.replace(partial, folder / name)
        _report(job_id, worker, status=DONE, done=counted.done, file_name=name, size=size,
                finished_at=now, expires_at=now + timedelta(hours=app.config["EXPORT_KEEP_HOURS"]),
                filters=None, message=None)
    except Lost:
        partial.unlink(missing_ok=True)
        (folder / name).unlink(missing_ok=True)
        app.logger.warning("export job %s: taken over by another worker, this copy stopped", job_id)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def sweep(app: Flask, now: datetime | None = None) -> int:
    """Remove the files of expired jobs, and of jobs that may hold a member
    erased since, and mark them so; how many were removed."""
    now = now or utcnow()
    found = db.session.execute(select(ExportJob.id, ExportJob.file_name, ExportJob.expires_at > now).where(
        ExportJob.status == DONE, or_(ExportJob.expires_at <= now, _holds_erased()))).all()
    for job_id, file_name, erased in found:
        if file_name:
            (directory(app) / file_name).unlink(missing_ok=True)
        db.session.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == DONE)
                           .values(status=EXPIRED, file_name=None, message=ERASED_SINCE if erased else None))
    db.session.commit()
    return len(found)


def worker_name() -> str:
    """This process, as it signs the jobs it holds."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def run_next(app: Flask, worker: str | None = None, now: datetime | None = None) -> int | None:
    """Sweep expired files, then claim and make one job; its id, or None."""
    worker = worker or worker_name()
    sweep(app, now)
    job_id = claim(app, worker, now)
    if job_id is None:
        return None
    try:
        run(app, job_id, worker)
    except Lost:
        pass
    except Exception:
        app.logger.exception("export job %s failed", job_id)
        db.session.rollback()
        db.session.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.claimed_by == worker)
                           .values(status=FAILED, finished_at=utcnow(), filters=None, message=BROKE))
        db.session.commit()
    return job_id


def start(app) -> threading.Thread | None:
    """This process's job thread: it looks for waiting exports every
    EXPORT_JOB_POLL_SECONDS (0: never) and makes them one after another."""
    poll = app.config.get("EXPORT_JOB_POLL_SECONDS", 0) if isinstance(app, Flask) else 0
    worker = worker_name()

    def make_waiting(app: Flask) -> None:
        while run_next(app, worker) is not None:
            pass

    return scheduler.every(app, "ekspor", poll, make_waiting)


@click.command("ekspor-jalankan")
@with_appcontext
def run_command():
    """Make every waiting background export now, and remove expired files."""
    app = current_app._get_current_object()
    made = 0
    while run_next(app) is not None:
        made += 1
    click.echo(f"{made} berkas ekspor dibuat")
