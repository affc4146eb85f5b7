"""The interest form's rules and exact messages, without HTTP."""
import pytest
from werkzeug.datastructures import MultiDict

from portal.public.forms import InterestForm, LookupForm
from tests.actions import VALID


def make_form(app, **changes):
    data = MultiDict()
    for key, value in {**VALID, **changes}.items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    with app.test_request_context():
        form = InterestForm(formdata=data, meta={"csrf": False})
        form.validate()
        return form


def errors(form):
    return {name: messages[0] for name, messages in form.errors.items()}


def test_valid_form_has_no_errors(sqlite_app):
    form = make_form(sqlite_app)
    assert errors(form) == {}
    assert form.phone_e164 == "+6281234567890"


FORMAT = "Tulis nomor HP yang benar, misalnya 0812 3456 7890"
INVALID = "Nomor HP ini tidak ada. Tulis nomor HP Indonesia, misalnya 0812 3456 7890"
LANDLINE = "Ini nomor telepon rumah atau kantor. Tulis nomor HP, misalnya 0812 3456 7890"


@pytest.mark.parametrize("typed, message", [
    ("", "Tulis nomor HP Anda"),
    ("0812", FORMAT),
    ("nomor saya 0812", FORMAT),
    ("0812345", INVALID),
    ("08123456789012345", FORMAT),
    ("0380 821234", LANDLINE),  # Kupang landline
    ("(0380) 833 123", LANDLINE),
    ("021 1234 5678", LANDLINE),
    ("+1 202 555 0101", INVALID),
    ("+61 412 345 678", INVALID),
    ("0800 1234 567", LANDLINE),  # toll-free, not a mobile
    ("12345678901234567890123456", "Nomor HP paling panjang 25 huruf"),
])
def test_rejected_phone_numbers(sqlite_app, typed, message):
    assert errors(make_form(sqlite_app, nomor_hp=typed))["nomor_hp"] == message


@pytest.mark.parametrize("changes, field, message", [
    ({"nama": ""}, "nama", "Tulis nama lengkap Anda"),
    ({"nama": "   "}, "nama", "Tulis nama lengkap Anda"),
    ({"nama": "x" * 101}, "nama", "Nama paling panjang 100 huruf"),
    ({"nama": "<script>alert(1)</script>"}, "nama", "Nama hanya boleh berisi huruf, angka, dan tanda baca biasa"),
    ({"nama": "Maria\x00"}, "nama", "Nama hanya boleh berisi huruf, angka, dan tanda baca biasa"),
    ({"nama": "\u202eareB anahoY"}, "nama", "Nama hanya boleh berisi huruf, angka, dan tanda baca biasa"),
    ({"nama": "Yohana\u200b Bera"}, "nama", "Nama hanya boleh berisi huruf, angka, dan tanda baca biasa"),
    ({"koperasi": ""}, "koperasi", "Pilih koperasi Anda"),
    ({"koperasi": "koperasi-palsu"}, "koperasi", "Pilih koperasi dari daftar"),
    ({"koperasi": "lainnya", "koperasi_lain": ""}, "koperasi_lain", "Tulis nama koperasi Anda"),
    ({"nomor_anggota": "9" * 31}, "nomor_anggota", "Nomor anggota paling panjang 30 huruf"),
    ({"kabupaten": ""}, "kabupaten", "Pilih kabupaten atau kota tempat Anda tinggal"),
    ({"kabupaten": "31.71"}, "kabupaten", "Pilih kabupaten atau kota dari daftar"),
    ({"pekerjaan": None}, "pekerjaan", "Pilih pekerjaan utama Anda"),
    ({"usia_18": None}, "usia_18",
     "Formulir ini untuk orang berumur 18 tahun atau lebih. Centang kotak ini jika umur Anda sudah 18 tahun"),
    ({"program": None}, "program", "Pilih perlindungan yang Anda minati"),
    ({"shu": None}, "shu", "Pilih salah satu jawaban tentang SHU"),
    ({"shu_cara": None}, "shu_cara", "Pilih berapa SHU yang boleh dipakai untuk iuran"),
    ({"shu_persen": ""}, "shu_persen", "Tulis persen antara 1% dan 100%, hanya angka"),
    ({"shu_persen": "150"}, "shu_persen", "Tulis persen antara 1% dan 100%, hanya angka"),
    ({"shu_persen": "setengah"}, "shu_persen", "Tulis persen antara 1% dan 100%, hanya angka"),
    ({"shu_cara": "rupiah", "shu_rupiah": "500"}, "shu_rupiah",
     "Tulis jumlah rupiah antara Rp10.000 dan Rp50.000.000, hanya angka"),
    ({"shu_cara": "bulan", "shu_bulan": "0"}, "shu_bulan", "Tulis jumlah bulan antara 1 dan 60, hanya angka"),
    ({"kontak": []}, "kontak", "Pilih minimal satu cara menghubungi Anda"),
    ({"kontak": ["merpati"]}, "kontak", "Pilih cara menghubungi dari daftar"),
    ({"setuju_data": None}, "setuju_data",
     "Centang persetujuan ini. Tanpa persetujuan, kami tidak boleh menyimpan data Anda"),
])
def test_messages(sqlite_app, changes, field, message):
    assert errors(make_form(sqlite_app, **changes)) == {field: message}


