"""Every documented upload limit, held by the real gunicorn with files of the
sizes a cooperative really has: a 12-megapixel phone photo of the signed berita
acara (5 MB limit), a branch's import of 1,000 paper forms (1 MB, 1,000 rows),
and an SHU list of a cooperative's whole membership (10 MB). A file just over
each limit gets the Indonesian 413 page that names the limit."""
from __future__ import annotations

import csv
import http.client
import io
import re
import secrets
import urllib.parse
import zipfile

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from PIL import Image

from harness.servers import fetch
from kkbc import choices
from portal import create_app
from portal.followup import exports
from portal.rat import documents
from portal.outreach import imports, paper
from portal.platform import uploads
from portal.rat.conversion import MAX_BYTES as SHU_MAX
from tests.test_operations import cookie_header, csrf_of, demo_season, log_in

MB = 1024 * 1024


def send_file(base: str, jar, path: str, fields: dict, name: str, content: bytes, mimetype: str):
    """POST a multipart form with one file, as a browser's file input sends it. A
    server that refuses a large body answers before reading it all, so the
    answer is read even when it closes the connection mid-upload (as browsers do)."""
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="{name}"\r\n'
                 f"Content-Type: {mimetype}\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=120)
    connection.putrequest("POST", path)
    for header, value in (("Content-Type", f"multipart/form-data; boundary={boundary}"),
                          ("Content-Length", str(len(body))), ("Cookie", cookie_header(jar))):
        connection.putheader(header, value)
    connection.endheaders()
    try:
        connection.send(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused before the end of the body: the answer is already on its way
    response = connection.getresponse()
    try:
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def phone_photo() -> bytes:
    """A 12-megapixel JPEG of about 4 MB: a paper page's light gradient with the
    sensor noise that makes a real phone photo weigh what it does."""
    size = (4000, 3000)
    page = Image.linear_gradient("L").resize(size).point(lambda v: 150 + v // 3)
    red, green = (Image.blend(page, Image.effect_noise(size, 40), 0.5) for _ in range(2))
    out = io.BytesIO()
    Image.merge("RGB", (red, green, page)).save(out, "JPEG", quality=85)
    return out.getvalue()


def padded_jpeg(photo: bytes, size: int) -> bytes:
    """The same photo grown to exactly ``size`` bytes by a comment segment (still a valid JPEG)."""
    grow = size - len(photo)
    segments = []
    while grow > 0:
        chunk = min(grow - 4, 65533) if grow > 4 else 0
        segments.append(b"\xff\xfe" + (chunk + 2).to_bytes(2, "big") + b"\0" * chunk)
        grow -= chunk + 4
    return photo[:2] + b"".join(segments) + photo[2:]


def error_text(body: str) -> str:
    """The field's error message, or the error page's."""
    page = BeautifulSoup(body, "html.parser")
    found = page.select_one(".portal-field-error") or page.select_one("main p")
    return " ".join(found.get_text(" ").split()).removeprefix("Galat: ") if found else ""


@pytest.fixture(scope="module")
def season(built_site, tmp_path_factory):
    """gunicorn (two workers) on the demo RAT season, with one officer of each cooperative."""
    instance = tmp_path_factory.mktemp("limits")
    with demo_season(built_site, instance, {"ani": "pintu-air", "oki": "obor-mas"}) as (url, printed):
        sheet_path = re.search(r"Lembar konversi: (\S+)", printed).group(1)
        yield url, sheet_path, instance / "demo-shu-pintu-air-2026.csv"


@pytest.fixture(scope="module")
def labels(tmp_path_factory):
    """The import template's column headers (the public form's own labels)."""
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SITE_DIR": "/nonexistent"})
    with app.test_request_context():
        return list(imports.columns().values())


def test_a_phone_photo_of_the_berita_acara_is_taken_and_a_larger_one_refused(season):
    base, *_ = season
    opener, jar, _ = log_in(base, "oki")
    _, _, body = fetch(opener, base + "/admin/rat/obor-mas")
    draft = BeautifulSoup(body, "html.parser").find("a", href=re.compile(r"^/admin/rat/obor-mas/\d+$"))["href"]
    photo = phone_photo()
    assert 3.5 * MB < len(photo) < 4.5 * MB, len(photo)
    with Image.open(io.BytesIO(photo)) as image:
        assert image.size == (4000, 3000)
    for content in (photo, padded_jpeg(photo, documents.MAX_BYTES)):
        status, headers, _ = send_file(base, jar, draft + "/berkas", {"csrf_token": csrf_of(opener, base + draft)},
                                       "IMG_20270424_101500.jpg", content, "image/jpeg")
        assert (status, headers["Location"]) == (303, draft), len(content)
    for content in (padded_jpeg(photo, documents.MAX_BYTES + 1), padded_jpeg(photo, documents.MAX_BYTES + 200_000)):
        status, _, body = send_file(base, jar, draft + "/berkas", {"csrf_token": csrf_of(opener, base + draft)},
                                    "IMG_20270424_101501.jpg", content, "image/jpeg")
        assert status == 413, len(content)
        assert error_text(body).startswith("Berkas terlalu besar. Paling besar 5 MB"), error_text(body)


def paper_rows(count: int) -> list[list[str]]:
    """``count`` filled-in paper forms of the batches made first (ids 1, 2, ...), as typed at a branch."""
    rows = []
    for n in range(count):
        number = paper.display(paper.number_for(n // paper.MAX_BATCH + 1, n % paper.MAX_BATCH + 1))
        rows.append([number, f"Anggota Cabang Maumere {n + 1}", f"0812 {3000 + n // 1000:04d} {n % 10000:04d}",
                     f"PA-{30000 + n}", "Kabupaten Sikka", choices.OCCUPATIONS["penenun"], "Ya",
                     choices.PACKAGES["jkk-jkm"], choices.SHU_CHOICES["setuju"], choices.SHU_AMOUNT_KINDS["persen"],
                     "50", "", "", "WhatsApp", "Ya", "Ya", "Tanda tangan"])
    return rows


def as_csv(labels, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(labels)
    writer.writerows(rows)
    return out.getvalue().encode()


def as_xlsx(labels, rows) -> bytes:
    book = Workbook()
    book.active.append(labels)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_branch_import_of_1000_forms_is_read_and_a_larger_file_refused(season, labels):
    base, *_ = season
    opener, jar, _ = log_in(base, "ani")
    page = base + "/admin/formulir/pintu-air/"
    for _ in range(1000 // paper.MAX_BATCH):
        status, _, _ = fetch(opener, page, {"csrf_token": csrf_of(opener, page), "jumlah": str(paper.MAX_BATCH),
                                            "keterangan": "Cabang Maumere"})
        assert status == 303
    rows = paper_rows(1000)
    upload = "/admin/formulir/pintu-air/impor"
    for name, content, mimetype in (("impor.csv", as_csv(labels, rows), "text/csv"),
                                    ("impor.xlsx", as_xlsx(labels, rows), "application/octet-stream")):
        assert len(content) < uploads.MAX_BYTES
        status, headers, _ = send_file(base, jar, upload, {"csrf_token": csrf_of(opener, base + upload)}, name, content, mimetype)
        assert status == 303, name
        _, _, body = fetch(opener, base + headers["Location"])
        summary = " ".join(BeautifulSoup(body, "html.parser").select_one("main p").get_text(" ").split())
        assert summary.startswith("1.000 dari 1.000 baris siap disimpan"), (name, summary)

    big = as_csv(labels, rows * 8)  # a whole season's forms in one file: over 1 MB
    assert len(big) > uploads.MAX_BYTES + 64 * 1024
    just_over = as_csv(labels, rows)
    just_over += b"\n" * (uploads.MAX_BYTES + 1 - len(just_over))  # blank lines: only the size is wrong
    for content in (just_over, big):
        status, _, body = send_file(base, jar, upload, {"csrf_token": csrf_of(opener, base + upload)}, "impor.csv",
                                    content, "text/csv")
        assert status == 413, len(content)
        assert error_text(body).startswith("Berkas terlalu besar. Paling besar 1 MB"), error_text(body)


def shu_list(rows: int, header: str = "Nomor anggota;SHU") -> bytes:
    """A finance office's SHU list: one member a line, as their ledger exports it."""
    lines = [header] + [f"PA-{n:06d};{150_000 + n % 2_350_000}" for n in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode()


def test_shu_lists_up_to_the_limit_are_taken_and_a_larger_one_is_refused(season):
    base, sheet_path, demo_list = season
    opener, jar, _ = log_in(base, "ani")
    url = base + sheet_path
    fields = lambda: {"csrf_token": csrf_of(opener, url), "mulai": "2027-04", "bentuk": "layar"}  # noqa: E731
    # The demo's list, made one byte short of the limit by the blank lines a spreadsheet leaves.
    listed = demo_list.read_bytes()
    just_under = listed + b"\r\n" * ((SHU_MAX - len(listed)) // 2)
    assert SHU_MAX - 2 <= len(just_under) <= SHU_MAX
    status, _, body = send_file(base, jar, sheet_path, fields(), "shu-2026.csv", just_under, "text/csv")
    assert status == 200
    assert BeautifulSoup(body, "html.parser").select_one(".rat-figure").get_text().startswith("Ditransfer ke BPJS")

    # Kopdit Pintu Air's whole membership, 445,000 rows, passes the size limits: the
    # server reads it (here its ledger's own header, which it explains) instead of a 413.
    whole = shu_list(445_000, header="No. Anggota;Jumlah SHU")
    assert 7 * MB < len(whole) < SHU_MAX
    status, _, body = send_file(base, jar, sheet_path, fields(), "shu-2026.csv", whole, "text/csv")
    assert status == 400
    assert "Kolom ini tidak ada: Nomor anggota, SHU" in BeautifulSoup(body, "html.parser").get_text(" ")

    just_over = listed + b"\r\n" * ((SHU_MAX - len(listed)) // 2 + 1)
    assert len(just_over) > SHU_MAX
    for content in (just_over, whole * 2):
        status, _, body = send_file(base, jar, sheet_path, fields(), "shu-2026.csv", content, "text/csv")
        assert status == 413, len(content)
        assert error_text(body).startswith("Berkas terlalu besar. Paling besar 10 MB"), error_text(body)


def test_the_whole_membership_as_an_xlsx_is_read_whole(season):
    """Pintu Air's 445,000 members saved as XLSX unpack to about 50 MB, more
    than a small upload may (its zip-bomb guard scales with the kind of file),
    and the sheet is made from all of them: the same figure as the demo's own
    list, since the other lines match no consent."""
    base, sheet_path, demo_list = season
    opener, jar, _ = log_in(base, "ani")
    url = base + sheet_path
    fields = lambda: {"csrf_token": csrf_of(opener, url), "mulai": "2027-04", "bentuk": "layar"}  # noqa: E731
    listed = demo_list.read_bytes()
    status, _, body = send_file(base, jar, sheet_path, fields(), "shu-2026.csv", listed, "text/csv")
    assert status == 200
    figure = BeautifulSoup(body, "html.parser").select_one(".rat-figure").get_text()
    demo = list(csv.reader(io.StringIO(listed.decode("utf-8-sig")), delimiter=";" if b";" in listed[:80] else ","))
    rows = demo[1:] + [[f"PX-{n:06d}", 150_000 + n] for n in range(445_000 - len(demo) + 1)]
    whole = exports.xlsx_bytes([("Daftar SHU", demo[0], rows)])
    assert len(whole) < SHU_MAX and uploads.MAX_UNPACKED < unpacked(whole)
    status, _, body = send_file(base, jar, sheet_path, fields(), "shu-2026.xlsx", whole,
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert status == 200, error_text(body)
    page = BeautifulSoup(body, "html.parser")
    assert page.select_one(".rat-figure").get_text() == figure


def unpacked(xlsx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return sum(info.file_size for info in archive.infolist())
