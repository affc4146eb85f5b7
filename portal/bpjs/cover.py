"""Cover per member, from what was paid: periods of months, the programme,
who paid, and each month's contribution at the rate in force that month.

A period comes from BPJS's answer to a handover (registered, and the months
paid), or from the member's own word that they paid a month themselves,
which counts only once staff confirm it against BPJS. The SHU amount is never
kept: only months and contributions.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kkbc import data
from kkbc import rates
from kkbc.rates import Month

from ..platform import clock
from ..extensions import db
from ..models import BpjsRegistration, CoverPeriod, HandoverBatch, HandoverEntry, RatRecord, Submission, utcnow

SHU, MEMBER, OTHER_WADAH = "shu", "anggota", "wadah"
PAYERS = {SHU: "Konversi SHU lewat koperasi", MEMBER: "Dibayar sendiri", OTHER_WADAH: "Lewat wadah lain"}
PROGRAMME_WORDS = {"jkk-jkm": "JKK dan JKM", "jkk-jkm-jht": "JKK, JKM dan JHT"}
REGISTERED = "terdaftar"  # answer.REGISTERED, kept here so the answer can import this module


def this_month() -> Month:
    """The current month in NTT, from the portal's clock (tests set it)."""
    today = clock.today()
    return Month(today.year, today.month)


def add_months(month: Month, count: int) -> Month:
    """The month ``count`` months after ``month`` (negative counts go back)."""
    return month.plus(count)


def months_between(first: Month, last: Month) -> int:
    """How many months from ``first`` to ``last`` (0 when they are the same month)."""
    return (last.year - first.year) * 12 + last.month - first.month


def _sector(submission: Submission) -> str:
    return rates.sector_of(submission.occupation)


def monthly(programme: str, first: Month, count: int, sector: str) -> list[list]:
    """Each month's contribution, month by month with the rate in force then."""
    return [[str(month), cost] for month, cost in rates.walk(programme, first, count=count, sector=sector)]


def _programme(submission_id: int) -> str:
    registration = db.session.scalar(select(BpjsRegistration).where(BpjsRegistration.submission_id == submission_id))
    programme = registration.programme if registration else None
    return programme if programme in data.rates()["packages"] else "jkk-jkm"


def record_answer(entries: list[HandoverEntry], actor: str) -> None:
    """Keep each answered handover entry's cover in step with BPJS's answer:
    registered with months paid gives a period from the batch's first month;
    anything else removes the period the entry had (the caller commits)."""
    for entry in entries:
        period = db.session.scalar(select(CoverPeriod).where(CoverPeriod.handover_entry_id == entry.id))
        paid = entry.result == REGISTERED and (entry.months_paid or 0) > 0 and entry.first
        if not paid:
            if period is not None:
                db.session.delete(period)
            continue
        submission = db.session.get(Submission, entry.submission_id)
        programme, first = _programme(entry.submission_id), Month.parse(entry.first)
        months = monthly(programme, first, entry.months_paid, _sector(submission))
        period = period or CoverPeriod(submission_id=entry.submission_id, handover_entry_id=entry.id, payer=SHU,
                                       created_at=utcnow(), created_by=actor)
        period.first, period.last = months[0][0], months[-1][0]
        period.programme, period.monthly, period.amount = programme, months, sum(m[1] for m in months)
        period.confirmed = True
        db.session.add(period)
    db.session.flush()


def record_paid(submission: Submission, first: Month, count: int, payer: str, actor: str) -> CoverPeriod:
    """Months paid outside a handover of this portal (an earlier season, another wadah), confirmed."""
    programme = _programme(submission.id)
    months = monthly(programme, first, count, _sector(submission))
    period = CoverPeriod(submission_id=submission.id, first=months[0][0], last=months[-1][0], programme=programme,
                         payer=payer, monthly=months, amount=sum(m[1] for m in months), confirmed=True,
                         created_at=utcnow(), created_by=actor)
    db.session.add(period)
    db.session.flush()
    return period


def report_own(submission: Submission, month: Month, receipt: str) -> CoverPeriod:
    """The member says they paid one month themselves: kept as their word (the caller commits)."""
    programme = _programme(submission.id)
    months = monthly(programme, month, 1, _sector(submission))
    period = CoverPeriod(submission_id=submission.id, first=str(month), last=str(month), programme=programme,
                         payer=MEMBER, monthly=months, amount=months[0][1], confirmed=False, receipt=receipt,
                         created_at=utcnow(), created_by="anggota")
    db.session.add(period)
    db.session.flush()
    return period


