"""Back-office pages look the same with their inline CSS as with the theme's
full stylesheet (scripts/portal_css.py draws the portal's CSS from every template)."""
import pytest

from portal.platform.static_site import stylesheets
from tests.browser.helpers import log_in
from tests.browser.test_critical_css import FULL_PORTAL, compare

pytestmark = pytest.mark.browser


def test_back_office_pages_look_the_same_with_the_full_stylesheet(page, back_office, built_site):
    hrefs = stylesheets(built_site)

    def full(page):
        assert page.locator("link[rel=stylesheet]").count() == 0
        page.evaluate(FULL_PORTAL, hrefs)

    log_in(page, back_office, "tim")
    problems = []
    for path in ("/admin/", "/admin/tindak-lanjut/", "/admin/rat/", "/admin/tautan/", "/admin/daftar-bantu/pintu-air"):
        problems += compare(page, back_office + path, full)
    assert problems == []
    # Pages made for paper carry no theme at all, and nothing to wait for either.
    page.goto(back_office + "/admin/tautan/pintu-air/poster")
    assert page.locator("link[rel=stylesheet]").count() == 0
