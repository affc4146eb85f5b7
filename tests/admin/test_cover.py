"""Cover per member from a hand-made conversion and BPJS's answer, across the
March/April 2027 rate change; the member's private page at each step and after
the cover ends; the lapse list on a clock two months before and one month
after a cover ends, with its WhatsApp links; the next conversion sheet starting
after the cover.

By hand (data/rates.yml, tests/admin/test_conversion.py): PA-0001 is an ojek
driver (transport), JKK+JKM: March 2027 is the last discounted month,
Rp8.400, then Rp16.800 from April. BPJS says 3 months paid from March 2027:
cover March to May 2027, Rp8.400 + Rp16.800 + Rp16.800 = Rp42.000.
PA-0002 is a farmer, JKK+JKM at Rp16.800 all along; 2 months paid: March and
April 2027, Rp33.600. PA-0003 is refused.
"""
import io
from datetime import date
from urllib.parse import parse_qs, urlparse

from openpyxl import load_workbook
from sqlalchemy import select

from portal.platform import clock
from portal import consent
from portal.extensions import db
from portal.models import CoverPeriod, Submission
from tests.admin.conftest import audit_entries, csrf
from tests.admin.test_conversion import SHU_LIST, make_sheet, season  # noqa: F401 (fixture)
from tests.admin.test_handover import answer_file, make_handover, member_id, ready, upload_answer
from tests.admin.test_rat import finalise, new_draft, save
from tests.conftest import soup


def set_today(monkeypatch, day: date) -> None:
    """The portal's clock, as the member's page and the lapse list read it."""
    monkeypatch.setattr(clock, "today", lambda: day)


def answered(app, client) -> str:
    """The season handed over and BPJS's answer applied, with months paid."""
    ready(app, client)
    batch = make_handover(client)
    content = answer_file(("5307010101800001", "", "11111111111", "Terdaftar", "", "KI-1", "3"),
                          ("5308014202810002", "", "22222222222", "Terdaftar", "", "KI-1", "2"),
                          ("5371010303820003", "", "", "Ditolak", "NIK belum padan Dukcapil", "", ""))
    _, action, fields = upload_answer(client, batch, content)
    assert client.post(action, data=fields).status_code == 303
    return batch


def private_page(app, client, number: str):
    with app.app_context():
        code = db.session.scalar(select(Submission.receipt_code).where(Submission.member_number == number))
        path = f"/kelola/{code}/{consent.link_signature(code)}"
    return path, soup(client.get(path))


def test_cover_periods_follow_the_answer_across_the_rate_change(app, pintu_air, season):  # noqa: F811
    answered(app, pintu_air)
    with app.app_context():
        periods = {db.session.get(Submission, p.submission_id).member_number: p
                   for p in db.session.scalars(select(CoverPeriod))}
        assert sorted(periods) == ["PA-0001", "PA-0002"]  # PA-0003 was refused: no cover
        ojek, farmer = periods["PA-0001"], periods["PA-0002"]
        assert (ojek.first, ojek.last, ojek.programme, ojek.payer, ojek.confirmed) == \
            ("2027-03", "2027-05", "jkk-jkm", "shu", True)
        assert ojek.monthly == [["2027-03", 8400], ["2027-04", 16800], ["2027-05", 16800]]
        assert ojek.amount == 42000
        assert (farmer.first, farmer.last, farmer.monthly, farmer.amount) == \
            ("2027-03", "2027-04", [["2027-03", 16800], ["2027-04", 16800]], 33600)


def test_applying_the_same_answer_twice_keeps_one_period(app, pintu_air, season):  # noqa: F811
    batch = answered(app, pintu_air)
    content = answer_file(("5307010101800001", "", "11111111111", "Terdaftar", "", "KI-1", "3"))
    _, action, fields = upload_answer(pintu_air, batch, content)
    assert pintu_air.post(action, data=fields).status_code == 303
    with app.app_context():
        assert db.session.query(CoverPeriod).count() == 2


