"""Where a member stands on the way from consent to cover, in plain words for
their private page: consent, the RAT, the conversion sheet, the handover,
waiting for BPJS, then protected (or no longer)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from kkbc.rates import Month

from .. import consent, rat
from ..extensions import db
from ..models import HandoverBatch, HandoverEntry, Submission
from . import answer, cover, handover, registration

CONSENT, RAT, SHEET, HANDOVER, WAITING, REFUSED, PROTECTED, SOON, ENDED = (
    "persetujuan", "rat", "konversi", "serah", "bpjs", "ditolak", "terlindungi", "mulai", "berakhir")
STEPS = [CONSENT, RAT, SHEET, HANDOVER, WAITING]
STEP_NAMES = {CONSENT: "Persetujuan SHU", RAT: "Keputusan RAT", SHEET: "Daftar konversi SHU",
              HANDOVER: "Penyerahan ke BPJS", WAITING: "Menunggu BPJS"}


@dataclass
class Standing:
    """The member's step, what it means, and what comes next."""

    key: str
    text: str
    next: str
    until: Month | None = None
    periods: list = field(default_factory=list)
    entry: HandoverEntry | None = None

    @property
    def number(self) -> int | None:
        """The step's place among the five before cover (1-5), None once BPJS answered."""
        return STEPS.index(self.key) + 1 if self.key in STEPS else None


def _in_a_sheet(submission: Submission) -> bool:
    """In a handover batch's list of members missing data (the sheet had them)."""
    for missing in db.session.scalars(select(HandoverBatch.missing).where(
            HandoverBatch.cooperative == submission.cooperative)):
        if any(m.get("id") == submission.id for m in missing or []):
            return True
    return False


def standing(submission: Submission) -> Standing:
    """The member's step now (by the portal's clock)."""
    found = cover.periods(submission.id)
    last = cover.until(found)
    now = cover.this_month()
    entry = db.session.scalar(select(HandoverEntry).where(HandoverEntry.submission_id == submission.id)
                              .order_by(HandoverEntry.id.desc()).limit(1))
    if last is not None:
        words = cover.PROGRAMME_WORDS.get(found[-1].programme, "JKK dan JKM")
        after = last.next().label()
        if cover.covers(found, now):
            return Standing(PROTECTED, f"Anda terlindungi {words} sampai {last.label()}.",
                            f"Untuk tetap terlindungi, bayar sendiri mulai {after}, atau setujui lagi "
                            "SHU untuk iuran di RAT berikutnya.", last, found, entry)
        if last >= now:
            first = min(Month.parse(p.first) for p in found if p.confirmed and Month.parse(p.last) >= now)
            return Standing(SOON, f"Perlindungan {words} Anda mulai {first.label()} sampai {last.label()}.",
                            f"Untuk tetap terlindungi setelahnya, bayar sendiri mulai {after}, atau setujui "
                            "lagi SHU untuk iuran di RAT berikutnya.", last, found, entry)
        return Standing(ENDED, f"Perlindungan {words} Anda sudah berakhir pada {last.label()}.",
                        f"Bayar sendiri mulai {now.label()} agar terlindungi lagi, atau setujui lagi SHU untuk "
                        "iuran di RAT berikutnya. Setelah 3 bulan tidak dibayar, kepesertaan menjadi tidak aktif.",
                        last, found, entry)
    if entry is not None and entry.kind == handover.HANDED and entry.result == answer.REFUSED:
        reason = f": {entry.reason}" if entry.reason else ""
        return Standing(REFUSED, f"BPJS Ketenagakerjaan belum bisa mendaftarkan Anda{reason}.",
                        "Tanyakan ke koperasi Anda apa yang perlu diperbaiki.", entry=entry, periods=found)
    if entry is not None and entry.kind == handover.HANDED:
        if entry.result == answer.REGISTERED:
            return Standing(WAITING, "BPJS Ketenagakerjaan sudah mendaftarkan Anda. Iuran dari SHU sedang dibayar.",
                            "Setelah BPJS mencatat pembayarannya, halaman ini menunjukkan sampai kapan Anda "
                            "terlindungi.", entry=entry, periods=found)
        return Standing(WAITING, "Koperasi sudah menyerahkan data Anda ke BPJS Ketenagakerjaan.",
                        "BPJS mendaftarkan Anda dan memberi nomor kepesertaan (KPJ). Koperasi lalu membayar "
                        "iuran dari SHU.", entry=entry, periods=found)
    if not consent.rules.agrees_to_shu(submission.state, submission.choices):
        return Standing(CONSENT, "Anda belum menyetujui SHU dipakai untuk iuran BPJS Ketenagakerjaan.",
                        "Kalau setuju, ubah persetujuan Anda di halaman ini. Keputusan tetap di tangan Anda.",
                        periods=found)
    record = rat.in_force(submission.cooperative)
    if record is None or not rat.converts_shu(record):
        return Standing(RAT, "Anda setuju SHU dipakai untuk iuran. Sekarang menunggu keputusan RAT koperasi.",
                        "Bila RAT menyetujui, bagian keuangan koperasi membuat daftar konversi SHU.", periods=found)
    if _in_a_sheet(submission) or registration.get(submission) is not None:
        if registration.missing(submission, registration.get(submission)) or \
                not registration.wants_registration(submission):
            return Standing(HANDOVER, "Anda ada di daftar konversi SHU. Data pendaftaran BPJS Anda belum lengkap.",
                            "Isi data pendaftaran BPJS di halaman ini atau bersama petugas koperasi. Koperasi "
                            "lalu menyerahkannya ke BPJS Ketenagakerjaan.", periods=found)
        return Standing(HANDOVER, "Data pendaftaran BPJS Anda sudah lengkap.",
                        "Koperasi menyerahkannya ke BPJS Ketenagakerjaan bersama daftar berikutnya.", periods=found)
    return Standing(SHEET, "RAT sudah menyetujui SHU untuk iuran.",
                    "Bagian keuangan koperasi membuat daftar konversi SHU: berapa bulan iuran dari SHU Anda. "
                    "Setelah itu koperasi menyerahkan daftarnya ke BPJS Ketenagakerjaan.", periods=found)
