"""Indonesian mobile numbers: accept how people write them, store E.164."""
from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

EXAMPLE = "0812 3456 7890"
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class PhoneError(ValueError):
    pass


def normalise(raw: str) -> str:
    """Return ``+628…`` for a valid Indonesian mobile number, else raise PhoneError."""
    text = re.sub(r"[\s\-().]", "", raw or "")
    if not re.fullmatch(r"\+?\d{6,16}", text):
        raise PhoneError("format")
    # "628…" written without the plus is the country code, not a trunk prefix.
    if text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except NumberParseException as exc:
        raise PhoneError("format") from exc
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        raise PhoneError("invalid")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise PhoneError("landline")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Indonesian mobile numbers as the form stores them. phonenumbers formats
# these as 0812-345-678 (nine digits after +62) or 0812-3456-7…; that layout,
# written directly, is some forty times faster than parsing, which an export of
# 445,000 members needs (tests/portal/test_phone.py checks it against phonenumbers).
_SECOND_DIGITS = frozenset("1235789")


def mobile_display(e164: str) -> str | None:
    """``display`` for an Indonesian mobile number in E.164 (what the form
    stores), by string operations alone; None for anything else. An export
    lays out one per row."""
    n = e164[3:]
    if (e164[:4] == "+628" and 9 <= len(n) <= 12 and n.isascii() and n.isdigit()
            and n[1] in _SECOND_DIGITS):
        return f"0{n[:3]}-{n[3:6]}-{n[6:]}" if len(n) == 9 else f"0{n[:3]}-{n[3:7]}-{n[7:]}"
    return None


def display(e164: str | None) -> str:
    """``0812-3456-7890`` style for people reading it back."""
    if not e164:
        return ""
    if mobile := mobile_display(e164):
        return mobile
    try:
        number = phonenumbers.parse(e164, "ID")
    except NumberParseException:
        return e164  # not a number (imported or legacy data): shown as it is
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
