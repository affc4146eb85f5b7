"""Paper forms: numbered batches, the import template, and an import that
stores nothing before confirmation, then only the good rows, never twice."""
import csv
import hashlib
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from kkbc import data
from portal.outreach import imports, paper
from portal.platform import backups
from portal.extensions import db
from portal.models import ConsentEvent, PaperForm, PendingImport, Submission
from tests.admin.conftest import audit_entries, csrf
from tests.conftest import soup


def test_numbers_carry_a_check_digit():
    number = paper.number_for(12, 34)
    assert paper.display(number) == "0012-034-" + number[-1]
    for typed in (paper.display(number), number, " 12 034 " + number[-1], "0012.034." + number[-1]):
        assert paper.normalise(typed) == number
    wrong = [number[:-1] + str((int(number[-1]) + d) % 10) for d in range(1, 10)]
    swapped = number[:4] + number[5] + number[4] + number[6:]
    assert all(paper.normalise(w) is None for w in wrong + [swapped, "", "abc", "1" * 30])


def new_batch(client, size="3", slug="pintu-air"):
    return client.post(f"/admin/formulir/{slug}/", data={
        "csrf_token": csrf(client, f"/admin/formulir/{slug}/"), "jumlah": size, "keterangan": "Cabang Maumere"})


def numbers(app, cooperative="pintu-air") -> list[str]:
    with app.app_context():
        return [paper.display(n) for n in db.session.scalars(
            select(PaperForm.number).where(PaperForm.cooperative == cooperative).order_by(PaperForm.number))]


def test_batches_are_recorded_and_printed(app, pintu_air, staff):
    response = new_batch(pintu_air)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/formulir/pintu-air/1/cetak"
    assert len(numbers(app)) == 3
    [entry] = audit_entries(app, "formulir_dicetak")
    assert (entry.actor, entry.rows, entry.detail) == ("ani", 3, {"berkas": 1})
    page = soup(pintu_air.get(response.headers["Location"]))
    assert any("size: A4" in style.get_text() for style in page.select("head style"))
    assert page.select_one("[role=status]").get_text() == "Berkas 1 berisi 3 formulir sudah dibuat. Cetak semuanya sekarang."
    assert len(page.select("section.cetak-formulir")) == 6
    text = page.get_text(" ", strip=True)
    assert all(n in text for n in numbers(app)) and "KSP Kopdit Pintu Air" in text
    # The form's own labels and the privacy notice's version, not copies.
    assert "Saya setuju data saya diolah untuk keperluan ini" in text
    assert "Bolehkah sebagian SHU Anda dipakai untuk membayar iuran?" in text
    assert "BPJS Ketenagakerjaan NTT" in text and f"versi {data.privacy()['version']}" in text
    for size in ("0", "201", "banyak"):
        assert new_batch(pintu_air, size).status_code == 400
    assert len(numbers(app)) == 3


def test_another_cooperatives_batch_is_refused(app, pintu_air, obor_mas, staff):
    assert new_batch(obor_mas, slug="obor-mas").status_code == 303
    assert pintu_air.get("/admin/formulir/obor-mas/").status_code == 404
    assert pintu_air.get("/admin/formulir/obor-mas/1/cetak").status_code == 404
    assert pintu_air.get("/admin/formulir/pintu-air/1/cetak").status_code == 404  # batch of obor-mas
    token = csrf(pintu_air, "/admin/formulir/pintu-air/")
    assert pintu_air.post("/admin/formulir/obor-mas/", data={"csrf_token": token, "jumlah": "5"}).status_code == 404
    assert len(numbers(app, "obor-mas")) == 3 and numbers(app) == []
    assert len(audit_entries(app, "ditolak")) == 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_has_the_forms_columns(sqlite_app, fmt):
    from tests.admin.conftest import PASSWORD, login
    from portal.staff import accounts
    with sqlite_app.app_context():
        accounts.create("ani", PASSWORD, "koperasi", "pintu-air")
        db.session.commit()
    client = sqlite_app.test_client()
    login(client, "ani")
    response = client.get(f"/admin/formulir/pintu-air/templat.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    else:
        header = [c.value for c in next(load_workbook(io.BytesIO(response.data)).active.iter_rows())]
    assert header[:3] == ["Nomor formulir", "Nama lengkap", "Nomor HP"]
    assert "Saya setuju data saya diolah untuk keperluan ini" in header
    with sqlite_app.app_context():
        assert header == list(imports.columns().values())


def sheet(rows, fmt="csv") -> bytes:
    with_header = [["Nomor formulir", "Nama lengkap", "Nomor HP", "Kabupaten atau kota tempat tinggal",
                    "Pekerjaan utama", "Saya berumur 18 tahun atau lebih", "Perlindungan yang Anda minati",
                    "Bolehkah sebagian SHU Anda dipakai untuk membayar iuran?",
                    "Saya setuju data saya diolah untuk keperluan ini", "Tanda tangan atau cap jempol"]] + rows
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(with_header)
        return out.getvalue().encode()
    book = Workbook()
    for row in with_header:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(number, name="Maria Goreti", phone="0812 3456 7890", **changes):
    values = [number, name, phone, "Kabupaten Sikka", "Petani atau peternak", "Ya", "jkk-jkm",
              "Belum memutuskan", "ya", "Cap jempol"]
    for index, value in changes.items():
        values[int(index[1:])] = value
    return values


def upload(client, content: bytes, name="formulir.csv"):
    return client.post("/admin/formulir/pintu-air/impor", data={
        "csrf_token": csrf(client, "/admin/formulir/pintu-air/impor"), "berkas": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def confirm(client, location):
    return client.post(location, data={"csrf_token": csrf(client, "/admin/sandi")})


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Submission)),
                db.session.scalar(select(func.count()).select_from(PendingImport)))


