"""The back office in Chromium on a 360 px phone: a cooperative's staff log in,
filter, change a status and download exports; the campaign team reads the
audit log. axe finds nothing on any page on the way."""
import csv
import io

import pytest
from openpyxl import load_workbook

from kkbc import data
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.browser


def test_cooperative_staff_follow_up_and_export(page, back_office, tmp_path):
    page.goto(back_office + "/admin/masuk")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    log_in(page, back_office, "ani")
    assert page.get_by_role("heading", level=1).inner_text() == "Ringkasan: KSP Kopdit Pintu Air"
    assert page.locator(".admin-figures li").first.inner_text().split() == ["2", "pendaftar"]
    assert page.locator(".admin-chart svg rect").count() >= 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("navigation", name="Kantor belakang").get_by_role("link", name="Tindak lanjut").click()
    page.get_by_label("Pilihan SHU").select_option("belum")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**/tindak-lanjut/?**shu=belum**")
    names = page.locator("table.admin-table tbody th a")
    assert names.all_inner_texts() == ["Yohanes Bosco"]
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    names.first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Yohanes Bosco"
    assert_accessible(page)
    page.get_by_label("Sudah dihubungi").check()
    page.get_by_label("Catatan (boleh dikosongkan)").fill("Ditelepon. Datang ke kantor hari Senin.")
    page.get_by_role("button", name="Simpan").click()
    assert page.locator(".portal-notice--ok").inner_text() == "Tindak lanjut sudah disimpan."
    assert "ani: Baru → Sudah dihubungi" in page.locator(".admin-history").first.inner_text()
    assert_accessible(page)

    page.goto(back_office + "/admin/tindak-lanjut/?status=dihubungi")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX (Excel)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("tindak-lanjut-pintu-air-") and path.suffix == ".xlsx"
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert [(r[2], r[3], r[16]) for r in rows[1:-1]] == [("Yohanes Bosco", "+6281339001122", "Sudah dihubungi")]
    assert rows[-1][0] == "Akhir berkas: 1 baris data. Berkas ini lengkap."
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    lines = list(csv.reader(io.StringIO(text)))
    assert [r[2] for r in lines[:-1]] == ["Nama", "Yohanes Bosco"]
    assert lines[-1] == ["Akhir berkas: 1 baris data. Berkas ini lengkap."]

    page.get_by_role("navigation", name="Kantor belakang").get_by_role("link", name="RAT", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("KSP Kopdit Pintu Air")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.goto(back_office + "/admin/?koperasi=obor-mas")
    assert page.get_by_role("heading", level=1).inner_text() == "Halaman tidak ditemukan"
    page.goto(back_office + "/admin/sandi")
    assert_accessible(page)
    page.get_by_role("button", name="Keluar", exact=True).click()
    page.wait_for_url(back_office + "/admin/masuk")
    assert page.locator(".portal-notice--ok").inner_text() == "Anda sudah keluar dari semua perangkat."


def test_campaign_team_pages(page, back_office):
    log_in(page, back_office, "tim")
    rows = page.locator("table.admin-table tbody tr")
    assert rows.count() == len(data.cooperatives()) + 1  # the partners and "other cooperatives"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    for path in ("/admin/tindak-lanjut/", "/admin/akun/", "/admin/akun/baru", "/admin/rat/",
                 "/admin/audit/", "/admin/tindak-lanjut/?dari=kemarin"):
        page.goto(back_office + path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
    page.goto(back_office + "/admin/audit/")
    assert page.locator("tbody tr td:nth-child(3)").all_inner_texts()[:1] == ["Melihat daftar tindak lanjut"]
