"""Dashboard counts and chart, exports and the audit log, through Flask."""
import csv
import io

import pytest
from openpyxl import load_workbook

from portal import consent
from portal.extensions import db
from portal.models import Submission
from tests.actions import submit
from tests.admin.conftest import audit_entries
from tests.conftest import soup


def counts(page, caption: str) -> dict:
    for table in page.select("table.admin-counts"):
        if table.caption.get_text() == caption:
            return {r.th.get_text(): int(r.select("td")[0].get_text().replace(".", ""))
                    for r in table.select("tbody tr") if r.th}
    raise AssertionError(f"no table {caption!r}")


def figures(page) -> list[str]:
    return [li.get_text(" ", strip=True) for li in page.select(".admin-figures li")]


def test_cooperative_dashboard_counts_its_own_members(pintu_air, members):
    page = soup(pintu_air.get("/admin/"))
    assert figures(page) == ["2 pendaftar", "2 persetujuan masih berlaku", "2 perlu dihubungi"]
    assert counts(page, "Pilihan SHU") == {"Setuju": 1, "Belum memutuskan": 1, "Tidak setuju": 0}
    assert counts(page, "Kabupaten atau kota") == {"Kabupaten Sikka": 1, "Kabupaten Ende": 1}
    assert counts(page, "Pekerjaan") == {"Penenun atau perajin": 1, "Petani atau peternak": 1}
    assert counts(page, "Kode kampanye") == {"buletin-mei": 1, "Tanpa kode kampanye": 1}
    assert counts(page, "Perlindungan yang dipilih") == {"JKK + JKM": 2, "JKK + JKM + JHT": 0}
    assert counts(page, "Status tindak lanjut")["Baru"] == 2


def test_withdrawn_consents_leave_the_breakdowns(app, pintu_air, members):
    with app.app_context():
        consent.withdraw_all(db.session.get(Submission, members["Maria Goreti"]))
        db.session.commit()
    page = soup(pintu_air.get("/admin/"))
    assert figures(page) == ["2 pendaftar", "1 persetujuan masih berlaku", "1 perlu dihubungi"]
    assert counts(page, "Pilihan SHU")["Setuju"] == 0
    assert counts(page, "Status persetujuan")["Semua persetujuan ditarik"] == 1


def test_campaign_dashboard_per_cooperative_against_members(campaign, members):
    page = soup(campaign.get("/admin/"))
    assert figures(page)[0] == "4 pendaftar"
    rows = {r.th.get_text(): [td.get_text() for td in r.select("td")]
            for r in page.select("table.admin-table tbody tr")}
    assert rows["KSP Kopdit Pintu Air"] == ["2", "2", "1", "444.425", "0,00"]
    assert rows["KSP Kopdit Obor Mas"][:3] == ["1", "1", "1"]
    assert rows["Koperasi lain"] == ["1", "1", "1", "-", "-"]
    assert page.select_one("table.admin-table tfoot td").get_text() == "4"
    link = page.select_one("table.admin-table tbody th a")["href"]
    assert link.startswith("/admin/?koperasi=")
    one = soup(campaign.get("/admin/?koperasi=obor-mas"))
    assert one.h1.get_text() == "Ringkasan: KSP Kopdit Obor Mas" and figures(one)[0] == "1 pendaftar"


def test_chart_is_inline_svg_with_a_text_alternative(pintu_air, members):
    response = pintu_air.get("/admin/")
    page = soup(response)
    svg = page.select_one(".admin-chart svg")
    assert svg["role"] == "img" and svg.title.get_text() == "Jumlah pendaftar per hari"
    assert sum(int(r.title.get_text().rsplit(": ", 1)[1]) for r in svg.select("rect")) == 2
    assert page.select_one("details table")
    text = response.get_data(as_text=True)
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text


def test_recap_has_a_print_stylesheet(client):
    css = client.get("/portal-static/admin.css").get_data(as_text=True)
    assert "@media print" in css and "size: A4" in css


