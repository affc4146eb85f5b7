"""Every printable page fits its paper, as Chromium prints it (page.pdf, pages
counted with pypdf): one A5 poster with the longest contact and campaign code,
one A4 member receipt with the RAT box whole, one A5 officer's slip, and a
conversion sheet whose table starts on page 1 and repeats its header. The
printed URL wraps only after a slash, and the sheet reads on a 360 px phone."""
from __future__ import annotations

import io
import re
import urllib.parse
import urllib.request

import pytest
from pypdf import PdfReader

from harness.samples import VALID, hidden_fields
from tests import printing
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in
from tests.test_operations import demo_season

pytestmark = pytest.mark.browser

LONGEST_CODE = "rat-cabang-maumere-2027-pusat"[:30]


@pytest.fixture(scope="module")
def season(built_site, tmp_path_factory):
    """gunicorn on the demo RAT season (a final "diterima" RAT for Pintu Air), with an officer."""
    instance = tmp_path_factory.mktemp("printing")
    with demo_season(built_site, instance, {"ani": "pintu-air"}) as (url, _):
        yield url, instance / "demo-shu-pintu-air-2026.csv"


def pdf_pages(page) -> list[str]:
    """The text of every page Chromium prints."""
    return [p.extract_text() for p in PdfReader(io.BytesIO(printing.print_pdf(page))).pages]


def wrap_points(page, selector: str) -> list[str]:
    """For each line break inside the element, the character the line ends with."""
    return page.evaluate("""(selector) => {
        const out = [];
        for (const element of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            let previous = null, top = null;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (let i = 0; i < node.length; i++) {
                    const range = document.createRange();
                    range.setStart(node, i); range.setEnd(node, i + 1);
                    const rect = range.getClientRects()[0];
                    if (!rect) continue;
                    if (top !== null && rect.top > top + 2) out.push(previous);
                    top = rect.top; previous = node.data[i];
                }
            }
        }
        return out;
    }""", selector)


def test_poster_and_flyers_fit_their_paper_and_the_url_breaks_only_after_a_slash(page, season):
    base, _ = season
    log_in(page, base, "ani")
    page.goto(base + "/admin/tautan/pintu-air/")
    page.get_by_role("textbox", name="Kode kampanye").fill(LONGEST_CODE)
    page.get_by_role("button", name="Buat kode").click()
    page.goto(base + "/admin/tautan/pintu-air/kontak")
    page.get_by_label("Nama petugas yang bisa ditanya").fill("Ibu Maria Theresia Lamak Wuwur Da Silva Parera (Bendahara)")
    page.get_by_label("Nomor HP atau telepon kantor (boleh dikosongkan)").fill("0812 3700 1100 / 0382 21234")
    page.get_by_label("Tempat atau jam").fill("Kantor Cabang Maumere, Senin sampai Sabtu jam 08.00-15.00 WITA")
    page.get_by_role("button", name="Simpan").click()

    link = f"{base}/k/pintu-air/{LONGEST_CODE}"
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(base + f"/admin/tautan/pintu-air/{LONGEST_CODE}/poster")
    (size, image), = printing.pages(printing.print_pdf(page))  # one sheet, not a blank second one
    assert printing.is_size(size, printing.A5)
    assert printing.qr_codes(image) == [link]
    prices = [" ".join(p.split()) for p in page.locator(".cetak-harga tbody td").all_inner_texts()]
    assert len(prices) == 4 and all(re.search(r"^Rp[\d.]+ (sampai \w+ \d{4}; mulai \w+ \d{4} Rp[\d.]+"
                                              r"|tetap sampai sekurangnya \w+ \d{4})$", p) for p in prices), prices

    page.goto(base + f"/admin/tautan/pintu-air/{LONGEST_CODE}/selebaran")
    (size, image), = printing.pages(printing.print_pdf(page))
    assert printing.is_size(size, printing.A4)
    assert printing.qr_codes(image) == [link] * 8
    page.emulate_media(media="print")
    breaks = wrap_points(page, ".cetak-tautan")
    page.emulate_media(media="screen")
    assert breaks and set(breaks) == {"/"}  # the 30-letter code wraps, and only after a slash


