"""The campaign's true figure: per cooperative, per kabupaten and across NTT,
from the cooperative's members to members protected this month.

Each step counts people (``consent.counted()``), from the records each step
leaves: consent, the RAT in force, the handover batches (which list every
member of the conversion sheet, handed over or missing data), BPJS's answer
and the cover periods. A count of one to four is never shown, so nobody can
be picked out of a small group.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func, select

from kkbc import data
from kkbc.rates import Month

from .. import consent, rat
from ..extensions import db
from ..models import CoverPeriod, HandoverBatch, HandoverEntry, Submission
from . import cover, handover

SMALL = 5  # a count under this (but above zero) is never shown
STEPS = {
    "anggota": "Anggota koperasi",
    "minat": "Mendaftar minat",
    "setuju": "Setuju SHU untuk iuran",
    "rat": "Di bawah keputusan RAT yang diterima",
    "konversi": "Masuk daftar konversi SHU",
    "serah": "Diserahkan ke BPJS",
    "kpj": "Terdaftar di BPJS (punya KPJ)",
    "bayar": "Iuran sudah dibayar",
    "terlindungi": "Terlindungi bulan ini",
    "lanjut": "Lanjut setelah periode pertama",
}
SERIES_MONTHS = 12


def shown(n: int | None) -> int | None:
    """The count as it may be shown: None for one to four people."""
    return None if n is None or 0 < n < SMALL else n


def share(n: int | None, members: int | None) -> float | None:
    """Share of the cooperative's members, in percent; None where the count is hidden."""
    if shown(n) is None or not members:
        return None
    return round(n * 100 / members, 3)


@dataclass
class Group:
    """One row of the funnel: a cooperative, a kabupaten or all of NTT."""

    key: str
    name: str
    members: int | None
    members_as_of: date | None
    counts: dict[str, int] = field(default_factory=dict)
    series: list[tuple[Month, int]] = field(default_factory=list)

    def add(self, other: "Group") -> None:
        """Add another group's members and counts to this one."""
        self.members = (self.members or 0) + (other.members or 0)
        dates = [d for d in (self.members_as_of, other.members_as_of) if d]
        self.members_as_of = min(dates) if dates else None
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        if not self.series:
            self.series = list(other.series)
        else:
            self.series = [(m, a + b) for (m, a), (_, b) in zip(self.series, other.series)]

    def steps(self) -> list[tuple[str, str, int | None, float | None]]:
        """(key, label, count shown, share shown) per step, members first."""
        out = [("anggota", STEPS["anggota"], self.members, 100.0 if self.members else None)]
        for key, label in list(STEPS.items())[1:]:
            n = self.counts.get(key, 0)
            out.append((key, label, shown(n), share(n, self.members)))
        return out


@dataclass
class Funnel:
    month: Month
    cooperatives: list[Group]
    kabupaten: list[Group]
    total: Group


def _counted_members(slug: str) -> tuple:
    return Submission.cooperative == slug, consent.counted()


def _handed(slug: str, *more):
    """SQL: how many of the cooperative's counted members a handover list handed over."""
    return (select(func.count(distinct(HandoverEntry.submission_id)))
            .join(HandoverBatch, HandoverEntry.batch_id == HandoverBatch.id)
            .join(Submission, HandoverEntry.submission_id == Submission.id)
            .where(HandoverBatch.cooperative == slug, HandoverEntry.kind == handover.HANDED,
                   *_counted_members(slug), *more))


def _in_sheet_only(slug: str) -> int:
    """Counted members a batch listed as missing data and no list handed over yet."""
    listed = {m["id"] for missing in db.session.scalars(select(HandoverBatch.missing).where(
        HandoverBatch.cooperative == slug)) for m in missing or []}
    if not listed:
        return 0
    handed = (select(HandoverEntry.submission_id).join(HandoverBatch, HandoverEntry.batch_id == HandoverBatch.id)
              .where(HandoverBatch.cooperative == slug, HandoverEntry.kind == handover.HANDED))
    ids, n = sorted(listed), 0
    for i in range(0, len(ids), 5000):  # a batch lists a few hundred; a statement takes a few thousand ids
        n += db.session.scalar(select(func.count()).select_from(Submission).where(
            Submission.id.in_(ids[i:i + 5000]), *_counted_members(slug), Submission.id.not_in(handed)))
    return n


def _people(slug: str, now: Month, months: list[Month]) -> tuple[dict[str, int], list[tuple[Month, int]]]:
    """Counts per step for one cooperative, and members protected in each month of ``months``:
    counted by the database (a cooperative may have 200,000 members), only the
    cover periods of members who have any are read."""
    live, agreeing = db.session.execute(select(
        func.count().filter(consent.live()), func.count().filter(consent.agreeing_to_shu()))
        .where(*_counted_members(slug))).one()
    record = rat.in_force(slug)
    accepted = record is not None and rat.converts_shu(record)
    handed = db.session.scalar(_handed(slug))
    paid, protected, renewed, series = _cover(slug, now, months)
    counts = {
        "minat": live,
        "setuju": agreeing,
        "rat": agreeing if accepted else 0,
        "konversi": handed + _in_sheet_only(slug),
        "serah": handed,
        "kpj": db.session.scalar(_handed(slug, HandoverEntry.result == cover.REGISTERED)),
        "bayar": paid,
        "terlindungi": protected,
        "lanjut": renewed,
    }
    return counts, series


