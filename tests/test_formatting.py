"""Numbers and dates as members read them, the same on the site and in the portal."""
from datetime import date

from kkbc.formatting import long_date, month_label, month_name, number, parse_rupiah, rupiah, short_date


def test_numbers_use_the_indonesian_thousands_separator():
    assert number(0) == "0"
    assert number(141334) == "141.334"
    assert number(1_000_000) == "1.000.000"
    assert rupiah(8400) == "Rp8.400"
    assert rupiah(100_000_000) == "Rp100.000.000"


def test_dates_and_months_are_written_in_indonesian():
    assert month_name(1) == "Januari" and month_name(12) == "Desember"
    assert month_label(2026, 4) == "April 2026"
    assert long_date(date(2026, 12, 5)) == "5 Desember 2026"
    assert short_date(date(2027, 3, 13)) == "13 Mar 2027"


def test_one_parser_reads_every_amount_people_type():
    """The form's SHU amount, the RAT's cap, an SHU list and BPJS's answer all read amounts so."""
    for typed in ("400000", "400.000", "Rp400.000", "Rp 400.000", "rp. 400.000", "Rp400.000,-",
                  "400.000,00", "400.000,", " 400 000 "):
        assert parse_rupiah(typed) == 400_000, typed
    for typed in ("", None, "empat ratus ribu", "400rb", "-400000", "400.000,50", "1e6", "Rp", "1" * 13,
                  "²", "Rp4²0.000"):  # superscripts are digits to Python, not to int()
        assert parse_rupiah(typed) is None, typed
    assert parse_rupiah("9" * 12) == 999_999_999_999
