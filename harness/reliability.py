"""Nothing lost, nothing duplicated: acknowledged submissions under load,
with a worker killed, across two instances, and rate limits shared in Redis.

Each scenario runs real gunicorn servers with production settings on
loopback, bounded in count and time, and compares what members were told
with what the database holds. bench/reliability.py runs them at full size;
tests/test_reliability.py runs them smaller.
"""
from __future__ import annotations

import http.client
import os
import random
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select

from harness.samples import VALID, hidden_fields
from harness.servers import NoRedirect, production_server
from portal.models import ConsentEvent, Submission


@dataclass
class Job:
    phone: str
    body: bytes = b""
    cookie: str = ""
    status: int | None = None
    location: str | None = None
    error: str | None = None
    history: list = field(default_factory=list)


def _open(url, data=None, cookie="", timeout=30):
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read()


def prepare(job: Job, base: str) -> None:
    """Open the form like a member: a session cookie, a CSRF token, a form token."""
    status, headers, body = _open(base + "/daftar/")
    assert status == 200, status
    job.cookie = headers["Set-Cookie"].split(";")[0]
    fields = {**VALID, **hidden_fields(body.decode()), "nomor_hp": job.phone}
    job.body = urllib.parse.urlencode(fields, doseq=True).encode()


def send(job: Job, base: str) -> None:
    try:
        status, headers, _ = _open(base + "/daftar/", job.body, job.cookie)
        job.status, job.location, job.error = status, headers.get("Location"), None
    except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
        # A killed worker resets the connection, or cuts its answer short: the
        # member saw no receipt, so this is not acknowledged and they send again.
        job.status, job.location, job.error = None, None, type(exc).__name__
    job.history.append((base, job.status))


def phones(prefix: int, count: int) -> list[str]:
    return [f"0813{prefix:02d}{i:06d}" for i in range(count)]


def run_load(jobs: list[Job], bases: list[str], connections: int, during=None, after: float = 0.3) -> None:
    """Open every form, then send them all at once; `during` runs `after` seconds into the sending."""
    for i, job in enumerate(jobs):
        prepare(job, bases[i % len(bases)])
    timer = threading.Timer(after, during) if during else None
    if timer:
        timer.start()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda ij: send(ij[1], bases[ij[0] % len(bases)]), enumerate(jobs)))
    if timer:
        timer.join()  # a short burst may end first: the kill still happens, on this server


def check_store(url: str, jobs: list[Job]) -> dict:
    """Compare what was acknowledged with what the database holds."""
    from portal.config import database_url
    from portal.consent.phone import normalise

    engine = create_engine(database_url(url))
    with engine.connect() as conn:
        rows = conn.execute(select(Submission.phone, Submission.receipt_code)).all()
        orphans = conn.scalar(select(func.count()).select_from(Submission).where(
            ~select(ConsentEvent.id).where(ConsentEvent.submission_id == Submission.id).exists()))
        keyless = conn.scalar(select(func.count()).select_from(Submission).where(
            Submission.idempotency_key.is_(None)))
    engine.dispose()
    stored: dict[str, list[str]] = {}
    for phone, code in rows:
        stored.setdefault(phone, []).append(code)
    acked = [j for j in jobs if j.status == 303]
    lost = [j for j in acked if normalise(j.phone) not in stored]
    wrong = [j for j in acked if normalise(j.phone) in stored
             and stored[normalise(j.phone)][0] not in j.location]
    return {
        "sent": len(jobs), "acknowledged": len(acked),
        "unacknowledged": sum(1 for j in jobs if j.status != 303),
        "stored": len(rows), "lost": len(lost) + len(wrong),
        "duplicated": sum(len(c) - 1 for c in stored.values()),
        "half stored": orphans + keyless,
    }


def worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def healthy(base: str, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if _open(base + "/healthz", timeout=2)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def scenario_load(kind, url, workdir, n, connections, kill=False, kill_after: float = 0.3) -> dict:
    jobs = [Job(p) for p in phones(2 if kill else 1, n)]
    killed = []
    with production_server(url, workdir, workers=3, FORM_RATE_LIMIT="1000000 per minute",
                           FORM_MIN_SECONDS="0") as (base, master):
        def kill_one():
            victim = random.choice(worker_pids(master.pid))
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

        run_load(jobs, [base], connections, during=kill_one if kill else None, after=kill_after)
        recovered = healthy(base)
        retried = [j for j in jobs if j.status != 303]
        for job in retried:  # the member taps "Kirim" again with the same page
            send(job, base)
    result = check_store(url, jobs)
    result.update(killed=len(killed), recovered=recovered, failed_then_retried=len(retried))
    return result


def scenario_two_instances(url, workdir, n, connections) -> dict:
    jobs = [Job(p) for p in phones(3, n)]
    common = dict(FORM_RATE_LIMIT="1000000 per minute", FORM_MIN_SECONDS="0")
    with production_server(url, workdir, workers=2, **common) as (a, _), \
            production_server(url, workdir, workers=2, **common) as (b, _):
        run_load(jobs, [a, b], connections)
        # A retry of an acknowledged submission arrives at the other instance.
        sample = [j for j in jobs if j.status == 303][:50]
        same = 0
        for job in sample:
            first = job.location
            send(job, b if job.history[0][0] == a else a)
            same += job.status == 303 and job.location == first
    result = check_store(url, jobs)
    result.update(retried_elsewhere=len(sample), same_receipt=same)
    return result


def scenario_shared_rate_limit(url, workdir, storage: str, limit: int = 25, attempts: int = 80) -> dict:
    common = dict(FORM_RATE_LIMIT=f"{limit} per minute", RATELIMIT_STORAGE_URI=storage,
                  FORM_MIN_SECONDS="0")
    if storage.startswith("redis"):
        import redis

        redis.Redis.from_url(storage).flushdb()
    with production_server(url, workdir, workers=2, **common) as (a, _), \
            production_server(url, workdir, workers=2, **common) as (b, _):
        statuses = []
        for i in range(attempts):
            status, _, _ = _open((a, b)[i % 2] + "/daftar/", b"nama=x", "")
            statuses.append(status)
    return {"storage": storage.split(":")[0], "limit": limit, "attempts": attempts,
            "allowed": sum(s != 429 for s in statuses), "refused": statuses.count(429)}
