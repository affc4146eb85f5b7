"""Choices offered on the form, with the words members see.

Keys are stored in the database and exports; labels may change freely.
"""
from __future__ import annotations

from . import data

OCCUPATIONS = {
    "petani": "Petani atau peternak",
    "nelayan": "Nelayan",
    "penenun": "Penenun atau perajin",
    "pedagang": "Pedagang atau pemilik kios",
    "ojek": "Sopir atau tukang ojek",
    "buruh": "Buruh harian atau tukang",
    "lainnya": "Pekerjaan lain",
}

PACKAGES = {
    "jkk-jkm": "Kecelakaan kerja dan kematian (JKK + JKM)",
    "jkk-jkm-jht": "Kecelakaan kerja, kematian, dan tabungan hari tua (JKK + JKM + JHT)",
}

SHU_CHOICES = {
    "setuju": "Setuju sebagian SHU saya dipakai untuk iuran",
    "belum": "Belum memutuskan",
    "tidak": "Tidak setuju",
}

SHU_AMOUNT_KINDS = {
    "persen": "Sebagian SHU, dalam persen",
    "rupiah": "Jumlah tertentu, dalam rupiah",
    "bulan": "Cukup untuk beberapa bulan iuran",
}

CONTACT_CHANNELS = {
    "whatsapp": "WhatsApp",
    "sms": "SMS",
    "telepon": "Telepon",
    "koperasi": "Lewat koperasi saya",
}

OTHER_COOPERATIVE = "lainnya"


def cooperative_choices() -> list[tuple[str, str]]:
    """The form's cooperative choices: every partner, then another cooperative."""
    coops = [(slug, c.name) for slug, c in data.cooperatives().items()]
    return coops + [(OTHER_COOPERATIVE, "Koperasi lain (tulis namanya)")]


def cooperative_keys() -> set[str]:
    """Every value the form's cooperative question takes."""
    return set(data.cooperatives()) | {OTHER_COOPERATIVE}


def cooperative_label(slug: str, other: str | None = None) -> str:
    """A cooperative's name as people read it, or the other cooperative's name as typed."""
    if slug == OTHER_COOPERATIVE:
        return other or "Koperasi lain"
    coop = data.cooperatives().get(slug)
    return coop.name if coop else slug
