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
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator

import rustpy_xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kkbc import choices, data
from kkbc.formatting import number

from .. import followup
from ..consent import phone
from ..platform import local_time
from ..consent import rules

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
BATCH = 200  # rows handed to csv.writer.writerows at once
PLAIN = frozenset({str, int, type(None)})


class Phone(str):
    """A phone number in E.164, which each writer shows in its own safe way."""


class Inert(list):
    """A row whose text cells are already neutralised (by ``rows()``): the
    writers only lay out its phone numbers, dates and numbers."""


def neutralise(value: str) -> str:
    """Make a text cell inert: no formula, no control characters, not too long."""
    if value.isprintable() and len(value) < MAX_CELL and not value.startswith(FORMULA_STARTERS):
        return value  # nearly every cell: nothing to change, and no regex to run
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL - 1]
    return "'" + value if value.startswith(FORMULA_STARTERS) else value


def _parsed(value) -> dict:
    """A JSON column as the export's cursor reads it (text) or as the ORM does (a dict)."""
    if type(value) is str:
        return json.loads(value)
    return value or {}


def _answer_cells(state: str, chosen: dict) -> tuple:
    """The cells that follow from the state and the answers alone, as the
    consent presenter words them: (personal data shown, phone shown, the
    cells from Perlindungan to Cara menghubungi, the state's label)."""
    amount = rules.shu_amount(chosen)
    kind = chosen.get("shu_cara") if amount else None
    contact = rules.can_contact(state, chosen)
    channels = ", ".join(choices.CONTACT_CHANNELS.get(k, k) for k in chosen.get("kontak") or []) if contact else ""
    cells = (choices.PACKAGES.get(chosen.get("program") or "", ""), rules.SHU_SHORT.get(chosen.get("shu"), ""),
             choices.SHU_AMOUNT_KINDS.get(kind, "") if kind else "", chosen.get("shu_nilai") if kind else None,
             "Ya" if contact else "Tidak", channels, rules.STATE_LABELS.get(state, state))
    return (rules.shows_personal_data(state), rules.staff_may_see_phone(state),
            *(neutralise(c) if isinstance(c, str) else c for c in cells))


