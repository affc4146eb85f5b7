"""portal.validators: each validator on a field of its own, with its exact
message. The forms' own messages are tested in test_forms.py."""
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, SelectMultipleField, StringField

from portal.forms import options
from kkbc.formatting import rupiah
from portal.validators import CONTROL, MaxLength, OneOf, PlainText, Required, WholeNumber


def check(field, typed) -> list[str]:
    """The errors of a one-field form after validating what was typed."""
    class OneField(Form):
        value = field

    form = OneField(formdata=MultiDict({"value": typed} if typed is not None else {}))
    form.validate()
    return form.value.errors


# ---------------------------------------------------------------- Required

@pytest.mark.parametrize("typed", [None, ""])
def test_required_says_its_sentence(typed):
    assert check(StringField(validators=[Required("Tulis nama lengkap Anda")]), typed) == [
        "Tulis nama lengkap Anda"]


def test_required_stops_the_chain_with_its_message_alone():
    field = StringField(validators=[Required("Tulis nama lengkap Anda"), PlainText("Nama")])
    assert check(field, "") == ["Tulis nama lengkap Anda"]


def test_required_refuses_an_unticked_box_and_an_empty_choice():
    assert check(BooleanField(validators=[Required("Centang kotak ini")]), None) == ["Centang kotak ini"]
    assert check(SelectMultipleField(choices=options({"a": "A"}), validate_choice=False,
                                     validators=[Required("Pilih minimal satu")]), None) == ["Pilih minimal satu"]


def test_required_accepts_a_value():
    assert check(StringField(validators=[Required("Tulis nama lengkap Anda")]), "Maria") == []


# ---------------------------------------------------------------- OneOf

def test_one_of_accepts_a_key_and_refuses_anything_else():
    field = StringField(validators=[OneOf({"pintu-air": "KSP Kopdit Pintu Air"}, "Pilih koperasi dari daftar")])
    assert check(field, "pintu-air") == []
    assert check(field, "koperasi-palsu") == ["Pilih koperasi dari daftar"]
    assert check(field, "KSP Kopdit Pintu Air") == ["Pilih koperasi dari daftar"]  # a label is not a key


# ---------------------------------------------------------------- MaxLength

def test_max_length_counts_letters_and_names_its_noun():
    field = StringField(validators=[MaxLength("Nama", 5)])
    assert check(field, "Maria") == []
    assert check(field, "Marias") == ["Nama paling panjang 5 huruf"]
    assert check(field, "") == []  # empty is for Required to judge


# ---------------------------------------------------------------- PlainText

PLAIN = "Nama hanya boleh berisi huruf, angka, dan tanda baca biasa"


@pytest.mark.parametrize("typed", ["Maria Goreti", "Maria \"Ina\" O'Neil & anak", "Yohanes B., S.Pd.",
                                   "Ñuñez Ümit", "PA-01234/2026", ""])
def test_plain_text_accepts_names_as_people_write_them(typed):
    assert check(StringField(validators=[PlainText("Nama")]), typed) == []


@pytest.mark.parametrize("typed", ["<script>", "Maria>", "Maria\x00", "Maria\tGoreti", "Maria\nGoreti",
                                   "Maria\x7f", "Maria\x85", "\x1b[31m"])
def test_plain_text_refuses_markup_and_control_characters(typed):
    assert check(StringField(validators=[PlainText("Nama")]), typed) == [PLAIN]


def test_control_covers_c0_and_c1_but_not_letters():
    assert [c for c in map(chr, range(0x00, 0xA0)) if CONTROL.match(c)] == \
        [chr(n) for n in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0))]


# ---------------------------------------------------------------- WholeNumber

PERCENT = WholeNumber("persen", 1, 100, lambda n: f"{n}%")
RUPIAH = WholeNumber("jumlah rupiah", 10_000, 50_000_000, rupiah)


@pytest.mark.parametrize("number, typed, value", [
    (PERCENT, "25", 25), (PERCENT, "25%", 25), (PERCENT, " 25 % ", 25),
    (RUPIAH, "150000", 150_000), (RUPIAH, "Rp 150.000", 150_000), (RUPIAH, "rp150.000", 150_000),
    (RUPIAH, "Rp. 150.000", 150_000), (RUPIAH, "150.000,-", 150_000), (RUPIAH, "150.000,", 150_000),
])
def test_whole_number_reads_amounts_as_people_write_them(number, typed, value):
    assert number.parse(typed) == value


@pytest.mark.parametrize("typed", [None, "", "setengah", "-5", "2,5", "1e3", "150.000,50", "9" * 13])
def test_whole_number_parses_nothing_else(typed):
    assert PERCENT.parse(typed) is None


def test_whole_number_message_names_the_range_in_its_units():
    assert PERCENT.message == "Tulis persen antara 1% dan 100%, hanya angka"
    assert RUPIAH.message == "Tulis jumlah rupiah antara Rp10.000 dan Rp50.000.000, hanya angka"
    assert WholeNumber("jumlah bulan", 1, 60).message == "Tulis jumlah bulan antara 1 dan 60, hanya angka"


@pytest.mark.parametrize("typed, errors", [
    ("1", []), ("100", []), ("0", [PERCENT.message]), ("101", [PERCENT.message]),
    ("", [PERCENT.message]), ("banyak", [PERCENT.message]),
])
def test_whole_number_holds_its_bounds(typed, errors):
    assert check(StringField(validators=[PERCENT]), typed) == errors
