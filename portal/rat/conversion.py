"""The conversion sheet: the cooperative's own SHU list, joined in memory with
the members who agreed, turned into months of cover and cash.

SHU amounts are personal financial data the privacy notice promises not to
keep: the uploaded file is read here, used for one response and dropped.
Nothing from it reaches the database or the logs; the caller records only
who made a sheet, when, and the file's SHA-256.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from typing import ClassVar

from sqlalchemy import select

from kkbc import data
from kkbc.formatting import parse_rupiah, rupiah
from kkbc import rates
from kkbc.rates import Month

from .. import consent
from ..platform import uploads
from ..extensions import db
from ..bpjs import cover as bpjs_cover
from ..models import RatRecord, Submission
from . import documents

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 500_000  # the largest partner has about 445.000 members
MAX_AMOUNT = 10_000_000_000  # Rp10 miliar: more is a typing error, not an SHU
MAX_PROBLEMS = 50
COLUMNS = {"nomor_anggota": "Nomor anggota", "shu": "SHU"}
TEMPLATE_HINT = ("Ganti judul kolom di baris pertama menjadi Nomor anggota dan SHU, "
                 "atau salin daftar Anda ke templat daftar SHU di halaman ini")


class SheetError(ValueError):
    """The upload cannot be used: problems as (row, column, message)."""

    def __init__(self, problems: list):
        super().__init__("; ".join(p[2] for p in problems))
        self.problems = [tuple(p) for p in problems[:MAX_PROBLEMS]]
        self.more = max(0, len(problems) - MAX_PROBLEMS)


# What a member number's punctuation and spaces are, for plain ASCII text
# (NFKC leaves ASCII as it is): str.translate, not a regex, per row of a long list.
_SEPARATORS = str.maketrans("", "", " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f-./")


def normalise_member_number(text: str) -> str:
    """PA-01234, 'pa 01234' and ' PA01234 ' are the same member."""
    if text and text.isascii():
        return text.translate(_SEPARATORS).upper()
    return re.sub(r"[\s\-./]", "", unicodedata.normalize("NFKC", text or "")).upper()


class ShuList(dict):
    """{member number, normalised: SHU}; ``written`` keeps each number as the ledger writes it,
    so the lists staff check show "OM-T001", not "OMT001"."""

    def __init__(self):
        super().__init__()
        self.written: dict[str, str] = {}


def _rows(content: bytes, problems: uploads.Problems):
    return uploads.iter_table(content, COLUMNS, problems, required=tuple(COLUMNS), max_rows=MAX_ROWS,
                              max_bytes=MAX_BYTES, template=TEMPLATE_HINT)


def read(content: bytes) -> ShuList:
    """{member number: SHU} from an upload, or SheetError with every problem found.

    Cells are read by ``uploads.iter_table`` (formulas, HTML and control
    characters reported, never passed on); this adds the amounts and duplicates.
    The list is read one row at a time and only the number and the amount are
    kept: 445,000 rows never sit in memory as rows.
    """
    problems, own, repeated = uploads.Problems(), [], []
    amounts = ShuList()
    written = amounts.written
    for number, row in _rows(content, problems):
        if "nomor_anggota" not in row or "shu" not in row:
            continue  # already reported as a problem of that cell
        member = normalise_member_number(row["nomor_anggota"])
        amount = parse_rupiah(row["shu"])
        if not member:
            own.append((number, "Nomor anggota", "Nomor anggota kosong"))
        elif len(member) > 40:
            own.append((number, "Nomor anggota", "Nomor anggota terlalu panjang"))
        elif amount is None or amount > MAX_AMOUNT:
            own.append((number, "SHU", "SHU harus berupa angka rupiah utuh, misalnya 400000 atau Rp400.000"))
        elif member in amounts:
            repeated.append((number, member))
        else:
            amounts[member] = amount
            written[member] = row["nomor_anggota"].strip()
    if repeated and not problems.fatal:
        own += _repeats(content, repeated)
    if problems.fatal:
        raise SheetError(sorted(problems, key=lambda p: (p[0] or 0)))
    if problems or own:
        raise SheetError(sorted([*problems, *own], key=lambda p: (p[0] or 0)))
    if not amounts:
        raise SheetError([(None, None, "Tidak ada baris SHU di berkas ini")])
    return amounts


def _repeats(content: bytes, repeated: list[tuple[int, str]]) -> list[tuple]:
    """The problem of each repeated member number, naming the row it first
    appeared on (found by reading the list again: only when there are repeats)."""
    wanted = {member for _, member in repeated}
    first: dict[str, int] = {}
    for number, row in _rows(content, uploads.Problems()):
        member = normalise_member_number(row.get("nomor_anggota", ""))
        amount = parse_rupiah(row.get("shu", ""))
        if member in wanted and member not in first and amount is not None and amount <= MAX_AMOUNT:
            first[member] = number
    return [(number, "Nomor anggota", f"Nomor anggota ini sudah ada di baris {first[member]}. "
             "Satu anggota hanya boleh satu baris") for number, member in repeated]


@dataclass
class Line:
    member_number: str
    name: str
    agreed: str
    package: str
    sector: str
    shu: int
    converted: int
    months: int
    first: Month
    last: Month | None
    segments: list[rates.Run]
    cash: int
    note: str = ""


@dataclass
class Sheet:
    # Members listed on screen: the totals count everyone; the download holds every line.
    SHOWN: ClassVar[int] = 100

    record: RatRecord
    start: Month
    lines: list[Line] = field(default_factory=list)
    upload_only: list[str] = field(default_factory=list)  # no consent on record at all
    withdrawn: list[str] = field(default_factory=list)  # agreed once, then withdrew
    consent_only: list[tuple[str, str]] = field(default_factory=list)
    no_number: int = 0
    digest: str = ""  # of the uploaded file, for the audit log; never an amount
    # Every matched member, counted and summed, whether or not their line is kept.
    count: int = 0
    total: int = 0


class Walk:
    """The month-by-month prices of one package and sector from one start
    month, walked once and shared by every member with that package and
    sector: a member's months of cover are then a search in the running
    totals, not a walk of their own (150,000 members, a few walks)."""

    def __init__(self, start: Month, package: str, sector: str, limit: int = 600):
        self.start, self.package, self.sector = start, package, sector
        walked = rates.walk(package, start, sector, limit)  # as rates.months_of_cover: at most 50 years
        self.months = [month for month, _ in walked]
        self.costs = [cost for _, cost in walked]
        self.running = list(accumulate(self.costs))
        self._cost = dict(walked)
        self._segments: dict[int, list[rates.Run]] = {}

    def cost_of(self, months: int) -> int:
        """What the first ``months`` months cost together."""
        return self.running[months - 1] if months > 0 else 0

    def cover(self, amount: int) -> tuple[int, int]:
        """(whole months, rupiah paid) an amount pays for from the start month."""
        months = bisect_right(self.running, amount)
        return months, self.cost_of(months)

    def segments(self, months: int) -> list[rates.Run]:
        """The runs of one monthly cost in the first ``months`` months (shared: never changed)."""
        if months not in self._segments:
            self._segments[months] = rates.runs(self.months[:months], self._cost.__getitem__)
        return self._segments[months]


def line_for(member_number: str, name: str, chosen: dict, occupation: str | None, shu: int,
             record: RatRecord, start: Month, walks: dict | None = None) -> Line:
    """One member's conversion: what they agreed, capped by the RAT's ceiling
    and their SHU. ``walks`` shares each package, sector and first month's walk
    between the members of one sheet."""
    package = chosen.get("program") if chosen.get("program") in data.rates()["packages"] else record.package
    sector = rates.sector_of(occupation)
    walks = {} if walks is None else walks
    if (walk := walks.get((package, sector, start))) is None:
        walk = walks[(package, sector, start)] = Walk(start, package, sector)
    amount = consent.rules.agreed_amount(chosen)
    kind, value = amount or ("", None)
    agreed = consent.rules.amount_words(amount, short=True)
    if kind == "persen":
        wanted = shu * value // 100
    elif kind == "rupiah":
        wanted = value
    elif kind == "bulan":
        wanted = walk.cost_of(min(value, len(walk.running)))
    else:
        wanted = 0
    note = ""
    if record.allowance == "persen" and record.allowance_value:
        ceiling = shu * record.allowance_value // 100
        if wanted > ceiling:
            wanted, note = ceiling, f"dibatasi keputusan RAT: paling banyak {record.allowance_value}% SHU"
    elif record.allowance == "rupiah" and record.allowance_value and wanted > record.allowance_value:
        wanted = record.allowance_value
        note = f"dibatasi keputusan RAT: paling banyak {rupiah(record.allowance_value)}"
    if wanted > shu:
        wanted, note = shu, "dibatasi besar SHU anggota"
    months, paid = walk.cover(wanted)
    return Line(member_number, name, agreed, package, sector, shu, paid, months, start,
                walk.months[months - 1] if months else None, walk.segments(months), shu - paid, note)


def _consenting(cooperative: str) -> tuple:
    return (Submission.cooperative == cooperative, consent.counted(), consent.agreeing_to_shu())


def consenting(cooperative: str):
    """Members of the cooperative whose SHU consent is in force: the columns
    the sheet needs, as plain rows (no ORM objects for 150,000 members). The
    answers come from the columns the database computes, so no row's JSON is
    parsed in Python."""
    return db.session.execute(select(
        Submission.id, Submission.member_number, Submission.name, Submission.package, Submission.shu_kind,
        Submission.shu_value, Submission.occupation).where(*_consenting(cooperative)).order_by(Submission.id),
        execution_options={"yield_per": 2000})  # read as the sheet is made, never all at once


def consenting_submissions(cooperative: str) -> list[Submission]:
    """The same members as ``consenting``, as whole records, for the few
    hundred a handover works on."""
    return db.session.scalars(select(Submission).where(*_consenting(cooperative)).order_by(Submission.id)).all()


def withdrawn_numbers(cooperative: str) -> set[str]:
    """Normalised member numbers of the cooperative's members who withdrew their SHU consent."""
    numbers = db.session.scalars(select(Submission.member_number).where(
        Submission.cooperative == cooperative, Submission.member_number.is_not(None),
        Submission.state.in_((consent.SHU_WITHDRAWN, consent.WITHDRAWN))))
    return {normalise_member_number(n) for n in numbers}


