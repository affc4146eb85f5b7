"""The handover to BPJS: a hand-made conversion sheet (tests/admin/test_conversion.py)
becomes a handover list with the expected columns, months and totals; a branch's
own layout; BPJS's answer matched, re-imported, with foreign and unknown rows;
another cooperative's batch answers 404; a withdrawal after the handover is flagged."""
import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from portal import consent
from portal.extensions import db
from portal.models import BpjsRegistration, HandoverEntry, Submission
from tests.actions import submit
from tests.admin.conftest import audit_entries, csrf
from tests.admin.test_conversion import SHU_LIST, season  # noqa: F401 (fixture)
from tests.conftest import soup

# Valid NIKs (Sikka, Ende, Kota Kupang) agreeing with each member's date of birth and sex.
NIKS = {
    "PA-0001": ("5307010101800001", "01-01-1980", "L"),
    "PA-0002": ("5308014202810002", "02-02-1981", "P"),
    "PA-0003": ("5371010303820003", "03-03-1982", "L"),
}
FOREIGN_NIK = "5310010404830004"  # registered through Obor Mas


def member_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Submission.id).where(Submission.member_number == number))


def officer_registers(client, slug: str, submission_id: int, nik: str, born: str, sex: str):
    path = f"/admin/bpjs/{slug}/anggota/{submission_id}"
    return client.post(path, data={
        "csrf_token": csrf(client, path), "nik": nik, "nama_ktp": "Nama Sesuai KTP", "tanggal_lahir": born,
        "jenis_kelamin": sex, "nomor_hp": "0812 7777 0001", "pekerjaan": "petani", "kabupaten": "53.07",
        "program": "jkk-jkm", "penghasilan": "1000000", "setuju_bpjs": "y", "saluran": "kantor-cabang",
        "cara": "dibacakan"})


def make_handover(client, slug="pintu-air", branch=None, start="2027-03"):
    path = f"/admin/bpjs/{slug}/"
    page = soup(client.get(path))
    branch = branch or page.select_one("#cabang option")["value"]
    response = client.post(path + "serah", content_type="multipart/form-data", data={
        "csrf_token": page.select_one('input[name="csrf_token"]')["value"], "mulai": start, "cabang": branch,
        "berkas": (io.BytesIO(SHU_LIST.encode()), "shu.csv", "text/csv")})
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"].rstrip("/")


def ready(app, client):
    for number, (nik, born, sex) in NIKS.items():
        assert officer_registers(client, "pintu-air", member_id(app, number), nik, born, sex).status_code == 303


