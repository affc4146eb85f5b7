"""The interest and consent form, and the consent look-up form."""
from __future__ import annotations

from functools import cache

from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from kkbc import choices, data
from kkbc.formatting import rupiah

from ..consent import phone, rules
from .. import rat
from ..forms import BaseForm, options
from ..validators import MaxLength, OneOf, PlainText, Required, WholeNumber

PHONE_MESSAGES = {
    "format": f"Tulis nomor HP yang benar, misalnya {phone.EXAMPLE}",
    "invalid": f"Nomor HP ini tidak ada. Tulis nomor HP Indonesia, misalnya {phone.EXAMPLE}",
    "landline": f"Ini nomor telepon rumah atau kantor. Tulis nomor HP, misalnya {phone.EXAMPLE}",
}

SHU_PERCENT = WholeNumber("persen", 1, 100, lambda n: f"{n}%")
SHU_RUPIAH = WholeNumber("jumlah rupiah", 10_000, 50_000_000, rupiah)
SHU_MONTHS = WholeNumber("jumlah bulan", 1, 60)
AMOUNTS = {"persen": SHU_PERCENT, "rupiah": SHU_RUPIAH, "bulan": SHU_MONTHS}


@cache
def _kabupaten_options():
    return options([("", "Pilih kabupaten atau kota")] + list(data.kabupaten().items()))


@cache
def _cooperative_options():
    return options([("", "Pilih koperasi")] + choices.cooperative_choices())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def radio(label, choices_: dict, message: str):
    """Radios whose one message covers both 'nothing chosen' and 'not a choice'."""
    return RadioField(label, choices=options(choices_), validate_choice=False,
                      validators=[Required(message), OneOf(choices_, message)])


def validate_phone(form, field):
    """Store E.164; keep what the member typed if it is wrong."""
    try:
        form.phone_e164 = phone.normalise(field.data)
    except phone.PhoneError as exc:
        raise ValidationError(PHONE_MESSAGES[str(exc)]) from exc


class AnswersForm(BaseForm):
    """What a member tells us about themself and chooses: the questions shared by
    the form and the member's correction page, with the same messages."""

    nama = StringField("Nama lengkap", validators=[
        Required("Tulis nama lengkap Anda"), MaxLength("Nama", 100), PlainText("Nama")])
    nomor_hp = StringField("Nomor HP", validators=[
        Required("Tulis nomor HP Anda"), MaxLength("Nomor HP", 25), validate_phone])
    nomor_anggota = StringField("Nomor anggota (boleh dikosongkan)", validators=[
        MaxLength("Nomor anggota", 30), PlainText("Nomor anggota")])
    kabupaten = SelectField("Kabupaten atau kota tempat tinggal", choices=[],
                            validators=[Required("Pilih kabupaten atau kota tempat Anda tinggal")],
                            validate_choice=False)
    pekerjaan = radio("Pekerjaan utama", choices.OCCUPATIONS, "Pilih pekerjaan utama Anda")
    program = radio("Perlindungan yang Anda minati", choices.PACKAGES,
                    "Pilih perlindungan yang Anda minati")
    shu = radio("Bolehkah sebagian SHU Anda dipakai untuk membayar iuran?", choices.SHU_CHOICES,
                "Pilih salah satu jawaban tentang SHU")
    shu_cara = RadioField("Berapa yang boleh dipakai?", choices=options(choices.SHU_AMOUNT_KINDS),
                          validate_choice=False)
    shu_persen = StringField("Persen dari SHU")
    shu_rupiah = StringField("Jumlah rupiah")
    shu_bulan = StringField("Jumlah bulan iuran")
    kontak = MultiCheckboxField("Cara menghubungi Anda", choices=options(choices.CONTACT_CHANNELS),
                                validate_choice=False)
    setuju_dihubungi = BooleanField("Saya setuju dihubungi lewat cara yang saya pilih")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_e164 = None
        # Built once: the data files do not change while the portal runs.
        self.kabupaten.choices = _kabupaten_options()

    def cooperative_slug(self) -> str | None:
        """The cooperative chosen, if the form asks for one."""
        return getattr(self, "koperasi", None) and self.koperasi.data

    def validate(self, extra_validators=None, connection=None):
        # After a RAT said no, there is no SHU conversion this year: the form
        # asks only for interest, and any SHU answer sent anyway is dropped.
        """Every field, against the RAT decision in force for the cooperative."""
        self.asks_shu = rat.asks_shu(self.cooperative_slug(), connection)
        if not self.asks_shu:
            self.shu.data, self.shu.validators = None, []
        return super().validate(extra_validators)

    def validate_kabupaten(self, field):
        """A kabupaten from the list."""
        if field.data not in data.kabupaten():
            raise ValidationError("Pilih kabupaten atau kota dari daftar")

    def validate_shu_cara(self, field):
        """When the member agrees, how much SHU: a way from the list."""
        if self.shu.data != rules.SHU_AGREE:
            return
        if field.data not in choices.SHU_AMOUNT_KINDS:
            raise ValidationError("Pilih berapa SHU yang boleh dipakai untuk iuran")

    def _validate_amount(self, kind, field):
        """Only the amount that goes with the chosen way is checked."""
        if self.shu.data == rules.SHU_AGREE and self.shu_cara.data == kind:
            AMOUNTS[kind](self, field)

    def validate_shu_persen(self, field):
        """The percent, when that is the way chosen."""
        self._validate_amount("persen", field)

    def validate_shu_rupiah(self, field):
        """The amount, when that is the way chosen."""
        self._validate_amount("rupiah", field)

    def validate_shu_bulan(self, field):
        """The months, when that is the way chosen."""
        self._validate_amount("bulan", field)

    def validate_kontak(self, field):
        """Channels from the list, at least one when the member may be contacted."""
        unknown = set(field.data or []) - set(choices.CONTACT_CHANNELS)
        if unknown:
            raise ValidationError("Pilih cara menghubungi dari daftar")
        if self.setuju_dihubungi.data and not field.data:
            raise ValidationError("Pilih minimal satu cara menghubungi Anda")

    def answers(self) -> dict:
        """The choices as stored in consent events (no personal data)."""
        agreed = self.shu.data == rules.SHU_AGREE
        amount = None
        if agreed:
            kind = self.shu_cara.data
            amount = AMOUNTS[kind].parse(getattr(self, f"shu_{kind}").data)
        contact = bool(self.setuju_dihubungi.data)
        return {
            "kabupaten": self.kabupaten.data,
            "pekerjaan": self.pekerjaan.data,
            "program": self.program.data,
            "shu": self.shu.data,
            "shu_cara": self.shu_cara.data if agreed else None,
            "shu_nilai": amount,
            "setuju_dihubungi": contact,
            "kontak": sorted(set(self.kontak.data or [])) if contact else [],
        }


