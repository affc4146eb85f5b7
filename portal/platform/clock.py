"""Time as NTT reads it: WITA (UTC+8)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")


def local_time(moment: datetime) -> datetime:
    """A stored moment in WITA."""
    if moment.tzinfo is None:  # SQLite gives back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WITA)


def today() -> date:
    """Today in NTT (WITA)."""
    return datetime.now(WITA).date()