def test_private_page_names_each_step(app, pintu_air, monkeypatch, season):  # noqa: F811
    set_today(monkeypatch, date(2027, 3, 1))
    member = app.test_client()
    # PA-0007 has not agreed to SHU: step 1.
    _, page = private_page(app, member, "PA-0007")
    assert page.select_one("#perlindungan .portal-step").get_text() == "Langkah 1 dari 5: Persetujuan SHU"
    # The RAT accepted, nobody handed over yet: the conversion sheet comes next.
    _, page = private_page(app, member, "PA-0001")
    assert page.select_one("#perlindungan .portal-step").get_text() == "Langkah 3 dari 5: Daftar konversi SHU"
    ready(app, pintu_air)
    _, page = private_page(app, member, "PA-0001")
    assert "Data pendaftaran BPJS Anda sudah lengkap." in page.select_one("#perlindungan").get_text()
    make_handover(pintu_air)
    _, page = private_page(app, member, "PA-0005")  # in the sheet, no registration data
    assert page.select_one("#perlindungan .portal-step").get_text() == "Langkah 4 dari 5: Penyerahan ke BPJS"
    assert "Data pendaftaran BPJS Anda belum lengkap." in page.select_one("#perlindungan").get_text()
    _, page = private_page(app, member, "PA-0001")
    assert page.select_one("#perlindungan .portal-step").get_text() == "Langkah 5 dari 5: Menunggu BPJS"


def test_private_page_says_until_when_and_after(app, pintu_air, monkeypatch, season):  # noqa: F811
    answered(app, pintu_air)
    member = app.test_client()
    set_today(monkeypatch, date(2027, 4, 15))
    path, page = private_page(app, member, "PA-0001")
    text = page.select_one("#perlindungan").get_text(" ", strip=True)
    assert "Anda terlindungi JKK dan JKM sampai Mei 2027." in text
    assert "Nomor kepesertaan (KPJ): 11111111111" in text
    assert "aplikasi JMO" in text and "telepon 175" in text
    assert "bayar sendiri mulai Juni 2027, atau setujui lagi SHU untuk iuran di RAT berikutnya" in text
    assert [td.get_text(" ", strip=True) for td in page.select("#periode-perlindungan tbody tr")[0].select("th, td")] == [
        "Maret 2027 sampai Mei 2027", "JKK dan JKM", "Konversi SHU lewat koperasi",
        "Rp8.400 (Maret 2027); Rp16.800 (April 2027 sampai Mei 2027)"]
    card = soup(member.get(path + "/kartu"))
    assert "Anda terlindungi JKK dan JKM sampai Mei 2027." in card.get_text()
    assert card.select_one(".cetak-qr svg") is not None

    set_today(monkeypatch, date(2027, 7, 1))
    _, page = private_page(app, member, "PA-0001")
    text = page.select_one("#perlindungan").get_text(" ", strip=True)
    assert "Perlindungan JKK dan JKM Anda sudah berakhir pada Mei 2027." in text
    assert "Bayar sendiri mulai Juli 2027" in text
    _, refused = private_page(app, member, "PA-0003")
    assert "BPJS Ketenagakerjaan belum bisa mendaftarkan Anda: NIK belum padan Dukcapil." in \
        refused.select_one("#perlindungan").get_text()


def test_the_member_tells_a_month_paid_themselves(app, pintu_air, monkeypatch, season):  # noqa: F811
    answered(app, pintu_air)
    set_today(monkeypatch, date(2027, 6, 10))
    member = app.test_client()
    path, _ = private_page(app, member, "PA-0001")
    bad = member.post(path + "/bayar-sendiri", data={"csrf_token": csrf(member, path + "/bayar-sendiri"),
                                                     "bulan": "juni", "nomor_bukti": "<b>"})
    assert bad.status_code == 400
    assert [e.get_text(" ", strip=True) for e in soup(bad).select(".portal-field-error")] == [
        "Galat: Tulis bulan seperti 2027-07 (tahun-bulan)",
        "Galat: Nomor bukti bayar 3 sampai 40 huruf atau angka, seperti tertulis di bukti"]
    sent = member.post(path + "/bayar-sendiri", data={"csrf_token": csrf(member, path + "/bayar-sendiri"),
                                                      "bulan": "2027-06", "nomor_bukti": "BPU-778899"})
    assert sent.status_code == 303
    _, page = private_page(app, member, "PA-0001")
    text = page.select_one("#perlindungan").get_text(" ", strip=True)
    assert "sampai Mei 2027" in text  # the member's word does not extend the cover yet
    assert "Juni 2027 JKK dan JKM Dibayar sendiri (menurut Anda; menunggu dicocokkan dengan data BPJS)" in text
    # Staff check it with BPJS and confirm it: now the cover runs to June.
    listed = soup(pintu_air.get("/admin/perlindungan/pintu-air/"))
    form = listed.select_one("form[action*='/benarkan']")
    assert pintu_air.post(form["action"], data={"csrf_token": form.select_one("input")["value"]}).status_code == 303
    _, page = private_page(app, member, "PA-0001")
    assert "Anda terlindungi JKK dan JKM sampai Juni 2027." in page.select_one("#perlindungan").get_text()
    assert [e.detail for e in audit_entries(app, "bayar_sendiri_benar")] == [{"bulan": "2027-06"}]


