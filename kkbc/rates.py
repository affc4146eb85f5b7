"""Contribution in force for a month, and months of cover an amount pays for.

Costs are always computed month by month with the rate in force that month
(PP 50/2025 halves JKK+JKM for a limited period that depends on the sector),
so a yearly figure is the sum of twelve monthly ones, never a rounded guess.
The site's calculator (content/assets/javascripts/kalkulator.js) mirrors this
arithmetic; tests check both against the same cases.

The month-by-month walk is written once, here: ``walk`` (each month and its
cost), ``runs`` (consecutive months sharing a cost, for tables), ``sector_of``
(the sector of a member's occupation), ``months_from``, ``count_months`` and
``Month.plus``. The conversion sheet, the RAT pack, the posters, the member's
cover and the site's hooks all use them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable, NamedTuple
from zoneinfo import ZoneInfo

from . import data
from .formatting import month_label


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """Read ``YYYY-MM``."""
        year, month = str(text).split("-")[:2]
        m = cls(int(year), int(month))
        if not 1 <= m.month <= 12:
            raise ValueError(f"bulan tidak valid: {text}")
        return m

    def next(self) -> "Month":
        """The month after this one."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def plus(self, count: int) -> "Month":
        """The month ``count`` months after this one (a negative count goes back)."""
        index = self.year * 12 + self.month - 1 + count
        return Month(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def label(self) -> str:
        """Indonesian month name and year, e.g. ``April 2026``."""
        return month_label(self.year, self.month)


# NTT keeps WITA (UTC+8, no daylight saving): "this month" is the month there.
WITA = ZoneInfo("Asia/Makassar")


def this_month(now: datetime | None = None) -> Month:
    """The current month in NTT (WITA), at the moment of asking."""
    today = (now or datetime.now(WITA)).astimezone(WITA)
    return Month(today.year, today.month)


def count_months(first: Month, last: Month) -> int:
    """How many months from ``first`` to ``last``, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def months_from(start: Month, count: int) -> list[Month]:
    """``count`` consecutive months from ``start``."""
    return [start.plus(i) for i in range(count)]


# Occupations (kkbc.choices.OCCUPATIONS) in the transport sector, whose
# PP 50/2025 period differs from everyone else's (data/rates.yml, sectors).
TRANSPORT_OCCUPATIONS = frozenset({"ojek"})


def sector_of(occupation: str | None) -> str:
    """The sector of data/rates.yml a member's occupation falls in."""
    return "transportasi" if occupation in TRANSPORT_OCCUPATIONS else "lainnya"


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def package_programmes(package: str) -> list[str]:
    """The programmes a package is made of (data/rates.yml)."""
    return list(data.rates()["packages"][package]["programmes"])


def discount_percent(programme: str, month: Month, sector: str) -> int:
    """Share (percent) of the normal contribution charged for a programme in a month."""
    percent = 100
    for d in data.rates().get("discounts", []):
        period = d["periods"].get(sector)
        if programme in d["programmes"] and period:
            if Month.parse(period["first"]) <= month <= Month.parse(period["last"]):
                percent = min(percent, d["percent"])
    return percent


def programme_cost(programme: str, month: Month, sector: str, income: int) -> int:
    """Contribution for one programme in one month, in whole rupiah."""
    spec = data.rates()["programmes"][programme]
    if "flat" in spec:
        normal = Decimal(spec["flat"])
    else:
        normal = Decimal(income) * Decimal(spec["percent_of_income"]) / 100
    return _round(normal * discount_percent(programme, month, sector) / 100)


def monthly_cost(package: str, month: Month, sector: str, income: int | None = None) -> int:
    """Contribution for a package in one month."""
    income = max(income or 0, data.rates()["minimum_income"])
    return sum(programme_cost(p, month, sector, income) for p in package_programmes(package))


def walk(package: str, start: Month, sector: str, count: int, income: int | None = None) -> list[tuple[Month, int]]:
    """The cost walk: each of ``count`` months from ``start`` with the contribution in force that month."""
    return [(month, monthly_cost(package, month, sector, income)) for month in months_from(start, count)]


class Run(NamedTuple):
    """Consecutive months that share one cost (or one tuple of costs)."""

    first: Month
    last: Month
    cost: object

    @property
    def months(self) -> int:
        """How many months the run holds."""
        return count_months(self.first, self.last)


def runs(months: Iterable[Month], cost: Callable[[Month], object]) -> list[Run]:
    """Group consecutive months by ``cost(month)``: the rows of a price table."""
    out: list[Run] = []
    for month in months:
        value = cost(month)
        if out and out[-1].cost == value:
            out[-1] = out[-1]._replace(last=month)
        else:
            out.append(Run(month, month, value))
    return out


def next_change(package: str, month: Month, sector: str, within: int = 6,
                income: int | None = None) -> tuple[Month, Month, int] | None:
    """When a package's monthly cost changes in the ``within`` months after ``month``:
    (last month at the present cost, first month at the new one, the new cost); else None."""
    cost, last = monthly_cost(package, month, sector, income), month
    for _ in range(within):
        following = last.next()
        new = monthly_cost(package, following, sector, income)
        if new != cost:
            return last, following, new
        last = following
    return None


def yearly_cost(package: str, year: int, sector: str, income: int | None = None) -> int:
    """Sum of the twelve monthly contributions of a calendar year."""
    return sum(monthly_cost(package, Month(year, m), sector, income) for m in range(1, 13))


@dataclass(frozen=True)
class Cover:
    """What an amount pays for: whole months from ``first`` to ``last``, and the rupiah left over."""

    months: int
    first: Month
    last: Month | None
    paid: int
    left_over: int


def months_of_cover(amount: int, package: str, start: Month, sector: str,
                    income: int | None = None, limit: int = 600) -> Cover:
    """How many whole months from ``start`` an amount pays for, month by month."""
    month, left, months = start, amount, 0
    last = None
    while months < limit:
        cost = monthly_cost(package, month, sector, income)
        if cost > left:
            break
        left -= cost
        months += 1
        last = month
        month = month.next()
    return Cover(months=months, first=start, last=last, paid=amount - left, left_over=left)
