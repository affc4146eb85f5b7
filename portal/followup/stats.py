"""Counts for the dashboard, always inside a scope.

Breakdowns count only consents still in force (active, or active without the
SHU part): a member who withdrew must not be counted as agreeing to anything.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import func, select

from kkbc import choices, data

from . import chart, figures
from .. import consent, followup
from ..extensions import db
from ..models import Submission
from .queries import Scope

def today():
    """Today in NTT (WITA)."""
    return consent.local_time(datetime.now(timezone.utc)).date()


# What the dashboard breaks its counts down by. One grouped scan of the
# covering index (models: ix_submissions_counts) counts every combination
# that occurs (a few thousand at most); each breakdown adds those up, instead
# of scanning 200,000 records once per breakdown.
BREAKDOWNS = {"state": Submission.state, "status": Submission.follow_up_status, "shu": Submission.shu_answer,
              "program": Submission.package, "kabupaten": Submission.kabupaten,
              "occupation": Submission.occupation, "campaign": Submission.campaign, "contact": Submission.contact}


Combination = namedtuple("Combination", [*BREAKDOWNS, "n"])


def _combinations(where: list) -> list:
    columns = [column.label(name) for name, column in BREAKDOWNS.items()]
    return [list(row) for row in db.session.execute(select(*columns, func.count().label("n")).where(*where)
                                                    .group_by(*BREAKDOWNS.values()))]


def _key(scope: Scope, what: str) -> str:
    return f"{what}:{scope.cooperative or '*'}"


def _summed(rows, name: str) -> dict:
    """Counts per value of one breakdown, largest first (then by value)."""
    counts: dict = {}
    for row in rows:
        key = getattr(row, name)
        counts[key] = counts.get(key, 0) + row.n
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0] is not None, item[0] or "")))


def _table(counts: dict, labels: dict, fixed: bool = False, missing: str = "Tidak diisi") -> list:
    """(label, count, percent) rows; fixed keeps the labels' order and shows zeros."""
    total = sum(counts.values()) or 1
    keys = list(labels) if fixed else list(counts)
    return [(labels.get(k, k) if k else missing, counts.get(k, 0), round(100 * counts.get(k, 0) / total))
            for k in keys]


def overview(scope: Scope) -> dict:
    """Everything the dashboard shows for one scope, and when it was counted."""
    found, counted_at = figures.counted(_key(scope, "ringkasan"),
                                        lambda: _combinations([scope.clause(), consent.counted()]))
    rows = [Combination(*row) for row in found]
    live = [r for r in rows if r.state in followup.LIVE_STATES]
    states = _summed(rows, "state")
    return {
        "total": sum(states.values()),
        "live": sum(states.get(s, 0) for s in followup.LIVE_STATES),
        "states": _table(states, consent.STATE_LABELS, fixed=True),
        "to_contact": sum(r.n for r in live if r.contact and r.status == followup.NEW),
        "status": _table(_summed(rows, "status"), followup.STATUSES, fixed=True),
        "shu": _table(_summed(live, "shu"), followup.SHU_SHORT, fixed=True),
        "program": _table(_summed(live, "program"),
                          {k: data.rates()["packages"][k]["label"] for k in choices.PACKAGES}, fixed=True),
        "kabupaten": _table(_summed(live, "kabupaten"), data.kabupaten()),
        "occupation": _table(_summed(live, "occupation"), choices.OCCUPATIONS),
        "campaign": _table(_summed(live, "campaign"), {}, missing="Tanpa kode kampanye"),
        "chart": timeline(scope),
        "counted_at": counted_at,
    }


def local_day(column):
    """SQL: the WITA (UTC+8, no daylight saving) date of a stored UTC moment."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Makassar", column))
    return func.date(column, "+8 hours")  # SQLite keeps UTC as text


def timeline(scope: Scope) -> dict:
    """Submissions per day, counted by the database, in the chart's buckets."""
    day = local_day(Submission.created_at).label("day")

    def count() -> list:
        return [[str(d), n] for d, n in db.session.execute(
            select(day, func.count()).where(scope.clause(), consent.counted()).group_by(day))]

    rows, _ = figures.counted(_key(scope, "grafik"), count)
    per_day = {date.fromisoformat(d): n for d, n in rows}
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
    rows, _ = figures.counted("per-koperasi", lambda: [list(row) for row in db.session.execute(
        select(Submission.cooperative, Submission.state, Submission.shu_answer, func.count())
        .where(consent.counted()).group_by(Submission.cooperative, Submission.state, Submission.shu_answer))])
    result = [CooperativeRow(slug, c.name, c.members) for slug, c in data.cooperatives().items()]
    result.append(CooperativeRow(choices.OTHER_COOPERATIVE, "Koperasi lain", None))
    by_slug = {row.slug: row for row in result}
    for slug, state, shu, n in rows:
        if (row := by_slug.get(slug)) is None:
            continue
        row.total += n
        if state in followup.LIVE_STATES:
            row.live += n
            row.agree += n if shu == consent.rules.SHU_AGREE else 0
    return result
