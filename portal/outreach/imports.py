"""Paper forms typed into a spreadsheet: a template, a row-by-row check, and a
store that adds each form number once, however often the file is uploaded.

The check runs every row through the public form (``InterestForm``), so a row
is refused for exactly the reasons a member's own submission would be.
"""
from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import timedelta
from typing import NamedTuple

from openpyxl import Workbook
from sqlalchemy import delete
from werkzeug.datastructures import MultiDict

from kkbc import choices, data

from . import assisted, paper
from ..rat import conversion
from ..platform import uploads
from ..extensions import db
from ..models import PendingImport, utcnow
from ..public import InterestForm

# How long an upload waits for staff to confirm it (it holds personal data).
PENDING_MINUTES = 30
# Rows per file: storing is about 170 rows a second (bench/paper.py), so a full
# file is stored well within one request; a RAT's forms fit, or split in two.
MAX_ROWS = 1000
FORM_FIELDS = ["nama", "nomor_hp", "nomor_anggota", "kabupaten", "pekerjaan", "usia_18", "program", "shu",
               "shu_cara", "shu_persen", "shu_rupiah", "shu_bulan", "kontak", "setuju_dihubungi", "setuju_data"]
RADIOS = {"pekerjaan": choices.OCCUPATIONS, "program": choices.PACKAGES, "shu": choices.SHU_CHOICES,
          "shu_cara": choices.SHU_AMOUNT_KINDS}
TICKS = ("usia_18", "setuju_dihubungi", "setuju_data")
YES = {"ya", "y", "v", "x", "1", "true", "setuju", "iya", "sudah"}
PAPER_METHODS = {"tanda tangan": "kertas", "ditandatangani": "kertas", "kertas": "kertas",
                 "cap jempol": "cap-jempol", "jempol": "cap-jempol", "cap": "cap-jempol"}
DUPLICATE = "Nomor formulir ini ada dua kali di berkas (juga di baris {row}). Satu formulir satu baris"
ALREADY = "Sudah dimasukkan sebelumnya. Baris ini tidak disimpan lagi"
MISSING_NUMBER = "Tulis nomor formulir dari pojok kanan atas formulir kertas"
SAME_MEMBER = ("Nomor anggota ini juga ada di baris {row} dengan nama lain ({name}). "
               "Periksa kedua formulir: satu nomor anggota untuk satu orang")


def problems_in(problems: list[uploads.Problem], column: str) -> bool:
    """A column has a problem."""
    return any(p.column == column for p in problems)


def columns() -> dict[str, str]:
    """Column key to the header printed in the template: the form's own labels."""
    form = InterestForm(formdata=None, meta={"csrf": False})
    labels = {"nomor_formulir": "Nomor formulir"}
    labels.update({key: getattr(form, key).label.text for key in FORM_FIELDS})
    labels["cara"] = "Tanda tangan atau cap jempol"
    return labels


def _example() -> list[str]:
    # Form number 0000-000-0 belongs to no batch: an example row left in is refused.
    return ["0000-000-0", "Contoh (hapus baris ini)", "0812 3456 7890", "", data.kabupaten()["53.07"],
            choices.OCCUPATIONS["penenun"], "Ya", choices.PACKAGES["jkk-jkm"], choices.SHU_CHOICES["setuju"],
            choices.SHU_AMOUNT_KINDS["persen"], "50", "", "", "WhatsApp", "Ya", "Ya", "Tanda tangan"]


def template_csv() -> str:
    """The import template as CSV (UTF-8 with a BOM, so Excel reads it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(columns().values())
    writer.writerow(_example())
    return buffer.getvalue()


def template_xlsx() -> bytes:
    """The import template as XLSX."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Formulir kertas"
    sheet.append(list(columns().values()))
    sheet.append(_example())
    for cell in sheet[2]:
        cell.number_format = "@"  # text: phone numbers keep their leading 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choice(text: str, options: dict) -> str:
    """A key from what staff wrote: the key itself or the label, in any case."""
    wanted = uploads.header_key(text)
    for key, label in options.items():
        if wanted in (uploads.header_key(key), uploads.header_key(label)):
            return key
    return text


def _kabupaten(text: str) -> str:
    wanted = uploads.header_key(text)
    names = data.kabupaten()
    exact = [code for code, name in names.items() if wanted in (uploads.header_key(code), uploads.header_key(name))]
    short = [code for code, name in names.items() if uploads.header_key(name.split(" ", 1)[-1]) == wanted]
    found = exact or (short if len(short) == 1 else [])
    return found[0] if found else text


def _formdata(row: dict, cooperative: str) -> MultiDict:
    pairs = [("koperasi", cooperative)]
    for key in FORM_FIELDS:
        value = row.get(key, "")
        if key in TICKS:
            if uploads.header_key(value) in YES or value == "✓":
                pairs.append((key, "y"))
        elif key == "kontak":
            for part in value.replace(";", ",").split(","):
                if part.strip():
                    pairs.append((key, _choice(part, choices.CONTACT_CHANNELS)))
        elif key in RADIOS:
            pairs.append((key, _choice(value, RADIOS[key]) if value else ""))
        elif key == "kabupaten":
            pairs.append((key, _kabupaten(value) if value else ""))
        else:
            pairs.append((key, value))
    return MultiDict(pairs)


