"""An officer prints numbered paper forms, signs a member up beside them, and
imports the rest from a spreadsheet, in Chromium on a 360 px phone. Every
printed sheet has its paper size and page count, and every QR code on it reads."""
import csv
import io

import pytest

from harness.samples import fill_valid_form
from portal.outreach import paper
from tests import printing
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.browser


def nav(page, name):
    page.get_by_role("navigation", name="Kantor belakang").get_by_role("link", name=name).click()


def test_paper_forms_assisted_entry_and_import(page, back_office, tmp_path):
    log_in(page, back_office, "ani")
    nav(page, "Formulir kertas")
    page.wait_for_url("**/admin/formulir/pintu-air/")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Berapa lembar formulir").fill("3")
    page.get_by_role("button", name="Buat dan cetak").click()
    page.wait_for_url("**/admin/formulir/pintu-air/*/cetak")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    numbers = [n.inner_text() for n in page.locator(".cetak-nomor strong").all()][::2]
    assert len(numbers) == 3 and all(paper.normalise(n) for n in numbers)
    pdf = printing.print_pdf(page)
    # Nothing is cut off: every side's content fits its sheet.
    assert page.evaluate("""[...document.querySelectorAll('.cetak-formulir')]
        .every(s => s.scrollHeight <= s.clientHeight + 1)""")
    sheets = printing.pages(pdf)
    assert len(sheets) == 6  # two sides a form
    for index, (size, image) in enumerate(sheets):
        assert printing.is_size(size, printing.A4)
        assert printing.qr_codes(image) == [numbers[index // 2]]

    # At a branch: the officer fills the public form's questions with the member.
    page.get_by_role("link", name="Kembali").click()
    nav(page, "Daftarkan anggota")
    page.wait_for_url("**/admin/daftar-bantu/pintu-air")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert page.locator("script[src*=isian]").count() == 0
    page.get_by_role("button", name="Kirim").click()
    assert page.title().startswith("Galat:")
    assert_accessible(page)
    page.get_by_label("Nama lengkap").fill("Maria Goreti")
    fill_valid_form(page, phone="0812 3456 7001", cooperative=False)
    page.get_by_label("Kantor cabang").check()
    page.get_by_label("Formulir kertas dengan cap jempol anggota").check()
    page.get_by_label("Nomor formulir kertas").fill(numbers[0])
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/admin/daftar-bantu/pintu-air/*")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    slip = page.locator(".cetak-slip").inner_text()
    assert "Didaftarkan oleh petugas ani" in slip and numbers[0] in slip
    assert page.get_by_role("link", name="Kirim lewat WhatsApp ke 0812-3456-7001").get_attribute(
        "href").startswith("https://wa.me/6281234567001?text=")
    (size, _), = printing.pages(printing.print_pdf(page))
    assert printing.is_size(size, printing.A5)
    page.get_by_role("link", name="Daftarkan anggota berikutnya").click()
    assert page.get_by_label("Nama lengkap").input_value() == ""
    assert not page.get_by_label("Saya setuju data saya diolah untuk keperluan ini").is_checked()

    # The other forms come back from a meeting and are typed into the template.
    nav(page, "Formulir kertas")
    page.get_by_role("link", name="impor spreadsheet").click()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    header, example = rows
    filled = [dict(zip(header, example)) for _ in range(3)]
    for row, number, name, phone in zip(filled, numbers, ["Yohanes Bosco", "Fransiska Wae", "Umbu Ndaka"],
                                        ["0813 3900 1122", "0852 3800 4455", "0812"]):
        row.update({"Nomor formulir": number, "Nama lengkap": name, "Nomor HP": phone})
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    writer.writerows(filled)
    path = tmp_path / "rat.csv"
    path.write_text(out.getvalue())
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(path)
    page.get_by_role("button", name="Periksa berkas").click()
    page.wait_for_url("**/admin/formulir/pintu-air/impor/*")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    results = page.locator("tbody tr td:last-child").all_inner_texts()
    assert results[0].startswith("Nomor formulir: Sudah dimasukkan")
    assert results[1] == "Siap disimpan"
    assert results[2].startswith("Nomor HP: Tulis nomor HP yang benar")
    page.get_by_role("button", name="Simpan 1 formulir").click()
    page.wait_for_url("**/admin/formulir/pintu-air/")
    assert "1 formulir disimpan. 1 baris ditolak. 1 baris sudah ada sebelumnya." in page.inner_text("body")
    assert page.locator("tbody td.admin-num").first.inner_text() == "2 dari 3"


def test_campaign_team_picks_the_cooperative(page, back_office):
    log_in(page, back_office, "tim")
    for name, path in (("Daftarkan anggota", "/admin/daftar-bantu/"), ("Formulir kertas", "/admin/formulir/")):
        nav(page, name)
        page.wait_for_url("**" + path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        page.get_by_role("link", name="KSP Kopdit Obor Mas").click()
        page.wait_for_url("**" + path + "obor-mas**")
        assert "Obor Mas" in page.locator("h1").inner_text()
        assert_accessible(page)
