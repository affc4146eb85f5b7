"""Jobs that run by themselves inside the portal: the daily retention job.

Every gunicorn worker of every instance starts a small thread
(gunicorn.conf.py, post_worker_init). Each wakes now and then and tries to
claim the job with one conditional UPDATE: the database lets exactly one
claim per period succeed, so one instance runs it and the others skip.
"""
from __future__ import annotations

import random
import threading
import time
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ScheduledJob, utcnow

RETENTION = "retensi"


def claim(name: str, interval: int, now: datetime | None = None) -> bool:
    """True for exactly one caller per interval, across workers and instances,
    once the caller commits."""
    now = now or utcnow()
    if db.session.get(ScheduledJob, name) is None:
        try:
            with db.session.begin_nested():  # another worker may add the same row first
                db.session.add(ScheduledJob(name=name))
        except IntegrityError:
            pass
    claimed = db.session.execute(
        update(ScheduledJob).where(ScheduledJob.name == name, or_(
            ScheduledJob.last_started_at.is_(None),
            ScheduledJob.last_started_at <= now - timedelta(seconds=interval)))
        .values(last_started_at=now)).rowcount
    return claimed == 1


def run_retention_if_due(app: Flask, now: datetime | None = None) -> list[str] | None:
    """Run the retention job when its period has passed; the erased codes, or None."""
    from .backups import retention

    claimed = claim(RETENTION, app.config["RETENTION_INTERVAL_SECONDS"], now)
    # Commit the claim before the slow job, so other workers skip it instead of waiting for its lock.
    db.session.commit()
    if not claimed:
        return None
    codes = retention(now)
    db.session.execute(update(ScheduledJob).where(ScheduledJob.name == RETENTION).values(
        last_finished_at=utcnow(), last_result=f"{len(codes)} data dihapus"))
    db.session.commit()
    app.logger.info("retention: erased %d submission(s)", len(codes))
    return codes


def every(app, name: str, seconds: float, job) -> threading.Thread | None:
    """Run ``job(app)`` every ``seconds`` or so in a thread of this process
    (after gunicorn forked it); nothing for another WSGI app (the benchmarks'
    reference app) or when ``seconds`` is 0."""
    if not isinstance(app, Flask) or seconds <= 0:
        return None

    def loop() -> None:
        while True:
            # Jitter, so the workers of one machine do not all wake at once.
            time.sleep(seconds * random.uniform(0.5, 1.0))
            with app.app_context():
                try:
                    job(app)
                except Exception:  # a database hiccup must not end the thread
                    app.logger.exception("%s: scheduled run failed", name)
                    db.session.rollback()
                finally:
                    db.session.remove()

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.start()
    return thread


def start(app) -> threading.Thread | None:
    """The retention job's timer in this process: it wakes at least once a
    minute and runs the job when it is due (the database picks one runner)."""
    interval = app.config.get("RETENTION_INTERVAL_SECONDS", 0) if isinstance(app, Flask) else 0
    return every(app, RETENTION, min(interval, 60), run_retention_if_due)
