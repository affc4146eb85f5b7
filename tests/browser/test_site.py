"""Every page on a 360x740 phone: no sideways scrolling, no axe violations,
nothing fetched from another host; search finds Indonesian variants; A4 print."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import local_only
from tests.website.conftest import data
from tests.website.test_build import EXPECTED_PAGES

pytestmark = pytest.mark.browser

PAGES = sorted(EXPECTED_PAGES) + [f"/koperasi/{c['slug']}/" for c in data("cooperatives")["cooperatives"]]
AXE = Axe()


def describe(violations) -> str:
    return "; ".join(f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in violations)


@pytest.mark.parametrize("path", PAGES)
def test_page_on_a_phone(page, live_server, path):
    outside = local_only(page)
    response = page.goto(live_server + path, wait_until="networkidle")
    assert response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "scrolls sideways"
    violations = AXE.run(page).response["violations"]
    assert violations == [], describe(violations)
    assert outside == []


@pytest.mark.parametrize("query,expected", [
    ("JKK", "Perlindungan untuk pekerja mandiri"),
    ("kecelakaan kerja", "Perlindungan untuk pekerja mandiri"),
    ("BPJAMSOSTEK", "Tanya jawab"),
    ("Jamsostek", "Tanya jawab"),
    ("bayar", "Biaya iuran"),
    ("kemiri", "Perlindungan untuk pekerja mandiri"),
])
def test_search_finds_indonesian_variants(page, live_server, query, expected):
    outside = local_only(page)
    page.goto(live_server + "/biaya/", wait_until="networkidle")
    # Material's bundle is not part of the first view: opening search loads it.
    assert page.locator('script[src*="bundle."]').count() == 0
    page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    titles = page.locator(".md-search-result__article h1").all_inner_texts()
    assert expected in titles
    # Results fade in: measure contrast once every transition has finished.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    violations = AXE.run(page).response["violations"]  # the open search dialog too
    assert violations == [], describe(violations)
    assert outside == []


@pytest.mark.parametrize("path", ["/biaya/", "/koperasi/pintu-air/"])
def test_prints_on_a4(page, live_server, path):
    page.goto(live_server + path, wait_until="networkidle")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-footer").is_visible()
    # A4 minus 15 mm margins is 180 mm, about 680 CSS pixels.
    page.set_viewport_size({"width": 680, "height": 1000})
    assert page.evaluate("document.documentElement.scrollWidth") <= 680
    if path.startswith("/koperasi/"):
        after = page.locator(".kkbc-langkah a[data-cetak]").evaluate(
            "a => getComputedStyle(a, '::after').content")
        assert "/k/pintu-air" in after  # the form's address is printed, not just a button
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 6
