"""Only the member changes their record: households on one phone, someone who
knows a member's number, retries, corrections by the private link, duplicates
counted once, personal pages never cached, the truth after erasure."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from portal import consent
from portal.extensions import db
from portal.models import ConsentEvent, Submission
from tests.actions import VALID, open_form, post_form, submit
from tests.admin.conftest import csrf
from tests.conftest import soup

SHARED_HP = "0812 7777 1234"


def receipt(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return response.headers["Location"]


def private(path: str) -> str:
    """The private page that belongs to a receipt path."""
    code, sig = re.fullmatch(r"/daftar/selesai/([A-Z0-9]+)/([0-9a-f]+)", path).groups()
    return f"/kelola/{code}/{sig}"


def snapshot(app, submission_id: int) -> tuple:
    with app.app_context():
        s = db.session.get(Submission, submission_id)
        return (s.name, s.phone, s.member_number, s.occupation, dict(s.choices), s.state,
                [(e.id, e.kind, dict(e.choices)) for e in s.events])


def only(app, name: str) -> Submission:
    with app.app_context():
        s = db.session.scalar(select(Submission).where(Submission.name == name))
        db.session.expunge(s)
        return s


def test_household_on_one_phone_makes_two_records(app):
    petrus_phone, yuliana_phone = app.test_client(), app.test_client()
    petrus = receipt(submit(petrus_phone, "/k/sangosay", koperasi="sangosay", nama="Petrus Lewa",
                            nomor_hp=SHARED_HP, pekerjaan="petani", shu="setuju"))
    # The same phone, handed to his wife: same browser, same cookies.
    yuliana = receipt(submit(petrus_phone, "/k/sangosay", koperasi="sangosay", nama="Yuliana Lewa",
                             nomor_hp="+62 812-7777-1234", pekerjaan="penenun", shu="tidak",
                             shu_cara="", shu_persen=""))
    assert petrus != yuliana
    petrus_page = petrus_phone.get(petrus).get_data(as_text=True)
    yuliana_page = yuliana_phone.get(yuliana).get_data(as_text=True)
    assert "Petrus Lewa" in petrus_page and "Yuliana" not in petrus_page
    assert "Yuliana Lewa" in yuliana_page and "Petrus" not in yuliana_page
    for page, other in ((petrus, yuliana), (yuliana, petrus)):
        text = petrus_phone.get(private(page)).get_data(as_text=True)
        assert other.split("/")[3] not in text  # never the other's receipt code
    p, y = only(app, "Petrus Lewa"), only(app, "Yuliana Lewa")
    assert (p.choices["shu"], p.occupation) == ("setuju", "petani")
    assert (y.choices["shu"], y.occupation) == ("tidak", "penenun")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)
                                 .where(consent.counted())) == 2


def test_a_stranger_with_a_known_phone_number_gets_nothing(app):
    victim = receipt(submit(app.test_client(), nama="Maria Goreti", nomor_hp="0812 3456 7890"))
    maria = only(app, "Maria Goreti")
    before = snapshot(app, maria.id)
    attacker = app.test_client()
    taken = receipt(submit(attacker, nama="Orang Lain", nomor_hp="0812-3456-7890", shu="tidak",
                           shu_cara="", shu_persen="", nomor_anggota=""))
    assert taken != victim
    text = attacker.get(taken).get_data(as_text=True) + attacker.get(private(taken)).get_data(as_text=True)
    code = consent.format_receipt_code(maria.receipt_code)
    sig = victim.split("/")[-1]
    for secret in (code, maria.receipt_code, sig, "Maria", "PA-01234"):
        assert secret not in text
    assert snapshot(app, maria.id) == before
    # The receipt reads the same whether or not the number was used before.
    fresh = receipt(submit(app.test_client(), nama="Orang Lain", nomor_hp="0813 0000 1111", shu="tidak",
                           shu_cara="", shu_persen=""))
    def words(path):
        page = soup(attacker.get(path))
        return [h.get_text() for h in page.select("h1, h2")]
    assert words(taken) == words(fresh)


def test_a_retry_of_the_same_submission_is_one_record_with_the_same_receipt(client, app):
    tokens = open_form(client)
    first = receipt(post_form(client, tokens))
    assert receipt(post_form(client, tokens)) == first
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
        assert db.session.scalar(select(func.count()).select_from(ConsentEvent)) == 1


def correction_form(client, path: str) -> dict:
    """What the correction page shows, as the browser would send it back."""
    page = soup(client.get(path + "/ubah"))
    data = {}
    for field in page.select("form.portal-form input[name], form.portal-form select[name]"):
        kind = field.get("type")
        if kind in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data.setdefault(field["name"], []).append(field["value"])
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[field["name"]] = chosen["value"] if chosen else ""
        else:
            data[field["name"]] = field.get("value", "")
    return data


def test_member_corrects_their_data_through_the_private_link(client, app):
    path = private(receipt(submit(client)))
    data = correction_form(client, path)
    assert data["nama"] == "Maria Goreti" and data["nomor_hp"] == "0812-3456-7890"
    assert data["shu_persen"] == "50" and data["kontak"] == ["whatsapp"]
    bad = client.post(path + "/ubah", data={**data, "nomor_hp": "0380 123456"})
    assert bad.status_code == 400
    assert "Ini nomor telepon rumah atau kantor" in soup(bad).select_one(".portal-error-summary").get_text()
    done = client.post(path + "/ubah", data={**data, "nama": "Maria Goreti Lein", "nomor_hp": "0813 1111 2222",
                                             "pekerjaan": "pedagang", "shu_persen": "25", "kontak": ["sms"]})
    assert done.status_code == 303 and done.headers["Location"] == path
    s = only(app, "Maria Goreti Lein")
    assert (s.phone, s.occupation, s.choices["shu_nilai"], s.choices["kontak"]) == (
        "+6281311112222", "pedagang", 25, ["sms"])
    with app.app_context():
        events = db.session.scalars(select(ConsentEvent).where(ConsentEvent.submission_id == s.id)
                                    .order_by(ConsentEvent.id)).all()
        assert [(e.kind, e.actor, e.choices["shu_nilai"]) for e in events] == [
            ("diberikan", "anggota", 50), ("diubah", "anggota", 25)]
        assert not any("Maria" in str(e.choices) for e in events)  # events never hold a name
    # The new number is the one the look-up uses now; the old one finds nothing.
    code = s.receipt_code
    lookup = lambda number: client.post("/kelola/", data={"csrf_token": csrf(client, "/kelola/"),  # noqa: E731
                                                          "kode": code, "nomor_hp": number})
    assert lookup("0812 3456 7890").status_code == 400
    assert lookup("0813 1111 2222").headers["Location"] == path


def test_the_status_reaches_the_member_without_staff_notes(client, app):
    from portal import followup
    from portal.models import User

    path = private(receipt(submit(client)))
    page = soup(client.get(path))
    assert page.select_one(".portal-panel h2").get_text() == "Minat Anda sudah diterima"
    with app.app_context():
        user = User(username="ani", password_hash="x", role="koperasi", cooperative="pintu-air",
                    session_token="t")
        db.session.add(user)
        followup.change(db.session.scalar(select(Submission)), user, "dihubungi", "Catatan rahasia staf")
        db.session.commit()
    page = soup(client.get(path))
    assert page.select_one(".portal-panel h2").get_text() == "Petugas sudah menghubungi Anda"
    assert "mendaftar di BPJS Ketenagakerjaan dengan KTP" in page.select_one(".portal-panel").get_text()
    assert "Catatan rahasia" not in page.get_text()


def test_personal_pages_are_never_cached_or_indexed(client, app):
    path = receipt(submit(client))
    own = private(path)
    pages = [path, path + "/cetak", own, own + "/ubah", own + "/tarik-semua", own + "/hapus",
             own + "/bukti", own + "/bukti.json"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert response.headers["Cache-Control"] == "no-store", page
        assert "noindex" in response.headers["X-Robots-Tag"], page


def test_after_erasure_the_pages_say_so_and_show_only_what_remains(client, app):
    path = receipt(submit(client))
    own = private(path)
    assert client.post(own + "/hapus", data={"csrf_token": csrf(client, own + "/hapus")}).status_code == 303
    for page in (path, own, path + "/cetak"):
        text = soup(client.get(page)).select_one("main").get_text(" ", strip=True)
        assert "Data pribadi Anda sudah dihapus" in text
        for gone in ("Terima kasih", "kami teruskan", "Maria", "0812", "PA-01234", "nomor HP Anda."):
            assert gone not in text, (page, gone)


def test_existing_form_values_still_validate_on_correction(client, app):
    """The correction page asks the same questions with the same messages as the form."""
    path = private(receipt(submit(client)))
    data = correction_form(client, path)
    response = client.post(path + "/ubah", data={**data, "nama": "", "shu_persen": "150"})
    assert response.status_code == 400
    messages = [a.get_text() for a in soup(response).select(".portal-error-summary a")]
    form_errors = soup(submit(app.test_client(), nama="", shu_persen="150"))
    assert messages == [a.get_text() for a in form_errors.select(".portal-error-summary a")]
    assert VALID["nama"] in str(only(app, VALID["nama"]).name)