def from_upload(record: RatRecord, content: bytes, start: Month, keep: int | None = None) -> Sheet:
    """The sheet of an uploaded SHU list: read, joined with the members who
    agreed, with the file's digest; SheetError with the list's problems.
    ``keep`` as in ``make``."""
    sheet = make(record, read(content), start, keep)
    sheet.digest = documents.sha256(content)
    return sheet


def make(record: RatRecord, amounts: dict[str, int], start: Month, keep: int | None = None) -> Sheet:
    """Join the SHU list with the consents: one dictionary look-up per member.
    ``keep`` lines at most are kept (the screen shows the first few; the
    totals count everyone); None keeps every line (the download)."""
    sheet = Sheet(record, start)
    matched, walks = set(), {}
    covered = bpjs_cover.first_uncovered(record.cooperative, record.book_year)
    for s in consenting(record.cooperative):
        number = normalise_member_number(s.member_number or "")
        if not number:
            sheet.no_number += 1
            sheet.consent_only.append(("", s.name or ""))
            continue
        if number not in amounts or number in matched:
            sheet.consent_only.append((s.member_number, s.name or ""))
            continue
        matched.add(number)
        chosen = {"program": s.package, "shu_cara": s.shu_kind, "shu_nilai": s.shu_value}
        # A returning member's months start after the cover they already have, never overlapping.
        first = max(start, covered.get(s.id, start))
        line = line_for(s.member_number, s.name or "", chosen, s.occupation, amounts[number], record, first, walks)
        sheet.count += 1
        sheet.total += line.converted
        if keep is None or len(sheet.lines) < keep:
            sheet.lines.append(line)
    unmatched = set(amounts) - matched
    withdrawn = unmatched & withdrawn_numbers(record.cooperative)
    written = getattr(amounts, "written", {})
    sheet.withdrawn = sorted(written.get(n, n) for n in withdrawn)
    sheet.upload_only = sorted(written.get(n, n) for n in unmatched - withdrawn)
    return sheet


HEADERS = ["Nomor anggota", "Nama", "Yang disetujui", "Perlindungan", "Sektor", "SHU",
           "Dipakai untuk iuran", "Bulan perlindungan", "Mulai", "Sampai", "Iuran tiap bulan",
           "Sisa dibayar tunai", "Catatan"]


def rows(sheet: Sheet):
    """The sheet's lines as spreadsheet cells (written through exports' neutralising writers)."""
    for line in sheet.lines:
        yield [line.member_number, line.name, line.agreed, data.rates()["packages"][line.package]["label"],
               data.rates()["sectors"][line.sector].split(" (")[0], line.shu, line.converted, line.months,
               line.first.label(), line.last.label() if line.last else "",
               "; ".join(f"{s.first.label()}-{s.last.label()}: {rupiah(s.cost)}" for s in line.segments),
               line.cash, line.note]
    yield ["Jumlah ditransfer ke BPJS Ketenagakerjaan", "", "", "", "", None, sheet.total,
           None, "", "", "", None, f"{sheet.count} anggota"]
