"""Hostile values typed by a 'member' travel safely to every page staff open
and to every export: escaped in HTML, inert in spreadsheets."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import Submission
from tests.actions import submit
from tests.conftest import soup

HOSTILE_NAME = "=HYPERLINK(\"http://jahat.example\",\"klik\") & 'Ina' \"x\""
HOSTILE_MEMBER_NUMBER = "@SUM(1+1)"
HOSTILE_OTHER = "-2+3 Kopdit \"Palsu\""


@pytest.fixture
def hostile(app):
    response = submit(app.test_client(), path="/k/pintu-air", nama=HOSTILE_NAME,
                      nomor_anggota=HOSTILE_MEMBER_NUMBER)
    assert response.status_code == 303
    other = submit(app.test_client(), koperasi="lainnya", koperasi_lain=HOSTILE_OTHER,
                   nama="+62 Umbu", nomor_hp="0821 4400 6677")
    assert other.status_code == 303
    with app.app_context():
        return {s.cooperative: s.id for s in db.session.scalars(select(Submission))}, response.headers["Location"]


def test_escaped_on_the_members_own_pages(app, hostile):
    ids, receipt = hostile
    client = app.test_client()
    html = client.get(receipt).get_data(as_text=True)
    manage = soup(client.get(receipt)).select_one('a[href^="/kelola/"]')["href"]
    for page in (html, client.get(manage).get_data(as_text=True)):
        assert "=HYPERLINK(&#34;http://jahat.example&#34;,&#34;klik&#34;) &amp; &#39;Ina&#39; &#34;x&#34;" in page
        assert 'href="http://jahat.example"' not in page


def test_escaped_in_the_back_office(campaign, hostile):
    ids, _ = hostile
    for path in ("/admin/tindak-lanjut/", f"/admin/tindak-lanjut/{ids['pintu-air']}",
                 f"/admin/tindak-lanjut/{ids['lainnya']}"):
        page = campaign.get(path).get_data(as_text=True)
        assert 'href="http://jahat.example"' not in page and "<script" not in page.split("</head>")[1]
    record = soup(campaign.get(f"/admin/tindak-lanjut/{ids['pintu-air']}"))
    assert HOSTILE_NAME in record.get_text()  # shown as text, exactly as typed


def test_inert_in_csv_and_xlsx_exports(campaign, hostile):
    rows = list(csv.reader(io.StringIO(campaign.get("/admin/tindak-lanjut/ekspor.csv").get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + HOSTILE_NAME in cells and "'" + HOSTILE_MEMBER_NUMBER in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    book = load_workbook(io.BytesIO(campaign.get("/admin/tindak-lanjut/ekspor.xlsx").data))
    values = [c.value for row in book.active.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    formulas = [v for v in values if v.startswith("=")]
    assert formulas == []
    assert "'" + HOSTILE_NAME in values


HUGE = 2**64  # past every id column, and past the driver's 64-bit integers


@pytest.mark.parametrize("path", [
    f"/admin/akun/{HUGE}/sandi", f"/admin/daftar-bantu/pintu-air/{HUGE}", f"/admin/formulir/pintu-air/{HUGE}/cetak",
    f"/admin/rat/pintu-air/{HUGE}", f"/admin/rat/pintu-air/{HUGE}/berkas", f"/admin/tindak-lanjut/{HUGE}",
    f"/admin/tindak-lanjut/{HUGE}/bukti.json", f"/admin/tindak-lanjut/{2**63}", f"/admin/tindak-lanjut/{2**31}",
])
def test_an_id_past_what_a_column_holds_is_not_found(campaign, path):
    """Not an overflow in the database or its driver (a 500): no such record."""
    response = campaign.get(path)
    assert response.status_code == 404
    assert soup(response).select_one("h1").get_text(strip=True) == "Halaman tidak ditemukan"


def test_the_largest_id_a_column_holds_is_simply_absent(campaign):
    """PostgreSQL's INTEGER ends at 2**31 - 1: that id is looked up, and not found."""
    assert campaign.get(f"/admin/tindak-lanjut/{2**31 - 1}").status_code == 404
