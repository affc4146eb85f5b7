"""Uploaded spreadsheets and documents: rows, problems, hostile cells, limits."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from flask import request
from flask_wtf.csrf import generate_csrf
from openpyxl import Workbook
from PIL import Image

from portal.platform import uploads
from portal.platform.uploads import Problem
from tests.actions import pdf_bytes

COLUMNS = {"nama": "Nama", "nomor_hp": "Nomor HP", "nomor_formulir": "Nomor formulir"}


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, **kwargs):
    return uploads.read_table(data, COLUMNS, required=("nama", "nomor_formulir"), **kwargs)


def test_csv_header_labels_or_keys_in_any_case_and_order():
    data = "NOMOR HP;nama;Nomor Formulir*;Catatan\n0812 3456 7890;Maria Goreti;F-0001;x\n;;;\n".encode()
    table = read(data)
    assert table.problems == []
    assert table.rows == [(2, {"nomor_hp": "0812 3456 7890", "nama": "Maria Goreti", "nomor_formulir": "F-0001"})]


def test_excel_csv_in_windows_encoding_with_bom_and_commas():
    data = "\ufeffNama,Nomor formulir\nJosé Ndun,F-2\n".encode("utf-8")
    assert read(data).rows == [(2, {"nama": "José Ndun", "nomor_formulir": "F-2"})]
    data = "Nama,Nomor formulir\nJos\xe9 Ndun,F-2\n".encode("cp1252")
    assert read(data).rows == [(2, {"nama": "José Ndun", "nomor_formulir": "F-2"})]


def test_xlsx_numbers_read_as_people_typed_them():
    table = read(xlsx([["Nama", "Nomor formulir", "Nomor HP"], ["Yohanes", 12, 81234567890.0]]))
    assert table.rows == [(2, {"nama": "Yohanes", "nomor_formulir": "12", "nomor_hp": "81234567890"})]


def test_missing_required_column_is_a_problem_of_the_header():
    table = read(b"Nama,Nomor HP\nMaria,0812\n")
    assert table.rows == []
    assert table.problems == [Problem(1, None, "Kolom ini tidak ada: Nomor formulir. Pakai templat dari halaman impor")]


@pytest.mark.parametrize("cell", [
    "=HYPERLINK(\"http://x.example\",\"klik\")", "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0", "<script>alert(1)</script>", "Maria &lt;b&gt;",
])
def test_hostile_cells_are_reported_and_left_out(cell):
    table = read(f'Nama,Nomor formulir\n"{cell.replace(chr(34), chr(34) * 2)}",F-1\n'.encode())
    assert table.rows == [(2, {"nomor_formulir": "F-1"})]
    assert [(p.row, p.column) for p in table.problems] == [(2, "Nama")]


def test_xlsx_formula_cell_is_reported_even_without_an_equals_sign_in_its_value():
    table = read(xlsx([["Nama", "Nomor formulir"], ["=1+1", "F-1"]]))
    assert table.problems == [Problem(2, "Nama", "Berisi rumus spreadsheet. Tulis isinya saja, tanpa tanda = di depan")]


def test_both_xlsx_readers_give_the_same_rows():
    """A workbook without formulas is read by calamine, one with a formula by
    openpyxl: the same cells come out the same, row numbers included."""
    rows = [[None, None, None], ["Nama", "Nomor formulir", "Tanggal isi"],
            ["Maria Goreti", 12345.0, datetime(2027, 3, 13)], [None, None, None],
            ["Ani", "F-2", date(2027, 3, 14)], [True, -5, 2.5]]
    columns = {**COLUMNS, "tanggal_isi": "Tanggal isi"}
    fast = uploads.read_table(xlsx(rows), columns)
    slow = uploads.read_table(xlsx([*rows, ["=1+1", "F-9", None]]), columns)
    assert fast.rows == slow.rows[:len(fast.rows)] and len(slow.rows) == len(fast.rows) + 1
    assert fast.rows[0] == (3, {"nama": "Maria Goreti", "nomor_formulir": "12345", "tanggal_isi": "2027-03-13"})
    assert slow.problems == [Problem(7, "Nama", "Berisi rumus spreadsheet. Tulis isinya saja, tanpa tanda = di depan")]


@pytest.mark.parametrize("element", [b"<f>1+1</f>", b'<f t="shared" ref="A2:A9" si="0"/>', b"<x:f>1+1</x:f>"])
def test_a_formula_is_found_wherever_it_sits_in_the_sheet(element):
    """Also across the pieces the sheet is read in, and with a namespace prefix."""
    for padding in (0, (1 << 20) - 2, (1 << 20) + 5):
        book = io.BytesIO()
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b" " * padding + element)
        with zipfile.ZipFile(book) as archive:
            assert uploads._has_formulas(archive), (element, padding)
    with zipfile.ZipFile(io.BytesIO(xlsx([["Nama"], ["<filterColumn> is text"]]))) as archive:
        assert not uploads._has_formulas(archive)


def test_a_formula_on_a_summary_sheet_leaves_the_list_to_the_fast_reader():
    """Only the first sheet is read, so only its formulas count."""
    book = Workbook()
    book.active.append(["Nama", "Nomor formulir"])
    book.active.append(["Ani", "F-1"])
    book.create_sheet("Rekap")["A1"] = "=COUNTA(Sheet!A:A)"
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        assert uploads._first_sheet(archive) == "xl/worksheets/sheet1.xml"
        assert not uploads._has_formulas(archive)
    table = read(buffer.getvalue())
    assert table.problems == [] and table.rows == [(2, {"nama": "Ani", "nomor_formulir": "F-1"})]


def test_phone_numbers_with_plus_and_dashes_are_not_formulas():
    table = read("Nama,Nomor formulir,Nomor HP\nMaria,F-1,+62 812-3456-7890\nAni,F-2,-\n".encode())
    assert table.problems == []
    assert table.rows[0][1]["nomor_hp"] == "+62 812-3456-7890"


def test_control_characters_and_line_breaks_are_cleaned():
    data = 'Nama,Nomor formulir\n"Ma\x00ri\x1ba\r\nGoreti\u200b",F-1\n'.encode()
    assert read(data).rows == [(2, {"nama": "Maria Goreti", "nomor_formulir": "F-1"})]


def test_a_bidi_override_is_reported_not_stored():
    """U+202E shows a name backwards from what is stored: the cell is refused."""
    data = 'Nama,Nomor formulir\n"\u202eareB anahoY",F-1\n'.encode()
    table = read(data)
    assert table.rows == [(2, {"nomor_formulir": "F-1"})]
    assert table.problems == [Problem(2, "Nama", "Berisi tanda arah teks yang tersembunyi. "
                                                 "Ketik ulang isinya sebagai teks biasa")]


def test_size_and_row_limits():
    assert read(b"Nama,Nomor formulir\n" + b"x,y\n" * 10, max_bytes=50).problems == [
        Problem(None, None, "Berkas terlalu besar, paling besar 0 KB")]
    table = read(b"Nama,Nomor formulir\n" + b"x,y\n" * 4, max_rows=3)
    assert table.rows == []
    assert table.problems == [Problem(None, None, "Terlalu banyak baris, paling banyak 3. Bagi menjadi beberapa berkas")]


def test_empty_broken_and_bomb_files_are_problems_not_errors():
    assert read(b"").problems == [Problem(None, None, "Berkasnya kosong")]
    assert read(b"\n\n ,\n").problems == [Problem(None, None, "Berkasnya kosong")]
    assert read(b"PK\x03\x04 not really a zip").problems == [
        Problem(None, None, "Berkas XLSX ini rusak atau bukan spreadsheet. Simpan ulang lalu unggah lagi")]
    assert read(bytes([0x81, 0x8d, 0x8f]) * 3).problems == [
        Problem(None, None, "Berkas tidak bisa dibaca. Simpan sebagai CSV UTF-8 atau XLSX, lalu unggah lagi")]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (uploads.MAX_UNPACKED + 1))
    assert len(bomb.getvalue()) < uploads.MAX_BYTES
    assert read(bomb.getvalue()).problems == [Problem(None, None, "Berkas XLSX ini terlalu besar setelah dibuka")]


def _image(kind: str, size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, kind)
    return buffer.getvalue()


def test_sniff_document_by_content():
    assert uploads.sniff_document(pdf_bytes(2)) == "pdf"
    assert uploads.sniff_document(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n") is None  # no pages, no xref
    assert uploads.sniff_document(b"%PDF-1.4 cut off") is None
    assert uploads.sniff_document(_image("JPEG")) == "jpeg"
    assert uploads.sniff_document(_image("PNG")) == "png"
    assert uploads.sniff_document(_image("GIF")) is None
    assert uploads.sniff_document(b"\x89PNG\r\n\x1a\n" + b"rubbish" * 10) is None
    assert uploads.sniff_document(b"<html><script>") is None


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize("polyglot", [
    _image("PNG") + HTML,  # a valid PNG with a page appended
    _image("JPEG") + HTML,
    b"%PDF-1.4\n" + HTML + b"\n%%EOF\n",  # a page wrapped in a PDF's first and last lines
    pdf_bytes() + HTML,
    _image("PNG")[:-40] + HTML + _image("PNG")[-12:],  # pixels cut short, the end marker kept
])
def test_polyglot_documents_are_refused(polyglot):
    assert uploads.sniff_document(polyglot) is None


def test_sniff_document_refuses_a_decompression_bomb(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert uploads.sniff_document(_image("PNG", (20, 20))) is None


def test_only_a_marked_view_takes_a_large_body(sqlite_app):
    @uploads.accepts_upload(200 * 1024)
    def upload():
        if request.method == "GET":
            return generate_csrf()
        return str(len(request.files["berkas"].read()))

    sqlite_app.add_url_rule("/uji-unggah", view_func=upload, methods=["GET", "POST"])
    client = sqlite_app.test_client()
    token = client.get("/uji-unggah").get_data(as_text=True)
    body = b"x" * (150 * 1024)
    response = client.post("/uji-unggah", data={"csrf_token": token, "berkas": (io.BytesIO(body), "a.csv")})
    assert response.status_code == 200 and response.get_data(as_text=True) == str(len(body))
    too_big = {"csrf_token": token, "berkas": (io.BytesIO(b"x" * (300 * 1024)), "a.csv")}
    assert client.post("/uji-unggah", data=too_big).status_code == 413
    # Everywhere else the global 64 KB limit holds.
    assert client.post("/daftar/", data={"nama": "x" * (100 * 1024)}).status_code == 413
