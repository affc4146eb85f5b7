"""portal.consent.presenter: one submission as members, staff and exports read
it: labels instead of keys, masking applied once, history in words."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal import consent, followup
from portal.extensions import db
from portal.models import Submission, User
from tests.portal.consent.helpers import store


@pytest.fixture
def context(app):
    with app.app_context():
        yield app


def test_an_active_record_in_words(context):
    shown = consent.present(store())
    assert shown.code[4] == "-" and shown.code.replace("-", "") == db.session.scalar(
        select(Submission.receipt_code))
    assert (shown.state, shown.state_label, shown.live, shown.erased) == ("aktif", "Aktif", True, False)
    assert (shown.name, shown.phone, shown.staff_phone, shown.member_number) == (
        "Maria Goreti", "0812-3456-7890", "0812-3456-7890", "PA-01234")
    assert shown.cooperative == "KSP Kopdit Pintu Air"
    assert shown.kabupaten == "Kabupaten Sikka"
    assert shown.occupation == "Penenun atau perajin"
    assert shown.package == "Kecelakaan kerja dan kematian (JKK + JKM)"
    assert (shown.shu_short, shown.shu_amount) == ("Setuju", "50% dari SHU")
    assert shown.shu_answer == "Setuju sebagian SHU saya dipakai untuk iuran: 50% dari SHU"
    assert (shown.contact, shown.channels, shown.data_consent) == (True, "WhatsApp", True)
    assert shown.campaign == "buletin-mei"
    assert shown.follow_up == "Baru"
    assert shown.actions == ("ubah", "tarik-shu", "tarik-semua", "hapus")
    assert shown.created.utcoffset() == timedelta(hours=8)  # WITA
    assert (shown.entered_by, shown.entered_by_text, shown.duplicate_of) == (None, "", None)


def test_after_withdrawing_everything_staff_lose_the_number_and_the_channels(context):
    submission = store()
    consent.withdraw_all(submission)
    db.session.commit()
    shown = consent.present(submission)
    assert (shown.state_label, shown.live) == ("Semua persetujuan ditarik", False)
    assert shown.phone == "0812-3456-7890"  # the member still sees their own number
    assert shown.staff_phone is None
    assert (shown.contact, shown.channels, shown.shu_short) == (False, "", "Tidak setuju")
    assert shown.actions == ("hapus",)


def test_after_erasure_nothing_personal_is_shown(context):
    submission = store(chosen={"koperasi": "lainnya"}, other_cooperative="KSP Sumba Jaya")
    consent.erase(submission)
    db.session.commit()
    shown = consent.present(submission)
    assert (shown.name, shown.phone, shown.staff_phone, shown.member_number) == (None, None, None, None)
    assert shown.erased and shown.cooperative == "Koperasi lain"
    assert shown.actions == ()


def test_an_officer_and_a_duplicate_are_named(context):
    original = store("k1")
    entered = store("k2", actor="ani", collection={"channel": "kantor", "entered_by": "ani"})
    consent.mark_duplicate(entered, original)
    db.session.commit()
    shown = consent.present(entered)
    assert shown.entered_by_text == "Didaftarkan oleh petugas ani"
    assert shown.duplicate_of == consent.format_receipt_code(original.receipt_code)


def test_the_history_in_words_oldest_first(context):
    submission = store()
    consent.withdraw_shu(submission, actor="ani")
    consent.erase(submission, actor=consent.rules.SYSTEM)
    db.session.commit()
    assert [(e.kind, e.label, e.actor, e.notice_version) for e in consent.events(submission)] == [
        ("diberikan", "Persetujuan diberikan", "oleh anggota", consent.notice_version()),
        ("shu_ditarik", "Persetujuan SHU ditarik", "oleh petugas ani", consent.notice_version()),
        ("dihapus", "Data dihapus", "oleh sistem (masa simpan habis atau semua persetujuan ditarik)",
         consent.notice_version()),
    ]
    moments = [e.when for e in consent.events(submission)]
    assert moments == sorted(moments) and moments[0].utcoffset() == timedelta(hours=8)


def test_the_member_reads_the_follow_up_status_without_staff_notes(context):
    submission = store()
    status = consent.member_status(submission)
    assert status.title == "Minat Anda sudah diterima"
    assert status.since == consent.local_time(submission.created_at)
    staff = User(username="ani", password_hash="x", role="koperasi", cooperative="pintu-air", session_token="t")
    db.session.add(staff)
    db.session.flush()
    followup.change(submission, staff, "dihubungi", "Catatan rahasia staf")
    db.session.commit()
    db.session.refresh(submission)
    status = consent.member_status(submission)
    assert status.title == "Petugas sudah menghubungi Anda"
    assert status.next_step.startswith("Langkah berikutnya: mendaftar di BPJS Ketenagakerjaan")
    assert status.since >= consent.local_time(submission.created_at)
    assert "rahasia" not in repr(status)
