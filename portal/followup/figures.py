"""Counts a dashboard shows, counted at most once per ``FIGURES_MAX_AGE_SECONDS``
for each scope and shared by every worker and instance through the database.

At the largest partner's size a dashboard's grouped counts take about half a
second of CPU, more on a busy machine; staff reloading it, or several of
them at once, would each pay that again. Only the raw counts are kept (the
values the breakdowns group by and how many), never a name or a number, and
the page says when they were counted: a member's new submission shows within
that age. ``FIGURES_MAX_AGE_SECONDS = 0`` counts on every view.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CountedFigures, utcnow


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment  # SQLite: naive UTC


def counted(key: str, count: Callable[[], list], now: datetime | None = None) -> tuple[list, datetime]:
    """(the counts, when they were counted): kept ones younger than the maximum
    age, else counted now by ``count()`` (JSON-ready rows) and kept."""
    now = now or utcnow()
    max_age = current_app.config["FIGURES_MAX_AGE_SECONDS"]
    if max_age > 0:
        found = db.session.execute(select(CountedFigures.counts, CountedFigures.counted_at)
                                   .where(CountedFigures.key == key)).first()
        if found is not None and _aware(found.counted_at) > now - timedelta(seconds=max_age):
            return found.counts, _aware(found.counted_at)
    rows = count()
    if max_age > 0:
        _keep(key, rows, now)
    return rows, now


def _keep(key: str, rows: list, now: datetime) -> None:
    """Store the counts on a short transaction of their own (a one-row write)."""
    values = {"counted_at": now, "counts": rows}
    try:
        with db.engine.begin() as connection:
            if not connection.execute(update(CountedFigures).where(CountedFigures.key == key)
                                      .values(**values)).rowcount:
                connection.execute(insert(CountedFigures).values(key=key, **values))
    except IntegrityError:
        pass  # another worker stored the same counts first

