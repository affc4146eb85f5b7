"""Back-office forms of the handover to BPJS and its answer."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from ...outreach import assisted
from ...bpjs import answer, handover
from ...forms import BaseForm, options
from ...public import RegistrationForm
from ...public import radio
from ...validators import MaxLength, OneOf, PlainText, Required, parse_month


class OfficerRegistrationForm(RegistrationForm):
    """The member's registration data entered by an officer beside them, with
    how consent was given, as in assisted entry."""

    saluran = radio("Di mana data diisi", assisted.CHANNELS, "Pilih di mana data diisi")
    cara = radio("Bagaimana anggota memberi persetujuan", assisted.METHODS,
                 "Pilih bagaimana anggota memberi persetujuan")


class HandoverForm(BaseForm):
    """The SHU list again (read in memory, never kept), the first month paid, and the branch's layout."""

    berkas = FileField("Daftar SHU anggota (CSV atau XLSX), sama dengan untuk lembar konversi")
    mulai = StringField("Iuran dibayar mulai bulan")
    cabang = SelectField("Tata letak kantor cabang BPJS", validate_choice=False)

    def validate_mulai(self, field):
        """The first month the batch pays for, as 2027-04."""
        parse_month(field)

    def validate_cabang(self, field):
        """A branch layout from the list."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Pilih tata letak kantor cabang")


class AnswerColumnsForm(BaseForm):
    """The column names BPJS's file uses (remembered per branch): one field per answer field."""

    def columns(self) -> dict[str, str]:
        """{answer field: column name}, our own name where none was given."""
        return {key: getattr(self, f"kolom_{key}").data or label for key, label in answer.FIELDS.items()}


for _key, _label in answer.FIELDS.items():
    setattr(AnswerColumnsForm, f"kolom_{_key}", StringField(f"Kolom {_label.lower()}", validators=[
        MaxLength("Nama kolom", 60), PlainText("Nama kolom")]))


class AnswerForm(AnswerColumnsForm):
    """BPJS's file, with its column names."""

    berkas = FileField("Berkas jawaban BPJS (CSV atau XLSX)")


class BranchForm(BaseForm):
    """A branch office's list layout, set by the campaign team."""

    nama = StringField("Nama kantor cabang", validators=[
        Required("Tulis nama kantor cabang"), MaxLength("Nama kantor cabang", 80), PlainText("Nama kantor cabang")])
    kolom = TextAreaField("Kolom, satu per baris: nama kolom = judul", validators=[
        Required("Tulis paling sedikit satu kolom"), MaxLength("Daftar kolom", 3000)])
    format_tanggal = RadioField("Format tanggal lahir", choices=options(handover.DATE_FORMATS),
                                validate_choice=False, validators=[
        OneOf(handover.DATE_FORMATS, "Pilih format tanggal")])

    def validate_kolom(self, field):
        """The column layout, one 'field = header' per line."""
        try:
            field.parsed = handover.parse_layout(field.data)
        except handover.LayoutError as exc:
            raise ValidationError(str(exc)) from None