def periods(submission_id: int) -> list[CoverPeriod]:
    """A member's periods, oldest first."""
    return list(db.session.scalars(select(CoverPeriod).where(CoverPeriod.submission_id == submission_id)
                                   .order_by(CoverPeriod.first, CoverPeriod.id)))


def all_periods(*members) -> dict[int, list[CoverPeriod]]:
    """Periods per member, oldest first, of the members these conditions on
    Submission select (every member without any). A join, not a list of ids:
    a cooperative may have 200,000 members, more than a statement takes."""
    query = (select(CoverPeriod).join(Submission, CoverPeriod.submission_id == Submission.id)
             .where(*members).order_by(CoverPeriod.first, CoverPeriod.id))
    out: dict[int, list[CoverPeriod]] = {}
    for period in db.session.scalars(query):
        out.setdefault(period.submission_id, []).append(period)
    return out


def until(found: list[CoverPeriod]) -> Month | None:
    """The last month of confirmed cover, or None before any was paid."""
    confirmed = [Month.parse(p.last) for p in found if p.confirmed]
    return max(confirmed) if confirmed else None


def covers(found: list[CoverPeriod], month: Month) -> bool:
    """Whether a confirmed period covers this month."""
    return any(p.confirmed and Month.parse(p.first) <= month <= Month.parse(p.last) for p in found)


def renewed(found: list[CoverPeriod]) -> bool:
    """Paid again after the first period ended (by SHU at a later RAT, or by themselves)."""
    confirmed = [p for p in found if p.confirmed]
    if len(confirmed) < 2:
        return False
    first_end = Month.parse(confirmed[0].last)
    return any(Month.parse(p.first) > first_end for p in confirmed[1:])


def first_uncovered(cooperative: str, book_year: int | None = None) -> dict[int, Month]:
    """For each member of the cooperative with cover, the month after their cover
    ends (the member's own word included), so a new conversion sheet never pays a
    month twice. Cover paid by the sheet of ``book_year`` itself does not count:
    making that sheet again must give the same months."""
    own = set()
    if book_year is not None:
        own = set(db.session.scalars(
            select(CoverPeriod.id).join(HandoverEntry, CoverPeriod.handover_entry_id == HandoverEntry.id)
            .join(HandoverBatch, HandoverEntry.batch_id == HandoverBatch.id)
            .join(RatRecord, HandoverBatch.rat_id == RatRecord.id)
            .where(RatRecord.book_year == book_year, RatRecord.cooperative == cooperative)))
    # Joined on the cooperative rather than a list of ids: a sheet may hold 150,000 members.
    last: dict[int, Month] = {}
    for submission_id, period_id, month in db.session.execute(
            select(CoverPeriod.submission_id, CoverPeriod.id, CoverPeriod.last)
            .join(Submission, CoverPeriod.submission_id == Submission.id)
            .where(Submission.cooperative == cooperative)):
        if period_id not in own:
            month = Month.parse(month)
            last[submission_id] = max(last.get(submission_id, month), month)
    return {submission_id: month.next() for submission_id, month in last.items()}


@dataclass(frozen=True)
class Shown:
    """One period as the member's page and card show it."""

    first: str
    last: str
    programme: str
    payer: str
    months: int
    amount: int
    rates: list[tuple[str, str, int]]  # (first month, last month, contribution) for each rate in force
    confirmed: bool
    receipt: str | None


def show(period: CoverPeriod) -> Shown:
    """A period in words: months as names, rates grouped where they stay the same."""
    groups: list[list] = []
    for month, cost in period.monthly:
        if groups and groups[-1][2] == cost:
            groups[-1][1] = month
        else:
            groups.append([month, month, cost])
    return Shown(Month.parse(period.first).label(), Month.parse(period.last).label(),
                 PROGRAMME_WORDS.get(period.programme, period.programme), PAYERS.get(period.payer, period.payer),
                 len(period.monthly), period.amount,
                 [(Month.parse(a).label(), Month.parse(b).label(), cost) for a, b, cost in groups],
                 period.confirmed, period.receipt)