class Row(NamedTuple):
    number: int
    form_number: str | None
    written: str  # the form number as typed, shown when it is not a valid one
    member_number: str  # as typed
    values: dict | None  # what consent.submit takes, when the row can be stored
    method: str
    problems: list[uploads.Problem]
    already: bool


def check(content: bytes, cooperative: str) -> tuple[list[Row], list[uploads.Problem]]:
    """Every row with its problems; the problems of the whole file apart."""
    labels = columns()
    table = uploads.read_table(content, labels, required=("nomor_formulir", "nama", "nomor_hp"),
                               max_rows=MAX_ROWS)
    by_row: dict[int, list[uploads.Problem]] = {}
    for p in table.problems:
        if p.row is not None and p.row > 1:
            by_row.setdefault(p.row, []).append(p)
    file_problems = [p for p in table.problems if p.row is None or p.row == 1]
    seen: dict[str, int] = {}
    members: dict[str, tuple[int, str]] = {}  # member number -> (first row, name)
    rows = []
    for number, cells in table.rows:
        problems = list(by_row.get(number, []))
        form_number = paper.normalise(cells.get("nomor_formulir"))
        already = False
        message = paper.problem(cells.get("nomor_formulir"), cooperative)
        if not cells.get("nomor_formulir"):
            message = None if problems_in(problems, labels["nomor_formulir"]) else MISSING_NUMBER
        elif message == paper.USED:
            already, message = True, ALREADY
        elif form_number in seen:
            message = DUPLICATE.format(row=seen[form_number])
        if message:
            problems.append(uploads.Problem(number, labels["nomor_formulir"], message))
        if form_number:
            seen.setdefault(form_number, number)
        member, name = conversion.normalise_member_number(cells.get("nomor_anggota", "")), cells.get("nama", "")
        if member:
            first_row, first_name = members.setdefault(member, (number, name))
            if uploads.header_key(first_name) != uploads.header_key(name):
                problems.append(uploads.Problem(number, labels["nomor_anggota"],
                                        SAME_MEMBER.format(row=first_row, name=first_name)))
        form = InterestForm(formdata=_formdata(cells, cooperative), meta={"csrf": False})
        valid = form.validate()
        for key, errors in form.errors.items():
            if key in labels and not problems_in(problems, labels[key]):
                problems.append(uploads.Problem(number, labels[key], errors[0]))
        method = PAPER_METHODS.get(uploads.header_key(cells.get("cara", "")), "kertas" if not cells.get("cara") else "")
        if not method:
            problems.append(uploads.Problem(number, labels["cara"], "Tulis “Tanda tangan” atau “Cap jempol”"))
        values = None
        if valid and not problems:
            values = dict(name=form.nama.data, phone=form.phone_e164, member_number=form.nomor_anggota.data,
                          other_cooperative=None, chosen=form.choices_record())
        rows.append(Row(number, form_number, cells.get("nomor_formulir", ""), cells.get("nomor_anggota", ""), values, method, problems, already))
    return rows, file_problems


def store(rows: list[Row], cooperative: str, actor: str) -> tuple[int, int, int]:
    """Store the good rows; (stored, refused, already entered). The caller commits."""
    stored = refused = already = 0
    for row in rows:
        if row.already or (row.values and paper.problem(row.form_number, cooperative) == paper.USED):
            already += 1
            continue
        if row.values is None:
            refused += 1
            continue
        assisted.register(key=paper.idempotency_key(row.form_number), values=row.values,
                          source={"jalur": "impor", "koperasi": cooperative}, actor=actor,
                          channel=assisted.IMPORT_CHANNEL, method=row.method, form_number=row.form_number)
        stored += 1
    return stored, refused, already


def keep(content: bytes, user_id: int, cooperative: str) -> PendingImport:
    """Hold a checked upload until staff confirm it; expired ones are forgotten
    first (the caller commits). Its id is the unguessable token of its page."""
    forget_expired()
    upload = PendingImport(id=secrets.token_urlsafe(16), user_id=user_id, cooperative=cooperative,
                           sha256=hashlib.sha256(content).hexdigest(), content=content)
    db.session.add(upload)
    return upload


def forget(upload: PendingImport) -> None:
    """Delete a confirmed upload: its rows are stored, the file is not kept (the caller commits)."""
    db.session.delete(upload)


def forget_expired() -> None:
    """Delete uploads nobody confirmed in time (the caller commits)."""
    cutoff = utcnow() - timedelta(minutes=PENDING_MINUTES)
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < cutoff))


def pending(token: str, user_id: int, cooperative: str) -> PendingImport | None:
    """The user's own upload for this cooperative, if still fresh."""
    found = db.session.get(PendingImport, token) if len(token) <= 32 else None
    if found is None or found.user_id != user_id or found.cooperative != cooperative:
        return None
    created = found.created_at if found.created_at.tzinfo else found.created_at.replace(tzinfo=utcnow().tzinfo)
    if created < utcnow() - timedelta(minutes=PENDING_MINUTES):
        return None
    return found
