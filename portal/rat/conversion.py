"""The conversion sheet: the cooperative's own SHU list, joined with the
members who agreed, turned into months of cover and cash.

SHU amounts are personal financial data the privacy notice promises not to
keep: the uploaded file is read here, used for one response and dropped.
While the sheet is made, the list's lines sit in a private temporary file
that has no name on the disk (``ShuList``) and is gone with the response.
Nothing from it reaches the database or the logs; the caller records only
who made a sheet, when, and the file's SHA-256.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from typing import ClassVar, Iterator

from sqlalchemy import select

from kkbc import data
from kkbc.formatting import parse_rupiah, rupiah
from kkbc import rates
from kkbc.rates import Month

from .. import consent
from ..followup import exports
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


class ShuList:
    """An uploaded SHU list: each member number (normalised) with its SHU and
    the number as the ledger writes it, so the lists staff check show
    "OM-T001", not "OMT001".

    The lines are kept in a private temporary SQLite database: a file SQLite
    removes from the disk as it opens it, gone when the list is closed, so
    the 445,000 lines of the largest partner's list never sit in a worker's
    memory and nothing of the upload outlives the response. The join marks
    each line with the consent that takes it."""

    def __init__(self):
        self._db = sqlite3.connect("")  # "": private, temporary, on disk
        self._db.executescript("""
            PRAGMA journal_mode = OFF;
            CREATE TABLE shu (number TEXT NOT NULL, written TEXT NOT NULL, amount INTEGER NOT NULL,
                              line INTEGER NOT NULL, taken_by INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE withdrawn (number TEXT PRIMARY KEY);
            CREATE TABLE missing (id INTEGER PRIMARY KEY, number TEXT NOT NULL, name TEXT NOT NULL);""")
        self._count = 0
        self._taken: set[str] = set()  # by this join; written to the list in batches
        self._pending: list[tuple[int, str]] = []

    def add(self, lines: list[tuple[str, str, int, int]]) -> None:
        """(number, as written, SHU, line in the file) for each line."""
        self._db.executemany("INSERT INTO shu (number, written, amount, line) VALUES (?, ?, ?, ?)", lines)
        self._count += len(lines)

    def repeats(self) -> list[tuple[int, int]]:
        """(line, the line its number first appeared on) for each repeated
        number; indexes the numbers for the join."""
        try:
            self._db.execute("CREATE UNIQUE INDEX shu_number ON shu (number)")
            return []
        except sqlite3.IntegrityError:
            return self._db.execute("""
                SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY number) AS first FROM shu)
                WHERE line > first ORDER BY line""").fetchall()

    def __len__(self) -> int:
        return self._count

    def __contains__(self, number: str) -> bool:
        return self._db.execute("SELECT 1 FROM shu WHERE number = ?", (number,)).fetchone() is not None

    def start_join(self, withdrawn: set[str]) -> None:
        """Forget an earlier join; ``withdrawn`` are the numbers of members who withdrew."""
        self._taken.clear()
        self._pending.clear()
        self._db.execute("UPDATE shu SET taken_by = 0 WHERE taken_by != 0")
        self._db.execute("DELETE FROM missing")
        self._db.execute("DELETE FROM withdrawn")
        self._db.executemany("INSERT OR IGNORE INTO withdrawn VALUES (?)", ((n,) for n in withdrawn))

    def take(self, number: str, submission_id: int) -> int | None:
        """The SHU of a number no consent has taken yet, now taken by this one."""
        if number in self._taken:
            return None
        found = self._db.execute("SELECT amount FROM shu WHERE number = ?", (number,)).fetchone()
        if found is None:
            return None
        self._taken.add(number)
        self._pending.append((submission_id, number))
        if len(self._pending) == 5000:
            self._write_taken()
        return found[0]

    def _write_taken(self) -> None:
        if not self._pending:
            return
        self._db.executemany("UPDATE shu SET taken_by = ? WHERE number = ?", self._pending)
        self._pending.clear()

    def taken(self, number: str, submission_id: int) -> int | None:
        """The SHU this consent took in the join, if it took one."""
        self._write_taken()
        found = self._db.execute("SELECT amount FROM shu WHERE number = ? AND taken_by = ?",
                                 (number, submission_id)).fetchone()
        return found and found[0]

    def miss(self, number: str, name: str) -> None:
        """A consent that took no line of the list."""
        self._db.execute("INSERT INTO missing (number, name) VALUES (?, ?)", (number, name))

    def missing(self, limit: int = -1):
        """(number, name) of each consent without a line, in the order found."""
        yield from self._db.execute("SELECT number, name FROM missing ORDER BY id LIMIT ?", (limit,))

    def untaken(self, withdrawn: bool, limit: int = -1):
        """Numbers, as written, of lines no consent took: of members who withdrew, or of everyone else."""
        self._write_taken()
        for (written,) in self._db.execute(
                f"SELECT written FROM shu WHERE taken_by = 0 AND number {'' if withdrawn else 'NOT'} IN "
                "(SELECT number FROM withdrawn) ORDER BY written LIMIT ?", (limit,)):
            yield written

    def counts(self) -> tuple[int, int, int]:
        """How many consents took no line, lines of members who withdrew, and other lines untaken."""
        self._write_taken()
        return self._db.execute("""
            SELECT (SELECT count(*) FROM missing),
                   (SELECT count(*) FROM shu WHERE taken_by = 0 AND number IN (SELECT number FROM withdrawn)),
                   (SELECT count(*) FROM shu WHERE taken_by = 0 AND number NOT IN (SELECT number FROM withdrawn))
            """).fetchone()

    def close(self) -> None:
        """Drop the list (its temporary file goes with it)."""
        self._db.close()

    def __enter__(self) -> ShuList:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _rows(content: bytes, problems: uploads.Problems):
    return uploads.iter_table(content, COLUMNS, problems, required=tuple(COLUMNS), max_rows=MAX_ROWS,
                              max_bytes=MAX_BYTES, template=TEMPLATE_HINT)


def read(content: bytes) -> ShuList:
    """The SHU list of an upload, or SheetError with every problem found.

    Cells are read by ``uploads.iter_table`` (formulas, HTML and control
    characters reported, never passed on); this adds the amounts and duplicates.
    The list is read one row at a time into a ``ShuList``: 445,000 rows never
    sit in memory.
    """
    problems, own = uploads.Problems(), []
    shu, batch = ShuList(), []
    try:
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
            else:
                batch.append((member, row["nomor_anggota"].strip(), amount, number))
                if len(batch) == 5000:
                    shu.add(batch)
                    batch.clear()
        shu.add(batch)
        if problems.fatal:
            raise SheetError(sorted(problems, key=lambda p: (p[0] or 0)))
        own += [(number, "Nomor anggota", f"Nomor anggota ini sudah ada di baris {first}. "
                 "Satu anggota hanya boleh satu baris") for number, first in shu.repeats()]
        if problems or own:
            raise SheetError(sorted([*problems, *own], key=lambda p: (p[0] or 0)))
        if not len(shu):
            raise SheetError([(None, None, "Tidak ada baris SHU di berkas ini")])
    except BaseException:
        shu.close()
        raise
    return shu


class Listed(list):
    """The first members of a list, and ``count``: how many it holds in all."""

    def __init__(self, first, count: int):
        super().__init__(first)
        self.count = count


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
    submission_id: int | None = None  # the consent that took this line of the list


@dataclass
class Sheet:
    # Members listed on screen: the totals count everyone; the download holds every line.
    SHOWN: ClassVar[int] = 100

    record: RatRecord
    start: Month
    shu: ShuList
    lines: list[Line] = field(default_factory=list)
    # The first of each list, and how many it holds in all.
    upload_only: Listed = field(default_factory=lambda: Listed((), 0))  # no consent on record at all
    withdrawn: Listed = field(default_factory=lambda: Listed((), 0))  # agreed once, then withdrew
    consent_only: Listed = field(default_factory=lambda: Listed((), 0))  # (number, name)
    digest: str = ""  # of the uploaded file, for the audit log; never an amount
    # Every matched member, counted and summed, whether or not their line is kept.
    count: int = 0
    total: int = 0
    # A download's join, made as its lines are written (``for_download``),
    # and whether the join went through every consent.
    pending: Iterator[Line] | None = None
    joined: bool = False

    def every_line(self) -> Iterator[Line]:
        """Every line: a download's join as it is made, the lines kept when
        they are all, or else the same lines made again (150,000 lines never
        sit in memory)."""
        if self.pending is not None:
            lines, self.pending = self.pending, None
            return lines
        if len(self.lines) == self.count:
            return iter(self.lines)
        return _lines(self.record, self.shu, self.start, Sheet(self.record, self.start, self.shu), again=True)


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


def from_upload(record: RatRecord, content: bytes, start: Month, keep: int | None = None,
                download: bool = False) -> Sheet:
    """The sheet of an uploaded SHU list: read, joined with the members who
    agreed, with the file's digest; SheetError with the list's problems.
    ``keep`` as in ``make``; a ``download`` is joined as it is written
    (``for_download``). The caller closes ``sheet.shu``."""
    shu = read(content)
    sheet = for_download(record, shu, start) if download else make(record, shu, start, keep)
    sheet.digest = documents.sha256(content)
    return sheet


def _lines(record: RatRecord, shu: ShuList, start: Month, sheet: Sheet, again: bool = False):
    """Join the SHU list with the consents, one indexed look-up per member, and
    yield each matched member's line, counting into ``sheet``. The first
    consent of a member number takes its line; ``again`` makes the same
    lines once more without changing what was taken."""
    walks = {}
    covered = bpjs_cover.first_uncovered(record.cooperative, record.book_year)
    for s in consenting(record.cooperative):
        number = normalise_member_number(s.member_number or "")
        amount = (shu.taken if again else shu.take)(number, s.id) if number else None
        if amount is None:
            if not again:
                shu.miss(s.member_number or "", s.name or "")
            continue
        chosen = {"program": s.package, "shu_cara": s.shu_kind, "shu_nilai": s.shu_value}
        # A returning member's months start after the cover they already have, never overlapping.
        first = max(start, covered.get(s.id, start))
        line = line_for(s.member_number, s.name or "", chosen, s.occupation, amount, record, first, walks)
        line.submission_id = s.id
        sheet.count += 1
        sheet.total += line.converted
        yield line
    sheet.joined = True


def make(record: RatRecord, shu: ShuList, start: Month, keep: int | None = None) -> Sheet:
    """The sheet of a SHU list. ``keep`` lines at most are kept (the screen
    shows the first few; the totals count everyone, and ``Sheet.every_line``
    makes them all again for a download); None keeps every line."""
    sheet = Sheet(record, start, shu)
    shu.start_join(withdrawn_numbers(record.cooperative))
    for line in _lines(record, shu, start, sheet):
        if keep is None or len(sheet.lines) < keep:
            sheet.lines.append(line)
    missing, withdrawn, others = shu.counts()
    sheet.consent_only = Listed(shu.missing(Sheet.SHOWN), missing)
    sheet.withdrawn = Listed(shu.untaken(True, Sheet.SHOWN), withdrawn)
    sheet.upload_only = Listed(shu.untaken(False, Sheet.SHOWN), others)
    return sheet


def for_download(record: RatRecord, shu: ShuList, start: Month) -> Sheet:
    """A sheet whose join is made as ``rows`` writes its lines, once: its
    count and total are whole when the lines have been written."""
    sheet = Sheet(record, start, shu)
    shu.start_join(withdrawn_numbers(record.cooperative))
    sheet.pending = _lines(record, shu, start, sheet)
    return sheet


HEADERS = ["Nomor anggota", "Nama", "Yang disetujui", "Perlindungan", "Sektor", "SHU",
           "Dipakai untuk iuran", "Bulan perlindungan", "Mulai", "Sampai", "Iuran tiap bulan",
           "Sisa dibayar tunai", "Catatan"]


def rows(sheet: Sheet):
    """The sheet's lines as spreadsheet cells, then its total. Labels and
    the runs of monthly costs are worded once each, not once per member; the
    rows are ``Inert``: the member's number and name are neutralised here,
    every other text is the portal's own wording."""
    packages = {key: package["label"] for key, package in data.rates()["packages"].items()}
    sectors = {key: name.split(" (")[0] for key, name in data.rates()["sectors"].items()}
    labels = exports.Memo(lambda month: month.label() if month else "")
    costs = exports.Memo(lambda runs: "; ".join(f"{labels[r.first]}-{labels[r.last]}: {rupiah(r.cost)}" for r in runs))
    for line in sheet.every_line():
        yield exports.Inert([
            exports.neutralise(line.member_number), exports.neutralise(line.name), line.agreed, packages[line.package],
            sectors[line.sector], line.shu, line.converted, line.months, labels[line.first], labels[line.last],
            costs[tuple(line.segments)], line.cash, line.note])
    yield ["Jumlah ditransfer ke BPJS Ketenagakerjaan", "", "", "", "", None, sheet.total,
           None, "", "", "", None, f"{sheet.count} anggota"]

