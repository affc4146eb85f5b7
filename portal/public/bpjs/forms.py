"""The registration data BPJS Ketenagakerjaan needs, with its own unticked consent."""
from __future__ import annotations

import re
from datetime import date

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import ValidationError

from kkbc import choices, data
from kkbc.formatting import rupiah

from ...bpjs import nik as nik_rules
from ...bpjs import registration
from ...platform import local_time
from ...forms import BaseForm
from ...models import utcnow
from ...validators import MaxLength, PlainText, Required, WholeNumber
from ..forms import _kabupaten_options, radio, validate_phone

INCOME = WholeNumber("penghasilan sebulan", registration.MIN_INCOME, registration.MAX_INCOME, rupiah)
DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")


class RegistrationForm(BaseForm):
    """Asked only at the handover: what BPJS records for a BPU worker (FACTS.md, fourth check)."""

    nik = StringField("NIK (nomor induk kependudukan)", validators=[Required("Isi NIK (16 angka di KTP)")])
    nama_ktp = StringField("Nama lengkap sesuai KTP", validators=[
        Required("Tulis nama lengkap sesuai KTP"), MaxLength("Nama", 120), PlainText("Nama")])
    tanggal_lahir = StringField("Tanggal lahir", validators=[Required("Tulis tanggal lahir")])
    jenis_kelamin = radio("Jenis kelamin", nik_rules.SEX_LABELS, "Pilih jenis kelamin")
    nomor_hp = StringField("Nomor HP", validators=[
        Required("Tulis nomor HP"), MaxLength("Nomor HP", 25), validate_phone])
    pekerjaan = radio("Pekerjaan utama", choices.OCCUPATIONS, "Pilih pekerjaan utama")
    kabupaten = SelectField("Kabupaten atau kota tempat bekerja", choices=[], validate_choice=False,
                            validators=[Required("Pilih kabupaten atau kota tempat bekerja")])
    program = radio("Program", choices.PACKAGES, "Pilih program")
    penghasilan = StringField("Penghasilan sebulan yang dilaporkan", validators=[
        Required("Tulis penghasilan sebulan"), INCOME])
    setuju_bpjs = BooleanField("Saya setuju koperasi menyerahkan data ini ke BPJS Ketenagakerjaan "
                               "untuk mendaftarkan saya", validators=[
        Required("Centang persetujuan agar koperasi boleh menyerahkan data ini ke BPJS Ketenagakerjaan")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kabupaten.choices = _kabupaten_options()
        self.phone_e164 = None
        self.birth_date: date | None = None

    @classmethod
    def for_member(cls, submission, found=None, **kwargs):
        """Pre-filled from what the member gave before (never the NIK: it is typed again)."""
        if found is not None:
            initial = {"nama_ktp": found.ktp_name, "tanggal_lahir": found.birth_date.strftime("%d-%m-%Y"),
                       "jenis_kelamin": found.sex, "nomor_hp": found.phone, "pekerjaan": found.occupation,
                       "kabupaten": found.kabupaten, "program": found.programme, "penghasilan": str(found.income)}
        else:
            initial = {"nama_ktp": submission.name, "nomor_hp": submission.phone,
                       "pekerjaan": submission.occupation, "kabupaten": submission.kabupaten,
                       "program": submission.choices.get("program")}
        return cls(data=initial, **kwargs)

    def validate_tanggal_lahir(self, field):
        """A real date of birth, written as on the KTP, of an adult."""
        found = DATE.match(field.data or "")
        try:
            born = date(int(found[3]), int(found[2]), int(found[1])) if found else None
        except ValueError:
            born = None
        if born is None:
            raise ValidationError("Tulis tanggal lahir seperti di KTP, misalnya 17-08-1985")
        age = registration.age_on(born, local_time(utcnow()).date())
        if not 18 <= age <= 100:
            raise ValidationError("Tanggal lahir harus untuk umur 18 tahun atau lebih")
        self.birth_date = born

    def validate_kabupaten(self, field):
        """A kabupaten from the list."""
        if field.data not in data.kabupaten():
            raise ValidationError("Pilih kabupaten atau kota dari daftar")

    def validate(self, extra_validators=None):
        """Every field, then the NIK against the date of birth and sex."""
        valid = super().validate(extra_validators)
        # The NIK is checked against the date of birth and sex given, once those are right.
        if not self.nik.errors:
            try:
                self.nik.data = nik_rules.check(self.nik.data, self.birth_date,
                                          None if self.jenis_kelamin.errors else self.jenis_kelamin.data)
            except nik_rules.NikError as exc:
                self.nik.errors = [str(exc)]
                valid = False
        return valid

    def values(self) -> dict:
        """What registration.save needs."""
        return {"nik": self.nik.data, "ktp_name": self.nama_ktp.data, "birth_date": self.birth_date,
                "sex": self.jenis_kelamin.data, "phone": self.phone_e164, "occupation": self.pekerjaan.data,
                "kabupaten": self.kabupaten.data, "programme": self.program.data,
                "income": INCOME.parse(self.penghasilan.data)}
