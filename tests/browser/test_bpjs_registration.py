"""The member's registration page for BPJS on a 360 px phone: empty, with
mistakes, and saved; axe finds nothing and nothing scrolls sideways."""
import pytest

from harness.samples import fill_valid_form
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def check(page):
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_member_gives_registration_data_on_a_phone(page, live_server):
    page.goto(live_server + "/k/pintu-air")
    fill_valid_form(page, phone="0812 5555 0101")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    page.goto(page.url.replace("/daftar/selesai/", "/kelola/"))
    page.get_by_role("link", name="Isi data pendaftaran BPJS").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Data pendaftaran BPJS Ketenagakerjaan"
    assert not page.get_by_label("Saya setuju koperasi menyerahkan data ini", exact=False).is_checked()
    check(page)

    page.get_by_label("NIK (nomor induk kependudukan)").fill("5307014508850001")
    page.get_by_label("Tanggal lahir").fill("05-08-1986")  # not the date in the NIK
    page.get_by_label("Perempuan").check()
    page.get_by_role("button", name="Simpan").click()
    assert page.title().startswith("Galat: ")
    assert page.locator(".portal-error-summary li").all_inner_texts() == [
        "Tanggal lahir di NIK (05-08-..85) tidak sama dengan tanggal lahir yang diisi (05-08-1986)",
        "Tulis penghasilan sebulan",
        "Centang persetujuan agar koperasi boleh menyerahkan data ini ke BPJS Ketenagakerjaan",
    ]
    check(page)

    page.get_by_label("Tanggal lahir").fill("05-08-1985")
    page.get_by_label("Penghasilan sebulan yang dilaporkan").fill("1.500.000")
    page.get_by_label("Saya setuju koperasi menyerahkan data ini", exact=False).check()
    page.get_by_role("button", name="Simpan").click()
    assert page.locator("#data-bpjs .portal-code").first.inner_text() == "5307014508850001"
    check(page)
