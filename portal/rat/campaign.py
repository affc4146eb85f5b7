"""The campaign view: each partner cooperative's RAT and members, and the
figures BPJS Ketenagakerjaan NTT reports upward. People are counted with
``consent.counted()``; no personal data leaves this module."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from kkbc import data

from .. import consent, followup, rat
from ..extensions import db
from ..models import RatRecord, Submission
from .pack import Participation

HEADERS = ["Koperasi", "Tahun buku", "Tanggal RAT", "Status catatan RAT", "Hasil RAT", "Pendaftar",
           "Setuju SHU untuk iuran", "Terdaftar di BPJS", "Anggota koperasi", "Jumlah anggota per tanggal",
           "Bagian anggota yang mendaftar (%)"]


@dataclass
class Row:
    slug: str
    name: str
    record: RatRecord | None
    participation: Participation
    agree: int = 0
    enrolled: int = 0


@dataclass
class Overview:
    rows: list[Row] = field(default_factory=list)

    @property
    def registered(self) -> int:
        """Members signed up, across cooperatives."""
        return sum(r.participation.registered for r in self.rows)

    @property
    def agree(self) -> int:
        """Members whose SHU consent is in force, across cooperatives."""
        return sum(r.agree for r in self.rows)

    @property
    def enrolled(self) -> int:
        """Members registered with BPJS, across cooperatives."""
        return sum(r.enrolled for r in self.rows)

    @property
    def members(self) -> int:
        """The cooperatives' members, as last reported."""
        return sum(r.participation.members or 0 for r in self.rows)

    @property
    def accepted(self) -> int:
        """RATs whose final record accepted paying contributions from SHU."""
        return sum(1 for r in self.rows if r.record and rat.converts_shu(r.record))

    @property
    def held(self) -> int:
        """RATs with a final record."""
        return sum(1 for r in self.rows if r.record and rat.is_final(r.record))


def _by_cooperative(*where) -> dict[str, int]:
    rows = db.session.execute(select(Submission.cooperative, func.count()).where(
        consent.counted(), consent.live(), *where)
        .group_by(Submission.cooperative)).all()
    return dict(rows)


def overview() -> Overview:
    """Each partner cooperative's RAT and members, and the totals."""
    registered = _by_cooperative()
    agree = _by_cooperative(consent.agreeing_to_shu())
    enrolled = _by_cooperative(Submission.follow_up_status == followup.ENROLLED)
    latest = rat.latest_per_cooperative()
    result = Overview()
    for slug, coop in data.cooperatives().items():
        # The record that applies if there is one, else the draft being prepared.
        record = rat.in_force(slug) or latest.get(slug)
        result.rows.append(Row(slug, coop.name, record,
                               Participation(registered.get(slug, 0), coop.members, coop.members_as_of,
                                             coop.members_source),
                               agree.get(slug, 0), enrolled.get(slug, 0)))
    return result


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def rows(o: Overview) -> list[list]:
    """Spreadsheet rows of the campaign view, then one line of totals."""
    out = []
    for r in o.rows:
        record = r.record
        out.append([r.name, record.book_year if record else None, _date(record.held_on if record else None),
                    rat.STATUS_LABELS[record.status] if record else "Belum ada",
                    rat.OUTCOMES.get(record.outcome, "") if record and rat.is_final(record) else "",
                    r.participation.registered, r.agree, r.enrolled, r.participation.members,
                    _date(r.participation.as_of), r.participation.share])
    out.append(["Semua koperasi mitra", None, "", f"{o.held} RAT tercatat final",
                f"{o.accepted} diterima", o.registered, o.agree, o.enrolled, o.members, "", None])
    return out
