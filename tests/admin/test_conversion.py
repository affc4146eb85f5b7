"""The conversion sheet: a hand-made SHU list across a rate change, checked
against months and remainders worked out by hand from data/rates.yml:

- JKK+JKM at the lowest income is Rp10.000 + Rp6.800 = Rp16.800 a month, halved
  to Rp8.400 by PP 50/2025 until December 2026 (most work) or March 2027
  (transport). JHT adds Rp20.000, never discounted.
- The RAT is on 20 February 2027, so contributions start in March 2027: the
  last discounted month for an ojek driver, full price for a farmer.
"""
import io
import logging

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.rat import conversion
from portal.extensions import db
from portal.models import RatRecord
from kkbc.rates import Month
from tests.actions import submit
from tests.admin.conftest import audit_entries, csrf
from tests.admin.test_rat import final_record
from tests.conftest import soup

MEMBERS = [  # name, phone, member number, occupation, package, how the SHU answer was given
    ("Agus Ojek", "0812 1111 0001", "PA-0001", "ojek", "jkk-jkm", {"shu_cara": "persen", "shu_persen": "50"}),
    ("Bene Petani", "0812 1111 0002", "PA-0002", "petani", "jkk-jkm", {"shu_cara": "rupiah", "shu_rupiah": "200000"}),
    ("Clara Ojek", "0812 1111 0003", "PA-0003", "ojek", "jkk-jkm-jht", {"shu_cara": "bulan", "shu_bulan": "6"}),
    ("Emi Petani", "0812 1111 0005", "PA-0005", "petani", "jkk-jkm", {"shu_cara": "rupiah", "shu_rupiah": "300000"}),
    ("Fidel Tanpa SHU", "0812 1111 0006", "PA-0006", "nelayan", "jkk-jkm", {"shu_cara": "persen", "shu_persen": "25"}),
    ("Gusti Belum", "0812 1111 0007", "PA-0007", "petani", "jkk-jkm", {"shu": "belum", "shu_cara": "", "shu_persen": ""}),
]
# Amounts no other figure in the database could contain by chance.
SHU_LIST = "Nomor anggota;SHU\npa 0001;100.002\nPA-0002;Rp500.003\nPA0003;250007\nPA-0005;120009\nPA-0007;340011\nPA-0099;777001\n"
EXPECTED = [
    # member, agreed, SHU, converted, months, from, to, monthly costs, cash
    ("PA-0001", "50% SHU", 100002, 42000, 3, "Maret 2027", "Mei 2027",
     "Maret 2027-Maret 2027: Rp8.400; April 2027-Mei 2027: Rp16.800", 58002),
    ("PA-0002", "Rp200.000", 500003, 184800, 11, "Maret 2027", "Januari 2028",
     "Maret 2027-Januari 2028: Rp16.800", 315203),
    ("PA-0003", "6 bulan iuran", 250007, 212400, 6, "Maret 2027", "Agustus 2027",
     "Maret 2027-Maret 2027: Rp28.400; April 2027-Agustus 2027: Rp36.800", 37607),
    ("PA-0005", "Rp300.000", 120009, 117600, 7, "Maret 2027", "September 2027",
     "Maret 2027-September 2027: Rp16.800", 2409),
]
TOTAL = 42000 + 184800 + 212400 + 117600


@pytest.fixture
def season(app, pintu_air):
    """Six members of Pintu Air and a final "diterima" RAT of 20 February 2027."""
    member = app.test_client()
    for name, phone, number, occupation, package, shu in MEMBERS:
        answers = {"nama": name, "nomor_hp": phone, "nomor_anggota": number, "pekerjaan": occupation,
                   "program": package, "shu_persen": "", **shu}
        assert submit(member, "/k/pintu-air", **answers).status_code == 303
    return final_record(pintu_air, tanggal="2027-02-20", batas="pilihan", batas_nilai="")


def make_sheet(client, record_id, content: bytes, name="shu.csv", kind="xlsx", start="2027-03"):
    path = f"/admin/rat/pintu-air/{record_id}/konversi"
    return client.post(path, content_type="multipart/form-data", data={
        "csrf_token": csrf(client, path), "mulai": start, "bentuk": kind,
        "berkas": (io.BytesIO(content), name, "text/csv")})