class InterestForm(AnswersForm):
    """Everything a member tells us, and the consents they give."""

    koperasi = SelectField("Koperasi", choices=[], validators=[Required("Pilih koperasi Anda")],
                           validate_choice=False)
    koperasi_lain = StringField("Nama koperasi lain", validators=[
        MaxLength("Nama koperasi", 100), PlainText("Nama koperasi")])
    usia_18 = BooleanField("Saya berumur 18 tahun atau lebih", validators=[
        Required("Formulir ini untuk orang berumur 18 tahun atau lebih. Centang kotak ini jika umur Anda sudah 18 tahun")])
    setuju_data = BooleanField("Saya setuju data saya diolah untuk keperluan ini", validators=[
        Required("Centang persetujuan ini. Tanpa persetujuan, kami tidak boleh menyimpan data Anda")])

    # Carried by the page, not typed: a signed token (idempotency key, the time
    # the form was shown, where the member came from), and a honeypot that
    # people never see and bots fill in.
    formulir = HiddenField()
    situs_web = StringField("Jangan isi kolom ini")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.koperasi.choices = _cooperative_options()

    def validate_koperasi(self, field):
        """A cooperative from the list."""
        if field.data not in choices.cooperative_keys():
            raise ValidationError("Pilih koperasi dari daftar")

    def validate_koperasi_lain(self, field):
        """The other cooperative's name, when that is the choice."""
        if self.koperasi.data == choices.OTHER_COOPERATIVE and not field.data:
            raise ValidationError("Tulis nama koperasi Anda")

    def values(self) -> dict:
        """The member's answers as consent.submit takes them."""
        return dict(name=self.nama.data, phone=self.phone_e164, member_number=self.nomor_anggota.data,
                    other_cooperative=self.koperasi_lain.data if self.koperasi_lain else None,
                    chosen=self.choices_record())

    def choices_record(self) -> dict:
        """The member's choices as stored in consent events (no personal data)."""
        return {"koperasi": self.koperasi.data, **self.answers(), "usia_18": True, "setuju_data": True}


class CorrectionForm(AnswersForm):
    """The member corrects their own record from the private page."""

    def answers(self) -> dict:
        """The corrected answers; the SHU answer kept when the form did not ask it."""
        found = super().answers()
        if not getattr(self, "asks_shu", True):
            # The SHU question is not shown after a rejection: what the member
            # chose before stays as it was.
            kept = self.record.choices or {}
            found.update({k: kept.get(k) for k in ("shu", "shu_cara", "shu_nilai")})
        return found

    @classmethod
    def for_record(cls, submission):
        """What was sent, or else the record's current data."""
        form = cls()
        form.record = submission
        form.cooperative_slug = lambda: submission.cooperative
        if not form.is_submitted():
            c = submission.choices or {}
            form.nama.data = submission.name
            form.nomor_hp.data = phone.display(submission.phone)
            form.nomor_anggota.data = submission.member_number
            form.kabupaten.data = submission.kabupaten
            form.pekerjaan.data = submission.occupation
            form.program.data = c.get("program")
            form.shu.data = c.get("shu")
            form.shu_cara.data = c.get("shu_cara")
            if c.get("shu_cara"):
                getattr(form, f"shu_{c['shu_cara']}").data = str(c.get("shu_nilai") or "")
            form.kontak.data = list(c.get("kontak") or [])
            form.setuju_dihubungi.data = bool(c.get("setuju_dihubungi"))
        return form


class LookupForm(BaseForm):
    """Receipt code plus phone number, for members without their private link."""

    kode = StringField("Kode tanda terima", validators=[
        Required("Tulis kode tanda terima Anda"), MaxLength("Kode", 20)])
    nomor_hp = StringField("Nomor HP", validators=[
        Required("Tulis nomor HP yang Anda pakai saat mendaftar"), MaxLength("Nomor HP", 25)])

