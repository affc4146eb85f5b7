"""The RAT season in Chromium on a 360 px phone: prepare the record, print the
pack (A4, no orphaned lines), record and finalise the decision, upload the
berita acara, make the conversion sheet; axe finds nothing on any page."""
import io

import pytest
from pypdf import PdfReader

from harness.samples import fill_valid_form
from tests.browser.helpers import assert_accessible, assert_no_horizontal_scroll, log_in

pytestmark = pytest.mark.browser


def check(page):
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_rat_season_from_draft_to_conversion_sheet(page, back_office, tmp_path):
    log_in(page, back_office, "ani")
    page.get_by_role("navigation", name="Kantor belakang").get_by_role("link", name="RAT", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "RAT KSP Kopdit Pintu Air"
    check(page)
    page.get_by_role("button", name="Buat draf").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Draf catatan RAT KSP Kopdit Pintu Air"
    check(page)
    label = lambda text: page.get_by_label(text, exact=True)  # noqa: E731
    label("Tanggal RAT").fill("2027-03-13")
    label("Tempat RAT").fill("Aula Kopdit Pintu Air, Nita")
    label("Paling banyak sekian persen SHU tiap anggota").check()
    label("Batas per anggota (persen atau rupiah)").fill("50")
    label("Aturan kuorum menurut AD/ART").fill("Lebih dari separuh utusan anggota hadir")
    page.get_by_role("button", name="Simpan draf").click()
    assert page.locator(".portal-notice--ok").inner_text() == "Draf catatan RAT sudah disimpan."
    check(page)
    record_url = page.url

    page.get_by_role("link", name="Cetak paket RAT").click()
    check(page)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    texts = [p.extract_text() for p in pdf.pages]
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert 3 <= len(texts) <= 5, [len(t) for t in texts]
    headings = ("Paket RAT", "Lembar hitung suara", "Berita acara", "Harga iuran", "Contoh", "Anggota yang")
    for number, text in enumerate(texts, 1):
        # No page holds only a stray line or a footnote: each has a heading or a real block.
        assert any(h in text for h in headings) or len(text.strip()) > 400, (number, text[:200])
    assert "Lembar hitung suara" in texts[-2] + texts[-1] and "Berita acara" in texts[-1]
    assert "Rp16.800 sebulan" in texts[0] + texts[1]

    page.goto(record_url + "/ubah")
    label("Anggota yang hadir").fill("312")
    label("Ya, kuorum tercapai").check()
    label("Suara setuju").fill("250")
    label("Suara tidak setuju").fill("40")
    label("Abstain (tidak memilih)").fill("20")
    label("Suara tidak sah").fill("2")
    label("Diterima").check()
    label("Penanda tangan berita acara").fill("Yakobus Jano, Ketua\nMaria Lena, Sekretaris")
    # Only what the record cannot know is left in brackets: the RAT's choices on the remainder.
    decision = label("Teks usulan keputusan")
    decision.fill(decision.input_value().replace(
        "[dibayarkan kepada anggota / disimpan sebagai simpanan anggota]", "dibayarkan kepada anggota")
        .replace("[dibayarkan kepada anggota]", "dibayarkan kepada anggota"))
    page.get_by_role("button", name="Simpan draf").click()

    scan = tmp_path / "berita-acara.png"
    from PIL import Image
    Image.new("RGB", (200, 280), "white").save(scan)
    page.get_by_label("Scan atau foto berita acara").set_input_files(str(scan))
    page.get_by_role("button", name="Unggah scan").click()
    assert page.locator(".portal-notice--ok").inner_text() == "Scan berita acara sudah disimpan."
    page.get_by_role("link", name="Periksa lalu finalkan").click()
    confirm = page.locator("table.rat-confirm").inner_text()
    assert "Diterima" in confirm and "Setuju 250" in confirm and "Yakobus Jano (Ketua)" in confirm and "PNG" in confirm
    check(page)
    page.get_by_role("button", name="Ya, finalkan catatan RAT").click()
    assert page.locator(".portal-notice--ok").inner_text().startswith("Catatan RAT sudah final.")
    check(page)

    # The decision reaches the members: the form, the receipt and the private page.
    page.goto(back_office + "/k/pintu-air")
    decision = page.get_by_role("region", name="Keputusan RAT Kopdit Pintu Air")
    assert "13 Maret 2027 menyetujui" in decision.inner_text()
    check(page)
    fill_valid_form(page, phone="0812 7777 0001")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    assert "SHU Anda hanya dipakai kalau Anda sendiri setuju" in page.locator(".portal-rat").inner_text()
    check(page)
    page.get_by_role("link", name="Kelola persetujuan saya").click()
    assert "menyetujui" in page.locator(".portal-rat").inner_text()
    check(page)

    page.goto(record_url + "/ubah")
    assert page.get_by_role("heading", level=1).inner_text() == "Catatan final tidak bisa diubah"
    check(page)
    page.get_by_role("link", name="Buat koreksi").click()
    check(page)

    page.goto(record_url + "/konversi")
    check(page)
    shu = tmp_path / "shu.csv"
    shu.write_text("Nomor anggota;SHU\nPA-01234;400000\nPA-77;100000\n")
    page.get_by_label("Daftar SHU anggota (CSV atau XLSX)").set_input_files(str(shu))
    page.get_by_role("button", name="Buat lembar konversi").click()
    assert page.locator(".rat-figure").inner_text() == "Ditransfer ke BPJS Ketenagakerjaan: Rp184.800 untuk 1 anggota."
    assert page.get_by_role("heading", name="Setuju, tetapi tidak ada di daftar SHU (1)").is_visible()
    check(page)

    shu.write_text("Nomor anggota;Jumlah\nPA-01234;400000\n")
    page.goto(record_url + "/konversi")
    page.get_by_label("Daftar SHU anggota (CSV atau XLSX)").set_input_files(str(shu))
    page.get_by_role("button", name="Buat lembar konversi").click()
    assert "Kolom ini tidak ada: SHU" in page.locator(".portal-error-summary").inner_text()
    check(page)


def test_campaign_pages(page, back_office):
    log_in(page, back_office, "tim")
    for path in ("/admin/kampanye/", "/admin/rat/", "/admin/rat/obor-mas"):
        response = page.goto(back_office + path)
        assert response.status == 200 and page.url == back_office + path
        check(page)