def test_sheet_matches_hand_computed_months_and_remainders(app, pintu_air, season):
    response = make_sheet(pintu_air, season, SHU_LIST.encode())
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.data))
    lines = list(book.worksheets[0].iter_rows(values_only=True))
    assert lines[0][:3] == ("Nomor anggota", "Nama", "Yang disetujui")
    got = [(r[0], r[2], r[5], r[6], r[7], r[8], r[9], r[10], r[11]) for r in lines[1:-1]]
    assert got == EXPECTED
    assert lines[-1][0] == "Jumlah ditransfer ke BPJS Ketenagakerjaan" and lines[-1][6] == TOTAL
    assert [r[0] for r in book.worksheets[1].iter_rows(values_only=True)] == ["Nomor anggota", "PA-0007", "PA-0099"]
    assert [r for r in book.worksheets[2].iter_rows(values_only=True)] == [
        ("Nomor anggota", "Nama"), ("PA-0006", "Fidel Tanpa SHU")]
    assert {r[12] for r in lines[1:-1]} == {None, "dibatasi besar SHU anggota"}

    page = soup(make_sheet(pintu_air, season, SHU_LIST.encode(), kind="layar"))
    assert page.select_one(".rat-figure").get_text(strip=True) == \
        "Ditransfer ke BPJS Ketenagakerjaan: Rp556.800 untuk 4 anggota."
    assert [th.get_text() for th in page.select("table.admin-table tbody th")] == [e[0] for e in EXPECTED]

    made = audit_entries(app, "lembar_konversi")
    assert [(e.actor, e.rows, sorted(e.detail)) for e in made] == [("ani", 4, ["bentuk", "rat", "sha256"])] * 2
    import hashlib
    assert made[0].detail["sha256"] == hashlib.sha256(SHU_LIST.encode()).hexdigest()


def test_no_shu_amount_is_kept_anywhere(app, pintu_air, season, caplog):
    caplog.set_level(logging.DEBUG)
    assert make_sheet(pintu_air, season, SHU_LIST.encode()).status_code == 200
    assert make_sheet(pintu_air, season, SHU_LIST.encode(), kind="layar").status_code == 200
    amounts = ["100002", "100.002", "500003", "500.003", "250007", "120009", "340011", "777001",
               "58002", "315203", "37607", "556800", "556.800"]
    with app.app_context():
        found = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                for column, value in zip(table.columns, row):
                    as_text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    found += [(table.name, column.name, a) for a in amounts if a in as_text]
        assert found == []
        assert db.session.scalar(select(db.func.count()).select_from(RatRecord)) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [a for a in amounts if a in logged]


def test_ceiling_of_the_rat_caps_what_is_converted():
    record = RatRecord(allowance="persen", allowance_value=50, package="jkk-jkm")
    line = conversion.line_for("PA-1", "Dina", {"shu_cara": "persen", "shu_nilai": 80, "program": "jkk-jkm"},
                               "petani", 300000, record, Month(2027, 3))
    # 50% of 300.000 = 150.000 → 8 months at 16.800 = 134.400; cash 300.000 - 134.400.
    assert (line.converted, line.months, line.cash, line.note) == \
        (134400, 8, 165600, "dibatasi keputusan RAT: paling banyak 50% SHU")
    record = RatRecord(allowance="rupiah", allowance_value=100000, package="jkk-jkm")
    line = conversion.line_for("PA-1", "Dina", {"shu_cara": "bulan", "shu_nilai": 12, "program": "jkk-jkm"},
                               "petani", 900000, record, Month(2027, 3))
    assert (line.converted, line.months, line.cash) == (16800 * 5, 5, 900000 - 16800 * 5)


