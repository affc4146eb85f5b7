"""The SHU calculator's cases: months of cover across rate changes, checked
here against kkbc.rates and in tests/browser/test_calculator.py against
kalkulator.js.

Each case lists the expected months by hand, as runs of equal monthly
contributions (JKK 1% of income, JKM Rp6.800, JHT 2%; PP 50/2025 halves JKK+JKM
for transport from January 2026 to March 2027 and for other work from April to
December 2026). The same table checks kkbc.rates and kalkulator.js.
"""
from __future__ import annotations

import pytest

from kkbc import rates
from kkbc.rates import Month

CASES = {
    # Non-transport from February 2026: two normal months, nine cut, normal again.
    "lainnya-2026-02": dict(amount=200_000, package="jkk-jkm", start="2026-02", sector="lainnya", income=None,
                            runs=[("2026-02", "2026-03", 16800), ("2026-04", "2026-12", 8400),
                                  ("2027-01", "2027-05", 16800)], left=6800),
    # Transport from December 2025: one normal month, the fifteen cut months, then too little.
    "transportasi-2025-12": dict(amount=150_000, package="jkk-jkm", start="2025-12", sector="transportasi",
                                 income=None, runs=[("2025-12", "2025-12", 16800), ("2026-01", "2027-03", 8400)],
                                 left=7200),
    # Transport from February 2027: the cut ends after March.
    "transportasi-2027-02": dict(amount=50_000, package="jkk-jkm", start="2027-02", sector="transportasi",
                                 income=None, runs=[("2027-02", "2027-03", 8400), ("2027-04", "2027-04", 16800)],
                                 left=16400),
    # With JHT, which is never cut: 36.800 normally, 28.400 in the cut months.
    "jht-lainnya-2026-03": dict(amount=300_000, package="jkk-jkm-jht", start="2026-03", sector="lainnya",
                                income=1_000_000, runs=[("2026-03", "2026-03", 36800), ("2026-04", "2026-12", 28400)],
                                left=7600),
    # Rounding half up: JKK 1% of 1.000.100 is 10.001, halved 5.000,5 -> 5.001; JKM 3.400.
    "rounding-half-up": dict(amount=25_203, package="jkk-jkm", start="2026-04", sector="lainnya", income=1_000_100,
                             runs=[("2026-04", "2026-06", 8401)], left=0),
    # After every cut: exactly a year of the normal contribution.
    "after-the-cut": dict(amount=201_600, package="jkk-jkm", start="2027-06", sector="lainnya", income=None,
                          runs=[("2027-06", "2028-05", 16800)], left=0),
    # Less than one month.
    "too-little": dict(amount=8_000, package="jkk-jkm", start="2026-04", sector="lainnya", income=None,
                       runs=[], left=8000),
}


def expand(runs) -> list[tuple[str, int]]:
    out = []
    for first, last, cost in runs:
        month = Month.parse(first)
        while True:
            out.append((str(month), cost))
            if str(month) == last:
                break
            month = month.next()
    return out


@pytest.mark.parametrize("name", CASES)
def test_portal_rates(name):
    case = CASES[name]
    start = Month.parse(case["start"])
    cover = rates.months_of_cover(case["amount"], case["package"], start, case["sector"], case["income"])
    months, month = [], start
    for _ in range(cover.months):
        months.append((str(month), rates.monthly_cost(case["package"], month, case["sector"], case["income"])))
        month = month.next()
    assert months == expand(case["runs"])
    assert cover.left_over == case["left"]
