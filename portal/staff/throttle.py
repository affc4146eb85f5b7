"""Staff login throttling, counted in the database.

Every worker and instance shares the same numbers, with no extra service, so
the limits are exact on the embedded SQLite default too. Two rules
(OWASP Authentication Cheat Sheet, "Account lockout"):

- per client address: at most LOGIN_ADDRESS_FAILURES failed attempts in
  LOGIN_WINDOW_MINUTES; then wait until the oldest one leaves the window.
- per account name: after LOGIN_ACCOUNT_FREE_FAILURES failures in a row, each
  further attempt from an address that failed on it waits a doubling delay
  (counted from that address's own last failure), capped at
  LOGIN_DELAY_CAP_SECONDS. Attempts made while waiting are refused without
  checking the password and do not count. An address that has not failed on
  the account is checked at once, so a stranger who only knows a name never
  keeps its owner out (the owner waits at most the cap, and only after their
  own typo), and guessing from one address stays at one try per cap (288 a
  day at 5 minutes) against a zxcvbn-checked 12-character password; each
  further address buys one more try per cap, within its own
  LOGIN_ADDRESS_FAILURES.

An attempt is written ("checking") and counts by its position in the table;
the caller commits it before the password is checked, so simultaneous attempts
on several workers cannot all slip under a limit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import LoginAttempt, utcnow

CHECKING, FAILED, OK, REFUSED = "checking", "failed", "ok", "refused"
COUNTED = (CHECKING, FAILED)


@dataclass(frozen=True)
class Refusal:
    """A limit stopped this attempt; try again at `until`."""

    until: datetime
    reason: str  # "alamat" (the address) or "akun" (the account name)

    @property
    def seconds(self) -> int:
        """Whole seconds to wait, at least one."""
        return max(1, math.ceil((self.until - utcnow()).total_seconds()))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _config(name: str) -> int:
    return current_app.config[name]


def begin(address: str, username: str) -> tuple[int | None, Refusal | None]:
    """Record an attempt and decide whether its password may be checked.

    Returns (attempt id, None) to go on, or (None, Refusal); the caller commits.
    """
    now = utcnow()
    username = (username or "").strip().lower()[:40]
    address = (address or "")[:45]
    attempt = LoginAttempt(created_at=now, address=address, username=username, outcome=CHECKING)
    db.session.add(attempt)
    db.session.flush()
    refusal = _address_refusal(attempt, now) or _account_refusal(attempt, now)
    if refusal is not None:
        attempt.outcome = REFUSED
    return (None, refusal) if refusal is not None else (attempt.id, None)


def _address_refusal(attempt: LoginAttempt, now: datetime) -> Refusal | None:
    window = timedelta(minutes=_config("LOGIN_WINDOW_MINUTES"))
    limit = _config("LOGIN_ADDRESS_FAILURES")
    earlier = db.session.scalars(
        select(LoginAttempt.created_at).where(
            LoginAttempt.address == attempt.address, LoginAttempt.id < attempt.id,
            LoginAttempt.outcome.in_(COUNTED), LoginAttempt.created_at >= now - window)
        .order_by(LoginAttempt.id)).all()
    if len(earlier) < limit:
        return None
    # Free again when enough of them have left the window.
    return Refusal(_aware(earlier[len(earlier) - limit]) + window, "alamat")


def delay_after(failures: int) -> int:
    """Seconds to wait after this many failures in a row for one account name."""
    free = _config("LOGIN_ACCOUNT_FREE_FAILURES")
    if failures < free:
        return 0
    base, cap = _config("LOGIN_DELAY_BASE_SECONDS"), _config("LOGIN_DELAY_CAP_SECONDS")
    return min(cap, base * 2 ** min(failures - free, 20))


def _account_refusal(attempt: LoginAttempt, now: datetime) -> Refusal | None:
    """Failures in a row since the last success, within a day, and the wait they
    impose on this attempt's address.

    The wait runs from this address's own last failure on the account, and an
    address that has not failed on it is checked at once: a stranger who keeps
    trying from elsewhere can neither keep the owner out nor make the owner's
    wait start again (issue found by polling one name every 0.25 s)."""
    last_ok = db.session.scalar(select(func.max(LoginAttempt.id)).where(
        LoginAttempt.username == attempt.username, LoginAttempt.outcome == OK)) or 0
    rows = db.session.execute(
        select(LoginAttempt.created_at, LoginAttempt.address).where(
            LoginAttempt.username == attempt.username, LoginAttempt.id > last_ok,
            LoginAttempt.id < attempt.id, LoginAttempt.outcome.in_(COUNTED),
            LoginAttempt.created_at >= now - timedelta(days=1))
        .order_by(LoginAttempt.id)).all()
    wait = delay_after(len(rows))
    own = [created for created, address in rows if address == attempt.address]
    if not wait or not own:
        return None
    until = _aware(own[-1]) + timedelta(seconds=wait)
    return Refusal(until, "akun") if until > now else None


def finish(attempt_id: int, success: bool) -> None:
    """Record how a checked attempt ended (the caller commits)."""
    db.session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id)
                       .values(outcome=OK if success else FAILED))


def prune(now: datetime | None = None) -> int:
    """Forget attempts older than two days (the retention job calls this)."""
    cutoff = (now or utcnow()) - timedelta(days=2)
    return db.session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < cutoff)).rowcount
