"""What the RAT pack says: prices in the months after the RAT, participation,
the members' SHU answers and a worked example. No personal data.

Totals are people and rupiah; months of cover belong to one person and are
never added across people ("24 bulan" read aloud sounds like one member's cover).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from kkbc import choices, data
from kkbc import rates
from kkbc.rates import Month, months_of_cover

from .. import consent
from ..extensions import db
from ..models import RatRecord, Submission

MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Price:
    """One sector's and package's cost, month by month, for the months shown."""

    sector: str
    package: str
    first: Month
    monthly: list[tuple[Month, int]]

    @property
    def first_month(self) -> int:
        """The cost of the first month shown."""
        return self.monthly[0][1]

    @property
    def year(self) -> int:
        """The months shown, together."""
        return sum(cost for _, cost in self.monthly)

    @property
    def changes(self) -> list[tuple[Month, int]]:
        """(month, new monthly cost) for each change within the twelve months."""
        costs = dict(self.monthly)
        return [(run.first, run.cost) for run in rates.runs(costs, costs.__getitem__)[1:]]


def prices(start: Month) -> list[Price]:
    """Each sector and package for the twelve months from ``start``, at the lowest income."""
    known = data.rates()
    return [Price(sector, package, start, rates.walk(package, start, sector, MONTHS_SHOWN))
            for sector in known["sectors"] for package in known["packages"]]


@dataclass(frozen=True)
class Example:
    shu: int
    percent: int
    converted: int
    months: int
    paid: int
    cash: int
    first: Month
    last: Month | None


def example(start: Month, package: str = "jkk-jkm", sector: str = "lainnya") -> Example:
    """A share of a typical SHU, turned into months from ``start``; the rest is paid in cash."""
    e = data.rat()["example"]
    converted = e["shu"] * e["percent"] // 100
    cover = months_of_cover(converted, package, start, sector)
    return Example(e["shu"], e["percent"], converted, cover.months, cover.paid,
                   e["shu"] - cover.paid, start, cover.last)


@dataclass
class Participation:
    registered: int
    members: int | None
    as_of: date | None
    source: str

    @property
    def share(self) -> float | None:
        """Percent of members, for spreadsheets."""
        return round(100 * self.registered / self.members, 4) if self.members else None

    @property
    def percent(self) -> str:
        """Percent of members, in Indonesian notation; tiny shares are not shown as 0."""
        if not self.members:
            return "-"
        share = 100 * self.registered / self.members
        if 0 < share < 0.01:
            return "kurang dari 0,01"
        return f"{share:.2f}".replace(".", ",")


@dataclass
class Answers:
    registered: int = 0
    shu: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    rupiah_total: int = 0


def counted_in(cooperative: str) -> list:
    """Conditions for the records of one cooperative that count as people."""
    return [Submission.cooperative == cooperative, consent.counted()]


def answers(cooperative: str) -> Answers:
    """The members' answers in force: people per SHU answer and per way of
    giving it, counted by the database (grouped, never a row at a time)."""
    result = Answers()
    where = [*counted_in(cooperative), consent.live()]
    answer = func.coalesce(func.nullif(Submission.shu_answer, ""), "tidak").label("answer")
    for found, n in db.session.execute(select(answer, func.count()).where(*where).group_by(answer)):
        result.shu[found] += n
        result.registered += n
    kind = Submission.shu_kind.label("kind")
    value = func.sum(Submission.shu_value)
    for found, n, total in db.session.execute(select(kind, func.count(), value).where(
            *where, Submission.shu_answer == consent.rules.SHU_AGREE, kind.in_(list(choices.SHU_AMOUNT_KINDS))).group_by(kind)):
        result.kinds[found] += n
        if found == "rupiah":
            result.rupiah_total = int(total or 0)
    return result


def participation(cooperative: str, registered: int) -> Participation:
    """How many of the cooperative's members signed up."""
    coop = data.cooperatives()[cooperative]
    return Participation(registered, coop.members, coop.members_as_of, coop.members_source)


def pack(record: RatRecord) -> dict:
    """Everything the printed pack shows for one RAT record."""
    start = Month(record.held_on.year, record.held_on.month).next() if record.held_on else None
    found = answers(record.cooperative)
    return {
        "start": start,
        "prices": prices(start) if start else [],
        "example": example(start, record.package) if start else None,
        "answers": found,
        "participation": participation(record.cooperative, found.registered),
    }
