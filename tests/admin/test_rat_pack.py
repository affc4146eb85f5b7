"""The RAT pack: prices of the months after the RAT (worked out by hand from
data/rates.yml, not from the code), participation, the answers, no personal data."""
from kkbc import data
from tests.actions import submit
from tests.admin.test_rat import final_record, new_draft, save
from tests.conftest import soup


def price_rows(page):
    return [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in page.select("table.rat-prices tbody tr")]


def test_pack_for_a_rat_in_march_2027_uses_april_2027_prices(app, pintu_air, members):
    record_id = final_record(pintu_air, tanggal="2027-03-13")
    response = pintu_air.get(f"/admin/rat/pintu-air/{record_id}/paket")
    assert response.status_code == 200
    page = soup(response)
    # From April 2027 no discount is left for anyone (other work ended December
    # 2026, transport March 2027): JKK 1% of Rp1.000.000 + JKM Rp6.800 = Rp16.800,
    # JHT adds 2% = Rp20.000; twelve months of each.
    assert price_rows(page) == [
        ["Transportasi", "JKK + JKM", "Rp16.800 sebulan", "Rp201.600"],
        ["Transportasi", "JKK + JKM + JHT", "Rp36.800 sebulan", "Rp441.600"],
        ["Selain transportasi", "JKK + JKM", "Rp16.800 sebulan", "Rp201.600"],
        ["Selain transportasi", "JKK + JKM + JHT", "Rp36.800 sebulan", "Rp441.600"],
    ]
    assert [th.get_text() for th in page.select("table.rat-prices thead th")][2] == "April 2027"
    # Rp200.000 (50% of Rp400.000) buys 11 months at Rp16.800 (Rp184.800), April 2027 to
    # February 2028; the member gets Rp400.000 - Rp184.800 in cash.
    example = page.find("h2", string="3. Contoh").find_parent("section").get_text(" ", strip=True)
    assert "cukup untuk 11 bulan perlindungan, April 2027 sampai Februari 2028" in example
    assert "koperasi menyetor Rp184.800" in example and "menerima tunai Rp215.200" in example
    assert page.select_one(".rat-figure").get_text(strip=True) == "2 dari 444.425 anggota (kurang dari 0,01 %)"
    assert "per 1 Juni 2025" in page.select_one(".rat-figure").find_next("p").get_text()
    # Answers are counted in people (and rupiah), never in months added across people.
    answers = page.find("h2", string="4. Anggota yang sudah mendaftar minat").find_parent("section")
    assert [[th.get_text() for th in t.select("thead th")] for t in answers.select("table")] == \
        [["Jawaban", "Orang"], ["Cara", "Orang"]]
    for personal in ("Maria Goreti", "Yohanes Bosco", "0812", "PA-01234"):
        assert personal not in response.get_data(as_text=True)
    assert page.find("h2", string="Lembar hitung suara")
    minutes = page.find("h2", string="Berita acara").find_next("p").get_text()
    assert "Hadir 312 anggota atau utusan. Kuorum tercapai." in " ".join(minutes.split())
    assert "Setuju 250, tidak setuju 40, abstain 20, tidak sah 2. Rapat memutuskan usul ini: diterima." in \
        " ".join(minutes.split())
    assert [p.get_text() for p in page.select(".rat-signatures p:first-child")][-2:] == ["Ketua", "Sekretaris"]


def test_pack_for_february_shows_the_transport_discount_ending(app, pintu_air):
    record_id = new_draft(pintu_air)
    assert save(pintu_air, record_id, tanggal="2027-02-20").status_code == 303
    page = soup(pintu_air.get(f"/admin/rat/pintu-air/{record_id}/paket"))
    # March 2027 is the last discounted month for transport: Rp8.400, then Rp16.800
    # for eleven months: 8.400 + 11 x 16.800 = Rp193.200. Other work pays full price.
    rows = price_rows(page)
    assert rows[0] == ["Transportasi", "JKK + JKM", "Rp8.400 sebulan", "Rp193.200"]
    assert rows[1] == ["", "mulai April 2027: Rp16.800 sebulan"]
    assert rows[2] == ["Transportasi", "JKK + JKM + JHT", "Rp28.400 sebulan", "Rp433.200"]
    assert rows[4] == ["Selain transportasi", "JKK + JKM", "Rp16.800 sebulan", "Rp201.600"]


def test_pack_without_a_date_asks_for_one(app, pintu_air):
    page = soup(pintu_air.get(f"/admin/rat/pintu-air/{new_draft(pintu_air)}/paket"))
    assert "Isi dulu tanggal RAT" in page.select_one(".admin-print-hint").get_text()
    assert page.select("table.rat-prices") == []


def counts(table) -> dict:
    return {tr.th.get_text(" ", strip=True): int(tr.td.get_text()) for tr in table.select("tbody tr")}


def test_pack_counts_answers_in_people_and_rupiah(app, pintu_air, members):
    member = app.test_client()
    submit(member, "/k/pintu-air", nama="Petrus", nomor_hp="0812 1111 0001", shu_cara="bulan", shu_persen="",
           shu_bulan="6")
    submit(member, "/k/pintu-air", nama="Paulus", nomor_hp="0812 1111 0002", shu_cara="rupiah", shu_persen="",
           shu_rupiah="Rp 150.000", program="jkk-jkm-jht")
    submit(member, "/k/pintu-air", nama="Agnes", nomor_hp="0812 1111 0003", shu="tidak", shu_cara="", shu_persen="")
    record_id = new_draft(pintu_air)
    assert save(pintu_air, record_id, tanggal="2027-03-13").status_code == 303
    response = pintu_air.get(f"/admin/rat/pintu-air/{record_id}/paket")
    page = soup(response)
    answers, kinds = page.select("section")[4].select("table")
    assert counts(answers) == {"Setuju": 3, "Belum memutuskan": 1, "Tidak setuju": 1}
    assert counts(kinds) == {"Sebagian SHU, dalam persen": 1, "Jumlah tertentu, dalam rupiah (jumlah Rp150.000)": 1,
                             "Cukup untuk beberapa bulan iuran": 1}
    assert page.select_one(".rat-figure").get_text(strip=True).startswith("5 dari 444.425 anggota")
    assert f"versi {data.privacy()['version']}" in page.select_one(".rat-pack p").get_text()
    for personal in ("Petrus", "Paulus", "Agnes", "Maria Goreti", "0812", "PA-01234"):
        assert personal not in response.get_data(as_text=True)
