"""The NIK as Dukcapil builds it: every mistake gets its own message."""
from datetime import date

import pytest

from portal.bpjs import nik


@pytest.mark.parametrize("text,born,sex", [
    ("5307011708850001", date(1985, 8, 17), "L"),   # Kabupaten Sikka, a man
    ("5310014503900002", date(1990, 3, 5), "P"),    # Kabupaten Manggarai, a woman (5 + 40)
    ("5371027112990003", date(1999, 12, 31), "P"),  # Kota Kupang, the last possible day
    ("5321 0101 0101 0004", date(2001, 1, 1), "L"),  # Malaka, written in groups
])
def test_valid_ntt_niks(text, born, sex):
    assert nik.check(text, born, sex) == text.replace(" ", "")


@pytest.mark.parametrize("text,message", [
    ("", "Isi NIK (16 angka di KTP)"),
    ("530701170885001", "NIK harus 16 angka. Yang diisi 15 angka"),
    ("53070117088500011", "NIK harus 16 angka. Yang diisi 17 angka"),
    ("53070117O8850001", "NIK hanya berisi angka"),
    ("5407011708850001", "Dua angka pertama NIK bukan kode provinsi. Periksa lagi KTP"),
    ("5330011708850001", "Angka ke-3 dan ke-4 NIK bukan kode kabupaten atau kota di provinsi itu. Periksa lagi KTP"),
    ("5307017208850001", "Angka ke-7 dan ke-8 NIK bukan tanggal lahir (01 sampai 31, atau 41 sampai 71 untuk perempuan)"),
    ("5307013508850001", "Angka ke-7 dan ke-8 NIK bukan tanggal lahir (01 sampai 31, atau 41 sampai 71 untuk perempuan)"),
    ("5307011713850001", "Angka ke-9 dan ke-10 NIK bukan bulan lahir (01 sampai 12)"),
    ("5307011708850000", "Empat angka terakhir NIK tidak boleh 0000"),
])
def test_malformed_niks(text, message):
    with pytest.raises(nik.NikError) as error:
        nik.check(text, None, None)
    assert str(error.value) == message


def test_date_of_birth_must_agree():
    with pytest.raises(nik.NikError) as error:
        nik.check("5307011708850001", date(1985, 8, 18), "L")
    assert str(error.value) == ("Tanggal lahir di NIK (17-08-..85) tidak sama dengan tanggal lahir "
                                "yang diisi (18-08-1985)")


def test_sex_must_agree():
    with pytest.raises(nik.NikError) as error:
        nik.check("5310014503900002", date(1990, 3, 5), "L")
    assert str(error.value) == ("NIK ini milik perempuan (tanggal lahir ditambah 40), tetapi jenis "
                                "kelamin yang diisi laki-laki")
    with pytest.raises(nik.NikError, match="NIK ini milik laki-laki"):
        nik.check("5307011708850001", date(1985, 8, 17), "P")


def test_other_provinces_are_accepted():
    # A member who moved to NTT keeps the NIK of where they were registered.
    assert nik.check("3171011708850001", date(1985, 8, 17), "L") == "3171011708850001"


def test_mask():
    assert nik.mask("5301011708850001") == "5301••••••••0001"
    assert nik.mask(None) == ""
