"""The form in Chromium at 360x740 with JavaScript off: errors, fixes, receipt,
managing consent; axe finds nothing on any of those pages."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from harness.samples import fill_valid_form

pytestmark = pytest.mark.browser


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                  locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page):
    results = Axe().run(page)
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
                  for v in results.response["violations"]]
    assert violations == []


def assert_no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_error_then_fix_then_receipt_without_javascript(nojs_page, browser, live_server):
    page = nojs_page
    page.goto(live_server + "/k/pintu-air")
    assert_no_horizontal_scroll(page)
    fill_valid_form(page, phone="0380 821234")  # a Kupang landline
    page.get_by_role("button", name="Kirim").click()
    assert page.title().startswith("Galat:")
    summary = page.locator(".portal-error-summary")
    assert "Ini nomor telepon rumah atau kantor" in summary.inner_text()
    assert page.get_by_label("Nama lengkap").input_value() == "Maria Goreti"
    assert_no_horizontal_scroll(page)

    # The summary links to the field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#nomor_hp"
    page.get_by_label("Nomor HP").fill("0813 3912 3456")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    assert "Terima kasih" in page.get_by_role("heading", level=1).inner_text()
    assert "0813-3912-3456" in page.locator(".portal-summary").inner_text()

    page.get_by_role("link", name="Kelola persetujuan saya").click()
    page.get_by_role("link", name="Tarik persetujuan SHU").click()
    page.get_by_role("button", name="Ya, lanjutkan").click()
    assert "Persetujuan SHU Anda sudah ditarik." in page.locator("[role=status]").inner_text()


def test_pages_are_accessible(page, live_server):
    page.goto(live_server + "/daftar/")
    assert_accessible(page)
    page.get_by_role("button", name="Kirim").click()
    assert page.title().startswith("Galat:")
    assert_accessible(page)  # the error state

    fill_valid_form(page, phone="0812 7777 1234")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name="Kelola persetujuan saya").click()
    assert_accessible(page)
    page.get_by_role("link", name="Hapus data saya").click()
    assert_accessible(page)
    page.goto(live_server + "/kelola/")
    assert_accessible(page)


def test_member_corrects_and_keeps_proof(page, live_server):
    """The private page's new parts at 360 px: correction with the form's checks, proof, erasure."""
    page.goto(live_server + "/daftar/")
    fill_valid_form(page, phone="0812 5555 0101")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    page.get_by_role("link", name="Kelola persetujuan saya").click()
    assert "Minat Anda sudah diterima" in page.locator(".portal-panel").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Perbaiki data saya").click()
    assert page.get_by_label("Nama lengkap").input_value() == "Maria Goreti"
    assert_accessible(page)
    page.get_by_label("Nomor HP").fill("0380 821234")
    page.get_by_role("button", name="Simpan").click()
    assert page.title().startswith("Galat:")
    assert "Ini nomor telepon rumah atau kantor" in page.locator(".portal-error-summary").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Nomor HP").fill("0813 5555 0202")
    page.get_by_label("Petani atau peternak").check()
    page.get_by_role("button", name="Simpan").click()
    assert "Perubahan Anda sudah disimpan." in page.locator(".portal-notice--ok").inner_text()
    summary = page.locator(".portal-summary").inner_text()
    assert "0813-5555-0202" in summary and "Petani atau peternak" in summary

    page.get_by_role("link", name="Lihat dan cetak bukti").click()
    assert "Pilihan diubah" in page.locator(".portal-events").inner_text()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Kembali").click()
    page.get_by_role("link", name="Hapus data saya").click()
    page.get_by_role("button", name="Ya, lanjutkan").click()
    assert "Data pribadi Anda sudah dihapus" in page.get_by_role("heading", level=1).inner_text()
    assert "Maria" not in page.locator("main").inner_text()
    assert_accessible(page)
