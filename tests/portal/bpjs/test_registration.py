"""The member gives their registration data on their private page, with its own consent."""
from sqlalchemy import select

from portal.bpjs import registration, vault
from portal.extensions import db
from portal.models import AuditEntry, BpjsRegistration, ConsentEvent, Submission
from tests.conftest import soup
from tests.portal.bpjs.helpers import ANA_NIK, give_registration, private_page


def test_member_gives_registration_data_with_its_own_consent(app, client):
    page = private_page(client, nama="Ana Maria", nomor_anggota="PA-0100")
    form = soup(client.get(page + "/bpjs"))
    assert form.select_one("#setuju_bpjs").get("checked") is None  # never ticked beforehand
    assert form.select_one("#nama_ktp")["value"] == "Ana Maria"  # taken from the interest form
    response = give_registration(client, page)
    assert response.status_code == 303 and response.headers["Location"] == page

    shown = soup(client.get(page))
    assert ANA_NIK in shown.select_one("#data-bpjs .portal-code").get_text()  # the member's own page
    with app.app_context():
        stored = db.session.scalar(select(BpjsRegistration))
        assert stored.nik_encrypted.startswith("test1:") and ANA_NIK not in stored.nik_encrypted
        assert registration.nik(stored) == ANA_NIK and stored.income == 1_500_000 and stored.sex == "P"
        submission = db.session.get(Submission, stored.submission_id)
        assert submission.choices["daftar_bpjs"] is True
        kinds = [e.kind for e in db.session.scalars(select(ConsentEvent).order_by(ConsentEvent.id))]
        assert kinds == ["diberikan", "data_bpjs"]
        assert [e.actor for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "lihat_nik"))] == ["anggota"]

    proof = client.get(page + "/bukti.json").get_json()
    assert ANA_NIK not in str(proof)
    assert proof["peristiwa"][-1]["keadaan_sesudahnya"]["setuju_pendaftaran_bpjs"] is True


def test_each_mistake_has_its_message_and_nothing_is_stored(app, client):
    page = private_page(client)
    cases = [
        ({"setuju_bpjs": None}, "setuju_bpjs", "Centang persetujuan agar koperasi boleh menyerahkan data ini ke BPJS Ketenagakerjaan"),
        ({"nik": "5307014508850"}, "nik", "NIK harus 16 angka. Yang diisi 13 angka"),
        ({"tanggal_lahir": "06-08-1985"}, "nik", "Tanggal lahir di NIK (05-08-..85) tidak sama dengan tanggal lahir yang diisi (06-08-1985)"),
        ({"jenis_kelamin": "L"}, "nik", "NIK ini milik perempuan (tanggal lahir ditambah 40), tetapi jenis kelamin yang diisi laki-laki"),
        ({"penghasilan": "900000"}, "penghasilan", "Tulis penghasilan sebulan antara Rp1.000.000 dan Rp100.000.000, hanya angka"),
        ({"tanggal_lahir": "31-02-1985"}, "tanggal_lahir", "Tulis tanggal lahir seperti di KTP, misalnya 17-08-1985"),
    ]
    for changes, field, message in cases:
        response = give_registration(client, page, **changes)
        assert response.status_code == 400
        got = soup(response)
        assert got.title.get_text().startswith("Galat: ")
        assert got.select_one(f"#{field}-error").get_text(" ", strip=True) == f"Galat: {message}", changes
    with app.app_context():
        assert db.session.scalar(select(BpjsRegistration)) is None


def test_withdrawing_registration_deletes_it(app, client):
    page = private_page(client)
    assert give_registration(client, page).status_code == 303
    token = soup(client.get(page + "/bpjs/tarik")).select_one('input[name="csrf_token"]')["value"]
    assert client.post(page + "/bpjs/tarik", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(BpjsRegistration)) is None
        assert db.session.scalar(select(Submission)).choices["daftar_bpjs"] is False


def test_erasure_takes_the_registration_with_it(app, client):
    page = private_page(client)
    assert give_registration(client, page).status_code == 303
    token = soup(client.get(page + "/hapus")).select_one('input[name="csrf_token"]')["value"]
    assert client.post(page + "/hapus", data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(BpjsRegistration)) is None


def test_same_nik_found_across_a_household_and_across_cooperatives(app):
    household, other_coop = app.test_client(), app.test_client()
    first = private_page(household, nama="Ana", nomor_hp="0812 3456 7890")
    second = private_page(household, nama="Beni", nomor_hp="0812 3456 7890")  # the same phone
    third = private_page(other_coop, path="/k/obor-mas", koperasi="obor-mas", nama="Ana", nomor_hp="0813 1111 2222")
    for page in (first, second, third):
        assert give_registration(household, page).status_code == 303  # the same NIK typed three times
    with app.app_context():
        regs = db.session.scalars(select(BpjsRegistration).order_by(BpjsRegistration.id)).all()
        assert len({r.nik_hash for r in regs}) == 1
        assert len({r.nik_encrypted for r in regs}) == 3  # a fresh nonce each time
        assert [r.id for r in registration.same_nik(regs[0])] == [regs[1].id, regs[2].id]
        cooperatives = {db.session.get(Submission, r.submission_id).cooperative for r in registration.find_by_nik(ANA_NIK)}
        assert cooperatives == {"pintu-air", "obor-mas"}
        assert vault.keyed_hash(ANA_NIK) == regs[0].nik_hash
