"""The rules of a submission, in one place: its states, what each state allows,
the kinds of consent events, who can act, the SHU wording, and what stays
visible of a withdrawn or erased record.

Templates and views ask these functions; none of them compares state strings.
"""
from __future__ import annotations

from kkbc import choices
from kkbc.formatting import rupiah

# States of a submission.
ACTIVE, SHU_WITHDRAWN, WITHDRAWN, ERASED = "aktif", "shu_ditarik", "ditarik", "dihapus"
STATE_LABELS = {
    ACTIVE: "Aktif",
    SHU_WITHDRAWN: "Persetujuan SHU ditarik",
    WITHDRAWN: "Semua persetujuan ditarik",
    ERASED: "Data dihapus",
}
# The member still agrees to be processed (and maybe contacted) in these.
LIVE_STATES = (ACTIVE, SHU_WITHDRAWN)
# The SHU answer that agrees (kkbc.choices.SHU_CHOICES).
SHU_AGREE = "setuju"

# Kinds of consent events, as staff and the member's proof read them.
GIVEN, CHANGED = "diberikan", "diubah"
# Registration data for BPJS given or withdrawn (portal.bpjs.registration): a purpose of its own.
BPJS_GIVEN, BPJS_WITHDRAWN = "data_bpjs", "data_bpjs_ditarik"
EVENT_LABELS = {
    GIVEN: "Persetujuan diberikan",
    CHANGED: "Pilihan diubah",
    SHU_WITHDRAWN: "Persetujuan SHU ditarik",
    WITHDRAWN: "Semua persetujuan ditarik",
    ERASED: "Data dihapus",
    BPJS_GIVEN: "Data pendaftaran BPJS Ketenagakerjaan diberikan",
    BPJS_WITHDRAWN: "Data pendaftaran BPJS Ketenagakerjaan ditarik",
}

# Who acted, besides a staff account (stored by its username).
MEMBER, SYSTEM = "anggota", "sistem"


def actor_label(actor: str) -> str:
    """Who made a change, as the member's history says it."""
    if actor == MEMBER:
        return "oleh anggota"
    if actor == SYSTEM:
        return "oleh sistem (masa simpan habis atau semua persetujuan ditarik)"
    return f"oleh petugas {actor}"


# The SHU answer in a word or two, for tables and spreadsheets.
SHU_SHORT = {SHU_AGREE: "Setuju", "belum": "Belum memutuskan", "tidak": "Tidak setuju"}


def agrees_to_shu(state: str, chosen: dict) -> bool:
    """The member's SHU consent is in force: their record is active and they agreed."""
    return state == ACTIVE and chosen.get("shu") == SHU_AGREE


# How much SHU the member allows, in words; the short form fits a sheet's column.
SHU_AMOUNT_WORDS = {
    "persen": ("{}% dari SHU", "{}% SHU"),
    "rupiah": (rupiah, rupiah),
    "bulan": ("cukup untuk {} bulan iuran", "{} bulan iuran"),
}
NO_AMOUNT = "Belum menyebut jumlah"


def agreed_amount(chosen: dict) -> tuple[str, int] | None:
    """(kind, value) of the SHU amount the member named, if they named one."""
    kind, value = chosen.get("shu_cara"), chosen.get("shu_nilai")
    return (kind, value) if kind in SHU_AMOUNT_WORDS and isinstance(value, int) else None


def amount_words(amount: tuple[str, int] | None, short: bool = False) -> str:
    """An amount of SHU in words: '25% dari SHU', 'Rp100.000', 'cukup untuk 6 bulan
    iuran' (short: '25% SHU', '6 bulan iuran'); NO_AMOUNT for none."""
    if amount is None:
        return NO_AMOUNT
    kind, value = amount
    words = SHU_AMOUNT_WORDS[kind][short]
    return words(value) if callable(words) else words.format(value)


def shu_amount(chosen: dict, short: bool = False) -> str:
    """What the member allows, in words (``amount_words``); '' when they did not
    agree or named no amount."""
    amount = agreed_amount(chosen)
    return amount_words(amount, short) if chosen.get("shu") == SHU_AGREE and amount else ""


