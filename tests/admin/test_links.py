"""Link kit: campaign codes per cooperative, QR codes, posters, texts."""
import io

import zxingcpp
from PIL import Image

from tests.actions import submit
from tests.admin.conftest import audit_entries, csrf
from tests.conftest import soup


def create(client, slug, code, description=""):
    token = csrf(client, f"/admin/tautan/{slug}/")
    return client.post(f"/admin/tautan/{slug}/", data={"csrf_token": token, "kode": code,
                                                        "keterangan": description})


def listed_codes(client, slug, archived=False):
    page = soup(client.get(f"/admin/tautan/{slug}/" + ("?arsip=1" if archived else "")))
    return {row.select_one("th a").get_text(): int(row.select_one("td.admin-num").get_text())
            for row in page.select("table.admin-counts tbody tr") if row.select_one("th a")}


def test_create_a_code_and_count_what_it_brings(app, pintu_air):
    response = create(pintu_air, "pintu-air", "Buletin Juni", "Buletin edisi Juni 2026")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/tautan/pintu-air/buletin-juni/kit"
    assert listed_codes(pintu_air, "pintu-air") == {"buletin-juni": 0}
    member = app.test_client()
    assert submit(member, "/k/pintu-air/buletin-juni").status_code == 303
    assert submit(member, "/k/pintu-air/buletin-juni", nomor_hp="0812 9999 0001").status_code == 303
    assert listed_codes(pintu_air, "pintu-air") == {"buletin-juni": 2}
    [entry] = audit_entries(app, "kode_dibuat")
    assert entry.actor == "ani" and entry.detail == {"kode": "buletin-juni"}


def test_code_rules(pintu_air):
    create(pintu_air, "pintu-air", "rat-2026")
    again = create(pintu_air, "pintu-air", "RAT-2026")
    assert again.status_code == 400
    assert soup(again).select_one("#kode-error").get_text(strip=True).endswith(
        "Kode ini sudah dipakai koperasi Anda. Pilih kode lain")
    bad = create(pintu_air, "pintu-air", "kode!")
    assert soup(bad).select_one("#kode-error").get_text(strip=True).endswith(
        "Kode hanya boleh huruf kecil, angka dan tanda hubung, 2 sampai 30 huruf, misalnya rat-2026")


def test_same_code_may_exist_in_two_cooperatives(pintu_air, obor_mas):
    assert create(pintu_air, "pintu-air", "rat-2026").status_code == 303
    assert create(obor_mas, "obor-mas", "rat-2026").status_code == 303


def test_cooperative_staff_cannot_create_or_see_another_cooperatives_codes(app, pintu_air, obor_mas):
    create(obor_mas, "obor-mas", "poster-maumere")
    token = csrf(pintu_air, "/admin/tautan/pintu-air/")
    refused = pintu_air.post("/admin/tautan/obor-mas/", data={"csrf_token": token, "kode": "curang"})
    assert refused.status_code == 404
    assert pintu_air.get("/admin/tautan/obor-mas/").status_code == 404
    assert pintu_air.post("/admin/tautan/obor-mas/poster-maumere/arsip",
                          data={"csrf_token": token}).status_code == 404
    assert "poster-maumere" not in pintu_air.get("/admin/tautan/pintu-air/").get_data(as_text=True)
    assert listed_codes(obor_mas, "obor-mas") == {"poster-maumere": 0}
    assert len(audit_entries(app, "ditolak")) == 3


def test_campaign_team_manages_every_partner(campaign):
    assert create(campaign, "sangosay", "radio-bajawa").status_code == 303
    assert campaign.get("/admin/tautan/lainnya/").status_code == 404
    links = [a["href"] for a in soup(campaign.get("/admin/tautan/")).select("main a[href^='/admin/tautan/']")]
    assert "/admin/tautan/swasti-sari/" in links


def test_retired_codes_are_hidden_but_still_attribute(app, pintu_air):
    create(pintu_air, "pintu-air", "poster-lama")
    token = csrf(pintu_air, "/admin/tautan/pintu-air/")
    assert pintu_air.post("/admin/tautan/pintu-air/poster-lama/arsip",
                          data={"csrf_token": token}).status_code == 303
    assert listed_codes(pintu_air, "pintu-air") == {}
    assert submit(app.test_client(), "/k/pintu-air/poster-lama").status_code == 303
    page = soup(pintu_air.get("/admin/tautan/pintu-air/?arsip=1"))
    assert "poster-lama (diarsipkan)" in page.select_one("table.admin-counts tbody th").get_text()
    assert listed_codes(pintu_air, "pintu-air", archived=True) == {"poster-lama": 1}