def _rows(page, table):
    return {tr.select_one("th").get_text(" ", strip=True).split(" PA-")[0]: tr for tr in page.select(f"#{table} tbody tr")}


def test_lapse_list_two_months_before_and_one_month_after(app, pintu_air, monkeypatch, season):  # noqa: F811
    answered(app, pintu_air)
    # Two months before PA-0001's cover ends (May 2027): on the list; PA-0002's ends in April.
    set_today(monkeypatch, date(2027, 3, 5))
    page = soup(pintu_air.get("/admin/perlindungan/pintu-air/"))
    ending = _rows(page, "segera-berakhir")
    assert list(ending) == ["Bene Petani", "Agus Ojek"]
    assert page.select_one("#sudah-berakhir") is None
    # One month after PA-0002's cover ends (April 2027): lapsed; PA-0001 ends this month.
    set_today(monkeypatch, date(2027, 5, 20))
    page = soup(pintu_air.get("/admin/perlindungan/pintu-air/"))
    assert list(_rows(page, "segera-berakhir")) == ["Agus Ojek"]
    assert list(_rows(page, "sudah-berakhir")) == ["Bene Petani"]
    # Three months ahead is not yet "within two months".
    set_today(monkeypatch, date(2027, 2, 1))
    page = soup(pintu_air.get("/admin/perlindungan/pintu-air/"))
    assert list(_rows(page, "segera-berakhir")) == ["Bene Petani"]
    assert [e.detail["halaman"] for e in audit_entries(app, "daftar_perlindungan")] == ["daftar"] * 3


def test_whatsapp_link_text_and_its_absence_without_contact_consent(app, pintu_air, monkeypatch, season):  # noqa: F811
    answered(app, pintu_air)
    with app.app_context():  # Bene did not agree to be contacted
        bene = db.session.get(Submission, member_id(app, "PA-0002"))
        bene.choices = {**bene.choices, "setuju_dihubungi": False, "kontak": []}
        db.session.commit()
    set_today(monkeypatch, date(2027, 4, 2))
    page = soup(pintu_air.get("/admin/perlindungan/pintu-air/"))
    rows = _rows(page, "segera-berakhir")
    link = rows["Agus Ojek"].select_one("a[href^='https://wa.me/']")["href"]
    url = urlparse(link)
    assert url.path == "/6281211110001"
    assert parse_qs(url.query)["text"] == [
        "Halo Agus, perlindungan BPJS Ketenagakerjaan (JKK dan JKM) Anda lewat Pintu Air berlaku sampai Mei 2027. "
        "Agar tetap terlindungi, bayar sendiri mulai Juni 2027, atau setujui SHU untuk iuran di RAT berikutnya. "
        "Cek di aplikasi JMO atau telepon 175."]
    assert rows["Bene Petani"].select_one("a[href^='https://wa.me/']") is None
    assert rows["Bene Petani"].select_one(".admin-no-link").get_text(strip=True) == \
        "Tanpa tautan: Tidak setuju dihubungi: ingatkan lewat koperasi, misalnya saat datang ke kantor"
    printed = soup(pintu_air.get("/admin/perlindungan/pintu-air/cetak")).get_text(" ", strip=True)
    assert "Agus Ojek PA-0001 Mei 2027 0812-1111-0001" in printed
    assert "Bene Petani PA-0002 April 2027 Jangan ditelepon: tidak setuju dihubungi" in printed
    assert "0812-1111-0002" not in printed


def test_marks_are_audited(app, pintu_air, monkeypatch, season):  # noqa: F811
    answered(app, pintu_air)
    set_today(monkeypatch, date(2027, 4, 2))
    path = "/admin/perlindungan/pintu-air/"
    agus = member_id(app, "PA-0001")
    response = pintu_air.post(f"{path}{agus}/tanda", data={"csrf_token": csrf(pintu_air, path), "tanda": "diingatkan"})
    assert response.status_code == 303
    assert _rows(soup(pintu_air.get(path)), "segera-berakhir")["Agus Ojek"].select_one("strong").get_text() == \
        "Sudah diingatkan"
    pintu_air.post(f"{path}{agus}/tanda", data={"csrf_token": csrf(pintu_air, path), "tanda": "bayar_sendiri"})
    assert [(e.actor, e.submission_id, e.detail) for e in audit_entries(app, "tanda_perlindungan")] == [
        ("ani", agus, {"tanda": "diingatkan", "sampai": "2027-05"}),
        ("ani", agus, {"tanda": "bayar_sendiri", "sampai": "2027-05"})]
    bad = pintu_air.post(f"{path}{agus}/tanda", data={"csrf_token": csrf(pintu_air, path), "tanda": "hapus"})
    assert bad.status_code == 303 and len(audit_entries(app, "tanda_perlindungan")) == 2


