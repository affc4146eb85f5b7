"""portal.followup.chart: submissions per day, week or month, and the bars'
geometry for the dashboard's server-drawn SVG. No Flask, no database."""
from datetime import date, timedelta

import pytest

from portal.followup import chart

TODAY = date(2026, 11, 25)


def test_days_when_the_first_is_within_three_months():
    unit, series = chart.buckets([date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 25)], TODAY)
    assert unit == "hari" and series == [("23 Nov 2026", 1), ("24 Nov 2026", 0), ("25 Nov 2026", 2)]


def test_weeks_up_to_two_years_starting_on_monday():
    unit, series = chart.buckets([date(2026, 1, 5), date(2026, 1, 7), TODAY], TODAY)
    assert unit == "minggu" and series[0] == ("minggu 5 Jan 2026", 2) and series[-1] == ("minggu 23 Nov 2026", 1)
    assert len(series) == 47 and sum(n for _, n in series) == 3
    unit, series = chart.buckets([date(2026, 1, 8)], TODAY)  # a Thursday counts in its week's Monday
    assert series[0] == ("minggu 5 Jan 2026", 1)


def test_months_beyond_two_years_across_the_new_year():
    unit, series = chart.buckets([date(2023, 12, 31), TODAY], TODAY)
    assert unit == "bulan" and series[0] == ("Desember 2023", 1) and series[1] == ("Januari 2024", 0)
    assert series[-1] == ("November 2026", 1) and len(series) == 36


@pytest.mark.parametrize("days_back, unit", [(0, "hari"), (92, "hari"), (93, "minggu"),
                                             (730, "minggu"), (731, "bulan")])
def test_the_unit_changes_at_three_months_and_two_years(days_back, unit):
    first = TODAY - timedelta(days=days_back)
    found, series = chart.buckets([first, TODAY], TODAY)
    assert found == unit
    assert sum(n for _, n in series) == 2
    if unit == "hari":
        assert len(series) == days_back + 1  # every day shown, the empty ones too


def test_no_submissions_no_bars():
    assert chart.buckets([], TODAY) == ("hari", [])
    geometry = chart.bars([])
    assert geometry["bars"] == [] and geometry["peak"] == 1


def test_bars_are_proportional_and_stand_on_the_base():
    geometry = chart.bars([("a", 4), ("b", 0), ("c", 2)])
    full = geometry["base"] - geometry["top"]
    a, b, c = geometry["bars"]
    assert geometry["peak"] == 4
    assert (a.height, b.height, c.height) == (full, 0, full / 2)
    for bar in (a, b, c):
        assert bar.y + bar.height == pytest.approx(geometry["base"])
    assert (a.label, a.count) == ("a", 4)


def test_bars_fit_between_the_axis_and_the_right_edge_without_overlapping():
    series = [(str(n), n % 5) for n in range(93)]
    geometry = chart.bars(series)
    bars = geometry["bars"]
    assert bars[0].x >= geometry["left"]
    assert bars[-1].x + bars[-1].width <= geometry["right"] + 0.01
    assert all(left.x + left.width <= right.x + 0.01 for left, right in zip(bars, bars[1:]))
    assert all(bar.width >= 1 for bar in bars)