def test_qr_png_from_the_kit_decodes_to_the_exact_link(app, pintu_air):
    app.config["PUBLIC_URL"] = "https://kerjakerasbebascemas.id"
    create(pintu_air, "pintu-air", "rat-2026")
    response = pintu_air.get("/admin/tautan/pintu-air/rat-2026/qr.png")
    assert response.mimetype == "image/png"
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))]
    assert decoded == ["https://kerjakerasbebascemas.id/k/pintu-air/rat-2026"]
    svg = pintu_air.get("/admin/tautan/pintu-air/rat-2026/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_kit_texts_carry_the_link(app, pintu_air):
    app.config["PUBLIC_URL"] = "https://kerjakerasbebascemas.id"
    page = soup(pintu_air.get("/admin/tautan/pintu-air/kit"))
    url = "https://kerjakerasbebascemas.id/k/pintu-air"
    assert page.select_one(".admin-link strong").get_text() == url
    newsletter, whatsapp = [t.get_text() for t in page.select("textarea.admin-copy")]
    assert url in newsletter and url in whatsapp and "PP 50/2025" in newsletter
    assert page.select_one('a[href^="https://wa.me/?text="]')
    assert page.select_one(".admin-qr svg")
    poster = soup(pintu_air.get("/admin/tautan/pintu-air/poster"))
    assert poster.select_one(".cetak-tautan").get_text() == "kerjakerasbebascemas.id/k/pintu-air"


def test_unknown_code_in_the_back_office_is_not_found(pintu_air):
    assert pintu_air.get("/admin/tautan/pintu-air/tidak-ada/kit").status_code == 404
    assert pintu_air.get("/admin/tautan/pintu-air/qr.gif").status_code == 404


def test_contact_person_is_set_per_cooperative_and_audited(app, pintu_air, obor_mas, staff):
    token = csrf(pintu_air, "/admin/tautan/pintu-air/kontak")
    bad = pintu_air.post("/admin/tautan/pintu-air/kontak", data={"csrf_token": token, "nama": "<b>x</b>"})
    assert bad.status_code == 400
    assert "Nama petugas hanya boleh berisi huruf" in soup(bad).select_one(".portal-error-summary").get_text()
    response = pintu_air.post("/admin/tautan/pintu-air/kontak", data={
        "csrf_token": token, "nama": "Ibu Theresia Lamak", "nomor": "0812 3700 1100", "tempat": ""})
    assert response.status_code == 303
    [entry] = audit_entries(app, "kontak_diubah")
    assert (entry.actor, entry.cooperative, entry.detail) == ("ani", "pintu-air", {"kolom": ["name", "phone"]})
    poster = soup(pintu_air.get("/admin/tautan/pintu-air/poster")).select_one(".cetak-kontak").get_text(" ", strip=True)
    assert poster == "Tanya di koperasi: Ibu Theresia Lamak , 0812 3700 1100"
    other = soup(obor_mas.get("/admin/tautan/obor-mas/poster")).select_one(".cetak-kontak").get_text(" ", strip=True)
    assert other == "Tanya petugas di kantor Obor Mas."
    assert pintu_air.post("/admin/tautan/obor-mas/kontak", data={"csrf_token": token, "nama": "X"}).status_code == 404


def test_poster_prints_the_price_of_this_month_or_the_next(app, pintu_air, staff):
    from kkbc import rates
    from kkbc.formatting import rupiah
    month = rates.this_month()
    for query, shown in (("", month), (f"?bulan={month.next()}", month.next()), ("?bulan=2020-01", month)):
        page = soup(pintu_air.get("/admin/tautan/pintu-air/poster" + query))
        text = page.select_one(".cetak-harga").get_text(" ", strip=True)
        assert f"Iuran sebulan, {shown.label()}" in text
        assert rupiah(rates.monthly_cost("jkk-jkm-jht", shown, "transportasi")) in text


def test_every_poster_price_says_until_when_it_holds_and_what_comes_next():
    from portal.outreach import links
    from kkbc.rates import Month
    # December 2026: the PP 50/2025 cut ends for most work in December, for transport in March.
    december = dict(links.poster_prices(Month(2026, 12)))
    assert december["JKK + JKM"] == [("Rp8.400", "sampai Maret 2027; mulai April 2027 Rp16.800"),
                                     ("Rp8.400", "sampai Desember 2026; mulai Januari 2027 Rp16.800")]
    assert december["JKK + JKM + JHT"] == [("Rp28.400", "sampai Maret 2027; mulai April 2027 Rp36.800"),
                                           ("Rp28.400", "sampai Desember 2026; mulai Januari 2027 Rp36.800")]
    # A change more than six months away is not announced; the price says how long it holds at least.
    assert dict(links.poster_prices(Month(2027, 5)))["JKK + JKM"] == [
        ("Rp16.800", "tetap sampai sekurangnya November 2027")] * 2
