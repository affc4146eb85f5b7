"""Numbers and dates the Indonesian way, for the site and the portal alike."""
from __future__ import annotations

import re
from datetime import date

MONTH_NAMES = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]


def month_name(month: int) -> str:
    """Desember for 12."""
    return MONTH_NAMES[month - 1]


def month_label(year: int, month: int) -> str:
    """A month and its year: April 2026."""
    return f"{month_name(month)} {year}"


def long_date(day: date) -> str:
    """5 Desember 2026."""
    return f"{day.day} {month_name(day.month)} {day.year}"


def short_date(day: date) -> str:
    """5 Des 2026, where space is short (a chart's labels)."""
    return f"{day.day} {month_name(day.month)[:3]} {day.year}"


def number(value: int) -> str:
    """12345 → 12.345 (Indonesian thousands separator)."""
    return f"{value:,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """Format as ``Rp8.400``."""
    return "Rp" + number(amount)


# What people put around a typed amount: "Rp", "Rp.", spaces, dots between
# thousands, and a closing ",-" or ",00" (or a bare ",").
_AROUND_AMOUNT = re.compile(r"(?i)^rp\.?|[\s.]|,(?:-|00)?$")


def parse_rupiah(text: str | None) -> int | None:
    """A whole amount as people type it (400000, 400.000, Rp400.000, Rp 400.000,-,
    400.000,00), in the form, an upload or the RAT's cap; None if it is not one."""
    if text and len(text) <= 12 and text.isascii() and text.isdigit():
        return int(text)  # most cells of a ledger's list: the plain number
    digits = _AROUND_AMOUNT.sub("", text or "")
    # isdecimal, not isdigit: "²" is a digit that int() cannot read.
    return int(digits) if digits.isdecimal() and len(digits) <= 12 else None
