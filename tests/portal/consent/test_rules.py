"""portal.consent.rules: what each state allows and shows, and the SHU answer
in words. Pure functions: no Flask, no database."""
import pytest

from portal import followup
from portal.consent import rules

STATES = (rules.ACTIVE, rules.SHU_WITHDRAWN, rules.WITHDRAWN, rules.ERASED)
AGREED = {"shu": "setuju", "shu_cara": "persen", "shu_nilai": 25, "setuju_dihubungi": True}
NOT_AGREED = {"shu": "belum", "shu_cara": None, "shu_nilai": None, "setuju_dihubungi": False}


def test_every_state_and_event_has_a_label():
    assert set(rules.STATE_LABELS) == set(STATES)
    assert set(rules.EVENT_LABELS) == {rules.GIVEN, rules.CHANGED, rules.SHU_WITHDRAWN, rules.WITHDRAWN,
                                       rules.ERASED, rules.BPJS_GIVEN, rules.BPJS_WITHDRAWN}
    assert set(rules.MEMBER_STATUS) == set(followup.STATUSES)


@pytest.mark.parametrize("state, chosen, actions", [
    (rules.ACTIVE, AGREED, ["ubah", "tarik-shu", "tarik-semua", "hapus"]),
    (rules.ACTIVE, NOT_AGREED, ["ubah", "tarik-semua", "hapus"]),
    (rules.SHU_WITHDRAWN, AGREED, ["ubah", "tarik-semua", "hapus"]),
    (rules.WITHDRAWN, NOT_AGREED, ["hapus"]),
    (rules.ERASED, NOT_AGREED, []),
])
def test_available_actions_by_state(state, chosen, actions):
    assert rules.available_actions(state, chosen) == actions
    assert set(actions) <= set(rules.ACTIONS)


@pytest.mark.parametrize("state, personal, staff_phone, agreeing", [
    (rules.ACTIVE, True, True, True),
    (rules.SHU_WITHDRAWN, True, True, True),
    (rules.WITHDRAWN, True, False, False),  # staff lose the number at once
    (rules.ERASED, False, False, False),
])
def test_what_each_state_shows(state, personal, staff_phone, agreeing):
    assert rules.shows_personal_data(state) is personal
    assert rules.staff_may_see_phone(state) is staff_phone
    assert rules.counts_as_agreeing(state) is agreeing


@pytest.mark.parametrize("state, chosen, contact", [
    (rules.ACTIVE, AGREED, True), (rules.SHU_WITHDRAWN, AGREED, True), (rules.ACTIVE, NOT_AGREED, False),
    (rules.WITHDRAWN, AGREED, False), (rules.ERASED, AGREED, False), (rules.ACTIVE, {}, False),
])
def test_contact_only_with_consent_in_force(state, chosen, contact):
    assert rules.can_contact(state, chosen) is contact


@pytest.mark.parametrize("actor, label", [
    ("anggota", "oleh anggota"),
    ("sistem", "oleh sistem (masa simpan habis atau semua persetujuan ditarik)"),
    ("ani.pintuair", "oleh petugas ani.pintuair"),
])
def test_who_acted_in_words(actor, label):
    assert rules.actor_label(actor) == label


@pytest.mark.parametrize("chosen, amount, answer", [
    ({"shu": "setuju", "shu_cara": "persen", "shu_nilai": 25}, "25% dari SHU",
     "Setuju sebagian SHU saya dipakai untuk iuran: 25% dari SHU"),
    ({"shu": "setuju", "shu_cara": "rupiah", "shu_nilai": 100_000}, "Rp100.000",
     "Setuju sebagian SHU saya dipakai untuk iuran: Rp100.000"),
    ({"shu": "setuju", "shu_cara": "bulan", "shu_nilai": 6}, "cukup untuk 6 bulan iuran",
     "Setuju sebagian SHU saya dipakai untuk iuran: cukup untuk 6 bulan iuran"),
    ({"shu": "setuju", "shu_cara": "persen", "shu_nilai": None}, "",
     "Setuju sebagian SHU saya dipakai untuk iuran"),
    ({"shu": "belum", "shu_cara": "persen", "shu_nilai": 25}, "", "Belum memutuskan"),
    ({"shu": "tidak"}, "", "Tidak setuju"),
    ({}, "", "-"),
])
def test_the_shu_answer_in_words(chosen, amount, answer):
    assert rules.shu_amount(chosen) == amount
    assert rules.shu_answer(chosen) == answer


@pytest.mark.parametrize("amount, words, short", [
    (("persen", 25), "25% dari SHU", "25% SHU"),
    (("rupiah", 100_000), "Rp100.000", "Rp100.000"),
    (("bulan", 6), "cukup untuk 6 bulan iuran", "6 bulan iuran"),
    (None, "Belum menyebut jumlah", "Belum menyebut jumlah"),
])
def test_one_function_words_an_amount_of_shu_for_pages_and_sheets(amount, words, short):
    assert rules.amount_words(amount) == words
    assert rules.amount_words(amount, short=True) == short


@pytest.mark.parametrize("state", STATES)
def test_shu_consent_is_in_force_only_while_active_and_agreed(state):
    assert rules.agrees_to_shu(state, AGREED) is (state == rules.ACTIVE)
    assert rules.agrees_to_shu(state, NOT_AGREED) is False
    assert (rules.WITHDRAW_SHU in rules.available_actions(state, AGREED)) is rules.agrees_to_shu(state, AGREED)