@pytest.mark.parametrize("content, expected", [
    ("Nama;SHU\nAna;100\n", [(1, None, "Kolom ini tidak ada: Nomor anggota. Ganti judul kolom di baris pertama menjadi "
                                   "Nomor anggota dan SHU, atau salin daftar Anda ke templat daftar SHU di halaman ini")]),
    ("Nomor anggota,SHU\nPA-1,=HYPERLINK(\"http://x\")\n", [(2, "SHU", "Berisi rumus spreadsheet. Tulis isinya saja, tanpa tanda = di depan")]),
    ("Nomor anggota,SHU\n<b>PA-1</b>,100\n", [(2, "Nomor anggota", "Berisi kode (tanda < atau &). Tulis teks biasa saja")]),
    ("Nomor anggota,SHU\nPA-1,seratus\n", [(2, "SHU", "SHU harus berupa angka rupiah utuh, misalnya 400000 atau Rp400.000")]),
    ("Nomor anggota,SHU\nPA-1,-5000\n", [(2, "SHU", "SHU harus berupa angka rupiah utuh, misalnya 400000 atau Rp400.000")]),
    ("Nomor anggota,SHU\nPA-1,100\npa 1,200\n", [(3, "Nomor anggota", "Nomor anggota ini sudah ada di baris 2. Satu anggota hanya boleh satu baris")]),
    ("Nomor anggota,SHU\n", [(None, None, "Tidak ada baris SHU di berkas ini")]),
])
def test_bad_lists_get_clear_messages(content, expected):
    with pytest.raises(conversion.SheetError) as caught:
        conversion.read(content.encode())
    assert caught.value.problems == expected


def test_a_bad_list_makes_no_sheet_and_says_why(app, pintu_air, season):
    response = make_sheet(pintu_air, season, b"Nomor anggota,SHU\nPA-0001,=1+1\nPA-0001,5\n")
    assert response.status_code == 400
    items = [li.get_text(" ", strip=True) for li in soup(response).select(".portal-error-summary li")]
    assert items[0] == "Baris 2, kolom SHU: Berisi rumus spreadsheet. Tulis isinya saja, tanpa tanda = di depan"
    assert audit_entries(app, "lembar_konversi") == []
    too_big = make_sheet(pintu_air, season, b"Nomor anggota,SHU\n" + b"PA-1,1\n" * (1_600_000))
    assert too_big.status_code == 413
    assert "Berkas terlalu besar. Paling besar 10 MB" in soup(too_big).select_one("#berkas-error").get_text()


def test_no_sheet_without_a_final_accepted_decision(app, pintu_air, members):
    rejected = final_record(pintu_air, hasil="ditolak")
    response = pintu_air.get(f"/admin/rat/pintu-air/{rejected}/konversi")
    assert "final" in soup(response).select_one("main p").get_text()
    assert make_sheet(pintu_air, rejected, SHU_LIST.encode()).status_code == 409


@pytest.mark.parametrize("package", ["jkk-jkm", "jkk-jkm-jht"])
@pytest.mark.parametrize("sector", ["lainnya", "transportasi"])
def test_a_shared_month_walk_gives_what_walking_month_by_month_gives(package, sector):
    """The sheet walks each package and sector once; every amount, across the
    PP 50/2025 discount's end, gets the months and rupiah of rates.months_of_cover."""
    import random

    from kkbc.rates import monthly_cost, months_of_cover

    start = Month(2026, 10)
    walk = conversion.Walk(start, package, sector)
    rng = random.Random(5)
    for amount in [0, 1, 8399, 8400, 16800, 25200] + [rng.randrange(2_000_000) for _ in range(300)]:
        cover = months_of_cover(amount, package, start, sector)
        assert walk.cover(amount) == (cover.months, cover.paid), amount
        segments = walk.segments(cover.months)
        assert sum(s.months for s in segments) == cover.months
        assert sum(s.months * s.cost for s in segments) == cover.paid
        assert all(monthly_cost(package, s.first, sector) == s.cost for s in segments)


