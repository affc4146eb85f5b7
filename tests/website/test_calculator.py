"""The SHU calculator: months of cover across rate changes, in Python and in the browser.

Each case lists the expected months by hand, as runs of equal monthly
contributions (JKK 1% of income, JKM Rp6.800, JHT 2%; PP 50/2025 halves JKK+JKM
for transport from January 2026 to March 2027 and for other work from April to
December 2026). The same table checks kkbc.rates and kalkulator.js.
"""
from __future__ import annotations

import pytest

from kkbc import rates
from kkbc.rates import Month
from tests.website.conftest import local_only

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


@pytest.fixture(scope="module")
def calculator(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    outside = local_only(page)
    page.goto(live_server + "/kalkulator/")
    yield page
    assert outside == []
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", CASES)
def test_kalkulator_js(calculator, name):
    case = CASES[name]
    result = calculator.evaluate(
        """c => kkbcKalkulator.hitung(kkbcKalkulator.rates, {jumlah: c.amount, paket: c.package,
              mulai: c.start, sektor: c.sector, penghasilan: c.income})""", case)
    assert [tuple(m) for m in result["bulan"]] == expand(case["runs"])
    assert result["sisa"] == case["left"]


@pytest.mark.browser
def test_form_by_keyboard_with_a_spoken_result(page, live_server):
    outside = local_only(page)
    page.goto(live_server + "/kalkulator/", wait_until="networkidle")
    requests_after_load = []
    page.on("request", lambda r: requests_after_load.append(r.url))
    assert page.locator("#kalkulator-ringkasan").get_attribute("aria-live") == "polite"
    page.get_by_label("SHU Anda (rupiah)").fill("400.000")
    page.get_by_label("Berapa persen dari SHU").fill("50")
    page.get_by_label("Mulai dilindungi (bulan dan tahun)").select_option(label="Februari 2026")
    page.get_by_label("Selain transportasi").check()
    page.get_by_label("Berapa persen dari SHU").press("Enter")
    summary = page.locator("#kalkulator-ringkasan").inner_text()
    assert "Rp200.000" in summary and "16 bulan" in summary and "Mei 2027" in summary and "Rp6.800" in summary
    rows = page.locator("#kalkulator-rincian tbody tr").all_inner_texts()
    assert rows[0].startswith("Februari 2026 sampai Maret 2026") and "Rp16.800" in rows[0]
    assert "Rp8.400" in rows[1] and "9 bulan" in rows[1]

    page.get_by_label("Dalam rupiah").check()
    page.get_by_label("Berapa rupiah dari SHU").fill("500000")
    page.get_by_role("button", name="Hitung").click()
    field = page.get_by_label("Berapa rupiah dari SHU")
    assert field.get_attribute("aria-invalid") == "true"
    assert "tidak boleh lebih besar dari SHU" in page.locator("#k-bagian-galat").inner_text()
    assert field.evaluate("e => e === document.activeElement")
    assert requests_after_load == [] and outside == []  # nothing is sent


AMOUNTS = [
    ("500000", 500_000), ("500.000", 500_000), ("500,000", 500_000), ("Rp 500.000", 500_000),
    ("Rp500.000", 500_000), ("rp. 500.000", 500_000), ("500 000", 500_000), ("500rb", 500_000),
    ("500 ribu", 500_000), ("500k", 500_000), ("1,5 juta", 1_500_000), ("1.5jt", 1_500_000),
    ("2 juta", 2_000_000), ("1.250.000", 1_250_000),
]


@pytest.mark.browser
def test_amounts_as_people_write_them(calculator):
    for text, expected in AMOUNTS:
        assert calculator.evaluate("t => kkbcKalkulator.baca(t)", text) == {"value": expected}, text
    for text in ("", "lima ratus", "500.00", "50.0000", "-500", "0", "1,2,3"):
        assert calculator.evaluate("t => kkbcKalkulator.baca(t)", text) == {"error": "format"}, text
    assert calculator.evaluate("t => kkbcKalkulator.baca(t)", "123456789012345") == {"error": "besar"}


@pytest.mark.browser
def test_each_wrong_amount_has_its_own_message(page, live_server):
    page.goto(live_server + "/kalkulator/")
    shu = page.get_by_label("SHU Anda (rupiah)")
    shu.fill("123456789012345")
    page.get_by_role("button", name="Hitung").click()
    message = page.locator("#k-shu-galat").inner_text()
    assert "terlalu besar" in message and "hanya angka" not in message
    shu.fill("lima ratus")
    page.get_by_role("button", name="Hitung").click()
    assert "misalnya 500000, 500.000 atau 500rb" in page.locator("#k-shu-galat").inner_text()
    shu.fill("500rb")
    page.get_by_role("button", name="Hitung").click()
    assert page.locator("#k-shu-galat").inner_text() == ""
    assert "Rp250.000" in page.locator("#kalkulator-ringkasan").inner_text()  # 50% by default


@pytest.mark.browser
def test_without_javascript_the_worked_examples_show(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/kalkulator/")
    assert not page.locator("#kalkulator").is_visible()
    examples = page.locator('div[data-kkbc="kalkulator-contoh"] table')
    assert examples.count() >= 3 and examples.first.is_visible()
    context.close()
