"""Cover on a 360 px phone, from `make demo`'s season served by gunicorn: the
member's private page, their card and the form for a month paid themselves;
the officer's lapse list and call list; the campaign team's funnel; the site's
Capaian page. axe finds nothing and nothing scrolls sideways on any of them."""
from urllib.parse import parse_qs, urlparse

import pytest

from tests.test_operations import demo_season
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


def check(page):
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


@pytest.fixture(scope="module")
def demo(built_site, tmp_path_factory):
    """gunicorn on a database filled by the demo command; (base URL, passwords, a member's page)."""
    with demo_season(built_site, tmp_path_factory.mktemp("demo")) as (url, out):
        passwords = dict(line.strip().split("\t") for line in out.splitlines() if line.startswith("  demo."))
        member = out.split("Halaman anggota dengan KPJ: ")[1].split()[0]
        yield url, passwords, member


def log_in(page, base, username, password):
    page.goto(base + "/admin/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(base + "/admin/")


def test_member_sees_cover_card_and_tells_a_payment(page, demo):
    base, _, member = demo
    page.goto(base + member)
    section = page.locator("#perlindungan")
    assert "Anda terlindungi JKK" in section.inner_text()
    check(page)
    page.get_by_role("link", name="Kartu perlindungan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kartu perlindungan BPJS Ketenagakerjaan"
    check(page)
    page.goto(base + member + "/bayar-sendiri")
    page.get_by_label("Bulan yang Anda bayar").fill("kemarin")
    page.get_by_role("button", name="Kirim").click()
    assert page.title().startswith("Galat: ")
    check(page)


def test_officer_works_the_lapse_list(page, demo):
    base, passwords, _ = demo
    log_in(page, base, "demo.pintuair", passwords["demo.pintuair"])
    page.get_by_role("link", name="Perlindungan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Perlindungan yang berakhir: KSP Kopdit Pintu Air"
    check(page)
    links = page.locator("#segera-berakhir a[href^='https://wa.me/'], #segera-berakhir .admin-no-link")
    assert links.count() == 1
    link = page.locator("#segera-berakhir a[href^='https://wa.me/']")
    if link.count():  # the demo member may have agreed to WhatsApp or not: either way the text is plain
        text = parse_qs(urlparse(link.get_attribute("href")).query)["text"][0]
        assert "perlindungan BPJS Ketenagakerjaan" in text and "telepon 175" in text
    page.locator("#segera-berakhir").get_by_role("button", name="Sudah diingatkan").click()
    assert page.locator("#segera-berakhir strong").first.inner_text() == "Sudah diingatkan"
    check(page)
    page.get_by_role("link", name="Cetak daftar telepon").click()
    assert "Berakhir dalam dua bulan" in page.locator("main").inner_text()
    check(page)


def test_campaign_team_sees_and_exports_the_funnel(page, demo):
    base, passwords, _ = demo
    log_in(page, base, "demo.kampanye", passwords["demo.kampanye"])
    page.get_by_role("link", name="Capaian").click()
    assert page.locator("#perbandingan").is_visible()
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh XLSX").click()
    assert download.value.suggested_filename.startswith("capaian-ntt-")
    page.goto(base + "/admin/perlindungan/")
    check(page)


def test_site_capaian_page(page, demo):
    base, _, _ = demo
    page.goto(base + "/capaian/")
    assert page.get_by_role("heading", level=1).inner_text() == "Capaian"
    check(page)
