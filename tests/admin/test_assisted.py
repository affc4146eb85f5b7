"""Assisted entry: an officer of cooperative A signs up a member of A, with the
public form's questions and messages; cooperative B's page is refused and logged."""
import pytest
from sqlalchemy import select

from portal.outreach import paper
from portal.extensions import db
from portal.models import ConsentEvent, PaperForm, Submission
from tests.actions import VALID
from tests.admin.conftest import audit_entries
from tests.conftest import soup

FORM = {k: v for k, v in VALID.items() if k not in ("koperasi", "koperasi_lain")}


def open_form(client, slug="pintu-air") -> dict:
    page = soup(client.get(f"/admin/daftar-bantu/{slug}"))
    return {name: page.select_one(f'input[name="{name}"]')["value"] for name in ("csrf_token", "formulir")}


def send(client, slug="pintu-air", tokens=None, **changes):
    data = {**FORM, "saluran": "kantor-cabang", "cara": "dibacakan", "nomor_formulir": "",
            **(tokens or open_form(client, slug)), **changes}
    return client.post(f"/admin/daftar-bantu/{slug}", data={k: v for k, v in data.items() if v is not None})


def batch(app, cooperative="pintu-air", size=3) -> list[str]:
    with app.app_context():
        made = paper.create_batch(cooperative, size, "Cabang Maumere", None)
        db.session.commit()
        return [paper.display(f.number) for f in made.forms]


def stored(app):
    with app.app_context():
        rows = db.session.execute(select(Submission, ConsentEvent).join(ConsentEvent)).all()
        db.session.expunge_all()
        return rows


def test_staff_sign_up_a_member_of_their_cooperative(app, pintu_air, staff):
    response = send(pintu_air, saluran="rat", cara="dibacakan")
    assert response.status_code == 303
    (submission, event), = stored(app)
    assert response.headers["Location"] == f"/admin/daftar-bantu/pintu-air/{submission.id}"
    assert submission.cooperative == "pintu-air" and submission.name == "Maria Goreti"
    assert submission.source == {"jalur": "petugas", "koperasi": "pintu-air"}
    assert event.actor == "ani"
    assert event.collection == {"channel": "rat", "method": "dibacakan", "entered_by": "ani"}
    [entry] = audit_entries(app, "daftar_bantu")
    assert (entry.actor, entry.submission_id, entry.detail) == (
        "ani", submission.id, {"saluran": "rat", "cara": "dibacakan"})

    slip = pintu_air.get(response.headers["Location"])
    assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"
    page = soup(slip)
    whatsapp = page.select_one('a[href^="https://wa.me/"]')["href"]
    sms = page.select_one('a[href^="sms:"]')["href"]
    assert whatsapp.startswith("https://wa.me/6281234567890?text=")
    assert sms.startswith("sms:+6281234567890?body=")
    code = submission.receipt_code
    assert f"{code[:4]}-{code[4:]}" in whatsapp
    assert "/kelola/" in whatsapp and "/kelola/" + code not in whatsapp  # no private link in a chat
    assert "Didaftarkan oleh petugas ani" in page.select_one(".cetak-slip").get_text(" ", strip=True)
    assert any("size: A5" in style.get_text() for style in page.select("head style"))


def test_same_validation_and_messages_as_the_public_form(app, pintu_air, staff):
    response = send(pintu_air, nomor_hp="0380 821 234", setuju_data=None, cara=None)
    assert response.status_code == 400
    errors = [a.get_text() for a in soup(response).select(".portal-error-summary a")]
    assert errors == ["Ini nomor telepon rumah atau kantor. Tulis nomor HP, misalnya 0812 3456 7890",
                      "Centang persetujuan ini. Tanpa persetujuan, kami tidak boleh menyimpan data Anda",
                      "Pilih bagaimana anggota memberi persetujuan"]
    assert stored(app) == []


def test_the_form_keeps_nothing_of_the_previous_member(app, pintu_air, staff):
    page = soup(pintu_air.get("/admin/daftar-bantu/pintu-air"))
    assert page.select_one("form.portal-form")["autocomplete"] == "off"
    assert not page.select('script[src*="isian"]')  # no autosave on a shared device
    assert send(pintu_air).status_code == 303
    again = soup(pintu_air.get("/admin/daftar-bantu/pintu-air"))
    assert again.select_one('input[name="nama"]').get("value", "") == ""


def test_another_cooperative_is_refused_and_logged(app, pintu_air, staff):
    assert pintu_air.get("/admin/daftar-bantu/obor-mas").status_code == 404
    tokens = open_form(pintu_air)
    assert send(pintu_air, "obor-mas", tokens=tokens).status_code == 404
    assert stored(app) == []
    assert [e.detail["koperasi"] for e in audit_entries(app, "ditolak")] == ["obor-mas", "obor-mas"]