def send_form(base: str, path: str, **changes) -> str:
    """Send the public form over HTTP as a member's phone does; the receipt's address."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(base + path) as form:
        tokens = hidden_fields(form.read().decode())
    with opener.open(base + "/daftar/", urllib.parse.urlencode({**VALID, **tokens, **changes}, doseq=True).encode()) as receipt:
        return receipt.url


def test_receipts_fit_one_sheet_with_the_rat_decision_whole(page, season):
    base, _ = season
    receipt = send_form(base, "/k/pintu-air", nama="Kornelia Bunga", nomor_hp="0812 4444 0101", shu="setuju",
                        shu_cara="persen", shu_persen="100", nomor_anggota="PA-77001")
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(receipt)
    page.get_by_role("link", name="Versi cetak").click()
    assert "paling banyak 50% SHU" in page.locator(".portal-rat-cap").inner_text()
    (size, _image), = printing.pages(printing.print_pdf(page))  # one A4 sheet: the RAT box is not split
    assert printing.is_size(size, printing.A4)
    texts = pdf_pages(page)
    assert "Keputusan RAT Kopdit Pintu Air" in texts[0] and "Anda memilih 100% SHU" in texts[0]

    # The officer's slip of an assisted sign-up: one A5 sheet, with the same decision.
    log_in(page, base, "ani")
    page.goto(base + "/admin/daftar-bantu/pintu-air")
    page.get_by_label("Nama lengkap").fill("Agustina Bota")
    page.get_by_label("Nomor HP").fill("0812 4444 0103")
    page.get_by_label("Kabupaten atau kota tempat tinggal").select_option("53.07")
    page.locator("input[name=pekerjaan]").first.check()
    page.get_by_label("Saya berumur 18 tahun atau lebih").check()
    page.locator("input[name=program][value=jkk-jkm]").check()
    page.locator("input[name=shu][value=setuju]").check()
    page.locator("input[name=shu_cara][value=persen]").check()
    page.locator("#shu_persen").fill("80")
    page.get_by_label("Saya setuju data saya diolah untuk keperluan ini").check()
    page.locator("input[name=saluran][value=kantor-cabang]").check()
    page.locator("input[name=cara][value=dibacakan]").check()
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/admin/daftar-bantu/pintu-air/*")
    (size, _image), = printing.pages(printing.print_pdf(page))
    assert printing.is_size(size, printing.A5)
    slip = page.locator(".cetak-slip").inner_text()
    assert "menyetujui" in slip and "Anda memilih 80% SHU" in slip


def test_conversion_sheet_starts_on_page_one_repeats_its_header_and_reads_on_a_phone(page, season):
    base, shu_list = season
    log_in(page, base, "ani")
    page.goto(base + "/admin/rat/pintu-air")
    page.get_by_role("link", name="Tahun buku 2026").click()
    page.get_by_role("link", name="Lembar konversi SHU").click()
    page.get_by_label("Daftar SHU anggota").set_input_files(str(shu_list))
    page.get_by_text("Tampilkan di layar").check()
    page.get_by_role("button", name="Buat lembar konversi").click()
    # At 360 px the table scrolls inside its region, the member number kept in view.
    assert_no_horizontal_scroll(page)
    first = page.locator("table.admin-sheet tbody th").first
    assert first.evaluate("e => getComputedStyle(e).position") == "sticky"
    region = page.get_by_role("region", name="Konversi per anggota")
    region.evaluate("e => e.scrollLeft = e.scrollWidth")
    box, view = first.bounding_box(), region.bounding_box()
    assert view["x"] <= box["x"] < view["x"] + 5  # still at the left edge after scrolling right
    assert_accessible(page)

    page.set_viewport_size({"width": 1000, "height": 1000})
    numbers = page.locator("table.admin-sheet tbody th").all_inner_texts()
    texts = [" ".join(t.split()) for t in pdf_pages(page)]
    assert len(texts) >= 2
    assert numbers[0] in texts[0]  # the table starts on page 1, not after an empty page
    holding = [t for t in texts if any(n in t for n in numbers)]
    assert len(holding) >= 2 and all("Nomor anggota Nama Yang disetujui" in t for t in holding)
    # A member number is never split at its hyphen at the end of a line.
    assert not re.search(r"\bPA- ", " ".join(texts))