def test_another_cooperatives_lists_answer_404(app, pintu_air, obor_mas, season):  # noqa: F811
    answered(app, pintu_air)
    agus = member_id(app, "PA-0001")
    assert obor_mas.get("/admin/perlindungan/pintu-air/").status_code == 404
    assert obor_mas.get("/admin/perlindungan/pintu-air/cetak").status_code == 404
    assert obor_mas.get("/admin/capaian/?koperasi=pintu-air").status_code == 404
    assert obor_mas.get("/admin/capaian/unduh.csv?koperasi=pintu-air").status_code == 404
    mark = obor_mas.post(f"/admin/perlindungan/obor-mas/{agus}/tanda",
                         data={"csrf_token": csrf(obor_mas, "/admin/perlindungan/obor-mas/"), "tanda": "diingatkan"})
    assert mark.status_code == 404
    assert obor_mas.post("/admin/capaian/terbit", data={"csrf_token": csrf(obor_mas, "/admin/capaian/"),
                                                        "tanggal": "2027-04-30"}).status_code == 403
    assert len(audit_entries(app, "ditolak")) >= 4


def sheet_lines(client, record_id) -> dict:
    response = make_sheet(client, record_id, SHU_LIST.encode())
    assert response.status_code == 200
    return {r[0]: r for r in load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True)}


def test_next_conversion_sheet_starts_after_the_cover(app, pintu_air, season):  # noqa: F811
    answered(app, pintu_air)
    # The same RAT's sheet made again gives the same months: its own payment does not push it on.
    again = sheet_lines(pintu_air, season)
    assert (again["PA-0001"][8], again["PA-0002"][8]) == ("Maret 2027", "Maret 2027")
    # The next RAT (book year 2027, in February 2028): returning members start after their cover.
    record_id = new_draft(pintu_air, year="2027")
    assert save(pintu_air, record_id, tahun_buku="2027", tanggal="2028-02-20", batas="pilihan",
                batas_nilai="").status_code == 303
    assert finalise(pintu_air, record_id).status_code == 303
    lines = sheet_lines(pintu_air, record_id)
    assert (lines["PA-0001"][8], lines["PA-0002"][8], lines["PA-0003"][8]) == ("Juni 2027", "Mei 2027", "Maret 2027")
    # From June the ojek driver pays full price: 50% of Rp100.002 buys 2 months of Rp16.800.
    assert (lines["PA-0001"][6], lines["PA-0001"][7], lines["PA-0001"][9]) == (33600, 2, "Juli 2027")


def test_erasure_keeps_months_and_amounts_but_not_the_receipt(app, pintu_air, monkeypatch, season):  # noqa: F811
    answered(app, pintu_air)
    set_today(monkeypatch, date(2027, 6, 10))
    member = app.test_client()
    path, _ = private_page(app, member, "PA-0001")
    assert member.post(path + "/bayar-sendiri", data={"csrf_token": csrf(member, path + "/bayar-sendiri"),
                                                      "bulan": "2027-06", "nomor_bukti": "BPU-778899"}).status_code == 303
    agus = member_id(app, "PA-0001")
    with app.app_context():
        consent.erase(db.session.get(Submission, agus))
        db.session.commit()
        kept = [(p.first, p.amount, p.receipt) for p in db.session.scalars(select(CoverPeriod).where(
            CoverPeriod.submission_id == agus).order_by(CoverPeriod.first))]
    assert kept == [("2027-03", 42000, None), ("2027-06", 16800, None)]


def test_a_long_lapse_list_shows_the_soonest_and_counts_the_rest(app, pintu_air, monkeypatch, season):  # noqa: F811
    from portal.bpjs import lapse

    answered(app, pintu_air)
    set_today(monkeypatch, date(2027, 3, 5))
    monkeypatch.setattr(lapse, "SHOWN", 1)
    monkeypatch.setattr(lapse.rows, "__defaults__", (None, 1))
    page = soup(pintu_air.get("/admin/perlindungan/pintu-air/"))
    assert list(_rows(page, "segera-berakhir")) == ["Bene Petani"]  # the soonest to end
    assert page.select("h2")[0].get_text() == "Berakhir dalam dua bulan (2)"
    assert "Ditampilkan 1 anggota yang paling dulu berakhir dari 2." in page.get_text(" ", strip=True)
    with app.app_context():
        ending, ended = lapse.rows("pintu-air", limit=None)
        assert [r.submission.name for r in ending] == ["Bene Petani", "Agus Ojek"] and ending.total == 2
        assert ended == [] and ended.total == 0
