"""Counts for the dashboard, always inside a scope.

Breakdowns count only consents still in force (active, or active without the
SHU part): a member who withdrew must not be counted as agreeing to anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import desc, func, select

from kkbc import choices, data

from . import chart, consent, followup, queries
from .extensions import db
from .models import Submission
from .queries import Scope

def today():
    return consent.local_time(datetime.now(timezone.utc)).date()


def _grouped(where: list, expr) -> dict:
    key = expr.label("k")
    rows = db.session.execute(select(key, func.count().label("n")).where(*where)
                              .group_by("k").order_by(desc("n"), "k")).all()
    return {k: n for k, n in rows}


def _table(counts: dict, labels: dict, fixed: bool = False, missing: str = "Tidak diisi") -> list:
    """(label, count, percent) rows; fixed keeps the labels' order and shows zeros."""
    total = sum(counts.values()) or 1
    keys = list(labels) if fixed else list(counts)
    return [(labels.get(k, k) if k else missing, counts.get(k, 0), round(100 * counts.get(k, 0) / total))
            for k in keys]


def overview(scope: Scope) -> dict:
    """Everything the dashboard shows for one scope."""
    where = [scope.clause(), consent.counted()]
    live = where + [Submission.state.in_(followup.LIVE_STATES)]
    states = _grouped(where, Submission.state)
    return {
        "total": sum(states.values()),
        "live": sum(states.get(s, 0) for s in followup.LIVE_STATES),
        "states": _table(states, consent.STATE_LABELS, fixed=True),
        "to_contact": queries.total(live + [followup.contactable(), Submission.follow_up_status == followup.NEW]),
        "status": _table(_grouped(where, Submission.follow_up_status), followup.STATUSES, fixed=True),
        "shu": _table(_grouped(live, queries.shu()), followup.SHU_SHORT, fixed=True),
        "program": _table(_grouped(live, Submission.package),
                          {k: data.rates()["packages"][k]["label"] for k in choices.PACKAGES}, fixed=True),
        "kabupaten": _table(_grouped(live, Submission.kabupaten), data.kabupaten()),
        "occupation": _table(_grouped(live, Submission.occupation), choices.OCCUPATIONS),
        "campaign": _table(_grouped(live, queries.campaign()), {}, missing="Tanpa kode kampanye"),
        "chart": timeline(scope),
    }


def local_day(column):
    """SQL: the WITA (UTC+8, no daylight saving) date of a stored UTC moment."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Makassar", column))
    return func.date(column, "+8 hours")  # SQLite keeps UTC as text


def timeline(scope: Scope) -> dict:
    """Submissions per day, counted by the database, in the chart's buckets."""
    day = local_day(Submission.created_at).label("day")
    rows = db.session.execute(select(day, func.count()).where(scope.clause(), consent.counted())
                              .group_by(day)).all()
    per_day = {d if isinstance(d, date) else date.fromisoformat(d): n for d, n in rows}
    unit, series = chart.buckets_counted(per_day, today())
    return {"unit": unit, "series": series, **chart.bars(series)}


@dataclass
class CooperativeRow:
    slug: str
    name: str
    members: int | None
    total: int = 0
    live: int = 0
    agree: int = 0

    @property
    def per_thousand(self) -> str:
        """Submissions in force per 1,000 members, the figure to compare cooperatives by."""
        if not self.members:
            return "-"
        return f"{1000 * self.live / self.members:.2f}".replace(".", ",")


def per_cooperative() -> list[CooperativeRow]:
    """One row per partner cooperative (and one for all others): campaign team only."""
    total = _grouped([consent.counted()], Submission.cooperative)
    live_where = [consent.counted(), Submission.state.in_(followup.LIVE_STATES)]
    live = _grouped(live_where, Submission.cooperative)
    agree = _grouped(live_where + [queries.shu() == "setuju"], Submission.cooperative)
    rows = [CooperativeRow(slug, c.name, c.members) for slug, c in data.cooperatives().items()]
    rows.append(CooperativeRow(choices.OTHER_COOPERATIVE, "Koperasi lain", None))
    for row in rows:
        row.total, row.live, row.agree = total.get(row.slug, 0), live.get(row.slug, 0), agree.get(row.slug, 0)
    return rows
