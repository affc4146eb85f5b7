"""Small validators with messages built from a noun, in plain Indonesian."""
from __future__ import annotations

import re

from wtforms.validators import StopValidation, ValidationError

from kkbc.formatting import parse_rupiah
from kkbc.rates import Month

# C0/C1 control characters (tab and newline are not expected in one-line fields
# either), and the invisible ones that reorder or hide text: bidi overrides and
# isolates (U+202E shows "Yohana" where "anahoY" is stored), zero-width marks, BOM.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class Required:
    """A value must be given: 'Tulis <noun>' or a custom sentence."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.data in (None, "", [], False):
            field.errors[:] = []
            raise StopValidation(self.message)


class OneOf:
    """The value must be one of the offered keys."""

    def __init__(self, keys, message: str):
        self.keys, self.message = set(keys), message

    def __call__(self, form, field):
        if field.data not in self.keys:
            raise ValidationError(self.message)


class MaxLength:
    def __init__(self, noun: str, maximum: int):
        self.maximum = maximum
        self.message = f"{noun} paling panjang {maximum} huruf"

    def __call__(self, form, field):
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(self.message)


class PlainText:
    """No control characters; angle brackets are not part of any name."""

    def __init__(self, noun: str):
        self.message = f"{noun} hanya boleh berisi huruf, angka, dan tanda baca biasa"

    def __call__(self, form, field):
        if field.data and (CONTROL.search(field.data) or re.search(r"[<>]", field.data)):
            raise ValidationError(self.message)


class WholeNumber:
    """An integer in a range, written as people write it ("Rp 150.000", "25%")."""

    def __init__(self, noun: str, minimum: int, maximum: int, unit_format=str):
        self.minimum, self.maximum = minimum, maximum
        self.message = (f"Tulis {noun} antara {unit_format(minimum)} dan "
                        f"{unit_format(maximum)}, hanya angka")

    def parse(self, raw: str | None) -> int | None:
        """The number typed, read as an amount is (kkbc.formatting.parse_rupiah), a % sign allowed."""
        return parse_rupiah((raw or "").replace("%", ""))

    def __call__(self, form, field):
        value = self.parse(field.data)
        if value is None or not self.minimum <= value <= self.maximum:
            raise ValidationError(self.message)


def parse_month(field) -> None:
    """Read a first month typed as 2027-04 into ``field.parsed``, within sensible years."""
    try:
        field.parsed = Month.parse(field.data or "")
    except (ValueError, IndexError):
        raise ValidationError("Tulis bulan seperti 2027-04 (tahun-bulan)") from None
    if not 2020 <= field.parsed.year <= 2100:
        raise ValidationError("Bulan mulai tidak masuk akal. Periksa tahunnya")
