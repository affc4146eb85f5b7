"""The NIK as Dukcapil builds it, checked before anything is stored.

A NIK is 16 digits: province (2), kabupaten or kota (2), kecamatan (2), the
date of birth as DDMMYY with 40 added to the day for women, and a sequence
number (4). See Permendagri 72/2019 (kode wilayah) and the KTP-el layout
Dukcapil publishes. Each mistake gets its own plain message, because a member
or an officer reading a KTP aloud needs to know which digits to look at.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kkbc import data

# Kemendagri province codes, the four Papua provinces of 2022 included.
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36",
    "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82",
    "91", "92", "93", "94", "95", "96",
})
NTT = "53"
MALE, FEMALE = "L", "P"
SEX_LABELS = {MALE: "Laki-laki", FEMALE: "Perempuan"}


class NikError(ValueError):
    """A NIK that cannot be right; the message says why, in plain Indonesian."""


@dataclass(frozen=True)
class Nik:
    """What a NIK says about its holder."""

    digits: str
    sex: str
    day: int
    month: int
    year: int  # two digits, as on the KTP


def _ntt_kabupaten() -> set[str]:
    return {code.replace(".", "")[2:] for code in data.kabupaten()}


def _kabupaten_exists(province: str, code: str) -> bool:
    # NTT's codes come from data/; elsewhere kabupaten run from 01 and kota from 71.
    if province == NTT:
        return code in _ntt_kabupaten()
    number = int(code)
    return 1 <= number <= 69 or 71 <= number <= 79


def normalise(text: str | None) -> str:
    """Digits only: KTPs are copied with spaces, dots or dashes between groups."""
    return re.sub(r"[\s.\-]", "", text or "")


def parse(text: str | None) -> Nik:
    """Read a NIK on its own (its digits, not yet the person); NikError when it cannot be one."""
    nik = normalise(text)
    if not nik:
        raise NikError("Isi NIK (16 angka di KTP)")
    if not nik.isdigit():
        raise NikError("NIK hanya berisi angka")
    if len(nik) != 16:
        raise NikError(f"NIK harus 16 angka. Yang diisi {len(nik)} angka")
    province, kabupaten = nik[:2], nik[2:4]
    if province not in PROVINCES:
        raise NikError("Dua angka pertama NIK bukan kode provinsi. Periksa lagi KTP")
    if not _kabupaten_exists(province, kabupaten):
        raise NikError("Angka ke-3 dan ke-4 NIK bukan kode kabupaten atau kota di provinsi itu. Periksa lagi KTP")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = FEMALE if day > 40 else MALE
    real_day = day - 40 if sex == FEMALE else day
    if not 1 <= real_day <= 31:
        raise NikError("Angka ke-7 dan ke-8 NIK bukan tanggal lahir (01 sampai 31, "
                       "atau 41 sampai 71 untuk perempuan)")
    if not 1 <= month <= 12:
        raise NikError("Angka ke-9 dan ke-10 NIK bukan bulan lahir (01 sampai 12)")
    if nik[12:] == "0000":
        raise NikError("Empat angka terakhir NIK tidak boleh 0000")
    return Nik(nik, sex, real_day, month, year)


def check(text: str | None, birth_date: date | None, sex: str | None) -> str:
    """The NIK's 16 digits if it agrees with the date of birth and sex given; NikError otherwise."""
    nik = parse(text)
    day, month, year = nik.day, nik.month, nik.year
    if birth_date is not None and (day, month, year) != (birth_date.day, birth_date.month, birth_date.year % 100):
        raise NikError(f"Tanggal lahir di NIK ({day:02d}-{month:02d}-..{year:02d}) tidak sama dengan "
                       f"tanggal lahir yang diisi ({birth_date:%d-%m-%Y})")
    if sex in SEX_LABELS and sex != nik.sex:
        raise NikError(f"NIK ini milik {'perempuan (tanggal lahir ditambah 40)' if nik.sex == FEMALE else 'laki-laki'}, "
                       f"tetapi jenis kelamin yang diisi {SEX_LABELS[sex].lower()}")
    return nik.digits


def mask(nik: str | None) -> str:
    """5301••••••••0001: enough to tell two NIKs apart on a list, not enough to use one."""
    if not nik:
        return ""
    return nik[:4] + "•" * (len(nik) - 8) + nik[-4:]
