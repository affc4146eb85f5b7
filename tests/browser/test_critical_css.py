"""Pages paint from their HTML (critical CSS, kkbc/critical_css.py) and look
exactly as they do with the theme's full stylesheet."""
from __future__ import annotations

import pytest

from harness.samples import fill_valid_form
from portal.platform.static_site import stylesheets

pytestmark = pytest.mark.browser

SITE_PAGES = ("/", "/perlindungan/", "/biaya/", "/kalkulator/")
WIDTHS = (360, 1280)
# Headings, paragraphs, tables, buttons and form controls, plus the page's frame.
ELEMENTS = ("h1, h2, h3, p, li, table, th, td, button, .md-button, input, select, textarea, label, "
            ".md-header, .md-footer, .md-sidebar, .md-nav__link, .portal-error-summary")
PIXELS = 2

LAYOUT = """sel => [...document.querySelectorAll(sel)].map(e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return {what: e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 30),
          box: [r.x, r.y, r.width, r.height],
          look: [s.color, s.backgroundColor, s.fontSize, s.fontWeight, s.display, s.visibility]};
})"""
# The portal never needs the theme's files: put them back as links, in their order.
FULL_PORTAL = """hrefs => new Promise(done => {
  const inline = document.head.querySelector('style');
  let pending = hrefs.length;
  for (const href of hrefs) {
    const link = Object.assign(document.createElement('link'), {rel: 'stylesheet', href});
    link.onload = () => { if (--pending === 0) { inline.remove(); done(); } };
    inline.before(link);
  }
})"""


def differences(before, after) -> list[str]:
    assert len(before) == len(after) and before
    found = []
    for a, b in zip(before, after):
        if any(abs(x - y) > PIXELS for x, y in zip(a["box"], b["box"])) or a["look"] != b["look"]:
            found.append(f"{a['what']}: {a['box']} {a['look']} -> {b['box']} {b['look']}")
    return found


def compare(page, url: str, full) -> list[str]:
    """Boxes and colours at each width, and on paper, as built and with the full stylesheet."""
    problems = []
    for width, media in [(w, "screen") for w in WIDTHS] + [(WIDTHS[-1], "print")]:
        page.emulate_media(media=media)
        page.set_viewport_size({"width": width, "height": 740})
        page.goto(url)
        built = page.evaluate(LAYOUT, ELEMENTS)
        full(page)
        problems += [f"{url} at {width}px ({media}): {d}"
                     for d in differences(built, page.evaluate(LAYOUT, ELEMENTS))]
    page.emulate_media(media="screen")
    return problems


def site_full(page) -> None:
    """What a reader gets before printing or on opening search (cari.js)."""
    assert page.locator("link[rel=stylesheet]").count() == 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.locator("style[data-kkbc-tema]").wait_for(state="detached")
    assert page.locator("link[rel=stylesheet]").count() == 2


def test_site_pages_look_the_same_with_the_full_stylesheet(page, live_server):
    problems = []
    for path in SITE_PAGES:
        problems += compare(page, live_server + path, site_full)
    assert problems == []


def test_the_menu_opens_the_same_before_the_full_stylesheet(page, live_server):
    """States (:checked, :hover, :focus) stay in the critical CSS: the phone menu
    is a checkbox and works without any script."""
    drawer = ".md-sidebar--primary, .md-overlay, .md-nav--primary .md-nav__link"
    page.emulate_media(reduced_motion="reduce")  # the theme then opens the drawer without sliding
    page.goto(live_server + "/perlindungan/")
    page.locator("label.md-header__button[for=__drawer]").click()
    built = page.evaluate(LAYOUT, drawer)
    assert built[0]["box"][0] == 0 and built[0]["look"][-1] == "visible"
    site_full(page)
    assert differences(built, page.evaluate(LAYOUT, drawer)) == []


def test_opening_search_brings_the_full_stylesheet(page, live_server):
    page.goto(live_server + "/")
    page.locator("label.md-header__button[for=__search]").click()
    page.locator(".md-search__input").press_sequentially("iuran", delay=30)
    result = page.locator(".md-search-result__item").first
    result.wait_for()
    page.locator("style[data-kkbc-tema]").wait_for(state="detached")
    assert page.locator("link[rel=stylesheet]").count() == 2
    # Styled by the theme: the results' list has no bullets.
    assert result.evaluate("e => getComputedStyle(e).listStyleType") == "none"


def test_portal_pages_look_the_same_with_the_full_stylesheet(page, live_server, built_site):
    hrefs = stylesheets(built_site)

    def full(page):
        assert page.locator("link[rel=stylesheet]").count() == 0
        page.evaluate(FULL_PORTAL, hrefs)

    page.goto(live_server + "/daftar/")
    fill_valid_form(page)
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/daftar/selesai/**")
    problems = []
    for url in (live_server + "/daftar/", page.url, live_server + "/kelola/", live_server + "/admin/masuk"):
        problems += compare(page, url, full)
    assert problems == []
