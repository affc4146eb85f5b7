"""Every focusable control shows a focus ring of at least 3:1 against what is
behind it (WCAG 2.2 2.4.11 and 2.4.13): each page is tabbed through on a
360 px phone and the focused element's computed outline is measured."""
from __future__ import annotations

import pytest

from tests.browser.test_site import PAGES

pytestmark = pytest.mark.browser

# The portal's public pages and the staff login: the same ring, from the same stylesheet.
PORTAL_PAGES = ["/daftar/", "/kelola/", "/admin/masuk"]
MAX_TABS = 250

# The focused element's outline, and the first opaque background behind it
# (the outline is drawn outside the element, so its parent's background counts).
MEASURE = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body || el.dataset.kkbcFokus) return null;
  el.dataset.kkbcFokus = "1";
  const rgba = text => {
    const p = (text.match(/rgba?\(([^)]+)\)/) || [null, ""])[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return p.length >= 3 ? [p[0], p[1], p[2], p.length > 3 ? p[3] : 1] : null;
  };
  // Translucent layers (Material's footer) are composited over what lies under them.
  const layers = [];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let bg = [255, 255, 255, 1];
  for (const c of layers.reverse()) bg = [0, 1, 2].map(i => c[i] * c[3] + bg[i] * (1 - c[3])).concat([1]);
  const s = getComputedStyle(el);
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    " " + (el.getAttribute("aria-label") || el.innerText || el.value || "").trim().slice(0, 30);
  return {name: name, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: rgba(s.outlineColor), bg: bg};
}"""


def luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def over_white(rgba) -> list[float]:
    """A translucent colour as it shows on the white page."""
    alpha = rgba[3]
    return [c * alpha + 255 * (1 - alpha) for c in rgba[:3]]


def contrast(a, b) -> float:
    la, lb = sorted((luminance(over_white(a)), luminance(over_white(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tab_through(page) -> list[dict]:
    """Press Tab until focus comes back to a control already seen."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        found = page.evaluate(MEASURE)
        if found is None and seen and page.evaluate("document.activeElement.dataset.kkbcFokus === '1'"):
            break
        if found:
            seen.append(found)
    return seen


def weak_rings(controls) -> list[tuple]:
    return [(c["name"], c["style"], c["width"], round(contrast(c["color"], c["bg"]), 2)) for c in controls
            if c["style"] == "none" or c["width"] < 2 or c["color"] is None or contrast(c["color"], c["bg"]) < 3]


@pytest.mark.parametrize("path", PAGES + PORTAL_PAGES)
def test_every_control_shows_a_focus_ring_of_3_to_1(page, live_server, path):
    page.goto(live_server + path, wait_until="networkidle")
    controls = tab_through(page)
    assert controls, "nothing took the focus"
    assert weak_rings(controls) == []


def test_the_calculator_inputs_and_radio_buttons_are_among_them(page, live_server):
    page.goto(live_server + "/kalkulator/", wait_until="networkidle")
    names = [c["name"] for c in tab_through(page)]
    for control in ("input#k-shu", "input#k-cara-persen", "input#k-penghasilan", "select#k-mulai"):
        assert any(n.startswith(control) for n in names), control
