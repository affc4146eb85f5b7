"""A month the member paid themselves, told to the cooperative."""
from __future__ import annotations

import re

from wtforms import StringField
from wtforms.validators import ValidationError

from kkbc.rates import Month

from ...bpjs import cover
from ...forms import BaseForm
from ...validators import Required

RECEIPT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{2,39}$")


class OwnPaymentForm(BaseForm):
    """The month paid and the receipt number: the member's word until BPJS confirms it."""

    bulan = StringField("Bulan yang Anda bayar", validators=[Required("Tulis bulan yang Anda bayar")])
    nomor_bukti = StringField("Nomor bukti bayar", validators=[Required("Tulis nomor bukti bayar")])

    def validate_bulan(self, field):
        """The month paid, as 2027-07, within the months a member may tell."""
        try:
            field.parsed = Month.parse(field.data or "")
        except (ValueError, IndexError):
            raise ValidationError("Tulis bulan seperti 2027-07 (tahun-bulan)") from None
        now = cover.this_month()
        if not cover.add_months(now, -24) <= field.parsed <= cover.add_months(now, 12):
            raise ValidationError("Bulan harus dalam dua tahun terakhir atau satu tahun ke depan")

    def validate_nomor_bukti(self, field):
        """The receipt's number as written on it."""
        if not RECEIPT.match(field.data or ""):
            raise ValidationError("Nomor bukti bayar 3 sampai 40 huruf atau angka, seperti tertulis di bukti")