def test_handover_list_follows_the_conversion_sheet(app, pintu_air, season):  # noqa: F811
    ready(app, pintu_air)
    home = soup(pintu_air.get("/admin/bpjs/pintu-air/")).get_text()
    assert "5307••••••••0001" in home and "5307010101800001" not in home  # masked for staff
    batch = make_handover(pintu_air)
    page = soup(pintu_air.get(batch))
    assert page.select_one("#jumlah-serah").get_text(strip=True) == "3 anggota, 20 bulan iuran, Rp439.200."
    # Masked on the page; PA-0005 has no registration data, and says so.
    assert [td.get_text() for td in page.select("#anggota-serah tbody td.portal-code")] == [
        "5307••••••••0001", "5308••••••••0002", "5371••••••••0003"]
    assert "PA-0005 Emi Petani: data pendaftaran BPJS" in page.select_one("#belum-lengkap").get_text(" ", strip=True)

    book = load_workbook(io.BytesIO(pintu_air.get(batch + "/daftar.xlsx").data))
    lines = list(book.worksheets[0].iter_rows(values_only=True))
    assert lines[0] == ("NIK", "Nama lengkap sesuai KTP", "Tanggal lahir", "Jenis kelamin", "Nomor HP", "Pekerjaan",
                        "Kabupaten/kota tempat bekerja", "Program", "Penghasilan yang dilaporkan", "Jumlah bulan",
                        "Iuran dibayar", "Bulan pertama", "Bulan terakhir", "Nomor anggota koperasi", "Koperasi",
                        "Keterangan")
    assert [(r[0], r[2], r[3], r[9], r[10], r[11], r[12], r[13], r[15]) for r in lines[1:-1]] == [
        ("5307010101800001", "01-01-1980", "Laki-laki", 3, 42000, "Maret 2027", "Mei 2027", "PA-0001", "Baru"),
        ("5308014202810002", "02-02-1981", "Perempuan", 11, 184800, "Maret 2027", "Januari 2028", "PA-0002", "Baru"),
        ("5371010303820003", "03-03-1982", "Laki-laki", 6, 212400, "Maret 2027", "Agustus 2027", "PA-0003", "Baru"),
    ]
    assert (lines[-1][0], lines[-1][9], lines[-1][10]) == ("Jumlah: 3 anggota", 20, 439200)
    rows = list(csv.reader(io.StringIO(pintu_air.get(batch + "/daftar.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == "5307010101800001" and rows[1][4] == "0812-7777-0001" and rows[-1][10] == "439200"
    printed = soup(pintu_air.get(batch + "/cetak"))
    assert len(printed.select("section.cetak-lembar")) == 4  # three members and the totals

    with app.app_context():
        entries = db.session.scalars(select(HandoverEntry)).all()
        assert sorted((e.kind, e.months, e.amount) for e in entries) == [
            ("serah", 3, 42000), ("serah", 6, 212400), ("serah", 11, 184800)]
    assert [e.rows for e in audit_entries(app, "serah_bpjs")] == [3]
    assert [e.detail["bentuk"] for e in audit_entries(app, "serah_unduh")] == ["xlsx", "csv", "cetak"]
    assert len(audit_entries(app, "data_bpjs")) == 3

    # Made again, the same members are not handed over twice.
    again = soup(pintu_air.get(make_handover(pintu_air)))
    assert again.select_one("#jumlah-serah").get_text(strip=True) == "0 anggota, 0 bulan iuran, Rp0."
    assert "sudah diserahkan di daftar nomor 1" in again.select_one("#belum-lengkap").get_text()


def test_a_branch_sets_its_own_columns_and_date_format(app, campaign, pintu_air, season):  # noqa: F811
    path = "/admin/bpjs/tata-letak/"
    response = campaign.post(path, data={"csrf_token": csrf(campaign, path), "nama": "Cabang Maumere",
                                         "kolom": "nomor_anggota = No. BA\nnik = NIK KTP\ntanggal_lahir\niuran = Iuran (Rp)",
                                         "format_tanggal": "%Y-%m-%d"})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    bad = campaign.post(path, data={"csrf_token": csrf(campaign, path), "nama": "Cabang X",
                                    "kolom": "nik\ngaji = Gaji", "format_tanggal": "%Y-%m-%d"})
    assert bad.status_code == 400
    assert soup(bad).select_one("#kolom-error").get_text(" ", strip=True) == "Galat: Baris 2: 'gaji' bukan nama kolom yang dikenal"
    assert pintu_air.get(path).status_code == 403  # the campaign team's page

    ready(app, pintu_air)
    page = soup(pintu_air.get("/admin/bpjs/pintu-air/"))
    maumere = [o["value"] for o in page.select("#cabang option") if o.get_text() == "Cabang Maumere"][0]
    batch = make_handover(pintu_air, branch=maumere)
    lines = list(load_workbook(io.BytesIO(pintu_air.get(batch + "/daftar.xlsx").data)).worksheets[0].iter_rows(values_only=True))
    assert lines[0] == ("No. BA", "NIK KTP", "Tanggal lahir", "Iuran (Rp)")
    assert lines[1] == ("PA-0001", "5307010101800001", "1980-01-01", 42000)
    assert lines[-1] == ("Jumlah: 3 anggota", None, None, 439200)


def answer_file(*rows) -> bytes:
    return ("NIK;No BA;KPJ;Hasil;Alasan;Kode bayar;Bulan\n" + "".join(";".join(r) + "\n" for r in rows)).encode()


COLUMNS = {"kolom_nik": "NIK", "kolom_nomor_anggota": "No BA", "kolom_kpj": "KPJ", "kolom_status": "Hasil",
           "kolom_alasan": "Alasan", "kolom_kode_iuran": "Kode bayar", "kolom_bulan_dibayar": "Bulan"}


def upload_answer(client, batch, content):
    response = client.post(batch + "/jawaban", content_type="multipart/form-data", data={
        "csrf_token": csrf(client, batch), **COLUMNS, "berkas": (io.BytesIO(content), "jawaban.csv", "text/csv")})
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    page = soup(response)
    form = page.select_one("form[action*='/jawaban/']")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    return page, form["action"], fields


def test_bpjs_answer_is_matched_previewed_and_idempotent(app, pintu_air, obor_mas, season):  # noqa: F811
    ready(app, pintu_air)
    batch = make_handover(pintu_air)
    # An Obor Mas member with registration data: their NIK must not match Pintu Air's batch.
    other = app.test_client()
    assert submit(other, "/k/obor-mas", koperasi="obor-mas", nama="Orang Lain", nomor_hp="0852 1111 2222").status_code == 303
    with app.app_context():
        foreign_id = db.session.scalar(select(Submission.id).where(Submission.name == "Orang Lain"))
    assert officer_registers(obor_mas, "obor-mas", foreign_id, FOREIGN_NIK, "04-04-1983", "L").status_code == 303

    content = answer_file(
        ("5307 0101 0180 0001", "", "12 345 678 901", "Terdaftar", "", "KI-77", "3"),  # by NIK, written in groups
        ("", "pa-0002", "22345678902", "terdaftar", "", "KI-77", ""),                  # by member number
        ("5371010303820003", "", "", "Ditolak", "NIK belum padan Dukcapil", "", ""),
        (FOREIGN_NIK, "", "32345678903", "Terdaftar", "", "KI-77", ""),                # another cooperative's member
        ("5307019999990009", "", "42345678904", "Terdaftar", "", "", ""),              # nobody
        ("", "PA-0005", "52345678905", "Terdaftar", "", "", ""),                      # not in this batch
    )
    page, action, fields = upload_answer(pintu_air, batch, content)
    assert page.select_one("#ringkasan-jawaban strong").get_text() == \
        "3 anggota akan berubah, 0 sudah sama, 3 baris tidak cocok."
    assert [li.get_text() for li in page.select("#tidak-cocok li")] == [
        f"Baris {n}: Tidak cocok dengan anggota di daftar ini" for n in (5, 6, 7)]
    assert "KPJ •••••••8901" in page.select_one("#akan-berubah").get_text()  # masked in lists
    with app.app_context():  # nothing changed yet
        assert db.session.scalar(select(BpjsRegistration.kpj).where(BpjsRegistration.kpj.is_not(None))) is None

    response = pintu_air.post(action, data=fields)
    assert response.status_code == 303
    first, second, third = (member_id(app, n) for n in ("PA-0001", "PA-0002", "PA-0003"))
    with app.app_context():
        kpj = {r.submission_id: r.kpj for r in db.session.scalars(select(BpjsRegistration))}
        assert kpj[first] == "12345678901" and kpj[second] == "22345678902"
        assert kpj[foreign_id] is None
        results = {e.submission_id: (e.result, e.reason, e.payment_code, e.months_paid)
                   for e in db.session.scalars(select(HandoverEntry))}
        assert results[first] == ("terdaftar", None, "KI-77", 3)
        assert results[third] == ("ditolak", "NIK belum padan Dukcapil", None, None)
    assert [(e.rows, e.detail["tidak_cocok"]) for e in audit_entries(app, "jawaban_bpjs")] == [(3, 3)]
    with app.test_request_context():
        code = db.session.get(Submission, first).receipt_code
        own_page = f"/kelola/{code}/{consent.link_signature(code)}"
        db.session.remove()
    shown = soup(app.test_client().get(own_page)).select_one("#data-bpjs").get_text(" ", strip=True)
    assert "Nomor kepesertaan (KPJ) 12345678901" in shown  # the member sees their KPJ in full

    # The same file again changes nothing, and the branch remembers its columns.
    page, action, fields = upload_answer(pintu_air, batch, content)
    assert page.select_one("#ringkasan-jawaban strong").get_text().startswith("0 anggota akan berubah, 3 sudah sama")
    assert pintu_air.post(action, data=fields).status_code == 303
    assert [e.rows for e in audit_entries(app, "jawaban_bpjs")] == [3, 0]
    remembered = soup(pintu_air.get(batch))
    assert remembered.select_one("#kolom_kpj")["value"] == "KPJ"

    # A KPJ that is not digits is refused, by row.
    page, _, _ = upload_answer(pintu_air, batch, answer_file(("5307010101800001", "", "KPJ-12A", "Terdaftar", "", "", "")))
    assert "Baris 2, kolom Nomor KPJ: Nomor KPJ hanya berisi angka (paling banyak 20)" in page.get_text()


def test_another_cooperatives_handover_answers_404(app, pintu_air, obor_mas, season):  # noqa: F811
    ready(app, pintu_air)
    batch = make_handover(pintu_air)
    for path in (batch, batch + "/daftar.xlsx", batch + "/cetak", "/admin/bpjs/pintu-air/",
                 f"/admin/bpjs/pintu-air/anggota/{member_id(app, 'PA-0001')}"):
        assert obor_mas.get(path).status_code == 404, path
    refused = audit_entries(app, "ditolak")
    assert len(refused) == 5 and {e.actor for e in refused} == {"oki"}
    assert not audit_entries(app, "serah_unduh")


def test_withdrawal_after_the_handover_is_flagged_on_the_next_list(app, pintu_air, season):  # noqa: F811
    ready(app, pintu_air)
    make_handover(pintu_air)
    second = member_id(app, "PA-0002")
    with app.app_context():
        consent.withdraw_shu(db.session.get(Submission, second))
        db.session.commit()
    batch = make_handover(pintu_air)
    page = soup(pintu_air.get(batch))
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in page.select("#anggota-serah tbody tr")]
    assert [(r[0], r[3]) for r in rows] == [("PA-0002", "Tarik dari BPJS")]
    lines = list(load_workbook(io.BytesIO(pintu_air.get(batch + "/daftar.xlsx").data)).worksheets[0].iter_rows(values_only=True))
    assert lines[1][13] == "PA-0002" and lines[1][15] == "Tarik dari BPJS"
    # Flagged once: the list after that does not repeat it.
    third = soup(pintu_air.get(make_handover(pintu_air)))
    assert not third.select("#anggota-serah tbody tr")


def test_bad_input_gets_a_message_never_a_500(app, pintu_air, season):  # noqa: F811
    page = "/admin/bpjs/pintu-air/"
    response = pintu_air.post(page + "serah", content_type="multipart/form-data", data={
        "csrf_token": csrf(pintu_air, page), "mulai": "2027-13", "cabang": "'; drop table x",
        "berkas": (io.BytesIO(b"\x00\x01garbage"), "shu.csv", "text/csv")})
    assert response.status_code == 400
    errors = [a.get_text() for a in soup(response).select(".portal-error-summary a")]
    assert errors == ["Tulis bulan seperti 2027-04 (tahun-bulan)", "Pilih tata letak kantor cabang"]

    ready(app, pintu_air)
    batch = make_handover(pintu_air)
    garbage = upload_answer(pintu_air, batch, b"\xff\xfe\x00garbage;;;\n\x00")[0]
    assert garbage.select_one("#ringkasan-jawaban strong").get_text().startswith("0 anggota akan berubah")
    unknown = pintu_air.post(batch + "/jawaban/tidak-ada", data={"csrf_token": csrf(pintu_air, batch)})
    assert unknown.status_code == 303 and unknown.headers["Location"].endswith(batch.split("/admin")[1])
