"""The demo season's handover: registration data for most of Pintu Air's
members in the conversion sheet, a batch handed to BPJS, and BPJS's answer
loaded through the same code staff use (``flask --app portal demo``)."""
from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from kkbc.rates import Month

from ..staff import audit
from .. import consent, rat
from ..rat import conversion
from ..models import RatRecord, Submission
from . import answer, cover, handover, registration

ACTOR = "demo"
LEFT_FOR_THE_OFFICER = 3  # members of the sheet whose data an officer still has to collect
# Cover from the previous year's SHU for six returning members, in months from
# today. The first three are among those whose data the officer still has to
# collect, so this season's batch does not renew them: one's cover ends next
# month, one's ended last month (a lapse), one's runs on. The other three are
# renewed by this season's batch.
EARLIER_COVER = [(-8, 1), (-10, -1), (-6, 4), (-5, 5), (-4, 6), (-7, 2)]


def _nik(submission: Submission, born: date, sex: str, sequence: int) -> str:
    area = (submission.kabupaten or "53.07").replace(".", "") + "01"
    day = born.day + (40 if sex == "P" else 0)
    return f"{area}{day:02d}{born.month:02d}{born.year % 100:02d}{sequence:04d}"


def season(rng: random.Random, record: RatRecord, shu_list: Path) -> tuple[int, int, Submission | None]:
    """Registration data, cover from an earlier season for a few returning
    members (one about to lapse, one lapsed), one handed-over batch and its
    answer with the months paid; (handed over, registered, a member with a KPJ
    who is protected today) for the summary the demo prints."""
    amounts = conversion.read(shu_list.read_bytes())
    start = rat.first_month_after(record)
    in_sheet = handover.sheet_members(record, amounts, start)
    for n, candidate in enumerate(in_sheet[LEFT_FOR_THE_OFFICER:], start=1):
        member, sex = candidate.submission, rng.choice("LP")
        born = date(rng.randrange(1965, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
        registration.save(member, {
            "nik": _nik(member, born, sex, n), "ktp_name": member.name, "birth_date": born, "sex": sex,
            "phone": member.phone, "occupation": member.occupation or "petani", "kabupaten": member.kabupaten,
            "programme": member.choices.get("program") or "jkk-jkm", "income": 1_000_000}, actor=ACTOR,
            collection={"channel": "kantor-cabang", "method": "dibacakan", "entered_by": ACTOR})
    now = cover.this_month()
    returning = [c.submission for c in in_sheet][:len(EARLIER_COVER)]
    for member, (first, last) in zip(returning, EARLIER_COVER):
        cover.record_paid(member, cover.add_months(now, first), last - first + 1, cover.SHU, ACTOR)
    batch = handover.create(record, handover.branches()[0], amounts, Month.parse(str(start)), ACTOR)
    amounts.close()
    audit.record("serah_bpjs", actor=ACTOR, cooperative=record.cooperative, rows=handover.totals(batch).members,
                 detail={"serah": batch.id, "rat": record.id})
    listed = [m for m in handover.members(batch) if m.entry.kind == handover.HANDED]
    lines = ["NIK;Nomor KPJ;Status;Alasan;Kode iuran;Jumlah iuran;Bulan dibayar"]
    for n, member in enumerate(listed, start=1):
        if n == len(listed):  # one refusal, as happens when a NIK does not match Dukcapil's records
            lines.append(f"{member.nik};;Ditolak;NIK belum padan dengan data Dukcapil;;;")
        else:
            lines.append(f"{member.nik};{90_000_000_000 + n};Terdaftar;;KI-DEMO-{batch.id};{member.entry.amount};"
                         f"{member.entry.months}")
    seen = answer.preview(batch, "\n".join(lines).encode(), dict(answer.FIELDS))
    changed = answer.apply(seen)
    audit.record("jawaban_bpjs", actor=ACTOR, cooperative=record.cooperative, rows=changed,
                 detail={"serah": batch.id, "tidak_cocok": len(seen.unmatched)})
    # The member to show: protected today from the earlier season, with a KPJ from this one.
    shown = next((m.submission for m in listed[:-1] if m.submission in returning), None) or \
        next((m.submission for m in listed[:-1] if m.submission.state == consent.ACTIVE), None)
    return len(listed), max(0, len(listed) - 1), shown
