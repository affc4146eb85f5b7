"""A cooperative's staff make a campaign code, print its poster and flyers,
and see a member who came through its QR code counted under it."""
import re

import pytest
import zxingcpp
from PIL import Image

from tests.admin.test_browser import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.browser.helpers import fill_valid_form

pytestmark = pytest.mark.browser

A5 = (419.5, 595.3)  # points
A4 = (595.3, 841.9)


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Page sizes of a PDF Chromium printed (one MediaBox per page)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


def close_to(size, paper):
    return all(abs(a - b) < 2 for a, b in zip(size, paper))


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

    page.get_by_role("link", name="Poster A5").click()
    assert_accessible(page)
    page.locator(".cetak-qr svg").screenshot(path=tmp_path / "qr.png")
    assert decode(tmp_path / "qr.png") == [link]
    page.emulate_media(media="print")
    sizes = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert len(sizes) == 1 and close_to(sizes[0], A5)

    page.emulate_media(media="screen")
    page.goto(back_office + "/admin/tautan/pintu-air/poster-kantor/selebaran")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.emulate_media(media="print")
    sizes = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert len(sizes) == 1 and close_to(sizes[0], A4)
    page.emulate_media(media="screen")

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
