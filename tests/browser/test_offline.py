"""The downloadable copy opens from disk (file://) and its search works."""
from __future__ import annotations

import pytest

from kkbc.site import PUBLIC_URL

pytestmark = pytest.mark.browser


def test_offline_copy_searches_from_disk(page, unzipped):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((unzipped / "index.html").as_uri(), wait_until="load")
    page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").press_sequentially("kecelakaan kerja", delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert "Perlindungan untuk pekerja mandiri" in page.locator(".md-search-result__article h1").all_inner_texts()

    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.endswith(".html")
    assert page.get_by_role("link", name="Daftar minat").first.get_attribute("href") == f"{PUBLIC_URL}/daftar/"
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []


def test_offline_calculator_works_from_disk(page, unzipped):
    page.goto((unzipped / "kalkulator.html").as_uri())
    page.get_by_label("SHU Anda (rupiah)").fill("400000")
    page.get_by_role("button", name="Hitung").click()
    assert "bulan" in page.locator("#kalkulator-ringkasan").inner_text()
