"""Figures for "this month" are true on the day they are read, online and offline.

The site is built once; Chromium's clock is then set to dates before and after
each change of rate (PP 50/2025: other work from April to December 2026,
transport from January 2026 to March 2027), including the WITA month edge.
Expected values come from test_numbers' own arithmetic, not from the site.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.browser.helpers import local_only
from tests.website.conftest import this_month
from tests.website.test_numbers import MONTHS, RATES, SECTORS, cost, months_in, rp

pytestmark = pytest.mark.browser

WITA = timezone(timedelta(hours=8))
DAYS = {
    "2026-03-15": datetime(2026, 3, 15, 9, tzinfo=WITA),    # before the cut for other work
    "2026-12-15": datetime(2026, 12, 15, 9, tzinfo=WITA),   # last month of that cut
    # 31 December 16:30 UTC is already 1 January in NTT: the month is WITA's.
    "2027-01-01": datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc),
    "2027-01-15": datetime(2027, 1, 15, 9, tzinfo=WITA),    # cut over for other work, not transport
    "2027-04-15": datetime(2027, 4, 15, 9, tzinfo=WITA),    # every cut over
}


def label(ym: str) -> str:
    return f"{MONTHS[int(ym[5:]) - 1]} {ym[:4]}"


def open_at(browser, when):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    context.clock.set_fixed_time(when)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def check_cost_now(page, ym):
    shown = page.locator('[data-kkbc-kini="cost-now"] [data-kkbc-sektor]')
    assert shown.all_inner_texts() == [rp(cost("jkk-jkm", ym, s)) for s in SECTORS]
    assert set(page.locator('[data-kkbc-kini="cost-now"] [data-kkbc-kini="bulan"]').all_inner_texts()) == {label(ym)}
    assert label(ym) in page.locator('[data-kkbc-kini="dihitung"]').first.inner_text()


def check_month_by_month(page, ym, package):
    table = page.locator(f'table[data-kkbc-kini="bulanan"][data-paket="{package}"]')
    rows = table.locator("tbody tr")
    assert months_in(rows.first.locator("th").inner_text())[0] == ym
    for i in range(rows.count()):
        row = rows.nth(i)
        values = row.locator("td").all_inner_texts()
        for month in months_in(row.locator("th").inner_text()):
            assert values == [rp(cost(package, month, s)) for s in SECTORS], (ym, month)
    last = rows.last.locator("th").inner_text()
    assert last.endswith("dan seterusnya")


def check_yearly(page, ym, package):
    table = page.locator(f'table[data-kkbc-kini="tahunan"][data-paket="{package}"]')
    year = int(ym[:4])
    assert table.locator("thead th").all_inner_texts()[1:] == [str(year), str(year + 1)]
    for i, sector in enumerate(SECTORS):
        cells = table.locator("tbody tr").nth(i).locator("td strong").all_inner_texts()
        expected = []
        for y in (year, year + 1):
            months = [f"{y}-{m:02d}" for m in range(1, 13)]
            expected.append(rp(sum(cost(package, m, sector) for m in months)))
        assert cells == expected


def check_all(page, url_of, ym):
    page.goto(url_of("/"))
    check_cost_now(page, ym)
    check_month_by_month(page, ym, "jkk-jkm")
    page.goto(url_of("/biaya/"))
    for package in RATES["packages"]:
        check_month_by_month(page, ym, package)
        check_yearly(page, ym, package)
    page.goto(url_of("/tanya-jawab/"))
    check_cost_now(page, ym)
    page.goto(url_of("/kalkulator/"))
    assert page.locator("#k-mulai").input_value() == ym
    # The list holds months only: whatever is picked, its year comes with it.
    options = page.locator("#k-mulai option").all_inner_texts()
    assert label(ym) in options and len(set(options)) == len(options)
    page.get_by_label("SHU Anda (rupiah)").fill("400000")
    page.get_by_role("button", name="Hitung").click()
    summary = page.locator("#kalkulator-ringkasan").inner_text()
    assert f"dari {label(ym)}" in summary
    first_row = page.locator("#kalkulator-rincian tbody tr").first.inner_text()
    assert first_row.startswith(label(ym)) and rp(cost("jkk-jkm", ym, "lainnya")) in first_row


@pytest.mark.parametrize("day", DAYS)
def test_figures_for_the_day_online(browser, live_server, day):
    context, page, errors = open_at(browser, DAYS[day])
    outside = local_only(page)
    check_all(page, lambda path: live_server + path, day[:7])
    assert errors == [] and outside == []
    context.close()


@pytest.mark.parametrize("day", ["2026-12-15", "2027-01-15", "2027-04-15"])
def test_figures_for_the_day_offline(browser, unzipped, day):
    context, page, errors = open_at(browser, DAYS[day])
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    check_all(page, lambda path: (unzipped / f"{path.strip('/') or 'index'}.html").as_uri(), day[:7])
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    context.close()


def test_without_javascript_the_page_says_which_month_it_shows(browser, live_server):
    """A reader without JavaScript sees the build month named, and every month after it in a table."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    note = page.locator('[data-kkbc-kini="dihitung"]').inner_text()
    assert label(this_month()) in note and "saat halaman dibuat" in note
    table = page.locator('table[data-kkbc-kini="bulanan"]')
    assert table.is_visible()
    assert months_in(table.locator("tbody tr").first.locator("th").inner_text())[0] == this_month()
    context.close()