class _Memo(dict):
    """A value worked out once per distinct key (a few hundred labels and
    answer combinations among 445,000 rows)."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(*key)
        return value


def rows(submissions: Iterable, decisions: dict | None = None) -> Iterator[list]:
    """One list of cells per submission, in the order of HEADERS, as the
    consent presenter shows it: nothing personal for erased records, no phone
    number for members who withdrew all consent (listed, so nobody contacts
    them by mistake). ``decisions`` is each cooperative's RAT decision in force
    (portal.rat.decisions()).

    Submissions are ORM objects or the export cursor's rows, whose JSON
    columns come as text: every cell that follows from a few columns (labels,
    the answers' wording) is worked out once per distinct value, not once per
    row, which is what lets 445,000 rows stream inside a request."""
    decisions = decisions or {}
    answers = _Memo(lambda state, text: _answer_cells(state, json.loads(text)))
    coop_label = _Memo(lambda slug, other: neutralise(choices.cooperative_label(slug, other)))
    where = _Memo(lambda code: neutralise(data.kabupaten().get(code or "", "") or code or ""))
    occupation = _Memo(lambda code: choices.OCCUPATIONS.get(code or "", ""))
    campaigns = _Memo(lambda text: neutralise(_parsed(text).get("kampanye") or ""))
    entered = _Memo(lambda text: neutralise(_parsed(text).get("entered_by") or ""))
    follow_up = _Memo(lambda status: followup.STATUSES.get(status, status))
    version = _Memo(neutralise)
    decision = _Memo(lambda slug: neutralise(decisions.get(slug, "")))
    local = local_time
    for s in submissions:
        state, chosen = s.state, s.choices
        if type(chosen) is str:
            cells = answers[state, chosen]
        else:
            chosen = chosen or {}
            cells = _answer_cells(state, chosen)
        personal, phone_shown, package, shu_short, kind, value, contact, channels, state_label = cells
        source = s.source
        campaign = campaigns[source,] if type(source) is str else neutralise((source or {}).get("kampanye") or "")
        if hasattr(s, "first_collection"):  # rows read by the export's cursor
            collection = s.first_collection
            by = entered[collection,] if type(collection) is str else neutralise(
                (collection or {}).get("entered_by") or "")
        else:
            events = s.events
            by = neutralise(((events[0].collection or {}) if events else {}).get("entered_by") or "")
        yield Inert([
            neutralise(f"{s.receipt_code[:4]}-{s.receipt_code[4:]}"),
            local(s.created_at).replace(tzinfo=None, microsecond=0),
            neutralise(s.name or "") if personal else "",
            Phone(s.phone) if phone_shown and s.phone else "",
            neutralise(s.member_number or "") if personal else "",
            coop_label[s.cooperative, s.cooperative_other if personal else None],
            where[s.kabupaten,],
            occupation[s.occupation,],
            package, shu_short, kind, value, contact, channels, campaign, state_label,
            follow_up[s.follow_up_status,],
            version[s.notice_version,],
            by,
            decision[s.cooperative,],
        ])


class Ready(list):
    """A CSV row whose cells are all inert text, whole numbers or None: the CSV
    writer hands it on as it is."""


class Memo(dict):
    """``_Memo`` for a single key (no tuple made per row): a value made from
    its key the first time it is asked for."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def _csv_phone(value: str) -> str:
    if shown := phone.mobile_display(value):
        return shown
    return phone.display(value) if E164.fullmatch(value) else neutralise(value)


def csv_rows(records: Iterable[tuple], decisions: dict | None = None) -> Iterator[Ready]:
    """The CSV's rows, the same cells as ``rows()`` gives and the CSV writer
    lays out, from the plain tuples of ``queries.CSV_COLUMNS``: the date comes
    formatted in WITA by the database, the campaign and who entered the record
    as text, so a row costs a few dictionary look-ups and no parsing. This is
    what lets 445,000 rows go out inside a request."""
    decisions = decisions or {}
    def answer(state, text):
        cells = _answer_cells(state, json.loads(text) if text else {})
        return cells[0], cells[1], cells[2:8], cells[8]

    answers = _Memo(answer)
    coop_label = _Memo(lambda slug, other: neutralise(choices.cooperative_label(slug, other)))
    coop_name = Memo(lambda slug: neutralise(choices.cooperative_label(slug)))
    where = Memo(lambda code: neutralise(data.kabupaten().get(code or "", "") or code or ""))
    occupation = Memo(lambda code: choices.OCCUPATIONS.get(code or "", ""))
    text = Memo(lambda value: neutralise(value or ""))
    follow_up = Memo(lambda status: followup.STATUSES.get(status, status))
    decision = Memo(lambda slug: neutralise(decisions.get(slug, "")))
    for (code, created, name, phone, member_number, cooperative, other, kabupaten, job, state, status,
         version, chosen, campaign, by) in records:
        personal, phone_shown, answered, state_label = answers[state, chosen]
        yield Ready([
            f"{code[:4]}-{code[4:]}", created,
            neutralise(name) if personal and name else "",
            _csv_phone(phone) if phone_shown and phone else "",
            neutralise(member_number) if personal and member_number else "",
            coop_label[cooperative, other if personal else None] if other else coop_name[cooperative],
            where[kabupaten], occupation[job], *answered, text[campaign], state_label,
            follow_up[status], text[version], text[by], decision[cooperative],
        ])


FILTER_ADVICE = "Pilih saringan (misalnya kabupaten atau tanggal daftar), lalu unduh lagi."


def completed(cells: Iterable[list], expected: int | None, deadline: float,
              clock: Callable[[], float] = time.monotonic, closing: bool = True,
              advice: str = FILTER_ADVICE) -> Iterator[list]:
    """The cells, then one closing line that tells staff the file is whole and
    how many rows it holds; or, when ``deadline`` (on ``clock``) passes first,
    a closing line that says plainly it is not, and what to do, instead of a
    file cut short by the worker's timeout with nothing in it to show it.
    ``expected`` None when the rows are counted as they are made;
    ``closing=False`` for cells whose own last line shows they are whole (a
    sheet's total)."""
    count = 0
    for row in cells:
        if count % 500 == 0 and clock() > deadline:
            of = "" if expected is None else f" dari {number(expected)}"
            yield [f"BERKAS TIDAK LENGKAP: hanya {number(count)}{of} baris, karena waktu habis. {advice}"]
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
    batch = []
    for row in cells:
        if type(row) is Ready:
            batch.append(row)
        elif type(row) is Inert:  # text already inert: None and numbers are written by csv as they are
            batch.append([v if type(v) in PLAIN else _csv_cell(v) for v in row])
        else:
            batch.append([_csv_cell(v) for v in row])
        if len(batch) == BATCH:
            writer.writerows(batch)
            batch.clear()
            if buffer.tell() >= CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue()


def csv_bytes(cells: Iterable[list], headers: list[str] = HEADERS) -> bytes:
    """A CSV for a response made in one piece, encoded as it is written: the
    file is held once, as bytes, not as its chunks, their text and its bytes."""
    out = io.BytesIO()
    for chunk in csv_chunks(cells, headers):
        out.write(chunk.encode())
    return out.getvalue()


def _xlsx_cell(value):
    kind = type(value)
    if kind is Phone:
        # E.164 as a text cell: never read as a number or a formula.
        return str(value) if E164.fullmatch(value) else neutralise(value)
    if kind is str:
        return neutralise(value)
    if value is None or kind is int or kind is float or hasattr(value, "strftime"):
        return value
    return neutralise(str(value))


def _records(headers: list[str], cells: Iterable[list]) -> Iterator[dict]:
    """Each row as the writer takes it, a dictionary keyed by the headers
    (the writer's header row is the first one's keys); a sheet with no rows
    still gets its header row."""
    width, blank = len(headers), [None] * len(headers)
    count = 0
    for row in cells:
        if type(row) is Inert:  # text already inert: only phone numbers to lay out
            row = [_xlsx_cell(v) if type(v) is Phone else v for v in row]
        else:
            row = [_xlsx_cell(v) for v in row]
        if len(row) < width:  # a closing line: one cell
            row = [*row, *blank[len(row):]]
        yield dict(zip(headers, row))
        count += 1
    if not count:
        yield dict(zip(headers, blank))


def _save(path: str, sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> None:
    """Write the sheets to an XLSX file with rust_xlsxwriter in its
    constant-memory mode: each row goes to a temporary file as it is written,
    so memory stays flat whatever the size. A text is always written as text,
    never as a formula, a number or a link."""
    rustpy_xlsxwriter.write_worksheets(
        [(title[:31], _records(headers, cells)) for title, headers, cells in sheets], path,
        datetime_format="yyyy-mm-dd hh:mm")


def _temporary() -> str:
    """A private temporary file (mode 600): the file holds personal data."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    return path


def xlsx_chunks(cells: Iterable[list], title: str = "Tindak lanjut", headers: list[str] = HEADERS) -> Iterator[bytes]:
    """An XLSX file in chunks: written on disk in constant memory, then sent."""
    path = _temporary()
    try:
        _save(path, [(title, headers, cells)])
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def xlsx_bytes(sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> bytes:
    """An XLSX of several sheets (title, headers, cells), for a response made
    in one piece (the SHU conversion sheet): its temporary files are removed
    before the response goes out, so nothing of it stays on the server."""
    path = _temporary()
    try:
        _save(path, sheets)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def write_file(path, fmt: str, cells: Iterable[list], headers: list[str] = HEADERS,
               title: str = "Tindak lanjut") -> None:
    """Write the cells to a CSV or XLSX file at ``path`` (a background export),
    in constant memory."""
    if fmt == "xlsx":
        _save(str(path), [(title, headers, cells)])
        return
    with open(path, "w", encoding="utf-8", newline="") as f:
        for chunk in csv_chunks(cells, headers):
            f.write(chunk)
