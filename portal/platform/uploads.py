"""Uploaded files read safely: spreadsheets (CSV or XLSX) into rows, documents
(PDF, JPEG, PNG) recognised by their content, and a larger body for the few
views that take a file.

``read_table()`` never raises on bad input: every problem comes back as
``Problem(row, column, message)`` in plain Indonesian, with the row number
staff see in their spreadsheet (the header is row 1) and the column's label.
Hostile cells (OWASP "CSV Injection", HTML, control characters) are cleaned
or reported, never passed on as they are.
"""
from __future__ import annotations

import csv
import functools
import io
import itertools
import re
import unicodedata
import warnings
import zipfile
from datetime import date, datetime, time
from typing import NamedTuple

import python_calamine
from defusedxml import ElementTree
from flask import current_app, request

# Upload limits: a branch's batch of paper forms is a few hundred rows, a few
# tens of kilobytes; these leave room and still refuse anything absurd.
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
# An XLSX is a zip: refuse one that unpacks to far more than the most a file
# of its kind may weigh (a zip bomb). A spreadsheet's XML packs 5 to 10 times.
UNPACKED_RATIO = 20
MAX_UNPACKED = UNPACKED_RATIO * MAX_BYTES
# A formula in a worksheet's XML, with or without a namespace prefix.
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[ >/]")
MAX_CELL = 500

# C0/C1 control characters, zero-width marks and BOMs; tabs and line breaks
# inside a cell become spaces.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\ufeff]")
# Bidi marks, overrides and isolates reorder what is shown: a cell holding one is
# reported, not cleaned, since what staff see would not be what is stored.
BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BREAKS = re.compile(r"[\t\r\n]+")
# What a spreadsheet would run: =…, @…, and +/- followed by more than a number
# ("+62 812-3456-7890" is a phone number, "-2+3+cmd|' /C calc'!A0" is not).
FORMULA = re.compile(r"^\s*(?:[=@]|[+\-].*[^\d\s().+\-])")
HTML = re.compile(r"<\s*[a-zA-Z/!?]|&#?\w+;")


class Problem(NamedTuple):
    """What is wrong, where: row None means the whole file, column None the whole row."""

    row: int | None
    column: str | None
    message: str


class Table(NamedTuple):
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]


def header_key(text: str) -> str:
    """A header as compared: case, accents, spaces, stars and brackets ignored."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def clean_cell(value) -> str:
    """A cell as one line of plain text: numbers without '.0', dates as YYYY-MM-DD,
    control characters removed, line breaks and tabs turned into spaces."""
    if type(value) is str and value.isprintable():
        return value.strip()  # most cells: no break or control character to take out
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value.replace(microsecond=0)
    if isinstance(value, date):
        value = value.isoformat()
    text = BREAKS.sub(" ", str(value))
    return CONTROL.sub("", text).strip()


# Letters and digits, then dots, commas, slashes, hyphens and spaces: nothing
# any check below could object to (most cells of a large list).
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,/-]*")


def cell_problem(text: str) -> str | None:
    """Why a cleaned cell cannot be taken as it is, or None."""
    if len(text) <= MAX_CELL and PLAIN.fullmatch(text):
        return None
    if FORMULA.match(text):
        return "Berisi rumus spreadsheet. Tulis isinya saja, tanpa tanda = di depan"
    if BIDI.search(text):
        return "Berisi tanda arah teks yang tersembunyi. Ketik ulang isinya sebagai teks biasa"
    if HTML.search(text):
        return "Berisi kode (tanda < atau &). Tulis teks biasa saja"
    if len(text) > MAX_CELL:
        return f"Terlalu panjang, paling banyak {MAX_CELL} huruf"
    return None


def _encoding(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)  # checked whole here, then read a line at a time
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _csv_rows(data: bytes):
    encoding = _encoding(data)
    if encoding is None:
        raise ValueError("Berkas tidak bisa dibaca. Simpan sebagai CSV UTF-8 atau XLSX, lalu unggah lagi")
    # Line by line, never the whole text at once: a 445,000-line list held as
    # text costs several times the upload.
    lines = (line.replace("\x00", "") for line in io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""))
    first = next(lines, "")
    # Excel in Indonesian settings separates with ";" (the comma is the decimal sign).
    delimiter = max(",;\t", key=first.split("\n", 1)[0].count)
    for number, row in enumerate(csv.reader(itertools.chain([first], lines), delimiter=delimiter), start=1):
        yield number, row, [False] * len(row)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The path in the archive of the workbook's first sheet, the one both
    readers read; None when the workbook does not say it the usual way."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        first = ElementTree.fromstring(archive.read("xl/workbook.xml")).find(f"{main}sheets/{main}sheet")
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == first.get(relation))
    except Exception:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _has_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether the first sheet holds a formula (every sheet, when the first
    cannot be told), read in pieces: a sheet of 445,000 rows unpacks to about
    50 MB. A formula on a summary sheet of its own does not count."""
    names = archive.namelist()
    first = _first_sheet(archive)
    for name in [first] if first in names else [n for n in names if n.startswith("xl/worksheets/")
                                                  and n.endswith(".xml")]:
        with archive.open(name) as sheet:
            tail = b""
            while piece := sheet.read(1 << 20):
                if FORMULA_ELEMENT.search(tail + piece):
                    return True
                tail = piece[-16:]
    return False