def problems(response) -> list[tuple[str, str]]:
    return [(tr.select_one("th").get_text(strip=True), li.get_text(" ", strip=True))
            for tr in soup(response).select("tbody tr") for li in tr.select("li")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_checks_every_row_and_stores_only_after_confirmation(app, pintu_air, staff, fmt):
    new_batch(pintu_air, "5")
    n = numbers(app)
    content = sheet([
        row(n[0]),
        row(n[1], name="Yohanes Bosco", phone="0813 3900 1122", c8=""),  # no consent
        row(n[2], name="=HYPERLINK(\"http://x.example\")", phone="0852 3800 4455"),  # a formula
        row(n[3], name="<b>Ani</b>", phone="0821 4400 6677"),  # HTML
        row("9999-999-9", name="Umbu Ndaka", phone="0821 4400 6678"),  # unknown number
        row(n[0], name="Maria lagi", phone="0812 3456 7891"),  # the same form twice
        row(n[4], name="Fransiska Wae", phone="0812 7777 8888", c3="Kota Kupang", c4="nelayan", c9="tanda tangan"),
    ], fmt)
    response = upload(pintu_air, content, f"formulir.{fmt}")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert counts(app) == (0, 1)  # checked and kept briefly, nothing stored

    page = pintu_air.get(location)
    assert problems(page) == [
        ("3", "Saya setuju data saya diolah untuk keperluan ini: Centang persetujuan ini. Tanpa persetujuan, "
              "kami tidak boleh menyimpan data Anda"),
        ("4", "Nama lengkap: Berisi rumus spreadsheet. Tulis isinya saja, tanpa tanda = di depan"),
        ("5", "Nama lengkap: Berisi kode (tanda < atau &). Tulis teks biasa saja"),
        ("6", "Nomor formulir: " + paper.UNKNOWN),
        ("7", "Nomor formulir: " + imports.DUPLICATE.format(row=2)),
    ]
    assert soup(page).select_one("form.portal-form button").get_text(strip=True) == "Simpan 2 formulir"
    assert counts(app) == (0, 1)

    assert confirm(pintu_air, location).status_code == 303
    assert counts(app) == (2, 0)  # the good rows, and the upload is forgotten
    with app.app_context():
        events = db.session.scalars(select(ConsentEvent).order_by(ConsentEvent.id)).all()
        assert [e.collection for e in events] == [
            {"channel": "impor", "method": "cap-jempol", "entered_by": "ani", "form_number": paper.normalise(n[0])},
            {"channel": "impor", "method": "kertas", "entered_by": "ani", "form_number": paper.normalise(n[4])}]
        fransiska = db.session.scalar(select(Submission).where(Submission.name == "Fransiska Wae"))
        assert (fransiska.kabupaten, fransiska.occupation) == ("53.71", "nelayan")
    [entry] = audit_entries(app, "impor")
    assert entry.actor == "ani" and entry.rows == 2
    assert entry.detail == {"sha256": hashlib.sha256(content).hexdigest(), "disimpan": 2, "ditolak": 5,
                            "sudah_ada": 0}
    # Confirming twice (back button, double tap) stores nothing more.
    assert confirm(pintu_air, location).status_code == 303
    assert counts(app) == (2, 0)

    # The same file again: every row is either refused or already there.
    again = upload(pintu_air, content, f"formulir.{fmt}")
    assert ("2", "Nomor formulir: " + imports.ALREADY) in problems(pintu_air.get(again.headers["Location"]))
    assert confirm(pintu_air, again.headers["Location"]).status_code == 303
    assert counts(app) == (2, 0)
    assert audit_entries(app, "impor")[-1].detail["sudah_ada"] == 3  # rows 2, 7 (n[0] again) and 8


def test_a_form_entered_by_hand_is_not_imported_again(app, pintu_air, staff):
    from tests.admin.test_assisted import send
    new_batch(pintu_air, "1")
    [number] = numbers(app)
    assert send(pintu_air, cara="kertas", nomor_formulir=number).status_code == 303
    response = upload(pintu_air, sheet([row(number, name="Maria Goreti")]))
    assert problems(pintu_air.get(response.headers["Location"])) == [("2", "Nomor formulir: " + imports.ALREADY)]
    assert confirm(pintu_air, response.headers["Location"]).status_code == 303
    assert counts(app) == (1, 0)


def test_bad_files_are_refused_with_a_message(app, pintu_air, staff):
    for content, message in [
        (b"", "Berkasnya kosong"),
        (b"Nama,Nomor HP\nMaria,0812\n", "Kolom ini tidak ada: Nomor formulir"),
        (b"PK\x03\x04broken", "Berkas XLSX ini rusak"),
        (b"Nomor formulir,Nama lengkap,Nomor HP\n" + b"1,a,b\n" * 1001, "Terlalu banyak baris, paling banyak 1000"),
    ]:
        response = upload(pintu_air, content)
        assert response.status_code == 400
        assert message in soup(response).select_one(".portal-error-summary").get_text(" ", strip=True)
    no_file = pintu_air.post("/admin/formulir/pintu-air/impor",
                             data={"csrf_token": csrf(pintu_air, "/admin/sandi")})
    assert no_file.status_code == 400
    assert soup(no_file).select_one("#berkas-error").get_text(" ", strip=True) == "Galat: Pilih berkas CSV atau XLSX"
    too_big = upload(pintu_air, b"x" * (2 * 1024 * 1024))
    assert too_big.status_code == 413
    assert counts(app) == (0, 0)


def test_an_upload_is_only_for_who_made_it_and_not_for_long(app, pintu_air, campaign, staff):
    new_batch(pintu_air, "1")
    location = upload(pintu_air, sheet([row(numbers(app)[0])])).headers["Location"]
    token = location.rsplit("/", 1)[1]
    # Another account, even the campaign team, cannot see or confirm it.
    assert campaign.get(location).status_code == 303
    assert confirm(campaign, location).status_code == 303
    assert counts(app) == (0, 1)
    with app.app_context():
        pending = db.session.get(PendingImport, token)
        pending.created_at = pending.created_at.replace(year=2020)
        db.session.commit()
    assert confirm(pintu_air, location).status_code == 303
    assert counts(app) == (0, 1)
    fresh = upload(pintu_air, sheet([row(numbers(app)[0])]))  # a new upload forgets the expired one
    with app.app_context():
        assert db.session.get(PendingImport, token) is None
        pending = db.session.get(PendingImport, fresh.headers["Location"].rsplit("/", 1)[1])
        pending.created_at = pending.created_at.replace(year=2020)
        db.session.commit()
        backups.retention()  # and so does the daily retention job
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_one_member_number_under_two_names_is_flagged_and_a_mistyped_number_shown(app, pintu_air, staff):
    new_batch(pintu_air, "3")
    n = numbers(app)
    mistyped = n[2][:-1] + str((int(n[2][-1]) + 1) % 10)  # a wrong check digit
    header, *rows = [next(csv.reader(io.StringIO(sheet([]).decode())))] + [
        row(n[0], name="Maria Goreti"), row(n[1], name="Yohanes Bosco", phone="0813 3900 1122"),
        row(mistyped, name="Umbu Ndaka", phone="0821 4400 6678")]
    members = ["PA-01234", "pa 01234", "PA-07777"]  # one number, typed twice, for two people
    out = io.StringIO()
    csv.writer(out).writerows([header + ["Nomor anggota (boleh dikosongkan)"]]
                              + [r + [m] for r, m in zip(rows, members)])
    response = upload(pintu_air, out.getvalue().encode())
    page = pintu_air.get(response.headers["Location"])
    assert problems(page) == [
        ("3", "Nomor anggota (boleh dikosongkan): " + imports.SAME_MEMBER.format(row=2, name="Maria Goreti")),
        ("4", "Nomor formulir: " + paper.UNKNOWN)]
    shown = [[td.get_text(strip=True) for td in tr.select("td")][:2] for tr in soup(page).select("tbody tr")]
    assert shown == [[n[0], "PA-01234"], [n[1], "pa 01234"], [mistyped, "PA-07777"]]
    assert confirm(pintu_air, response.headers["Location"]).status_code == 303
    assert counts(app) == (1, 0)  # only Maria: the second owner of her number waits for a check
