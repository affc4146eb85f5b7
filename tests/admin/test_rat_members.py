"""The RAT decision reaches the members: form, receipt, private page, print,
follow-up list and exports say what was decided, and that each member decides."""
import csv
import io

from sqlalchemy import select

from portal.extensions import db
from portal.models import Submission
from tests.actions import submit
from tests.admin.test_rat import final_record, finalise, save
from tests.admin.conftest import csrf
from tests.conftest import soup


def notice(response) -> str:
    found = soup(response).select_one(".portal-rat")
    return found.get_text(" ", strip=True) if found else ""


def test_no_notice_before_a_final_record(client, pintu_air):
    assert notice(client.get("/k/pintu-air")) == ""


def test_an_accepted_decision_is_shown_on_every_member_page(app, client, pintu_air):
    final_record(pintu_air)
    form = client.get("/k/pintu-air")
    text = notice(form)
    assert text.startswith("Keputusan RAT Kopdit Pintu Air RAT Kopdit Pintu Air tahun buku 2026 pada 13 Maret 2027 "
                           "menyetujui: anggota boleh memakai sebagian SHU (paling banyak 50% SHU tiap anggota)")
    assert "SHU Anda hanya dipakai kalau Anda sendiri setuju" in text
    assert soup(form).select('input[name="shu"]')  # the member still answers for themself
    assert notice(client.get("/k/obor-mas")) == ""

    receipt = client.get(submit(client, "/k/pintu-air").headers["Location"])
    assert "13 Maret 2027" in notice(receipt)
    private = soup(receipt).find("a", string="Kelola persetujuan saya")["href"]
    assert "menyetujui" in notice(client.get(private))
    printed = soup(receipt).find("a", string="Versi cetak")["href"]
    assert "menyetujui" in notice(client.get(printed))


def test_after_a_rejection_the_form_asks_only_for_interest(app, client, pintu_air):
    final_record(pintu_air, hasil="ditolak", setuju="40", tidak_setuju="250")
    form = client.get("/k/pintu-air")
    assert "tahun ini tidak ada SHU yang dipakai untuk iuran" in notice(form)
    assert soup(form).select('input[name^="shu"]') == []
    # Even an SHU answer sent anyway is not kept.
    response = submit(client, "/k/pintu-air", nama="Yosef Meak", nomor_hp="0813 5555 0101")
    assert response.status_code == 303
    assert submit(client, "/k/pintu-air", nama="Theresia Dua", nomor_hp="0813 5555 0102", shu=None,
                  shu_cara=None, shu_persen=None).status_code == 303
    with app.app_context():
        stored = [(s.choices["shu"], s.choices["shu_cara"], s.choices["shu_nilai"])
                  for s in db.session.scalars(select(Submission))]
    assert stored == [(None, None, None), (None, None, None)]
    assert "tidak ada SHU" in notice(client.get(response.headers["Location"]))
    # Another cooperative's form still asks.
    assert soup(client.get("/k/obor-mas")).select('input[name="shu"]')


def test_the_submission_is_checked_against_the_newest_final_version(app, client, pintu_air):
    """A correction that turns "ditolak" into "diterima" makes the form keep SHU answers again."""
    record_id = final_record(pintu_air, hasil="ditolak", setuju="40", tidak_setuju="250")
    assert submit(client, "/k/pintu-air", nama="Yosef Meak", nomor_hp="0813 5555 0111").status_code == 303
    path = f"/admin/rat/pintu-air/{record_id}/koreksi"
    response = pintu_air.post(path, data={"csrf_token": csrf(pintu_air, path), "alasan": "Hasil salah tulis"})
    assert response.status_code == 303
    copy_id = int(response.headers["Location"].split("/")[-2])
    assert save(pintu_air, copy_id, hasil="diterima").status_code == 303
    assert finalise(pintu_air, copy_id).status_code == 303
    assert submit(client, "/k/pintu-air", nama="Theresia Dua", nomor_hp="0813 5555 0112").status_code == 303
    with app.app_context():
        stored = {s.name: s.choices["shu"] for s in db.session.scalars(select(Submission))}
    assert stored == {"Yosef Meak": None, "Theresia Dua": "setuju"}