def _cover(slug: str, now: Month, months: list[Month]) -> tuple[int, int, int, list[tuple[Month, int]]]:
    """(members with confirmed cover, covered in ``now``, renewed, covered per month of ``months``)
    from the confirmed periods as plain text months ("YYYY-MM": text order is
    month order), one pass, no period object per row (50,000 members with cover)."""
    wanted = [str(m) for m in months]
    this = str(now)
    paid = protected = renewed = 0
    per_month = [0] * len(wanted)

    def close(found: list[tuple[str, str]]) -> None:
        nonlocal paid, protected, renewed
        paid += 1
        protected += any(first <= this <= last for first, last in found)
        renewed += any(first > found[0][1] for first, _ in found[1:])
        covered = set()
        for first, last in found:
            covered.update(range(bisect_left(wanted, first), bisect_right(wanted, last)))
        for i in covered:
            per_month[i] += 1

    current, found = None, []
    for member, first, last in db.session.execute(
            select(CoverPeriod.submission_id, CoverPeriod.first, CoverPeriod.last)
            .join(Submission, CoverPeriod.submission_id == Submission.id)
            .where(*_counted_members(slug), CoverPeriod.confirmed)
            .order_by(CoverPeriod.submission_id, CoverPeriod.first, CoverPeriod.id)):
        if member != current and found:
            close(found)
            found = []
        current = member
        found.append((first, last))
    if found:
        close(found)
    return paid, protected, renewed, list(zip(months, per_month))


def compute(now: Month | None = None, only: str | None = None) -> Funnel:
    """The funnel this month (by the portal's clock), for one cooperative or all partners."""
    now = now or cover.this_month()
    months = [cover.add_months(now, -n) for n in range(SERIES_MONTHS - 1, -1, -1)]
    names = data.kabupaten()
    coops, by_kabupaten = [], {}
    total = Group("ntt", "Seluruh NTT (koperasi mitra)", 0, None)
    for slug, coop in data.cooperatives().items():
        if only is not None and slug != only:
            continue
        counts, series = _people(slug, now, months)
        group = Group(slug, coop.name, coop.members, coop.members_as_of, counts, series)
        coops.append(group)
        place = by_kabupaten.setdefault(coop.kabupaten, Group(coop.kabupaten, names.get(coop.kabupaten, coop.kabupaten),
                                                               0, None))
        place.add(group)
        total.add(group)
    return Funnel(now, coops, sorted(by_kabupaten.values(), key=lambda g: g.name), total)


HEADERS = ["Tingkat", "Wilayah atau koperasi", "Langkah", "Jumlah orang", "Bagian dari anggota koperasi (%)",
           "Jumlah anggota per tanggal", "Bulan"]


def rows(funnel: Funnel, with_comparison: bool):
    """The funnel as spreadsheet rows (one per group and step); hidden counts as "kurang dari 5"."""
    groups = [("Koperasi", g) for g in funnel.cooperatives]
    if with_comparison:
        groups += [("Kabupaten/kota", g) for g in funnel.kabupaten] + [("NTT", funnel.total)]
    for level, group in groups:
        for key, label, n, pct in group.steps():
            yield [level, group.name, label, n if n is not None else "kurang dari 5", pct,
                   group.members_as_of.isoformat() if group.members_as_of else "", funnel.month.label()]


SERIES_HEADERS = ["Bulan", "Koperasi", "Terlindungi"]


def series_rows(funnel: Funnel):
    """Members protected month by month, per cooperative (hidden under five)."""
    for group in funnel.cooperatives:
        for month, n in group.series:
            yield [month.label(), group.name, shown(n) if shown(n) is not None else "kurang dari 5"]


def publication(as_of: date) -> dict:
    """What the public "Capaian" page may show: per cooperative, members protected
    through the SHU conversion in the month of ``as_of``; under five is withheld."""
    month = Month(as_of.year, as_of.month)
    out = []
    total = 0
    for slug, coop in data.cooperatives().items():
        n = db.session.scalar(  # counted by the database: a partner may have 50,000 members with cover
            select(func.count(distinct(CoverPeriod.submission_id)))
            .join(Submission, CoverPeriod.submission_id == Submission.id)
            .where(Submission.cooperative == slug, consent.counted(), CoverPeriod.confirmed,
                   CoverPeriod.payer == cover.SHU, CoverPeriod.first <= str(month), CoverPeriod.last >= str(month)))
        total += n
        out.append({"slug": slug, "nama": coop.name, "terlindungi": shown(n),
                    "anggota": coop.members, "anggota_per": coop.members_as_of.isoformat()
                    if coop.members_as_of else None})
    return {"per_tanggal": as_of.isoformat(), "koperasi": out, "jumlah": shown(total)}


BAR_WIDTH, LABEL_WIDTH, ROW = 300, 260, 28


def chart(group: Group) -> dict:
    """Geometry of the funnel's horizontal bars (drawn as inline SVG), each step
    against the largest count shown; a hidden count draws no bar."""
    steps = group.steps()[1:]
    peak = max((n for _, _, n, _ in steps if n), default=0) or 1
    bars = [{"label": label, "n": n, "y": i * ROW, "width": round(BAR_WIDTH * (n or 0) / peak, 1)}
            for i, (_, label, n, _) in enumerate(steps)]
    return {"bars": bars, "height": len(bars) * ROW, "left": LABEL_WIDTH, "width": LABEL_WIDTH + BAR_WIDTH + 70}