def _xlsx_rows(data: bytes, max_unpacked: int = MAX_UNPACKED):
    """Rows of the first sheet. A workbook without formulas is read by
    calamine (Rust): a 445,000-row SHU list in under a second, where openpyxl
    takes over ten. One with formulas is read by openpyxl, which tells which
    cells hold one (calamine gives only their last computed values); so is
    one that unpacks to more than half the limit, since calamine holds every
    cell before the first row is checked, and openpyxl stops at the row limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_unpacked:
                raise ValueError("Berkas XLSX ini terlalu besar setelah dibuka")
            by_openpyxl = unpacked > max_unpacked // 2 or _has_formulas(archive)
        if not by_openpyxl:
            sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except ValueError:
        raise
    except Exception:
        raise ValueError("Berkas XLSX ini rusak atau bukan spreadsheet. Simpan ulang lalu unggah lagi")
    if not by_openpyxl:
        none = [False] * sheet.width
        for number, values in enumerate(sheet.iter_rows(), start=1):
            yield number, values, none
        return
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        raise ValueError("Berkas XLSX ini rusak atau bukan spreadsheet. Simpan ulang lalu unggah lagi")
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(), start=1):
            values = [cell.value for cell in row]
            formulas = [getattr(cell, "data_type", None) == "f" for cell in row]
            yield number, values, formulas
    finally:
        book.close()


class Problems(list):
    """The problems found so far; ``fatal`` once one of them ended the reading
    (a problem of the whole file: no rows of it may be used)."""

    fatal = False


def iter_table(data: bytes, columns: dict[str, str], problems: Problems, *, required=(),
               max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES,
               template: str = "Pakai templat dari halaman impor"):
    """``read_table``'s rows one at a time, for a list too long to hold twice
    (445,000 SHU lines): every problem goes into ``problems``, and a problem of
    the whole file ends the rows with ``problems.fatal`` set."""
    def fatal(problem: Problem):
        problems.append(problem)
        problems.fatal = True

    if not data:
        return fatal(Problem(None, None, "Berkasnya kosong"))
    if len(data) > max_bytes:
        return fatal(Problem(None, None, f"Berkas terlalu besar, paling besar {max_bytes // 1024} KB"))
    if data[:4] == b"PK\x03\x04":
        reader = functools.partial(_xlsx_rows, max_unpacked=UNPACKED_RATIO * max_bytes)
    else:
        reader = _csv_rows
    known = {}
    for key, label in columns.items():
        known[header_key(key)] = known[header_key(label)] = key
    header: list[str | None] | None = None
    count = 0
    try:
        for number, values, formulas in reader(data):
            texts = [clean_cell(v) for v in values]
            if not any(texts):
                continue
            if header is None:
                header = [known.get(header_key(t)) for t in texts]
                missing = [columns[k] for k in required if k not in header]
                if missing:
                    return fatal(Problem(1, None, "Kolom ini tidak ada: " + ", ".join(missing) + ". " + template))
                continue
            if count >= max_rows:
                return fatal(Problem(None, None, f"Terlalu banyak baris, paling banyak {max_rows}. "
                                     "Bagi menjadi beberapa berkas"))
            row: dict[str, str] = {}
            for key, text, formula in zip(header, texts, formulas):
                if key is None or key in row:
                    continue
                problem = cell_problem("=" if formula else text)
                if problem:
                    problems.append(Problem(number, columns[key], problem))
                else:
                    row[key] = text
            count += 1
            yield number, row
    except (ValueError, csv.Error) as exc:
        message = str(exc) if isinstance(exc, ValueError) else "Berkas CSV ini rusak. Simpan ulang lalu unggah lagi"
        problems[:] = []
        return fatal(Problem(None, None, message))
    if header is None:
        problems.append(Problem(None, None, "Berkasnya kosong"))


def read_table(data: bytes, columns: dict[str, str], *, required=(), max_rows: int = MAX_ROWS,
               max_bytes: int = MAX_BYTES, template: str = "Pakai templat dari halaman impor") -> Table:
    """Rows of an uploaded CSV or XLSX, keyed by column key.

    ``columns`` maps each known key to the label printed in the template's
    header; a header cell matches its key or its label, ignoring case, accents
    and punctuation; ``template`` tells staff where the right headers are. Unknown columns are ignored; missing ``required`` ones are
    a problem of the whole file. Empty rows are skipped. A cell with a problem
    is left out of its row (so a caller never stores it) and reported.
    """
    problems = Problems()
    rows = list(iter_table(data, columns, problems, required=required, max_rows=max_rows,
                           max_bytes=max_bytes, template=template))
    return Table([] if problems.fatal else rows, list(problems))


# Where each kind of file ends: anything after it (an HTML page appended to a
# valid picture, a "polyglot") is refused, since it is not part of the document.
PNG_END = b"IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"
PDF_END = b"%%EOF"


def sniff_document(data: bytes) -> str | None:
    """'pdf', 'jpeg' or 'png' when the content really is one and nothing else,
    else None (the file name and the browser's content type are not trusted):
    a picture is decoded in full, a PDF parsed, and nothing may follow its end."""
    if data.startswith(b"%PDF-"):
        return "pdf" if _is_pdf(data) else None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png" if data.endswith(PNG_END) and _is_image(data, "PNG") else None
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg" if data.endswith(JPEG_END) and _is_image(data, "JPEG") else None
    return None


def _is_image(data: bytes, kind: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # A small file that claims a huge picture (decompression bomb).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != kind:
                    return False
                image.verify()  # the structure and checksums...
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # ...and every pixel decoded (verify leaves the image unusable)
    except Exception:
        return False
    return True


def _is_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    if not data.rstrip().endswith(PDF_END):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about harmless oddities of scanners
            reader = PdfReader(io.BytesIO(data), strict=True)
            return len(reader.pages) > 0 and all(page.mediabox.width > 0 for page in reader.pages)
    except Exception:
        return False


# ---------------------------------------------------------------- request size

def too_big(max_bytes: int) -> str:
    """The message for a file over ``max_bytes``, in the unit staff know (KB or MB)."""
    if max_bytes >= 1024 * 1024:
        return f"Berkas terlalu besar. Paling besar {max_bytes // (1024 * 1024)} MB"
    return f"Berkas terlalu besar. Paling besar {max_bytes // 1024} KB"


def accepts_upload(max_bytes: int = MAX_BYTES):
    """Let this view receive a body up to ``max_bytes`` (plus the form's own
    fields) instead of the global MAX_CONTENT_LENGTH. The limit is set before
    CSRF protection reads the body (see ``init_app``)."""
    def mark(view):
        view.upload_limit = max_bytes + 64 * 1024
        view.upload_max = max_bytes  # the documented limit, for the 413 page's message
        return view
    return mark


def upload_max() -> int | None:
    """The documented file limit of the view handling this request, if it takes a file."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "upload_max", None)


def _raise_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "upload_limit", None)
    if limit:
        # Werkzeug also holds file parts to the form-memory limit while it
        # parses the multipart body, so both limits are raised for uploads.
        request.max_content_length = limit
        request.max_form_memory_size = limit


def init_app(app) -> None:
    """Run first among before-request functions: CSRF protection parses the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, _raise_limit)