def test_export_csv_of_the_filtered_list_is_streamed_and_audited(app, pintu_air, members):
    response = pintu_air.get("/admin/tindak-lanjut/ekspor.csv?shu=setuju&cari=goreti")
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="tindak-lanjut-pintu-air-')
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Kode tanda terima", "Tanggal daftar (WITA)", "Nama", "Nomor HP"]
    assert [r[2] for r in rows[1:-1]] == ["Maria Goreti"]
    assert rows[1][3] == "0812-3456-7890"
    assert rows[-1] == ["Akhir berkas: 1 baris data. Berkas ini lengkap."]
    [entry] = audit_entries(app, "ekspor_csv")
    assert entry.actor == "ani" and entry.rows == 1 and entry.cooperative == "pintu-air"
    assert entry.detail == {"filter": {"shu": "setuju", "cari": "(disamarkan)"}}


def test_export_xlsx_for_the_campaign_team(app, campaign, members):
    response = campaign.get("/admin/tindak-lanjut/ekspor.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6 and {r[5] for r in rows[1:-1]} == {
        "KSP Kopdit Pintu Air", "KSP Kopdit Obor Mas", "KSP Sumba Jaya"}
    assert rows[-1][0] == "Akhir berkas: 4 baris data. Berkas ini lengkap."
    phones = [c for c in sheet["D"][1:-1]]
    assert all(c.data_type == "s" and c.value.startswith("+62") for c in phones)
    [entry] = audit_entries(app, "ekspor_xlsx")
    assert entry.rows == 4 and entry.cooperative is None and entry.detail == {"filter": {}}


def test_export_reads_every_row_through_its_cursor_in_the_lists_order(app, campaign, monkeypatch):
    from portal.followup import queries

    monkeypatch.setattr(queries, "EXPORT_BATCH", 2)  # several fetches from the cursor
    member = app.test_client()
    for n in range(5):
        submit(member, nama=f"Anggota {n}", nomor_hp=f"0812 3456 78{n:02d}")
    text = campaign.get("/admin/tindak-lanjut/ekspor.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[2] for row in rows[1:-1]] == [f"Anggota {n}" for n in (4, 3, 2, 1, 0)]
    assert rows[-1] == ["Akhir berkas: 5 baris data. Berkas ini lengkap."]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_out_of_time_says_it_is_incomplete_in_its_last_line(app, campaign, fmt):
    """Past the time a worker may take, the file ends with a line saying it is
    not whole, never silently short (gunicorn would kill the worker at 30 s)."""
    member = app.test_client()
    for n in range(3):
        submit(member, nama=f"Anggota {n}", nomor_hp=f"0812 3456 78{n:02d}")
    app.config["EXPORT_SECONDS"] = -1  # already out of time when the first row is read
    response = campaign.get(f"/admin/tindak-lanjut/ekspor.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    else:
        rows = list(load_workbook(io.BytesIO(response.get_data())).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[-1][0] == (
        "BERKAS TIDAK LENGKAP: hanya 0 dari 3 baris, karena waktu habis. "
        "Pilih saringan (misalnya kabupaten atau tanggal daftar), lalu unduh lagi.")


def test_audit_log_page(app, campaign, pintu_air, members):
    pintu_air.get("/admin/tindak-lanjut/ekspor.csv?kabupaten=53.07")
    pintu_air.get("/admin/?koperasi=obor-mas")
    page = soup(campaign.get("/admin/audit/"))
    rows = [[td.get_text(" ", strip=True) for td in r.select("td")] for r in page.select("tbody tr")]
    assert rows[0][1:3] == ["ani", "Akses ditolak"]
    assert "koperasi: obor-mas" in rows[0][5]
    assert rows[1][1:3] == ["ani", "Mengunduh CSV"] and rows[1][5] == "filter: kabupaten=53.07"
    assert rows[1][6] == "1"
    assert page.select_one("tbody tr.admin-row--denied")