def test_follow_up_list_and_exports_show_the_decision_that_applies(app, campaign, pintu_air, members):
    final_record(pintu_air)
    page = soup(campaign.get("/admin/tindak-lanjut/"))
    heads = [th.get_text() for th in page.select("table.admin-table thead th")]
    column = heads.index("Keputusan RAT")
    decided = {tr.th.get_text(strip=True): tr.select("td, th")[column].get_text(strip=True)
               for tr in page.select("table.admin-table tbody tr")}
    assert decided == {"Maria Goreti": "Diterima (RAT 13 Maret 2027)", "Yohanes Bosco": "Diterima (RAT 13 Maret 2027)",
                       "Fransiska Wae": "Belum ada keputusan RAT", "Umbu Ndaka": ""}
    rows = list(csv.reader(io.StringIO(campaign.get("/admin/tindak-lanjut/ekspor.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0][-1] == "Keputusan RAT yang berlaku"
    assert {r[2]: r[-1] for r in rows[1:-1]}["Maria Goreti"] == "Diterima (RAT 13 Maret 2027)"


def test_after_a_rejection_a_correction_neither_asks_nor_changes_the_shu_answer(app, client, pintu_air):
    receipt = client.get(submit(client, "/k/pintu-air").headers["Location"])
    final_record(pintu_air, hasil="ditolak", setuju="40", tidak_setuju="250")
    private = client.get(soup(receipt).find("a", string="Kelola persetujuan saya")["href"])
    correct = soup(private).find("a", string="Perbaiki data saya")["href"]
    page = soup(client.get(correct))
    assert page.select('input[name^="shu"]') == [] and page.select_one(".portal-rat")
    token = page.select_one('input[name="csrf_token"]')["value"]
    fields = {i["name"]: i.get("value", "") for i in page.select("input[type=text], input[type=tel]")}
    response = client.post(correct, data={**fields, "csrf_token": token, "kabupaten": "53.07",
                                          "pekerjaan": "petani", "program": "jkk-jkm", "nama": "Maria Goreti Bura"})
    assert response.status_code == 303, soup(response).select_one(".portal-error-summary")
    with app.app_context():
        [stored] = db.session.scalars(select(Submission)).all()
        # The answer given before the rejection stays as the member left it.
        assert (stored.name, stored.choices["shu"], stored.choices["shu_nilai"]) == ("Maria Goreti Bura", "setuju", 50)


def test_a_share_above_the_rats_cap_is_kept_but_the_member_is_told_the_cap(app, client, pintu_air, staff):
    from tests.admin.test_assisted import send
    final_record(pintu_air)  # at most 50% of each member's SHU
    form = soup(client.get("/k/pintu-air"))
    assert "koperasi memakai paling banyak 50% SHU tiap anggota" in form.select_one("#shu_persen-hint").get_text()
    receipt = client.get(submit(client, "/k/pintu-air", shu="setuju", shu_cara="persen",
                                shu_persen="100").headers["Location"])
    cap = soup(receipt).select_one(".portal-rat-cap").get_text(" ", strip=True)
    assert cap == ("Anda memilih 100% SHU. Menurut keputusan RAT, koperasi memakai paling banyak 50% SHU "
                   "tiap anggota untuk iuran; sisanya dibayar tunai.")
    with app.app_context():  # the member's own answer stands
        assert db.session.scalar(select(Submission)).choices["shu_nilai"] == 100

    # The officer's A5 slip carries the decision as the member's own receipt does.
    slip = soup(pintu_air.get(send(pintu_air, shu="setuju", shu_cara="persen", shu_persen="80",
                                   nomor_hp="0813 5555 0199").headers["Location"]))
    decision = slip.select_one(".cetak-slip .portal-rat").get_text(" ", strip=True)
    assert "13 Maret 2027 menyetujui" in decision and "Anda memilih 80% SHU." in decision
    within = soup(pintu_air.get(send(pintu_air, shu="setuju", shu_cara="persen", shu_persen="40",
                                     nomor_hp="0813 5555 0198").headers["Location"]))
    assert "menyetujui" in within.select_one(".cetak-slip .portal-rat").get_text()
    assert within.select_one(".portal-rat-cap") is None