def test_hostile_names_and_numbers_are_inert_in_the_sheet(app, pintu_air, season):
    """A name typed as a formula reaches the lines and the checking tab as
    text with its apostrophe, never as a formula."""
    member = app.test_client()
    for name, phone, number in (('=HYPERLINK("http://jahat.example","klik")', "0812 1111 0021", "PA-0021"),
                                ("+62 Umbu", "0812 1111 0022", "@SUM(1+1)")):
        assert submit(member, "/k/pintu-air", nama=name, nomor_hp=phone, nomor_anggota=number,
                      shu_cara="persen", shu_persen="10").status_code == 303
    response = make_sheet(pintu_air, season, (SHU_LIST + "PA-0021;90013\n").encode())
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    lines = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert lines["PA-0021"] == '\'=HYPERLINK("http://jahat.example","klik")'
    tab = [row for row in book["Setuju tanpa data SHU"].iter_rows(min_row=2, values_only=True)]
    assert ("'@SUM(1+1)", "'+62 Umbu") in tab
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f" or (isinstance(c.value, str) and c.value[:1] in "=+-@")]


def test_a_sheet_out_of_time_says_so_and_gives_no_total(app, pintu_air, season):
    app.config["EXPORT_SECONDS"] = -1  # already out of time when the first line is written
    response = make_sheet(pintu_air, season, SHU_LIST.encode())
    assert response.status_code == 200
    lines = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))
    # The header is whole even when the first row written is the one-cell closing line.
    assert list(lines[0]) == conversion.HEADERS
    # The download is joined as it is written: the count is not known before, the way out is.
    assert lines[-1][0] == ("BERKAS TIDAK LENGKAP: hanya 0 baris, karena waktu habis. Coba unduh lagi beberapa "
                            "menit lagi, saat portal tidak sibuk. Bentuk CSV paling cepat dibuat.")
    assert not [line for line in lines if line[0] == "Jumlah ditransfer ke BPJS Ketenagakerjaan"]
    # The checking tabs would list members the cut join never reached: each says why it is empty.
    book = load_workbook(io.BytesIO(response.data))
    for tab in book.worksheets[1:]:
        rows = list(tab.iter_rows(values_only=True))
        assert len(rows) == 2 and rows[1][0].startswith("Tidak dibuat, karena waktu habis"), tab.title


def test_the_shu_template_is_what_the_sheet_reads_and_a_ledger_header_points_to_it(app, pintu_air, season):
    page = soup(pintu_air.get(f"/admin/rat/pintu-air/{season}/konversi"))
    links = {a.get_text(): a["href"] for a in page.select("a[download]")}
    assert links == {"XLSX (Excel)": "/admin/rat/pintu-air/templat-shu.xlsx",
                     "CSV": "/admin/rat/pintu-air/templat-shu.csv"}
    csv_template = pintu_air.get(links["CSV"])
    assert csv_template.headers["Content-Disposition"] == 'attachment; filename="templat-daftar-shu-pintu-air.csv"'
    assert csv_template.get_data(as_text=True) == "\ufeffNomor anggota,SHU\r\n"
    xlsx_template = pintu_air.get(links["XLSX (Excel)"]).get_data()
    sheet = load_workbook(io.BytesIO(xlsx_template)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["Nomor anggota", "SHU"]]
    # The template, filled in, makes a sheet; the ledger's own header is told where to go.
    filled = csv_template.get_data() + b"PA-01234,400000\r\n"
    assert make_sheet(pintu_air, season, filled, kind="layar").status_code == 200
    ledger = make_sheet(pintu_air, season, b"No. Anggota;Jumlah SHU\nPA-01234;400000\n", kind="layar")
    assert ledger.status_code == 400
    assert soup(ledger).select_one(".portal-error-summary li").get_text(" ", strip=True) == (
        "Baris 1: Kolom ini tidak ada: Nomor anggota, SHU. Ganti judul kolom di baris pertama menjadi "
        "Nomor anggota dan SHU, atau salin daftar Anda ke templat daftar SHU di halaman ini")


