"""The handover list: the members of a final conversion sheet whose
registration data is complete, with the months and amount each pays, in the
column layout a BPJS branch asks for, and the batch totals the contribution
assessment (penetapan iuran) must match.

The conversion sheet is read through ``conversion.read`` and
``conversion.make``, as finance staff make it: the SHU list itself is never
kept. A batch keeps per member only the months and the amount paid.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kkbc import choices, data
from kkbc.rates import Month

from .. import consent
from ..rat import conversion
from ..followup import exports
from ..extensions import db
from ..models import BpjsBranch, BpjsRegistration, HandoverBatch, HandoverEntry, RatRecord, Submission, utcnow
from . import nik as nik_rules
from . import registration

HANDED, WITHDRAWN = "serah", "tarik"
KIND_LABELS = {HANDED: "Baru", WITHDRAWN: "Tarik dari BPJS"}

# Every column a branch can ask for: key -> default header. The default layout
# follows what BPJS records for a BPU worker (FACTS.md, fourth check).
FIELDS = {
    "nik": "NIK",
    "nama_ktp": "Nama lengkap sesuai KTP",
    "tanggal_lahir": "Tanggal lahir",
    "jenis_kelamin": "Jenis kelamin",
    "nomor_hp": "Nomor HP",
    "pekerjaan": "Pekerjaan",
    "kabupaten": "Kabupaten/kota tempat bekerja",
    "program": "Program",
    "penghasilan": "Penghasilan yang dilaporkan",
    "bulan": "Jumlah bulan",
    "iuran": "Iuran dibayar",
    "mulai": "Bulan pertama",
    "sampai": "Bulan terakhir",
    "nomor_anggota": "Nomor anggota koperasi",
    "koperasi": "Koperasi",
    "keterangan": "Keterangan",
}
DEFAULT_COLUMNS = [[key, header] for key, header in FIELDS.items()]
DATE_FORMATS = {"%d-%m-%Y": "31-12-1985", "%d/%m/%Y": "31/12/1985", "%Y-%m-%d": "1985-12-31",
                "%d%m%Y": "31121985"}
PROGRAMME_CODES = {"jkk-jkm": "JKK, JKM", "jkk-jkm-jht": "JKK, JKM, JHT"}
DEFAULT_BRANCH = "Tata letak bawaan"


class LayoutError(ValueError):
    """A column layout that cannot be used; the message says which line."""


def branches() -> list[BpjsBranch]:
    """The branch layouts, the default one made on first use."""
    found = list(db.session.scalars(select(BpjsBranch).order_by(BpjsBranch.name)))
    if not found:
        default = BpjsBranch(name=DEFAULT_BRANCH, columns=DEFAULT_COLUMNS, date_format="%d-%m-%Y",
                             answer_columns={}, updated_at=utcnow(), updated_by="sistem")
        db.session.add(default)
        db.session.flush()
        found = [default]
    return found


def parse_layout(text: str) -> list[list[str]]:
    """Columns typed one a line as ``key = header`` (or just ``key``), in order."""
    columns, seen = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        key, _, header = (part.strip() for part in line.partition("="))
        if key not in FIELDS:
            raise LayoutError(f"Baris {number}: {key[:40]!r} bukan nama kolom yang dikenal")
        if key in seen:
            raise LayoutError(f"Baris {number}: kolom {key} sudah ada")
        if len(header) > 60:
            raise LayoutError(f"Baris {number}: judul kolom paling panjang 60 huruf")
        seen.add(key)
        columns.append([key, header or FIELDS[key]])
    if not columns:
        raise LayoutError("Tulis paling sedikit satu kolom")
    return columns


def layout_text(columns: list) -> str:
    """A branch layout as staff edit it: 'field = header' per line."""
    return "\n".join(f"{key} = {header}" for key, header in columns)


# ---------------------------------------------------------------- making a batch

@dataclass
class Candidate:
    submission: Submission
    line: conversion.Line


def sheet_members(record: RatRecord, amounts: conversion.ShuList, start: Month) -> list[Candidate]:
    """The conversion sheet's lines with the submission that took each one
    (the join gives a member number's line to its first consenting record)."""
    sheet = conversion.make(record, amounts, start)
    by_id = {submission.id: submission for submission in conversion.consenting_submissions(record.cooperative)}
    return [Candidate(by_id[line.submission_id], line) for line in sheet.lines]


def _handed_over(cooperative: str) -> dict[int, HandoverEntry]:
    """Each member's latest entry in this cooperative's earlier batches."""
    latest: dict[int, HandoverEntry] = {}
    for entry in db.session.scalars(select(HandoverEntry).join(HandoverBatch).where(
            HandoverBatch.cooperative == cooperative).order_by(HandoverEntry.id)):
        latest[entry.submission_id] = entry
    return latest


def still_in(submission: Submission) -> bool:
    """A member handed over is still in while their SHU consent and registration consent stand."""
    return (consent.rules.agrees_to_shu(submission.state, submission.choices)
            and registration.wants_registration(submission))


def create(record: RatRecord, branch: BpjsBranch, amounts: conversion.ShuList, start: Month,
           actor: str) -> HandoverBatch:
    """Make a batch: a handover event for each member ready, the missing listed,
    and members handed over before who withdrew flagged "tarik dari BPJS"
    (the caller audits and commits)."""
    batch = HandoverBatch(cooperative=record.cooperative, rat_id=record.id, branch_id=branch.id, start=str(start),
                          created_at=utcnow(), created_by=actor, missing=[])
    db.session.add(batch)
    db.session.flush()
    earlier = _handed_over(record.cooperative)
    missing = []
    for candidate in sheet_members(record, amounts, start):
        submission, line = candidate.submission, candidate.line
        before = earlier.get(submission.id)
        if before is not None and before.kind == HANDED:
            missing.append({"id": submission.id, "kurang": [f"sudah diserahkan di daftar nomor {before.batch_id}"]})
            continue
        found = registration.get(submission)
        lacking = registration.missing(submission, found)
        if found is not None and not registration.wants_registration(submission):
            lacking.append("persetujuan pendaftaran ke BPJS")
        if lacking:
            missing.append({"id": submission.id, "kurang": lacking})
            continue
        db.session.add(HandoverEntry(batch_id=batch.id, submission_id=submission.id, kind=HANDED,
                                     months=line.months, amount=line.converted, first=str(line.first),
                                     last=str(line.last) if line.last else None))
    for submission_id, entry in earlier.items():
        if entry.kind == HANDED and not still_in(db.session.get(Submission, submission_id)):
            db.session.add(HandoverEntry(batch_id=batch.id, submission_id=submission_id, kind=WITHDRAWN))
    batch.missing = missing
    db.session.flush()
    db.session.refresh(batch)
    return batch


# ---------------------------------------------------------------- reading a batch

def batches(cooperative: str) -> list[HandoverBatch]:
    """A cooperative's handover batches, newest first."""
    return list(db.session.scalars(select(HandoverBatch).where(HandoverBatch.cooperative == cooperative)
                                   .order_by(HandoverBatch.id.desc())))


def get(batch_id: int) -> HandoverBatch | None:
    """A handover batch by its id."""
    return db.session.get(HandoverBatch, batch_id)


@dataclass(frozen=True)
class Totals:
    members: int
    months: int
    amount: int
    withdrawn: int


def totals(batch: HandoverBatch) -> Totals:
    """What the contribution assessment for this batch must add up to."""
    handed = [e for e in batch.entries if e.kind == HANDED]
    return Totals(len(handed), sum(e.months for e in handed), sum(e.amount for e in handed),
                  len(batch.entries) - len(handed))


@dataclass
class Member:
    """One member of a batch as the list and the printed sheet show them."""

    entry: HandoverEntry
    submission: Submission
    registration: BpjsRegistration | None
    nik: str  # in the clear: the handover list is one of the two places it is shown

    @property
    def kind(self) -> str:
        """What the entry is, in words."""
        return KIND_LABELS[self.entry.kind]


def members(batch: HandoverBatch) -> list[Member]:
    """The batch's members with their data; NIKs decrypted (the caller audits)."""
    regs = {r.submission_id: r for r in db.session.scalars(select(BpjsRegistration).where(
        BpjsRegistration.submission_id.in_([e.submission_id for e in batch.entries])))}
    out = []
    for entry in batch.entries:
        reg = regs.get(entry.submission_id)
        out.append(Member(entry, db.session.get(Submission, entry.submission_id), reg,
                          registration.nik(reg) if reg else ""))
    return out


def missing_members(batch: HandoverBatch) -> list[tuple[Submission, list[str]]]:
    """The members left out of a batch, with what their data lacks."""
    return [(db.session.get(Submission, m["id"]), m["kurang"]) for m in batch.missing]


def _month(text: str | None) -> str:
    return Month.parse(text).label() if text else ""


def cell(member: Member, key: str, date_format: str):
    """One cell of the list for one member."""
    reg, entry, submission = member.registration, member.entry, member.submission
    if key == "keterangan":
        return member.kind
    if key == "nomor_anggota":
        return submission.member_number or f"(data dihapus, tanda terima {submission.receipt_code})"
    if key == "koperasi":
        return choices.cooperative_label(submission.cooperative)
    if key in ("bulan", "iuran", "mulai", "sampai"):
        return {"bulan": entry.months, "iuran": entry.amount, "mulai": _month(entry.first),
                "sampai": _month(entry.last)}[key]
    if reg is None:
        return ""
    return {
        "nik": member.nik,
        "nama_ktp": reg.ktp_name,
        "tanggal_lahir": reg.birth_date.strftime(date_format),
        "jenis_kelamin": nik_rules.SEX_LABELS.get(reg.sex, reg.sex),
        "nomor_hp": exports.Phone(reg.phone),
        "pekerjaan": choices.OCCUPATIONS.get(reg.occupation, reg.occupation),
        "kabupaten": data.kabupaten().get(reg.kabupaten, reg.kabupaten),
        "program": PROGRAMME_CODES.get(reg.programme, reg.programme),
        "penghasilan": reg.income,
    }[key]


def headers(branch: BpjsBranch) -> list[str]:
    """The column headers of a branch's layout."""
    return [header for _, header in branch.columns]


def rows(batch: HandoverBatch, listed: list[Member]):
    """The list's cells in the branch's layout, then the totals row."""
    branch = batch.branch
    for member in listed:
        yield [cell(member, key, branch.date_format) for key, _ in branch.columns]
    total = totals(batch)
    keys = [key for key, _ in branch.columns]
    last = [None for _ in keys]
    last[0] = f"Jumlah: {total.members} anggota"
    for key, value in (("bulan", total.months), ("iuran", total.amount)):
        if key in keys:
            last[keys.index(key)] = value
    yield last
