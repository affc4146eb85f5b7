"""The SHU calculator in Chromium: kalkulator.js against the same cases as
kkbc.rates (tests/website/test_calculator.py), typed amounts, messages,
and the page without JavaScript."""
from __future__ import annotations

import pytest

from tests.browser.helpers import local_only
from tests.website.test_calculator import CASES, expand

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def calculator(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    outside = local_only(page)
    page.goto(live_server + "/kalkulator/")
    yield page
    assert outside == []
    context.close()


@pytest.mark.parametrize("name", CASES)
def test_kalkulator_js(calculator, name):
    case = CASES[name]
    result = calculator.evaluate(
        """c => kkbcKalkulator.hitung(kkbcKalkulator.rates, {jumlah: c.amount, paket: c.package,
              mulai: c.start, sektor: c.sector, penghasilan: c.income})""", case)
    assert [tuple(m) for m in result["bulan"]] == expand(case["runs"])
    assert result["sisa"] == case["left"]


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
    ("2 juta", 2_000_000), ("1.250.000", 1_250_000), ("Rp500.000,-", 500_000),
]


def test_amounts_as_people_write_them(calculator):
    for text, expected in AMOUNTS:
        assert calculator.evaluate("t => kkbcKalkulator.baca(t)", text) == {"value": expected}, text
    for text in ("", "lima ratus", "500.00", "50.0000", "-500", "0", "1,2,3"):
        assert calculator.evaluate("t => kkbcKalkulator.baca(t)", text) == {"error": "format"}, text
    assert calculator.evaluate("t => kkbcKalkulator.baca(t)", "123456789012345") == {"error": "besar"}


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


def test_without_javascript_the_worked_examples_show(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/kalkulator/")
    assert not page.locator("#kalkulator").is_visible()
    examples = page.locator('div[data-kkbc="kalkulator-contoh"] table')
    assert examples.count() >= 3 and examples.first.is_visible()
    context.close()


def test_an_income_under_the_lowest_level_gets_guidance_and_a_result(page, live_server):
    """The lowest declared income is Rp1.000.000; below it the sum uses that income
    and says the office confirms (FACTS.md: lower incomes are not confirmed)."""
    page.goto(live_server + "/kalkulator/")
    page.get_by_label("SHU Anda (rupiah)").fill("400.000")
    page.get_by_label("Penghasilan per bulan yang Anda laporkan (rupiah)").fill("750000")
    page.get_by_role("button", name="Hitung").click()
    note = page.locator("#k-penghasilan-catatan").inner_text()
    assert "Rp1.000.000" in note and "kantor BPJS Ketenagakerjaan" in note
    assert page.locator("#k-penghasilan").get_attribute("aria-invalid") is None
    assert "bulan" in page.locator("#kalkulator-ringkasan").inner_text()


def test_at_the_month_cap_the_rest_is_not_called_a_remainder(page, live_server):
    page.goto(live_server + "/kalkulator/")
    page.get_by_label("SHU Anda (rupiah)").fill("90 juta")
    page.get_by_role("button", name="Hitung").click()
    summary = page.locator("#kalkulator-ringkasan").inner_text()
    assert "Hitungan berhenti di 600 bulan" in summary and "Sisa" not in summary