def test_pekerjaan_unknown_choice_message_is_indonesian(sqlite_app):
    message = errors(make_form(sqlite_app, pekerjaan="astronot"))["pekerjaan"]
    assert message == "Pilih pekerjaan utama Anda"


@pytest.mark.parametrize("cara, field, typed, value", [
    ("persen", "shu_persen", "25%", 25),
    ("rupiah", "shu_rupiah", "Rp 150.000", 150000),
    ("rupiah", "shu_rupiah", "150.000,-", 150000),
    ("bulan", "shu_bulan", "12", 12),
])
def test_shu_amounts_written_as_people_write_them(sqlite_app, cara, field, typed, value):
    form = make_form(sqlite_app, shu_cara=cara, **{field: typed})
    assert errors(form) == {}
    record = form.choices_record()
    assert (record["shu_cara"], record["shu_nilai"]) == (cara, value)


def test_amount_is_ignored_unless_agreeing(sqlite_app):
    form = make_form(sqlite_app, shu="belum", shu_persen="999")
    assert errors(form) == {}
    assert form.choices_record()["shu_cara"] is None
    assert form.choices_record()["shu_nilai"] is None


def test_channels_are_dropped_without_consent_to_contact(sqlite_app):
    form = make_form(sqlite_app, setuju_dihubungi=None, kontak=["sms"])
    assert errors(form) == {}
    assert form.choices_record()["kontak"] == []


def test_other_cooperative_needs_its_name(sqlite_app):
    form = make_form(sqlite_app, koperasi="lainnya", koperasi_lain="KSP Kopdit Lembata Jaya")
    assert errors(form) == {}


def test_record_holds_no_personal_data(sqlite_app):
    record = make_form(sqlite_app).choices_record()
    flat = repr(record)
    for personal in (VALID["nama"], "3456", VALID["nomor_anggota"]):
        assert personal not in flat


def test_lookup_form_messages(sqlite_app):
    with sqlite_app.test_request_context():
        form = LookupForm(formdata=MultiDict(), meta={"csrf": False})
        form.validate()
    assert {k: v[0] for k, v in form.errors.items()} == {
        "kode": "Tulis kode tanda terima Anda",
        "nomor_hp": "Tulis nomor HP yang Anda pakai saat mendaftar",
    }


def test_text_fields_are_trimmed_but_passwords_are_not(sqlite_app):
    """A space at either end of a password is part of it; everywhere else it is noise."""
    from portal.admin.forms import LoginForm

    with sqlite_app.test_request_context():
        form = LoginForm(formdata=MultiDict({"nama_pengguna": " ani\n", "kata_sandi": " sapi merah makan rumput "}),
                         meta={"csrf": False})
        assert (form.nama_pengguna.data, form.kata_sandi.data) == ("ani", " sapi merah makan rumput ")
