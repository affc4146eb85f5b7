"""The audit log: who viewed or exported personal data, and account changes."""
from __future__ import annotations

from sqlalchemy import select

from ..platform import paging
from ..extensions import db
from ..models import AuditEntry, utcnow

PER_PAGE = 50

# A refused request in the back office (portal.staff.access.deny).
DENIED = "ditolak"
ACTIONS = {
    "masuk": "Masuk",
    "gagal_masuk": "Gagal masuk",
    "keluar": "Keluar (semua perangkat)",
    "keluar_perangkat_lain": "Mengeluarkan perangkat lain",
    "tandai_ganda": "Menandai data ganda",
    "batal_ganda": "Membatalkan tanda ganda",
    "unduh_bukti": "Mengunduh bukti persetujuan",
    "lihat_daftar": "Melihat daftar tindak lanjut",
    "lihat_data": "Melihat data satu anggota",
    "ekspor_csv": "Mengunduh CSV",
    "ekspor_xlsx": "Mengunduh XLSX",
    "ekspor_diminta": "Meminta berkas ekspor besar",
    DENIED: "Akses ditolak",
    "akun_dibuat": "Membuat akun",
    "akun_dinonaktifkan": "Menonaktifkan akun",
    "akun_diaktifkan": "Mengaktifkan akun",
    "sandi_diganti": "Mengganti kata sandi",
    "kode_dibuat": "Membuat kode kampanye",
    "kode_diarsipkan": "Mengarsipkan kode kampanye",
    "kode_dipulihkan": "Memakai lagi kode kampanye",
    "kontak_diubah": "Mengubah petugas yang bisa ditanya",
    "formulir_dicetak": "Membuat berkas formulir kertas",
    "daftar_bantu": "Mendaftarkan anggota",
    "impor": "Mengimpor formulir",
    "rat_dibuat": "Membuat draf catatan RAT",
    "rat_diubah": "Mengubah draf catatan RAT",
    "rat_final": "Memfinalkan catatan RAT",
    "rat_koreksi": "Membuat koreksi catatan RAT",
    "rat_berkas": "Mengunggah scan berita acara",
    "rat_berkas_unduh": "Mengunduh scan berita acara",
    "lembar_konversi": "Membuat lembar konversi SHU",
    "lihat_nik": "Melihat NIK (tidak disamarkan)",
    "data_bpjs": "Mengisi data pendaftaran BPJS anggota",
    "serah_bpjs": "Membuat daftar serah ke BPJS",
    "serah_unduh": "Mengunduh atau mencetak daftar serah (dengan NIK)",
    "jawaban_bpjs": "Memuat jawaban BPJS",
    "tata_letak_bpjs": "Mengubah tata letak cabang BPJS",
    "daftar_perlindungan": "Melihat atau mencetak daftar perlindungan yang berakhir",
    "tanda_perlindungan": "Menandai anggota (diingatkan, lanjut bayar sendiri)",
    "bayar_sendiri_benar": "Membenarkan iuran yang dibayar sendiri oleh anggota",
    "capaian_unduh": "Mengunduh angka capaian",
    "capaian_terbit": "Menerbitkan angka capaian untuk situs",
}
# Free text typed into a search may be a name or a phone number: the log keeps
# that a search was made, not what was searched for.
MASKED = {"cari"}


def masked(filters: dict) -> dict:
    """The filters as they go into the log: empty ones dropped, search text hidden."""
    return {k: ("(disamarkan)" if k in MASKED else v) for k, v in filters.items() if v not in (None, "", [])}


def record(action: str, *, actor: str, user_id: int | None = None, cooperative: str | None = None,
           submission_id: int | None = None, detail: dict | None = None, rows: int | None = None,
           address: str | None = None) -> AuditEntry:
    """Add an entry to the current transaction; the caller commits."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(action=action, actor=actor[:40], user_id=user_id, cooperative=cooperative,
                       submission_id=submission_id, detail=detail or {}, rows=rows,
                       address=(address or "")[:45] or None, created_at=utcnow())
    db.session.add(entry)
    return entry


def page(number: int):
    """One page of the log, newest first, as a Flask-SQLAlchemy Pagination."""
    return paging.page(select(AuditEntry).order_by(AuditEntry.id.desc()), number, PER_PAGE)
