"""kkbc.rates: the month-by-month cost walk every figure is made from
(the conversion sheet, the RAT pack, posters, cover, the site's tables)."""
from __future__ import annotations

from kkbc import choices, data, rates
from kkbc.rates import Month, Run

NORMAL, CUT = 16_800, 8_400  # JKK+JKM at the lowest income, and under PP 50/2025's half


def test_the_walk_prices_each_month_at_the_rate_in_force_that_month():
    assert rates.walk("jkk-jkm", Month(2026, 11), "lainnya", 4) == [
        (Month(2026, 11), CUT), (Month(2026, 12), CUT), (Month(2027, 1), NORMAL), (Month(2027, 2), NORMAL)]
    assert rates.walk("jkk-jkm", Month(2026, 11), "transportasi", 4) == [
        (Month(2026, 11), CUT), (Month(2026, 12), CUT), (Month(2027, 1), CUT), (Month(2027, 2), CUT)]
    assert rates.walk("jkk-jkm", Month(2026, 11), "lainnya", 0) == []


def test_runs_group_consecutive_months_of_one_cost():
    months = rates.months_from(Month(2026, 11), 4)
    found = rates.runs(months, lambda m: rates.monthly_cost("jkk-jkm", m, "lainnya"))
    assert found == [Run(Month(2026, 11), Month(2026, 12), CUT), Run(Month(2027, 1), Month(2027, 2), NORMAL)]
    assert [run.months for run in found] == [2, 2]
    first, last, cost = found[0]  # a plain tuple where a table wants one
    assert (first, last, cost) == (Month(2026, 11), Month(2026, 12), CUT)
    # A cost that comes back later starts a run of its own.
    assert [run.cost for run in rates.runs(months, lambda m: m.month % 2)] == [1, 0, 1, 0]
    assert rates.runs([], lambda m: 0) == []


def test_month_arithmetic():
    assert Month(2026, 11).plus(3) == Month(2027, 2)
    assert Month(2026, 1).plus(-1) == Month(2025, 12)
    assert Month(2026, 5).plus(0) == Month(2026, 5)
    assert Month(2026, 12).next() == Month(2026, 12).plus(1) == Month(2027, 1)
    assert rates.count_months(Month(2026, 11), Month(2027, 2)) == 4
    assert rates.count_months(Month(2026, 11), Month(2026, 11)) == 1
    assert rates.months_from(Month(2026, 12), 2) == [Month(2026, 12), Month(2027, 1)]


def test_the_sector_of_an_occupation():
    assert rates.sector_of("ojek") == "transportasi"
    others = {rates.sector_of(occupation) for occupation in choices.OCCUPATIONS if occupation != "ojek"}
    assert others == {"lainnya"}
    assert rates.sector_of(None) == "lainnya"
    assert rates.TRANSPORT_OCCUPATIONS <= set(choices.OCCUPATIONS)
    assert {"transportasi", "lainnya"} == set(data.rates()["sectors"])


def test_the_change_a_poster_names():
    assert rates.next_change("jkk-jkm", Month(2026, 11), "lainnya", 6) == (Month(2026, 12), Month(2027, 1), NORMAL)
    assert rates.next_change("jkk-jkm", Month(2027, 1), "lainnya", 6) is None