def test_campaign_team_picks_a_cooperative(app, campaign, pintu_air, staff):
    assert pintu_air.get("/admin/daftar-bantu/").headers["Location"] == "/admin/daftar-bantu/pintu-air"
    links = [a["href"] for a in soup(campaign.get("/admin/daftar-bantu/")).select("main li a, article li a")]
    assert "/admin/daftar-bantu/obor-mas" in links
    assert send(campaign, "obor-mas").status_code == 303
    (submission, event), = stored(app)
    assert submission.cooperative == "obor-mas" and event.actor == "tim"
    assert campaign.get("/admin/daftar-bantu/lainnya").status_code == 404


def test_a_double_tap_stores_once(app, pintu_air, staff):
    tokens = open_form(pintu_air)
    first, second = send(pintu_air, tokens=tokens), send(pintu_air, tokens=tokens)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(stored(app)) == 1


def test_paper_methods_need_a_known_unused_form_number(app, pintu_air, staff):
    numbers = batch(app)
    other = batch(app, "obor-mas", 1)
    messages = {
        "": "Tulis nomor formulir kertas yang ditandatangani atau dicap jempol",
        "9999-999-9": paper.UNKNOWN,
        numbers[0][:-1] + str((int(numbers[0][-1]) + 1) % 10): paper.UNKNOWN,  # a mistyped digit
        other[0]: paper.UNKNOWN,  # another cooperative's form
    }
    for number, message in messages.items():
        response = send(pintu_air, cara="cap-jempol", nomor_formulir=number)
        assert response.status_code == 400
        assert soup(response).select_one("#nomor_formulir-error").get_text(" ", strip=True) == "Galat: " + message
    assert send(pintu_air, cara="kertas", nomor_formulir=numbers[0].replace("-", " ")).status_code == 303
    (submission, event), = stored(app)
    number = paper.normalise(numbers[0])
    assert event.collection["form_number"] == number and event.collection["method"] == "kertas"
    with app.app_context():
        assert db.session.get(PaperForm, number).submission_id == submission.id
    # The same paper form again, even for another member, is refused.
    response = send(pintu_air, cara="kertas", nomor_formulir=numbers[0], nama="Yohanes Bosco",
                    nomor_hp="0813 3900 1122")
    assert response.status_code == 400
    assert paper.USED in soup(response).select_one("#nomor_formulir-error").get_text()
    assert len(stored(app)) == 1


@pytest.mark.parametrize("path", ["/admin/daftar-bantu/pintu-air/1", "/admin/daftar-bantu/obor-mas/1"])
def test_receipt_of_another_cooperative_is_refused(app, obor_mas, pintu_air, staff, path):
    assert send(obor_mas, "obor-mas").status_code == 303
    assert pintu_air.get(path).status_code == 404
    assert audit_entries(app, "ditolak")


def test_the_cooperative_comes_from_the_page_not_the_form(app, pintu_air, staff):
    assert send(pintu_air, koperasi="obor-mas", koperasi_lain="KSP Lain").status_code == 303
    (submission, _), = stored(app)
    assert (submission.cooperative, submission.cooperative_other) == ("pintu-air", None)


def test_a_slip_is_only_for_assisted_sign_ups_and_its_viewing_is_logged(app, pintu_air, staff):
    from tests.actions import submit
    assert submit(app.test_client(), "/k/pintu-air", nomor_hp="0813 3900 1122").status_code == 303
    (online, _), = stored(app)
    assert pintu_air.get(f"/admin/daftar-bantu/pintu-air/{online.id}").status_code == 404
    location = send(pintu_air).headers["Location"]
    assert pintu_air.get(location).status_code == 200
    [entry] = audit_entries(app, "lihat_data")
    assert entry.actor == "ani" and entry.detail == {"halaman": "tanda terima"}


def test_storing_a_used_paper_form_again_gives_back_the_first_member(app, pintu_air, staff):
    """What a second officer entering the same paper form at the same moment
    gets from the store: the first record, nothing new (the view then refuses)."""
    from portal.outreach import assisted
    [number] = batch(app, size=1)
    assert send(pintu_air, cara="kertas", nomor_formulir=number).status_code == 303
    with app.test_request_context():
        again = assisted.register(key="lain", values=dict(
            name="Yohanes Bosco", phone="+6281339001122", member_number=None, other_cooperative=None,
            chosen={"koperasi": "pintu-air"}), source={}, actor="oki", channel="rat", method="kertas",
            form_number=paper.normalise(number))
        first = db.session.get(Submission, again.id)
        assert (again.name, first.events[0].actor) == ("Maria Goreti", "ani")
    assert len(stored(app)) == 1
