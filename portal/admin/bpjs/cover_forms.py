"""Back-office forms of cover: marks on the lapse list and publishing the figures."""
from __future__ import annotations

from datetime import date

from wtforms import StringField
from wtforms.validators import ValidationError

from ...bpjs import lapse
from ...forms import BaseForm
from ...public import radio
from ...validators import Required


class MarkForm(BaseForm):
    """An officer marks a member on the lapse list."""

    tanda = radio("Tanda", lapse.MARKS, "Pilih tanda")


class PublishForm(BaseForm):
    """The date the published figures speak of (members protected in its month)."""

    tanggal = StringField("Angka per tanggal", validators=[Required("Tulis tanggal angka capaian")])

    def validate_tanggal(self, field):
        """The figures' date, as 2027-06-30."""
        try:
            field.parsed = date.fromisoformat(field.data or "")
        except ValueError:
            raise ValidationError("Tulis tanggal seperti 2027-06-30 (tahun-bulan-tanggal)") from None
        if not 2020 <= field.parsed.year <= 2100:
            raise ValidationError("Tanggal tidak masuk akal. Periksa tahunnya")