def test_unknown_and_withdrawn_numbers_are_listed_apart_as_the_ledger_writes_them(app, pintu_air, season):
    from portal import consent
    from portal.models import Submission
    with app.app_context():  # Emi agreed, then withdrew her SHU consent from her private page
        emi = db.session.scalar(select(Submission).where(Submission.member_number == "PA-0005"))
        consent.withdraw_shu(emi)
        db.session.commit()
    ledger = SHU_LIST.replace("PA-0005", "pa 0005") + "OM-T001;150000\n"
    page = soup(make_sheet(pintu_air, season, ledger.encode(), kind="layar"))
    lists = {h2.get_text().split(" (")[0]: h2.find_next("p", class_="rat-numbers") for h2 in page.select("h2")}
    assert lists["Di daftar SHU, sudah menarik persetujuan SHU"].get_text() == "pa 0005"
    assert lists["Di daftar SHU, tidak pernah setuju lewat portal"].get_text() == "OM-T001, PA-0007, PA-0099"
    book = load_workbook(io.BytesIO(make_sheet(pintu_air, season, ledger.encode()).data))
    assert [r[0] for r in book["Menarik persetujuan SHU"].iter_rows(values_only=True)] == ["Nomor anggota", "pa 0005"]
    assert [r[0] for r in book["Di daftar SHU tanpa setuju"].iter_rows(values_only=True)] == \
        ["Nomor anggota", "OM-T001", "PA-0007", "PA-0099"]


def test_the_csv_download_holds_the_same_lines_and_total(app, pintu_air, season):
    import csv

    response = make_sheet(pintu_air, season, SHU_LIST.encode(), kind="csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Nomor anggota", "Nama", "Yang disetujui"]
    assert [(r[0], r[2], int(r[5]), int(r[6]), int(r[7]), r[8], r[9], r[10], int(r[11])) for r in rows[1:-1]] == EXPECTED
    assert rows[-1][0] == "Jumlah ditransfer ke BPJS Ketenagakerjaan" and int(rows[-1][6]) == TOTAL


def test_a_sheet_keeping_a_few_lines_still_counts_everyone(app, pintu_air, season):
    with app.app_context():
        record = db.session.get(RatRecord, season)
        amounts = conversion.read(SHU_LIST.encode())
        few, every = (conversion.make(record, amounts, Month(2027, 3), keep) for keep in (2, None))
        assert [line.member_number for line in few.lines] == [e[0] for e in EXPECTED[:2]]
        assert (few.count, few.total) == (every.count, every.total) == (4, TOTAL)
        assert len(every.lines) == 4 and few.upload_only == every.upload_only == ["PA-0007", "PA-0099"]


def test_the_shu_list_gives_each_line_to_the_first_consent_of_its_number():
    shu = conversion.read("Nomor anggota;SHU\nPA-2;200000\npa 1;100000\nPA-3;300000\n".encode())
    try:
        assert len(shu) == 3 and "PA1" in shu and "PA9" not in shu
        shu.start_join({"PA3"})
        # Two records with one member number: the first takes the line, the second gets nothing.
        assert (shu.take("PA1", 7), shu.take("PA1", 8)) == (100000, None)
        assert (shu.taken("PA1", 7), shu.taken("PA1", 8)) == (100000, None)
        shu.miss("PA-9", "Yosef Lewar")
        assert list(shu.untaken(False)) == ["PA-2"] and list(shu.untaken(True)) == ["PA-3"]
        assert list(shu.missing()) == [("PA-9", "Yosef Lewar")] and shu.counts() == (1, 1, 1)
        shu.start_join(set())  # a new join forgets the last one
        assert shu.take("PA1", 8) == 100000 and list(shu.missing()) == []
    finally:
        shu.close()


def test_a_download_is_joined_once_and_a_sheet_made_again_gives_the_same_lines(app, pintu_air, season):
    with app.app_context():
        record = db.session.get(RatRecord, season)
        shown = conversion.make(record, conversion.read(SHU_LIST.encode()), Month(2027, 3), 1)
        again = [line.member_number for line in shown.every_line()]
        download = conversion.for_download(record, conversion.read(SHU_LIST.encode()), Month(2027, 3))
        assert (download.count, download.joined) == (0, False)  # nothing joined before it is written
        written = [row[0] for row in conversion.rows(download)]
        assert again == written[:-1] == [e[0] for e in EXPECTED]
        assert (download.count, download.total, download.joined) == (shown.count, shown.total, True) == (4, TOTAL, True)
