"""A cooperative's staff make a campaign code, print its poster and flyers,
and see a member who came through its QR code counted under it."""
import pytest
import zxingcpp
from PIL import Image

from harness.samples import fill_valid_form
from kkbc import rates
from kkbc.formatting import long_date, rupiah
from portal.platform import clock
from tests import printing
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.browser


def decode(png_path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(png_path))]


def test_code_poster_flyers_and_a_member_counted(page, browser, back_office, tmp_path):
    log_in(page, back_office, "ani")
    page.get_by_role("navigation", name="Kantor belakang").get_by_role("link", name="Tautan & QR").click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Kode kampanye").fill("poster-kantor")
    page.get_by_label("Keterangan (boleh dikosongkan)").fill("Poster di kantor pusat")
    page.get_by_role("button", name="Buat kode").click()
    page.wait_for_url("**/admin/tautan/pintu-air/poster-kantor/kit")
    link = back_office + "/k/pintu-air/poster-kantor"
    assert page.locator(".admin-link strong").inner_text() == link
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    # The contact person printed on the poster is set once for the cooperative.
    page.get_by_role("link", name="Tulis petugas yang bisa ditanya").click()
    assert_accessible(page)
    page.get_by_label("Nama petugas yang bisa ditanya").fill("Ibu Theresia Lamak")
    page.get_by_label("Nomor HP atau telepon kantor (boleh dikosongkan)").fill("0812 3700 1100")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/admin/tautan/pintu-air/kit")
    page.goto(back_office + "/admin/tautan/pintu-air/poster-kantor/kit")

    page.get_by_role("link", name="Poster A5").click()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.locator(".cetak-qr svg").screenshot(path=tmp_path / "qr.png")
    assert decode(tmp_path / "qr.png") == [link]
    (size, image), = printing.pages(printing.print_pdf(page))
    image.save(tmp_path / "poster.png")
    assert printing.is_size(size, printing.A5)
    assert printing.qr_codes(image) == [link]
    assert printing.inked_fraction(image) > 0.9  # the poster fills its page
    text = page.locator(".cetak-poster").inner_text()
    month = rates.this_month()
    assert f"Iuran sebulan, {month.label()}" in text
    assert rupiah(rates.monthly_cost("jkk-jkm", month, "lainnya")) in text
    assert "Ibu Theresia Lamak, 0812 3700 1100" in text
    assert f"Dicetak {long_date(clock.today())}" in text

    page.goto(back_office + "/admin/tautan/pintu-air/poster-kantor/selebaran")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    (size, image), = printing.pages(printing.print_pdf(page))
    assert printing.is_size(size, printing.A4)
    image.save(tmp_path / "selebaran.png")
    assert printing.qr_codes(image) == [link] * 8

    # A member scans the poster: the decoded link opens the form directly.
    member = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    member.goto(decode(tmp_path / "qr.png")[0])
    assert member.get_by_label("Koperasi", exact=True).input_value() == "pintu-air"
    fill_valid_form(member, phone="0812 4444 5555")
    member.get_by_role("button", name="Kirim").click()
    member.wait_for_url("**/daftar/selesai/**")
    member.context.close()

    page.goto(back_office + "/admin/tautan/pintu-air/")
    row = page.locator("table.admin-counts tbody tr", has_text="poster-kantor")
    assert row.locator("td.admin-num").inner_text() == "1"
