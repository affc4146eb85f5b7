"""Spreadsheet exports of the follow-up list: one pure row generator, two writers.

Nothing here needs a request or an application: ``rows()`` turns submissions
into cells, ``csv_chunks()`` and ``xlsx_chunks()`` stream them out. Both
writers neutralise cells a spreadsheet could run as a formula (OWASP "CSV
Injection": a text starting with = + - @ tab or carriage return gets a leading
apostrophe).

Phone numbers stay readable and safe without that apostrophe:
- XLSX: the E.164 number (+6281234567890) in a cell typed as text, which a
  spreadsheet never evaluates.
- CSV: the national form with dashes (0812-3456-7890). "+62…" would need the
  apostrophe, and an all-digit 0812… would lose its leading zero in Excel.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kkbc import choices
from kkbc.formatting import number

from . import consent, phone

FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")
# The most a spreadsheet cell holds (Excel's limit); longer text is cut.
MAX_CELL = 32_767
E164 = re.compile(r"\+[1-9]\d{5,14}")
HEADERS = [
    "Kode tanda terima", "Tanggal daftar (WITA)", "Nama", "Nomor HP", "Nomor anggota",
    "Koperasi", "Kabupaten/kota", "Pekerjaan", "Perlindungan", "Pilihan SHU", "Bentuk SHU",
    "Nilai SHU", "Setuju dihubungi", "Cara menghubungi", "Kode kampanye",
    "Status persetujuan", "Status tindak lanjut", "Versi pemberitahuan privasi",
    "Didaftarkan oleh petugas", "Keputusan RAT yang berlaku",
]
CHUNK = 64 * 1024


class Phone(str):
    """A phone number in E.164, which each writer shows in its own safe way."""


def neutralise(value: str) -> str:
    """Make a text cell inert: no formula, no control characters, not too long."""
    if value.isprintable() and len(value) < MAX_CELL and not value.startswith(FORMULA_STARTERS):
        return value  # nearly every cell: nothing to change, and no regex to run
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL - 1]
    return "'" + value if value.startswith(FORMULA_STARTERS) else value


def rows(submissions: Iterable, decisions: dict | None = None) -> Iterator[list]:
    """One list of cells per submission, in the order of HEADERS, as the
    consent presenter shows it: nothing personal for erased records, no phone
    number for members who withdrew all consent (listed, so nobody contacts
    them by mistake). ``decisions`` is each cooperative's RAT decision in force
    (portal.rat.decisions())."""
    for s in submissions:
        # Rows read by the export's cursor carry their first event's collection.
        r = consent.present(s, (s.first_collection or {}) if hasattr(s, "first_collection") else None)
        c = s.choices or {}
        shu_kind = c.get("shu_cara") if r.shu_amount else None
        yield [
            r.code,
            r.created.replace(tzinfo=None, microsecond=0),
            r.name or "",
            Phone(s.phone) if r.staff_phone else "",
            r.member_number or "",
            r.cooperative,
            r.kabupaten or s.kabupaten or "",
            r.occupation,
            r.package,
            r.shu_short,
            choices.SHU_AMOUNT_KINDS.get(shu_kind, "") if shu_kind else "",
            c.get("shu_nilai") if shu_kind else None,
            "Ya" if r.contact else "Tidak",
            r.channels,
            r.campaign,
            r.state_label,
            r.follow_up,
            r.notice_version,
            r.entered_by or "",
            (decisions or {}).get(s.cooperative, ""),
        ]


def completed(cells: Iterable[list], expected: int, deadline: float,
              clock: Callable[[], float] = time.monotonic, closing: bool = True) -> Iterator[list]:
    """The cells, then one closing line that tells staff the file is whole and
    how many rows it holds; or, when ``deadline`` (on ``clock``) passes first,
    a closing line that says plainly it is not, instead of a file cut short
    by the worker's timeout with nothing in it to show it. ``closing=False``
    for cells whose own last line shows they are whole (a sheet's total)."""
    count = 0
    for row in cells:
        if count % 500 == 0 and clock() > deadline:
            yield [f"BERKAS TIDAK LENGKAP: hanya {number(count)} dari {number(expected)} baris, karena waktu "
                   "habis. Pilih saringan (misalnya kabupaten atau tanggal daftar), lalu unduh lagi."]
            return
        yield row
        count += 1
    if closing:
        yield [f"Akhir berkas: {number(count)} baris data. Berkas ini lengkap."]


def _csv_cell(value):
    kind = type(value)
    if kind is str:
        return neutralise(value)
    if kind is Phone:
        return phone.display(value) if E164.fullmatch(value) else neutralise(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value


def csv_chunks(cells: Iterable[list], headers: list[str] = HEADERS) -> Iterator[str]:
    """CSV text, a row at a time, starting with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in cells:
        writer.writerow([_csv_cell(v) for v in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(sheet, value):
    kind = type(value)
    if kind is str:
        return neutralise(value)  # a plain value: openpyxl writes it as text, without a cell object
    if value is None or kind is int:
        return value
    if kind is Phone and E164.fullmatch(value):
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.data_type = "s"  # text: never read as a number or a formula
        return cell
    if isinstance(value, str):
        return WriteOnlyCell(sheet, value=neutralise(value))
    cell = WriteOnlyCell(sheet, value=value)
    if hasattr(value, "strftime"):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def _workbook(sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> Workbook:
    workbook = Workbook(write_only=True)
    for title, headers, cells in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append([WriteOnlyCell(sheet, value=h) for h in headers])
        for row in cells:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    return workbook


def xlsx_chunks(cells: Iterable[list], title: str = "Tindak lanjut", headers: list[str] = HEADERS) -> Iterator[bytes]:
    """An XLSX file in chunks. openpyxl's write-only mode keeps only the
    current row in memory; the file is assembled on disk, then sent."""
    workbook = _workbook([(title, headers, cells)])
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        workbook.save(path)
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def xlsx_bytes(sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> bytes:
    """A small XLSX of several sheets (title, headers, cells), built in memory:
    for data that must never touch the disk (the SHU conversion sheet)."""
    buffer = io.BytesIO()
    _workbook(sheets).save(buffer)
    return buffer.getvalue()
