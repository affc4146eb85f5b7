"""The follow-up list: filters, search, pages, statuses with who and when,
withdrawn and erased members."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, update

from portal import consent, followup
from portal.followup import queries
from portal.extensions import db
from portal.models import FollowUp, Submission
from tests.actions import submit
from tests.admin.conftest import audit_entries, csrf
from tests.admin.test_access import listed
from tests.conftest import soup


def set_status(client, submission_id, status, note=""):
    path = f"/admin/tindak-lanjut/{submission_id}"
    return client.post(path, data={"csrf_token": csrf(client, path), "status": status, "catatan": note})


@pytest.mark.parametrize("query, names", [
    ("", ["Fransiska Wae", "Maria Goreti", "Umbu Ndaka", "Yohanes Bosco"]),
    ("kabupaten=53.07", ["Fransiska Wae", "Maria Goreti"]),
    ("shu=belum", ["Yohanes Bosco"]),
    ("shu=setuju&koperasi=pintu-air", ["Maria Goreti"]),
    ("kampanye=buletin-mei", ["Maria Goreti"]),
    ("kampanye=-&koperasi=pintu-air", ["Yohanes Bosco"]),
    ("cari=maria", ["Maria Goreti"]),
    ("cari=GORETI", ["Maria Goreti"]),
    ("cari=0813-3900", ["Yohanes Bosco"]),
    ("cari=%2B62852", ["Fransiska Wae"]),
    ("cari=4455", ["Fransiska Wae"]),
    ("cari=%25", []),
    ("status=dihubungi", []),
    ("koperasi=lainnya", ["Umbu Ndaka"]),
])
def test_filters_and_search(campaign, members, query, names):
    assert sorted(listed(campaign, f"/admin/tindak-lanjut/?{query}")) == names


def test_date_range_is_in_wita(app, campaign, members):
    # Maria signed up at 23:30 UTC on 9 January: 07:30 on 10 January in NTT.
    with app.app_context():
        db.session.execute(update(Submission).where(Submission.id == members["Maria Goreti"])
                           .values(created_at=datetime(2025, 1, 9, 23, 30, tzinfo=timezone.utc)))
        db.session.commit()
    assert listed(campaign, "/admin/tindak-lanjut/?dari=2025-01-10&sampai=2025-01-10") == ["Maria Goreti"]
    assert listed(campaign, "/admin/tindak-lanjut/?sampai=2025-01-09") == []
    assert "Maria Goreti" not in listed(campaign, "/admin/tindak-lanjut/?dari=2025-01-11")


@pytest.mark.parametrize("query, message", [
    ("status=hilang", "Pilih status dari daftar"),
    ("kabupaten=99.99", "Pilih kabupaten atau kota dari daftar"),
    ("dari=kemarin", "Tulis tanggal awal seperti 2026-11-24"),
    ("dari=2026-11-25&sampai=2026-11-01", "Tanggal akhir tidak boleh sebelum tanggal awal"),
    ("kampanye=%3Cscript%3E", "Kode kampanye hanya berisi huruf, angka dan tanda hubung"),
])
def test_bad_filters_are_explained(campaign, members, query, message):
    response = campaign.get(f"/admin/tindak-lanjut/?{query}")
    assert response.status_code == 400
    assert soup(response).select_one(".portal-error-summary a").get_text() .startswith(message)
    assert campaign.get(f"/admin/tindak-lanjut/ekspor.csv?{query}").status_code == 400


def test_pages(app, campaign, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    member = app.test_client()
    for n in range(5):
        submit(member, nama=f"Anggota {n}", nomor_hp=f"0812 3456 78{n:02d}")
    first = soup(campaign.get("/admin/tindak-lanjut/?kabupaten=53.07"))
    assert [a.get_text() for a in first.select("tbody th a")] == ["Anggota 4", "Anggota 3"]
    assert first.select_one(".admin-pager span").get_text() == "Halaman 1 dari 3"
    following = first.select_one('.admin-pager a[rel="next"]')["href"]
    # The link says where this page ended, so the next one is read from there (keyset, not OFFSET).
    assert following.startswith("/admin/tindak-lanjut/?halaman=2&setelah=")
    assert following.endswith("&kabupaten=53.07")
    second = soup(campaign.get(following))
    assert [a.get_text() for a in second.select("tbody th a")] == ["Anggota 2", "Anggota 1"]
    assert second.select_one(".admin-pager span").get_text() == "Halaman 2 dari 3"
    third = soup(campaign.get(second.select_one('.admin-pager a[rel="next"]')["href"]))
    assert [a.get_text() for a in third.select("tbody th a")] == ["Anggota 0"]
    back = third.select_one('.admin-pager a[rel="prev"]')["href"]
    assert "sebelum=" in back and listed(campaign, back) == ["Anggota 2", "Anggota 1"]
    assert listed(campaign, "/admin/tindak-lanjut/?halaman=99") == ["Anggota 0"]
    assert listed(campaign, "/admin/tindak-lanjut/?halaman=2") == ["Anggota 2", "Anggota 1"]
    assert listed(campaign, "/admin/tindak-lanjut/?halaman=-1") == ["Anggota 4", "Anggota 3"]
    assert listed(campaign, "/admin/tindak-lanjut/?halaman=2&setelah=bukan-kursor") == ["Anggota 2", "Anggota 1"]


def test_status_change_is_recorded_with_who_and_when(app, pintu_air, members, monkeypatch):
    maria = members["Maria Goreti"]
    when = datetime(2027, 3, 15, 2, 30, tzinfo=timezone.utc)
    monkeypatch.setattr(followup.statuses, "utcnow", lambda: when)
    with app.app_context():
        before = db.session.get(Submission, maria).updated_at
    response = set_status(pintu_air, maria, "dihubungi", "Ditelepon, minta datang ke kantor Senin.")
    assert response.status_code == 303
    assert set_status(pintu_air, maria, "terdaftar").status_code == 303
    assert set_status(pintu_air, maria, "terdaftar").status_code == 303  # nothing new: nothing recorded
    with app.app_context():
        submission = db.session.get(Submission, maria)
        assert submission.follow_up_status == "terdaftar"
        assert submission.updated_at == before  # the member's own last change is untouched
        history = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).all()
        assert [(h.actor, h.from_status, h.to_status, h.note) for h in history] == [
            ("ani", "baru", "dihubungi", "Ditelepon, minta datang ke kantor Senin."),
            ("ani", "dihubungi", "terdaftar", None)]
        assert {consent.local_time(h.created_at) for h in history} == {when}
    page = soup(pintu_air.get(f"/admin/tindak-lanjut/{maria}"))
    assert "Ditelepon, minta datang ke kantor Senin." in page.select_one(".admin-history").get_text()
    assert listed(pintu_air, "/admin/tindak-lanjut/?status=terdaftar") == ["Maria Goreti"]


def test_follow_up_form_errors(pintu_air, members):
    response = set_status(pintu_air, members["Maria Goreti"], "hilang")
    assert response.status_code == 400
    summary = soup(response).select_one(".portal-error-summary a").get_text()
    assert summary == "Pilih status tindak lanjut dari daftar"
    response = set_status(pintu_air, members["Maria Goreti"], "baru", "x" * 1001)
    assert soup(response).select_one(".portal-error-summary a").get_text() == "Catatan paling panjang 1000 huruf"


def withdraw(app, submission_id, how):
    with app.app_context():
        how(db.session.get(Submission, submission_id))
        db.session.commit()


def test_withdrawn_members_are_shown_as_withdrawn_and_never_to_contact(app, pintu_air, members):
    withdraw(app, members["Maria Goreti"], consent.withdraw_all)
    assert listed(pintu_air, "/admin/tindak-lanjut/?persetujuan=hubungi") == ["Yohanes Bosco"]
    page = soup(pintu_air.get("/admin/tindak-lanjut/?persetujuan=ditarik"))
    [row] = page.select("tbody tr")
    assert "Semua persetujuan ditarik" in row.get_text() and "Jangan dihubungi" in row.get_text()
    assert "0812" not in row.get_text()
    detail = soup(pintu_air.get(f"/admin/tindak-lanjut/{members['Maria Goreti']}"))
    assert "menarik semua persetujuan" in detail.select_one(".admin-warning").get_text()
    assert "0812" not in detail.select_one("main").get_text()
    export = pintu_air.get("/admin/tindak-lanjut/ekspor.csv?persetujuan=hubungi").get_data(as_text=True)
    assert "Maria" not in export and "Yohanes Bosco" in export


def test_shu_withdrawal_keeps_the_member_contactable(app, pintu_air, members):
    withdraw(app, members["Maria Goreti"], consent.withdraw_shu)
    assert "Maria Goreti" in listed(pintu_air, "/admin/tindak-lanjut/?persetujuan=hubungi")
    assert listed(pintu_air, "/admin/tindak-lanjut/?shu=setuju") == []


def test_erased_members_show_no_personal_data(app, pintu_air, members):
    maria = members["Maria Goreti"]
    set_status(pintu_air, maria, "dihubungi", "Maria minta ditelepon sore, HP 0812 3456 7890")
    withdraw(app, maria, consent.erase)
    with app.app_context():
        [note] = db.session.scalars(select(FollowUp)).all()
        assert note.note is None and note.to_status == "dihubungi"
    rows = soup(pintu_air.get("/admin/tindak-lanjut/")).select("tbody tr")
    row = [r for r in rows if "dihapus" in r.get_text()]
    assert len(row) == 1 and "Maria" not in row[0].get_text() and "0812" not in row[0].get_text()
    detail = pintu_air.get(f"/admin/tindak-lanjut/{maria}")
    text = soup(detail).select_one("main").get_text()
    assert "Maria" not in text and "0812" not in text and "PA-01234" not in text
    assert "catatan dihapus bersama data pribadi" in text
    assert soup(detail).select_one('form[action$="/%d"]' % maria) is None
    # Nothing can tie the record to a person again, even by a forged post.
    set_status(pintu_air, maria, "terdaftar", "Maria Goreti")
    with app.app_context():
        assert db.session.get(Submission, maria).follow_up_status == "dihubungi"
    export = pintu_air.get("/admin/tindak-lanjut/ekspor.csv").get_data(as_text=True)
    assert "Maria" not in export and "0812-3456-7890" not in export
    assert "Data dihapus" in export


def test_follow_up_history_cannot_be_edited(app, pintu_air, members):
    set_status(pintu_air, members["Maria Goreti"], "dihubungi", "catatan")
    with app.app_context():
        entry = db.session.scalars(select(FollowUp)).one()
        entry.note = "diubah"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()
        db.session.rollback()


def test_viewing_a_record_and_a_list_is_audited(app, pintu_air, members):
    pintu_air.get("/admin/tindak-lanjut/?cari=Maria&kabupaten=53.07")
    pintu_air.get(f"/admin/tindak-lanjut/{members['Maria Goreti']}")
    listing, record = audit_entries(app, "lihat_daftar") + audit_entries(app, "lihat_data")
    assert listing.actor == "ani" and listing.cooperative == "pintu-air" and listing.rows == 1
    # The search text may be a name or a number: the log keeps only that there was one.
    assert listing.detail == {"filter": {"kabupaten": "53.07", "cari": "(disamarkan)"}, "halaman": 1}
    assert record.submission_id == members["Maria Goreti"] and record.actor == "ani"


def test_page_links_carry_the_count_so_following_them_counts_nothing(app, campaign, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    member = app.test_client()
    for n in range(5):
        submit(member, nama=f"Anggota {n}", nomor_hp=f"0812 3456 78{n:02d}")
    counted = []
    real = queries.total
    monkeypatch.setattr(queries, "total", lambda where: counted.append(1) or real(where))
    first = soup(campaign.get("/admin/tindak-lanjut/"))
    following = first.select_one('.admin-pager a[rel="next"]')["href"]
    assert "jumlah=5" in following and len(counted) == 1
    second = soup(campaign.get(following))
    assert second.select_one(".admin-pager span").get_text() == "Halaman 2 dari 3" and len(counted) == 1
    assert [a.get_text() for a in second.select("tbody th a")] == ["Anggota 2", "Anggota 1"]
    # Without a cursor (a page number typed by hand) the list is counted again.
    campaign.get("/admin/tindak-lanjut/?halaman=2&jumlah=5")
    assert len(counted) == 2