def shu_answer(chosen: dict) -> str:
    """The SHU answer as the member chose it, with the amount when they agreed."""
    label = choices.SHU_CHOICES.get(chosen.get("shu"), "-")
    amount = shu_amount(chosen)
    return f"{label}: {amount}" if amount else label


# What a member can do from their private page, by state. Each action has a
# title, what it means, and what the page says once it is done.
CORRECT, WITHDRAW_SHU, WITHDRAW_ALL, ERASE = "ubah", "tarik-shu", "tarik-semua", "hapus"
ACTIONS = {
    CORRECT: ("Perbaiki data saya",
              "Ubah nama, nomor HP, nomor anggota, tempat tinggal, pekerjaan, atau pilihan Anda.",
              "Perubahan Anda sudah disimpan."),
    WITHDRAW_SHU: ("Tarik persetujuan SHU",
                   "SHU Anda tidak akan dipakai untuk iuran. Persetujuan lain tetap berlaku.",
                   "Persetujuan SHU Anda sudah ditarik."),
    WITHDRAW_ALL: ("Tarik semua persetujuan",
                   "Kami berhenti mengolah data Anda dan tidak akan menghubungi Anda. Koperasi dan "
                   "BPJS Ketenagakerjaan NTT melihat bahwa persetujuan Anda sudah ditarik, lalu data "
                   "pribadi Anda dihapus.",
                   "Semua persetujuan Anda sudah ditarik."),
    ERASE: ("Hapus data saya",
            "Nama, nomor HP, dan nomor anggota Anda dihapus untuk selamanya. Yang tersisa hanya "
            "catatan tanpa nama bahwa ada persetujuan yang dihapus.",
            "Data pribadi Anda sudah dihapus."),
}


def available_actions(state: str, chosen: dict) -> list[str]:
    """Only what still means something in this state, in the order shown."""
    if state == ERASED:
        return []
    actions = []
    if state in LIVE_STATES:
        actions.append(CORRECT)
    if agrees_to_shu(state, chosen):
        actions.append(WITHDRAW_SHU)
    if state in LIVE_STATES:
        actions.append(WITHDRAW_ALL)
    actions.append(ERASE)
    return actions


# What stays visible.
def shows_personal_data(state: str) -> bool:
    """Erasure leaves no name, number or member number anywhere."""
    return state != ERASED


def staff_may_see_phone(state: str) -> bool:
    """A member who withdrew all consent must not be called: staff lose the number at once."""
    return state in LIVE_STATES


def can_contact(state: str, chosen: dict) -> bool:
    """The member agreed to be contacted and has not withdrawn."""
    return state in LIVE_STATES and bool(chosen.get("setuju_dihubungi"))


def counts_as_agreeing(state: str) -> bool:
    """Breakdowns count only consents still in force."""
    return state in LIVE_STATES


# Follow-up statuses: staff set them (portal.followup), the member reads them
# on their own page. The default of Submission.follow_up_status is NEW.
NEW, CONTACTED, ENROLLED, DROPPED = "baru", "dihubungi", "terdaftar", "tidak_jadi"
# In staff's words, for the back office's tables and exports.
FOLLOW_UP_LABELS = {
    NEW: "Baru",
    CONTACTED: "Sudah dihubungi",
    ENROLLED: "Terdaftar di BPJS",
    DROPPED: "Tidak jadi",
}
# In the member's words: what it means and what happens next.
MEMBER_STATUS = {
    NEW: ("Minat Anda sudah diterima",
             "Koperasi Anda akan menghubungi Anda atau menyampaikan kabar lewat koperasi."),
    CONTACTED: ("Petugas sudah menghubungi Anda",
                  "Langkah berikutnya: mendaftar di BPJS Ketenagakerjaan dengan KTP. Petugas koperasi membantu."),
    ENROLLED: ("Anda sudah terdaftar di BPJS Ketenagakerjaan",
                  "Simpan kartu atau nomor kepesertaan Anda. Tanyakan ke koperasi kalau ada yang belum jelas."),
    DROPPED: ("Pendaftaran tidak dilanjutkan",
                   "Kalau Anda ingin ikut lagi, hubungi koperasi Anda atau isi formulir lagi."),
}
